//! DNS reputation lists (DNSBL, RFC 5782): the curated default table and the logic that turns
//! answers into `listed`, `clear`, `refused` or `unknown`.
//!
//! The rule that keeps this honest: a list is only believed when its documented always-listed
//! test entry comes back listed through the same resolver. Public resolvers (Google, Cloudflare,
//! the DoH servers a browser uses) are refused or silently answered NXDOMAIN by several lists,
//! which looks exactly like "not listed"; the test entry tells the two apart.

use std::net::Ipv4Addr;

use crate::future::join;
use serde::Serialize;

use crate::dns::{Failure, Outcome, RData, RecordType, Resolver};

/// What a list holds: sending IP addresses, or domain names (right-hand-side lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    Ip,
    Domain,
}

/// The verdict for one list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListStatus {
    /// The list answered a listing code, and its test entry works.
    Listed,
    /// NXDOMAIN (or no A record), and the test entry works.
    Clear,
    /// The list refused this resolver (a refusal code or rcode REFUSED): nothing concluded.
    Refused,
    /// The lookup failed, the answer was not a list code, or the test entry did not come back
    /// listed: nothing concluded.
    Unknown,
}

/// How much a listing weighs, from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Listing {
    /// A lower-confidence or automated listing the list itself says may hold legitimate
    /// senders (URIBL grey and red).
    Advisory,
    /// A policy listing, not a spam listing: the range is end-user space that should not send
    /// straight to MX hosts (Spamhaus PBL).
    Policy,
    /// Evidence of spam, abuse or compromise.
    Abuse,
}

/// One documented answer code of a list.
#[derive(Clone, Copy, Debug)]
pub struct ListCode {
    /// The A answer (for bitmask lists, 127.0.0.<bit>).
    pub answer: [u8; 4],
    /// The sub-list's short name, e.g. `SBL`.
    pub label: &'static str,
    /// What the list documents the code as meaning.
    pub meaning: &'static str,
    pub listing: Listing,
}

/// How a list encodes listings in its A answers.
#[derive(Clone, Copy, Debug)]
pub enum Codes {
    /// Each answer address is one code (several A records for several sub-lists).
    Exact(&'static [ListCode]),
    /// One answer whose last octet is a sum of bits, one per sub-list (SURBL, URIBL).
    Bitmask(&'static [ListCode]),
}

/// One reputation list.
#[derive(Clone, Copy, Debug)]
pub struct ListSpec {
    /// The DNS zone queried, e.g. `zen.spamhaus.org`.
    pub zone: &'static str,
    /// Display name.
    pub name: &'static str,
    pub kind: ListKind,
    /// Whether the list publishes IPv6 data (nibble form, RFC 5782 §2.4).
    pub ipv6: bool,
    /// The always-listed entry, without the zone: `2.0.0.127` for IP lists (RFC 5782 §5),
    /// the list's test domain for domain lists.
    pub test_entry: &'static str,
    pub codes: Codes,
    /// Answers that mean "not answering you", with what each means.
    pub refusals: &'static [([u8; 4], &'static str)],
    /// The list's documentation of its codes.
    pub source: &'static str,
    /// Where a listed address or domain is looked up and removal requested.
    pub lookup: &'static str,
}

const fn code(answer: [u8; 4], label: &'static str, meaning: &'static str, listing: Listing) -> ListCode {
    ListCode {
        answer,
        label,
        meaning,
        listing,
    }
}

/// Spamhaus answers these to queries it will not serve; they apply to ZEN and the DBL alike.
const SPAMHAUS_REFUSALS: &[([u8; 4], &str)] = &[
    (
        [127, 255, 255, 252],
        "Spamhaus refused the query: typing error in the DNSBL name",
    ),
    (
        [127, 255, 255, 254],
        "Spamhaus refused the query: it came through a public or open resolver",
    ),
    (
        [127, 255, 255, 255],
        "Spamhaus refused the query: too many queries from this resolver",
    ),
];

/// The default lists: the ones the big mailbox providers' own help pages and the common
/// checkers (MXToolbox, Spamhaus, multirbl) point senders to, kept to one query each so a check
/// stays quick. Each row cites the page its codes come from.
pub static DEFAULT_LISTS: &[ListSpec] = &[
    ListSpec {
        zone: "zen.spamhaus.org",
        name: "Spamhaus ZEN",
        kind: ListKind::Ip,
        ipv6: true,
        test_entry: "2.0.0.127",
        codes: Codes::Exact(&[
            code([127, 0, 0, 2], "SBL", "Spamhaus SBL: a known spam source or spam operation", Listing::Abuse),
            code([127, 0, 0, 3], "CSS", "Spamhaus CSS: low-reputation mail, often snowshoe spam or a compromised account", Listing::Abuse),
            code([127, 0, 0, 4], "XBL", "Spamhaus XBL: the address is infected, hijacked or an open proxy (exploits list)", Listing::Abuse),
            code([127, 0, 0, 5], "XBL", "Spamhaus XBL: the address is infected, hijacked or an open proxy (exploits list)", Listing::Abuse),
            code([127, 0, 0, 6], "XBL", "Spamhaus XBL: the address is infected, hijacked or an open proxy (exploits list)", Listing::Abuse),
            code([127, 0, 0, 7], "XBL", "Spamhaus XBL: the address is infected, hijacked or an open proxy (exploits list)", Listing::Abuse),
            code([127, 0, 0, 9], "DROP", "Spamhaus DROP: a hijacked or criminal network (Do Not Route Or Peer)", Listing::Abuse),
            code([127, 0, 0, 10], "PBL", "Spamhaus PBL (listed by the network's owner): an end-user range that should not send mail straight to MX hosts", Listing::Policy),
            code([127, 0, 0, 11], "PBL", "Spamhaus PBL (listed by Spamhaus): an end-user range that should not send mail straight to MX hosts", Listing::Policy),
        ]),
        refusals: SPAMHAUS_REFUSALS,
        source: "https://docs.spamhaus.com/datasets/docs/source/40-real-world-usage/PublicMirrors/MTAs/020-Postfix.html",
        lookup: "https://check.spamhaus.org/",
    },
    ListSpec {
        zone: "dbl.spamhaus.org",
        name: "Spamhaus DBL",
        kind: ListKind::Domain,
        ipv6: false,
        test_entry: "dbltest.com",
        codes: Codes::Exact(&[
            code([127, 0, 1, 2], "DBL", "Spamhaus DBL: a spam domain", Listing::Abuse),
            code([127, 0, 1, 4], "DBL", "Spamhaus DBL: a phishing domain", Listing::Abuse),
            code([127, 0, 1, 5], "DBL", "Spamhaus DBL: a malware domain", Listing::Abuse),
            code([127, 0, 1, 6], "DBL", "Spamhaus DBL: a botnet command-and-control domain", Listing::Abuse),
            code([127, 0, 1, 102], "DBL", "Spamhaus DBL: an abused legitimate domain used in spam", Listing::Abuse),
            code([127, 0, 1, 103], "DBL", "Spamhaus DBL: an abused legitimate domain used as a spammed redirector", Listing::Abuse),
            code([127, 0, 1, 104], "DBL", "Spamhaus DBL: an abused legitimate domain used for phishing", Listing::Abuse),
            code([127, 0, 1, 105], "DBL", "Spamhaus DBL: an abused legitimate domain serving malware", Listing::Abuse),
            code([127, 0, 1, 106], "DBL", "Spamhaus DBL: an abused legitimate domain used for botnet command and control", Listing::Abuse),
        ]),
        refusals: SPAMHAUS_REFUSALS,
        source: "https://docs.spamhaus.com/datasets/docs/source/10-data-type-documentation/datasets/030-datasets.html",
        lookup: "https://check.spamhaus.org/",
    },
    ListSpec {
        zone: "b.barracudacentral.org",
        name: "Barracuda Reputation Block List",
        kind: ListKind::Ip,
        ipv6: false,
        test_entry: "2.0.0.127",
        codes: Codes::Exact(&[code(
            [127, 0, 0, 2],
            "BRBL",
            "Barracuda BRBL: the address sent spam or has poor reputation",
            Listing::Abuse,
        )]),
        refusals: &[],
        source: "https://www.barracudacentral.org/rbl/how-to-use",
        lookup: "https://www.barracudacentral.org/lookups",
    },
    ListSpec {
        zone: "bl.spamcop.net",
        name: "SpamCop",
        kind: ListKind::Ip,
        ipv6: false,
        test_entry: "2.0.0.127",
        codes: Codes::Exact(&[code(
            [127, 0, 0, 2],
            "SCBL",
            "SpamCop: recipients reported spam from the address in the last days",
            Listing::Abuse,
        )]),
        refusals: &[],
        source: "https://www.spamcop.net/fom-serve/cache/291.html",
        lookup: "https://www.spamcop.net/bl.shtml",
    },
    ListSpec {
        zone: "dnsbl-1.uceprotect.net",
        name: "UCEPROTECT level 1",
        kind: ListKind::Ip,
        ipv6: false,
        test_entry: "2.0.0.127",
        codes: Codes::Exact(&[code(
            [127, 0, 0, 2],
            "L1",
            "UCEPROTECT level 1: the address itself sent mail to spam traps",
            Listing::Abuse,
        )]),
        refusals: &[],
        source: "https://www.uceprotect.net/en/index.php?m=6&s=11",
        lookup: "https://www.uceprotect.net/en/rblcheck.php",
    },
    ListSpec {
        zone: "psbl.surriel.com",
        name: "PSBL",
        kind: ListKind::Ip,
        ipv6: false,
        test_entry: "2.0.0.127",
        codes: Codes::Exact(&[code(
            [127, 0, 0, 2],
            "PSBL",
            "PSBL: the address sent mail to the list's spam traps",
            Listing::Abuse,
        )]),
        refusals: &[],
        source: "https://psbl.org/",
        lookup: "https://psbl.org/",
    },
    ListSpec {
        zone: "bl.mailspike.net",
        name: "Mailspike",
        kind: ListKind::Ip,
        ipv6: false,
        test_entry: "2.0.0.127",
        codes: Codes::Exact(&[
            code([127, 0, 0, 2], "Z", "Mailspike: the address takes part in a distributed spam wave", Listing::Abuse),
            code([127, 0, 0, 10], "L5", "Mailspike reputation L5: worst possible reputation", Listing::Abuse),
            code([127, 0, 0, 11], "L4", "Mailspike reputation L4: very bad reputation", Listing::Abuse),
            code([127, 0, 0, 12], "L3", "Mailspike reputation L3: bad reputation", Listing::Abuse),
        ]),
        refusals: &[],
        source: "https://mailspike.org/usage.html",
        lookup: "https://mailspike.org/iplookup.html",
    },
    ListSpec {
        zone: "multi.surbl.org",
        name: "SURBL",
        kind: ListKind::Domain,
        ipv6: false,
        test_entry: "test.surbl.org",
        codes: Codes::Bitmask(&[
            code([127, 0, 0, 8], "PH", "SURBL PH: phishing sites", Listing::Abuse),
            code([127, 0, 0, 16], "MW", "SURBL MW: malware sites", Listing::Abuse),
            code([127, 0, 0, 64], "ABUSE", "SURBL ABUSE: spam and abuse sites", Listing::Abuse),
            code([127, 0, 0, 128], "CR", "SURBL CR: cracked (compromised) sites", Listing::Abuse),
        ]),
        refusals: &[(
            [127, 0, 0, 1],
            "SURBL refused the query: this resolver is blocked (public resolver or too many queries)",
        )],
        source: "https://www.surbl.org/guidelines",
        lookup: "https://www.surbl.org/surbl-analysis",
    },
    ListSpec {
        zone: "multi.uribl.com",
        name: "URIBL",
        kind: ListKind::Domain,
        ipv6: false,
        test_entry: "test.uribl.com",
        codes: Codes::Bitmask(&[
            code([127, 0, 0, 2], "black", "URIBL black: a domain belonging to and used by spammers", Listing::Abuse),
            code([127, 0, 0, 4], "grey", "URIBL grey: a domain seen in bulk mail, may honour opt-outs (the list warns of false positives)", Listing::Advisory),
            code([127, 0, 0, 8], "red", "URIBL red: a very young or whois-private domain active in mail flow (automated)", Listing::Advisory),
        ]),
        refusals: &[(
            [127, 0, 0, 1],
            "URIBL refused the query: this resolver is blocked (public resolver or too many queries)",
        )],
        source: "https://uribl.com/about.shtml",
        lookup: "https://admin.uribl.com/",
    },
];

/// The result of checking one list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Blocklist {
    pub zone: String,
    /// Display name.
    pub name: String,
    pub kind: ListKind,
    /// The name asked, e.g. `1.2.0.192.zen.spamhaus.org`.
    pub query: String,
    pub status: ListStatus,
    /// How serious the listing is (set when `listed`).
    pub listing: Option<Listing>,
    /// The A answer(s), comma-separated, e.g. `127.0.0.2`.
    pub answer: Option<String>,
    /// The list's documented meaning of the answer.
    pub meaning: Option<String>,
    /// The list's TXT record at the same name (asked only when listed).
    pub reason: Option<String>,
    /// Why the status is `unknown` or `refused`.
    pub detail: Option<String>,
    /// Where to look the entry up and ask for removal.
    pub lookup: String,
}

/// The detail every list gets when its test entry does not come back listed.
pub const TEST_ENTRY_FAILED: &str = "this resolver cannot query this list";

impl Blocklist {
    fn new(spec: &ListSpec, query: String, status: ListStatus) -> Blocklist {
        Blocklist {
            zone: spec.zone.to_string(),
            name: spec.name.to_string(),
            kind: spec.kind,
            query,
            status,
            listing: None,
            answer: None,
            meaning: None,
            reason: None,
            detail: None,
            lookup: spec.lookup.to_string(),
        }
    }
}

/// What a set of A answers means for a list.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Listed {
        listing: Listing,
        meanings: Vec<String>,
    },
    Refused(String),
    /// An answer outside 127.0.0.0/8 is no list code: typically a resolver that rewrites
    /// NXDOMAIN into an advertising page's address.
    NotACode(Ipv4Addr),
    /// No A answer at all.
    Nothing,
}

fn classify(spec: &ListSpec, answers: &[Ipv4Addr]) -> Verdict {
    for answer in answers {
        if let Some((_, meaning)) = spec.refusals.iter().find(|(r, _)| *r == answer.octets()) {
            return Verdict::Refused((*meaning).to_string());
        }
    }
    if let Some(bad) = answers.iter().find(|a| a.octets()[0] != 127) {
        return Verdict::NotACode(*bad);
    }
    if answers.is_empty() {
        return Verdict::Nothing;
    }
    let mut worst = Listing::Advisory;
    let mut meanings: Vec<String> = Vec::new();
    for answer in answers {
        let octets = answer.octets();
        let matched: Vec<&ListCode> = match spec.codes {
            Codes::Exact(codes) => codes.iter().filter(|c| c.answer == octets).collect(),
            Codes::Bitmask(codes) => codes.iter().filter(|c| octets[3] & c.answer[3] != 0).collect(),
        };
        if matched.is_empty() {
            // A code the list does not document is still a listing: lists add codes, and
            // answering 127.x.x.x is how a DNSBL says "listed" (RFC 5782 §2.1).
            worst = Listing::Abuse;
            meanings.push(format!("{answer}: a code this list does not document"));
        }
        for found in matched {
            worst = worst.max(found.listing);
            if !meanings.iter().any(|m| m == found.meaning) {
                meanings.push(found.meaning.to_string());
            }
        }
    }
    Verdict::Listed {
        listing: worst,
        meanings,
    }
}

fn a_answers(outcome: &Outcome) -> Vec<Ipv4Addr> {
    outcome
        .records()
        .iter()
        .filter_map(|r| match r {
            RData::A(a) => Some(*a),
            _ => None,
        })
        .collect()
}

/// Describes why a test entry did not work, for the `unknown` detail.
fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Records(_) => "answered something other than a listing".to_string(),
        Outcome::NoData => "answered with no A record".to_string(),
        Outcome::NxDomain => "answered NXDOMAIN".to_string(),
        Outcome::Failed(failure) => failure.to_string(),
    }
}

/// Checks one list: the real question and the test entry at once, then the TXT reason when
/// (and only when) the answer is a listing. `subject` is the reversed address or the domain.
pub async fn check_list(resolver: &dyn Resolver, spec: &ListSpec, subject: &str) -> Blocklist {
    let query = format!("{subject}.{}", spec.zone);
    let test = format!("{}.{}", spec.test_entry, spec.zone);
    join!(let (real, probe) = (
        resolver.lookup(&query, RecordType::A),
        resolver.lookup(&test, RecordType::A),
    ));
    let mut list = Blocklist::new(spec, query, ListStatus::Unknown);
    let answers = a_answers(&real.outcome);
    if !answers.is_empty() {
        list.answer = Some(join_addrs(&answers));
    }

    // A refusal is a refusal whatever the test entry says.
    if let Verdict::Refused(meaning) = classify(spec, &answers) {
        list.status = ListStatus::Refused;
        list.detail = Some(meaning);
        return list;
    }
    match &real.outcome {
        Outcome::Failed(Failure::Refused) => {
            list.status = ListStatus::Refused;
            list.detail = Some("the list's name servers answered REFUSED to this resolver".to_string());
            return list;
        }
        Outcome::Failed(failure) => {
            list.detail = Some(failure.to_string());
            return list;
        }
        _ => {}
    }

    // The test entry must come back listed; a refused test entry means the list refuses us.
    let probe_answers = a_answers(&probe.outcome);
    match classify(spec, &probe_answers) {
        Verdict::Refused(meaning) => {
            list.status = ListStatus::Refused;
            list.detail = Some(format!("{meaning} (test entry {test})"));
            return list;
        }
        Verdict::Listed { .. } => {}
        _ => {
            if probe.outcome == Outcome::Failed(Failure::Refused) {
                list.status = ListStatus::Refused;
                list.detail = Some(format!(
                    "the list's name servers answered REFUSED to this resolver (test entry {test})"
                ));
            } else {
                list.detail = Some(format!(
                    "{TEST_ENTRY_FAILED}: its always-listed test entry {test} {}",
                    describe(&probe.outcome)
                ));
            }
            return list;
        }
    }

    match classify(spec, &answers) {
        Verdict::Nothing => {
            // NXDOMAIN, or a name with no A record: not listed.
            list.status = ListStatus::Clear;
            list
        }
        Verdict::NotACode(bad) => {
            list.detail = Some(format!(
                "the answer {bad} is not a list code (a resolver that rewrites NXDOMAIN?)"
            ));
            list
        }
        Verdict::Refused(meaning) => {
            list.status = ListStatus::Refused;
            list.detail = Some(meaning);
            list
        }
        Verdict::Listed { listing, meanings } => {
            list.status = ListStatus::Listed;
            list.listing = Some(listing);
            list.meaning = Some(meanings.join("; "));
            let txt = resolver.lookup(&list.query, RecordType::Txt).await;
            let reasons: Vec<String> = txt
                .outcome
                .records()
                .iter()
                .filter_map(RData::txt_joined)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .collect();
            if !reasons.is_empty() {
                list.reason = Some(reasons.join(" "));
            }
            list
        }
    }
}

fn join_addrs(answers: &[Ipv4Addr]) -> String {
    answers.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
}

/// The list the row describes, for code that has a [`Blocklist`] and wants its table row.
pub fn spec_for(zone: &str) -> Option<&'static ListSpec> {
    DEFAULT_LISTS.iter().find(|spec| spec.zone.eq_ignore_ascii_case(zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> Ipv4Addr {
        text.parse().unwrap()
    }

    #[test]
    fn table_is_consistent() {
        for spec in DEFAULT_LISTS {
            assert!(!spec.source.is_empty() && spec.source.starts_with("https://"));
            assert!(spec.lookup.starts_with("https://"));
            let codes = match spec.codes {
                Codes::Exact(c) | Codes::Bitmask(c) => c,
            };
            assert!(!codes.is_empty(), "{} has no codes", spec.zone);
            for c in codes {
                assert_eq!(c.answer[0], 127, "{} code outside 127/8", spec.zone);
                // No code may also be a refusal.
                assert!(!spec.refusals.iter().any(|(r, _)| *r == c.answer));
            }
            match spec.kind {
                ListKind::Ip => assert_eq!(spec.test_entry, "2.0.0.127"),
                ListKind::Domain => assert!(spec.test_entry.contains('.')),
            }
        }
    }

    #[test]
    fn codes_are_classified() {
        let zen = spec_for("zen.spamhaus.org").unwrap();
        assert_eq!(
            classify(zen, &[a("127.0.0.2")]),
            Verdict::Listed {
                listing: Listing::Abuse,
                meanings: vec!["Spamhaus SBL: a known spam source or spam operation".into()]
            }
        );
        // PBL alone is a policy listing; PBL with XBL is abuse.
        assert!(matches!(
            classify(zen, &[a("127.0.0.11")]),
            Verdict::Listed {
                listing: Listing::Policy,
                ..
            }
        ));
        assert!(matches!(
            classify(zen, &[a("127.0.0.11"), a("127.0.0.4")]),
            Verdict::Listed { listing: Listing::Abuse, ref meanings } if meanings.len() == 2
        ));
        for refusal in ["127.255.255.252", "127.255.255.254", "127.255.255.255"] {
            assert!(matches!(classify(zen, &[a(refusal)]), Verdict::Refused(_)));
        }
        assert_eq!(
            classify(zen, &[a("198.51.100.1")]),
            Verdict::NotACode(a("198.51.100.1"))
        );
        // An undocumented 127/8 code is still a listing.
        assert!(matches!(
            classify(zen, &[a("127.0.0.99")]),
            Verdict::Listed { listing: Listing::Abuse, ref meanings } if meanings[0].contains("does not document")
        ));

        let surbl = spec_for("multi.surbl.org").unwrap();
        match classify(surbl, &[a("127.0.0.72")]) {
            Verdict::Listed { listing, meanings } => {
                assert_eq!(listing, Listing::Abuse);
                assert_eq!(meanings.len(), 2, "{meanings:?}");
                assert!(meanings[0].starts_with("SURBL PH"));
                assert!(meanings[1].starts_with("SURBL ABUSE"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(classify(surbl, &[a("127.0.0.1")]), Verdict::Refused(_)));

        let uribl = spec_for("multi.uribl.com").unwrap();
        assert!(matches!(classify(uribl, &[a("127.0.0.1")]), Verdict::Refused(_)));
        assert!(matches!(
            classify(uribl, &[a("127.0.0.4")]),
            Verdict::Listed {
                listing: Listing::Advisory,
                ..
            }
        ));
        assert!(matches!(
            classify(uribl, &[a("127.0.0.14")]),
            Verdict::Listed { listing: Listing::Abuse, ref meanings } if meanings.len() == 3
        ));
    }
}
