//! The domain checks against real DNS: the fixture zones of tests/rig/zones/ served by the DoH
//! rig (NSD behind dnsdist), the same zones offline through `ZoneResolver`, the fault routes
//! and fault names of the rig, and the `sendercheck` binary (`check` and `parse`).
//!
//! Run with
//! `unshare -n bash -c 'ip link set lo up && tests/rig/start.sh && SENDERCHECK_RIG=1 cargo test --offline --test check; tests/rig/stop.sh'`.
//! Without `SENDERCHECK_RIG` the rig tests print SKIP and pass; the offline and `parse` tests
//! always run. With it set, a rig that does not answer fails every rig test.

#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sendercheck::catalogue::Area;
use sendercheck::check::{self, check_domain, normalize_domain, CheckName, Options, Report, Status};
use sendercheck::dns::block::block_on;
use sendercheck::dns::{Cache, DohResolver, Outcome, RecordType, Resolver, ZoneResolver};
use serde_json::Value;

const BASE: &str = "http://127.0.0.1:8053";
/// The time allowed for each DNS answer. Every bound below is stated in it.
const TIMEOUT: Duration = Duration::from_millis(1500);
/// Slack for the work around the lookups (threads, parsing, a debug build on a busy machine).
const SLACK: Duration = Duration::from_millis(1000);

/// The rig's zone files: the offline mode reads the very same text.
const ZONES: &[(&str, &str)] = &[
    ("model.test", include_str!("rig/zones/model.test.zone")),
    ("smallbiz.test", include_str!("rig/zones/smallbiz.test.zone")),
    ("provider.test", include_str!("rig/zones/provider.test.zone")),
    ("broken.test", include_str!("rig/zones/broken.test.zone")),
    ("parked.test", include_str!("rig/zones/parked.test.zone")),
    ("loops.test", include_str!("rig/zones/loops.test.zone")),
    // The domain reputation lists of the sending-IP fixtures: every fixture domain is clear.
    ("dbl.spamhaus.org", include_str!("rig/zones/dbl.spamhaus.org.zone")),
    ("multi.surbl.org", include_str!("rig/zones/multi.surbl.org.zone")),
    ("multi.uribl.com", include_str!("rig/zones/multi.uribl.com.zone")),
];

// ---------------------------------------------------------------------------------------------
// Harness

/// True when the rig is expected (and answering); prints SKIP and returns false otherwise.
fn rig(test: &str) -> bool {
    if std::env::var_os("SENDERCHECK_RIG").is_none() {
        eprintln!("SKIP {test}: SENDERCHECK_RIG is not set (run tests/rig/run-tests.sh to start the DoH rig)");
        return false;
    }
    static PROBE: OnceLock<Result<(), String>> = OnceLock::new();
    let probe = PROBE.get_or_init(|| {
        let doh = DohResolver::new(vec![url("dns-query")]).with_timeout(TIMEOUT);
        match block_on(doh.lookup("model.test", RecordType::Soa)).outcome {
            Outcome::Records(_) => Ok(()),
            other => Err(format!("{other:?}")),
        }
    });
    if let Err(outcome) = probe {
        panic!("SENDERCHECK_RIG is set but the rig at {BASE}/dns-query does not answer model.test SOA: {outcome}");
    }
    true
}

fn url(path: &str) -> String {
    if path.starts_with("http://") {
        path.to_string()
    } else {
        format!("{BASE}/{path}")
    }
}

/// The resolver the CLI uses: a cache over DoH, here with the test timeout.
fn doh(paths: &[&str]) -> Cache<DohResolver> {
    Cache::new(DohResolver::new(paths.iter().map(|p| url(p)).collect()).with_timeout(TIMEOUT))
}

/// Every fixture zone at once, offline.
fn offline() -> Cache<ZoneResolver> {
    let text: String = ZONES.iter().map(|(_, text)| format!("{text}\n")).collect();
    Cache::new(ZoneResolver::from_text(&text, None))
}

struct Run {
    report: Report,
    elapsed: Duration,
    /// When each check settled (its progress event), from the start.
    settled: Vec<(CheckName, Duration)>,
}

fn run_with(resolver: &dyn Resolver, domain: &str, options: &Options) -> Run {
    let domain = normalize_domain(domain).unwrap();
    let started = Instant::now();
    let settled = RefCell::new(Vec::new());
    let progress = |event: check::Progress<'_>| settled.borrow_mut().push((event.check, started.elapsed()));
    let now = || started.elapsed().as_secs_f64() * 1000.0;
    let report = block_on(check_domain(&domain, resolver, None, options, &progress, &now));
    Run {
        report,
        elapsed: started.elapsed(),
        settled: settled.into_inner(),
    }
}

fn run(resolver: &dyn Resolver, domain: &str) -> Run {
    run_with(resolver, domain, &Options::default())
}

const CHECKS: [&str; 9] = [
    "mx",
    "spf",
    "dmarc",
    "dkim",
    "mta_sts",
    "tls_rpt",
    "bimi",
    "dnssec",
    "reputation",
];

/// The status of every check, in the order of [`CHECKS`].
fn statuses(report: &Report) -> [Status; 9] {
    let c = &report.checks;
    [
        c.mx.status,
        c.spf.status,
        c.dmarc.status,
        c.dkim.status,
        c.mta_sts.status,
        c.tls_rpt.status,
        c.bimi.status,
        c.dnssec.status,
        c.reputation.status,
    ]
}

fn causes(report: &Report) -> [Option<&String>; 9] {
    let c = &report.checks;
    [
        c.mx.cause.as_ref(),
        c.spf.cause.as_ref(),
        c.dmarc.cause.as_ref(),
        c.dkim.cause.as_ref(),
        c.mta_sts.cause.as_ref(),
        c.tls_rpt.cause.as_ref(),
        c.bimi.cause.as_ref(),
        c.dnssec.cause.as_ref(),
        c.reputation.cause.as_ref(),
    ]
}

fn codes(report: &Report) -> Vec<&'static str> {
    let mut codes: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    codes
}

fn count(report: &Report, code: &str) -> usize {
    report.findings.iter().filter(|f| f.code == code).count()
}

use Status::{Fail, Missing, Pass, Unknown, Warn};

/// What a fixture domain must give, the same over DoH and offline.
struct Expect {
    domain: &'static str,
    /// mx, spf, dmarc, dkim, mta_sts, tls_rpt, bimi, dnssec, reputation (no fixture is listed).
    statuses: [Status; 9],
    /// Codes that must be among the findings.
    has: &'static [&'static str],
    /// Codes that must not be.
    lacks: &'static [&'static str],
    spf_lookups: usize,
    /// Keys found: selector, key type, bits (None for a revoked key).
    dkim: &'static [(&'static str, &'static str, Option<u32>)],
    dmarc_found_at: Option<&'static str>,
    dmarc_policy: Option<&'static str>,
}

/// Codes that say a record is missing: a failed lookup must never produce one.
const MISSING_CODES: &[&str] = &[
    "MX101",
    "SPF101",
    "DMARC101",
    "DKIM101",
    "STS101",
    "TLSRPT101",
    "BIMI101",
];

const EXPECTED: &[Expect] = &[
    Expect {
        domain: "model.test",
        // The MTA-STS policy is not fetched here (no fetcher), so the record alone passes.
        // NSD does not validate: no AD flag, DNSSEC warns for every fixture.
        statuses: [Pass, Pass, Pass, Pass, Pass, Pass, Pass, Warn, Pass],
        has: &["DNSSEC101"],
        lacks: &[
            "SPF101",
            "SPF103",
            "SPF105",
            "DMARC103",
            "DMARC104",
            "DMARC105",
            "DKIM101",
            "DKIM025",
            "STS101",
            "TLSRPT101",
            "BIMI101",
            "BIMI102",
            "DNS101",
        ],
        spf_lookups: 3,
        dkim: &[("selector1", "rsa", Some(2048)), ("selector2", "ed25519", Some(256))],
        dmarc_found_at: Some("model.test"),
        dmarc_policy: Some("reject"),
    },
    Expect {
        domain: "sub.model.test",
        statuses: [Pass, Pass, Pass, Warn, Missing, Missing, Missing, Warn, Pass],
        has: &["DMARC104", "DKIM101", "STS101", "TLSRPT101", "BIMI101"],
        lacks: &["DMARC101", "DNS101"],
        spf_lookups: 1,
        dkim: &[],
        dmarc_found_at: Some("model.test"),
        // The parent's sp=quarantine, not its p=reject.
        dmarc_policy: Some("quarantine"),
    },
    Expect {
        domain: "a.b.c.d.e.f.g.h.i.model.test",
        statuses: [Pass, Pass, Pass, Warn, Missing, Missing, Missing, Warn, Pass],
        has: &["DMARC104"],
        lacks: &["DMARC101", "DNS101"],
        spf_lookups: 1,
        dkim: &[],
        dmarc_found_at: Some("model.test"),
        dmarc_policy: Some("quarantine"),
    },
    Expect {
        domain: "smallbiz.test",
        statuses: [Pass, Pass, Warn, Warn, Missing, Missing, Missing, Warn, Pass],
        has: &["DMARC023", "DMARC105", "DKIM025", "STS101", "TLSRPT101", "BIMI101"],
        lacks: &["DKIM101", "SPF103", "DNS101", "MX105"],
        spf_lookups: 2,
        dkim: &[("google", "rsa", Some(1024))],
        dmarc_found_at: Some("smallbiz.test"),
        dmarc_policy: Some("none"),
    },
    Expect {
        domain: "broken.test",
        statuses: [Fail, Fail, Fail, Fail, Missing, Missing, Warn, Warn, Pass],
        has: &[
            "MX107",
            "MX105",
            "SPF005",
            "SPF019",
            "SPF103",
            "DMARC021",
            "DKIM021",
            "BIMI102",
            "STS101",
            "TLSRPT101",
        ],
        // The typo is reported once, by the parser, not again by the tree walk.
        lacks: &["SPF105", "DNS101"],
        spf_lookups: 17,
        dkim: &[("selector1", "rsa", None)],
        dmarc_found_at: Some("broken.test"),
        dmarc_policy: None,
    },
    Expect {
        domain: "twospf.broken.test",
        statuses: [Pass, Fail, Fail, Warn, Missing, Missing, Missing, Warn, Pass],
        has: &["SPF102", "DMARC021", "DMARC104"],
        lacks: &["SPF101", "DNS101"],
        spf_lookups: 0,
        dkim: &[],
        dmarc_found_at: Some("broken.test"),
        dmarc_policy: None,
    },
    Expect {
        domain: "parked.test",
        statuses: [Pass, Pass, Pass, Warn, Missing, Missing, Missing, Warn, Pass],
        has: &["MX103"],
        lacks: &["MX101", "SPF101", "DMARC101", "DNS101"],
        spf_lookups: 0,
        dkim: &[],
        dmarc_found_at: Some("parked.test"),
        dmarc_policy: Some("reject"),
    },
    Expect {
        domain: "loops.test",
        // One MX host is a CNAME loop (a host without an address), the other is fine.
        // The 8192-bit DKIM key is read, and is over the 4096 bits verifiers must accept.
        statuses: [Fail, Fail, Pass, Warn, Missing, Missing, Missing, Warn, Pass],
        has: &["MX107", "SPF105", "DKIM034"],
        // A CNAME loop is the domain's own data, not a lookup that failed; nor is it an alias.
        lacks: &["MX105", "DNS101", "SPF101"],
        spf_lookups: 3,
        // 4137 bytes in 17 strings: more than a UDP answer holds.
        dkim: &[("selector1", "rsa", Some(8192))],
        dmarc_found_at: Some("loops.test"),
        dmarc_policy: Some("quarantine"),
    },
];

fn expect(domain: &str) -> &'static Expect {
    EXPECTED.iter().find(|e| e.domain == domain).unwrap()
}

/// Asserts everything an [`Expect`] says about a report; `how` names the resolver.
fn assert_expected(expect: &Expect, report: &Report, how: &str) {
    let d = expect.domain;
    let got = statuses(report);
    for (i, name) in CHECKS.iter().enumerate() {
        assert_eq!(
            got[i], expect.statuses[i],
            "{d} ({how}): {name} is {:?}, expected {:?}; findings {:?}",
            got[i], expect.statuses[i], report.findings
        );
    }
    let codes = codes(report);
    for code in expect.has {
        assert!(codes.contains(code), "{d} ({how}): {code} missing from {codes:?}");
    }
    for code in expect.lacks {
        assert!(!codes.contains(code), "{d} ({how}): {code} unexpected in {codes:?}");
    }
    // No check may be unknown when every lookup was answered.
    assert!(
        causes(report).iter().all(Option::is_none),
        "{d} ({how}): {:?}",
        causes(report)
    );
    assert_eq!(
        report.checks.spf.lookups, expect.spf_lookups,
        "{d} ({how}): SPF lookups"
    );
    let keys: Vec<(&str, &str, Option<u32>)> = report
        .checks
        .dkim
        .selectors
        .iter()
        .filter(|s| s.record.is_some())
        .map(|s| {
            (
                s.selector.as_str(),
                s.key_type.as_deref().unwrap_or("?"),
                if s.revoked { None } else { s.key_bits },
            )
        })
        .collect();
    assert_eq!(keys, expect.dkim, "{d} ({how}): DKIM keys");
    assert_eq!(
        report.checks.dmarc.found_at.as_deref(),
        expect.dmarc_found_at,
        "{d} ({how}): DMARC found_at"
    );
    assert_eq!(
        report.checks.dmarc.policy.as_deref(),
        expect.dmarc_policy,
        "{d} ({how}): DMARC policy"
    );
    // The walk never asks more than 8 names, however deep the domain.
    assert!(
        report.checks.dmarc.walk.len() <= 8,
        "{d} ({how}): {:?}",
        report.checks.dmarc.walk
    );
}

/// Details beyond the table, per fixture.
fn assert_details(report: &Report, how: &str) {
    let c = &report.checks;
    match report.domain.as_str() {
        "model.test" => {
            assert_eq!(c.mx.records.len(), 2);
            assert!(
                c.mx.records.iter().all(|h| h.addresses.len() == 2 && !h.is_cname),
                "{how}"
            );
            assert_eq!(c.spf.void_lookups, 0);
            assert_eq!(c.dmarc.subdomain_policy.as_deref(), Some("quarantine"));
            assert!(
                c.dmarc.external_reports.is_empty(),
                "{how}: {:?}",
                c.dmarc.external_reports
            );
            assert_eq!(c.mta_sts.id.as_deref(), Some("20240601T000000"));
            assert_eq!(c.mta_sts.policy_status, "not_fetched");
            assert_eq!(c.tls_rpt.rua, ["mailto:tls-reports@model.test"]);
            assert_eq!(c.bimi.logo.as_deref(), Some("https://model.test/logo.svg"));
            assert!(!report.parked);
            assert!(
                report
                    .findings
                    .iter()
                    // The rig's zones are unsigned, so DNSSEC101 is the one warning a model domain gets here.
                    .all(|f| f.severity == sendercheck::diag::Severity::Info || f.code == "DNSSEC101"),
                "{how}: {:?}",
                report.findings
            );
        }
        "a.b.c.d.e.f.g.h.i.model.test" => {
            let walk = &c.dmarc.walk;
            assert_eq!(walk.len(), 8, "{walk:?}");
            assert_eq!(walk[0], "_dmarc.a.b.c.d.e.f.g.h.i.model.test");
            assert_eq!(walk[1], "_dmarc.e.f.g.h.i.model.test");
            assert_eq!(walk[6], "_dmarc.model.test");
        }
        "smallbiz.test" => {
            assert_eq!(c.dmarc.external_reports.len(), 1, "{how}");
            let external = &c.dmarc.external_reports[0];
            assert_eq!(external.domain, "reports.provider.test");
            assert_eq!(external.authorized, Some(false), "{how}");
            let finding = report.findings.iter().find(|f| f.code == "DMARC105").unwrap();
            assert_eq!(
                finding.name.as_deref(),
                Some("smallbiz.test._report._dmarc.reports.provider.test")
            );
            // The span points at the rua URI in the record.
            let (record, span) = (finding.record.as_deref().unwrap(), finding.span.unwrap());
            assert_eq!(&record[span.start..span.end], "mailto:dmarc@reports.provider.test");
            assert!(c.mx.records.iter().all(|h| h.status == Pass && !h.is_cname), "{how}");
            // A 1024-bit key warns but is usable.
            assert!(!c.dkim.summary.contains("none usable"), "{}", c.dkim.summary);
        }
        "broken.test" => {
            assert_eq!(count(report, "SPF005"), 1);
            let typo = report.findings.iter().find(|f| f.code == "SPF005").unwrap();
            let (record, span) = (typo.record.as_deref().unwrap(), typo.span.unwrap());
            assert_eq!(&record[span.start..span.end], "inlcude");
            let noaddr =
                c.mx.records
                    .iter()
                    .find(|h| h.exchange == "noaddr.broken.test")
                    .unwrap();
            assert_eq!(noaddr.status, Fail);
            let alias = c.mx.records.iter().find(|h| h.exchange == "alias.broken.test").unwrap();
            assert!(alias.is_cname && alias.status == Warn, "{alias:?}");
            // The providers' table agrees with the MX card: one host is usable, so replies
            // arrive although the MX check fails (the page probe saw "cannot receive replies").
            let replies = report
                .requirements
                .iter()
                .filter(|r| r.requirement == "The sender address can receive replies")
                .map(|r| r.status)
                .collect::<Vec<_>>();
            assert!(
                !replies.is_empty() && replies.iter().all(|s| *s == "met"),
                "{how}: {replies:?}"
            );
            assert!(c.dkim.selectors[0].revoked);
            assert!(
                report
                    .findings
                    .iter()
                    .any(|f| f.code == "BIMI102" && f.message.contains("unusable")),
                "{:?}",
                report.findings
            );
        }
        "parked.test" => {
            assert!(c.mx.null_mx);
            assert!(report.parked, "{how}");
        }
        "loops.test" => {
            let spf_loop = report.findings.iter().find(|f| f.code == "SPF105").unwrap();
            assert!(spf_loop.message.contains("loop"), "{}", spf_loop.message);
            let looped = c.mx.records.iter().find(|h| h.exchange == "cloop1.loops.test").unwrap();
            assert_eq!(looped.status, Fail);
            // The SPF record was found among 40 TXT records.
            assert_eq!(c.spf.record.as_deref(), Some("v=spf1 include:l1.loops.test -all"));
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// The fixture domains over DoH and offline

#[test]
fn fixture_domains_over_doh() {
    if !rig("fixture_domains_over_doh") {
        return;
    }
    let resolver = doh(&["dns-query"]);
    for expect in EXPECTED {
        let run = run(&resolver, expect.domain);
        assert_expected(expect, &run.report, "DoH");
        assert_details(&run.report, "DoH");
        assert!(run.elapsed < TIMEOUT, "{}: {:?}", expect.domain, run.elapsed);
        assert!(run.report.queries > 0 && run.report.critical_path >= 1);
    }
}

#[test]
fn fixture_domains_offline_from_the_same_zone_files() {
    let resolver = offline();
    for expect in EXPECTED {
        let run = run(&resolver, expect.domain);
        assert_expected(expect, &run.report, "offline");
        assert_details(&run.report, "offline");
    }
}

/// The score orders the fixtures by quality; a parked domain is judged as one.
fn assert_score_order(resolver: &dyn Resolver, how: &str) {
    let score = |domain: &str| run(resolver, domain).report;
    let (model, smallbiz, broken, parked) = (
        score("model.test"),
        score("smallbiz.test"),
        score("broken.test"),
        score("parked.test"),
    );
    // Every fixture can be judged, so each has a score.
    let points = |report: &sendercheck::check::Report| report.score.expect("a judged report has a score");
    assert!(
        points(&model) > points(&smallbiz) && points(&smallbiz) > points(&broken),
        "{how}: model {:?} smallbiz {:?} broken {:?}",
        model.score,
        smallbiz.score,
        broken.score
    );
    assert_eq!(model.grade, Some('A'), "{how}: model scores {:?}", model.score);
    assert!(
        broken.grade == Some('F') || broken.grade == Some('D'),
        "{how}: broken {:?}",
        broken.grade
    );
    assert_eq!(model.unknown_points, 0.0);
    // Parked: a high score; no DKIM key, MTA-STS, TLS-RPT or BIMI is not held against it.
    assert!(parked.parked);
    assert!(points(&parked) >= 90, "{how}: parked scores {:?}", parked.score);
    assert!(
        parked
            .areas
            .iter()
            .all(|a| a.area != Area::TransportSecurity && a.area != Area::Brand),
        "{how}: {:?}",
        parked.areas
    );
    let auth = parked.areas.iter().find(|a| a.area == Area::Authentication).unwrap();
    assert_eq!(
        auth.earned, auth.max,
        "{how}: DKIM101 counted against a parked domain: {auth:?}"
    );
    // The same records without the Null MX are not parked, and lose points for what is absent.
    let smallbiz_auth = smallbiz.areas.iter().find(|a| a.area == Area::Authentication).unwrap();
    assert!(smallbiz_auth.lost > 0.0);
}

#[test]
fn score_order_over_doh() {
    if !rig("score_order_over_doh") {
        return;
    }
    assert_score_order(&doh(&["dns-query"]), "DoH");
}

#[test]
fn score_order_offline() {
    assert_score_order(&offline(), "offline");
}

#[test]
fn given_selectors_and_sending_ips() {
    let resolver = offline();
    let options = Options {
        ips: vec!["192.0.2.7".parse().unwrap(), "203.0.113.9".parse().unwrap()],
        selectors: vec!["s2024".into(), "Selector1".into()],
        ..Options::default()
    };
    let report = run_with(&resolver, "model.test", &options).report;
    // Every IP gets its own result: the first is in _spf.model.test, the second nowhere.
    let results: Vec<(String, &str)> = report
        .checks
        .ip
        .iter()
        .flatten()
        .map(|ip| (ip.address.clone(), ip.spf_result.map_or("?", |r| r.as_str())))
        .collect();
    assert_eq!(
        results,
        [("192.0.2.7".to_string(), "pass"), ("203.0.113.9".to_string(), "fail")]
    );
    let spf106: Vec<&String> = report
        .findings
        .iter()
        .filter(|f| f.code == "SPF106")
        .map(|f| &f.message)
        .collect();
    assert_eq!(spf106.len(), 1, "{spf106:?}");
    assert!(spf106[0].contains("203.0.113.9"));
    // The port-25 statement is the same for every IP: once, not once per IP.
    assert_eq!(count(&report, "IP105"), 1);
    assert_eq!(report.checks.spf.status, Fail);
    // The SPF check keeps the result of the first IP.
    assert_eq!(report.checks.spf.result.map(|r| r.as_str()), Some("pass"));
    // A given selector without a key is a finding; a given one with a key is found.
    let missing: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.code == "DKIM102")
        .map(|f| f.name.as_deref().unwrap())
        .collect();
    assert_eq!(missing, ["s2024._domainkey.model.test"]);
    assert_eq!(report.checks.dkim.status, Fail);
    let given: Vec<(&str, bool)> = report
        .checks
        .dkim
        .selectors
        .iter()
        .filter(|s| s.given)
        .map(|s| (s.selector.as_str(), s.record.is_some()))
        .collect();
    assert_eq!(given, [("s2024", false), ("selector1", true)]);
    // Both keys are still found, and no DKIM101 is added to DKIM102.
    assert_eq!(count(&report, "DKIM101"), 0);
    assert_eq!(
        report
            .checks
            .dkim
            .selectors
            .iter()
            .filter(|s| s.record.is_some())
            .count(),
        2
    );

    // Without the missing selector: pass again.
    let options = Options {
        selectors: vec!["selector1".into()],
        ..Options::default()
    };
    let report = run_with(&resolver, "model.test", &options).report;
    assert_eq!(report.checks.dkim.status, Pass);
    assert_eq!(count(&report, "DKIM102"), 0);
}

// ---------------------------------------------------------------------------------------------
// Faults

/// A report where every lookup of the domain's names failed: every check unknown with a
/// cause, nothing "missing". `reputation` is what the list check gives: unknown when the
/// resolver itself fails, but right when only the domain's own names fail (the lists answer).
fn assert_all_unknown(report: &Report, how: &str, reputation: Status) {
    let mut expected = [Unknown; 9];
    expected[8] = reputation;
    assert_eq!(statuses(report), expected, "{how}: {:?}", report.findings);
    for (name, cause) in CHECKS.iter().zip(causes(report)).take(8) {
        assert!(cause.is_some_and(|c| !c.is_empty()), "{how}: {name} has no cause");
    }
    let codes = codes(report);
    for code in MISSING_CODES {
        assert!(!codes.contains(code), "{how}: {code} from a failed lookup: {codes:?}");
    }
    assert!(codes.contains(&"DNS101"), "{how}: {codes:?}");
    if reputation == Unknown {
        assert!(
            (report.unknown_points - 100.0).abs() < 0.2,
            "{how}: {}",
            report.unknown_points
        );
        // Nothing could be judged: no score, rather than a 0 that blames the domain.
        assert_eq!((report.score, report.grade), (None, None), "{how}");
    } else {
        assert!(report.unknown_points > 50.0, "{how}: {}", report.unknown_points);
        // Only the reputation lists answered: too little to grade the domain on (it was
        // "A, 100" from 5.9 points).
        assert_eq!((report.score, report.grade), (None, None), "{how}");
    }
    assert!(!report.parked);
}

fn assert_settled_within(run: &Run, bound: Duration, how: &str) {
    assert_eq!(run.settled.len(), CHECKS.len(), "{how}: {:?}", run.settled);
    for (check, at) in &run.settled {
        assert!(*at < bound, "{how}: {check:?} settled after {at:?}");
    }
    assert!(run.elapsed < bound, "{how}: {:?}", run.elapsed);
}

#[test]
fn fault_routes_make_every_check_unknown() {
    if !rig("fault_routes_make_every_check_unknown") {
        return;
    }
    for path in [
        "http500/dns-query",
        "http503/dns-query",
        "http403/dns-query",
        "html/dns-query",
        "badtype/dns-query",
        "garbage/dns-query",
        // Nothing listens on port 9: connection refused.
        "http://127.0.0.1:9/dns-query",
    ] {
        let run = run(&doh(&[path]), "model.test");
        assert_all_unknown(&run.report, path, Unknown);
        // These fail at once; nothing waits for a timeout.
        assert_settled_within(&run, TIMEOUT, path);
        let failure = run.report.findings.iter().find(|f| f.code == "DNS101").unwrap();
        let expected = match path {
            "http500/dns-query" => "HTTP 500",
            "http503/dns-query" => "HTTP 503",
            "http403/dns-query" => "HTTP 403",
            "html/dns-query" => "HTML",
            "badtype/dns-query" => "text/plain",
            "garbage/dns-query" => "malformed",
            _ => "network error",
        };
        assert!(failure.message.contains(expected), "{path}: {}", failure.message);
    }
}

#[test]
fn fault_names_make_every_check_unknown() {
    if !rig("fault_names_make_every_check_unknown") {
        return;
    }
    let resolver = doh(&["dns-query"]);
    for (domain, text) in [
        ("servfail.fault.test", "SERVFAIL"),
        ("refused.fault.test", "REFUSED"),
        ("timeout.fault.test", "timeout"),
    ] {
        let run = run(&resolver, domain);
        assert_all_unknown(&run.report, domain, Pass);
        assert!(
            run.report.findings.iter().any(|f| f.message.contains(text)),
            "{domain}: {:?}",
            run.report.findings
        );
        // Each check waits for at most one timeout: a timed-out `_domainkey` is not followed
        // by a dozen selector lookups that would time out too.
        assert_settled_within(&run, TIMEOUT + SLACK, domain);
    }
}

#[test]
fn name_faults_affect_only_their_checks() {
    if !rig("name_faults_affect_only_their_checks") {
        return;
    }
    // slow.loops.test: the MX host SERVFAILs, an SPF include times out, the DMARC report
    // destination answers REFUSED. Everything else answers.
    let run = run(&doh(&["dns-query"]), "slow.loops.test");
    let report = &run.report;
    let c = &report.checks;
    assert_eq!(
        statuses(report),
        [Unknown, Unknown, Warn, Warn, Missing, Pass, Missing, Warn, Pass],
        "{:?}",
        report.findings
    );
    assert!(c.mx.cause.is_some() && c.spf.cause.is_some());
    assert!(
        c.spf.cause.as_deref().unwrap().contains("spf.timeout.fault.test"),
        "{:?}",
        c.spf.cause
    );
    assert!(
        report.findings.iter().any(|f| f.code == "DNS101"
            && f.message.contains("mx.servfail.fault.test")
            && f.message.contains("SERVFAIL")),
        "{:?}",
        report.findings
    );
    // Unknown is never reported as missing.
    let codes = codes(report);
    for code in ["MX101", "MX107", "SPF101", "DMARC101", "DMARC105"] {
        assert!(!codes.contains(&code), "{code} in {codes:?}");
    }
    // The policy itself is known; the authorization of the external destination is not.
    assert_eq!(c.dmarc.policy.as_deref(), Some("reject"));
    assert_eq!(c.dmarc.external_reports.len(), 1);
    assert_eq!(c.dmarc.external_reports[0].authorized, None);
    assert_eq!(c.tls_rpt.rua, ["mailto:tls@loops.test"]);
    assert!(report.unknown_points > 0.0);
    // Only SPF waited for the timeout, once.
    assert_settled_within(&run, TIMEOUT + SLACK, "slow.loops.test");
    let mx_at = run.settled.iter().find(|(c, _)| *c == CheckName::Mx).unwrap().1;
    assert!(mx_at < TIMEOUT, "MX waited for the SPF timeout: {mx_at:?}");
}

#[test]
fn fallback_resolver_gives_the_right_result() {
    if !rig("fallback_resolver_gives_the_right_result") {
        return;
    }
    for first in ["http://127.0.0.1:9/dns-query", "http500/dns-query", "garbage/dns-query"] {
        for domain in ["model.test", "broken.test"] {
            let run = run(&doh(&[first, "dns-query"]), domain);
            assert_expected(expect(domain), &run.report, first);
            assert!(run.elapsed < TIMEOUT, "{first}: {:?}", run.elapsed);
        }
    }
    // The fallback is not asked when the first resolver answers.
    let run = run(&doh(&["dns-query", "http500/dns-query"]), "parked.test");
    assert_expected(expect("parked.test"), &run.report, "first answers");
}

// ---------------------------------------------------------------------------------------------
// The binary: `sendercheck check`

fn sendercheck(args: &[&str], stdin: &[u8]) -> Output {
    run_sendercheck(args, stdin, false)
}

/// Runs the binary with `stdin` as its input; with `close_stdout`, as a reader that has gone
/// away (`| head`) would leave it.
fn run_sendercheck(args: &[&str], stdin: &[u8], close_stdout: bool) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sendercheck"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if close_stdout {
        drop(child.stdout.take());
    }
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn status_of(report: &Value, check: &str) -> String {
    report["checks"][check]["status"].as_str().unwrap().to_string()
}

/// The fields the README promises for `check --json`.
fn assert_report_shape(report: &Value) {
    assert_eq!(report["domain"], "model.test");
    for check in CHECKS {
        let status = report["checks"][check]["status"]
            .as_str()
            .unwrap_or_else(|| panic!("{check}"));
        assert!(
            ["pass", "warn", "fail", "missing", "unknown"].contains(&status),
            "{check}: {status}"
        );
    }
    let spf = &report["checks"]["spf"];
    assert_eq!(
        spf["record"],
        "v=spf1 mx include:_spf.model.test include:_spf-bulk.model.test -all"
    );
    assert_eq!(spf["lookups"], 3);
    assert_eq!(spf["void_lookups"], 0);
    assert_eq!(spf["tree"]["domain"], "model.test");
    assert_eq!(spf["tree"]["children"].as_array().unwrap().len(), 2, "{}", spf["tree"]);
    let dmarc = &report["checks"]["dmarc"];
    assert!(dmarc["record"].as_str().unwrap().starts_with("v=DMARC1; p=reject"));
    assert_eq!(dmarc["found_at"], "model.test");
    assert_eq!(dmarc["policy"], "reject");
    let selectors: Vec<(String, String, u64)> = report["checks"]["dkim"]["selectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["selector"].as_str().unwrap().to_string(),
                s["key_type"].as_str().unwrap().to_string(),
                s["key_bits"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        selectors,
        [
            ("selector1".to_string(), "rsa".to_string(), 2048),
            ("selector2".to_string(), "ed25519".to_string(), 256)
        ]
    );
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for finding in findings {
        for field in ["code", "severity", "check", "message", "help"] {
            assert!(finding[field].is_string(), "{field} in {finding}");
        }
    }
    assert!(report["queries"].as_u64().unwrap() > 10);
    assert!(report["critical_path"].as_u64().unwrap() >= 2);
    assert!(report["score"].as_u64().unwrap() >= 90, "{}", report["score"]);
    assert_eq!(report["grade"], "A");
    assert!(report["areas"].is_array() && report["requirements"].is_array());
}

#[test]
fn cli_check_offline_with_no_server() {
    // No rig is needed, and none is used: --offline reads only the zone file.
    let output = sendercheck(
        &[
            "check",
            "model.test",
            "--zone",
            "tests/rig/zones/model.test.zone",
            "--offline",
            "--doh",
            "http://127.0.0.1:9/dns-query",
            "--json",
        ],
        b"",
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    assert_report_shape(&report);
    let expected = expect("model.test");
    for (check, status) in CHECKS.iter().zip(expected.statuses) {
        if *check == "reputation" {
            continue;
        }
        assert_eq!(
            status_of(&report, check),
            serde_json::to_value(status).unwrap(),
            "{check}"
        );
    }
    // The zone file holds no reputation lists: offline they cannot be asked, and that is
    // unknown, not clear.
    assert_eq!(status_of(&report, "reputation"), "unknown");
    assert!(report["checks"]["reputation"]["cause"].is_string());
    assert_eq!(report["checks"]["mta_sts"]["policy_status"], "not_fetched");
    assert_eq!(report["resolvers"], serde_json::json!(["zone file (offline)"]));

    // The human report ends with the score.
    let output = sendercheck(
        &[
            "check",
            "model.test",
            "--zone",
            "tests/rig/zones/model.test.zone",
            "--offline",
        ],
        b"",
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Score: "), "{text}");
    assert!(text.contains("/100, grade A"), "{text}");
    assert!(text.contains("  authentication "), "{text}");
    assert!(text.contains("selector1            rsa 2048 bits"), "{text}");

    // A broken domain exits 1 (an error-severity finding); offline it needs its zone only.
    let output = sendercheck(
        &[
            "check",
            "broken.test",
            "--zone",
            "tests/rig/zones/broken.test.zone",
            "--offline",
            "--json",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(status_of(&json(&output), "spf"), "fail");
}

#[test]
fn cli_check_over_doh() {
    if !rig("cli_check_over_doh") {
        return;
    }
    let doh_url = url("dns-query");
    let output = sendercheck(
        &[
            "check",
            "model.test",
            "--doh",
            &doh_url,
            "--timeout-ms",
            "1500",
            "--json",
        ],
        b"",
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let online = json(&output);
    assert_report_shape(&online);
    assert_eq!(online["resolvers"], serde_json::json!([doh_url]));
    let offline = json(&sendercheck(
        &[
            "check",
            "model.test",
            "--zone",
            "tests/rig/zones/model.test.zone",
            "--offline",
            "--json",
        ],
        b"",
    ));
    assert_eq!(status_of(&online, "reputation"), "pass");
    for check in CHECKS {
        if check == "mta_sts" || check == "reputation" {
            continue;
        }
        assert_eq!(status_of(&online, check), status_of(&offline, check), "{check}");
    }
    // Online the CLI fetches the MTA-STS policy; https://mta-sts.model.test/ cannot be reached
    // from the rig, and that is said, not hidden.
    assert_eq!(online["checks"]["mta_sts"]["policy_status"], "failed");
    assert_eq!(status_of(&online, "mta_sts"), "warn");

    // Every check unknown: the human report does not pretend to score it.
    let output = sendercheck(
        &[
            "check",
            "model.test",
            "--doh",
            &url("http500/dns-query"),
            "--timeout-ms",
            "1500",
        ],
        b"",
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Score: not judged"), "{text}");
    assert!(!text.contains("missing"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// The binary: `sendercheck parse`

/// Runs `parse` on `input` in text and JSON form; checks the exit code is 0 or 1, agrees with
/// the diagnostics, and that nothing panicked. Returns the exit code.
fn parse_exit(kind: Option<&str>, input: &[u8]) -> i32 {
    let mut args = vec!["parse"];
    if let Some(kind) = kind {
        args.extend(["--type", kind]);
    }
    let text = sendercheck(&args, input);
    args.push("--json");
    let as_json = sendercheck(&args, input);
    let shown = String::from_utf8_lossy(&input[..input.len().min(80)]).into_owned();
    for output in [&text, &as_json] {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{shown:?}: {stderr}");
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{shown:?}: {:?} {stderr}",
            output.status
        );
    }
    assert_eq!(text.status.code(), as_json.status.code(), "{shown:?}");
    let result = json(&as_json);
    let mut severities: Vec<&str> = result["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .chain(
            result["records"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|r| r["diagnostics"].as_array().unwrap()),
        )
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    severities.sort_unstable();
    let code = as_json.status.code().unwrap();
    assert_eq!(
        code == 1,
        severities.contains(&"error"),
        "{shown:?}: exit {code}, {severities:?}"
    );
    code
}

#[test]
fn cli_parse_exit_codes() {
    const KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC848PMQXuR6V4Tbj3Wb2TN/4Qon0v8ch1WoS0v5wC4/2FXHaH5g7xNwtIwgfE7kxkSqv1LnS4tUrpHjWcXJhtCkT9wkI0FOVFzKHRc7Gy7vYSFMUCnojiVVQjxY6bnyPLIIP2l/D++0awe+XCWQsjFZ+CHW5Lo/lQ/bdrUcYEU/QIDAQAB";
    // (kind, input, expected exit code): typos in every tag and mechanism, duplicated tags,
    // wrong separators, stray whitespace, uppercase, non-ASCII.
    let cases: Vec<(Option<&str>, String, i32)> = vec![
        (None, "v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all".into(), 0),
        (None, "v=spf1 ip4:192.0.2.0/24 -all\n".into(), 0),
        (None, "v=spf1 -all\r\n".into(), 0),
        (None, "v=spf1 inlcude:_spf.example.com -all".into(), 1),
        (None, "v=spf1 ipv4:192.0.2.1 -all".into(), 1),
        (None, "v=spf1 ip4:192.0.2.300 -all".into(), 1),
        (None, "v=spf1 ip6:2001:db8::/129 -all".into(), 1),
        (None, "v=spf1 a:/33 -all".into(), 1),
        (None, "v=spf1 ptrr -all".into(), 1),
        (None, "v=spf1 exist:%{i}.x.example.com -all".into(), 1),
        (None, "v=spf1 redirct=_spf.example.com".into(), 0),
        (None, "v=spf1 redirect=a.example.com redirect=b.example.com".into(), 1),
        (None, "v=spf1 -al".into(), 1),
        (None, "v=spf1 +all".into(), 1),
        (None, "v=spf1,ip4:192.0.2.1,-all".into(), 1),
        (None, "v=spf1;ip4:192.0.2.1;-all".into(), 1),
        // A record starts with exactly `v=spf1` (RFC 7208 §4.5): leading space is an error,
        // runs of spaces between terms and at the end are not.
        (None, "  v=spf1   ip4:192.0.2.1    -all  ".into(), 1),
        (None, "v=spf1   ip4:192.0.2.1    -all  ".into(), 0),
        (None, "V=SPF1 IP4:192.0.2.1 -ALL".into(), 0),
        (None, "v=spf1 ïnclude:x.example.com -all".into(), 1),
        (None, "v=spf1 include:exämple.com -all".into(), 1),
        (None, "v=spf1 include:x.example.com\u{200b} -all".into(), 1),
        (None, "v=DMARC1; p=reject; rua=mailto:d@example.com".into(), 0),
        (None, "v=DMARC1; p=rejct".into(), 1),
        // Without a usable p=, receivers apply none (RFC 9989): a warning, not an error.
        (None, "v=DMARC1; pp=reject".into(), 0),
        (Some("dmarc"), "v=DMARC1; p=reject; sp=quarantin".into(), 1),
        // Bad values of the other tags are ignored by receivers, which use the default: warnings.
        (Some("dmarc"), "v=DMARC1; p=reject; pct=1000".into(), 0),
        (Some("dmarc"), "v=DMARC1; p=reject; rua=d@example.com".into(), 0),
        (Some("dmarc"), "v=DMARC1; p=reject; adkim=x".into(), 0),
        (Some("dmarc"), "v=DMARC1; p=reject; aspf=strict".into(), 0),
        (Some("dmarc"), "v=DMARC1; p=reject; fo=2".into(), 0),
        (Some("dmarc"), "v=DMARC1; p=reject; ri=daily".into(), 0),
        (Some("dmarc"), "v=DMARC1; p=reject; p=none".into(), 1),
        (Some("dmarc"), "v=DMARC1, p=reject".into(), 1),
        (Some("dmarc"), "v=DMARC1: p=reject".into(), 1),
        (Some("dmarc"), "V=DMARC1; P=REJECT".into(), 0),
        (Some("dmarc"), "  v=DMARC1 ;  p = reject ; ".into(), 0),
        (Some("dmarc"), "v=DMARC1; p=rejéct".into(), 1),
        (Some("dkim"), format!("v=DKIM1; k=rsa; p={KEY}"), 0),
        (Some("dkim"), format!("v=DKIM1; k=rza; p={KEY}"), 1),
        (Some("dkim"), format!("v=DKIM2; k=rsa; p={KEY}"), 1),
        (Some("dkim"), format!("v=DKIM1; k=rsa; k=rsa; p={KEY}"), 1),
        (Some("dkim"), format!("v=DKIM1, k=rsa, p={KEY}"), 1),
        (Some("dkim"), "v=DKIM1; k=rsa; p=notbase64!!".into(), 1),
        (Some("bimi"), "v=BIMI1; l=https://example.com/logo.svg".into(), 0),
        (Some("bimi"), "v=BIMI1; l=http://example.com/logo.svg".into(), 1),
        (Some("mta-sts"), "v=STSv1; id=20240101T000000".into(), 0),
        (Some("mta-sts"), "v=STSv1; id=".into(), 1),
        (Some("mta-sts"), "v=STSv1; id=abc!def".into(), 1),
        (Some("tlsrpt"), "v=TLSRPTv1; rua=mailto:tls@example.com".into(), 0),
        (Some("tlsrpt"), "v=TLSRPTv1; rua=tls@example.com".into(), 1),
        (
            None,
            "example.com. IN MX 10 mail.example.com.\nexample.com. IN TXT \"v=spf1 inlcude:x.example.com -all\"\n"
                .into(),
            1,
        ),
        (None, "example.com. 300 IN TXT \"v=spf1 -all\"\n".into(), 0),
        // Several records one per line: the second has the error.
        (None, "v=spf1 -all\nv=spf1 +all\n".into(), 1),
        (None, String::new(), 0),
        (None, "\n\n   \n".into(), 0),
    ];
    let mut wrong = Vec::new();
    for (kind, input, expected) in &cases {
        let code = parse_exit(*kind, input.as_bytes());
        if code != *expected {
            wrong.push(format!("{kind:?} {input:?}: exit {code}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn cli_parse_survives_hostile_bytes() {
    // 10 KB of deterministic garbage: control bytes, NUL, invalid UTF-8, quotes, semicolons.
    let mut state: u32 = 0x2545_f491;
    let garbage: Vec<u8> = (0..10 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let mut inputs: Vec<(Option<&str>, Vec<u8>)> = vec![
        (None, garbage.clone()),
        (Some("spf"), [b"v=spf1 ".as_slice(), &garbage].concat()),
        (Some("dmarc"), [b"v=DMARC1; p=".as_slice(), &garbage].concat()),
        (Some("dkim"), [b"v=DKIM1; p=".as_slice(), &garbage].concat()),
        (Some("zone"), garbage.clone()),
        (None, vec![0xff, 0xfe, 0x00, b'v', b'=']),
        (None, b"v=spf1 \xc3 -all".to_vec()),
        (None, "\u{feff}v=spf1 -all".as_bytes().to_vec()),
    ];
    // Printable garbage too, one long line and many short ones.
    let printable: Vec<u8> = garbage.iter().map(|b| b' ' + b % 95).collect();
    inputs.push((None, printable.clone()));
    inputs.push((
        None,
        printable
            .chunks(70)
            .flat_map(|c| c.iter().copied().chain([b'\n']))
            .collect(),
    ));
    for (kind, input) in &inputs {
        parse_exit(*kind, input);
    }
}

/// The record line and the caret line of the first diagnostic in text output, as chars.
fn caret_under(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let caret = lines
        .iter()
        .position(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("{output}"));
    let record: Vec<char> = lines[caret - 1].chars().collect();
    let marks: Vec<char> = lines[caret].chars().collect();
    marks
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '^')
        .filter_map(|(i, _)| record.get(i))
        .collect()
}

#[test]
fn cli_parse_carets_sit_under_the_text() {
    for (kind, input, under, origin) in [
        (
            None,
            "v=spf1 inlcude:_spf.example.com -all\n",
            "inlcude",
            "stdin (spf):1:8",
        ),
        (None, "v=spf1 ip4:192.0.2.1 +all", "+all", "stdin (spf):1:22"),
        (
            Some("dmarc"),
            "v=DMARC1; p=rejct; rua=mailto:d@example.com",
            "rejct",
            "stdin (dmarc):1:13",
        ),
        (
            Some("dkim"),
            "v=DKIM1; k=rza; p=MIGfMA0GCSqGSIb3DQEB",
            "rza",
            "stdin (dkim):1:12",
        ),
        // After a two-byte character the caret still lands under the right column.
        (None, "v=spf1 include:exämple.com ptrr -all", "ptrr", ""),
        // The second of two records: at its line and column of the pasted text, so an editor
        // can jump there (it was `stdin:2 (spf):1:22`).
        (
            None,
            "v=spf1 -all\nv=spf1 ip4:192.0.2.1 +all\n",
            "+all",
            "stdin:2:22 (spf)",
        ),
    ] {
        let mut args = vec!["parse", "--color", "never"];
        if let Some(kind) = kind {
            args.extend(["--type", kind]);
        }
        let output = sendercheck(&args, input.as_bytes());
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if under == "ptrr" {
            // The non-ASCII byte is reported first; find the ptrr diagnostic's block.
            let block = text
                .split("\n\n")
                .find(|b| b.contains("ptrr") && b.contains('^') && !b.contains("SPF013"))
                .unwrap_or_else(|| panic!("{text}"));
            assert_eq!(caret_under(block), under, "{text}");
            continue;
        }
        assert_eq!(caret_under(&text), under, "{input:?}\n{text}");
        assert!(text.contains(&format!("--> {origin}")), "{input:?}\n{text}");
    }
}

/// A domain whose DMARC record repeats `p`, offline: its zone text, for the library and the CLI.
const DUPLICATE_TAG_ZONE: &str = "$ORIGIN dup.test.\n$TTL 300\n@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )\n@ IN MX 10 mx\n@ IN TXT \"v=spf1 mx -all\"\n_dmarc IN TXT \"v=DMARC1; p=none; p=reject\"\n";

#[test]
fn findings_carry_the_related_place_of_their_diagnostic() {
    let resolver = Cache::new(ZoneResolver::from_text(DUPLICATE_TAG_ZONE, None));
    let report = run(&resolver, "dup.test").report;
    let finding = report
        .findings
        .iter()
        .find(|f| f.code == "DMARC005")
        .unwrap_or_else(|| panic!("{:#?}", report.findings));
    let record = finding.record.as_deref().unwrap();
    let slice = |span: sendercheck::diag::Span| &record[span.start..span.end];
    assert_eq!(slice(finding.span.unwrap()), "p=reject");
    assert_eq!(slice(finding.related.unwrap()), "p=none");
    assert_eq!(finding.related_label, Some(sendercheck::diag::RelatedLabel::FirstOne));
    let json = serde_json::to_value(finding).unwrap();
    assert_eq!(json["related"], serde_json::json!({ "start": 10, "end": 16 }));
    assert_eq!(json["related_label"], "the first one");
    // A finding without a second place has neither field.
    let other = report.findings.iter().find(|f| f.related.is_none()).unwrap();
    let json = serde_json::to_value(other).unwrap();
    assert!(
        json.get("related").is_none() && json.get("related_label").is_none(),
        "{json}"
    );
}

#[test]
fn cli_shows_the_related_place_in_parse_and_check_output() {
    let output = sendercheck(&["parse", "--color", "never"], b"v=DMARC1; p=none; p=reject\n");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let block = text
        .split("\n\n")
        .find(|b| b.contains("DMARC005"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        block.contains(
            "1 | v=DMARC1; p=none; p=reject\n  |           ------  ^^^^^^^^\n  = note: the first one is at 1:11\n"
        ),
        "{block}"
    );

    // The report's findings are drawn the same way.
    let dir = std::env::temp_dir().join(format!("sendercheck-related-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zone = dir.join("dup.test.zone");
    std::fs::write(&zone, DUPLICATE_TAG_ZONE).unwrap();
    let output = sendercheck(
        &[
            "check",
            "dup.test",
            "--zone",
            zone.to_str().unwrap(),
            "--offline",
            "--color",
            "never",
        ],
        b"",
    );
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        text.contains("  --> _dmarc.dup.test:1:19\n  |\n1 | v=DMARC1; p=none; p=reject\n  |           ------  ^^^^^^^^\n  = note: the first one is at 1:11\n"),
        "{text}"
    );
}

/// A reader that stops early (`sendercheck parse big.txt | head`) closes the pipe; the CLI
/// stops writing quietly, where `print!` panicked (exit 134 and a panic message on stderr).
#[test]
fn cli_output_into_a_closed_pipe_is_no_panic() {
    // Far more output than a pipe buffer holds, so the writes meet the closed pipe.
    let records = "v=spf1 +all ptr include:a..b ?all\n".repeat(3_000);
    for (args, stdin) in [
        (&["parse", "-"][..], records.as_bytes()),
        (&["parse", "--json", "-"][..], records.as_bytes()),
        (&["rules"][..], &b""[..]),
    ] {
        let output = run_sendercheck(args, stdin, true);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            output.status.code().is_some_and(|code| code <= 1),
            "{args:?}: {:?} {stderr}",
            output.status
        );
    }
}

/// An SPF evaluation that meets a failed lookup (temperror) is no verdict on the sending IP:
/// no SPF106 "not authorised" with advice to edit the record, and the SPF check is unknown
/// with the DNS cause, as it is without sending IPs. (The page probe saw "Fail" here.)
#[test]
fn a_temperror_for_a_sending_ip_is_unknown_not_a_fail() {
    // The record passes 192.0.2.0/24 first, then includes a name whose lookup fails (a
    // CNAME loop, which the zone resolver answers as a failed lookup, as a resolver would).
    let zone = "$ORIGIN tempfail.test.\n\
        @ 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 include:_spf.tempfail.test -all\"\n\
        @ 300 IN MX 10 mail\nmail 300 IN A 192.0.2.1\n\
        _spf 300 IN CNAME loop1\nloop1 300 IN CNAME loop2\nloop2 300 IN CNAME loop1\n";
    let resolver = Cache::new(ZoneResolver::from_text(zone, None));
    let options = Options {
        ips: vec!["192.0.2.20".parse().unwrap(), "2001:db8::25".parse().unwrap()],
        ..Options::default()
    };
    let report = run_with(&resolver, "tempfail.test", &options).report;
    let results: Vec<&str> = report
        .checks
        .ip
        .iter()
        .flatten()
        .map(|ip| ip.spf_result.map_or("?", |r| r.as_str()))
        .collect();
    assert_eq!(results, ["pass", "temperror"]);
    assert_eq!(count(&report, "SPF106"), 0, "{:#?}", report.findings);
    assert_eq!(report.checks.spf.status, Unknown);
    let cause = report.checks.spf.cause.as_deref().unwrap_or_default();
    assert!(cause.contains("_spf.tempfail.test"), "{cause}");
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.help.contains("authorise the sending IP")),
        "{:#?}",
        report.findings
    );
}
