//! Diagnostics printed the way rustc and ruff print them: a header with severity and code, the
//! record, a caret line under the span (and `-` under a related place, with a note saying where
//! it is), then the help on its own line.

use std::fmt::Write as _;

use crate::diag::{Diagnostic, Severity, Span};

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
        self.paint(severity_code(severity), severity.as_str())
    }
}

/// The colour of a severity's word and of the carets under its span.
fn severity_code(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// Longest stretch of record text shown on one line (not counting the `…` that mark a cut);
/// longer lines are windowed around the span.
const WINDOW: usize = 96;

/// Characters shown before a span too long for the window, so the tag or term it belongs to
/// stays in sight.
const LEAD: usize = 16;

/// A span located in the text: its line, and where it starts and ends in that line.
struct Place<'a> {
    line_no: usize,
    line: &'a str,
    /// Char indices into `line`, `start <= end`.
    start: usize,
    end: usize,
}

impl Place<'_> {
    /// The 1-based column of the start, in characters as the header counts them.
    fn column(&self) -> usize {
        self.start + 1
    }
}

/// Where `span` sits in `text`. An edge inside a character widens to the whole character, and
/// a span past the end of its line stops at the line's end.
fn place(text: &str, span: Span) -> Place<'_> {
    let (line_no, line_start, line) = line_of(text, span.start);
    let start = clamp_to_char(line, span.start.saturating_sub(line_start));
    let end = ceil_to_char(line, span.end.saturating_sub(line_start)).max(start);
    Place {
        line_no,
        line,
        start: char_count(line, 0, start),
        end: char_count(line, 0, end),
    }
}

/// What marks a character of the caret line: the span itself or the related place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    None,
    Primary,
    Secondary,
}

/// One line of the snippet with its marks.
struct Snippet<'a> {
    line_no: usize,
    line: &'a str,
    primary: Option<(usize, usize)>,
    secondary: Option<(usize, usize)>,
}

/// Renders one diagnostic about `text` (the record the span points into). `origin` names where
/// the record came from, e.g. `stdin`, `zone.txt:12` or `_dmarc.example.com`. A related span
/// is drawn the way rustc draws a secondary label: underlined with `-`, on the span's line or
/// on its own line, followed by a note saying where it is.
pub fn render(out: &mut String, origin: &str, text: &str, diagnostic: &Diagnostic, style: Style) {
    let _ = writeln!(
        out,
        "{}{} {}",
        style.severity(diagnostic.severity),
        style.paint("1", &format!("[{}]:", diagnostic.code)),
        style.paint("1", &diagnostic.message)
    );

    let primary = place(text, diagnostic.span);
    let related = diagnostic.related.map(|span| place(text, span));
    let mut snippets = vec![Snippet {
        line_no: primary.line_no,
        line: primary.line,
        primary: Some((primary.start, primary.end)),
        secondary: None,
    }];
    if let Some(related) = &related {
        if related.line_no == primary.line_no {
            snippets[0].secondary = Some((related.start, related.end));
        } else {
            let snippet = Snippet {
                line_no: related.line_no,
                line: related.line,
                primary: None,
                secondary: Some((related.start, related.end)),
            };
            if related.line_no < primary.line_no {
                snippets.insert(0, snippet);
            } else {
                snippets.push(snippet);
            }
        }
    }

    let gutter = snippets.iter().map(|s| s.line_no.to_string().len()).max().unwrap_or(1);
    let _ = writeln!(
        out,
        "{:gutter$} {} {origin}:{}:{}",
        "",
        style.paint("34", "-->"),
        primary.line_no,
        primary.column()
    );
    let bar = style.paint("34", "|");
    let _ = writeln!(out, "{:gutter$} {bar}", "");
    let mut previous: Option<usize> = None;
    for snippet in &snippets {
        // Lines left out between the two places are marked as rustc marks them.
        if previous.is_some_and(|p| snippet.line_no > p + 1) {
            out.push_str("...\n");
        }
        previous = Some(snippet.line_no);
        render_line(out, snippet, diagnostic.severity, gutter, style);
    }

    if let Some(related) = &related {
        let label = diagnostic.related_label.map_or("the other place", |l| l.as_str());
        let _ = writeln!(
            out,
            "{:gutter$} {} {}: {label} is at {}:{}",
            "",
            style.paint("34", "="),
            style.paint("1", "note"),
            related.line_no,
            related.column()
        );
    }
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

/// Prints one line of record text, windowed, and its caret line.
fn render_line(out: &mut String, snippet: &Snippet<'_>, severity: Severity, gutter: usize, style: Style) {
    let chars: Vec<char> = snippet.line.chars().collect();
    // The window follows the span; on the span's line it takes in the related place too when
    // both fit, and otherwise shows the span (the note says where the other place is).
    let focus = match (snippet.primary, snippet.secondary) {
        (Some(p), Some(s)) if s.1.max(p.1) - s.0.min(p.0) <= WINDOW => (s.0.min(p.0), s.1.max(p.1)),
        (Some(p), _) => p,
        (None, Some(s)) => s,
        (None, None) => (0, 0),
    };
    let (from, to) = window(chars.len(), focus);
    let shown: String = chars.get(from..to).unwrap_or_default().iter().collect();
    let cut_left = from > 0;
    let cut_right = to < chars.len();

    let bar = style.paint("34", "|");
    let _ = writeln!(
        out,
        "{} {bar} {}{}{}",
        // Padded before painting: the colour codes would count towards a width.
        style.paint("34", &format!("{:<gutter$}", snippet.line_no)),
        if cut_left { "…" } else { "" },
        printable(&shown),
        if cut_right { "…" } else { "" }
    );

    // One cell per shown character, and one after the last for an insertion point at the end
    // of the line. The span's marks win where the two places overlap.
    let mut marks = vec![Mark::None; to - from + 1];
    for (range, mark) in [(snippet.secondary, Mark::Secondary), (snippet.primary, Mark::Primary)] {
        let Some((start, end)) = range else {
            continue;
        };
        if start == end {
            // An empty span (something missing here) still gets one mark, unless it falls
            // outside what is shown or under the `…` of a cut.
            if start >= from && (start < to || start == chars.len()) {
                if let Some(cell) = marks.get_mut(start - from) {
                    *cell = mark;
                }
            }
            continue;
        }
        for at in start.max(from)..end.min(to) {
            if let Some(cell) = marks.get_mut(at - from) {
                *cell = mark;
            }
        }
    }
    let mut caret_line = String::from(if cut_left { " " } else { "" });
    let last = marks.iter().rposition(|m| *m != Mark::None).map_or(0, |i| i + 1);
    let mut at = 0;
    while at < last {
        let mark = marks.get(at).copied().unwrap_or(Mark::None);
        let run = marks
            .get(at..last)
            .unwrap_or_default()
            .iter()
            .take_while(|m| **m == mark)
            .count()
            .max(1);
        match mark {
            Mark::None => caret_line.push_str(&" ".repeat(run)),
            Mark::Primary => caret_line.push_str(&style.paint(severity_code(severity), &"^".repeat(run))),
            Mark::Secondary => caret_line.push_str(&style.paint("34", &"-".repeat(run))),
        }
        at += run;
    }
    let _ = writeln!(out, "{:gutter$} {bar} {caret_line}", "");
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

/// The smallest char boundary at or above `at` (the end of `text` at most).
fn ceil_to_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn char_count(text: &str, from: usize, to: usize) -> usize {
    let from = clamp_to_char(text, from);
    let to = clamp_to_char(text, to.max(from));
    text[from..to].chars().count()
}

/// The chars shown of a line of `len` chars, as a range `from..to` of at most `WINDOW` chars
/// around `focus` (a char range). A focus that fits is centred, with the window shifted to stay
/// full at either end of the line; a longer one is shown from `LEAD` chars before its start.
fn window(len: usize, focus: (usize, usize)) -> (usize, usize) {
    if len <= WINDOW {
        return (0, len);
    }
    let (start, end) = (focus.0.min(len), focus.1.min(len).max(focus.0.min(len)));
    let from = if end - start <= WINDOW {
        start.saturating_sub((WINDOW - (end - start)) / 2).min(len - WINDOW)
    } else {
        start.saturating_sub(LEAD)
    };
    (from, (from + WINDOW).min(len))
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

/// The text as it is safe to write to a terminal: record text, messages and DNS answers are
/// outside data, and a control character in them (an escape sequence that clears the screen
/// or sets the window title, a bidirectional override that reorders what is shown) must not
/// reach the terminal as such. Control characters become visible escapes such as `\u{1b}`;
/// line breaks and tabs stay, and so do the colour sequences (`ESC [ digits ; m`) this module
/// writes itself, which change nothing but colour.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            let sgr_len = rest
                .strip_prefix("\u{1b}[")
                .and_then(|after| {
                    after
                        .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                        .map(|end| (after, end))
                })
                .filter(|(after, end)| after.as_bytes().get(*end) == Some(&b'm'))
                .map(|(_, end)| 2 + end + 1);
            if let Some(len) = sgr_len {
                out.push_str(rest.get(..len).unwrap_or_default());
                rest = rest.get(len..).unwrap_or_default();
                continue;
            }
        }
        let unsafe_char = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if unsafe_char {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::RelatedLabel;

    #[test]
    fn terminal_safe_keeps_colours_and_escapes_control_characters() {
        assert_eq!(
            terminal_safe("a\u{1b}[1;31mred\u{1b}[0m\tb\nc"),
            "a\u{1b}[1;31mred\u{1b}[0m\tb\nc"
        );
        assert_eq!(terminal_safe("p=reject\u{1b}[2J"), "p=reject\\u{1b}[2J");
        assert_eq!(
            terminal_safe("x\u{7}\u{1b}]0;title\u{7}"),
            "x\\u{7}\\u{1b}]0;title\\u{7}"
        );
        assert_eq!(terminal_safe("\u{202e}moc.elpmaxe"), "\\u{202e}moc.elpmaxe");
        assert_eq!(terminal_safe("\u{85}\u{9b}31m"), "\\u{85}\\u{9b}31m");
        assert_eq!(terminal_safe("caf\u{e9} \u{2013}all"), "caf\u{e9} \u{2013}all");
    }

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

    fn duplicate(text: &str, first: &str, second: &str) -> Diagnostic {
        let at = |needle: &str| {
            let start = text.rfind(needle).unwrap();
            Span::new(start, start + needle.len())
        };
        let first = text
            .find(first)
            .map(|start| Span::new(start, start + first.len()))
            .unwrap();
        Diagnostic {
            span: at(second),
            ..diag(0, 0)
        }
        .with_related(first, RelatedLabel::FirstOne)
    }

    /// The record text of a snippet line (after `N | `) and the caret line below it, as chars.
    fn columns(line: &str) -> Vec<char> {
        line.split_once("| ").map_or("", |(_, rest)| rest).chars().collect()
    }

    /// The text of `record` over which `marks` has `mark`.
    fn under(record: &str, marks: &str, mark: char) -> String {
        let record = columns(record);
        columns(marks)
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == mark)
            .filter_map(|(i, _)| record.get(i))
            .collect()
    }

    #[test]
    fn related_on_the_same_line_is_underlined_with_dashes_and_noted() {
        let text = "v=DMARC1; p=none; p=reject";
        let mut out = String::new();
        render(
            &mut out,
            "stdin",
            text,
            &duplicate(text, "p=none", "p=reject"),
            Style { color: false },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "  --> stdin:1:19");
        assert_eq!(lines[3], "1 | v=DMARC1; p=none; p=reject");
        assert_eq!(lines[4], "  |           ------  ^^^^^^^^");
        assert_eq!(under(lines[3], lines[4], '^'), "p=reject");
        assert_eq!(under(lines[3], lines[4], '-'), "p=none");
        assert_eq!(lines[5], "  = note: the first one is at 1:11");
        assert_eq!(lines[6], "  = help: did you mean `include:`?");

        // In colour, the related marks are blue like rustc's secondary labels.
        let mut out = String::new();
        render(
            &mut out,
            "stdin",
            text,
            &duplicate(text, "p=none", "p=reject"),
            Style { color: true },
        );
        assert!(
            out.contains("\x1b[34m------\x1b[0m  \x1b[1;31m^^^^^^^^\x1b[0m"),
            "{out}"
        );
    }

    #[test]
    fn related_on_another_line_gets_its_own_numbered_line_in_line_order() {
        let text = "version: STSv1\nmode: testing\nmx: mx1.example.com\nmode: enforce\nmax_age: 86400";
        let mut out = String::new();
        render(
            &mut out,
            "policy",
            text,
            &duplicate(text, "mode: testing", "mode: enforce"),
            Style { color: false },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[1..9],
            [
                "  --> policy:4:1",
                "  |",
                "2 | mode: testing",
                "  | -------------",
                "...",
                "4 | mode: enforce",
                "  | ^^^^^^^^^^^^^",
                "  = note: the first one is at 2:1",
            ],
            "{out}"
        );

        // A related place after the span comes after it; adjacent lines have no `...` between.
        let text = "a\nmode: enforce\nmode: testing\n";
        let mut out = String::new();
        let diagnostic = Diagnostic {
            span: Span::new(2, 15),
            ..diag(0, 0)
        }
        .with_related(Span::new(16, 29), RelatedLabel::OtherRecord);
        render(&mut out, "zone", text, &diagnostic, Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[1..8],
            [
                "  --> zone:2:1",
                "  |",
                "2 | mode: enforce",
                "  | ^^^^^^^^^^^^^",
                "3 | mode: testing",
                "  | -------------",
                "  = note: the other record is at 3:1",
            ],
            "{out}"
        );

        // Line numbers of two widths share one gutter.
        let text = format!("x=1\n{}x=2\n", "\n".repeat(9));
        let mut out = String::new();
        let diagnostic = Diagnostic {
            span: Span::new(text.len() - 4, text.len() - 1),
            ..diag(0, 0)
        }
        .with_related(Span::new(0, 3), RelatedLabel::FirstOne);
        render(&mut out, "zone", &text, &diagnostic, Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[1..9],
            [
                "   --> zone:11:1",
                "   |",
                "1  | x=1",
                "   | ---",
                "...",
                "11 | x=2",
                "   | ^^^",
                "   = note: the first one is at 1:1",
            ],
            "{out}"
        );
    }

    #[test]
    fn a_span_longer_than_the_window_is_shown_from_its_start_and_cut() {
        let key = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP".repeat(6);
        let text = format!("v=DKIM1; k=rsa; h=sha1; p={key}");
        let start = text.find("MIGf").unwrap();
        let mut out = String::new();
        render(
            &mut out,
            "stdin",
            &text,
            &diag(start, text.len()),
            Style { color: false },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "  --> stdin:1:27");
        let record = columns(lines[3]);
        assert_eq!(record.first(), Some(&'…'));
        assert_eq!(record.last(), Some(&'…'));
        // The `…` on each side are the only characters beyond the window.
        assert_eq!(record.len(), WINDOW + 2, "{out}");
        assert!(lines[3].contains("p=MIGf"), "{out}");
        let marked = under(lines[3], lines[4], '^');
        assert!(key.starts_with(&marked), "{marked}");
        assert_eq!(marked.chars().count(), WINDOW - LEAD);
        assert!(columns(lines[4]).len() <= WINDOW + 1);

        // The same with a span that starts the line: no lead, no `…` on the left.
        let mut out = String::new();
        render(&mut out, "stdin", &key, &diag(0, key.len()), Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(columns(lines[3]).len(), WINDOW + 1);
        assert_eq!(columns(lines[4]), vec!['^'; WINDOW]);
    }

    #[test]
    fn spans_of_multi_byte_characters_are_windowed_on_char_boundaries() {
        // Each of these is more than one byte; a window cut or a caret counted in bytes would
        // land inside one of them.
        let wide = "é€😀".repeat(60);
        let text = format!("v=spf1 {wide} include:x -all");
        let start = text.find('€').unwrap();
        for (from, to) in [
            (start, start + 3),
            (start, text.len()),
            (start + 1, start + 2),
            (7, start),
        ] {
            let mut out = String::new();
            render(&mut out, "stdin", &text, &diag(from, to), Style { color: false });
            let lines: Vec<&str> = out.lines().collect();
            let record = columns(lines[3]);
            let shown = record.iter().filter(|c| **c != '…').count();
            assert!(shown <= WINDOW, "{shown} chars shown\n{out}");
            let marked = under(lines[3], lines[4], '^');
            assert!(!marked.is_empty(), "{out}");
            assert!(text.contains(&marked), "{marked:?}\n{out}");
        }
        // An edge inside a character widens to the whole character.
        let mut out = String::new();
        render(
            &mut out,
            "stdin",
            &text,
            &diag(start + 1, start + 2),
            Style { color: false },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(under(lines[3], lines[4], '^'), "€");

        // The related place among multi-byte characters, on the same line.
        let text = "v=DMARC1; p=nöne; p=rejéct";
        let mut out = String::new();
        render(
            &mut out,
            "stdin",
            text,
            &duplicate(text, "p=nöne", "p=rejéct"),
            Style { color: false },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(under(lines[3], lines[4], '^'), "p=rejéct");
        assert_eq!(under(lines[3], lines[4], '-'), "p=nöne");
        assert_eq!(lines[5], "  = note: the first one is at 1:11");
    }

    #[test]
    fn a_related_place_outside_the_window_is_still_noted() {
        let text = format!(
            "v=spf1 redirect=a.example {}redirect=b.example",
            "ip4:192.0.2.1 ".repeat(12)
        );
        let mut out = String::new();
        render(
            &mut out,
            "stdin",
            &text,
            &duplicate(&text, "redirect=a.example", "redirect=b.example"),
            Style { color: false },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(under(lines[3], lines[4], '^'), "redirect=b.example");
        assert!(columns(lines[3]).iter().filter(|c| **c != '…').count() <= WINDOW);
        assert_eq!(lines[5], "  = note: the first one is at 1:8");
    }

    #[test]
    fn every_span_and_related_place_renders_without_panic() {
        let text = "é\nv=spf1 😀 -all\r\n\nü";
        for start in 0..text.len() + 2 {
            for end in 0..text.len() + 2 {
                for related in [None, Some(Span::new(end, start)), Some(Span::new(1, 30))] {
                    let mut diagnostic = diag(start, end);
                    diagnostic.related = related;
                    let mut out = String::new();
                    render(&mut out, "x", text, &diagnostic, Style { color: true });
                    assert!(out.contains('^'), "{start}..{end}: {out}");
                }
            }
        }
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
