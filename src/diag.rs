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

/// `text` between `mark`s (`"` for text, `'` for a character), escaped the way `{:?}` does
/// for what people paste: backslash and the mark, `\t` `\r` `\n` `\0`, and `\u{…}` for other
/// control, format and white-space characters except the plain space. Unlike `{:?}` it keeps
/// every other character as it is, so the browser module needs no Unicode printable tables.
pub fn quote(text: &str, mark: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(mark);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if c == mark => {
                out.push('\\');
                out.push(c);
            }
            ' ' => out.push(' '),
            c if c.is_control() || c.is_whitespace() || is_format(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push(mark);
    out
}

/// The invisible format characters (Unicode category Cf) people meet in pasted text: soft
/// hyphen, zero-width and joiner characters, direction marks and isolates, the byte order mark.
fn is_format(c: char) -> bool {
    matches!(
        u32::from(c),
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
            | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
    )
}

#[cfg(test)]
mod quote_tests {
    use super::quote;

    #[test]
    fn quotes_like_debug_for_pasted_text() {
        for text in [
            "example.com",
            "a\"b",
            "back\\slash",
            "tab\there",
            "nl\n",
            "nul\0",
            "ünï",
            "it's",
        ] {
            assert_eq!(quote(text, '"'), format!("{text:?}"));
        }
        for c in [
            ' ', '\'', '"', '\\', '@', '\t', 'é', '\u{a0}', '\u{3000}', '\u{2028}', '\u{1b}',
        ] {
            assert_eq!(quote(c.encode_utf8(&mut [0; 4]), '\''), format!("{c:?}"));
        }
        for c in ['\u{200b}', '\u{feff}', '\u{ad}', '\u{202e}'] {
            assert_eq!(quote(&format!("a{c}"), '"'), format!("{:?}", format!("a{c}")));
        }
    }
}
