//! The published sender rules of Google, Yahoo and Microsoft, set beside what DNS shows.
//! The rules and their dates live in this one table; each row cites its source.

use serde::Serialize;

/// What a row needs from the report to be judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    SpfOrDkim,
    SpfAndDkim,
    Spf,
    Dkim,
    DmarcRecord,
    ReverseDns,
    MxForReplies,
    /// DNS cannot show it; `instead` says what to do.
    NotFromDns,
}

pub struct Rule {
    pub provider: &'static str,
    pub scope: &'static str,
    pub requirement: &'static str,
    pub needs: Needs,
    /// For rows DNS cannot judge: where to look instead.
    pub instead: &'static str,
    pub source: &'static str,
    pub date: &'static str,
}

const GOOGLE: &str = "https://support.google.com/a/answer/81126";
const GOOGLE_DATE: &str = "2024-02-01 (bulk-sender enforcement from 2024-02; rejections from 2025-11)";
const YAHOO: &str = "https://senders.yahooinc.com/best-practices/";
const YAHOO_DATE: &str = "2024-02-01";
const MICROSOFT: &str = "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730";
const MICROSOFT_DATE: &str = "2025-04-02 (enforced from 2025-05-05)";

pub const RULES: &[Rule] = &[
    Rule {
        provider: "Google",
        scope: "all senders",
        requirement: "SPF or DKIM authentication for the sending domain",
        needs: Needs::SpfOrDkim,
        instead: "",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Google",
        scope: "all senders",
        requirement: "Valid forward and reverse DNS (PTR) for sending IPs",
        needs: Needs::ReverseDns,
        instead: "",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Google",
        scope: "all senders",
        requirement: "TLS for transmitting email",
        needs: Needs::NotFromDns,
        instead: "check that your sending service uses STARTTLS (a received message's headers show it)",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Google",
        scope: "all senders",
        requirement: "Spam rate reported in Postmaster Tools below 0.3% (ideally below 0.1%)",
        needs: Needs::NotFromDns,
        instead: "read the spam rate in Google Postmaster Tools",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Google",
        scope: "all senders",
        requirement: "Messages formatted according to RFC 5322",
        needs: Needs::NotFromDns,
        instead: "check a sent message's headers (one From, valid Date and Message-ID)",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Google",
        scope: "5,000+ messages a day",
        requirement: "Both SPF and DKIM",
        needs: Needs::SpfAndDkim,
        instead: "",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Google",
        scope: "5,000+ messages a day",
        requirement: "A DMARC record (p=none is enough)",
        needs: Needs::DmarcRecord,
        instead: "",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Google",
        scope: "5,000+ messages a day",
        requirement: "From domain aligned with the SPF or DKIM domain",
        needs: Needs::NotFromDns,
        instead: "check a received message: the From domain must match the DKIM d= or the Return-Path domain",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Google",
        scope: "5,000+ messages a day",
        requirement: "One-click unsubscribe (RFC 8058) in marketing mail",
        needs: Needs::NotFromDns,
        instead: "check for List-Unsubscribe and List-Unsubscribe-Post headers in sent marketing mail",
        source: GOOGLE,
        date: GOOGLE_DATE,
    },
    Rule {
        provider: "Yahoo",
        scope: "all senders",
        requirement: "SPF or DKIM authentication",
        needs: Needs::SpfOrDkim,
        instead: "",
        source: YAHOO,
        date: YAHOO_DATE,
    },
    Rule {
        provider: "Yahoo",
        scope: "all senders",
        requirement: "Valid forward and reverse DNS for sending IPs",
        needs: Needs::ReverseDns,
        instead: "",
        source: YAHOO,
        date: YAHOO_DATE,
    },
    Rule {
        provider: "Yahoo",
        scope: "all senders",
        requirement: "Spam complaint rate below 0.3%",
        needs: Needs::NotFromDns,
        instead: "watch the complaint feedback loop for your sending IPs",
        source: YAHOO,
        date: YAHOO_DATE,
    },
    Rule {
        provider: "Yahoo",
        scope: "bulk senders",
        requirement: "Both SPF and DKIM",
        needs: Needs::SpfAndDkim,
        instead: "",
        source: YAHOO,
        date: YAHOO_DATE,
    },
    Rule {
        provider: "Yahoo",
        scope: "bulk senders",
        requirement: "A DMARC policy (p=none at least) that passes",
        needs: Needs::DmarcRecord,
        instead: "",
        source: YAHOO,
        date: YAHOO_DATE,
    },
    Rule {
        provider: "Yahoo",
        scope: "bulk senders",
        requirement: "One-click unsubscribe, honoured within 2 days",
        needs: Needs::NotFromDns,
        instead: "check for List-Unsubscribe and List-Unsubscribe-Post headers",
        source: YAHOO,
        date: YAHOO_DATE,
    },
    Rule {
        provider: "Microsoft",
        scope: "5,000+ messages a day",
        requirement: "SPF passes for the sending domain",
        needs: Needs::Spf,
        instead: "",
        source: MICROSOFT,
        date: MICROSOFT_DATE,
    },
    Rule {
        provider: "Microsoft",
        scope: "5,000+ messages a day",
        requirement: "DKIM passes",
        needs: Needs::Dkim,
        instead: "",
        source: MICROSOFT,
        date: MICROSOFT_DATE,
    },
    Rule {
        provider: "Microsoft",
        scope: "5,000+ messages a day",
        requirement: "DMARC at least p=none, aligned with SPF or DKIM",
        needs: Needs::DmarcRecord,
        instead: "",
        source: MICROSOFT,
        date: MICROSOFT_DATE,
    },
    Rule {
        provider: "Microsoft",
        scope: "5,000+ messages a day",
        requirement: "The sender address can receive replies",
        needs: Needs::MxForReplies,
        instead: "",
        source: MICROSOFT,
        date: MICROSOFT_DATE,
    },
    Rule {
        provider: "Microsoft",
        scope: "5,000+ messages a day",
        requirement: "Functional unsubscribe links",
        needs: Needs::NotFromDns,
        instead: "check that unsubscribe links in sent mail work",
        source: MICROSOFT,
        date: MICROSOFT_DATE,
    },
];

/// What DNS showed, reduced to what the rules ask.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    /// `Some(true)` SPF usable, `Some(false)` missing or broken, `None` unknown.
    pub spf: Option<bool>,
    pub dkim: Option<bool>,
    pub dmarc: Option<bool>,
    /// Forward-confirmed reverse DNS for every sending IP; `None` when no IP was given or a
    /// lookup failed.
    pub reverse_dns: Option<bool>,
    pub mx: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub provider: &'static str,
    pub scope: &'static str,
    pub requirement: &'static str,
    /// `met`, `not_met`, `unknown` or `not_checkable`.
    pub status: &'static str,
    pub detail: String,
    pub source: &'static str,
    pub date: &'static str,
}

fn judge(value: Option<bool>, yes: &str, no: &str, unknown: &str) -> (&'static str, String) {
    match value {
        Some(true) => ("met", yes.to_string()),
        Some(false) => ("not_met", no.to_string()),
        None => ("unknown", unknown.to_string()),
    }
}

fn both(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn either(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

pub fn evaluate(evidence: &Evidence) -> Vec<Requirement> {
    RULES
        .iter()
        .map(|rule| {
            let (status, detail) = match rule.needs {
                Needs::SpfOrDkim => judge(
                    either(evidence.spf, evidence.dkim),
                    "DNS shows SPF or a DKIM key",
                    "neither a usable SPF record nor a DKIM key was found",
                    "SPF and DKIM could not both be checked",
                ),
                Needs::SpfAndDkim => judge(
                    both(evidence.spf, evidence.dkim),
                    "DNS shows SPF and a DKIM key",
                    "SPF or DKIM is missing (a DKIM selector may exist that was not probed: give it)",
                    "SPF or DKIM could not be checked",
                ),
                Needs::Spf => judge(
                    evidence.spf,
                    "a usable SPF record is published",
                    "no usable SPF record",
                    "SPF could not be checked",
                ),
                Needs::Dkim => judge(
                    evidence.dkim,
                    "a DKIM key is published",
                    "no usable DKIM key found at the selectors probed (a revoked key does not count)",
                    "DKIM could not be checked",
                ),
                Needs::DmarcRecord => judge(
                    evidence.dmarc,
                    "a DMARC policy is published",
                    "no usable DMARC policy",
                    "DMARC could not be checked",
                ),
                Needs::ReverseDns => judge(
                    evidence.reverse_dns,
                    "every sending IP has forward-confirmed reverse DNS",
                    "a sending IP lacks a PTR or its PTR name does not point back",
                    "give the sending IPs to check their reverse DNS",
                ),
                Needs::MxForReplies => judge(
                    evidence.mx,
                    "the domain's MX accepts replies",
                    "the domain cannot receive replies (no usable MX)",
                    "the MX could not be checked",
                ),
                Needs::NotFromDns => ("not_checkable", format!("not checkable from DNS: {}", rule.instead)),
            };
            Requirement {
                provider: rule.provider,
                scope: rule.scope,
                requirement: rule.requirement,
                status,
                detail,
                source: rule.source,
                date: rule.date,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_cites_a_source_and_a_date() {
        for rule in RULES {
            assert!(rule.source.starts_with("https://"), "{}", rule.requirement);
            assert!(rule.date.starts_with("20"), "{}", rule.requirement);
            if rule.needs == Needs::NotFromDns {
                assert!(
                    !rule.instead.is_empty(),
                    "{} says nothing to do instead",
                    rule.requirement
                );
            }
        }
        for provider in ["Google", "Yahoo", "Microsoft"] {
            assert!(RULES.iter().any(|r| r.provider == provider));
        }
    }

    #[test]
    fn evidence_decides_each_row() {
        let good = Evidence {
            spf: Some(true),
            dkim: Some(true),
            dmarc: Some(true),
            reverse_dns: Some(true),
            mx: Some(true),
        };
        assert!(evaluate(&good)
            .iter()
            .all(|r| r.status == "met" || r.status == "not_checkable"));
        let no_dkim = Evidence {
            dkim: Some(false),
            ..good.clone()
        };
        let rows = evaluate(&no_dkim);
        assert!(rows
            .iter()
            .any(|r| r.requirement == "Both SPF and DKIM" && r.status == "not_met"));
        assert!(rows
            .iter()
            .any(|r| r.requirement.starts_with("SPF or DKIM") && r.status == "met"));
        let unknown = Evidence::default();
        assert!(evaluate(&unknown)
            .iter()
            .all(|r| r.status == "unknown" || r.status == "not_checkable"));
    }
}
