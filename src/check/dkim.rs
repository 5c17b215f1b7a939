//! DKIM: keys at the selectors the user gave and at common selectors, probed in parallel.
//! Selectors cannot be listed through DNS, so "none found" is never "none exists".

use crate::future::{join, join_all};
use serde::Serialize;

use super::{lookup_failed, rules, txt_records, CheckName, Finding, Status};
use crate::diag::Severity;
use crate::dns::{Lookup, Outcome, RecordType, Resolver};
use crate::parse::dkim as dkim_parse;

/// Selectors seen in the field (`../shared/notes/standards.md`), probed when none is given.
pub const COMMON_SELECTORS: &[&str] = &[
    "google",
    "selector1",
    "selector2",
    "k1",
    "k2",
    "k3",
    "s1",
    "s2",
    "dkim",
    "default",
    "mail",
    "smtp",
    "mandrill",
    "mxvault",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DkimSelector {
    pub selector: String,
    pub name: String,
    pub status: Status,
    pub record: Option<String>,
    pub key_type: Option<String>,
    pub key_bits: Option<u32>,
    pub testing: bool,
    pub revoked: bool,
    /// Given by the user rather than probed.
    pub given: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DkimCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Selectors where a key record was found, or which the user gave.
    pub selectors: Vec<DkimSelector>,
    /// How many selectors were probed in all.
    pub probed: usize,
    /// RFC 8020: `_domainkey.<domain>` does not exist, so no selector below it does.
    pub domainkey_absent: bool,
}

const CHECK: CheckName = CheckName::Dkim;

/// The selector list for a domain: Microsoft 365's domain-specific ones join the common ones.
pub fn probe_list(domain: &str) -> Vec<String> {
    let dashed = domain.replace('.', "-");
    let mut list: Vec<String> = COMMON_SELECTORS.iter().map(|s| s.to_string()).collect();
    list.push(format!("selector1-{dashed}"));
    list.push(format!("selector2-{dashed}"));
    list
}

pub async fn check(resolver: &dyn Resolver, domain: &str, given: &[String]) -> (DkimCheck, Vec<Finding>) {
    let given: Vec<String> = given
        .iter()
        .map(|s| s.trim().trim_end_matches('.').to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let domainkey = format!("_domainkey.{domain}");
    // The RFC 8020 probe and the user's own selectors go out together; common selectors follow
    // only if `_domainkey` exists, which saves a dozen queries for domains without DKIM.
    join!(let (parent, given_results) = (
        resolver.lookup(&domainkey, RecordType::Txt),
        join_all(given.iter().map(|selector| probe(resolver, domain, selector, true)))
    ));
    let domainkey_absent = parent.outcome == Outcome::NxDomain;
    // When `_domainkey` itself cannot be looked up, a dozen selectors below it would fail the
    // same way, one timeout later: the check settles as unknown instead of waiting twice.
    let domainkey_failed = matches!(parent.outcome, Outcome::Failed(_));
    let probe_names: Vec<String> = probe_list(domain).into_iter().filter(|s| !given.contains(s)).collect();
    let probed_results = if domainkey_absent || domainkey_failed {
        Vec::new()
    } else {
        join_all(
            probe_names
                .iter()
                .map(|selector| probe(resolver, domain, selector, false)),
        )
        .await
    };
    let probed = given.len()
        + if domainkey_absent || domainkey_failed {
            0
        } else {
            probe_names.len()
        };

    let mut findings = Vec::new();
    if let Outcome::Failed(failure) = &parent.outcome {
        findings.push(lookup_failed(CHECK, &parent, failure));
    }
    let mut selectors = Vec::new();
    let mut failures = 0;
    for (selector, lookup, mut selector_findings) in given_results.into_iter().chain(probed_results) {
        if selector.status == Status::Unknown {
            failures += 1;
            if let Outcome::Failed(failure) = &lookup.outcome {
                findings.push(lookup_failed(CHECK, &lookup, failure));
            }
        }
        if selector.given && selector.status == Status::Missing {
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::DKIM_SELECTOR_NOT_FOUND,
                    format!("no DKIM key at the selector {} ({})", selector.selector, selector.name),
                    format!(
                        "publish the public key your mail service gives for this selector:\n{}. IN TXT \"v=DKIM1; k=rsa; p=<public key>\"",
                        selector.name
                    ),
                )
                .at_name(&selector.name),
            );
        }
        if selector.given || selector.record.is_some() || selector.status == Status::Unknown {
            findings.append(&mut selector_findings);
            selectors.push(selector);
        }
    }

    let given_missing = selectors.iter().any(|s| s.given && s.status == Status::Missing);
    let keys = selectors.iter().filter(|s| s.record.is_some()).count();
    // A key with warnings (a 1024-bit RSA key, t=y) still verifies signatures: it is usable.
    let good = selectors
        .iter()
        .filter(|s| s.record.is_some() && !s.revoked && matches!(s.status, Status::Pass | Status::Warn))
        .count();
    let (status, summary) = if good > 0 {
        let worst = selectors
            .iter()
            .filter(|s| s.record.is_some())
            .map(|s| s.status)
            .fold(Status::Pass, worse);
        (
            if worst == Status::Fail { Status::Warn } else { worst },
            format!("{keys} DKIM key{} found", plural(keys)),
        )
    } else if keys > 0 {
        let worst = selectors
            .iter()
            .filter(|s| s.record.is_some())
            .map(|s| s.status)
            .fold(Status::Pass, worse);
        (worst, format!("{keys} DKIM key{} found, none usable", plural(keys)))
    } else if domainkey_failed || (failures > 0 && failures == probed) {
        (Status::Unknown, "the DKIM selectors could not be looked up".to_string())
    } else if given_missing {
        // The user's own selectors were reported one by one (DKIM102); the probe adds nothing.
        (Status::Fail, "no DKIM key at the selectors given".to_string())
    } else {
        let where_ = if domainkey_absent {
            format!("{domainkey} does not exist, so no selector below it does (RFC 8020)")
        } else {
            format!("none of the {probed} selectors probed has a key")
        };
        findings.push(
            Finding::new(
                CHECK,
                &rules::DKIM_NONE_FOUND,
                format!("no DKIM key found: {where_}"),
                "selectors cannot be listed through DNS, so this does not prove there is none: give the selector your mail service signs with (the s= tag of a DKIM-Signature header)",
            )
            .at_name(&domainkey),
        );
        (
            Status::Warn,
            "no DKIM key found at the selectors probed (selectors cannot be listed through DNS)".to_string(),
        )
    };
    // A selector the user signs with but that has no key fails every signature made with it.
    let status = if given_missing && status != Status::Unknown {
        Status::Fail
    } else {
        status
    };
    let cause = (status == Status::Unknown).then(|| "DKIM selector lookups failed".to_string());
    (
        DkimCheck {
            status,
            summary,
            cause,
            selectors,
            probed,
            domainkey_absent,
        },
        findings,
    )
}

async fn probe(
    resolver: &dyn Resolver,
    domain: &str,
    selector: &str,
    given: bool,
) -> (DkimSelector, Lookup, Vec<Finding>) {
    let name = format!("{selector}._domainkey.{domain}");
    let lookup = resolver.lookup(&name, RecordType::Txt).await;
    let mut result = DkimSelector {
        selector: selector.to_string(),
        name: name.clone(),
        status: Status::Missing,
        record: None,
        key_type: None,
        key_bits: None,
        testing: false,
        revoked: false,
        given,
    };
    let mut findings = Vec::new();
    match &lookup.outcome {
        Outcome::Failed(_) => result.status = Status::Unknown,
        Outcome::NxDomain | Outcome::NoData => {}
        Outcome::Records(_) => {
            let records = txt_records(&lookup);
            // Several TXT records at a selector: the one that reads as a DKIM key counts.
            let chosen = records
                .iter()
                .find(|(text, _)| crate::text::contains(text, "p="))
                .or_else(|| records.first());
            if let Some((text, _)) = chosen {
                let parsed = dkim_parse::parse(text);
                for diagnostic in &parsed.diagnostics {
                    findings.push(Finding::from_diagnostic(CHECK, diagnostic, text, &name));
                }
                let key = &parsed.value;
                result.record = Some(text.clone());
                result.key_type = key.key_type.or(key.declared_key_type).map(|kind| {
                    match kind {
                        dkim_parse::KeyType::Rsa => "rsa",
                        dkim_parse::KeyType::Ed25519 => "ed25519",
                    }
                    .to_string()
                });
                result.key_bits = key.key_bits;
                result.testing = key.testing;
                result.revoked = key.revoked;
                result.status = if findings.iter().any(|f| f.severity == Severity::Error) || result.revoked {
                    Status::Fail
                } else if findings.iter().any(|f| f.severity == Severity::Warning) {
                    Status::Warn
                } else {
                    Status::Pass
                };
            }
        }
    }
    (result, lookup, findings)
}

fn worse(a: Status, b: Status) -> Status {
    fn rank(s: Status) -> u8 {
        match s {
            Status::Pass => 0,
            Status::Warn => 1,
            Status::Unknown => 2,
            Status::Missing => 3,
            Status::Fail => 4,
        }
    }
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
