//! The rule catalogue: one registry of every rule any parser or check can report.
//!
//! Each record kind declares its rules next to the code that reports them (`RULES` in each
//! parser or check module); this module only gathers them. The documentation ships inside the
//! crate. The wasm build leaves it out (it is a third of the module's data) and the page reads
//! the same text from `www/rules.json`, which a test keeps equal to this catalogue and the
//! service worker keeps for offline use.

use serde::Serialize;

use crate::diag::Severity;

/// What a rule is about; also the prefix family of its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Spf,
    Dmarc,
    Dkim,
    Bimi,
    MtaSts,
    TlsRpt,
    Zone,
    Mx,
    Dns,
    SendingIp,
    Reputation,
    Dnssec,
}

/// The score area a rule's weight counts against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Authentication,
    Infrastructure,
    Reputation,
    TransportSecurity,
    Brand,
    /// Informational rules that never move the score.
    None,
}

/// One rule. Documentation sections are fixed so every rule explains itself the same way.
/// In the wasm build the five sections are empty and left out of the JSON (see [`Rule::for_target`]).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rule {
    /// Stable code, e.g. `SPF010`. Never reused, never renumbered.
    pub code: &'static str,
    /// Names what is flagged, e.g. `SpfPlusAll`.
    pub name: &'static str,
    pub category: Category,
    /// Default severity of diagnostics raised under this rule.
    pub severity: Severity,
    pub area: Area,
    /// Points this finding costs in its area when present (0 for informational rules).
    pub weight: u8,
    /// What it checks.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub checks: &'static str,
    /// Why it matters to a receiving server.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub why: &'static str,
    /// A record that triggers the rule.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub problematic: &'static str,
    /// The same record corrected.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub corrected: &'static str,
    /// RFC sections or provider documents.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub references: &'static str,
}

impl Rule {
    /// The rule as this build carries it. Every rule constant is built through this, so in the
    /// wasm build the documentation text is dropped at compile time and never reaches the module;
    /// natively it is the identity.
    pub const fn for_target(self) -> Rule {
        #[cfg(target_arch = "wasm32")]
        {
            Rule {
                checks: "",
                why: "",
                problematic: "",
                corrected: "",
                references: "",
                ..self
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self
        }
    }
}

/// Every rule of every module, in catalogue order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    let groups: [&'static [&'static Rule]; 16] = [
        crate::parse::spf::RULES,
        crate::parse::dmarc::TAG_RULES,
        crate::parse::dmarc::RULES,
        crate::parse::dkim::TAG_RULES,
        crate::parse::dkim::RULES,
        crate::parse::bimi::TAG_RULES,
        crate::parse::bimi::RULES,
        crate::parse::mta_sts::TAG_RULES,
        crate::parse::mta_sts::RULES,
        crate::parse::tlsrpt::TAG_RULES,
        crate::parse::tlsrpt::RULES,
        crate::parse::zone::RULES,
        crate::parse::analyze::RULES,
        crate::parse::RULES,
        crate::check::rules::RULES,
        crate::ip::RULES,
    ];
    groups.into_iter().flatten().copied()
}

/// The rule with this code, if any.
pub fn find(code: &str) -> Option<&'static Rule> {
    all().find(|rule| rule.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_every_rule_is_documented() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in all() {
            assert!(codes.insert(rule.code), "two rules share the code {}", rule.code);
            assert!(names.insert(rule.name), "two rules share the name {}", rule.name);
            for (section, text) in [
                ("checks", rule.checks),
                ("why", rule.why),
                ("problematic", rule.problematic),
                ("corrected", rule.corrected),
                ("references", rule.references),
            ] {
                assert!(
                    !text.trim().is_empty(),
                    "rule {} lacks the section {section}",
                    rule.code
                );
            }
            assert!(
                rule.code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                "rule code {} is not upper-case letters and digits",
                rule.code
            );
        }
    }
}
