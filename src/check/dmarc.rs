//! DMARC: policy discovery by the RFC 9989 DNS tree walk, the effective policy for the domain
//! as given, and authorization of external report destinations.

use crate::future::join_all;
use serde::Serialize;

use super::{cause_of, lookup_failed, rules, status_from, txt_records, CheckName, Finding, Status};
use crate::dns::{Lookup, Outcome, RecordType, Resolver};
use crate::parse::dmarc as dmarc_parse;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExternalReport {
    pub uri: String,
    pub domain: String,
    /// `None` when the authorization record could not be looked up.
    pub authorized: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DmarcCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub record: Option<String>,
    /// The domain whose `_dmarc` record applies (the domain itself or a parent).
    pub found_at: Option<String>,
    /// The effective policy for the domain as given: `none`, `quarantine` or `reject`.
    pub policy: Option<String>,
    pub subdomain_policy: Option<String>,
    pub nonexistent_policy: Option<String>,
    pub testing: bool,
    pub adkim: String,
    pub aspf: String,
    pub rua: Vec<String>,
    pub ruf: Vec<String>,
    pub external_reports: Vec<ExternalReport>,
    /// The `_dmarc` names queried, in tree-walk order.
    pub walk: Vec<String>,
    /// Whether the policy weakens enforcement (t=y, pct below 100, sp=none), for BIMI.
    #[serde(skip)]
    pub weakened: bool,
}

const CHECK: CheckName = CheckName::Dmarc;

/// The names the RFC 9989 §4.10 tree walk queries for `domain`, in order: the domain itself,
/// then (when it has 8 or more labels) its last 7 labels, then one label fewer each time down
/// to a single label. At most 8 queries, whatever the depth of the name.
pub fn tree_walk_names(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').filter(|label| !label.is_empty()).collect();
    let mut names = vec![format!("_dmarc.{}", labels.join("."))];
    let mut count = labels.len().min(8);
    // The first shortening: to 7 labels when there are 8 or more, otherwise one label fewer.
    count = if labels.len() >= 8 { 7 } else { count.saturating_sub(1) };
    while count >= 1 {
        let start = labels.len() - count;
        names.push(format!("_dmarc.{}", labels[start..].join(".")));
        count -= 1;
    }
    names
}

pub async fn check(resolver: &dyn Resolver, domain: &str) -> (DmarcCheck, Vec<Finding>) {
    let walk = tree_walk_names(domain);
    // All names of the walk are asked at once: the walk is at most 8 questions, and asking them
    // side by side makes discovery one round trip instead of up to eight. The answers are then
    // read strictly in walk order, as RFC 9989 §4.10 prescribes.
    let answers: Vec<Lookup> = join_all(walk.iter().map(|name| resolver.lookup(name, RecordType::Txt))).await;
    let mut findings = Vec::new();
    let mut check = DmarcCheck {
        status: Status::Missing,
        summary: String::new(),
        cause: None,
        record: None,
        found_at: None,
        policy: None,
        subdomain_policy: None,
        nonexistent_policy: None,
        testing: false,
        adkim: "r".into(),
        aspf: "r".into(),
        rua: Vec::new(),
        ruf: Vec::new(),
        external_reports: Vec::new(),
        walk: walk.clone(),
        weakened: false,
    };

    let mut found = None;
    for answer in &answers {
        match &answer.outcome {
            Outcome::Failed(failure) => {
                // A failure before any record was found leaves the policy unknown: the record
                // may exist at this name.
                findings.push(lookup_failed(CHECK, answer, failure));
                check.status = Status::Unknown;
                check.cause = cause_of(answer);
                check.summary = "the DMARC record could not be looked up".into();
                return (check, findings);
            }
            Outcome::NxDomain | Outcome::NoData => continue,
            Outcome::Records(_) => {}
        }
        let records = txt_records(answer);
        let dmarc_records: Vec<&(String, Vec<Vec<u8>>)> =
            records.iter().filter(|(text, _)| is_dmarc_record(text)).collect();
        let owner = answer.name.strip_prefix("_dmarc.").unwrap_or(&answer.name).to_string();
        match dmarc_records.as_slice() {
            [] => {
                // Unrelated TXT at _dmarc is noise, except an SPF record pasted in the wrong place.
                if answer.name == walk[0] {
                    if let Some((text, _)) = records
                        .iter()
                        .find(|(text, _)| text.trim_start().to_ascii_lowercase().starts_with("v=spf1"))
                    {
                        let parsed = dmarc_parse::parse(text);
                        for diagnostic in &parsed.diagnostics {
                            findings.push(Finding::from_diagnostic(CHECK, diagnostic, text, &answer.name));
                        }
                    }
                }
                continue;
            }
            [(text, _)] => {
                found = Some((owner, text.clone()));
                break;
            }
            several => {
                findings.push(
                    Finding::new(
                        CHECK,
                        &rules::DMARC_MULTIPLE,
                        format!(
                            "{} publishes {} DMARC records; no policy applies",
                            answer.name,
                            several.len()
                        ),
                        "keep exactly one TXT record starting with v=DMARC1 at this name",
                    )
                    .at_name(&answer.name)
                    .with_record(
                        &several
                            .iter()
                            .map(|(text, _)| text.as_str())
                            .collect::<Vec<_>>()
                            .join("\n"),
                        None,
                    ),
                );
                check.status = Status::Fail;
                check.found_at = Some(owner);
                check.summary = "more than one DMARC record: no policy applies".into();
                return (check, findings);
            }
        }
    }

    let Some((found_at, text)) = found else {
        findings.push(
            Finding::new(
                CHECK,
                &rules::DMARC_MISSING,
                format!("no DMARC record for {domain}"),
                format!("publish a policy, starting with monitoring:\n_dmarc.{domain}. IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\"\nthen move to p=quarantine and p=reject"),
            )
            .at_name(&walk[0]),
        );
        check.summary = "no DMARC record".into();
        return (check, findings);
    };

    let record_name = format!("_dmarc.{found_at}");
    let parsed = dmarc_parse::parse(&text);
    for diagnostic in &parsed.diagnostics {
        findings.push(Finding::from_diagnostic(CHECK, diagnostic, &text, &record_name));
    }
    let record = &parsed.value;
    let inherited = found_at != domain;
    if inherited {
        findings.push(
            Finding::new(
                CHECK,
                &rules::DMARC_INHERITED,
                format!("{domain} has no DMARC record of its own; the policy of {found_at} applies"),
                format!("to set a different policy for {domain}, publish _dmarc.{domain}"),
            )
            .at_name(&record_name),
        );
    }
    // The domain as given exists (it is being checked as a sender); `np` applies only to
    // names that do not, which the MX check reports separately.
    let effective = record.effective_policy(inherited, true);
    let testing = record.testing == Some(true);
    check.policy = effective.map(|p| policy_name(p).to_string());
    check.subdomain_policy = record.subdomain_policy.map(|p| policy_name(p).to_string());
    check.nonexistent_policy = record.nonexistent_policy.map(|p| policy_name(p).to_string());
    check.testing = testing;
    check.adkim = alignment_name(record.adkim).to_string();
    check.aspf = alignment_name(record.aspf).to_string();
    check.rua = record.rua.iter().map(|u| u.uri.clone()).collect();
    check.ruf = record.ruf.iter().map(|u| u.uri.clone()).collect();
    check.weakened = testing
        || record.pct.is_some_and(|pct| pct < 100)
        || record.subdomain_policy == Some(dmarc_parse::Policy::None);

    // The parser already flags a published p=none at its span; the check adds the finding only
    // when the effective policy is none for another reason (t=y, an inherited sp=none).
    let parser_flagged_none = parsed
        .diagnostics
        .iter()
        .any(|d| d.code == dmarc_parse::POLICY_NONE.code);
    if effective == Some(dmarc_parse::Policy::None) && !parser_flagged_none {
        let why = if testing {
            " (t=y lowers the published policy)"
        } else {
            ""
        };
        findings.push(
            Finding::new(
                CHECK,
                &rules::DMARC_POLICY_NONE,
                format!("the DMARC policy for {domain} is none{why}: spoofed mail is delivered"),
                format!("once reports show your own mail passes, enforce it:\n_dmarc.{found_at}. IN TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@{found_at}\""),
            )
            .at_name(&record_name)
            .with_record(&text, None),
        );
    }

    // External report destinations must agree to receive reports (RFC 9990 §4).
    let external: Vec<(String, String)> = record
        .rua
        .iter()
        .chain(record.ruf.iter())
        .filter_map(|uri| mailto_domain(&uri.uri).map(|dest| (uri.uri.clone(), dest)))
        .filter(|(_, dest)| !same_organization(dest, &found_at))
        .collect();
    let authorizations = join_all(external.iter().map(|(_, dest)| {
        let name = format!("{found_at}._report._dmarc.{dest}");
        async move { resolver.lookup(&name, RecordType::Txt).await }
    }))
    .await;
    for ((uri, dest), lookup) in external.into_iter().zip(authorizations) {
        let authorized = match &lookup.outcome {
            Outcome::Failed(failure) => {
                findings.push(lookup_failed(CHECK, &lookup, failure));
                None
            }
            Outcome::Records(_) => Some(txt_records(&lookup).iter().any(|(text, _)| is_dmarc_record(text))),
            Outcome::NxDomain | Outcome::NoData => Some(false),
        };
        if authorized == Some(false) {
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::DMARC_REPORT_NOT_AUTHORIZED,
                    format!("{dest} has not agreed to receive DMARC reports for {found_at}"),
                    format!(
                        "ask the operator of {dest} to publish:\n{found_at}._report._dmarc.{dest}. IN TXT \"v=DMARC1\""
                    ),
                )
                .at_name(&lookup.name)
                .with_record(
                    &text,
                    crate::text::find(&text, uri.as_str())
                        .map(|start| crate::diag::Span::new(start, start + uri.len())),
                ),
            );
        }
        check.external_reports.push(ExternalReport {
            uri,
            domain: dest,
            authorized,
        });
    }

    check.record = Some(text);
    check.found_at = Some(found_at.clone());
    check.status = status_from(&findings);
    if effective.is_none() && check.status == Status::Pass {
        check.status = Status::Warn;
    }
    check.summary = match &check.policy {
        Some(policy) if inherited => format!("policy {policy}, inherited from {found_at}"),
        Some(policy) => format!("policy {policy}"),
        None => "a DMARC record without a usable policy".into(),
    };
    (check, findings)
}

fn policy_name(policy: dmarc_parse::Policy) -> &'static str {
    match policy {
        dmarc_parse::Policy::None => "none",
        dmarc_parse::Policy::Quarantine => "quarantine",
        dmarc_parse::Policy::Reject => "reject",
    }
}

fn alignment_name(alignment: Option<dmarc_parse::Alignment>) -> &'static str {
    match alignment {
        Some(dmarc_parse::Alignment::Strict) => "s",
        _ => "r",
    }
}

/// A DMARC record starts with `v=DMARC1` (RFC 9989 §4.7); other TXT at `_dmarc` is ignored.
fn is_dmarc_record(text: &str) -> bool {
    let compact: String = text
        .trim_start()
        .chars()
        .take(10)
        .filter(|c| !c.is_whitespace())
        .collect();
    compact.to_ascii_lowercase().starts_with("v=dmarc1")
}

/// The domain of a `mailto:` URI, lowercase.
fn mailto_domain(uri: &str) -> Option<String> {
    let rest = uri
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .map(|_| &uri[7..])?;
    let address = rest.split('!').next().unwrap_or(rest);
    let domain = address.rsplit_once('@')?.1;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// Whether a report destination belongs to the policy domain's organization: the same name, or
/// one below the other. A Public Suffix List would be needed to do better, and RFC 9989 does
/// without one; treating parent and child as one organization errs on the side of no warning.
fn same_organization(destination: &str, policy_domain: &str) -> bool {
    destination == policy_domain
        || destination.ends_with(&format!(".{policy_domain}"))
        || policy_domain.ends_with(&format!(".{destination}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_walk_follows_rfc_9989() {
        assert_eq!(tree_walk_names("example.com"), ["_dmarc.example.com", "_dmarc.com"]);
        assert_eq!(
            tree_walk_names("a.mail.example.com"),
            [
                "_dmarc.a.mail.example.com",
                "_dmarc.mail.example.com",
                "_dmarc.example.com",
                "_dmarc.com"
            ]
        );
        let deep = "a.b.c.d.e.f.g.h.i.example.com";
        let names = tree_walk_names(deep);
        assert_eq!(names.len(), 8, "{names:?}");
        assert_eq!(names[0], format!("_dmarc.{deep}"));
        assert_eq!(names[1], "_dmarc.f.g.h.i.example.com".replace("f.g.h.i", "e.f.g.h.i"));
        assert_eq!(names[7], "_dmarc.com");
        assert_eq!(tree_walk_names("com"), ["_dmarc.com"]);
        // Exactly 8 labels: the first shortening goes to 7.
        assert_eq!(tree_walk_names("a.b.c.d.e.f.g.h").len(), 8);
    }

    #[test]
    fn external_destinations() {
        assert_eq!(
            mailto_domain("mailto:rua@Vendor.example!10m").as_deref(),
            Some("vendor.example")
        );
        assert_eq!(mailto_domain("https://x.example/r"), None);
        assert!(same_organization("mail.example.com", "example.com"));
        assert!(!same_organization("vendor.example", "example.com"));
        assert!(!same_organization("notexample.com", "example.com"));
    }
}
