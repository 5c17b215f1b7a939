//! The joins of a TXT record's strings: a name server joins them with nothing between, so a
//! space (SPF) or `;` (DMARC, DKIM) left out where one string ends and the next begins merges
//! two terms into one (`"... include:_spf.example.net" "-all"` is `include:_spf.example.net-all`).
//!
//! A join is reported when both sides of it are part of a term and the record, parsed again
//! with the separator there, has fewer problems than as published: the record's own parser
//! decides what "sound" means, so no SPF or tag grammar is repeated here.

use super::lex::{RawEntry, Token};
use super::{
    head, is_dkim_key, is_dmarc, labels, line_with, with_line, Sink, MAX_CHARACTER_STRING,
    ZONE_TXT_JOIN_WITHOUT_SEPARATOR,
};
use crate::diag::{Diagnostic, Severity, Span};
use crate::parse::{dkim, dmarc, spf};

/// The joins of one record tried at most: each try parses the record again, so a record of
/// thousands of strings costs a bounded number of parses, and reading stays linear.
const MAX_TRIES: usize = 16;

/// How much of a merged term a message shows on each side of the join.
const SHOWN: usize = 30;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Spf,
    Dmarc,
    Dkim,
}

impl Kind {
    fn of(owner: &str, value: &[u8]) -> Option<Kind> {
        // `v=spf1` joined to its first term is not an SPF record, but is one meant.
        if head(value).starts_with(b"v=spf1") {
            Some(Kind::Spf)
        } else if is_dmarc(value) {
            Some(Kind::Dmarc)
        } else if is_dkim_key(value) || labels(owner).any(|label| label == "_domainkey") {
            Some(Kind::Dkim)
        } else {
            None
        }
    }

    fn separator(self) -> &'static [u8] {
        match self {
            Kind::Spf => b" ",
            Kind::Dmarc | Kind::Dkim => b"; ",
        }
    }

    /// The errors and warnings of the record made of `strings`.
    fn problems(self, strings: &[Vec<u8>]) -> (usize, usize) {
        let diagnostics = match self {
            Kind::Spf => {
                let parts: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
                spf::parse_txt(&parts).diagnostics
            }
            Kind::Dmarc => dmarc::parse(&String::from_utf8_lossy(&strings.concat())).diagnostics,
            Kind::Dkim => dkim::parse(&String::from_utf8_lossy(&strings.concat())).diagnostics,
        };
        let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
        (count(Severity::Error), count(Severity::Warning))
    }

    /// True when the join needs no separator: a side has white space there, or, in a tag
    /// list, the `;`.
    fn separated(self, before: u8, after: u8) -> bool {
        let blank = |b: u8| b == b' ' || b == b'\t';
        blank(before) || blank(after) || (self != Kind::Spf && (before == b';' || after == b';'))
    }

    /// True at the bytes that end a term.
    fn ends_term(self, byte: u8) -> bool {
        byte == b' ' || byte == b'\t' || (self != Kind::Spf && byte == b';')
    }
}

/// Reports the joins of `strings` (one per quoted token in `tokens`) that left out a separator;
/// returns the strings with the separators put in, when there was one.
pub(super) fn check(
    text: &str,
    entry: &RawEntry,
    owner: &str,
    tokens: &[Token],
    strings: &[Vec<u8>],
    sink: &mut Sink,
) -> Option<Vec<Vec<u8>>> {
    if strings.len() < 2 || tokens.len() != strings.len() || tokens.iter().any(|t| !t.quoted || !t.closed) {
        return None;
    }
    let kind = Kind::of(owner, &strings.concat())?;
    let mut current = strings.to_vec();
    let mut problems = kind.problems(&current);
    let mut changed = false;
    let mut tries = 0;
    for i in 0..strings.len() - 1 {
        if problems == (0, 0) || tries == MAX_TRIES {
            break;
        }
        let (Some(&before), Some(&after)) = (
            current.get(i).and_then(|s| s.last()),
            current.get(i + 1).and_then(|s| s.first()),
        ) else {
            continue;
        };
        if kind.separated(before, after) {
            continue;
        }
        tries += 1;
        // At the end of the first string, unless that would take it over 255 bytes.
        let separator = kind.separator();
        let first_len = current.get(i).map_or(0, Vec::len);
        let at_end = first_len + separator.len() <= MAX_CHARACTER_STRING;
        let mut candidate = current.clone();
        let target = if at_end { i } else { i + 1 };
        match candidate.get_mut(target) {
            Some(string) if at_end => string.extend_from_slice(separator),
            Some(string) if string.len() + separator.len() <= MAX_CHARACTER_STRING => {
                *string = [separator, string.as_slice()].concat();
            }
            _ => continue,
        }
        let fixed = kind.problems(&candidate);
        if fixed.0 > problems.0 || (fixed.0 == problems.0 && fixed.1 >= problems.1) {
            continue;
        }
        let (Some(left), Some(right)) = (tokens.get(i), tokens.get(i + 1)) else {
            continue;
        };
        let boundary: usize = current.iter().take(i + 1).map(Vec::len).sum();
        sink.push(diagnostic(
            text,
            entry,
            kind,
            left,
            right,
            at_end,
            &current.concat(),
            boundary,
        ));
        current = candidate;
        problems = fixed;
        changed = true;
    }
    changed.then_some(current)
}

#[allow(clippy::too_many_arguments)]
fn diagnostic(
    text: &str,
    entry: &RawEntry,
    kind: Kind,
    left: &Token,
    right: &Token,
    at_end: bool,
    joined: &[u8],
    boundary: usize,
) -> Diagnostic {
    // The closing quote of the first string to the opening quote of the second.
    let span = Span::new(left.span.end.saturating_sub(1), right.span.start + 1);
    let line = entry.line
        + text
            .get(entry.span().start..span.start)
            .unwrap_or_default()
            .matches('\n')
            .count();
    let before = joined.get(..boundary).unwrap_or_default();
    let after = joined.get(boundary..).unwrap_or_default();
    let start = before.iter().rposition(|&b| kind.ends_term(b)).map_or(0, |p| p + 1);
    let end = after.iter().position(|&b| kind.ends_term(b)).unwrap_or(after.len());
    let left_part = before
        .get(start.max(boundary.saturating_sub(SHOWN))..)
        .unwrap_or_default();
    let right_part = after.get(..end.min(SHOWN)).unwrap_or_default();
    let term = format!(
        "{}{}{}{}",
        if start + SHOWN < boundary { "…" } else { "" },
        String::from_utf8_lossy(left_part),
        String::from_utf8_lossy(right_part),
        if end > SHOWN { "…" } else { "" },
    );
    let (what, separator) = match kind {
        Kind::Spf => ("a space", " "),
        Kind::Dmarc | Kind::Dkim => ("`; `", "; "),
    };
    let (help, insert_at) = if at_end {
        (
            format!("end the first string with {what}"),
            left.span.end.saturating_sub(1),
        )
    } else {
        (format!("start the second string with {what}"), right.span.start + 1)
    };
    Diagnostic::new(
        &ZONE_TXT_JOIN_WITHOUT_SEPARATOR,
        span,
        format!(
            "line {line}: no {} where two strings join, so `{term}` is one term",
            if kind == Kind::Spf { "space" } else { "`;`" }
        ),
        with_line(&help, line_with(text, Span::point(insert_at), separator), separator),
    )
}
