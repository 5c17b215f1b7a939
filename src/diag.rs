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

/// What sits at a diagnostic's related span. Renderers say "the first one is at 1:11": one
/// fixed wording would be wrong where the second place is not an earlier copy (SPF's terms after
/// `all` point at the `all`). A one-byte enum rather than a string keeps `Diagnostic` small;
/// it serializes as the phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelatedLabel {
    /// The earlier occurrence of something that appears twice.
    FirstOne,
    /// The record's first tag (a version tag that is not first).
    FirstTag,
    /// SPF's `all` mechanism.
    AllMechanism,
    /// The CNAME record that other data at the same name conflicts with.
    CnameRecord,
    /// The other record of a set the two disagree in.
    OtherRecord,
}

impl RelatedLabel {
    /// The phrase, lowercase, to be followed by "is at ...".
    pub fn as_str(self) -> &'static str {
        match self {
            RelatedLabel::FirstOne => "the first one",
            RelatedLabel::FirstTag => "the first tag",
            RelatedLabel::AllMechanism => "the `all` mechanism",
            RelatedLabel::CnameRecord => "the CNAME record",
            RelatedLabel::OtherRecord => "the other record",
        }
    }
}

impl Serialize for RelatedLabel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
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
    /// What sits at `related`, so a renderer can say where the second place is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_label: Option<RelatedLabel>,
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
            related_label: None,
            message: message.into(),
            help: help.into(),
        }
    }

    /// Adds the second place and what sits there.
    pub fn with_related(mut self, related: Span, label: RelatedLabel) -> Diagnostic {
        self.related = Some(related);
        self.related_label = Some(label);
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
