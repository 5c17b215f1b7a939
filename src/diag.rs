//! Diagnostics: what every parser and check reports, located in the record text.

use std::borrow::Cow;

use serde::Serialize;

use crate::catalogue::Rule;

/// How serious a finding is. Ordered from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A half-open byte range `start..end` into the record text the diagnostic is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// An empty span at `at`, for things that are missing at a place.
    pub const fn point(at: usize) -> Span {
        Span { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The span moved right by `offset` bytes (for sub-parsers working on a slice).
    pub fn shift(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// One finding about a record: a rule code, where it sits, what is wrong and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable rule code from the catalogue, e.g. `SPF010`.
    pub code: &'static str,
    pub severity: Severity,
    /// Where in the record text the problem sits.
    pub span: Span,
    /// A second place, for conflicts such as a duplicated tag (the first occurrence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Span>,
    /// Short and factual, lowercase, no trailing period. (Most messages and helps are fixed
    /// text: a `Cow` keeps those unallocated.)
    pub message: Cow<'static, str>,
    /// The fix, on its own line.
    pub help: Cow<'static, str>,
}

impl Diagnostic {
    /// A diagnostic for `rule` with the rule's default severity. (Kept out of line: inlined at
    /// its hundreds of call sites it made the browser module larger.)
    #[inline(never)]
    pub fn new(
        rule: &Rule,
        span: Span,
        message: impl Into<Cow<'static, str>>,
        help: impl Into<Cow<'static, str>>,
    ) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            severity: rule.severity,
            span,
            related: None,
            message: message.into(),
            help: help.into(),
        }
    }

    pub fn with_related(mut self, related: Span) -> Diagnostic {
        self.related = Some(related);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }
}

/// A parser's result: the typed value, always present, and what was found wrong with the text.
/// Parsing never fails; a malformed part leaves its field unknown and adds a diagnostic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parsed<T> {
    pub value: T,
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Parsed<T> {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Collects diagnostics and drops one that repeats the previous one at the same place, so one
/// typo gives one message, not a cascade.
#[derive(Debug, Default)]
pub struct Sink {
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if let Some(last) = self.diagnostics.last() {
            if last.code == diagnostic.code && last.span == diagnostic.span {
                return;
            }
        }
        self.diagnostics.push(diagnostic);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}
