//! The DoH client against the real rig (tests/rig/): NSD behind dnsdist on loopback.
//!
//! Run with `tests/rig/run-tests.sh`. Without `SENDERCHECK_RIG` every test prints SKIP and
//! passes; with it set, a rig that does not answer fails every test.

#![cfg(not(target_arch = "wasm32"))]

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use futures::future::join;
use sendercheck::dns::block::block_on;
use sendercheck::dns::{Cache, DohResolver, Failure, Lookup, Outcome, RData, RecordType, Resolver};

const BASE: &str = "http://127.0.0.1:8053";

/// True when the rig is expected (and answering); prints SKIP and returns false otherwise.
fn rig(test: &str) -> bool {
    if std::env::var_os("SENDERCHECK_RIG").is_none() {
        eprintln!("SKIP {test}: SENDERCHECK_RIG is not set (run tests/rig/run-tests.sh to start the DoH rig)");
        return false;
    }
    static PROBE: OnceLock<Result<(), String>> = OnceLock::new();
    let probe = PROBE.get_or_init(|| {
        let lookup = ask("dns-query", "example.test", RecordType::Soa);
        match lookup.outcome {
            Outcome::Records(_) => Ok(()),
            other => Err(format!("{other:?}")),
        }
    });
    if let Err(outcome) = probe {
        panic!("SENDERCHECK_RIG is set but the rig at {BASE}/dns-query does not answer: {outcome}");
    }
    true
}

fn resolver(paths: &[&str]) -> DohResolver {
    DohResolver::new(paths.iter().map(|p| url(p)).collect()).with_timeout(Duration::from_millis(1500))
}

fn url(path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("{BASE}/{path}")
    }
}

fn ask(path: &str, name: &str, rtype: RecordType) -> Lookup {
    block_on(resolver(&[path]).lookup(name, rtype))
}

fn failure(lookup: &Lookup) -> &Failure {
    match &lookup.outcome {
        Outcome::Failed(failure) => failure,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn answers_a_aaaa_mx_txt() {
    if !rig("answers_a_aaaa_mx_txt") {
        return;
    }
    let a = ask("dns-query", "Example.Test.", RecordType::A);
    assert_eq!(a.name, "example.test");
    assert_eq!(
        a.outcome,
        Outcome::Records(vec![RData::A(Ipv4Addr::new(192, 0, 2, 10))])
    );
    assert!(!a.authenticated, "NSD does not validate, so no AD");
    let aaaa = ask("dns-query", "mail.example.test", RecordType::Aaaa);
    assert_eq!(
        aaaa.outcome,
        Outcome::Records(vec![RData::Aaaa("2001:db8::25".parse::<Ipv6Addr>().unwrap())])
    );
    let mut mx = ask("dns-query", "example.test", RecordType::Mx)
        .outcome
        .records()
        .to_vec();
    mx.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(
        mx,
        vec![
            RData::Mx {
                preference: 10,
                exchange: "mail.example.test".into()
            },
            RData::Mx {
                preference: 20,
                exchange: "backup-mx.example.net".into()
            },
        ]
    );
    let txt = ask("dns-query", "example.test", RecordType::Txt);
    let spf: Vec<_> = txt
        .outcome
        .records()
        .iter()
        .filter(|r| matches!(r, RData::Txt(strings) if strings.len() == 2))
        .collect();
    assert_eq!(spf.len(), 1, "{:?}", txt.outcome);
    assert_eq!(
        spf[0].txt_joined().unwrap(),
        b"v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all"
    );
    assert_eq!(txt.outcome.records().len(), 2);
}

#[test]
fn nxdomain_and_nodata() {
    if !rig("nxdomain_and_nodata") {
        return;
    }
    assert_eq!(
        ask("dns-query", "nothere.example.test", RecordType::A).outcome,
        Outcome::NxDomain
    );
    assert_eq!(
        ask("dns-query", "txtonly.example.test", RecordType::A).outcome,
        Outcome::NoData
    );
    assert_eq!(
        ask("dns-query", "_domainkey.example.test", RecordType::Txt).outcome,
        Outcome::NoData
    );
}

#[test]
fn servfail_refused_and_timeout() {
    if !rig("servfail_refused_and_timeout") {
        return;
    }
    assert_eq!(
        failure(&ask("dns-query", "servfail.fault.test", RecordType::A)),
        &Failure::ServFail
    );
    assert_eq!(
        failure(&ask("dns-query", "refused.fault.test", RecordType::Txt)),
        &Failure::Refused
    );
    assert_eq!(
        ask("dns-query", "ok.fault.test", RecordType::A).outcome.records().len(),
        1
    );
    let started = Instant::now();
    let doh = DohResolver::new(vec![url("dns-query")]).with_timeout(Duration::from_millis(400));
    let lookup = block_on(doh.lookup("timeout.fault.test", RecordType::A));
    let elapsed = started.elapsed();
    assert_eq!(failure(&lookup), &Failure::Timeout);
    assert!(
        elapsed >= Duration::from_millis(350) && elapsed < Duration::from_millis(1500),
        "{elapsed:?}"
    );
}

#[test]
fn http_errors() {
    if !rig("http_errors") {
        return;
    }
    for (path, status) in [
        ("http500/dns-query", 500),
        ("http503/dns-query", 503),
        ("http403/dns-query", 403),
    ] {
        assert_eq!(
            failure(&ask(path, "example.test", RecordType::A)),
            &Failure::Http { status },
            "{path}"
        );
    }
    assert_eq!(
        failure(&ask("no-such-path", "example.test", RecordType::A)),
        &Failure::Http { status: 404 }
    );
}

#[test]
fn bodies_that_are_not_dns() {
    if !rig("bodies_that_are_not_dns") {
        return;
    }
    let html = ask("html/dns-query", "example.test", RecordType::A);
    assert!(
        matches!(failure(&html), Failure::Malformed { detail } if detail.contains("HTML")),
        "{html:?}"
    );
    let badtype = ask("badtype/dns-query", "example.test", RecordType::A);
    assert!(
        matches!(failure(&badtype), Failure::Malformed { detail } if detail.contains("text/plain")),
        "{badtype:?}"
    );
    let garbage = ask("garbage/dns-query", "example.test", RecordType::A);
    assert!(matches!(failure(&garbage), Failure::Malformed { .. }), "{garbage:?}");
}

#[test]
fn network_failure() {
    if !rig("network_failure") {
        return;
    }
    // Nothing listens on port 9 of loopback.
    let lookup = ask("http://127.0.0.1:9/dns-query", "example.test", RecordType::A);
    assert!(matches!(failure(&lookup), Failure::Network { .. }), "{lookup:?}");
}

#[test]
fn fallback_to_the_next_url() {
    if !rig("fallback_to_the_next_url") {
        return;
    }
    for first in ["http500/dns-query", "garbage/dns-query", "http://127.0.0.1:9/dns-query"] {
        let doh = resolver(&[first, "dns-query"]);
        let lookup = block_on(doh.lookup("mail.example.test", RecordType::A));
        assert_eq!(
            lookup.outcome,
            Outcome::Records(vec![RData::A(Ipv4Addr::new(192, 0, 2, 25))]),
            "{first}"
        );
    }
    // SERVFAIL moves on too; the second resolver here fails the same way, so it is reported.
    let doh = resolver(&["dns-query", "http503/dns-query"]);
    assert_eq!(
        failure(&block_on(doh.lookup("servfail.fault.test", RecordType::A))),
        &Failure::Http { status: 503 }
    );
    // An answer is final: NXDOMAIN from the first does not reach the failing second.
    let doh = resolver(&["dns-query", "http500/dns-query"]);
    assert_eq!(
        block_on(doh.lookup("nothere.example.test", RecordType::A)).outcome,
        Outcome::NxDomain
    );
    // Every URL failing: the last failure is reported.
    let doh = resolver(&["http403/dns-query", "http500/dns-query"]);
    assert_eq!(
        failure(&block_on(doh.lookup("example.test", RecordType::A))),
        &Failure::Http { status: 500 }
    );
}

#[test]
fn cname_following() {
    if !rig("cname_following") {
        return;
    }
    let www = ask("dns-query", "www.example.test", RecordType::A);
    assert_eq!(www.cnames, ["web.example.test", "mail.example.test"]);
    assert_eq!(
        www.outcome,
        Outcome::Records(vec![RData::A(Ipv4Addr::new(192, 0, 2, 25))])
    );
    let cname = ask("dns-query", "www.example.test", RecordType::Cname);
    assert_eq!(
        cname.outcome,
        Outcome::Records(vec![RData::Cname("web.example.test".into())])
    );
    assert_eq!(
        failure(&ask("dns-query", "loop1.example.test", RecordType::A)),
        &Failure::CnameLoop
    );
}

#[test]
fn latency_route() {
    if !rig("latency_route") {
        return;
    }
    let started = Instant::now();
    let lookup = ask("delay50/dns-query", "mail.example.test", RecordType::A);
    assert_eq!(lookup.outcome.records().len(), 1);
    assert!(
        started.elapsed() >= Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn cache_sends_one_query_for_concurrent_identical_lookups() {
    if !rig("cache_sends_one_query_for_concurrent_identical_lookups") {
        return;
    }
    let cache = Cache::new(resolver(&["delay50/dns-query"]));
    let (first, second) = block_on(join(
        cache.lookup("example.test", RecordType::Mx),
        cache.lookup("EXAMPLE.test.", RecordType::Mx),
    ));
    assert_eq!(first.outcome.records().len(), 2);
    assert_eq!(first, second);
    assert_eq!(cache.queries_sent(), 1);
    assert_eq!(cache.cache_hits(), 1);
    // Different questions run concurrently through the same cache.
    let started = Instant::now();
    let (a, b) = block_on(join(
        cache.lookup("mail.example.test", RecordType::A),
        cache.lookup("ns1.example.test", RecordType::A),
    ));
    assert_eq!(a.outcome.records().len() + b.outcome.records().len(), 2);
    assert_eq!(cache.queries_sent(), 3);
    assert!(
        started.elapsed() < Duration::from_millis(95),
        "the two queries overlapped: {:?}",
        started.elapsed()
    );
}
