//! The sending-IP checks against the real rig (tests/rig/): NSD serves the reverse zones, the
//! PTR targets and fake reputation lists under their real names, behind dnsdist's DoH.
//!
//! Run with `tests/rig/run-tests.sh` (it runs this file too). Without `SENDERCHECK_RIG` every
//! rig test prints SKIP and passes; with it set, a rig that does not answer fails every test.
//! The tests run in a network namespace with loopback only, so the list names never leave the
//! machine.

#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use sendercheck::dns::block::block_on;
use sendercheck::dns::{DohResolver, Lookup, Outcome, RecordType, Resolver};
use sendercheck::ip::{
    check_domain_lists, check_ip, list_findings, Blocklist, IpReport, IpStatus, ListStatus, Listing, DEFAULT_LISTS,
    TEST_ENTRY_FAILED,
};

const DOH: &str = "http://127.0.0.1:8053/dns-query";

/// True when the rig is expected (and answering); prints SKIP and returns false otherwise.
fn rig(test: &str) -> bool {
    if std::env::var_os("SENDERCHECK_RIG").is_none() {
        eprintln!("SKIP {test}: SENDERCHECK_RIG is not set (run tests/rig/run-tests.sh to start the DoH rig)");
        return false;
    }
    static PROBE: OnceLock<Result<(), String>> = OnceLock::new();
    let probe = PROBE.get_or_init(|| {
        let lookup = block_on(doh().lookup("2.0.192.in-addr.arpa", RecordType::Soa));
        match lookup.outcome {
            Outcome::Records(_) => Ok(()),
            other => Err(format!("{other:?}")),
        }
    });
    if let Err(outcome) = probe {
        panic!("SENDERCHECK_RIG is set but the rig at {DOH} does not serve the sending-IP zones: {outcome}");
    }
    true
}

fn doh() -> DohResolver {
    DohResolver::new(vec![DOH.to_string()]).with_timeout(Duration::from_millis(2000))
}

/// Passes every question to the DoH resolver and records it: the only way `check_ip` can
/// learn anything is through this.
struct Recorder {
    inner: DohResolver,
    asked: RefCell<Vec<(String, RecordType)>>,
}

impl Resolver for Recorder {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        self.asked.borrow_mut().push((name.to_string(), rtype));
        self.inner.lookup(name, rtype)
    }
}

fn recorder() -> Recorder {
    Recorder {
        inner: doh(),
        asked: RefCell::new(Vec::new()),
    }
}

fn check(address: &str) -> IpReport {
    let ip: IpAddr = address.parse().unwrap();
    block_on(check_ip(&doh(), ip))
}

fn list<'a>(lists: &'a [Blocklist], zone: &str) -> &'a Blocklist {
    lists
        .iter()
        .find(|l| l.zone == zone)
        .unwrap_or_else(|| panic!("no result for {zone}"))
}

fn codes(report: &IpReport) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code).collect()
}

#[test]
fn fcrdns_good() {
    if !rig("fcrdns_good") {
        return;
    }
    let report = check("192.0.2.10");
    assert_eq!(report.ptr, ["mail.sender.test"]);
    assert_eq!(report.fcrdns, Some(true));
    assert_eq!(report.status, IpStatus::Pass, "{report:#?}");
    for zone in [
        "zen.spamhaus.org",
        "bl.spamcop.net",
        "dnsbl-1.uceprotect.net",
        "psbl.surriel.com",
    ] {
        assert_eq!(list(&report.blocklists, zone).status, ListStatus::Clear, "{zone}");
    }
    assert_eq!(codes(&report), ["BL105", "BL104", "IP105"]);
}

#[test]
fn fcrdns_mismatch() {
    if !rig("fcrdns_mismatch") {
        return;
    }
    let report = check("192.0.2.20");
    assert_eq!(report.fcrdns, Some(false));
    assert_eq!(report.status, IpStatus::Fail);
    let f = report.findings.iter().find(|f| f.code == "IP102").unwrap();
    assert!(f.message.contains("mismatch.sender.test resolves to 192.0.2.99"));
    assert!(f.help.contains("`mismatch.sender.test. IN A 192.0.2.20`"));
}

#[test]
fn no_ptr() {
    if !rig("no_ptr") {
        return;
    }
    let report = check("192.0.2.60");
    assert!(report.ptr.is_empty());
    assert_eq!(report.fcrdns, Some(false));
    assert!(codes(&report).contains(&"IP101"));
    assert_eq!(report.status, IpStatus::Fail);
    let v6 = check("2001:db8::26");
    assert!(codes(&v6).contains(&"IP101"));
}

#[test]
fn ipv6_good_and_mapped() {
    if !rig("ipv6_good_and_mapped") {
        return;
    }
    let report = check("2001:db8::25");
    assert_eq!(report.ptr, ["mail6.sender.test"]);
    assert_eq!(report.fcrdns, Some(true));
    assert_eq!(report.blocklists.len(), 1);
    assert_eq!(report.blocklists[0].status, ListStatus::Clear);
    let mapped = check("::ffff:192.0.2.10");
    assert_eq!(mapped.address, "192.0.2.10");
    assert_eq!(mapped.fcrdns, Some(true));
    let listed = check("2001:db8::66");
    assert_eq!(listed.blocklists[0].status, ListStatus::Listed);
    assert_eq!(listed.blocklists[0].answer.as_deref(), Some("127.0.0.3"));
}

#[test]
fn generic_ptr_and_pbl() {
    if !rig("generic_ptr_and_pbl") {
        return;
    }
    let report = check("192.0.2.50");
    assert_eq!(report.ptr, ["192-0-2-50.dynamic.isp.test"]);
    assert_eq!(report.fcrdns, Some(true));
    assert_eq!(report.status, IpStatus::Warn);
    assert!(codes(&report).contains(&"IP103"));
    let zen = list(&report.blocklists, "zen.spamhaus.org");
    assert_eq!(zen.status, ListStatus::Listed);
    assert_eq!(zen.listing, Some(Listing::Policy));
    assert_eq!(zen.answer.as_deref(), Some("127.0.0.11"));
    assert!(codes(&report).contains(&"BL102"));
    assert!(!codes(&report).contains(&"BL101"));
}

#[test]
fn several_ptrs() {
    if !rig("several_ptrs") {
        return;
    }
    let report = check("192.0.2.30");
    let mut ptr = report.ptr.clone();
    ptr.sort();
    assert_eq!(ptr, ["multi-a.sender.test", "multi-b.sender.test"]);
    assert_eq!(report.fcrdns, Some(true));
    assert!(codes(&report).contains(&"IP104"));
    assert_eq!(report.status, IpStatus::Warn);
}

#[test]
fn forward_lookup_servfail_is_unknown() {
    if !rig("forward_lookup_servfail_is_unknown") {
        return;
    }
    let report = check("192.0.2.91");
    assert_eq!(report.ptr, ["host.servfail.fault.test"]);
    assert_eq!(report.fcrdns, None);
    assert_eq!(report.status, IpStatus::Unknown);
    assert!(codes(&report).contains(&"IP106"));
}

#[test]
fn listed_with_meaning_and_reason() {
    if !rig("listed_with_meaning_and_reason") {
        return;
    }
    let report = check("192.0.2.70");
    assert_eq!(report.status, IpStatus::Fail);
    let zen = list(&report.blocklists, "zen.spamhaus.org");
    assert_eq!(zen.status, ListStatus::Listed);
    assert_eq!(zen.answer.as_deref(), Some("127.0.0.2"));
    assert_eq!(
        zen.meaning.as_deref(),
        Some("Spamhaus SBL: a known spam source or spam operation")
    );
    assert_eq!(
        zen.reason.as_deref(),
        Some("https://check.spamhaus.org/sbl/query/SBL000001")
    );
    let spamcop = list(&report.blocklists, "bl.spamcop.net");
    assert_eq!(spamcop.status, ListStatus::Listed);
    assert!(spamcop.reason.as_deref().unwrap().contains("192.0.2.70"));
    assert_eq!(report.findings.iter().filter(|f| f.code == "BL101").count(), 2);
}

#[test]
fn refusal_codes_and_rcode_refused() {
    if !rig("refusal_codes_and_rcode_refused") {
        return;
    }
    for (address, words) in [
        ("192.0.2.80", "public or open resolver"),
        ("192.0.2.81", "typing error"),
        ("192.0.2.82", "too many queries"),
    ] {
        let report = check(address);
        let zen = list(&report.blocklists, "zen.spamhaus.org");
        assert_eq!(zen.status, ListStatus::Refused, "{address}");
        assert!(zen.detail.as_deref().unwrap().contains(words), "{address}");
        assert!(!codes(&report).contains(&"BL101"));
        // bl.mailspike.net is not served: NSD answers REFUSED.
        let mailspike = list(&report.blocklists, "bl.mailspike.net");
        assert_eq!(mailspike.status, ListStatus::Refused);
        assert!(mailspike.detail.as_deref().unwrap().contains("REFUSED"));
    }
    let domains = block_on(check_domain_lists(&doh(), "spammy.test"));
    let uribl = list(&domains, "multi.uribl.com");
    assert_eq!(uribl.status, ListStatus::Refused);
    assert_eq!(uribl.answer.as_deref(), Some("127.0.0.1"));
    let blocked = block_on(check_domain_lists(&doh(), "blocked.test"));
    assert_eq!(list(&blocked, "dbl.spamhaus.org").status, ListStatus::Refused);
}

#[test]
fn missing_test_entry_is_unknown() {
    if !rig("missing_test_entry_is_unknown") {
        return;
    }
    // 192.0.2.40 is listed on the fake Barracuda, but its test entry is missing.
    let report = check("192.0.2.40");
    let barracuda = list(&report.blocklists, "b.barracudacentral.org");
    assert_eq!(barracuda.status, ListStatus::Unknown);
    assert_eq!(barracuda.answer.as_deref(), Some("127.0.0.2"));
    assert!(barracuda.detail.as_deref().unwrap().starts_with(TEST_ENTRY_FAILED));
    assert!(!codes(&report).contains(&"BL101"));
    // An answer outside 127/8 is no list code.
    let psbl = check("192.0.2.99");
    assert_eq!(list(&psbl.blocklists, "psbl.surriel.com").status, ListStatus::Unknown);
}

#[test]
fn domain_lists_listed_and_clear() {
    if !rig("domain_lists_listed_and_clear") {
        return;
    }
    let spammy = block_on(check_domain_lists(&doh(), "spammy.test"));
    let dbl = list(&spammy, "dbl.spamhaus.org");
    assert_eq!(dbl.status, ListStatus::Listed);
    assert_eq!(dbl.meaning.as_deref(), Some("Spamhaus DBL: a spam domain"));
    assert!(dbl.reason.as_deref().unwrap().contains("spammy.test"));
    assert_eq!(list(&spammy, "multi.surbl.org").status, ListStatus::Clear);
    let codes: Vec<_> = list_findings("spammy.test", &spammy).iter().map(|f| f.code).collect();
    assert_eq!(codes, ["BL101", "BL104"]);
    let phish = block_on(check_domain_lists(&doh(), "phish.test"));
    assert_eq!(
        list(&phish, "multi.surbl.org").meaning.as_deref(),
        Some("SURBL PH: phishing sites; SURBL ABUSE: spam and abuse sites")
    );
    let grey = block_on(check_domain_lists(&doh(), "grey.test"));
    assert_eq!(list(&grey, "multi.uribl.com").listing, Some(Listing::Advisory));
    let clean = block_on(check_domain_lists(&doh(), "clean.test"));
    assert!(clean.iter().all(|l| l.status == ListStatus::Clear), "{clean:#?}");
}

/// Every question went through the resolver, and every question was a PTR, A, AAAA or TXT
/// question about the address: its reverse name, its PTR names, or a list entry.
#[test]
fn only_dns_questions_through_the_resolver() {
    if !rig("only_dns_questions_through_the_resolver") {
        return;
    }
    for address in ["192.0.2.10", "192.0.2.30", "192.0.2.70", "2001:db8::25"] {
        let resolver = recorder();
        let ip: IpAddr = address.parse().unwrap();
        let report = block_on(check_ip(&resolver, ip));
        let asked = resolver.asked.borrow();
        assert!(!asked.is_empty());
        let rname = sendercheck::ip::reverse_name(ip);
        for (name, rtype) in asked.iter() {
            let ok = match rtype {
                RecordType::Ptr => *name == rname,
                RecordType::A | RecordType::Aaaa => {
                    report.ptr.contains(name) || DEFAULT_LISTS.iter().any(|s| name.ends_with(&format!(".{}", s.zone)))
                }
                RecordType::Txt => DEFAULT_LISTS.iter().any(|s| name.ends_with(&format!(".{}", s.zone))),
                _ => false,
            };
            assert!(ok, "{address}: unexpected question {name} {rtype}");
        }
        // PTR + forward + two per list + a TXT per listing: nothing else.
        let listed = report
            .blocklists
            .iter()
            .filter(|l| l.status == ListStatus::Listed)
            .count();
        let expected = 1 + report.ptr.len() + 2 * report.blocklists.len() + listed;
        assert_eq!(asked.len(), expected, "{address}: {asked:?}");
    }
}

/// No other I/O path: the sending-IP code names no socket, HTTP client or browser fetch, so
/// the resolver it is given is the only way out.
#[test]
fn the_ip_module_has_no_network_code() {
    let sources = [
        ("mod.rs", include_str!("../src/ip/mod.rs")),
        ("lists.rs", include_str!("../src/ip/lists.rs")),
        ("reverse.rs", include_str!("../src/ip/reverse.rs")),
        ("rules.rs", include_str!("../src/ip/rules.rs")),
    ];
    for (file, text) in sources {
        for forbidden in [
            "TcpStream",
            "UdpSocket",
            "TcpListener",
            "std::net::Socket",
            "ToSocketAddrs",
            "ureq",
            "web_sys",
            "js_sys",
            "fetch(",
            "DohResolver",
        ] {
            assert!(!text.contains(forbidden), "src/ip/{file} mentions {forbidden}");
        }
    }
}
