//! Splitting zone text into entries: a line, or several lines joined by parentheses.
//!
//! Each line is lexed once, on its own: quotes and comments end at the end of their line, so a
//! line's tokens do not depend on where its entry began. The lines are then grouped into
//! entries by their parentheses ([`entry_ends`]), which finds where every entry ends in one
//! pass. (Reading ahead from each `(` to the end of the text when it was never closed made a
//! text of unclosed parentheses quadratic to read.)

use super::{Sink, ZONE_UNTERMINATED};
use crate::diag::{Diagnostic, Span};

/// One token of an entry.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub span: Span,
    pub quoted: bool,
    /// The quote of a quoted token was closed on its line.
    pub closed: bool,
    /// For a quoted token the decoded bytes; for a word its text as written.
    pub bytes: Vec<u8>,
}

impl Token {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// One logical entry: a line, or several joined by parentheses.
#[derive(Clone, Debug)]
pub(super) struct RawEntry {
    pub tokens: Vec<Token>,
    /// The `;` comments of the entry's lines, each from the `;` to the end of its line.
    pub comments: Vec<Span>,
    /// The entry began with white space: its owner is the previous owner.
    pub indented: bool,
    /// 1-based line of the entry's first token.
    pub line: usize,
}

impl RawEntry {
    pub fn span(&self) -> Span {
        match (self.tokens.first(), self.tokens.last()) {
            (Some(first), Some(last)) => first.span.cover(last.span),
            _ => Span::default(),
        }
    }
}

/// One line of the text, lexed.
#[derive(Debug, Default)]
struct Line {
    tokens: Vec<Token>,
    /// The parentheses outside quotes and comments, in text order: position, true for `(`.
    parens: Vec<(usize, bool)>,
    comment: Option<Span>,
    /// Quotes not closed on the line.
    unclosed: Vec<Span>,
    indented: bool,
}

/// Splits the text into entries. Problems with quotes and parentheses go to `sink`.
pub(super) fn split_entries(text: &str, sink: &mut Sink) -> Vec<RawEntry> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let (line, next) = lex_line(text, start);
        lines.push(line);
        start = next;
    }
    let ends = entry_ends(&lines);
    let mut entries = Vec::new();
    let mut first = 0;
    while first < lines.len() {
        let closed_at = ends.get(first).copied().flatten();
        // An entry that would reach the end of the text inside parentheses has probably
        // swallowed the records after it: its first line is read on its own, and the next
        // entry starts on the line after.
        let last = closed_at.unwrap_or(first);
        if closed_at.is_none() {
            if let Some(open_at) = lines.get(first).and_then(unclosed_paren) {
                sink.push(Diagnostic::new(
                    &ZONE_UNTERMINATED,
                    Span::new(open_at, open_at + 1),
                    format!("line {}: parenthesis never closed", first + 1),
                    "add the `)` that ends the record",
                ));
            }
        }
        let indented = lines.get(first).is_some_and(|line| line.indented);
        let mut tokens = Vec::new();
        let mut comments = Vec::new();
        let mut entry_line = None;
        let mut depth = 0usize;
        for (index, line) in lines.iter_mut().enumerate().take(last + 1).skip(first) {
            let line_no = index + 1;
            // Diagnostics in text order: unclosed quotes and stray `)` interleaved.
            let unclosed = std::mem::take(&mut line.unclosed);
            let mut quotes = unclosed.iter();
            let mut next_quote = quotes.next();
            for &(at, open) in &line.parens {
                while let Some(&quote) = next_quote.filter(|quote| quote.start < at) {
                    sink.push(unclosed_quote(quote, line_no));
                    next_quote = quotes.next();
                }
                if open {
                    depth += 1;
                } else if depth == 0 {
                    sink.push(Diagnostic::new(
                        &ZONE_UNTERMINATED,
                        Span::new(at, at + 1),
                        format!("line {line_no}: closing parenthesis without an opening one"),
                        "remove the `)` or add the `(` it closes",
                    ));
                } else {
                    depth -= 1;
                }
            }
            while let Some(&quote) = next_quote {
                sink.push(unclosed_quote(quote, line_no));
                next_quote = quotes.next();
            }
            if entry_line.is_none() && !line.tokens.is_empty() {
                entry_line = Some(line_no);
            }
            tokens.append(&mut line.tokens);
            comments.extend(line.comment);
        }
        if let Some(line) = entry_line {
            entries.push(RawEntry {
                tokens,
                comments,
                indented,
                line,
            });
        }
        first = last + 1;
    }
    entries
}

fn unclosed_quote(span: Span, line: usize) -> Diagnostic {
    Diagnostic::new(
        &ZONE_UNTERMINATED,
        span,
        format!("line {line}: quote not closed on its line"),
        "add the closing `\"` at the end of the value",
    )
}

/// The `(` of a line that is never closed on it: the last one opened at depth 0.
fn unclosed_paren(line: &Line) -> Option<usize> {
    let mut depth = 0usize;
    let mut open_at = None;
    for &(at, open) in &line.parens {
        if open {
            if depth == 0 {
                open_at = Some(at);
            }
            depth += 1;
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    open_at.filter(|_| depth > 0)
}

/// For each line, the last line of the entry that starts there, or `None` when that entry
/// would reach the end of the text inside parentheses.
///
/// An entry starting at line `u` ends after the first line `k >= u` at whose end its depth
/// (counted from 0 at `u`, a `)` at depth 0 ignored) is 0. With the height of the text
/// (opening minus closing parentheses from its start, not clamped), that depth is the height at
/// the end of `k` minus the lowest height from the start of `u` to the end of `k`. So `k` ends
/// the entry when no line from `u` to `k` goes lower than the height at the end of `k`. The
/// lines `k` with that property for `u` form a chain of falling heights; the chain of `u` is
/// the chain of `u + 1` cut to the heights at most `u`'s lowest, with `u` in front when `u`
/// ends at its lowest. One pass from the last line to the first keeps the chain as a stack,
/// each line pushed and popped at most once.
fn entry_ends(lines: &[Line]) -> Vec<Option<usize>> {
    let mut lowest = Vec::with_capacity(lines.len());
    let mut end_height = Vec::with_capacity(lines.len());
    let mut height: i64 = 0;
    for line in lines {
        let mut low = height;
        for &(_, open) in &line.parens {
            height += if open { 1 } else { -1 };
            low = low.min(height);
        }
        lowest.push(low);
        end_height.push(height);
    }
    let mut ends = vec![None; lines.len()];
    let mut chain: Vec<usize> = Vec::new();
    for u in (0..lines.len()).rev() {
        let (Some(&low), Some(&end)) = (lowest.get(u), end_height.get(u)) else {
            continue;
        };
        while chain
            .last()
            .is_some_and(|&k| end_height.get(k).is_some_and(|&h| h > low))
        {
            chain.pop();
        }
        if end == low {
            chain.push(u);
        }
        if let Some(slot) = ends.get_mut(u) {
            *slot = chain.last().copied();
        }
    }
    ends
}

#[cfg(test)]
thread_local! {
    /// The bytes [`lex_line`] has read on this thread, for the test that each is read once.
    static LEXED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Lexes the line starting at `start`; returns it and where the next line starts.
fn lex_line(text: &str, start: usize) -> (Line, usize) {
    let bytes = text.as_bytes();
    let end = text
        .get(start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| start + i);
    #[cfg(test)]
    LEXED.with(|lexed| lexed.set(lexed.get() + (end + 1).min(text.len()) - start));
    // A byte-order mark in front of the text is the file's encoding mark (editors on Windows
    // write one), not part of the first line: `$ORIGIN` after it is still a directive.
    let skip = if start == 0 && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut line = Line {
        indented: matches!(bytes.get(start + skip), Some(b' ' | b'\t')),
        ..Line::default()
    };
    let mut pos = start + skip;
    while pos < end {
        let byte = bytes.get(pos).copied().unwrap_or(b'\n');
        match byte {
            b' ' | b'\t' | b'\r' => pos += 1,
            b';' => {
                line.comment = Some(Span::new(pos, end));
                pos = end;
            }
            b'(' | b')' => {
                line.parens.push((pos, byte == b'('));
                pos += 1;
            }
            b'"' => {
                let open = pos;
                pos += 1;
                let mut value = Vec::new();
                let mut closed = false;
                while pos < end {
                    match bytes.get(pos).copied().unwrap_or(b'\n') {
                        b'"' => {
                            pos += 1;
                            closed = true;
                            break;
                        }
                        b'\\' => pos = super::decode_escape(bytes, pos, &mut value).min(end),
                        other => {
                            value.push(other);
                            pos += 1;
                        }
                    }
                }
                if !closed {
                    line.unclosed.push(Span::new(open, pos));
                }
                line.tokens.push(Token {
                    span: Span::new(open, pos),
                    quoted: true,
                    closed,
                    bytes: value,
                });
            }
            _ => {
                let begin = pos;
                while pos < end {
                    match bytes.get(pos).copied().unwrap_or(b' ') {
                        b' ' | b'\t' | b'\r' | b';' | b'(' | b')' | b'"' => break,
                        // An escape never takes the line feed: lines are lexed on their own.
                        b'\\' => pos = (pos + 2).min(end),
                        _ => pos += 1,
                    }
                }
                // The end may fall inside a multi-byte character only after a backslash; move
                // it to a character boundary so the token text can be sliced.
                while pos < end && !text.is_char_boundary(pos) {
                    pos += 1;
                }
                let word = text.get(begin..pos).unwrap_or_default();
                line.tokens.push(Token {
                    span: Span::new(begin, pos),
                    quoted: false,
                    closed: true,
                    bytes: word.as_bytes().to_vec(),
                });
            }
        }
    }
    (line, end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries' lines (first token's line) and token counts.
    fn shape(text: &str) -> (Vec<(usize, usize)>, Vec<&'static str>) {
        let mut sink = Sink::default();
        let entries = split_entries(text, &mut sink);
        (
            entries.iter().map(|e| (e.line, e.tokens.len())).collect(),
            sink.into_vec().iter().map(|d| d.code).collect(),
        )
    }

    #[test]
    fn parentheses_join_lines_and_a_stray_close_is_ignored() {
        assert_eq!(shape("a ( b\n c )\nd\n"), (vec![(1, 3), (3, 1)], vec![]));
        // `)` at depth 0 is reported and the depth stays 0.
        assert_eq!(shape("a ) ( b\nc )\nd"), (vec![(1, 3), (3, 1)], vec!["ZONE006"]));
        // Blank and comment lines inside parentheses belong to the entry.
        assert_eq!(shape("a (\n\n ; x\n b )\n"), (vec![(1, 2)], vec![]));
        // Parentheses in quotes and comments do not count.
        assert_eq!(shape("a \"(\" ; (\nb\n"), (vec![(1, 2), (2, 1)], vec![]));
    }

    #[test]
    fn an_unclosed_parenthesis_is_one_line_and_the_rest_is_read() {
        // From line 1 the depth never returns to 0; from line 2 it does, at line 3.
        let (entries, codes) = shape("a ( (\nb (\nc ) )\nd\n");
        assert_eq!(entries, vec![(1, 1), (2, 2), (4, 1)]);
        // Line 1's `(` never closed, and line 3's second `)` closes nothing.
        assert_eq!(codes, ["ZONE006", "ZONE006"]);
        // Every line unclosed: each is one entry and one diagnostic.
        let text = "a (\n".repeat(5);
        let (entries, codes) = shape(&text);
        assert_eq!(entries.len(), 5);
        assert_eq!(codes, ["ZONE006"; 5]);
    }

    /// Every byte is lexed once, however the parentheses fall. (The reader this replaced read
    /// ahead to the end of the text from each unclosed `(`, so a text of such lines was read
    /// once per line: quadratic.)
    #[test]
    fn each_byte_is_lexed_once() {
        let mut text = String::new();
        for i in 0..2_000 {
            text.push_str(&format!("a{i}.test. TXT ( \"x\" ; ( (\n"));
            if i % 7 == 0 {
                text.push_str(" \"y\" ) )\nb A 192.0.2.1 ) (\n");
            }
        }
        LEXED.with(|lexed| lexed.set(0));
        let mut sink = Sink::default();
        let entries = split_entries(&text, &mut sink);
        assert_eq!(LEXED.with(std::cell::Cell::get), text.len());
        assert!(entries.len() > 2_000);
        assert!(sink.into_vec().len() >= 2_000);
    }

    /// The ends against a direct count from each line, on every text of up to six lines made
    /// of a few paren patterns.
    #[test]
    fn entry_ends_match_a_direct_count() {
        let patterns = ["", "(", ")", "( )", ") (", "( (", ") )", "( ) ("];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for text in &texts {
                for pattern in patterns {
                    next.push(format!("{text}x {pattern}\n"));
                }
            }
            texts = next;
        }
        for text in &texts {
            let mut lines = Vec::new();
            let mut start = 0;
            while start < text.len() {
                let (line, next) = lex_line(text, start);
                lines.push(line);
                start = next;
            }
            let ends = entry_ends(&lines);
            for (u, end) in ends.iter().enumerate() {
                let mut depth = 0usize;
                let mut expected = None;
                for (k, line) in lines.iter().enumerate().skip(u) {
                    for &(_, open) in &line.parens {
                        depth = if open { depth + 1 } else { depth.saturating_sub(1) };
                    }
                    if depth == 0 {
                        expected = Some(k);
                        break;
                    }
                }
                assert_eq!(*end, expected, "{text:?} from line {}", u + 1);
            }
        }
    }
}
