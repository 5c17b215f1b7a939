//! The sending-IP checks: reverse DNS (PTR, forward confirmation, generic names) and DNS
//! reputation lists, for an IP address and, for the domain lists, a domain.
//!
//! Architecture invariant: everything here is a DNS question through the given [`Resolver`].
//! Nothing connects to the checked address: the sending IP does not need to accept connections
//! (see [`IP_INBOUND_SMTP_NOT_NEEDED`]), and a checker that probes it tests nothing receivers
//! care about.
//!
//! Concurrency: the PTR lookup and every list's two questions (the real one and its test entry)
//! start together; a forward lookup waits only for the PTR answer it needs, and a list's TXT
//! reason only for that list's A answer.

use std::net::IpAddr;

use crate::future::{join, join_all};
use serde::Serialize;

use crate::catalogue::Rule;
use crate::diag::Severity;
use crate::dns::{normalize_name, Outcome, RData, RecordType, Resolver};

pub mod lists;
pub mod reverse;
pub mod rules;

pub use lists::{
    check_list, spec_for, Blocklist, Codes, ListCode, ListKind, ListSpec, ListStatus, Listing, DEFAULT_LISTS,
    TEST_ENTRY_FAILED,
};
pub use reverse::{canonical, generic_ptr_reason, is_generic_ptr, reverse_name, reversed_address, GENERIC_WORDS};
pub use rules::*;

/// At most this many PTR names are confirmed forward; more is a misconfiguration already
/// reported by [`IP_SEVERAL_PTR`], and each name costs a query.
pub const MAX_FORWARD_LOOKUPS: usize = 10;

/// The overall verdict for an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IpStatus {
    Pass,
    Warn,
    Fail,
    /// Nothing failed, but a lookup failed or no list could be asked: not a pass.
    Unknown,
}

/// One finding of the sending-IP checks, under one of [`RULES`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IpFinding {
    pub code: &'static str,
    pub severity: Severity,
    /// Short, factual, lowercase.
    pub message: String,
    /// The fix, with the exact records where there are some.
    pub help: String,
    /// The DNS name the finding is about (a reverse name, a PTR name, a list query).
    pub name: Option<String>,
}

impl IpFinding {
    pub fn new(rule: &Rule, message: impl Into<String>, help: impl Into<String>) -> IpFinding {
        IpFinding {
            code: rule.code,
            severity: rule.severity,
            message: message.into(),
            help: help.into(),
            name: None,
        }
    }

    pub fn with_name(mut self, name: impl Into<String>) -> IpFinding {
        self.name = Some(name.into());
        self
    }

    /// The rule this finding was raised under.
    pub fn rule(&self) -> Option<&'static Rule> {
        RULES.iter().copied().find(|rule| rule.code == self.code)
    }
}

/// Everything learned about one sending IP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IpReport {
    /// The address checked (an IPv4-mapped IPv6 address is shown as its IPv4 address).
    pub address: String,
    pub status: IpStatus,
    /// One line: reverse DNS and lists.
    pub summary: String,
    /// The main reason the status is not `pass` (None when it is).
    pub cause: Option<String>,
    /// The PTR names, in answer order.
    pub ptr: Vec<String>,
    /// Forward-confirmed reverse DNS: true when a PTR name resolves back to the address,
    /// false when none does (or there is no PTR), None when a lookup failed.
    pub fcrdns: Option<bool>,
    /// The IP lists asked (for IPv6, only the lists that publish IPv6 data).
    pub blocklists: Vec<Blocklist>,
    pub findings: Vec<IpFinding>,
}

/// Checks a sending IP against reverse DNS and the default IP reputation lists.
pub async fn check_ip(resolver: &dyn Resolver, ip: IpAddr) -> IpReport {
    check_ip_with(resolver, ip, DEFAULT_LISTS).await
}

/// [`check_ip`] with a list table of the caller's choosing (the domain lists in it are skipped).
pub async fn check_ip_with(resolver: &dyn Resolver, ip: IpAddr, lists: &[ListSpec]) -> IpReport {
    let ip = canonical(ip);
    let reversed = reversed_address(ip);
    let asked: Vec<&ListSpec> = lists
        .iter()
        .filter(|spec| spec.kind == ListKind::Ip && (ip.is_ipv4() || spec.ipv6))
        .collect();
    join!(let (reverse, blocklists) = (
        reverse_dns(resolver, ip),
        join_all(asked.iter().map(|spec| check_list(resolver, spec, &reversed))),
    ));

    let address = ip.to_string();
    let mut findings = reverse.findings;
    findings.extend(list_findings(&address, &blocklists));
    findings.push(inbound_smtp_finding());

    let answered = blocklists
        .iter()
        .filter(|l| matches!(l.status, ListStatus::Listed | ListStatus::Clear))
        .count();
    let worst = findings.iter().map(|f| f.severity).max();
    let status = if worst == Some(Severity::Error) {
        IpStatus::Fail
    } else if worst == Some(Severity::Warning) {
        IpStatus::Warn
    } else if reverse.fcrdns.is_none() || answered == 0 {
        IpStatus::Unknown
    } else {
        IpStatus::Pass
    };
    let cause = match status {
        IpStatus::Pass => None,
        IpStatus::Fail | IpStatus::Warn => findings
            .iter()
            .find(|f| Some(f.severity) == worst)
            .map(|f| f.message.clone()),
        IpStatus::Unknown => reverse.unknown.clone().or_else(|| {
            Some(format!(
                "none of the {} reputation lists could be asked",
                blocklists.len()
            ))
        }),
    };
    let summary = format!("{}; {}", reverse.summary, lists_summary(&blocklists));
    IpReport {
        address,
        status,
        summary,
        cause,
        ptr: reverse.ptr,
        fcrdns: reverse.fcrdns,
        blocklists,
        findings,
    }
}

/// Checks a domain against the default domain reputation lists (Spamhaus DBL, SURBL, URIBL).
///
/// Give the registered domain (`example.com`, not `mail.example.com`): the domain lists hold
/// registered domains, and an A-label for internationalized names. A name that cannot be a
/// DNS name gives every list `unknown`, with no query sent. [`list_findings`] turns the result
/// into findings.
pub async fn check_domain_lists(resolver: &dyn Resolver, domain: &str) -> Vec<Blocklist> {
    check_domain_lists_with(resolver, domain, DEFAULT_LISTS).await
}

/// [`check_domain_lists`] with a list table of the caller's choosing (IP lists are skipped).
pub async fn check_domain_lists_with(resolver: &dyn Resolver, domain: &str, lists: &[ListSpec]) -> Vec<Blocklist> {
    let domain = normalize_name(domain.trim());
    let asked = lists.iter().filter(|spec| spec.kind == ListKind::Domain);
    if !is_queryable_domain(&domain) {
        return asked
            .map(|spec| Blocklist {
                zone: spec.zone.to_string(),
                name: spec.name.to_string(),
                kind: spec.kind,
                query: format!("{domain}.{}", spec.zone),
                status: ListStatus::Unknown,
                listing: None,
                answer: None,
                meaning: None,
                reason: None,
                detail: Some(format!("{domain:?} is not a domain name that can be looked up")),
                lookup: spec.lookup.to_string(),
            })
            .collect();
    }
    join_all(asked.map(|spec| check_list(resolver, spec, &domain))).await
}

/// A name of 1-63 byte labels of letters, digits, hyphens and underscores, at least two
/// labels, short enough that the list query stays under 253 bytes (RFC 1035 §2.3.4).
fn is_queryable_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 200
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The findings for a set of list results: one per list that was not clear. `subject` is the
/// address or domain the lists were asked about, for the messages.
pub fn list_findings(subject: &str, lists: &[Blocklist]) -> Vec<IpFinding> {
    lists.iter().filter_map(|list| list_finding(subject, list)).collect()
}

/// The finding for one list result, or None when it is clear.
pub fn list_finding(subject: &str, list: &Blocklist) -> Option<IpFinding> {
    let answer = list.answer.as_deref().unwrap_or("");
    let meaning = list.meaning.as_deref().unwrap_or("a listing");
    let said = match &list.reason {
        Some(reason) => format!(" (the list says: {reason})"),
        None => String::new(),
    };
    let detail = list.detail.as_deref().unwrap_or("no detail");
    let finding = match (list.status, list.listing) {
        (ListStatus::Clear, _) => return None,
        (ListStatus::Listed, Some(Listing::Policy)) => IpFinding::new(
            &BL_POLICY_LISTED,
            format!("{subject} is on the {} PBL ({answer}), a list of end-user ranges", list.name),
            format!(
                "this is not a spam listing: the PBL says this address should not send mail straight to MX hosts; send through your provider's authenticated relay (smarthost, port 587), or, if this is a mail server on a static address you control, remove it from the PBL at {}",
                list.lookup
            ),
        ),
        (ListStatus::Listed, Some(Listing::Advisory)) => IpFinding::new(
            &BL_ADVISORY_LISTED,
            format!("{subject} is listed on {} ({answer}), a lower-confidence listing", list.name),
            format!(
                "{meaning}{said}; review what mail names this domain, then request removal at {}",
                list.lookup
            ),
        ),
        (ListStatus::Listed, _) => IpFinding::new(
            &BL_LISTED,
            format!("{subject} is listed on {} ({answer})", list.name),
            format!(
                "{meaning}{said}; find and stop the cause, then request removal at {}",
                list.lookup
            ),
        ),
        (ListStatus::Refused, _) => IpFinding::new(
            &BL_REFUSED,
            format!("{} refused the query, nothing was concluded", list.name),
            format!(
                "{detail}; ask through a resolver the list serves (your own recursive resolver), or look {subject} up at {}",
                list.lookup
            ),
        ),
        (ListStatus::Unknown, _) => IpFinding::new(
            &BL_UNKNOWN,
            format!("{} could not be checked, nothing was concluded", list.name),
            format!("{detail}; look {subject} up at {}", list.lookup),
        ),
    };
    Some(finding.with_name(list.query.clone()))
}

/// The statement every report carries: the sending IP needs no inbound SMTP.
pub fn inbound_smtp_finding() -> IpFinding {
    IpFinding::new(
        &IP_INBOUND_SMTP_NOT_NEEDED,
        "the sending IP does not need to accept connections on port 25",
        "nothing to do: SMTP is push (RFC 5321), the sender opens the connection; receivers check the domain's MX (which must accept replies and bounces), SPF, DKIM, DMARC, reputation and reverse DNS, and no Google, Yahoo or Microsoft rule asks the sending IP to accept connections; this check asks DNS only and never connects to the IP",
    )
}

/// What the reverse-DNS half found.
struct Reverse {
    ptr: Vec<String>,
    fcrdns: Option<bool>,
    findings: Vec<IpFinding>,
    summary: String,
    /// Why reverse DNS is unknown, when it is.
    unknown: Option<String>,
}

async fn reverse_dns(resolver: &dyn Resolver, ip: IpAddr) -> Reverse {
    let rname = reverse_name(ip);
    let lookup = resolver.lookup(&rname, RecordType::Ptr).await;
    let mut findings = Vec::new();
    let mut ptr: Vec<String> = Vec::new();
    match &lookup.outcome {
        Outcome::Failed(failure) => {
            let cause = format!("the PTR lookup of {rname} failed: {failure}");
            findings.push(
                IpFinding::new(
                    &IP_REVERSE_UNKNOWN,
                    format!("reverse DNS of {ip} could not be checked"),
                    format!("{cause}; the reverse zone is run by whoever holds the address (hosting provider or ISP): ask them to fix its name servers"),
                )
                .with_name(rname.clone()),
            );
            return Reverse {
                ptr,
                fcrdns: None,
                findings,
                summary: format!("reverse DNS could not be checked ({failure})"),
                unknown: Some(cause),
            };
        }
        outcome => {
            for record in outcome.records() {
                if let RData::Ptr(name) = record {
                    if !ptr.contains(name) {
                        ptr.push(name.clone());
                    }
                }
            }
        }
    }

    let forward_type = if ip.is_ipv4() { RecordType::A } else { RecordType::Aaaa };
    let forward_rr = forward_type.as_str();
    if ptr.is_empty() {
        findings.push(
            IpFinding::new(
                &IP_NO_PTR,
                format!("{ip} has no reverse DNS (PTR record)"),
                format!("ask whoever holds the address (hosting provider or ISP) to publish `{rname}. IN PTR mail.example.com.` with a name you control, and publish `mail.example.com. IN {forward_rr} {ip}`; Google and Yahoo require it"),
            )
            .with_name(rname.clone()),
        );
        return Reverse {
            ptr,
            fcrdns: Some(false),
            findings,
            summary: format!("no reverse DNS for {ip}"),
            unknown: None,
        };
    }

    if ptr.len() > 1 {
        findings.push(
            IpFinding::new(
                &IP_SEVERAL_PTR,
                format!("{ip} has {} PTR records: {}", ptr.len(), ptr.join(", ")),
                format!(
                    "keep one PTR, the name the server uses in HELO: `{rname}. IN PTR {}.`",
                    ptr.first().map_or("", String::as_str)
                ),
            )
            .with_name(rname.clone()),
        );
    }
    for name in &ptr {
        if let Some(reason) = generic_ptr_reason(name, ip) {
            findings.push(
                IpFinding::new(
                    &IP_GENERIC_PTR,
                    format!("the PTR name {name} looks generic: {reason}"),
                    format!("ask the address holder for a PTR with your own mail host name: `{rname}. IN PTR mail.example.com.` and `mail.example.com. IN {forward_rr} {ip}`; Yahoo asks for non-generic reverse DNS"),
                )
                .with_name(name.clone()),
            );
        }
    }

    // Each PTR name's forward lookup needs only the PTR answer, so they all start together.
    let forwards = join_all(
        ptr.iter()
            .take(MAX_FORWARD_LOOKUPS)
            .map(|name| resolver.lookup(name, forward_type)),
    )
    .await;
    let mut confirmed = None::<String>;
    let mut failed: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for forward in &forwards {
        if let Outcome::Failed(failure) = &forward.outcome {
            failed.push(format!("the {forward_rr} lookup of {} failed: {failure}", forward.name));
            continue;
        }
        let addresses: Vec<IpAddr> = forward
            .outcome
            .records()
            .iter()
            .filter_map(|r| match r {
                RData::A(a) => Some(IpAddr::V4(*a)),
                RData::Aaaa(a) => Some(canonical(IpAddr::V6(*a))),
                _ => None,
            })
            .collect();
        if addresses.contains(&ip) {
            confirmed.get_or_insert_with(|| forward.name.clone());
        } else if addresses.is_empty() {
            seen.push(format!("{} has no {forward_rr} record", forward.name));
        } else {
            let list: Vec<String> = addresses.iter().map(|a| a.to_string()).collect();
            seen.push(format!("{} resolves to {}", forward.name, list.join(", ")));
        }
    }

    let first = ptr.first().cloned().unwrap_or_default();
    let (fcrdns, summary, unknown) = if let Some(name) = confirmed {
        (Some(true), format!("reverse DNS {name} is forward-confirmed"), None)
    } else if !failed.is_empty() {
        let cause = failed.join("; ");
        findings.push(
            IpFinding::new(
                &IP_REVERSE_UNKNOWN,
                format!("reverse DNS of {ip} could not be confirmed"),
                format!("{cause}; the forward zone's name servers must answer for the PTR name"),
            )
            .with_name(first.clone()),
        );
        (None, format!("reverse DNS {first} could not be confirmed"), Some(cause))
    } else {
        findings.push(
            IpFinding::new(
                &IP_FCRDNS_MISMATCH,
                format!(
                    "reverse DNS {first} does not resolve back to {ip}: {}",
                    seen.join("; ")
                ),
                format!("publish `{first}. IN {forward_rr} {ip}`, or change the PTR to a name that resolves to {ip}: `{rname}. IN PTR mail.example.com.` with `mail.example.com. IN {forward_rr} {ip}`"),
            )
            .with_name(first.clone()),
        );
        (
            Some(false),
            format!("reverse DNS {first} does not resolve back to {ip}"),
            None,
        )
    };
    Reverse {
        ptr,
        fcrdns,
        findings,
        summary,
        unknown,
    }
}

fn lists_summary(lists: &[Blocklist]) -> String {
    if lists.is_empty() {
        return "no reputation list asked".to_string();
    }
    let listed: Vec<&str> = lists
        .iter()
        .filter(|l| l.status == ListStatus::Listed)
        .map(|l| l.name.as_str())
        .collect();
    let open = lists
        .iter()
        .filter(|l| matches!(l.status, ListStatus::Refused | ListStatus::Unknown))
        .count();
    let answered = lists.len() - open;
    let mut text = if !listed.is_empty() {
        format!(
            "listed on {} of {} lists ({})",
            listed.len(),
            lists.len(),
            listed.join(", ")
        )
    } else if answered > 0 {
        match answered {
            1 => "not listed on the one list that answered".to_string(),
            n => format!("not listed on the {n} lists that answered"),
        }
    } else {
        "no reputation list could be asked".to_string()
    };
    if open > 0 && answered > 0 {
        text.push_str(&format!(", {open} could not be checked"));
    }
    text
}

#[cfg(test)]
mod tests;
