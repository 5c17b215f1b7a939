//! The sending IPs (reverse DNS, SPF authorization, IP reputation lists) and the domain's own
//! reputation lists, as checks of the report. The work is done by [`crate::ip`]; this module
//! turns its results into report checks and findings.

use std::net::IpAddr;

use crate::future::{join, join_all};
use serde::Serialize;

use super::{CheckName, Finding, Status};
use crate::dns::Resolver;
use crate::ip::{self, Blocklist, IpFinding, IpStatus, ListStatus};
use crate::spf::{self as spf_eval, SpfResult};

/// One sending IP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IpCheck {
    pub address: String,
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub ptr: Vec<String>,
    /// Forward-confirmed reverse DNS; `None` when a lookup failed.
    pub fcrdns: Option<bool>,
    /// The SPF result for this IP as a sender for the domain.
    pub spf_result: Option<SpfResult>,
    pub spf_matched: Option<String>,
    pub blocklists: Vec<Blocklist>,
}

/// The domain's own reputation: domain blocklists (Spamhaus DBL, SURBL, URIBL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReputationCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub blocklists: Vec<Blocklist>,
}

pub(crate) fn finding_from(check: CheckName, found: IpFinding) -> Finding {
    Finding {
        code: found.code,
        severity: found.severity,
        check,
        message: found.message,
        help: found.help,
        record: None,
        span: None,
        related: None,
        related_label: None,
        name: found.name,
    }
}

fn status_of(status: IpStatus) -> Status {
    match status {
        IpStatus::Pass => Status::Pass,
        IpStatus::Warn => Status::Warn,
        IpStatus::Fail => Status::Fail,
        IpStatus::Unknown => Status::Unknown,
    }
}

/// Checks every sending IP side by side: reverse DNS, lists and SPF all start at once.
pub async fn check_ips(
    resolver: &dyn Resolver,
    domain: &str,
    ips: &[IpAddr],
    sender: &str,
    helo: &str,
) -> (Vec<IpCheck>, Vec<Finding>) {
    let results = join_all(ips.iter().map(|ip| async move {
        join!(let (report, evaluation) = (
            ip::check_ip(resolver, *ip),
            spf_eval::check_host(resolver, *ip, domain, sender, helo)
        ));
        (report, evaluation)
    }))
    .await;
    let mut checks = Vec::new();
    let mut findings = Vec::new();
    for (report, evaluation) in results {
        let mut status = status_of(report.status);
        let mut summary = report.summary.clone();
        let mut cause = report.cause;
        if evaluation.result != SpfResult::Pass {
            summary = format!("{summary}; SPF {}", evaluation.result.as_str());
            if evaluation.result == SpfResult::Temperror {
                // A DNS failure, not a verdict on this IP.
                if status == Status::Pass {
                    status = Status::Unknown;
                }
                cause.get_or_insert_with(|| "a DNS lookup failed while evaluating SPF (temperror)".to_string());
            } else if status == Status::Pass {
                status = Status::Warn;
            }
        }
        // The port-25 statement is the same for every IP: said once, with the first.
        let first = checks.is_empty();
        findings.extend(
            report
                .findings
                .into_iter()
                .filter(|f| first || f.code != crate::ip::rules::IP_INBOUND_SMTP_NOT_NEEDED.code)
                .map(|f| finding_from(CheckName::Ip, f)),
        );
        checks.push(IpCheck {
            address: report.address,
            status,
            summary,
            cause,
            ptr: report.ptr,
            fcrdns: report.fcrdns,
            spf_result: Some(evaluation.result),
            spf_matched: evaluation
                .matched
                .map(|m| format!("{} (in the record of {})", m.term, m.domain)),
            blocklists: report.blocklists,
        });
    }
    (checks, findings)
}

/// Checks the domain against the domain reputation lists.
pub async fn check_reputation(resolver: &dyn Resolver, domain: &str) -> (ReputationCheck, Vec<Finding>) {
    let blocklists = ip::check_domain_lists(resolver, domain).await;
    let findings: Vec<Finding> = ip::list_findings(domain, &blocklists)
        .into_iter()
        .map(|f| finding_from(CheckName::Reputation, f))
        .collect();
    let listed = blocklists.iter().filter(|l| l.status == ListStatus::Listed).count();
    let answered = blocklists
        .iter()
        .filter(|l| matches!(l.status, ListStatus::Listed | ListStatus::Clear))
        .count();
    let (status, summary, cause) = if listed > 0 {
        (
            Status::Fail,
            format!("listed on {listed} of {} domain lists", blocklists.len()),
            None,
        )
    } else if answered == 0 {
        (
            Status::Unknown,
            "no domain list could be queried through this resolver".to_string(),
            Some("every list refused or failed to answer through this resolver".to_string()),
        )
    } else {
        (
            Status::Pass,
            format!("not listed on the {answered} domain lists that answered"),
            None,
        )
    };
    (
        ReputationCheck {
            status,
            summary,
            cause,
            blocklists,
        },
        findings,
    )
}
