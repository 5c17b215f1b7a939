//! SPF evaluation (RFC 7208 §4-§7) over the [`Resolver`](crate::dns::Resolver) interface.
//!
//! Two entry points:
//! - [`check_host`] evaluates a domain's policy for one client IP exactly as a receiver does
//!   (results, limits, macros, explanations), and records the include/redirect tree it walked.
//! - [`expand`] walks the whole include/redirect tree without a client IP, the way record
//!   checkers count ("worst case": every DNS term counted), fetching sibling includes
//!   concurrently.
//!
//! Records are parsed with [`crate::parse::spf`]; DNS failures are never read as "no record":
//! any [`Outcome::Failed`](crate::dns::Outcome::Failed) on a lookup the RFC depends on gives
//! temperror.

mod eval;
mod expand;
mod macros;

use serde::Serialize;

use crate::diag::Span;

pub use eval::check_host;
pub use expand::expand;

/// The most DNS-querying terms one evaluation may use (RFC 7208 §4.6.4).
pub const LOOKUP_LIMIT: u32 = 10;
/// The most void lookups (NXDOMAIN or no answer) one evaluation may meet (§4.6.4).
pub const VOID_LOOKUP_LIMIT: u32 = 2;
/// The most MX records an `mx` term, or PTR names a `ptr` term, may look at (§4.6.4).
pub const RR_LIMIT: usize = 10;

/// The result of `check_host()` (RFC 7208 §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpfResult {
    None,
    Neutral,
    Pass,
    Fail,
    Softfail,
    Temperror,
    Permerror,
}

impl SpfResult {
    pub fn as_str(self) -> &'static str {
        match self {
            SpfResult::None => "none",
            SpfResult::Neutral => "neutral",
            SpfResult::Pass => "pass",
            SpfResult::Fail => "fail",
            SpfResult::Softfail => "softfail",
            SpfResult::Temperror => "temperror",
            SpfResult::Permerror => "permerror",
        }
    }

    pub fn parse(text: &str) -> Option<SpfResult> {
        Some(match text.to_ascii_lowercase().as_str() {
            "none" => SpfResult::None,
            "neutral" => SpfResult::Neutral,
            "pass" => SpfResult::Pass,
            "fail" => SpfResult::Fail,
            "softfail" => SpfResult::Softfail,
            "temperror" => SpfResult::Temperror,
            "permerror" => SpfResult::Permerror,
            _ => return None,
        })
    }
}

impl std::fmt::Display for SpfResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The term that decided the result, in the record of `domain`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatchedTerm {
    pub domain: String,
    pub term: String,
    pub span: Span,
}

/// What `check_host()` found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpfEvaluation {
    pub result: SpfResult,
    /// The mechanism that matched; none for a default result, an error, or a redirect with
    /// no match below it.
    pub matched: Option<MatchedTerm>,
    /// The expanded `exp=` text, for fail results when the record gives a usable one.
    pub explanation: Option<String>,
    /// Why the result is none, temperror or permerror, in a sentence.
    pub problem: Option<String>,
    /// DNS-querying terms evaluated (the limit is 10).
    pub lookups: u32,
    /// Void lookups met (the limit is 2).
    pub void_lookups: u32,
    /// The records visited: the domain's own record, its includes and redirects.
    pub tree: SpfNode,
}

/// One record in an evaluation or expansion tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
pub struct SpfNode {
    pub domain: String,
    /// The SPF record text, or null when none was found.
    pub record: Option<String>,
    /// The term in the parent record that led here (`include:x`, `redirect=x`).
    pub via: Option<String>,
    /// Where that term sits in the parent record.
    pub via_span: Option<Span>,
    /// DNS-querying terms of this record itself.
    pub lookups: u32,
    /// Running total of DNS-querying terms when this record was done.
    pub total_lookups: u32,
    /// Void lookups of this record itself.
    pub void_lookups: u32,
    /// Running total of void lookups when this record was done.
    pub total_void_lookups: u32,
    /// The `check_host()` result of this record (absent in an expansion).
    pub result: Option<SpfResult>,
    pub children: Vec<SpfNode>,
    pub error: Option<String>,
    /// The limit of 10 DNS-querying terms was crossed in this record.
    pub limit_crossed: bool,
    /// The limit of 2 void lookups was crossed in this record.
    pub void_limit_crossed: bool,
}

/// The include/redirect tree of a domain, counted the way checkers count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpfTree {
    pub root: SpfNode,
    /// Every DNS-querying term in the tree.
    pub lookups: u32,
    pub void_lookups: u32,
    pub limit_exceeded: bool,
    pub void_limit_exceeded: bool,
    /// Each include/redirect loop found, as `a → b → a`.
    pub loops: Vec<String>,
}

impl SpfNode {
    /// A node for `domain`, reached through `via` (the parent's term and its span).
    pub(crate) fn reached(domain: &str, via: Option<&(String, Span)>) -> SpfNode {
        SpfNode {
            domain: domain.to_string(),
            via: via.map(|(term, _)| term.clone()),
            via_span: via.map(|(_, span)| *span),
            ..SpfNode::default()
        }
    }
}

/// The error text of an include/redirect loop: the part of `chain` from `domain`'s first visit,
/// then `domain` again, e.g. `loop: a → b → a`. `None` when `domain` is not in the chain.
pub(crate) fn loop_error(chain: &[String], domain: &str) -> Option<String> {
    if !chain.iter().any(|visited| visited == domain) {
        return None;
    }
    let mut path: Vec<&str> = chain
        .iter()
        .skip_while(|visited| *visited != domain)
        .map(String::as_str)
        .collect();
    path.push(domain);
    Some(format!("loop: {}", path.join(" → ")))
}

/// Whether `name` can be sent as a DNS query: no empty label except a final dot, labels of
/// at most 63 bytes, at most 253 bytes in all.
pub(crate) fn valid_query_name(name: &str) -> bool {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    !trimmed.is_empty()
        && trimmed.len() <= 253
        && trimmed.split('.').all(|label| !label.is_empty() && label.len() <= 63)
}

/// §7.3: a name over 253 bytes loses labels on the left until it fits.
pub(crate) fn truncate_name(name: &str) -> String {
    let mut rest = name;
    while rest.strip_suffix('.').unwrap_or(rest).len() > 253 {
        match rest.find('.') {
            Some(dot) => rest = rest.get(dot + 1..).unwrap_or_default(),
            None => break,
        }
    }
    rest.to_string()
}
