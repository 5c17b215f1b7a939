//! BIMI: the brand logo record, and its prerequisite, an enforced DMARC policy.

use serde::Serialize;

use super::{cause_of, lookup_failed, rules, status_from, txt_records, CheckName, DmarcCheck, Finding, Status};
use crate::dns::{Lookup, Outcome, RecordType, Resolver};
use crate::parse::bimi as bimi_parse;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BimiCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub record: Option<String>,
    pub logo: Option<String>,
    pub authority: Option<String>,
}

const CHECK: CheckName = CheckName::Bimi;

/// The BIMI lookup starts with everything else; judging it waits for DMARC.
pub async fn lookup(resolver: &dyn Resolver, domain: &str) -> Lookup {
    resolver
        .lookup(&format!("default._bimi.{domain}"), RecordType::Txt)
        .await
}

pub fn check(domain: &str, lookup: &Lookup, dmarc: &DmarcCheck) -> (BimiCheck, Vec<Finding>) {
    let name = format!("default._bimi.{domain}");
    let mut findings = Vec::new();
    let mut check = BimiCheck {
        status: Status::Missing,
        summary: String::new(),
        cause: None,
        record: None,
        logo: None,
        authority: None,
    };
    if let Outcome::Failed(failure) = &lookup.outcome {
        findings.push(lookup_failed(CHECK, lookup, failure));
        check.status = Status::Unknown;
        check.cause = cause_of(lookup);
        check.summary = "the BIMI record could not be looked up".into();
        return (check, findings);
    }
    let record = txt_records(lookup)
        .into_iter()
        .map(|(text, _)| text)
        .find(|text| text.trim_start().to_ascii_lowercase().starts_with("v=bimi1"));
    let Some(text) = record else {
        findings.push(
            Finding::new(
                CHECK,
                &rules::BIMI_MISSING,
                format!("no BIMI record at {name}"),
                format!("optional: once DMARC is at quarantine or reject, publish\n{name}. IN TXT \"v=BIMI1; l=https://{domain}/logo.svg\""),
            )
            .at_name(&name),
        );
        check.summary = "no BIMI record (optional)".into();
        return (check, findings);
    };
    let parsed = bimi_parse::parse(&text);
    for diagnostic in &parsed.diagnostics {
        findings.push(Finding::from_diagnostic(CHECK, diagnostic, &text, &name));
    }
    check.logo = parsed.value.logo.clone();
    check.authority = parsed.value.authority.clone();
    let enforced = matches!(dmarc.policy.as_deref(), Some("quarantine") | Some("reject")) && !dmarc.weakened;
    if dmarc.status != Status::Unknown && !enforced {
        findings.push(
            Finding::new(
                CHECK,
                &rules::BIMI_DMARC_NOT_ENFORCED,
                format!(
                    "the DMARC policy is {}, so mailbox providers will not show the BIMI logo",
                    match (dmarc.policy.as_deref(), dmarc.record.is_some()) {
                        (Some(policy), _) if dmarc.weakened => format!("{policy} but weakened (t=y, pct below 100 or sp=none)"),
                        (Some(policy), _) => policy.to_string(),
                        (None, true) => "unusable".to_string(),
                        (None, false) => "missing".to_string(),
                    }
                ),
                format!("enforce DMARC without weakening (no t=y, no pct below 100, no sp=none):\n_dmarc.{domain}. IN TXT \"v=DMARC1; p=quarantine\""),
            )
            .at_name(&name),
        );
    }
    check.record = Some(text);
    check.status = status_from(&findings);
    check.summary = if enforced {
        "BIMI record published, DMARC enforced".into()
    } else {
        "BIMI record published, but DMARC is not enforced".into()
    };
    (check, findings)
}
