//! MTA-STS and TLS-RPT: transport security for mail the domain receives.

use serde::Serialize;

use super::{
    cause_of, lookup_failed, rules, status_from, txt_records, CheckName, Finding, MxCheck, PolicyFetch, PolicyFetcher,
    Status,
};
use crate::dns::{Lookup, Outcome, RecordType, Resolver};
use crate::parse::{mta_sts as sts_parse, tlsrpt as tlsrpt_parse};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StsPolicySummary {
    pub mode: Option<String>,
    pub max_age: Option<u64>,
    pub mx: Vec<String>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MtaStsCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub record: Option<String>,
    pub id: Option<String>,
    /// `fetched`, `not_checkable_from_browser`, `failed` or `not_fetched`.
    pub policy_status: &'static str,
    pub policy_url: String,
    pub policy: Option<StsPolicySummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TlsRptCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub record: Option<String>,
    pub rua: Vec<String>,
}

/// The one TXT record at `lookup` that starts with `prefix` (case-insensitive), all of them
/// when there are several.
fn records_with_prefix(lookup: &Lookup, prefix: &str) -> Vec<String> {
    txt_records(lookup)
        .into_iter()
        .map(|(text, _)| text)
        .filter(|text| {
            text.trim_start()
                .to_ascii_lowercase()
                .replace(' ', "")
                .starts_with(prefix)
        })
        .collect()
}

pub async fn check_mta_sts(
    resolver: &dyn Resolver,
    domain: &str,
    fetcher: Option<&dyn PolicyFetcher>,
) -> (MtaStsCheck, Vec<Finding>) {
    const CHECK: CheckName = CheckName::MtaSts;
    let name = format!("_mta-sts.{domain}");
    let policy_url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
    let lookup = resolver.lookup(&name, RecordType::Txt).await;
    let mut findings = Vec::new();
    let mut check = MtaStsCheck {
        status: Status::Missing,
        summary: String::new(),
        cause: None,
        record: None,
        id: None,
        policy_status: "not_fetched",
        policy_url: policy_url.clone(),
        policy: None,
    };
    if let Outcome::Failed(failure) = &lookup.outcome {
        findings.push(lookup_failed(CHECK, &lookup, failure));
        check.status = Status::Unknown;
        check.cause = cause_of(&lookup);
        check.summary = "the MTA-STS record could not be looked up".into();
        return (check, findings);
    }
    let records = records_with_prefix(&lookup, "v=stsv1");
    let Some(text) = records.first().cloned() else {
        findings.push(
            Finding::new(
                CHECK,
                &rules::STS_MISSING,
                format!("no MTA-STS record at {name}"),
                format!("publish a policy at {policy_url} and then:\n{name}. IN TXT \"v=STSv1; id=20260101T000000\""),
            )
            .at_name(&name),
        );
        check.summary = "no MTA-STS record: TLS to your MX is opportunistic".into();
        return (check, findings);
    };
    let parsed = sts_parse::parse(&text);
    for diagnostic in &parsed.diagnostics {
        findings.push(Finding::from_diagnostic(CHECK, diagnostic, &text, &name));
    }
    check.id = parsed.value.id.clone();
    check.record = Some(text);

    match fetcher {
        None => check.policy_status = "not_fetched",
        Some(fetcher) => match fetcher.fetch(&policy_url).await {
            PolicyFetch::Fetched(body) => {
                check.policy_status = "fetched";
                let policy = sts_parse::parse_policy(&body);
                for diagnostic in &policy.diagnostics {
                    findings.push(Finding::from_diagnostic(CHECK, diagnostic, &body, &policy_url));
                }
                let mode = policy.value.mode.map(|mode| {
                    match mode {
                        sts_parse::Mode::Enforce => "enforce",
                        sts_parse::Mode::Testing => "testing",
                        sts_parse::Mode::None => "none",
                    }
                    .to_string()
                });
                let max_age = policy.value.max_age.map(u64::from);
                let mx = policy.value.mx.iter().map(|pattern| pattern.pattern.clone()).collect();
                check.policy = Some(StsPolicySummary {
                    mode,
                    max_age,
                    mx,
                    text: body,
                });
            }
            PolicyFetch::NotCheckableFromBrowser => check.policy_status = "not_checkable_from_browser",
            PolicyFetch::NotFetched => check.policy_status = "not_fetched",
            PolicyFetch::Failed(detail) => {
                check.policy_status = "failed";
                findings.push(
                    Finding::new(
                        CHECK,
                        &rules::STS_POLICY_UNREACHABLE,
                        format!("the MTA-STS policy could not be fetched: {detail}"),
                        format!("serve the policy over HTTPS with a valid certificate at {policy_url}"),
                    )
                    .at_name(&policy_url),
                );
            }
        },
    }
    (check, findings)
}

/// Settles the MTA-STS check once the MX hosts are known: every MX host must match a policy
/// pattern, or senders enforcing the policy refuse to deliver to it.
pub fn compare_with_mx(check: &mut MtaStsCheck, findings: &mut Vec<Finding>, mx: &MxCheck) {
    if let Some(policy) = &check.policy {
        let enforcing = matches!(policy.mode.as_deref(), Some("enforce") | Some("testing"));
        if enforcing {
            for host in mx.records.iter().filter(|h| h.exchange != ".") {
                if !policy.mx.iter().any(|pattern| mx_matches(pattern, &host.exchange)) {
                    findings.push(
                        Finding::new(
                            CheckName::MtaSts,
                            &rules::STS_MX_NOT_COVERED,
                            format!(
                                "the MX host {} matches no mx: line of the MTA-STS policy",
                                host.exchange
                            ),
                            format!("add it to the policy file:\nmx: {}", host.exchange),
                        )
                        .at_name(&check.policy_url)
                        .with_record(&policy.text, None),
                    );
                }
            }
        }
    }
    if check.status == Status::Unknown || check.record.is_none() {
        return;
    }
    check.status = status_from(findings);
    check.summary = match (check.policy_status, check.policy.as_ref().and_then(|p| p.mode.clone())) {
        ("fetched", Some(mode)) => format!("MTA-STS policy in {mode} mode"),
        ("not_checkable_from_browser", _) => {
            "MTA-STS record found; the policy file cannot be read from a browser (the server sends no CORS header)"
                .into()
        }
        ("failed", _) => "MTA-STS record found, but the policy file could not be fetched".into(),
        _ => "MTA-STS record found; the policy file was not fetched".into(),
    };
}

/// RFC 8461 §4.1: a pattern matches the host exactly, or `*.` matches one leftmost label.
fn mx_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => host.split_once('.').is_some_and(|(_, rest)| rest == suffix),
        None => pattern == host,
    }
}

pub async fn check_tls_rpt(resolver: &dyn Resolver, domain: &str) -> (TlsRptCheck, Vec<Finding>) {
    const CHECK: CheckName = CheckName::TlsRpt;
    let name = format!("_smtp._tls.{domain}");
    let lookup = resolver.lookup(&name, RecordType::Txt).await;
    let mut findings = Vec::new();
    let mut check = TlsRptCheck {
        status: Status::Missing,
        summary: String::new(),
        cause: None,
        record: None,
        rua: Vec::new(),
    };
    if let Outcome::Failed(failure) = &lookup.outcome {
        findings.push(lookup_failed(CHECK, &lookup, failure));
        check.status = Status::Unknown;
        check.cause = cause_of(&lookup);
        check.summary = "the TLS-RPT record could not be looked up".into();
        return (check, findings);
    }
    let records = records_with_prefix(&lookup, "v=tlsrptv1");
    let Some(text) = records.first().cloned() else {
        findings.push(
            Finding::new(
                CHECK,
                &rules::TLSRPT_MISSING,
                format!("no TLS-RPT record at {name}"),
                format!("{name}. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\""),
            )
            .at_name(&name),
        );
        check.summary = "no TLS-RPT record: TLS delivery failures go unreported".into();
        return (check, findings);
    };
    let parsed = tlsrpt_parse::parse(&text);
    for diagnostic in &parsed.diagnostics {
        findings.push(Finding::from_diagnostic(CHECK, diagnostic, &text, &name));
    }
    check.rua = parsed.value.rua.iter().map(|uri| uri.uri.clone()).collect();
    check.record = Some(text);
    check.status = status_from(&findings);
    check.summary = format!(
        "TLS reports go to {}",
        if check.rua.is_empty() {
            "nowhere".to_string()
        } else {
            check.rua.join(", ")
        }
    );
    (check, findings)
}

#[cfg(test)]
mod tests {
    use super::mx_matches;

    #[test]
    fn mx_patterns() {
        assert!(mx_matches("mx1.example.com", "MX1.example.com."));
        assert!(mx_matches("*.example.com", "mx1.example.com"));
        assert!(!mx_matches("*.example.com", "a.mx1.example.com"));
        assert!(!mx_matches("*.example.com", "example.com"));
        assert!(!mx_matches("mx1.example.com", "mx2.example.com"));
    }
}
