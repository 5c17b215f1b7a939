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

/// The text diagnostics point into, with where its line feeds and the continuation bytes of its
/// multi-byte characters are, so a span's line and column are binary searches. (Counting line
/// feeds from the start of the text for each diagnostic made printing the diagnostics of a long
/// zone quadratic in its length; counting characters from the start of the line did the same
/// for a long record.)
pub struct Source<'a> {
    text: &'a str,
    feeds: Vec<usize>,
    continuations: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Source<'a> {
        let mut feeds = Vec::new();
        let mut continuations = Vec::new();
        for (i, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                feeds.push(i);
            } else if byte & 0xC0 == 0x80 {
                continuations.push(i);
            }
        }
        Source {
            text,
            feeds,
            continuations,
        }
    }

    /// The 1-based line number, the byte offset where that line starts, and the line itself
    /// (without its line break). An offset at a line feed belongs to the line it ends.
    fn line_of(&self, at: usize) -> (usize, usize, &'a str) {
        let at = clamp_to_char(self.text, at);
        let index = self.feeds.partition_point(|&feed| feed < at);
        let start = index
            .checked_sub(1)
            .and_then(|i| self.feeds.get(i))
            .map_or(0, |feed| feed + 1);
        let end = self.feeds.get(index).copied().unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or_default();
        (index + 1, start, line.trim_end_matches('\r'))
    }

    /// The number of characters in `from..to`, two char boundaries.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        let before = |at: usize| self.continuations.partition_point(|&c| c < at);
        (to - from).saturating_sub(before(to) - before(from))
    }
}

/// A span located in the text: its line, and where it starts and ends in that line.
struct Place<'a> {
    line_no: usize,
    line: &'a str,
    /// The characters of the line.
    chars: usize,
    /// Char indices into `line`, `start <= end`.
    start: usize,
    end: usize,
    /// The byte offset of `start` in `line`.
    start_byte: usize,
}

impl Place<'_> {
    /// The 1-based column of the start, in characters as the header counts them.
    fn column(&self) -> usize {
        self.start + 1
    }
}

/// Where `span` sits in the source. An edge inside a character widens to the whole character,
/// and a span past the end of its line stops at the line's end.
fn place<'a>(source: &Source<'a>, span: Span) -> Place<'a> {
    let (line_no, line_start, line) = source.line_of(span.start);
    let start = clamp_to_char(line, span.start.saturating_sub(line_start));
    let end = ceil_to_char(line, span.end.saturating_sub(line_start)).max(start);
    let chars = |to: usize| source.chars_between(line_start, line_start + to);
    Place {
        line_no,
        line,
        chars: chars(line.len()),
        start: chars(start),
        end: chars(end),
        start_byte: start,
    }
}

/// What marks a character of the caret line: the span itself or the related place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    None,
    Primary,
    Secondary,
}

/// One line of the snippet with its marks (char ranges) and the byte offset of each mark's
/// start, from which the window is found without reading the whole line.
struct Snippet<'a> {
    line_no: usize,
    line: &'a str,
    chars: usize,
    primary: Option<(usize, usize, usize)>,
    secondary: Option<(usize, usize, usize)>,
}

/// Renders one diagnostic about `text` (the record the span points into); see [`render_source`].
/// It indexes `text` for the one diagnostic: for many about one text, index it once.
pub fn render(out: &mut String, origin: &str, text: &str, diagnostic: &Diagnostic, style: Style) {
    render_source(out, origin, "", &Source::new(text), diagnostic, style);
}

/// Renders one diagnostic about the text of `source`. `origin` names where the text came from,
/// e.g. `stdin`, `zone.txt:12` or `_dmarc.example.com`, and `context`, when not empty, follows
/// the location in parentheses. A related span is drawn the way rustc draws a secondary label:
/// underlined with `-`, on the span's line or on its own line, followed by a note saying where
/// it is.
pub fn render_source(
    out: &mut String,
    origin: &str,
    context: &str,
    source: &Source<'_>,
    diagnostic: &Diagnostic,
    style: Style,
) {
    let _ = writeln!(
        out,
        "{}{} {}",
        style.severity(diagnostic.severity),
        style.paint("1", &format!("[{}]:", diagnostic.code)),
        style.paint("1", &diagnostic.message)
    );

    let primary = place(source, diagnostic.span);
    let related = diagnostic.related.map(|span| place(source, span));
    let mut snippets = vec![Snippet {
        line_no: primary.line_no,
        line: primary.line,
        chars: primary.chars,
        primary: Some((primary.start, primary.end, primary.start_byte)),
        secondary: None,
    }];
    if let Some(related) = &related {
        let marks = (related.start, related.end, related.start_byte);
        if related.line_no == primary.line_no {
            snippets[0].secondary = Some(marks);
        } else {
            let snippet = Snippet {
                line_no: related.line_no,
                line: related.line,
                chars: related.chars,
                primary: None,
                secondary: Some(marks),
            };
            if related.line_no < primary.line_no {
                snippets.insert(0, snippet);
            } else {
                snippets.push(snippet);
            }
        }
    }

    let gutter = snippets.iter().map(|s| s.line_no.to_string().len()).max().unwrap_or(1);
    let context = if context.is_empty() {
        String::new()
    } else {
        format!(" ({context})")
    };
    let _ = writeln!(
        out,
        "{:gutter$} {} {origin}:{}:{}{context}",
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

/// The byte offset `count` characters before (negative) or after `byte` in `line`, stopping at
/// either end. Walks only those characters.
fn step_chars(line: &str, byte: usize, count: isize) -> usize {
    #[cfg(test)]
    tests::WALKED.with(|walked| walked.set(walked.get() + count.unsigned_abs()));
    let byte = clamp_to_char(line, byte);
    if count < 0 {
        let back = count.unsigned_abs();
        line.get(..byte)
            .unwrap_or_default()
            .char_indices()
            .rev()
            .nth(back - 1)
            .map_or(0, |(i, _)| i)
    } else {
        let ahead = count.unsigned_abs();
        line.get(byte..)
            .unwrap_or_default()
            .char_indices()
            .nth(ahead)
            .map_or(line.len(), |(i, _)| byte + i)
    }
}

/// Prints one line of record text, windowed, and its caret line.
fn render_line(out: &mut String, snippet: &Snippet<'_>, severity: Severity, gutter: usize, style: Style) {
    let chars = snippet.chars;
    let range = |m: Option<(usize, usize, usize)>| m.map(|(start, end, _)| (start, end));
    // The window follows the span; on the span's line it takes in the related place too when
    // both fit, and otherwise shows the span (the note says where the other place is).
    let focus = match (range(snippet.primary), range(snippet.secondary)) {
        (Some(p), Some(s)) if s.1.max(p.1) - s.0.min(p.0) <= WINDOW => (s.0.min(p.0), s.1.max(p.1)),
        (Some(p), _) => p,
        (None, Some(s)) => s,
        (None, None) => (0, 0),
    };
    let (from, to) = window(chars, focus);
    // The window starts at most a window's width before a mark whose byte offset is known:
    // step back from the nearest such mark at or after it, then forward over the window.
    let anchor = [snippet.primary, snippet.secondary]
        .into_iter()
        .flatten()
        .filter(|&(start, _, _)| start >= from)
        .min_by_key(|&(start, _, _)| start)
        .map_or((0, 0), |(start, _, byte)| (start, byte));
    let offset = |n: usize| isize::try_from(n).unwrap_or(isize::MAX);
    let from_byte = match anchor.0.cmp(&from) {
        std::cmp::Ordering::Equal => anchor.1,
        std::cmp::Ordering::Greater => step_chars(snippet.line, anchor.1, -offset(anchor.0 - from)),
        std::cmp::Ordering::Less => step_chars(snippet.line, anchor.1, offset(from - anchor.0)),
    };
    let to_byte = step_chars(snippet.line, from_byte, offset(to - from));
    let shown = snippet.line.get(from_byte..to_byte).unwrap_or_default();
    let cut_left = from > 0;
    let cut_right = to < chars;

    let bar = style.paint("34", "|");
    let _ = writeln!(
        out,
        "{} {bar} {}{}{}",
        // Padded before painting: the colour codes would count towards a width.
        style.paint("34", &format!("{:<gutter$}", snippet.line_no)),
        if cut_left { "…" } else { "" },
        printable(shown),
        if cut_right { "…" } else { "" }
    );

    // One cell per shown character, and one after the last for an insertion point at the end
    // of the line. The span's marks win where the two places overlap.
    let mut marks = vec![Mark::None; to - from + 1];
    for (range, mark) in [
        (range(snippet.secondary), Mark::Secondary),
        (range(snippet.primary), Mark::Primary),
    ] {
        let Some((start, end)) = range else {
            continue;
        };
        if start == end {
            // An empty span (something missing here) still gets one mark, unless it falls
            // outside what is shown or under the `…` of a cut.
            if start >= from && (start < to || start == chars) {
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
    // A mark is as wide as the character above it on a terminal: two columns under a CJK
    // character, none under a combining accent (the insertion point after the line is one).
    let widths: Vec<usize> = printable(shown).chars().map(display_width).collect();
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
        let columns: usize = (at..at + run).map(|cell| widths.get(cell).copied().unwrap_or(1)).sum();
        match mark {
            Mark::None => caret_line.push_str(&" ".repeat(columns)),
            Mark::Primary => caret_line.push_str(&style.paint(severity_code(severity), &"^".repeat(columns))),
            Mark::Secondary => caret_line.push_str(&style.paint("34", &"-".repeat(columns))),
        }
        at += run;
    }
    let _ = writeln!(out, "{:gutter$} {bar} {caret_line}", "");
}

/// Terminal columns a character takes: 2 for East Asian wide and full-width characters and
/// most emoji, 0 for combining marks and zero-width characters, else 1 (the common cases of
/// Unicode's East Asian Width, without its tables).
fn display_width(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F | 0x200B..=0x200F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFEFF => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
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

    thread_local! {
        /// The characters [`step_chars`] has walked on this thread.
        pub static WALKED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

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

    #[test]
    fn the_index_finds_the_line_and_column_a_count_from_the_start_finds() {
        let text = "é\nv=spf1 😀 -all\r\n\n\nü x\n";
        let source = Source::new(text);
        for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_no = text[..at].matches('\n').count() + 1;
            let (no, start, line) = source.line_of(at);
            assert_eq!((no, start), (line_no, line_start), "at {at}");
            assert!(text[start..].starts_with(line));
            assert_eq!(source.chars_between(start, at), text[start..at].chars().count());
        }
    }

    /// Printing a diagnostic reads a window of its line, not the line or the text: the
    /// characters walked per diagnostic stay the same wherever it sits in a long line. (Each
    /// diagnostic once counted the line feeds from the start of the text and the characters
    /// from the start of its line, so printing many was quadratic.)
    #[test]
    fn printing_walks_a_window_per_diagnostic_not_the_text() {
        let text = format!("{}\n{}", "x\n".repeat(50_000), "é".repeat(100_000));
        let source = Source::new(&text);
        let last_line = text.rfind('\n').unwrap() + 1;
        WALKED.with(|walked| walked.set(0));
        let count = 200;
        for i in 0..count {
            let start = last_line + 2 * (i * 997 % 100_000);
            let mut out = String::new();
            let diagnostic =
                diag(start, start + 6).with_related(Span::new(start + 100, start + 104), RelatedLabel::FirstOne);
            render_source(&mut out, "zone", "", &source, &diagnostic, Style { color: false });
            assert!(out.contains("--> zone:50002:"), "{out}");
        }
        let walked = WALKED.with(std::cell::Cell::get);
        assert!(walked <= count * 3 * (WINDOW + 1), "{walked} characters walked");
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

    /// Under wide characters the marks take two columns each, so the caret under a later span
    /// sits under it on a terminal (it was three columns to the left after three CJK letters).
    #[test]
    fn marks_under_wide_characters_take_their_width() {
        let text = "v=spf1 include:日本語.example.com inlcude:x.example.com -all";
        let start = text.find("inlcude").unwrap();
        let mut out = String::new();
        render(&mut out, "stdin", text, &diag(start, start + 7), Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        // Terminal columns of the record line up to the span, and of the caret line's blanks.
        let columns = |text: &str| text.chars().map(display_width).sum::<usize>();
        let record_prefix = &lines[3][..lines[3].find("inlcude").unwrap()];
        let caret_prefix = &lines[4][..lines[4].find('^').unwrap()];
        assert_eq!(
            columns(caret_prefix),
            columns(record_prefix),
            "\n{}\n{}",
            lines[3],
            lines[4]
        );
        assert_eq!(lines[4].matches('^').count(), 7);
        // A span over the wide letters is as wide as they are.
        let wide = text.find('日').unwrap();
        let mut out = String::new();
        render(
            &mut out,
            "stdin",
            text,
            &diag(wide, wide + "日本語".len()),
            Style { color: false },
        );
        assert_eq!(out.lines().nth(4).unwrap().matches('^').count(), 6);
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

    /// The text of `record` over which `marks` has `mark`, by terminal column (a wide
    /// character covers two).
    fn under(record: &str, marks: &str, mark: char) -> String {
        // Each column: the character over it, and whether it is that character's first column.
        let mut by_column = Vec::new();
        for c in columns(record) {
            for column in 0..display_width(c) {
                by_column.push((c, column == 0));
            }
        }
        columns(marks)
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == mark)
            .filter_map(|(i, _)| by_column.get(i).filter(|(_, first)| *first).map(|(c, _)| *c))
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
