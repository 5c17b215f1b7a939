//! Zone-file text: records pasted as DNS providers and BIND show them.
//!
//! The reader accepts RFC 1035 §5 master-file syntax (`name [ttl] [class] TYPE rdata`,
//! `$ORIGIN`, `$TTL`, relative names, `@`, a blank owner for "same as the previous line",
//! quoted character-strings with `\"`, `\\` and `\DDD` escapes, parentheses across lines and
//! `;` comments) and the forms providers paste: a name with or without its trailing dot,
//! `IN` left out, the TTL after the class, an unquoted TXT value (the rest of the line is
//! taken as one string) and tab-separated columns.
//!
//! The text is split into entries here (respecting quotes and parentheses), so one bad entry
//! gives one diagnostic (`line N: ...`, spanning the entry) and every good entry is still
//! used. TXT data is decoded here, because the length rules need the span of each string;
//! the data of the other types sendercheck looks up (A, AAAA, MX, CNAME, PTR, NS, SOA) is read
//! and checked by [`rdata`], our own small reader. The data of any other type is kept as
//! written (as [`RData::Other`] holding the text, or the wire bytes for the RFC 3597 generic
//! form `\# len hex`) and not checked: sendercheck never looks it up.
//!
//! Names without a trailing dot: BIND reads `www.example.com` under `$ORIGIN example.com.`
//! as `www.example.com.example.com`, but provider dashboards show full names without the
//! dot. A relative name that already ends with the origin (or equals it) is therefore taken
//! as a full name. Without any origin, relative names are relative to the root.

use serde::Serialize;

use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, RelatedLabel, Severity, Sink, Span};
use crate::dns::{normalize_name, RData, RecordType};
use crate::vec_map::{sorted_positions, VecMap};

pub(crate) mod rdata;

/// The TTL used when neither the record, an earlier record nor `$TTL` gives one.
pub const DEFAULT_TTL: u32 = 3600;

/// The largest character-string a TXT record can hold (RFC 1035 §3.3).
pub const MAX_CHARACTER_STRING: usize = 255;

/// A record type: one sendercheck knows by name, or any other by its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum ZoneType {
    Known(RecordType),
    Other(u16),
}

impl ZoneType {
    pub fn from_code(code: u16) -> ZoneType {
        match RecordType::from_code(code) {
            Some(known) => ZoneType::Known(known),
            None => ZoneType::Other(code),
        }
    }

    pub fn code(self) -> u16 {
        match self {
            ZoneType::Known(known) => known.code(),
            ZoneType::Other(code) => code,
        }
    }

    pub fn known(self) -> Option<RecordType> {
        match self {
            ZoneType::Known(known) => Some(known),
            ZoneType::Other(_) => None,
        }
    }
}

/// One record read from the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZoneRecord {
    /// Owner name, lowercase, no trailing dot (the root is the empty string).
    pub owner: String,
    pub ttl: u32,
    pub rtype: ZoneType,
    pub rdata: RData,
    /// 1-based line of the entry's first token.
    pub line: usize,
    /// The whole entry in the text.
    pub span: Span,
}

/// The records of a pasted zone, in text order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Zone {
    /// The origin in force at the end of the text (lowercase, no trailing dot), if any.
    pub origin: Option<String>,
    pub records: Vec<ZoneRecord>,
}

impl Zone {
    /// The records at `name` (any case, trailing dot or not) of type `rtype`.
    pub fn records_of<'a>(&'a self, name: &str, rtype: RecordType) -> impl Iterator<Item = &'a ZoneRecord> + 'a {
        let name = normalize_name(name);
        self.records
            .iter()
            .filter(move |record| record.owner == name && record.rtype == ZoneType::Known(rtype))
    }

    /// True when some record is owned by `name`.
    pub fn has_name(&self, name: &str) -> bool {
        let name = normalize_name(name);
        self.records.iter().any(|record| record.owner == name)
    }

    /// True when `name` owns a record or is an ancestor of an owner (an empty non-terminal).
    pub fn name_exists(&self, name: &str) -> bool {
        let name = normalize_name(name);
        if name.is_empty() {
            return !self.records.is_empty();
        }
        let suffix = format!(".{name}");
        self.records
            .iter()
            .any(|record| record.owner == name || record.owner.ends_with(&suffix))
    }
}

pub const ZONE_BAD_ENTRY: Rule = Rule {
    code: "ZONE001",
    name: "ZoneBadEntry",
    category: Category::Zone,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 20,
    checks: "Each entry of the zone text can be read as `name [ttl] [class] TYPE data`: the owner name, TTL and type are valid and the data fits the type (an IPv4 address for A, a preference and host for MX, and so on). The data is checked for the types a mail check looks up (A, AAAA, MX, CNAME, PTR, NS, SOA, TXT, SPF) and for the generic form `\\# length hex`; the data of other types is kept as written.",
    why: "A record a name server cannot load is not published at all; a provider's form usually rejects it, and a BIND-style server refuses the whole zone.",
    problematic: "example.com. 3600 IN MX mail.example.com.",
    corrected: "example.com. 3600 IN MX 10 mail.example.com.",
    references: "RFC 1035 §5.1 (master file format), §3.3 (standard RRs)",
}.for_target();

pub const ZONE_UNKNOWN_TYPE: Rule = Rule {
    code: "ZONE002",
    name: "ZoneUnknownType",
    category: Category::Zone,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 20,
    checks: "The record type is a known mnemonic (A, MX, TXT, CAA, ...) or the generic `TYPEnnn` form.",
    why: "There is no record type called DKIM or DMARC: those records are TXT records, and a name server will not load a type it does not know.",
    problematic: "selector1._domainkey.example.com. 3600 IN DKIM \"v=DKIM1; k=rsa; p=MIIB...\"",
    corrected: "selector1._domainkey.example.com. 3600 IN TXT \"v=DKIM1; k=rsa; p=MIIB...\"",
    references: "RFC 1035 §5.1; RFC 3597 §5 (TYPEnnn); IANA DNS parameters registry",
}.for_target();

pub const ZONE_CNAME_AND_OTHER_DATA: Rule = Rule {
    code: "ZONE003",
    name: "ZoneCnameAndOtherData",
    category: Category::Zone,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 20,
    checks: "A name with a CNAME record has no other record (besides DNSSEC records) and only one CNAME.",
    why: "A CNAME says the name is an alias for another one, so resolvers ignore or reject any other data beside it; an MX or TXT record next to a CNAME is invisible to many receivers, and a second CNAME makes the answer undefined.",
    problematic: "mail.example.com. 3600 IN CNAME mail.provider.example.\nmail.example.com. 3600 IN TXT \"v=spf1 -all\"",
    corrected: "mail.example.com. 3600 IN CNAME mail.provider.example.",
    references: "RFC 1034 §3.6.2; RFC 2181 §10.1",
}.for_target();

pub const ZONE_TXT_STRING_TOO_LONG: Rule = Rule {
    code: "ZONE004",
    name: "ZoneTxtStringTooLong",
    category: Category::Zone,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 10,
    checks: "Each quoted character-string of a TXT record is at most 255 bytes; longer values (DKIM keys, long SPF records) are split into several strings.",
    why: "A character-string carries a one-byte length, so a longer string cannot be published as written: name servers refuse it and some provider forms truncate it, which breaks DKIM keys and SPF records. Several strings are joined with no separator by the reader.",
    problematic: "sel._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=<a 300-character key>\"",
    corrected: "sel._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=<first 240 characters>\" \"<the rest>\"",
    references: "RFC 1035 §3.3 and §3.3.14; RFC 7208 §3.3; RFC 6376 §3.6.2.2",
}.for_target();

pub const ZONE_TXT_UNQUOTED: Rule = Rule {
    code: "ZONE005",
    name: "ZoneTxtUnquoted",
    category: Category::Zone,
    severity: Severity::Warning,
    area: Area::Infrastructure,
    weight: 2,
    checks: "A TXT value containing spaces is quoted. Unquoted, it has been read as one string (the rest of the line), the way provider forms take it.",
    why: "In zone-file syntax each unquoted word is a separate character-string, and the strings are joined with no separator, so `v=spf1 mx -all` loaded by a name server becomes `v=spf1mx-all`, which no receiver reads as SPF.",
    problematic: "example.com. 3600 IN TXT v=spf1 mx -all",
    corrected: "example.com. 3600 IN TXT \"v=spf1 mx -all\"",
    references: "RFC 1035 §5.1 (character-string); RFC 7208 §3.3",
}.for_target();

pub const ZONE_UNTERMINATED: Rule = Rule {
    code: "ZONE006",
    name: "ZoneUnterminated",
    category: Category::Zone,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 10,
    checks: "Every opening quote is closed on the same line and every opening parenthesis is closed; no closing parenthesis comes without an opening one.",
    why: "An unclosed quote or parenthesis swallows the following lines into one record, so the name server loads something other than what was meant, or refuses the zone.",
    problematic: "example.com. IN TXT \"v=spf1 include:_spf.example.net -all",
    corrected: "example.com. IN TXT \"v=spf1 include:_spf.example.net -all\"",
    references: "RFC 1035 §5.1",
}.for_target();

pub const ZONE_UNSUPPORTED_DIRECTIVE: Rule = Rule {
    code: "ZONE007",
    name: "ZoneUnsupportedDirective",
    category: Category::Zone,
    severity: Severity::Warning,
    area: Area::None,
    weight: 0,
    checks: "Directives are `$ORIGIN` or `$TTL`. `$INCLUDE` and `$GENERATE` are recognised but not followed, other `$` words are unknown.",
    why: "The checker reads only the pasted text: records an `$INCLUDE` would bring in are not checked, and an unknown directive is a typo a name server rejects.",
    problematic: "$INCLUDE /etc/bind/example.com.mail\nexample.com. IN MX 10 mail.example.com.",
    corrected: "example.com. IN MX 10 mail.example.com.\nexample.com. IN TXT \"v=spf1 mx -all\"",
    references: "RFC 1035 §5.1; RFC 2308 §4 ($TTL)",
}.for_target();

pub const ZONE_TTL_MISMATCH: Rule = Rule {
    code: "ZONE008",
    name: "ZoneTtlMismatch",
    category: Category::Zone,
    severity: Severity::Warning,
    area: Area::Infrastructure,
    weight: 2,
    checks: "All records of one name and type (an RRset) have the same TTL.",
    why: "An RRset has a single TTL: servers and resolvers treat differing TTLs as an error and use the lowest, so the zone does not do what it says.",
    problematic: "example.com. 300 IN MX 10 mx1.example.com.\nexample.com. 3600 IN MX 20 mx2.example.com.",
    corrected: "example.com. 3600 IN MX 10 mx1.example.com.\nexample.com. 3600 IN MX 20 mx2.example.com.",
    references: "RFC 2181 §5.2",
}.for_target();

pub const ZONE_DUPLICATE_RECORD: Rule = Rule {
    code: "ZONE009",
    name: "ZoneDuplicateRecord",
    category: Category::Zone,
    severity: Severity::Info,
    area: Area::None,
    weight: 0,
    checks: "No record appears twice with the same name, type and data.",
    why: "DNS keeps one copy of identical records in an RRset; a duplicate is dropped, which is harmless but usually means a paste went wrong or a change was applied twice.",
    problematic: "example.com. IN TXT \"v=spf1 mx -all\"\nexample.com. IN TXT \"v=spf1 mx -all\"",
    corrected: "example.com. IN TXT \"v=spf1 mx -all\"",
    references: "RFC 2181 §5",
}.for_target();

pub const ZONE_CLASS_NOT_IN: Rule = Rule {
    code: "ZONE010",
    name: "ZoneClassNotIn",
    category: Category::Zone,
    severity: Severity::Warning,
    area: Area::Infrastructure,
    weight: 5,
    checks: "The record class is IN (Internet), the only class mail servers look up.",
    why: "A record of class CH or HS is never returned for the Internet-class queries that receivers send, so it does not exist for email.",
    problematic: "example.com. 3600 CH TXT \"v=spf1 mx -all\"",
    corrected: "example.com. 3600 IN TXT \"v=spf1 mx -all\"",
    references: "RFC 1035 §3.2.4",
}.for_target();

pub static RULES: &[&Rule] = &[
    &ZONE_BAD_ENTRY,
    &ZONE_UNKNOWN_TYPE,
    &ZONE_CNAME_AND_OTHER_DATA,
    &ZONE_TXT_STRING_TOO_LONG,
    &ZONE_TXT_UNQUOTED,
    &ZONE_UNTERMINATED,
    &ZONE_UNSUPPORTED_DIRECTIVE,
    &ZONE_TTL_MISMATCH,
    &ZONE_DUPLICATE_RECORD,
    &ZONE_CLASS_NOT_IN,
];

/// One token of an entry.
#[derive(Clone, Debug)]
struct Token {
    span: Span,
    quoted: bool,
    /// For a quoted token the decoded bytes; for a word its text as written.
    bytes: Vec<u8>,
}

impl Token {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// One logical entry: a line, or several joined by parentheses.
#[derive(Clone, Debug)]
struct RawEntry {
    tokens: Vec<Token>,
    /// The entry began with white space: its owner is the previous owner.
    indented: bool,
    line: usize,
}

impl RawEntry {
    fn span(&self) -> Span {
        match (self.tokens.first(), self.tokens.last()) {
            (Some(first), Some(last)) => first.span.cover(last.span),
            _ => Span::default(),
        }
    }
}

/// Splits the text into entries. Problems with quotes and parentheses go to `sink`.
fn split_entries(text: &str, sink: &mut Sink) -> Vec<RawEntry> {
    let lines = Lines::new(text);
    let mut entries = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    while pos < text.len() {
        let mut local = Sink::default();
        let mut lexed = lex_entry(text, &lines, pos, line, &mut local, false);
        if let Some(open_at) = lexed.open_paren {
            // An entry that reached the end of the text inside parentheses has probably
            // swallowed the records after it: read it again as one line and go on from there.
            sink.push(Diagnostic::new(
                &ZONE_UNTERMINATED,
                Span::new(open_at, open_at + 1),
                format!("line {}: parenthesis never closed", lines.line_of(open_at)),
                "add the `)` that ends the record",
            ));
            lexed = lex_entry(text, &lines, pos, line, sink, true);
        } else {
            for diagnostic in local.into_vec() {
                sink.push(diagnostic);
            }
        }
        if let Some(entry) = lexed.entry {
            entries.push(entry);
        }
        // Always move forward, whatever the lexer did.
        pos = lexed.next.max(pos + 1);
        line = lexed.next_line;
    }
    entries
}

struct Lexed {
    /// None for a blank or comment-only line.
    entry: Option<RawEntry>,
    next: usize,
    next_line: usize,
    /// Where the `(` is when the text ended inside parentheses.
    open_paren: Option<usize>,
}

/// Reads one entry starting at `start` (a line start). With `single_line`, parentheses do
/// not join lines.
fn lex_entry(text: &str, lines: &Lines, start: usize, start_line: usize, sink: &mut Sink, single_line: bool) -> Lexed {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut line = start_line;
    let indented = matches!(bytes.get(start), Some(b' ' | b'\t'));
    let mut tokens = Vec::new();
    let mut depth = 0usize;
    let mut open_at = 0usize;
    while pos < bytes.len() {
        let byte = bytes.get(pos).copied().unwrap_or(b'\n');
        match byte {
            b'\n' => {
                pos += 1;
                line += 1;
                if depth == 0 || single_line {
                    break;
                }
            }
            b' ' | b'\t' | b'\r' => pos += 1,
            b';' => {
                while pos < bytes.len() && bytes.get(pos) != Some(&b'\n') {
                    pos += 1;
                }
            }
            b'(' => {
                if depth == 0 {
                    open_at = pos;
                }
                depth += 1;
                pos += 1;
            }
            b')' => {
                if depth == 0 {
                    sink.push(Diagnostic::new(
                        &ZONE_UNTERMINATED,
                        Span::new(pos, pos + 1),
                        format!("line {line}: closing parenthesis without an opening one"),
                        "remove the `)` or add the `(` it closes",
                    ));
                } else {
                    depth -= 1;
                }
                pos += 1;
            }
            b'"' => {
                let open = pos;
                pos += 1;
                let mut value = Vec::new();
                let mut closed = false;
                while pos < bytes.len() {
                    match bytes.get(pos).copied().unwrap_or(b'\n') {
                        b'"' => {
                            pos += 1;
                            closed = true;
                            break;
                        }
                        b'\n' => break,
                        b'\\' => pos = decode_escape(bytes, pos, &mut value),
                        other => {
                            value.push(other);
                            pos += 1;
                        }
                    }
                }
                if !closed {
                    sink.push(Diagnostic::new(
                        &ZONE_UNTERMINATED,
                        Span::new(open, pos),
                        format!("line {line}: quote not closed on its line"),
                        "add the closing `\"` at the end of the value",
                    ));
                }
                tokens.push(Token {
                    span: Span::new(open, pos),
                    quoted: true,
                    bytes: value,
                });
            }
            _ => {
                let begin = pos;
                while pos < bytes.len() {
                    match bytes.get(pos).copied().unwrap_or(b' ') {
                        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'(' | b')' | b'"' => break,
                        b'\\' => pos = (pos + 2).min(bytes.len()),
                        _ => pos += 1,
                    }
                }
                // The end may fall inside a multi-byte character only after a backslash; move
                // it to a character boundary so the token text can be sliced.
                while pos < bytes.len() && !text.is_char_boundary(pos) {
                    pos += 1;
                }
                let word = text.get(begin..pos).unwrap_or_default();
                tokens.push(Token {
                    span: Span::new(begin, pos),
                    quoted: false,
                    bytes: word.as_bytes().to_vec(),
                });
            }
        }
    }
    let open_paren = (depth > 0 && !single_line).then_some(open_at);
    let entry = if tokens.is_empty() {
        None
    } else {
        let first_line = tokens
            .first()
            .map(|t| lines.line_of(t.span.start))
            .unwrap_or(start_line);
        Some(RawEntry {
            tokens,
            indented,
            line: first_line,
        })
    };
    Lexed {
        entry,
        next: pos,
        next_line: line,
        open_paren,
    }
}

/// Decodes a backslash escape at `pos` into `out`; returns the position after it.
pub(crate) fn decode_escape(bytes: &[u8], pos: usize, out: &mut Vec<u8>) -> usize {
    let digits: Vec<u8> = (1..=3).filter_map(|i| bytes.get(pos + i).copied()).collect();
    if digits.len() == 3 && digits.iter().all(u8::is_ascii_digit) {
        let value = digits.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        if let Ok(byte) = u8::try_from(value) {
            out.push(byte);
            return pos + 4;
        }
    }
    match bytes.get(pos + 1) {
        Some(b'\n') | None => pos + 1,
        Some(&next) => {
            out.push(next);
            pos + 2
        }
    }
}

/// Where the line feeds are, so that the line of a byte is a binary search rather than a count
/// from the start of the text (which made reading a zone quadratic in its length).
struct Lines {
    feeds: Vec<usize>,
    len: usize,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let feeds = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Lines { feeds, len: text.len() }
    }

    /// The 1-based line of byte `at`: one more than the line feeds before it.
    fn line_of(&self, at: usize) -> usize {
        let end = at.min(self.len);
        self.feeds.partition_point(|&feed| feed < end) + 1
    }
}

/// Parses a TTL: seconds, or BIND units (`1h30m`, `1d`, `2w`).
fn parse_ttl(word: &str) -> Option<u32> {
    if word.is_empty() {
        return None;
    }
    if let Ok(secs) = word.parse::<u32>() {
        return Some(secs);
    }
    if !word.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut total: u64 = 0;
    let mut number: u64 = 0;
    let mut has_digits = false;
    for c in word.chars() {
        if let Some(d) = c.to_digit(10) {
            number = number.checked_mul(10)?.checked_add(u64::from(d))?;
            has_digits = true;
        } else {
            let unit = match c.to_ascii_lowercase() {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                'w' => 604_800,
                _ => return None,
            };
            if !has_digits {
                return None;
            }
            total = total.checked_add(number.checked_mul(unit)?)?;
            number = 0;
            has_digits = false;
        }
    }
    if has_digits {
        total = total.checked_add(number)?;
    }
    u32::try_from(total).ok()
}

fn is_class(word: &str) -> bool {
    matches!(word.to_ascii_uppercase().as_str(), "IN" | "CH" | "CS" | "HS")
}

/// True when the last character of `name` is an unescaped dot.
fn ends_with_dot(name: &str) -> bool {
    let trailing_backslashes = name.trim_end_matches('.').len();
    name.ends_with('.') && {
        let before = name.get(..trailing_backslashes).unwrap_or_default();
        before.chars().rev().take_while(|c| *c == '\\').count() % 2 == 0
    }
}

/// The absolute form (with trailing dot) of a name as written, under `origin` (no trailing
/// dot, empty for the root). A relative name already ending with the origin is taken as full.
fn absolute(name: &str, origin: &str) -> String {
    if name == "@" {
        return format!("{origin}.");
    }
    if ends_with_dot(name) {
        return name.to_string();
    }
    if origin.is_empty() {
        return format!("{name}.");
    }
    let lower = name.to_ascii_lowercase();
    if lower == origin || lower.ends_with(&format!(".{origin}")) {
        return format!("{name}.");
    }
    format!("{name}.{origin}.")
}

/// The state carried from entry to entry.
struct State {
    origin: String,
    origin_set: bool,
    dollar_ttl: Option<u32>,
    last_ttl: Option<u32>,
    last_owner: Option<String>,
}

/// Reads zone text. `default_origin` is used for relative names until a `$ORIGIN`.
pub fn parse(text: &str, default_origin: Option<&str>) -> Parsed<Zone> {
    let mut sink = Sink::default();
    let entries = split_entries(text, &mut sink);
    let mut state = State {
        origin: default_origin.map(normalize_name).unwrap_or_default(),
        origin_set: default_origin.is_some(),
        dollar_ttl: None,
        last_ttl: None,
        last_owner: None,
    };
    let mut records = Vec::new();
    for entry in &entries {
        read_entry(text, entry, &mut state, &mut records, &mut sink);
    }
    check_zone(&records, &mut sink);
    Parsed {
        value: Zone {
            origin: state.origin_set.then(|| state.origin.clone()),
            records,
        },
        diagnostics: sink.into_vec(),
    }
}

fn bad_entry(entry: &RawEntry, span: Span, detail: &str, help: &str) -> Diagnostic {
    Diagnostic::new(
        &ZONE_BAD_ENTRY,
        span,
        format!("line {}: {detail}", entry.line),
        help.to_string(),
    )
}

fn read_entry(text: &str, entry: &RawEntry, state: &mut State, records: &mut Vec<ZoneRecord>, sink: &mut Sink) {
    let span = entry.span();
    let Some(first) = entry.tokens.first() else {
        return;
    };
    let first_text = first.text();
    if !entry.indented && !first.quoted && first_text.starts_with('$') {
        read_directive(entry, &first_text, state, sink);
        return;
    }
    // Owner.
    let (owner, mut index) = if entry.indented {
        match &state.last_owner {
            Some(owner) => (owner.clone(), 0),
            None => {
                sink.push(bad_entry(
                    entry,
                    span,
                    "indented line with no previous owner name",
                    "start the line with the record's name, e.g. `example.com.`",
                ));
                return;
            }
        }
    } else {
        (absolute(&first_text, &state.origin), 1)
    };
    // TTL and class in either order, then the type.
    let mut ttl = None;
    let mut class: Option<&Token> = None;
    let code = loop {
        let Some(token) = entry.tokens.get(index) else {
            sink.push(bad_entry(
                entry,
                span,
                "no record type",
                "write the record as `name [ttl] [class] TYPE data`",
            ));
            return;
        };
        let word = token.text();
        index += 1;
        if token.quoted {
            sink.push(bad_entry(
                entry,
                token.span,
                "quoted text where the record type belongs",
                "write the record as `name [ttl] [class] TYPE data`",
            ));
            return;
        }
        if ttl.is_none() {
            if let Some(value) = parse_ttl(&word) {
                ttl = Some(value);
                continue;
            }
        }
        if class.is_none() && is_class(&word) {
            class = Some(token);
            continue;
        }
        match rdata::type_code(&word) {
            Some(code) if !is_class(&word) => break code,
            _ => {
                let looks_like_type = word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                if looks_like_type && word.chars().any(|c| c.is_ascii_alphabetic()) {
                    let help = match word.to_ascii_uppercase().as_str() {
                        "DKIM" | "DMARC" | "BIMI" | "MTA-STS" | "TLSRPT" | "TLS-RPT" => {
                            format!(
                                "{} records are TXT records: use the type `TXT`",
                                word.to_ascii_uppercase()
                            )
                        }
                        _ => "use a record type such as A, AAAA, MX, TXT or CNAME".to_string(),
                    };
                    sink.push(Diagnostic::new(
                        &ZONE_UNKNOWN_TYPE,
                        token.span,
                        format!("line {}: unknown record type `{word}`", entry.line),
                        help,
                    ));
                } else {
                    sink.push(bad_entry(
                        entry,
                        token.span,
                        &format!("`{word}` is not a ttl, class or record type"),
                        "write the record as `name [ttl] [class] TYPE data`",
                    ));
                }
                return;
            }
        }
    };
    if let Some(class) = class {
        if !class.text().eq_ignore_ascii_case("IN") {
            sink.push(Diagnostic::new(
                &ZONE_CLASS_NOT_IN,
                class.span,
                format!(
                    "line {}: class {} is not IN",
                    entry.line,
                    class.text().to_ascii_uppercase()
                ),
                "use the class `IN` or leave it out",
            ));
        }
    }
    let ttl = match ttl {
        Some(value) => {
            state.last_ttl = Some(value);
            value
        }
        None => state.dollar_ttl.or(state.last_ttl).unwrap_or(DEFAULT_TTL),
    };
    // Set the owner only now, so a line that is not a record does not become the owner of
    // the indented lines below it.
    let owner_name = normalize_name(&unescape_name(&owner));
    state.last_owner = Some(owner.clone());
    let data_tokens = entry.tokens.get(index..).unwrap_or_default();
    let rdata = if code == RecordType::Txt.code() || code == RecordType::Spf.code() {
        read_txt(text, entry, data_tokens, sink)
    } else {
        read_other(entry, code, data_tokens, &state.origin, sink)
    };
    if let Some(rdata) = rdata {
        records.push(ZoneRecord {
            owner: owner_name,
            ttl,
            rtype: ZoneType::from_code(code),
            rdata,
            line: entry.line,
            span,
        });
    }
}

/// Decodes `\DDD` and `\X` escapes of a name as written (leaving `\.` as a literal dot, which
/// is close enough for matching owner names).
fn unescape_name(name: &str) -> String {
    if !name.contains('\\') {
        return name.to_string();
    }
    let mut out = Vec::new();
    let bytes = name.as_bytes();
    let mut pos = 0;
    while let Some(&byte) = bytes.get(pos) {
        if byte == b'\\' {
            pos = decode_escape(bytes, pos, &mut out);
        } else {
            out.push(byte);
            pos += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn read_directive(entry: &RawEntry, word: &str, state: &mut State, sink: &mut Sink) {
    let span = entry.span();
    let argument = entry.tokens.get(1).map(Token::text);
    match word.to_ascii_uppercase().as_str() {
        "$ORIGIN" => match argument {
            Some(name) if !name.is_empty() => {
                state.origin = normalize_name(&unescape_name(&absolute(&name, &state.origin)));
                state.origin_set = true;
            }
            _ => sink.push(bad_entry(
                entry,
                span,
                "$ORIGIN without a name",
                "write `$ORIGIN example.com.`",
            )),
        },
        "$TTL" => match argument.as_deref().and_then(parse_ttl) {
            Some(ttl) => state.dollar_ttl = Some(ttl),
            None => sink.push(bad_entry(entry, span, "$TTL without a valid ttl", "write `$TTL 3600`")),
        },
        "$INCLUDE" | "$GENERATE" => sink.push(Diagnostic::new(
            &ZONE_UNSUPPORTED_DIRECTIVE,
            span,
            format!("line {}: {} is not followed", entry.line, word.to_ascii_uppercase()),
            "paste the records it stands for instead",
        )),
        _ => sink.push(Diagnostic::new(
            &ZONE_UNSUPPORTED_DIRECTIVE,
            span,
            format!("line {}: unknown directive `{word}`", entry.line),
            "use `$ORIGIN` or `$TTL`, or remove the line",
        )),
    }
}

/// The character-strings of a TXT (or SPF) record.
fn read_txt(text: &str, entry: &RawEntry, tokens: &[Token], sink: &mut Sink) -> Option<RData> {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        sink.push(bad_entry(
            entry,
            entry.span(),
            "TXT record without data",
            "add the value in quotes",
        ));
        return None;
    };
    let mut strings: Vec<(Vec<u8>, Span)> = Vec::new();
    if tokens.len() > 1 && tokens.iter().all(|t| !t.quoted) {
        // A provider form pasted without quotes: the rest of the line is one value.
        let span = first.span.cover(last.span);
        let raw = text.get(span.start..span.end).unwrap_or_default();
        let value = if raw.contains(['\n', '(', ')', ';']) {
            tokens.iter().map(Token::text).collect::<Vec<_>>().join(" ")
        } else {
            raw.to_string()
        };
        let value = unescape_name(&value);
        sink.push(Diagnostic::new(
            &ZONE_TXT_UNQUOTED,
            span,
            format!("line {}: txt value with spaces is not quoted", entry.line),
            format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")),
        ));
        strings.push((value.into_bytes(), span));
    } else {
        for token in tokens {
            let bytes = if token.quoted {
                token.bytes.clone()
            } else {
                unescape_name(&token.text()).into_bytes()
            };
            strings.push((bytes, token.span));
        }
    }
    let mut out = Vec::new();
    for (bytes, span) in strings {
        if bytes.len() > MAX_CHARACTER_STRING {
            sink.push(Diagnostic::new(
                &ZONE_TXT_STRING_TOO_LONG,
                span,
                format!(
                    "line {}: txt string is {} bytes, over the 255-byte limit",
                    entry.line,
                    bytes.len()
                ),
                split_help(&bytes),
            ));
            // Providers split long values into 255-byte strings; read it the way it is published.
            out.extend(bytes.chunks(MAX_CHARACTER_STRING).map(<[u8]>::to_vec));
        } else {
            out.push(bytes);
        }
    }
    Some(RData::Txt(out))
}

/// The help for a long string: the value split into quoted strings of at most 255 bytes.
fn split_help(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes
        .chunks(MAX_CHARACTER_STRING)
        .map(|chunk| {
            format!(
                "\"{}\"",
                String::from_utf8_lossy(chunk)
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
            )
        })
        .collect();
    format!("split it into strings of at most 255 bytes: {}", parts.join(" "))
}

/// The data of any type other than TXT and SPF.
fn read_other(entry: &RawEntry, code: u16, tokens: &[Token], origin: &str, sink: &mut Sink) -> Option<RData> {
    let span = entry.span();
    if tokens.is_empty() {
        sink.push(bad_entry(
            entry,
            span,
            &format!("{} record without data", rdata::type_name(code)),
            "add the record data after the type",
        ));
        return None;
    }
    let fields: Vec<rdata::Field> = tokens
        .iter()
        .map(|token| rdata::Field {
            bytes: &token.bytes,
            quoted: token.quoted,
        })
        .collect();
    match rdata::read(code, &fields, origin) {
        Ok(data) => Some(data),
        Err(bad) => {
            sink.push(bad_entry(
                entry,
                span,
                &format!("bad {} record: {}", rdata::type_name(code), bad.detail),
                &format!("write the data in the form `{}`", rdata::example_data(code)),
            ));
            None
        }
    }
}

/// The records grouped by owner name, owners in order, records in zone order.
pub(crate) fn by_owner(records: &[ZoneRecord]) -> VecMap<&str, Vec<&ZoneRecord>> {
    let owners: Vec<&str> = records.iter().map(|record| record.owner.as_str()).collect();
    let mut groups: Vec<(&str, Vec<&ZoneRecord>)> = Vec::new();
    for index in sorted_positions(&owners) {
        let Some(record) = records.get(index) else { continue };
        match groups.last_mut() {
            Some((owner, group)) if *owner == record.owner => group.push(record),
            _ => groups.push((&record.owner, vec![record])),
        }
    }
    VecMap::from_sorted(groups)
}

/// Checks across records: CNAME beside other data, RRset TTLs, duplicates.
fn check_zone(records: &[ZoneRecord], sink: &mut Sink) {
    let by_owner = by_owner(records);
    // RRSIG and NSEC may sit beside a CNAME (RFC 4035 §2.5).
    const DNSSEC_TYPES: [u16; 3] = [46, 47, 50];
    for (owner, group) in by_owner.iter() {
        let cnames: Vec<&&ZoneRecord> = group
            .iter()
            .filter(|r| r.rtype == ZoneType::Known(RecordType::Cname))
            .collect();
        if let Some(first_cname) = cnames.first() {
            for other in group
                .iter()
                .filter(|r| r.rtype != ZoneType::Known(RecordType::Cname) && !DNSSEC_TYPES.contains(&r.rtype.code()))
            {
                sink.push(
                    Diagnostic::new(
                        &ZONE_CNAME_AND_OTHER_DATA,
                        other.span,
                        format!(
                            "line {}: {} has a cname and other data",
                            other.line,
                            display_owner(owner)
                        ),
                        "remove this record, or replace the CNAME by the records it points to",
                    )
                    .with_related(first_cname.span, RelatedLabel::CnameRecord),
                );
            }
            for extra in cnames.iter().skip(1) {
                sink.push(
                    Diagnostic::new(
                        &ZONE_CNAME_AND_OTHER_DATA,
                        extra.span,
                        format!("line {}: {} has more than one cname", extra.line, display_owner(owner)),
                        "keep one CNAME record for the name",
                    )
                    .with_related(first_cname.span, RelatedLabel::FirstOne),
                );
            }
        }
        for (i, record) in group.iter().enumerate() {
            let earlier = group.iter().take(i).filter(|r| r.rtype == record.rtype);
            let mut ttl_reported = false;
            for previous in earlier {
                if previous.rdata == record.rdata {
                    sink.push(
                        Diagnostic::new(
                            &ZONE_DUPLICATE_RECORD,
                            record.span,
                            format!(
                                "line {}: duplicate of the record on line {}",
                                record.line, previous.line
                            ),
                            "remove one of the two",
                        )
                        .with_related(previous.span, RelatedLabel::FirstOne),
                    );
                    break;
                }
                if previous.ttl != record.ttl && !ttl_reported {
                    ttl_reported = true;
                    sink.push(
                        Diagnostic::new(
                            &ZONE_TTL_MISMATCH,
                            record.span,
                            format!(
                                "line {}: ttl {} differs from ttl {} on line {} in the same rrset",
                                record.line, record.ttl, previous.ttl, previous.line
                            ),
                            format!("use the same ttl for every record of the set, e.g. {}", previous.ttl),
                        )
                        .with_related(previous.span, RelatedLabel::OtherRecord),
                    );
                }
            }
        }
    }
}

fn display_owner(owner: &str) -> &str {
    if owner.is_empty() {
        "."
    } else {
        owner
    }
}
