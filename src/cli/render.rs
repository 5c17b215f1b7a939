//! Diagnostics printed the way rustc and ruff print them: a header with severity and code, the
//! record, a caret line under the span, then the help on its own line.

use std::fmt::Write as _;

use crate::diag::{Diagnostic, Severity};

/// Terminal colours, off unless asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.as_str())
    }
}

/// Longest stretch of record shown on one line; longer records are windowed around the span.
const WINDOW: usize = 96;

/// Renders one diagnostic about `text` (the record the span points into). `origin` names where
/// the record came from, e.g. `stdin`, `zone.txt:12` or `_dmarc.example.com`.
pub fn render(out: &mut String, origin: &str, text: &str, diagnostic: &Diagnostic, style: Style) {
    let _ = writeln!(
        out,
        "{}{} {}",
        style.severity(diagnostic.severity),
        style.paint("1", &format!("[{}]:", diagnostic.code)),
        style.paint("1", &diagnostic.message)
    );

    let (line_no, line_start, line) = line_of(text, diagnostic.span.start);
    let column = char_count(text, line_start, diagnostic.span.start) + 1;
    let _ = writeln!(out, "  {} {origin}:{line_no}:{column}", style.paint("34", "-->"));

    // Window the line around the span so a 450-byte SPF record still fits a terminal.
    let start_in_line = clamp_to_char(line, diagnostic.span.start.saturating_sub(line_start));
    let end_in_line = clamp_to_char(line, diagnostic.span.end.saturating_sub(line_start).min(line.len()));
    let end_in_line = end_in_line.max(start_in_line);
    let (shown, shown_offset, cut_left, cut_right) = window(line, start_in_line, end_in_line);

    let gutter = line_no.to_string().len();
    let bar = style.paint("34", "|");
    let _ = writeln!(out, "{:gutter$} {bar}", "");
    let prefix = if cut_left { "…" } else { "" };
    let suffix = if cut_right { "…" } else { "" };
    let _ = writeln!(
        out,
        "{} {bar} {prefix}{}{suffix}",
        style.paint("34", &line_no.to_string()),
        printable(shown)
    );
    let pad = usize::from(cut_left) + char_count(shown, 0, start_in_line - shown_offset);
    let width = char_count(
        shown,
        start_in_line - shown_offset,
        (end_in_line - shown_offset).min(shown.len()),
    )
    .max(1);
    let carets = style.paint(
        match diagnostic.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        },
        &"^".repeat(width),
    );
    let _ = writeln!(out, "{:gutter$} {bar} {}{}", "", " ".repeat(pad), carets);
    if !diagnostic.help.is_empty() {
        let mut lines = diagnostic.help.lines();
        if let Some(first) = lines.next() {
            let _ = writeln!(
                out,
                "{:gutter$} {} {}: {first}",
                "",
                style.paint("34", "="),
                style.paint("1", "help")
            );
        }
        for more in lines {
            let _ = writeln!(out, "{:gutter$}         {more}", "");
        }
    }
    out.push('\n');
}

/// The 1-based line number, the byte offset where that line starts, and the line itself.
fn line_of(text: &str, at: usize) -> (usize, usize, &str) {
    let at = clamp_to_char(text, at.min(text.len()));
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line_no = text[..start].matches('\n').count() + 1;
    (line_no, start, text[start..end].trim_end_matches('\r'))
}

/// The largest char boundary at or below `at`.
fn clamp_to_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn char_count(text: &str, from: usize, to: usize) -> usize {
    let from = clamp_to_char(text, from);
    let to = clamp_to_char(text, to.max(from));
    text[from..to].chars().count()
}

/// The part of `line` shown, its byte offset in the line, and whether it was cut on each side.
fn window(line: &str, start: usize, end: usize) -> (&str, usize, bool, bool) {
    if line.chars().count() <= WINDOW {
        return (line, 0, false, false);
    }
    let span_chars = char_count(line, start, end);
    let context = WINDOW.saturating_sub(span_chars.min(WINDOW)) / 2;
    let mut from = start;
    for _ in 0..context {
        if from == 0 {
            break;
        }
        from = clamp_to_char(line, from - 1);
    }
    let mut to = end;
    let mut budget = WINDOW.saturating_sub(char_count(line, from, end));
    while budget > 0 && to < line.len() {
        to += line[to..].chars().next().map_or(1, char::len_utf8);
        budget -= 1;
    }
    (&line[from..to], from, from > 0, to < line.len())
}

/// Control characters would garble the terminal: show them as `�`, keeping one column each.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{FFFD}'
            } else if c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    fn diag(start: usize, end: usize) -> Diagnostic {
        Diagnostic {
            code: "TEST001",
            severity: Severity::Error,
            span: Span::new(start, end),
            related: None,
            related_label: None,
            message: "unknown mechanism `inlcude`".into(),
            help: "did you mean `include:`?".into(),
        }
    }

    #[test]
    fn caret_sits_under_the_span() {
        let text = "v=spf1 inlcude:_spf.example.com -all";
        let mut out = String::new();
        render(&mut out, "stdin", text, &diag(7, 14), Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "error[TEST001]: unknown mechanism `inlcude`");
        assert_eq!(lines[1], "  --> stdin:1:8");
        let record_line = lines[3];
        let caret_line = lines[4];
        let record_col = record_line.find("v=spf1").unwrap();
        assert_eq!(caret_line.find('^').unwrap() - record_col, 7);
        assert_eq!(caret_line.matches('^').count(), 7);
        assert_eq!(lines[5], "  = help: did you mean `include:`?");
    }

    #[test]
    fn non_ascii_and_long_lines_do_not_break_the_caret() {
        let text = format!("v=spf1 {} ïnclude:x -all", "ip4:192.0.2.1 ".repeat(20));
        let start = text.find('ï').unwrap();
        let mut out = String::new();
        render(
            &mut out,
            "stdin",
            &text,
            &diag(start, start + "ïnclude".len()),
            Style { color: false },
        );
        let lines: Vec<&str> = out.lines().collect();
        let record_line: Vec<char> = lines[3].chars().collect();
        let caret_col = lines[4].chars().position(|c| c == '^').unwrap();
        assert_eq!(record_line[caret_col], 'ï');
        assert_eq!(lines[4].matches('^').count(), 7);
    }

    #[test]
    fn spans_past_the_end_or_inside_a_char_do_not_panic() {
        let text = "é\nü";
        for (start, end) in [(0, 1), (1, 2), (5, 9), (3, 1), (2, 2)] {
            let mut out = String::new();
            render(&mut out, "x", text, &diag(start, end), Style { color: true });
            assert!(out.contains("TEST001"));
        }
    }
}
