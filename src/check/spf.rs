//! SPF: the domain's one record, its include tree with lookup counts, and the result for each
//! sending IP given.

use serde::Serialize;

use super::{cause_of, lookup_failed, rules, status_from, txt_records, CheckName, Finding, Options, Status};
use crate::dns::{Outcome, RecordType, Resolver};
use crate::future::{join, join_all};
use crate::parse::spf as spf_parse;
use crate::spf as spf_eval;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpfCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub record: Option<String>,
    pub name: String,
    pub lookups: usize,
    pub void_lookups: usize,
    pub tree: Option<spf_eval::SpfNode>,
    /// The result for the first sending IP given, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<spf_eval::SpfResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

const CHECK: CheckName = CheckName::Spf;
const LOOKUP_LIMIT: usize = 10;
const VOID_LIMIT: usize = 2;

pub async fn check(resolver: &dyn Resolver, domain: &str, options: &Options) -> (SpfCheck, Vec<Finding>) {
    let txt = resolver.lookup(domain, RecordType::Txt).await;
    let mut findings = Vec::new();
    let mut check = SpfCheck {
        status: Status::Unknown,
        summary: String::new(),
        cause: None,
        record: None,
        name: domain.to_string(),
        lookups: 0,
        void_lookups: 0,
        tree: None,
        result: None,
        matched: None,
    };
    if let Outcome::Failed(failure) = &txt.outcome {
        findings.push(lookup_failed(CHECK, &txt, failure));
        check.cause = cause_of(&txt);
        check.summary = "the SPF record could not be looked up (SPF temperror)".into();
        return (check, findings);
    }
    let records = txt_records(&txt);
    let spf_records: Vec<&(String, Vec<Vec<u8>>)> = records
        .iter()
        .filter(|(text, _)| spf_parse::is_spf_record(text))
        .collect();
    match spf_records.as_slice() {
        [] => {
            // A near miss (`v=spf1x`, leading space, `spf1`) is reported by the parser with its span.
            if let Some((text, strings)) = records.iter().find(|(text, _)| looks_like_attempted_spf(text)) {
                let parsed = spf_parse::parse_txt(&strings.iter().map(Vec::as_slice).collect::<Vec<_>>());
                for diagnostic in &parsed.diagnostics {
                    findings.push(Finding::from_diagnostic(CHECK, diagnostic, text, domain));
                }
                check.record = Some(text.clone());
            }
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::SPF_MISSING,
                    format!("{domain} publishes no SPF record"),
                    format!("publish one TXT record listing the servers that send for the domain, e.g.\n{domain}. IN TXT \"v=spf1 include:_spf.your-provider.example -all\""),
                )
                .at_name(domain),
            );
            check.status = Status::Missing;
            check.summary = "no SPF record".into();
            return (check, findings);
        }
        [_, _, ..] => {
            let texts: Vec<&str> = spf_records.iter().map(|(text, _)| text.as_str()).collect();
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::SPF_MULTIPLE,
                    format!(
                        "{domain} publishes {} SPF records; receivers treat this as permerror",
                        texts.len()
                    ),
                    "merge them into one record with the mechanisms of both and a single `all` at the end",
                )
                .at_name(domain)
                .with_record(&texts.join("\n"), None),
            );
            check.status = Status::Fail;
            check.summary = format!("{} SPF records (permerror)", texts.len());
            return (check, findings);
        }
        [(text, strings)] => {
            let parsed = spf_parse::parse_txt(&strings.iter().map(Vec::as_slice).collect::<Vec<_>>());
            for diagnostic in &parsed.diagnostics {
                findings.push(Finding::from_diagnostic(CHECK, diagnostic, text, domain));
            }
            check.record = Some(text.clone());
        }
    }

    // The whole tree, counted the way receivers count, and the result for each sending IP,
    // side by side: they share the cache, so nothing is asked twice.
    let sender = options.sender.clone().unwrap_or_else(|| format!("postmaster@{domain}"));
    let helo = options.helo.clone().unwrap_or_else(|| domain.to_string());
    // Each sending IP is evaluated on its own: one may pass where another fails.
    join!(let (tree, evaluations) = (
        spf_eval::expand(resolver, domain),
        join_all(
            options
                .ips
                .iter()
                .map(|ip| spf_eval::check_host(resolver, *ip, domain, &sender, &helo))
        )
    ));
    check.lookups = tree.lookups as usize;
    check.void_lookups = tree.void_lookups as usize;
    if check.lookups > LOOKUP_LIMIT {
        findings.push(
            Finding::new(
                CHECK,
                &rules::SPF_LOOKUP_LIMIT,
                format!(
                    "the SPF record needs {} DNS lookups; the limit is {LOOKUP_LIMIT}",
                    tree.lookups
                ),
                "replace includes you no longer use, and flatten rarely changing ones into ip4:/ip6: ranges",
            )
            .at_name(domain)
            .with_record(check.record.as_deref().unwrap_or_default(), None),
        );
    }
    if check.void_lookups > VOID_LIMIT {
        findings.push(
            Finding::new(
                CHECK,
                &rules::SPF_VOID_LIMIT,
                format!(
                    "{} of the SPF record's lookups find nothing; the limit is {VOID_LIMIT}",
                    tree.void_lookups
                ),
                "remove the include:, a: and mx: terms that point at names that no longer exist",
            )
            .at_name(domain),
        );
    }
    let mut permanent = Vec::new();
    let mut temporary = Vec::new();
    // The root record's own syntax error is already a parser finding at its span.
    let root_syntax_reported = findings.iter().any(|f| f.severity == crate::diag::Severity::Error);
    collect_errors(&tree.root, root_syntax_reported, &mut permanent, &mut temporary);
    for (node_domain, via, error) in permanent {
        let place = via.map(|via| format!(" (reached through {via})")).unwrap_or_default();
        findings.push(
            Finding::new(
                CHECK,
                &rules::SPF_EVAL_ERROR,
                format!("{node_domain}{place}: {error}"),
                "fix the record at that name, or remove the include that points at it",
            )
            .at_name(&node_domain),
        );
    }
    let temporary_failure = (!temporary.is_empty()).then(|| temporary.join("; "));
    check.tree = Some(tree.root);
    let mut temperror_ips = Vec::new();
    for (index, (ip, evaluation)) in options.ips.iter().zip(evaluations).enumerate() {
        match evaluation.result {
            spf_eval::SpfResult::Pass => {}
            // A lookup failed on the way: what SPF gives this IP is not known, and no edit of
            // the record would change that. The check is unknown with the DNS cause.
            spf_eval::SpfResult::Temperror => temperror_ips.push(ip.to_string()),
            result => {
                let help = if result == spf_eval::SpfResult::Permerror {
                    "fix the error in the SPF record first: a permerror fails SPF for every sending IP".to_string()
                } else {
                    format!(
                        "authorise the sending IP in the record, e.g. add {} before the `all`",
                        ip_mechanism(*ip)
                    )
                };
                findings.push(
                    Finding::new(
                        CHECK,
                        &rules::SPF_IP_NOT_AUTHORIZED,
                        format!("SPF gives {} for {ip}", result.as_str()),
                        help,
                    )
                    .at_name(domain),
                );
            }
        }
        // The result of each IP is in the report's `ip` checks; this check keeps the first.
        if index == 0 {
            check.result = Some(evaluation.result);
            check.matched = evaluation
                .matched
                .as_ref()
                .map(|m| format!("{} (in the record of {})", m.term, m.domain));
        }
    }
    check.status = status_from(&findings);
    let temporary_failure = temporary_failure.or_else(|| {
        (!temperror_ips.is_empty()).then(|| {
            format!(
                "a DNS lookup failed while evaluating SPF for {} (temperror)",
                temperror_ips.join(", ")
            )
        })
    });
    if let Some(cause) = temporary_failure {
        if check.status == Status::Pass {
            check.status = Status::Unknown;
        }
        check.cause = Some(cause);
    }
    check.summary = match check.status {
        Status::Pass => format!("one valid SPF record, {} of {LOOKUP_LIMIT} lookups", check.lookups),
        Status::Warn => format!("SPF record with warnings, {} of {LOOKUP_LIMIT} lookups", check.lookups),
        Status::Fail => "the SPF record has errors".into(),
        Status::Unknown => "part of the SPF include tree could not be looked up".into(),
        Status::Missing => "no SPF record".into(),
    };
    (check, findings)
}

/// Errors in the tree: permanent ones (a broken or missing included record, a loop) and
/// temporary ones (a lookup that failed), each with the node's domain and the term that led
/// there. Targets with macros are not errors: they cannot be followed without a sender.
/// With `skip_syntax`, a syntax error of `node` itself is left out (it is reported already).
fn collect_errors(
    node: &spf_eval::SpfNode,
    skip_syntax: bool,
    permanent: &mut Vec<(String, Option<String>, String)>,
    temporary: &mut Vec<String>,
) {
    if let Some(error) = &node.error {
        if crate::text::contains(error, "(temperror)") {
            temporary.push(format!("{}: {error}", node.domain));
        } else if !error.starts_with("target has macros") && (!skip_syntax || !error.starts_with("syntax error")) {
            permanent.push((node.domain.clone(), node.via.clone(), error.clone()));
        }
    }
    for child in &node.children {
        collect_errors(child, false, permanent, temporary);
    }
}

fn ip_mechanism(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => format!("ip4:{v4}"),
        std::net::IpAddr::V6(v6) => format!("ip6:{v6}"),
    }
}

/// TXT text that was probably meant to be SPF but is not valid as such.
fn looks_like_attempted_spf(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("v=spf") || lower.starts_with("spf1") || lower.starts_with("v:spf")
}
