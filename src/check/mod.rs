//! The checks of one domain, run the way a receiving mail server looks a sender up: every
//! independent lookup at once, each check reporting as soon as its own answers are in.
//!
//! Invariant: a lookup that failed ([`Outcome::Failed`]) makes its check `unknown` with the
//! cause; it is never reported as a missing record.

mod bimi;
mod dkim;
mod dmarc;
pub mod input;
mod mx;
pub mod requirements;
pub mod rules;
pub mod score;
mod sending;
mod spf;
mod sts;
pub mod trace;

use std::cell::RefCell;
use std::net::IpAddr;

use crate::future::{join, LocalBoxFuture};
use serde::Serialize;

use crate::catalogue::Rule;
use crate::diag::{Diagnostic, RelatedLabel, Severity, Span};
use crate::dns::{Failure, Lookup, Outcome, Resolver};

pub use bimi::BimiCheck;
pub use dkim::{DkimCheck, DkimSelector};
pub use dmarc::{DmarcCheck, ExternalReport};
pub use input::{normalize_domain, Domain, InputError};
pub use mx::{MxCheck, MxHost};
pub use sending::{IpCheck, ReputationCheck};
pub use spf::SpfCheck;
pub use sts::{MtaStsCheck, StsPolicySummary, TlsRptCheck};

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Missing,
    /// The check could not be completed (a lookup failed); see the check's `cause`.
    Unknown,
}

/// Which check a finding or progress event belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckName {
    Mx,
    Spf,
    Dmarc,
    Dkim,
    MtaSts,
    TlsRpt,
    Bimi,
    Dnssec,
    Ip,
    Reputation,
}

/// One finding in a report: a rule, where it sits, what is wrong and the fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub check: CheckName,
    pub message: String,
    pub help: String,
    /// The record text at fault, when a record is at fault; `span` points into it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// A second place in `record`, from the parser diagnostic (the first of a duplicated tag).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Span>,
    /// What sits at `related`, e.g. "the first one".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_label: Option<RelatedLabel>,
    /// The DNS name the record was found at, or the name the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Finding {
    pub fn new(check: CheckName, rule: &Rule, message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            code: rule.code,
            severity: rule.severity,
            check,
            message: message.into(),
            help: help.into(),
            record: None,
            span: None,
            related: None,
            related_label: None,
            name: None,
        }
    }

    /// A parser diagnostic about `record` (published at `name`) as a report finding.
    pub fn from_diagnostic(check: CheckName, diagnostic: &Diagnostic, record: &str, name: &str) -> Finding {
        Finding {
            code: diagnostic.code,
            severity: diagnostic.severity,
            check,
            message: diagnostic.message.to_string(),
            help: diagnostic.help.to_string(),
            record: Some(record.to_string()),
            span: Some(diagnostic.span),
            related: diagnostic.related,
            related_label: diagnostic.related_label,
            name: Some(name.to_string()),
        }
    }

    pub fn at_name(mut self, name: &str) -> Finding {
        self.name = Some(name.to_string());
        self
    }

    pub fn with_record(mut self, record: &str, span: Option<Span>) -> Finding {
        self.record = Some(record.to_string());
        self.span = span;
        self
    }
}

/// The finding for a lookup that failed, and the cause text for the check.
pub(crate) fn lookup_failed(check: CheckName, lookup: &Lookup, failure: &Failure) -> Finding {
    Finding::new(
        check,
        &rules::DNS_LOOKUP_FAILED,
        format!("{} lookup for {} failed: {failure}", lookup.rtype, lookup.name),
        "this says nothing about whether the record exists; retry, or try another resolver",
    )
    .at_name(&lookup.name)
}

/// Describes a failure for a check's `cause` field.
pub(crate) fn cause_of(lookup: &Lookup) -> Option<String> {
    match &lookup.outcome {
        Outcome::Failed(failure) => Some(format!("{} {}: {failure}", lookup.name, lookup.rtype)),
        _ => None,
    }
}

/// A check's status from its findings: fail on an error, warn on a warning, pass otherwise.
pub(crate) fn status_from(findings: &[Finding]) -> Status {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Fail
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Status::Warn
    } else {
        Status::Pass
    }
}

/// TXT records at a name as text, each with its character-strings kept (non-UTF-8 bytes
/// replaced, since every record kind sendercheck reads is ASCII).
pub(crate) fn txt_records(lookup: &Lookup) -> Vec<(String, Vec<Vec<u8>>)> {
    lookup
        .outcome
        .records()
        .iter()
        .filter_map(|rdata| match rdata {
            crate::dns::RData::Txt(strings) => {
                Some((String::from_utf8_lossy(&strings.concat()).into_owned(), strings.clone()))
            }
            _ => None,
        })
        .collect()
}

/// DNSSEC: whether the resolver validated the domain's answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DnssecCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub validated: bool,
}

/// All checks of a domain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Checks {
    pub mx: MxCheck,
    pub spf: SpfCheck,
    pub dmarc: DmarcCheck,
    pub dkim: DkimCheck,
    pub mta_sts: MtaStsCheck,
    pub tls_rpt: TlsRptCheck,
    pub bimi: BimiCheck,
    pub dnssec: DnssecCheck,
    /// The domain on domain reputation lists.
    pub reputation: ReputationCheck,
    /// One entry per sending IP; absent when none was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<Vec<IpCheck>>,
}

/// The report of one domain, the same from the CLI (`--json`) and from the wasm API.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// A-label form.
    pub domain: String,
    /// Unicode form, for display.
    pub display_domain: String,
    pub checks: Checks,
    pub findings: Vec<Finding>,
    /// Distinct DNS questions sent.
    pub queries: usize,
    /// The longest chain of lookups where each needed the one before.
    pub critical_path: u32,
    pub elapsed_ms: u64,
    pub resolvers: Vec<String>,
    /// 0 to 100 over the checks that could be judged.
    /// 0 to 100; `null` when half the points or more could not be judged.
    pub score: Option<u32>,
    pub grade: Option<char>,
    /// Points (of 100) set aside because a check was unknown.
    pub unknown_points: f64,
    pub areas: Vec<score::AreaScore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade_cap: Option<String>,
    /// A parked domain (Null MX, `v=spf1 -all`, DMARC reject) is judged as one.
    pub parked: bool,
    pub requirements: Vec<requirements::Requirement>,
}

/// What the caller asks for beyond the domain.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub ips: Vec<IpAddr>,
    /// MAIL FROM for SPF; `postmaster@<domain>` when not given.
    pub sender: Option<String>,
    /// HELO name for SPF's `%{h}`; the domain when not given.
    pub helo: Option<String>,
    /// DKIM selectors given by the user, probed beside the common ones.
    pub selectors: Vec<String>,
    /// Resolver URLs, for the report.
    pub resolvers: Vec<String>,
}

/// Fetches an MTA-STS policy file. Natively over HTTPS; in a browser through fetch, which the
/// policy host's CORS headers may refuse.
pub trait PolicyFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> LocalBoxFuture<'a, PolicyFetch>;
}

/// The outcome of fetching an MTA-STS policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyFetch {
    Fetched(String),
    /// The browser would not let the page read it (CORS); not a fault of the domain.
    NotCheckableFromBrowser,
    Failed(String),
    /// No fetcher (offline mode).
    NotFetched,
}

/// A progress event: one check has settled. `findings` are that check's findings.
#[derive(Clone, Debug, Serialize)]
pub struct Progress<'a> {
    pub check: CheckName,
    pub result: CheckResult<'a>,
    pub findings: &'a [Finding],
}

/// Any check's result, borrowed, so a progress event can carry it.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(untagged)]
pub enum CheckResult<'a> {
    Mx(&'a MxCheck),
    Spf(&'a SpfCheck),
    Dmarc(&'a DmarcCheck),
    Dkim(&'a DkimCheck),
    MtaSts(&'a MtaStsCheck),
    TlsRpt(&'a TlsRptCheck),
    Bimi(&'a BimiCheck),
    Dnssec(&'a DnssecCheck),
    Reputation(&'a ReputationCheck),
    Ip(&'a [IpCheck]),
}

/// Runs every check of `domain` through `resolver`, calling `progress` as each check settles.
/// `now_ms` reads a clock (the browser and native clocks differ), for `elapsed_ms`.
pub async fn check_domain(
    domain: &Domain,
    resolver: &dyn Resolver,
    fetcher: Option<&dyn PolicyFetcher>,
    options: &Options,
    progress: &dyn Fn(Progress<'_>),
    now_ms: &dyn Fn() -> f64,
) -> Report {
    let started = now_ms();
    let name = domain.ascii.as_str();
    let dmarc_name = format!("_dmarc.{name}");
    let traced = trace::Traced::new(resolver, vec![name.to_string(), dmarc_name]);
    let findings = RefCell::new(Vec::new());
    let emit = |check: CheckName, value: CheckResult<'_>, found: Vec<Finding>| {
        progress(Progress {
            check,
            result: value,
            findings: &found,
        });
        findings.borrow_mut().extend(found);
    };

    let mx_future = async {
        let (check, found) = mx::check(&traced, name).await;
        emit(CheckName::Mx, CheckResult::Mx(&check), found);
        check
    };
    let spf_future = async {
        let (check, found) = spf::check(&traced, name, options).await;
        emit(CheckName::Spf, CheckResult::Spf(&check), found);
        check
    };
    let dmarc_future = async {
        let (dmarc_check, dmarc_found) = dmarc::check(&traced, name).await;
        emit(CheckName::Dmarc, CheckResult::Dmarc(&dmarc_check), dmarc_found);
        dmarc_check
    };
    let bimi_record = bimi::lookup(&traced, name);
    let dkim_future = async {
        let (check, found) = dkim::check(&traced, name, &options.selectors).await;
        emit(CheckName::Dkim, CheckResult::Dkim(&check), found);
        check
    };
    let sts_future = async { sts::check_mta_sts(&traced, name, fetcher).await };
    let sender = options.sender.clone().unwrap_or_else(|| format!("postmaster@{name}"));
    let helo = options.helo.clone().unwrap_or_else(|| name.to_string());
    let ip_future = async {
        if options.ips.is_empty() {
            return None;
        }
        let (checks, found) = sending::check_ips(&traced, name, &options.ips, &sender, &helo).await;
        emit(CheckName::Ip, CheckResult::Ip(&checks), found);
        Some(checks)
    };
    let reputation_future = async {
        let (check, found) = sending::check_reputation(&traced, name).await;
        emit(CheckName::Reputation, CheckResult::Reputation(&check), found);
        check
    };
    let tlsrpt_future = async {
        let (check, found) = sts::check_tls_rpt(&traced, name).await;
        emit(CheckName::TlsRpt, CheckResult::TlsRpt(&check), found);
        check
    };

    join!(let (mx_check, spf_check, dmarc_check, bimi_lookup, dkim_check, sts, tlsrpt_check, ip_checks, reputation_check) = (
        mx_future,
        spf_future,
        dmarc_future,
        bimi_record,
        dkim_future,
        sts_future,
        tlsrpt_future,
        ip_future,
        reputation_future
    ));
    let (mut sts_check, mut sts_found) = sts;

    // MTA-STS patterns are compared with the MX hosts, so it settles after MX.
    sts::compare_with_mx(&mut sts_check, &mut sts_found, &mx_check);
    emit(CheckName::MtaSts, CheckResult::MtaSts(&sts_check), sts_found);

    // BIMI is displayed only under an enforced DMARC policy, so it settles after DMARC.
    let (bimi_check, bimi_found) = bimi::check(name, &bimi_lookup, &dmarc_check);
    emit(CheckName::Bimi, CheckResult::Bimi(&bimi_check), bimi_found);

    let dnssec_check = dnssec_check(&traced);
    let dnssec_found = if dnssec_check.status == Status::Warn {
        vec![Finding::new(
            CheckName::Dnssec,
            &rules::DNSSEC_NOT_VALIDATED,
            format!("answers for {name} were not DNSSEC-validated by the resolver"),
            "sign the zone at your DNS provider and publish its DS record at your registrar",
        )
        .at_name(name)]
    } else {
        Vec::new()
    };
    emit(CheckName::Dnssec, CheckResult::Dnssec(&dnssec_check), dnssec_found);

    let findings = findings.into_inner();
    let parked = is_parked(&mx_check, &spf_check);
    let mut judged = judge(
        &findings,
        &mx_check,
        &spf_check,
        &dmarc_check,
        &dkim_check,
        &sts_check,
        &tlsrpt_check,
        &bimi_check,
        &dnssec_check,
        parked,
    );
    {
        use crate::catalogue::Area;
        let of = |check: CheckName| findings.iter().filter(|f| f.check == check).collect::<Vec<_>>();
        judged.push(score::Judged {
            check: CheckName::Reputation,
            area: Area::Reputation,
            status: reputation_check.status,
            applies: true,
            findings: of(CheckName::Reputation),
        });
        if let Some(ips) = &ip_checks {
            // Reverse DNS and IP lists are scored apart: a failed list lookup must not hide a
            // missing PTR, so each area is unknown only when its own lookups failed.
            let reverse_unknown = ips.iter().any(|ip| ip.fcrdns.is_none());
            let lists_unknown = ips.iter().all(|ip| {
                ip.blocklists
                    .iter()
                    .all(|l| !matches!(l.status, crate::ip::ListStatus::Listed | crate::ip::ListStatus::Clear))
            });
            let status_for = |unknown: bool| if unknown { Status::Unknown } else { Status::Pass };
            judged.push(score::Judged {
                check: CheckName::Ip,
                area: Area::Infrastructure,
                status: status_for(reverse_unknown),
                applies: true,
                findings: of(CheckName::Ip),
            });
            judged.push(score::Judged {
                check: CheckName::Ip,
                area: Area::Reputation,
                status: status_for(lists_unknown),
                applies: true,
                findings: of(CheckName::Ip),
            });
        }
    }
    let score = score::score(&judged);
    let evidence = requirements::Evidence {
        spf: usable(spf_check.status),
        dkim: match dkim_check.status {
            Status::Unknown => None,
            _ => Some(dkim_check.selectors.iter().any(|s| s.record.is_some() && !s.revoked)),
        },
        dmarc: match dmarc_check.status {
            Status::Unknown => None,
            _ => Some(dmarc_check.policy.is_some()),
        },
        reverse_dns: ip_checks.as_ref().and_then(|ips| {
            if ips.iter().any(|ip| ip.fcrdns == Some(false)) {
                Some(false)
            } else if ips.iter().all(|ip| ip.fcrdns == Some(true)) {
                Some(true)
            } else {
                None
            }
        }),
        // Replies reach the domain when one MX host has a usable address, as the MX card
        // counts them, even when another finding fails the check (a CNAME'd host, say).
        mx: match mx_check.status {
            Status::Unknown => None,
            _ => Some(
                !mx_check.null_mx
                    && mx_check
                        .records
                        .iter()
                        .any(|host| matches!(host.status, Status::Pass | Status::Warn)),
            ),
        },
    };
    let requirements = requirements::evaluate(&evidence);
    let elapsed = (now_ms() - started).max(0.0);
    Report {
        domain: domain.ascii.clone(),
        display_domain: domain.display.clone(),
        checks: Checks {
            mx: mx_check,
            spf: spf_check,
            dmarc: dmarc_check,
            dkim: dkim_check,
            mta_sts: sts_check,
            tls_rpt: tlsrpt_check,
            bimi: bimi_check,
            dnssec: dnssec_check,
            reputation: reputation_check,
            ip: ip_checks,
        },
        findings,
        queries: traced.queries(),
        critical_path: traced.critical_path(),
        elapsed_ms: elapsed as u64,
        resolvers: options.resolvers.clone(),
        score: score.score,
        grade: score.grade,
        unknown_points: score.unknown_points,
        areas: score.areas,
        grade_cap: score.grade_cap,
        parked,
        requirements,
    }
}

fn usable(status: Status) -> Option<bool> {
    match status {
        Status::Unknown => None,
        Status::Pass | Status::Warn => Some(true),
        Status::Fail | Status::Missing => Some(false),
    }
}

/// A domain that says it neither receives (Null MX) nor sends (`v=spf1 -all`) mail.
fn is_parked(mx: &MxCheck, spf: &SpfCheck) -> bool {
    let spf_denies_all = spf.record.as_deref().is_some_and(|record| {
        let terms: Vec<String> = record.split_whitespace().map(str::to_ascii_lowercase).collect();
        terms == ["v=spf1", "-all"]
    });
    mx.null_mx && mx.records.len() == 1 && spf_denies_all
}

/// Each check as the score sees it. For a parked domain, DKIM, MTA-STS, TLS-RPT and BIMI do not
/// apply: it sends and receives nothing, so it needs no keys, transport policy or logo.
#[allow(clippy::too_many_arguments)]
fn judge<'a>(
    findings: &'a [Finding],
    mx: &MxCheck,
    spf: &SpfCheck,
    dmarc: &DmarcCheck,
    dkim: &DkimCheck,
    sts: &MtaStsCheck,
    tlsrpt: &TlsRptCheck,
    bimi: &BimiCheck,
    dnssec: &DnssecCheck,
    parked: bool,
) -> Vec<score::Judged<'a>> {
    use crate::catalogue::Area;
    let of = |check: CheckName| findings.iter().filter(|f| f.check == check).collect::<Vec<_>>();
    vec![
        score::Judged {
            check: CheckName::Mx,
            area: Area::Infrastructure,
            status: mx.status,
            applies: true,
            findings: of(CheckName::Mx),
        },
        score::Judged {
            check: CheckName::Dnssec,
            area: Area::Infrastructure,
            status: dnssec.status,
            applies: true,
            findings: of(CheckName::Dnssec),
        },
        score::Judged {
            check: CheckName::Spf,
            area: Area::Authentication,
            status: spf.status,
            applies: true,
            findings: of(CheckName::Spf),
        },
        score::Judged {
            check: CheckName::Dmarc,
            area: Area::Authentication,
            status: dmarc.status,
            applies: true,
            findings: of(CheckName::Dmarc),
        },
        score::Judged {
            check: CheckName::Dkim,
            area: Area::Authentication,
            status: dkim.status,
            applies: !parked,
            findings: of(CheckName::Dkim),
        },
        score::Judged {
            check: CheckName::MtaSts,
            area: Area::TransportSecurity,
            status: sts.status,
            applies: !parked,
            findings: of(CheckName::MtaSts),
        },
        score::Judged {
            check: CheckName::TlsRpt,
            area: Area::TransportSecurity,
            status: tlsrpt.status,
            applies: !parked,
            findings: of(CheckName::TlsRpt),
        },
        score::Judged {
            check: CheckName::Bimi,
            area: Area::Brand,
            status: bimi.status,
            applies: !parked,
            findings: of(CheckName::Bimi),
        },
    ]
}

fn dnssec_check(traced: &trace::Traced<'_>) -> DnssecCheck {
    let tally = traced.validation();
    if tally.answers == 0 {
        return DnssecCheck {
            status: Status::Unknown,
            summary: "no answers with records to judge DNSSEC by".into(),
            cause: Some("the domain's own names returned no records".into()),
            validated: false,
        };
    }
    if tally.authenticated == tally.answers {
        DnssecCheck {
            status: Status::Pass,
            summary: "the resolver validated the domain's answers with DNSSEC (AD flag set)".into(),
            cause: None,
            validated: true,
        }
    } else {
        DnssecCheck {
            status: Status::Warn,
            summary: format!(
                "{} of {} answers for the domain were DNSSEC-validated",
                tally.authenticated, tally.answers
            ),
            cause: None,
            validated: false,
        }
    }
}
