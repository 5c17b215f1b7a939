//! Unit tests of `crate::ip`, compiled only under `#[cfg(test)]` (declared so in `mod.rs`).
//! Unit tests over the rig's own fixture zones (tests/rig/zones/), answered offline by a
//! ZoneResolver: the same data tests/ip.rs asks NSD for, so both must agree.

use std::cell::RefCell;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::future::FutureExt;
use crate::future::LocalBoxFuture;

use super::*;
use crate::dns::block::block_on;
use crate::dns::{Failure, Lookup, ZoneResolver};

const ZONES: &[&str] = &[
    include_str!("../../tests/rig/zones/2.0.192.in-addr.arpa.zone"),
    include_str!("../../tests/rig/zones/8.b.d.0.1.0.0.2.ip6.arpa.zone"),
    include_str!("../../tests/rig/zones/sender.test.zone"),
    include_str!("../../tests/rig/zones/isp.test.zone"),
    include_str!("../../tests/rig/zones/zen.spamhaus.org.zone"),
    include_str!("../../tests/rig/zones/dbl.spamhaus.org.zone"),
    include_str!("../../tests/rig/zones/b.barracudacentral.org.zone"),
    include_str!("../../tests/rig/zones/bl.spamcop.net.zone"),
    include_str!("../../tests/rig/zones/dnsbl-1.uceprotect.net.zone"),
    include_str!("../../tests/rig/zones/psbl.surriel.com.zone"),
    include_str!("../../tests/rig/zones/multi.surbl.org.zone"),
    include_str!("../../tests/rig/zones/multi.uribl.com.zone"),
];

#[derive(Debug, PartialEq, Eq)]
enum Event {
    Start(String, RecordType),
    End(String, RecordType),
}

/// The fixture zones, plus the faults the rig makes outside NSD's zones: REFUSED for the list
/// NSD does not serve, SERVFAIL below servfail.fault.test (dnsdist). Every lookup is recorded
/// and yields once before answering, so tests can see what ran at the same time.
struct Fixture {
    zone: ZoneResolver,
    faults: Vec<(String, Failure)>,
    events: RefCell<Vec<Event>>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            zone: ZoneResolver::from_text(&ZONES.join("\n"), None),
            faults: vec![
                ("bl.mailspike.net".into(), Failure::Refused),
                ("servfail.fault.test".into(), Failure::ServFail),
            ],
            events: RefCell::new(Vec::new()),
        }
    }

    fn with_fault(mut self, suffix: &str, failure: Failure) -> Fixture {
        self.faults.push((suffix.into(), failure));
        self
    }

    fn asked(&self) -> Vec<(String, RecordType)> {
        self.events
            .borrow()
            .iter()
            .filter_map(|e| match e {
                Event::Start(name, rtype) => Some((name.clone(), *rtype)),
                Event::End(..) => None,
            })
            .collect()
    }
}

struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Resolver for Fixture {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        async move {
            let name = normalize_name(name);
            self.events.borrow_mut().push(Event::Start(name.clone(), rtype));
            YieldOnce(false).await;
            let fault = self
                .faults
                .iter()
                .find(|(suffix, _)| name == *suffix || name.ends_with(&format!(".{suffix}")));
            let lookup = match fault {
                Some((_, failure)) => Lookup::new(&name, rtype, Outcome::Failed(failure.clone())),
                None => self.zone.answer(&name, rtype),
            };
            self.events.borrow_mut().push(Event::End(name, rtype));
            lookup
        }
        .boxed_local()
    }
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn check(text: &str) -> IpReport {
    block_on(check_ip(&Fixture::new(), ip(text)))
}

fn codes(report: &IpReport) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code).collect()
}

fn list<'a>(lists: &'a [Blocklist], zone: &str) -> &'a Blocklist {
    lists
        .iter()
        .find(|l| l.zone == zone)
        .unwrap_or_else(|| panic!("no result for {zone}"))
}

fn finding<'a>(report: &'a IpReport, code: &str) -> &'a IpFinding {
    report
        .findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(report)))
}

/// The list results every IPv4 check gets from the fixtures whatever the address: Barracuda's
/// test entry is missing, Mailspike is refused.
fn assert_fixed_lists(report: &IpReport) {
    let barracuda = list(&report.blocklists, "b.barracudacentral.org");
    assert_eq!(barracuda.status, ListStatus::Unknown);
    assert!(barracuda.detail.as_deref().unwrap().starts_with(TEST_ENTRY_FAILED));
    let mailspike = list(&report.blocklists, "bl.mailspike.net");
    assert_eq!(mailspike.status, ListStatus::Refused);
    assert!(mailspike.detail.as_deref().unwrap().contains("REFUSED"));
}

#[test]
fn good_fcrdns_passes() {
    let report = check("192.0.2.10");
    assert_eq!(report.address, "192.0.2.10");
    assert_eq!(report.ptr, ["mail.sender.test"]);
    assert_eq!(report.fcrdns, Some(true));
    assert_eq!(report.status, IpStatus::Pass, "{report:#?}");
    assert_eq!(report.cause, None);
    assert_eq!(codes(&report), ["BL105", "BL104", "IP105"]);
    assert_eq!(report.blocklists.len(), 6);
    for zone in [
        "zen.spamhaus.org",
        "bl.spamcop.net",
        "dnsbl-1.uceprotect.net",
        "psbl.surriel.com",
    ] {
        let l = list(&report.blocklists, zone);
        assert_eq!(l.status, ListStatus::Clear, "{zone}");
        assert_eq!((&l.answer, &l.reason, &l.detail), (&None, &None, &None));
    }
    assert_eq!(
        list(&report.blocklists, "zen.spamhaus.org").query,
        "10.2.0.192.zen.spamhaus.org"
    );
    assert_fixed_lists(&report);
    assert_eq!(
        report.summary,
        "reverse DNS mail.sender.test is forward-confirmed; not listed on the 4 lists that answered, 2 could not be checked"
    );
}

#[test]
fn mismatch_gives_the_records_to_publish() {
    let report = check("192.0.2.20");
    assert_eq!(report.fcrdns, Some(false));
    assert_eq!(report.status, IpStatus::Fail);
    let f = finding(&report, "IP102");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.message,
        "reverse DNS mismatch.sender.test does not resolve back to 192.0.2.20: mismatch.sender.test resolves to 192.0.2.99"
    );
    assert!(f.help.starts_with("publish `mismatch.sender.test. IN A 192.0.2.20`"));
    assert!(f.help.contains("`20.2.0.192.in-addr.arpa. IN PTR mail.example.com.`"));
    assert_eq!(f.name.as_deref(), Some("mismatch.sender.test"));
    assert_eq!(report.cause.as_deref(), Some(f.message.as_str()));
    assert!(!codes(&report).contains(&"IP101"));
}

#[test]
fn several_ptrs_warn() {
    let report = check("192.0.2.30");
    assert_eq!(report.ptr, ["multi-a.sender.test", "multi-b.sender.test"]);
    assert_eq!(report.fcrdns, Some(true));
    assert_eq!(report.status, IpStatus::Warn);
    let f = finding(&report, "IP104");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f
        .help
        .contains("`30.2.0.192.in-addr.arpa. IN PTR multi-a.sender.test.`"));
    // One PTR is not "several".
    assert!(!codes(&check("192.0.2.10")).contains(&"IP104"));
}

#[test]
fn generic_ptr_and_pbl_warn() {
    let report = check("192.0.2.50");
    assert_eq!(report.ptr, ["192-0-2-50.dynamic.isp.test"]);
    assert_eq!(report.fcrdns, Some(true));
    assert_eq!(report.status, IpStatus::Warn);
    let generic = finding(&report, "IP103");
    assert_eq!(
        generic.message,
        "the PTR name 192-0-2-50.dynamic.isp.test looks generic: it contains the address as 192-0-2-50"
    );
    let zen = list(&report.blocklists, "zen.spamhaus.org");
    assert_eq!(zen.status, ListStatus::Listed);
    assert_eq!(zen.listing, Some(Listing::Policy));
    assert_eq!(zen.answer.as_deref(), Some("127.0.0.11"));
    assert!(zen.meaning.as_deref().unwrap().starts_with("Spamhaus PBL"));
    assert_eq!(
        zen.reason.as_deref(),
        Some("https://check.spamhaus.org/query/ip/192.0.2.50")
    );
    let pbl = finding(&report, "BL102");
    assert_eq!(pbl.severity, Severity::Warning);
    assert!(pbl.help.contains("should not send mail straight to MX hosts"));
    assert!(pbl.help.contains("relay"));
    assert!(!codes(&report).contains(&"BL101"));
}

#[test]
fn no_ptr_fails() {
    let report = check("192.0.2.60");
    assert!(report.ptr.is_empty());
    assert_eq!(report.fcrdns, Some(false));
    assert_eq!(report.status, IpStatus::Fail);
    let f = finding(&report, "IP101");
    assert_eq!(f.message, "192.0.2.60 has no reverse DNS (PTR record)");
    assert!(f.help.contains("`60.2.0.192.in-addr.arpa. IN PTR mail.example.com.`"));
    assert_eq!(f.name.as_deref(), Some("60.2.0.192.in-addr.arpa"));
    assert!(!codes(&report).contains(&"IP102"));
    assert_eq!(report.summary.split(';').next(), Some("no reverse DNS for 192.0.2.60"));
}

#[test]
fn sbl_listing_with_reason() {
    let report = check("192.0.2.70");
    assert_eq!(report.fcrdns, Some(true));
    assert_eq!(report.status, IpStatus::Fail);
    let zen = list(&report.blocklists, "zen.spamhaus.org");
    assert_eq!(zen.status, ListStatus::Listed);
    assert_eq!(zen.listing, Some(Listing::Abuse));
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
    let listed: Vec<_> = report.findings.iter().filter(|f| f.code == "BL101").collect();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].message, "192.0.2.70 is listed on Spamhaus ZEN (127.0.0.2)");
    assert!(listed[0].help.contains("SBL000001"));
    assert_eq!(listed[0].name.as_deref(), Some("70.2.0.192.zen.spamhaus.org"));
    assert!(report
        .summary
        .ends_with("listed on 2 of 6 lists (Spamhaus ZEN, SpamCop), 2 could not be checked"));
}

#[test]
fn spamhaus_refusal_codes_are_refused() {
    for (address, words) in [
        ("192.0.2.80", "public or open resolver"),
        ("192.0.2.81", "typing error"),
        ("192.0.2.82", "too many queries"),
    ] {
        let report = check(address);
        let zen = list(&report.blocklists, "zen.spamhaus.org");
        assert_eq!(zen.status, ListStatus::Refused, "{address}");
        assert_eq!(zen.listing, None);
        assert!(zen.detail.as_deref().unwrap().contains(words), "{address}");
        assert!(zen.answer.as_deref().unwrap().starts_with("127.255.255."));
        // A refusal is never a listing.
        assert!(!codes(&report).contains(&"BL101"));
        assert!(report
            .findings
            .iter()
            .any(|f| f.code == "BL104" && f.message == "Spamhaus ZEN refused the query, nothing was concluded"));
    }
}

#[test]
fn missing_test_entry_makes_even_a_listing_unknown() {
    let report = check("192.0.2.40");
    let barracuda = list(&report.blocklists, "b.barracudacentral.org");
    assert_eq!(barracuda.status, ListStatus::Unknown);
    assert_eq!(barracuda.answer.as_deref(), Some("127.0.0.2"));
    assert_eq!(
        barracuda.detail.as_deref(),
        Some("this resolver cannot query this list: its always-listed test entry 2.0.0.127.b.barracudacentral.org answered NXDOMAIN")
    );
    assert!(!codes(&report).contains(&"BL101"));
    let f = report.findings.iter().find(|f| f.code == "BL105").unwrap();
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("nothing was concluded"));
}

#[test]
fn failing_test_entry_and_failing_query_are_unknown() {
    let fixture = Fixture::new()
        .with_fault("2.0.0.127.bl.spamcop.net", Failure::Timeout)
        .with_fault("10.2.0.192.psbl.surriel.com", Failure::ServFail);
    let report = block_on(check_ip(&fixture, ip("192.0.2.10")));
    let spamcop = list(&report.blocklists, "bl.spamcop.net");
    assert_eq!(spamcop.status, ListStatus::Unknown);
    assert!(spamcop
        .detail
        .as_deref()
        .unwrap()
        .ends_with("2.0.0.127.bl.spamcop.net no answer before the timeout"));
    let psbl = list(&report.blocklists, "psbl.surriel.com");
    assert_eq!(psbl.status, ListStatus::Unknown);
    assert_eq!(psbl.detail.as_deref(), Some("the resolver answered SERVFAIL"));
    // Refused test entry: the list refuses this resolver.
    let fixture = Fixture::new().with_fault("2.0.0.127.zen.spamhaus.org", Failure::Refused);
    let zen = block_on(check_ip(&fixture, ip("192.0.2.10")));
    assert_eq!(list(&zen.blocklists, "zen.spamhaus.org").status, ListStatus::Refused);
}

#[test]
fn an_answer_outside_loopback_is_no_code() {
    let report = check("192.0.2.99");
    let psbl = list(&report.blocklists, "psbl.surriel.com");
    assert_eq!(psbl.status, ListStatus::Unknown);
    assert_eq!(psbl.answer.as_deref(), Some("198.51.100.1"));
    assert!(psbl.detail.as_deref().unwrap().contains("not a list code"));
}

#[test]
fn every_list_unanswered_is_unknown_not_pass() {
    let fixture = Fixture::new()
        .with_fault("spamhaus.org", Failure::Refused)
        .with_fault("spamcop.net", Failure::Refused)
        .with_fault("uceprotect.net", Failure::Refused)
        .with_fault("surriel.com", Failure::Refused);
    let report = block_on(check_ip(&fixture, ip("192.0.2.10")));
    assert_eq!(report.fcrdns, Some(true));
    assert_eq!(report.status, IpStatus::Unknown);
    assert_eq!(
        report.cause.as_deref(),
        Some("none of the 6 reputation lists could be asked")
    );
    assert!(report.summary.ends_with("no reputation list could be asked"));
}

#[test]
fn forward_failure_is_unknown() {
    let report = check("192.0.2.91");
    assert_eq!(report.ptr, ["host.servfail.fault.test"]);
    assert_eq!(report.fcrdns, None);
    assert_eq!(report.status, IpStatus::Unknown);
    let f = finding(&report, "IP106");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.help.contains("SERVFAIL"));
    assert!(report.cause.as_deref().unwrap().contains("SERVFAIL"));
    assert!(!codes(&report).contains(&"IP102"));
}

#[test]
fn ptr_failure_is_unknown() {
    let fixture = Fixture::new().with_fault("10.2.0.192.in-addr.arpa", Failure::Timeout);
    let report = block_on(check_ip(&fixture, ip("192.0.2.10")));
    assert!(report.ptr.is_empty());
    assert_eq!(report.fcrdns, None);
    assert_eq!(report.status, IpStatus::Unknown);
    assert_eq!(codes(&report)[0], "IP106");
    assert!(!codes(&report).contains(&"IP101"));
    // No forward lookup without a PTR answer.
    assert!(!fixture_asked_forward(&fixture));
}

fn fixture_asked_forward(fixture: &Fixture) -> bool {
    fixture
        .asked()
        .iter()
        .any(|(name, rtype)| *rtype == RecordType::A && name.ends_with("sender.test"))
}

#[test]
fn ipv6_good_missing_and_listed() {
    let good = check("2001:db8::25");
    assert_eq!(good.address, "2001:db8::25");
    assert_eq!(good.ptr, ["mail6.sender.test"]);
    assert_eq!(good.fcrdns, Some(true));
    // Only ZEN publishes IPv6 data.
    assert_eq!(good.blocklists.len(), 1);
    let zen = &good.blocklists[0];
    assert_eq!(zen.status, ListStatus::Clear);
    assert_eq!(
        zen.query,
        "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org"
    );
    assert_eq!(good.status, IpStatus::Pass);
    assert_eq!(
        good.summary,
        "reverse DNS mail6.sender.test is forward-confirmed; not listed on the one list that answered"
    );

    let missing = check("2001:db8::26");
    assert_eq!(missing.fcrdns, Some(false));
    let f = finding(&missing, "IP101");
    assert!(f.help.contains("IN AAAA 2001:db8::26"));
    assert!(f.name.as_deref().unwrap().ends_with(".8.b.d.0.1.0.0.2.ip6.arpa"));

    let listed = check("2001:db8::66");
    let zen = &listed.blocklists[0];
    assert_eq!(zen.status, ListStatus::Listed);
    assert_eq!(zen.answer.as_deref(), Some("127.0.0.3"));
    assert!(zen.meaning.as_deref().unwrap().starts_with("Spamhaus CSS"));
}

#[test]
fn ipv4_mapped_is_ipv4() {
    let fixture = Fixture::new();
    let mapped = block_on(check_ip(&fixture, ip("::ffff:192.0.2.10")));
    assert_eq!(mapped.address, "192.0.2.10");
    assert_eq!(mapped.ptr, ["mail.sender.test"]);
    assert_eq!(mapped.fcrdns, Some(true));
    assert_eq!(mapped.blocklists.len(), 6);
    let asked = fixture.asked();
    assert!(asked.contains(&("10.2.0.192.in-addr.arpa".into(), RecordType::Ptr)));
    assert!(asked.contains(&("mail.sender.test".into(), RecordType::A)));
    assert!(!asked
        .iter()
        .any(|(n, t)| n.ends_with("ip6.arpa") || *t == RecordType::Aaaa));
    assert_eq!(mapped, check("192.0.2.10"));
}

#[test]
fn every_report_says_inbound_smtp_is_not_needed() {
    for address in ["192.0.2.10", "192.0.2.60", "192.0.2.70", "2001:db8::26"] {
        let report = check(address);
        let f = finding(&report, "IP105");
        assert_eq!(f.severity, Severity::Info);
        assert_eq!(
            f.message,
            "the sending IP does not need to accept connections on port 25"
        );
        for words in ["RFC 5321", "MX", "replies and bounces", "Google, Yahoo or Microsoft"] {
            assert!(f.help.contains(words), "{words}");
        }
        assert_eq!(f.rule().unwrap().weight, 0);
    }
}

#[test]
fn domain_lists() {
    let fixture = Fixture::new();
    let spammy = block_on(check_domain_lists(&fixture, "Spammy.Test."));
    assert_eq!(spammy.len(), 3);
    let dbl = list(&spammy, "dbl.spamhaus.org");
    assert_eq!(dbl.kind, ListKind::Domain);
    assert_eq!(dbl.query, "spammy.test.dbl.spamhaus.org");
    assert_eq!(dbl.status, ListStatus::Listed);
    assert_eq!(dbl.answer.as_deref(), Some("127.0.1.2"));
    assert_eq!(dbl.meaning.as_deref(), Some("Spamhaus DBL: a spam domain"));
    assert!(dbl.reason.as_deref().unwrap().contains("spammy.test"));
    assert_eq!(list(&spammy, "multi.surbl.org").status, ListStatus::Clear);
    let uribl = list(&spammy, "multi.uribl.com");
    assert_eq!(uribl.status, ListStatus::Refused);
    assert_eq!(uribl.answer.as_deref(), Some("127.0.0.1"));
    // A refusal never asks for the TXT reason.
    assert_eq!(uribl.reason, None);
    let findings = list_findings("spammy.test", &spammy);
    let found: Vec<_> = findings.iter().map(|f| f.code).collect();
    assert_eq!(found, ["BL101", "BL104"]);

    let phish = block_on(check_domain_lists(&fixture, "phish.test"));
    let surbl = list(&phish, "multi.surbl.org");
    assert_eq!(surbl.status, ListStatus::Listed);
    assert_eq!(
        surbl.meaning.as_deref(),
        Some("SURBL PH: phishing sites; SURBL ABUSE: spam and abuse sites")
    );

    let grey = block_on(check_domain_lists(&fixture, "grey.test"));
    let uribl = list(&grey, "multi.uribl.com");
    assert_eq!(uribl.listing, Some(Listing::Advisory));
    assert_eq!(list_findings("grey.test", &grey)[0].code, "BL103");

    let blocked = block_on(check_domain_lists(&fixture, "blocked.test"));
    assert_eq!(list(&blocked, "dbl.spamhaus.org").status, ListStatus::Refused);

    let clean = block_on(check_domain_lists(&fixture, "clean.test"));
    assert!(clean.iter().all(|l| l.status == ListStatus::Clear));
    assert!(list_findings("clean.test", &clean).is_empty());
}

#[test]
fn an_invalid_domain_asks_nothing() {
    let fixture = Fixture::new();
    for bad in ["", "localhost", "a..b", "bad name.test", "x.-_\u{e9}.test"] {
        let lists = block_on(check_domain_lists(&fixture, bad));
        assert_eq!(lists.len(), 3);
        assert!(lists.iter().all(|l| l.status == ListStatus::Unknown), "{bad}");
    }
    assert!(fixture.asked().is_empty());
}

#[test]
fn everything_starts_at_once() {
    let fixture = Fixture::new();
    block_on(check_ip(&fixture, ip("192.0.2.70")));
    let events = fixture.events.borrow();
    let first_end = events.iter().position(|e| matches!(e, Event::End(..))).unwrap();
    let started_together: Vec<&Event> = events[..first_end].iter().collect();
    // The PTR and both questions of each of the six lists: 13 lookups before any answer.
    assert_eq!(started_together.len(), 13, "{started_together:?}");
    assert!(started_together.contains(&&Event::Start("70.2.0.192.in-addr.arpa".into(), RecordType::Ptr)));
    for spec in DEFAULT_LISTS.iter().filter(|s| s.kind == ListKind::Ip) {
        for name in [format!("70.2.0.192.{}", spec.zone), format!("2.0.0.127.{}", spec.zone)] {
            assert!(
                started_together.contains(&&Event::Start(name.clone(), RecordType::A)),
                "{name} did not start with the others"
            );
        }
    }
    // The forward lookup and the TXT reasons came after, as they need earlier answers.
    let later: Vec<&Event> = events[first_end..]
        .iter()
        .filter(|e| matches!(e, Event::Start(..)))
        .collect();
    assert_eq!(
        later,
        [
            &Event::Start("bulk.sender.test".into(), RecordType::A),
            &Event::Start("70.2.0.192.zen.spamhaus.org".into(), RecordType::Txt),
            &Event::Start("70.2.0.192.bl.spamcop.net".into(), RecordType::Txt),
        ]
    );
}

#[test]
fn only_dns_questions_about_the_address() {
    for address in ["192.0.2.10", "192.0.2.30", "192.0.2.70", "2001:db8::25"] {
        let fixture = Fixture::new();
        let report = block_on(check_ip(&fixture, ip(address)));
        let rname = reverse_name(ip(address));
        for (name, rtype) in fixture.asked() {
            let about_the_address = (name == rname && rtype == RecordType::Ptr)
                || (report.ptr.contains(&name) && matches!(rtype, RecordType::A | RecordType::Aaaa))
                || (DEFAULT_LISTS.iter().any(|s| name.ends_with(&format!(".{}", s.zone)))
                    && matches!(rtype, RecordType::A | RecordType::Txt));
            assert!(about_the_address, "{address}: unexpected question {name} {rtype}");
        }
    }
}

#[test]
fn serializes_in_snake_and_lower_case() {
    let report = check("192.0.2.50");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["status"], "warn");
    assert_eq!(json["fcrdns"], true);
    assert_eq!(json["blocklists"][0]["kind"], "ip");
    assert_eq!(json["blocklists"][0]["status"], "listed");
    assert_eq!(json["blocklists"][0]["listing"], "policy");
    assert_eq!(json["findings"][0]["severity"], "warning");
    assert_eq!(json["findings"][0]["code"], "IP103");
    let unknown = serde_json::to_value(check("192.0.2.91")).unwrap();
    assert_eq!(unknown["status"], "unknown");
    assert_eq!(unknown["fcrdns"], serde_json::Value::Null);
    assert_eq!(serde_json::to_value(check("192.0.2.60")).unwrap()["status"], "fail");
    assert_eq!(serde_json::to_value(check("192.0.2.10")).unwrap()["status"], "pass");
}

#[test]
fn rules_are_in_the_catalogue() {
    for rule in RULES {
        assert!(crate::catalogue::find(rule.code).is_some(), "{}", rule.code);
        assert!(rule.code.starts_with("IP1") || rule.code.starts_with("BL1"));
        if rule.severity == Severity::Info {
            assert_eq!(rule.weight, 0, "{}", rule.code);
        }
    }
    assert_eq!(IP_NO_PTR.weight, 5);
    assert_eq!(IP_FCRDNS_MISMATCH.weight, 5);
    assert_eq!(IP_GENERIC_PTR.weight, 2);
    assert_eq!(IP_SEVERAL_PTR.weight, 1);
    assert_eq!(BL_LISTED.weight, 15);
    assert_eq!(BL_POLICY_LISTED.weight, 5);
}
