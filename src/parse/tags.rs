//! The shared lexer for the `tag=value; ...` record family (DMARC, DKIM keys, BIMI, MTA-STS TXT,
//! TLS-RPT), after the tag-list grammar of RFC 6376 §3.2:
//!
//! ```text
//! tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//! tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//! tag-name  =  ALPHA *ALNUMPUNC            ; ALNUMPUNC = ALPHA / DIGIT / "_"
//! tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
//! tval      =  1*VALCHAR                   ; VALCHAR = %x21-3A / %x3C-7E
//! ```
//!
//! Each record kind gives the lexer its tag names and its own rule codes ([`LexRules`]), so a
//! duplicated tag is `DMARC005` in a DMARC record and `DKIM005` in a key record. The lexer never
//! fails: it recovers from a missing `=`, a `,` or a missing `;` between tags, quotes pasted
//! from a zone file, and non-breaking spaces and typographic quotes copied from documents, so one
//! slip gives one diagnostic and the rest of the record is still read.
//!
//! Tag names are case-sensitive in DKIM, BIMI, MTA-STS and TLS-RPT (RFC 6376 §3.2; the `%s`
//! strings of RFC 8460 and RFC 8461): there a receiver does not see `P` as `p`, and neither does
//! the lexer. DMARC's grammar (RFC 9989 §4.8, RFC 7489 §6.4) writes tag names as ABNF strings,
//! which are case-insensitive, so there `P` is `p`.

use crate::catalogue::Rule;
use crate::diag::{Diagnostic, RelatedLabel, Sink, Span};

/// At most this many diagnostics are returned for one record; the rest are summarised.
pub const MAX_DIAGNOSTICS: usize = 50;

/// One `name=value` pair as written, with its places in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The name as written.
    pub name: String,
    /// The name as a receiver looks it up: in lower case where tag names are case-insensitive
    /// (DMARC), as written where they are case-sensitive.
    pub key: String,
    /// The value with surrounding whitespace removed. Non-breaking spaces, typographic quotes and
    /// invisible characters (reported once) read as spaces, so the value is what was meant.
    pub value: String,
    pub name_span: Span,
    pub value_span: Span,
    /// From the first character of the name to the last character of the value.
    pub span: Span,
    /// A later repetition of a tag seen before (reported; its value is not used).
    pub duplicate: bool,
}

/// The tags of one record, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagList {
    pub tags: Vec<Tag>,
    /// The record was another kind of record (e.g. SPF where DMARC was expected); no tags were read.
    pub other_kind: bool,
    /// The text was empty.
    pub empty: bool,
    /// A diagnostic already tells the user to write `v=...` (as for `=DMARC1`), so a missing `v`
    /// is not reported again.
    pub version_hinted: bool,
    /// Tags a receiver will not find that the lexer has already reported, with the fix: written
    /// in upper case where case matters (`P`), misspelt (`pp`), or without `=`. The kind does not
    /// report them missing again.
    pub explained: Vec<&'static str>,
    /// Where the first character outside printable ASCII is (it was reported once).
    pub non_ascii_at: Option<usize>,
}

impl TagList {
    /// The first occurrence of the tag with this name, looked up as a receiver would.
    pub fn get(&self, key: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| !t.duplicate && t.key == key)
    }

    /// The tags that count: first occurrences only.
    pub fn unique(&self) -> impl Iterator<Item = &Tag> {
        self.tags.iter().filter(|t| !t.duplicate)
    }

    /// The tag is absent and no diagnostic has said so yet: the kind reports it missing.
    pub fn missing(&self, key: &str) -> bool {
        self.get(key).is_none() && !self.explained.contains(&key)
    }

    /// A tag written with upper-case letters whose lower-case form is `key` (a receiver that
    /// compares names exactly does not see it as `key`).
    pub fn miscased(&self, key: &str) -> Option<&Tag> {
        self.tags
            .iter()
            .find(|t| t.key != key && t.name.eq_ignore_ascii_case(key))
    }

    /// The first character outside printable ASCII lies in `span` (its diagnostic covers it).
    pub fn non_ascii_in(&self, span: Span) -> bool {
        self.non_ascii_at.is_some_and(|at| span.start <= at && at < span.end)
    }
}

/// The rule codes one record kind uses for the problems the lexer finds.
#[derive(Clone, Copy, Debug)]
pub struct LexRules {
    pub empty_record: &'static Rule,
    pub empty_tag: &'static Rule,
    pub malformed_tag: &'static Rule,
    pub wrong_separator: &'static Rule,
    pub duplicate_tag: &'static Rule,
    pub uppercase_tag: &'static Rule,
    pub non_ascii: &'static Rule,
    pub too_many: &'static Rule,
    pub unknown_tag: &'static Rule,
    /// A likely misspelling of a known optional tag. Kinds whose tags are all required (MTA-STS,
    /// TLS-RPT) have none: a misspelling there is reported as the required tag missing.
    pub misspelt_tag: Option<&'static Rule>,
    pub zone_quotes: &'static Rule,
    pub version_missing: &'static Rule,
    pub version_not_first: &'static Rule,
    pub version_invalid: &'static Rule,
    pub other_kind: &'static Rule,
}

/// A tag a record must have (other than `v`), the rule that reports it missing, and what to
/// write for it in a help text.
#[derive(Clone, Copy, Debug)]
pub struct Required {
    pub tag: &'static str,
    pub rule: &'static Rule,
    /// E.g. `p=none, p=quarantine or p=reject`, after "write".
    pub hint: &'static str,
}

/// What the lexer needs to know about a record kind.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// The kind's proper name used in messages, e.g. `DMARC`, `MTA-STS`.
    pub label: &'static str,
    /// The exact `v=` value, e.g. `DMARC1`.
    pub version: &'static str,
    /// Whether `v=` must be present (it is optional in DKIM key records).
    pub version_required: bool,
    /// Every tag name the kind defines (lower case), for typo suggestions and separator recovery.
    pub tags: &'static [&'static str],
    /// Tag names are case-sensitive (RFC 6376 §3.2, and the `%s` strings of RFC 8460/8461).
    /// DMARC's ABNF uses case-insensitive strings, so there an upper-case name is only a note.
    pub case_sensitive: bool,
    /// The tags, other than `v`, whose absence the kind reports.
    pub required: &'static [Required],
    /// The tags whose value is a `,`-separated list of report URIs.
    pub uri_lists: &'static [&'static str],
    /// Whether a value fits the grammar of a known tag (other than `v`), so that a misspelt tag is
    /// only taken for a tag its value could belong to.
    pub accepts: fn(&str, &str) -> bool,
    /// Names people give a known tag that are not within typing distance of it: (name, tag).
    pub aliases: &'static [(&'static str, &'static str)],
    pub rules: LexRules,
}

impl Kind {
    fn required(&self, key: &str) -> Option<&'static Required> {
        self.required.iter().find(|r| r.tag == key)
    }

    /// The kind's own spelling of a known tag name, as a `'static` string.
    fn known(&self, key: &str) -> Option<&'static str> {
        self.tags.iter().copied().find(|t| *t == key)
    }
}

/// Version strings of the other record kinds, to recognise a record pasted in the wrong place.
const KNOWN_VERSIONS: &[(&str, &str)] = &[
    ("spf1", "SPF"),
    ("DMARC1", "DMARC"),
    ("DKIM1", "DKIM key"),
    ("BIMI1", "BIMI"),
    ("STSv1", "MTA-STS"),
    ("TLSRPTv1", "TLS-RPT"),
];

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `start..end` with ASCII whitespace removed from both ends.
fn trim_range(bytes: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && bytes.get(start).is_some_and(|b| is_ws(*b)) {
        start += 1;
    }
    while end > start && bytes.get(end - 1).is_some_and(|b| is_ws(*b)) {
        end -= 1;
    }
    (start, end)
}

/// The text of `start..end`, or empty if that is not a valid slice (never panics).
pub fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or("")
}

/// `text` starts with `prefix`, ignoring ASCII case.
pub fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix))
}

fn valid_tag_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Edit distance over bytes in which swapping two neighbouring letters counts as one edit
/// (optimal string alignment), for typo suggestions of short ASCII names and values.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    // Three rows: two back (for swaps), the previous one, and the current one.
    let mut older = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    let at = |row: &[usize], k: usize| row.get(k).copied().unwrap_or(usize::MAX / 2);
    for i in 1..=a.len() {
        if let Some(first) = cur.first_mut() {
            *first = i;
        }
        let ca = a.get(i - 1).copied().unwrap_or(0);
        for j in 1..=b.len() {
            let cb = b.get(j - 1).copied().unwrap_or(0);
            let cost = usize::from(ca != cb);
            let mut best = (at(&prev, j) + 1).min(at(&cur, j - 1) + 1).min(at(&prev, j - 1) + cost);
            if i > 1 && j > 1 && a.get(i - 2) == Some(&cb) && b.get(j - 2) == Some(&ca) {
                best = best.min(at(&older, j - 2) + 1);
            }
            if let Some(slot) = cur.get_mut(j) {
                *slot = best;
            }
        }
        // The rows move up one: the current becomes the previous, the previous the older.
        std::mem::swap(&mut older, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    at(&prev, b.len())
}

/// How far a typed name is from a known one, as (edits, kind of edit) to rank suggestions by:
/// two neighbouring letters swapped rank first, then a letter left out or one typed twice, then
/// anything else. `None` when they are too far apart (more than two edits, or as many edits as
/// letters, so that `x1` is not taken for `p`).
fn typo_cost(typed: &str, known: &str) -> Option<(usize, u8)> {
    let distance = edit_distance(typed, known);
    if distance == 0 || distance > 2 || distance >= typed.len().max(known.len()) {
        return None;
    }
    let (t, k) = (typed.as_bytes(), known.as_bytes());
    let rank = if swapped(t, k) {
        0
    } else if t.len() < k.len() || doubled(t, k) {
        1
    } else {
        2
    };
    Some((distance, rank))
}

/// `typed` is `known` with two neighbouring letters swapped (`asfp` for `aspf`).
fn swapped(typed: &[u8], known: &[u8]) -> bool {
    let Some(i) = (0..typed.len()).find(|&i| typed.get(i) != known.get(i)) else {
        return false;
    };
    typed.len() == known.len()
        && typed.get(i) == known.get(i + 1)
        && typed.get(i + 1) == known.get(i)
        && typed.get(i + 2..) == known.get(i + 2..)
}

/// `typed` is `known` with one letter typed twice (`pp` for `p`, `foo` for `fo`).
fn doubled(typed: &[u8], known: &[u8]) -> bool {
    typed.len() == known.len() + 1
        && (1..typed.len()).any(|i| {
            typed.get(i) == typed.get(i - 1) && typed.get(..i) == known.get(..i) && typed.get(i + 1..) == known.get(i..)
        })
}

/// The known word closest to `word` (at most two edits, and fewer than the longer word has
/// letters), for the values of a tag (`rejct` for `reject`). `None` when two are equally close.
pub fn suggest(word: &str, known: &[&'static str]) -> Option<&'static str> {
    // The right word in the wrong case (`Enforce` where the value is case-sensitive).
    if let Some(exact) = known.iter().find(|k| k.eq_ignore_ascii_case(word)) {
        return Some(exact);
    }
    closest_name(word, known, &|_| true)
}

/// The known name a typed one (not itself known) was probably meant as: within two edits of it
/// ([`suggest`]'s measure, letters swapped or left out ranking first) and accepted by `fits`
/// (not present yet, and the value fits). `None` when two are equally likely.
pub fn closest_name(typed: &str, known: &[&'static str], fits: &dyn Fn(&'static str) -> bool) -> Option<&'static str> {
    let typed = typed.to_ascii_lowercase();
    let mut candidates = Vec::new();
    for &k in known {
        if let Some(cost) = typo_cost(&typed, k) {
            if fits(k) {
                candidates.push((cost, k));
            }
        }
    }
    best(&candidates)
}

/// The kind of record whose version tag has the value `token` (`spf1` is "SPF"), any case.
pub fn kind_of_version(token: &str) -> Option<&'static str> {
    KNOWN_VERSIONS
        .iter()
        .find(|(version, _)| token.eq_ignore_ascii_case(version))
        .map(|(_, label)| *label)
}

/// "a" or "an" before a kind's name.
pub fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('S' | 'M' | 'a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

/// The candidate with the lowest cost, or `None` when two different ones share it: no
/// suggestion rather than a wrong one.
fn best(candidates: &[((usize, u8), &'static str)]) -> Option<&'static str> {
    let mut best: Option<((usize, u8), &'static str)> = None;
    let mut tied = false;
    for &(cost, name) in candidates {
        match best {
            Some((b, n)) if cost == b && name != n => tied = true,
            Some((b, _)) if cost >= b => {}
            _ => {
                best = Some((cost, name));
                tied = false;
            }
        }
    }
    if tied {
        None
    } else {
        best.map(|(_, name)| name)
    }
}

/// Quoted TXT strings as pasted from a zone file, joined the way DNS joins them.
fn unquote_joined(text: &str) -> String {
    let text = text.trim();
    let mut out = String::new();
    // Without its outer quotes (`p=abc" "def`, as copied from between them), the text starts
    // inside the first string.
    let mut inside = !text.starts_with('"');
    let mut escaped = false;
    for c in text.chars() {
        if inside {
            if escaped {
                out.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                inside = false;
            } else {
                out.push(c);
            }
        } else if c == '"' {
            inside = true;
        }
    }
    out
}

/// The text as the lexer reads it: every non-breaking or typographic space, typographic quote
/// and invisible character becomes as many ASCII spaces as it has bytes, so the tags around it
/// read as meant and every span still points into the original text.
fn working_text(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match crate::text::ascii_lookalike(c) {
            Some((_, "" | " ")) => {
                for _ in 0..c.len_utf8() {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The character at `at` sits in the domain of a URI or address (after `@`, or in the host
/// after `://`), where a letter outside ASCII is an internationalised domain name.
fn in_domain(text: &str, at: usize) -> bool {
    let Some(piece) = value_piece(text, at) else {
        return false;
    };
    if piece.contains('@') {
        return true;
    }
    match crate::text::find(piece, "://") {
        Some(i) => !slice(piece, i + 3, piece.len()).contains('/'),
        None => false,
    }
}

/// Whether the character at `at` is in the mailbox name of a `mailto:` address (before its `@`).
fn in_mailbox_name(text: &str, at: usize) -> bool {
    value_piece(text, at).is_some_and(|piece| starts_with_ci(piece, "mailto:") && !piece.contains('@'))
}

/// The part of a tag's value that runs up to `at`, from the last `,` or space before it.
fn value_piece(text: &str, at: usize) -> Option<&str> {
    let before = slice(text, 0, at);
    let segment = slice(before, before.rfind(';').map_or(0, |i| i + 1), before.len());
    let (_, value) = segment.split_once('=')?;
    let piece_start = value
        .bytes()
        .rposition(|c| matches!(c, b',' | b' ' | b'\t'))
        .map_or(0, |i| i + 1);
    Some(slice(value, piece_start, value.len()))
}

/// The diagnostic for the first character outside printable ASCII: what it is, and the record
/// retyped in ASCII when each such character stands for an ASCII one.
fn non_ascii_diagnostic(text: &str, at: usize, c: char, rule: &'static Rule) -> Diagnostic {
    let span = Span::new(at, at + c.len_utf8());
    let letter = matches!(
        crate::text::ascii_lookalike(c),
        Some((crate::text::NON_ASCII_LETTER, _)) | None
    );
    if letter && !c.is_ascii() && in_domain(text, at) {
        return Diagnostic::new(
            rule,
            span,
            format!("{} in a domain name", crate::text::describe_char(c)),
            "records are ASCII only: write the internationalised domain in its A-label form (`xn--...`)",
        );
    }
    if letter && !c.is_ascii() && in_mailbox_name(text, at) {
        return Diagnostic::new(
            rule,
            span,
            format!(
                "{} in the mailbox name of a report address",
                crate::text::describe_char(c)
            ),
            "use a report address in plain ASCII: report senders cannot be relied on to reach a non-ASCII mailbox",
        );
    }
    let mut fixed = String::with_capacity(text.len());
    let mut known = true;
    for (i, ch) in text.char_indices() {
        if ch.is_ascii() {
            if !ch.is_ascii_control() || matches!(ch, '\t' | '\r' | '\n') {
                fixed.push(ch);
            }
            continue;
        }
        match crate::text::ascii_lookalike(ch) {
            Some((crate::text::NON_ASCII_LETTER, _)) if in_domain(text, i) => known = false,
            Some((_, ascii)) => fixed.push_str(ascii),
            None => known = false,
        }
    }
    let help = if known {
        format!("retype it in plain ASCII: {}", fixed.trim())
    } else {
        "retype the record by hand; copying from a web page or word processor brings in invisible or typographic characters".to_string()
    };
    Diagnostic::new(rule, span, crate::text::describe_char(c), help)
}

/// A wrong separator found while lexing: where it is, what belongs there, and what to say.
struct Fix {
    span: Span,
    write: &'static str,
    message: &'static str,
}

/// Up to this many tags, repeats are found by comparing each tag with those before it; above
/// it, by one sort (a pasted wall of tags stays linear).
const SMALL_TAG_LIST: usize = 32;

/// The lexer's state while it reads one record.
struct Lexer<'a> {
    /// The working text ([`working_text`]), byte for byte as long as the record.
    text: &'a str,
    kind: &'a Kind,
    sink: &'a mut Sink,
    list: TagList,
    /// Wrong separators, reported together once the whole record is read.
    fixes: Vec<Fix>,
    /// The tag whose report URIs a `;` split, already reported (its help grows as more join).
    joined: Option<usize>,
    /// For each tag read, how many diagnostics the sink held when it was read: where the
    /// tag's duplicate finding goes once the whole record is read.
    sink_at: Vec<usize>,
}

/// Reads the tag list of `text`, reporting syntax problems into `sink` under `kind`'s rules.
///
/// The version tag is checked too ([`Kind::version`]): present (when required), first, and exact.
/// Tags that are not the kind's own are reported here as well: as a misspelling of a known tag
/// when their value fits it, else as unknown.
pub fn lex(text: &str, kind: &Kind, sink: &mut Sink) -> TagList {
    let rules = &kind.rules;
    let mut list = TagList::default();
    if text.trim().is_empty() {
        sink.push(Diagnostic::new(
            rules.empty_record,
            Span::new(0, text.len()),
            format!("empty {} record", kind.label),
            format!("publish a record that starts with v={}", kind.version),
        ));
        list.empty = true;
        return list;
    }
    let mut working = working_text(text);
    if other_kind(&working, kind, sink) {
        list.other_kind = true;
        return list;
    }
    let entry = sink.diagnostics.len();

    // One diagnostic for the first character outside printable ASCII; tabs and line breaks are
    // folding whitespace and allowed.
    if let Some((at, c)) = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii() || (c.is_ascii_control() && !matches!(c, '\t' | '\r' | '\n')))
    {
        sink.push(non_ascii_diagnostic(text, at, c, rules.non_ascii));
        list.non_ascii_at = Some(at);
    }

    // Quotes pasted from a zone file: reported once, then read as if they were spaces. A `"` and a
    // space are both one byte, so every span still points into the original text.
    let trimmed = working.trim_start();
    if trimmed.starts_with('"') || crate::text::contains(&working, "\" \"") || crate::text::contains(&working, "\"\t\"")
    {
        let at = working.find('"').unwrap_or(0);
        sink.push(Diagnostic::new(
            rules.zone_quotes,
            Span::new(at, at + 1),
            "record contains quotes from zone-file syntax",
            format!(
                "the quotes are not part of the record; publish the joined text: {}",
                unquote_joined(&working)
            ),
        ));
        working = working.replace('"', " ");
    }
    let before_tags = sink.diagnostics.len();

    let mut lexer = Lexer {
        text: &working,
        kind,
        sink,
        list,
        fixes: Vec::new(),
        joined: None,
        sink_at: Vec::new(),
    };
    let mut seg_start = 0;
    let mut semis: Vec<usize> = working.match_indices(';').map(|(i, _)| i).collect();
    semis.push(working.len());
    let count = semis.len();
    let bytes = working.as_bytes();
    for (index, seg_end) in semis.into_iter().enumerate() {
        let (a, b) = trim_range(bytes, seg_start, seg_end);
        if a == b {
            // Nothing between two separators. Only the end of the record may be empty (a
            // trailing `;` is allowed).
            if index + 1 < count {
                lexer.sink.push(Diagnostic::new(
                    rules.empty_tag,
                    Span::new(seg_end, seg_end + 1),
                    "empty tag between separators",
                    "remove the extra `;`",
                ));
            }
        } else {
            lexer.segment(a, b, seg_start.checked_sub(1));
        }
        seg_start = seg_end + 1;
    }
    lexer.report_duplicates();
    lexer.report_separators();
    let Lexer { sink, mut list, .. } = lexer;

    if list.tags.is_empty() {
        // Nothing could be read as a tag: the text is not a record of this kind at all, and that
        // is the one thing to say (unless a diagnostic already says to write `v=`).
        if kind.version_required && !list.version_hinted {
            sink.diagnostics.truncate(before_tags);
            sink.push(Diagnostic::new(
                rules.version_missing,
                Span::point(text.len() - text.trim_start().len()),
                format!(
                    "no v={} tag: this is not {} {} record",
                    kind.version,
                    article(kind.label),
                    kind.label
                ),
                format!("publish a record that starts with v={}", kind.version),
            ));
        }
        return list;
    }
    if let Some(label) = looks_like(&list, kind) {
        // A record of another kind without its `v=` tag (a DKIM key at `_dmarc`): say that, once,
        // instead of judging its tags by this kind's rules.
        sink.diagnostics.truncate(entry);
        sink.push(Diagnostic::new(
            rules.other_kind,
            Span::new(0, text.len()),
            format!(
                "this looks like {} {label} record, not {} {} record",
                article(label),
                article(kind.label),
                kind.label
            ),
            format!(
                "publish the {label} record at its own name, and a record starting with v={} here",
                kind.version
            ),
        ));
        list.tags.clear();
        list.other_kind = true;
        return list;
    }
    report_case(&working, kind, sink, &mut list);
    report_unknown(kind, sink, &mut list);
    check_version(&list, kind, sink);
    list
}

/// A record of another kind (by its `v=` value) is reported once and not read further, so the
/// user sees "this is an SPF record" and not a page of unknown tags.
fn other_kind(text: &str, kind: &Kind, sink: &mut Sink) -> bool {
    let start = text.len() - text.trim_start().len();
    let rest = text.trim_start();
    let Some(after_v) = rest.strip_prefix("v=").or_else(|| rest.strip_prefix("V=")) else {
        return false;
    };
    let token_len = after_v
        .find(|c: char| c == ';' || c.is_ascii_whitespace())
        .unwrap_or(after_v.len());
    let token = slice(after_v, 0, token_len);
    for (version, label) in KNOWN_VERSIONS {
        if token.eq_ignore_ascii_case(version) && !token.eq_ignore_ascii_case(kind.version) {
            sink.push(Diagnostic::new(
                kind.rules.other_kind,
                Span::new(start, start + 2 + token_len),
                format!(
                    "this is {} {label} record, not {} {} record",
                    article(label),
                    article(kind.label),
                    kind.label
                ),
                format!(
                    "publish the {label} record at its own name and a record starting with v={} here",
                    kind.version
                ),
            ));
            return true;
        }
    }
    false
}

/// The kind a record without any `v` tag looks like when its tags are another kind's: a DKIM key
/// (`k=rsa`, or a long base64 `p=`) or a DMARC policy (a `p=` policy or DMARC's own tags).
fn looks_like(list: &TagList, kind: &Kind) -> Option<&'static str> {
    if list.tags.iter().any(|t| t.name.eq_ignore_ascii_case("v")) {
        return None;
    }
    let value = |name: &str| {
        list.tags
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
            .map(|t| t.value.as_str())
    };
    let base64 = |v: &str| {
        v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=') || is_ws(c))
    };
    let dkim = value("k").is_some_and(|k| k.eq_ignore_ascii_case("rsa") || k.eq_ignore_ascii_case("ed25519"))
        || value("p").is_some_and(|p| base64(p) && (p.len() >= 40 || (p.len() >= 4 && p.starts_with("MI"))));
    let dmarc = value("p").is_some_and(|p| {
        ["none", "quarantine", "reject"]
            .iter()
            .any(|w| p.eq_ignore_ascii_case(w))
    }) || ["sp", "np", "adkim", "aspf", "fo", "pct", "ruf", "psd"]
        .iter()
        .any(|name| value(name).is_some());
    let label = match (dkim, dmarc) {
        (true, false) => "DKIM key",
        (false, true) => "DMARC",
        _ => return None,
    };
    (!label.starts_with(kind.label)).then_some(label)
}

/// The place in `value_range` where a second tag starts because a `;` is missing or a `,`/`:`
/// was used instead: a run of separator characters followed by a known tag name and `=`.
/// Returns (separator start, separator end, next tag start).
fn embedded_tag(text: &str, start: usize, end: usize, kind: &Kind) -> Option<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        let b = bytes.get(i).copied().unwrap_or(0);
        if is_ws(b) || b == b',' || b == b':' {
            let sep_start = i;
            let mut j = i;
            while j < end && bytes.get(j).is_some_and(|c| is_ws(*c) || *c == b',' || *c == b':') {
                j += 1;
            }
            // The separator must follow value text, and a name and `=` must follow it.
            let mut k = j;
            while k < end && bytes.get(k).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                k += 1;
            }
            let name = slice(text, j, k).to_ascii_lowercase();
            let mut m = k;
            while m < end && bytes.get(m).is_some_and(|c| is_ws(*c)) {
                m += 1;
            }
            if sep_start > start && k > j && bytes.get(m) == Some(&b'=') && kind.tags.contains(&name.as_str()) {
                return Some((sep_start, j, j));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

impl Lexer<'_> {
    /// One part of the record between `;` (trimmed to `a..b`); `semi` is the `;` before it.
    fn segment(&mut self, a: usize, b: usize, semi: Option<usize>) {
        let text = self.text;
        let kind = self.kind;
        let rules = &kind.rules;
        let bytes = text.as_bytes();
        let seg = slice(text, a, b);
        if (starts_with_ci(seg, "mailto:") || starts_with_ci(seg, "https:")) && self.join_uris(a, b, semi, ',') {
            return;
        }
        let mut a = a;
        loop {
            let seg = slice(text, a, b);
            // A known tag name, then `:` where `=` belongs, a common slip (`fo:1`, `rf:afrf`),
            // also before a value that itself holds `=` (`p:MIIB...=`, base64 padding).
            if let Some(colon_rel) = seg.find(':').filter(|&c| seg.find('=').is_none_or(|e| c < e)) {
                let (na, nb) = trim_range(bytes, a, a + colon_rel);
                let name = slice(text, na, nb);
                if kind.tags.contains(&name.to_ascii_lowercase().as_str()) {
                    let (va, vb) = trim_range(bytes, a + colon_rel + 1, b);
                    self.fixes.push(Fix {
                        span: Span::new(a + colon_rel, a + colon_rel + 1),
                        write: "=",
                        message: "`:` used instead of `=` between tag name and value",
                    });
                    self.push_tag(na, nb, va, vb);
                    return;
                }
            }
            let Some(eq_rel) = seg.find('=') else {
                if !seg.contains([' ', '\t']) && self.join_uris(a, b, semi, ':') {
                    return;
                }
                // No `=` at all: maybe a known tag name glued to its value (`preject`,
                // `vDMARC1`, `ruamailto:...`). One finding whose fix puts the `=` in, and the
                // tag read as meant, so it is not also reported missing.
                if let Some(name_len) = self.glued_tag(seg) {
                    let at = a + name_len;
                    self.fixes.push(Fix {
                        span: Span::point(at),
                        write: "=",
                        message: "no `=` between tag name and value",
                    });
                    self.push_tag(a, at, at, b);
                    return;
                }
                let first_word = seg.split(|c: char| c.is_ascii_whitespace()).next().unwrap_or("");
                let rest = seg.get(first_word.len()..).unwrap_or("").trim();
                let lower = first_word.to_ascii_lowercase();
                let help = match kind.known(&lower) {
                    Some("v") => {
                        self.list.version_hinted = true;
                        format!("write v={}", kind.version)
                    }
                    Some(known) => {
                        let required = kind.required(known);
                        if required.is_some() || !rest.is_empty() {
                            self.list.explained.push(known);
                        }
                        match (rest.is_empty(), required) {
                            (false, _) => format!("write {first_word}={rest}"),
                            (true, Some(required)) => format!("write {}", required.hint),
                            (true, None) => format!("give it a value ({first_word}=...) or remove it"),
                        }
                    }
                    None => "write the tag as name=value, or remove it".to_string(),
                };
                self.sink.push(Diagnostic::new(
                    rules.malformed_tag,
                    Span::new(a, b),
                    format!("tag `{seg}` has no `=`"),
                    help,
                ));
                return;
            };
            let eq = a + eq_rel;
            let (na, nb) = trim_range(bytes, a, eq);
            let (va, vb) = trim_range(bytes, eq + 1, b);
            let name = slice(text, na, nb);
            if name.is_empty() {
                let value = slice(text, va, vb);
                let help = if value.eq_ignore_ascii_case(kind.version) {
                    self.list.version_hinted = true;
                    format!("write v={}", kind.version)
                } else {
                    "write the tag as name=value, or remove it".to_string()
                };
                self.sink.push(Diagnostic::new(
                    rules.malformed_tag,
                    Span::new(a, b),
                    "tag has no name before `=`",
                    help,
                ));
                return;
            }
            if !valid_tag_name(name) {
                self.sink.push(Diagnostic::new(
                    rules.malformed_tag,
                    Span::new(na, nb),
                    format!("`{name}` is not a valid tag name"),
                    "a tag name is a letter followed by letters, digits or `_`; check for a missing `;`",
                ));
                return;
            }
            // A second tag inside the value means a missing `;` or a wrong separator.
            if let Some((sep_a, sep_b, next)) = embedded_tag(text, va, vb, kind) {
                let sep = slice(text, sep_a, sep_b);
                let message = if sep.contains(',') {
                    "`,` used between tags instead of `;`"
                } else if sep.contains(':') {
                    "`:` used between tags instead of `;`"
                } else {
                    "`;` missing between tags"
                };
                self.fixes.push(Fix {
                    span: Span::new(sep_a, sep_b),
                    write: "; ",
                    message,
                });
                let (ta, tb) = trim_range(bytes, va, sep_a);
                self.push_tag(na, nb, ta, tb);
                a = next;
                continue;
            }
            self.push_tag(na, nb, va, vb);
            return;
        }
    }

    /// A `;` inside a report URI list: `rua=mailto:a@x;mailto:b@x` (a `;` where `,` belongs,
    /// `sep` is `,`) or `rua=mailto;a@x` (a `;` for the scheme's `:`). The part `a..b` after the
    /// `;` joins the previous tag's value with the `;` read as `sep`, reported once.
    fn join_uris(&mut self, a: usize, b: usize, semi: Option<usize>, sep: char) -> bool {
        let text = self.text;
        let Some(semi) = semi else { return false };
        let Some(index) = self.list.tags.len().checked_sub(1) else {
            return false;
        };
        let Some(prev) = self.list.tags.get(index) else {
            return false;
        };
        let key = prev.key.to_ascii_lowercase();
        if prev.duplicate || !self.kind.uri_lists.contains(&key.as_str()) || prev.value_span.end > semi {
            return false;
        }
        // The previous tag must end at this `;`.
        if !slice(text, prev.value_span.end, semi).bytes().all(is_ws) {
            return false;
        }
        if sep == ':' {
            let scheme = prev.value.to_ascii_lowercase();
            if !(scheme.ends_with("mailto") || scheme.ends_with("https"))
                || prev.value_span.end != semi
                || a != semi + 1
            {
                return false;
            }
        }
        // The value so far (with any `;` joined before already read as meant), then this part
        // with its `;` read as `sep`.
        if slice(text, semi, semi + 1) != ";" {
            return false;
        }
        let mut value = prev.value.clone();
        value.push_str(slice(text, prev.value_span.end, semi));
        value.push(sep);
        value.push_str(slice(text, semi + 1, b));
        let name = prev.name.clone();
        if let Some(tag) = self.list.tags.get_mut(index) {
            tag.value.clone_from(&value);
            tag.value_span.end = b;
            tag.span.end = b;
        }
        let help = format!("write {name}={value}");
        if self.joined == Some(index) {
            if let Some(last) = self.sink.diagnostics.last_mut() {
                last.help = help.into();
            }
            return true;
        }
        let message = if sep == ',' {
            format!("`;` between report uris ends the `{name}` tag; use `,`")
        } else {
            "`;` after the uri scheme where `:` belongs".to_string()
        };
        self.sink.push(Diagnostic::new(
            self.kind.rules.malformed_tag,
            Span::new(semi, semi + 1),
            message,
            help,
        ));
        self.joined = Some(index);
        true
    }

    /// The wrong separators, as one diagnostic at the first: its help is the whole record with
    /// every one of them corrected, so applying it fixes them all.
    fn report_separators(&mut self) {
        let Some(first) = self.fixes.first() else {
            return;
        };
        let single_colon = self.fixes.len() == 1 && first.write == "=";
        let help = if single_colon {
            // `fo:1`: the tag alone says it.
            self.list
                .tags
                .iter()
                .find(|t| t.name_span.end <= first.span.start && first.span.end <= t.value_span.start)
                .map_or_else(
                    || "write `=` between the tag name and its value".to_string(),
                    |t| format!("write {}={}", t.name, t.value),
                )
        } else {
            let mut fixed = String::with_capacity(self.text.len() + self.fixes.len());
            let mut at = 0;
            for fix in &self.fixes {
                fixed.push_str(slice(self.text, at, fix.span.start));
                fixed.push_str(fix.write);
                at = fix.span.end;
            }
            fixed.push_str(slice(self.text, at, self.text.len()));
            let fixed = fixed.trim();
            if self.fixes.iter().all(|f| f.write == "; ") {
                format!("separate the tags with `;`: {fixed}")
            } else {
                format!("write {fixed}")
            }
        };
        self.sink.push(Diagnostic::new(
            self.kind.rules.wrong_separator,
            first.span,
            first.message,
            help,
        ));
    }

    /// The length of the known tag name `seg` starts with when the rest is a value of that
    /// tag (the longest such name), for a segment with no `=`. Only a tag the record does not
    /// have yet, and not when the segment is one word of the kind's names (`adkim` alone).
    fn glued_tag(&self, seg: &str) -> Option<usize> {
        if seg.contains([' ', '\t']) {
            return None;
        }
        let lower = seg.to_ascii_lowercase();
        self.kind
            .tags
            .iter()
            .filter(|&&known| {
                let Some(value) = seg.get(known.len()..) else {
                    return false;
                };
                lower.starts_with(known)
                    && !value.is_empty()
                    && self.list.get(known).is_none()
                    && if known == "v" {
                        value.eq_ignore_ascii_case(self.kind.version)
                    } else {
                        !self.kind.tags.contains(&lower.as_str()) && (self.kind.accepts)(known, value)
                    }
            })
            .map(|known| known.len())
            .max()
    }

    fn push_tag(&mut self, na: usize, nb: usize, va: usize, vb: usize) {
        let name = slice(self.text, na, nb).to_string();
        let key = if self.kind.case_sensitive {
            name.clone()
        } else {
            name.to_ascii_lowercase()
        };
        let value = slice(self.text, va, vb).to_string();
        self.sink_at.push(self.sink.diagnostics.len());
        self.list.tags.push(Tag {
            name,
            key,
            value,
            name_span: Span::new(na, nb),
            value_span: Span::new(va, vb),
            span: Span::new(na, vb.max(nb)),
            duplicate: false,
        });
    }

    /// Marks every repeat of a tag name as a duplicate, with a finding pointing back at the
    /// first one, placed among the other findings where the repeat was read.
    ///
    /// Done once over the whole list (one sort) rather than as each tag is read: looking the
    /// name up among the tags before it made a record of many different tags quadratic (80 000
    /// tags of garbage took 12 s).
    fn report_duplicates(&mut self) {
        let tags = &mut self.list.tags;
        // For each tag, the tag read first with its name (itself when it is the first).
        let first_of: Vec<usize> = if tags.len() <= SMALL_TAG_LIST {
            // A real record: comparing each tag with those before it is cheaper than sorting,
            // and most records have no repeat, so nothing is allocated for them.
            let earlier = |at: usize| {
                let key = tags.get(at).map(|t| t.key.as_str());
                tags.iter().take(at).position(|t| Some(t.key.as_str()) == key)
            };
            if !(1..tags.len()).any(|at| earlier(at).is_some()) {
                return;
            }
            (0..tags.len()).map(|at| earlier(at).unwrap_or(at)).collect()
        } else {
            let keys: Vec<&str> = tags.iter().map(|t| t.key.as_str()).collect();
            let mut first_of: Vec<usize> = (0..tags.len()).collect();
            let mut group = 0;
            for (n, &at) in crate::vec_map::sorted_positions(&keys).iter().enumerate() {
                // The sort keeps equal names in reading order, so a group's first is read first.
                if n == 0 || keys.get(group) != keys.get(at) {
                    group = at;
                } else if let Some(slot) = first_of.get_mut(at) {
                    *slot = group;
                }
            }
            if first_of.iter().enumerate().all(|(at, &first)| at == first) {
                return;
            }
            first_of
        };
        let old = std::mem::take(&mut self.sink.diagnostics);
        let mut merged = Vec::with_capacity(old.len() + tags.len());
        let mut old = old.into_iter();
        let mut taken = 0;
        for (at, (&first, &sink_at)) in first_of.iter().zip(&self.sink_at).enumerate() {
            let (Some(earlier), Some(tag)) = (tags.get(first).map(|t| t.span), tags.get_mut(at)) else {
                continue;
            };
            if first == at {
                continue;
            }
            merged.extend(old.by_ref().take(sink_at.saturating_sub(taken)));
            taken = sink_at;
            tag.duplicate = true;
            merged.push(
                Diagnostic::new(
                    self.kind.rules.duplicate_tag,
                    tag.span,
                    format!("tag `{}` appears more than once", tag.key),
                    format!(
                        "keep one `{}` tag; a record with a repeated tag may be rejected whole",
                        tag.key
                    ),
                )
                .with_related(earlier, RelatedLabel::FirstOne),
            );
        }
        merged.extend(old);
        self.sink.diagnostics = merged;
    }
}

/// `text` with the names of `tags` in lower case (ASCII, so every span stays in place).
fn with_lower_names(text: &str, tags: &[&Tag]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for tag in tags {
        if let Some(name) = bytes.get_mut(tag.name_span.start..tag.name_span.end) {
            name.make_ascii_lowercase();
        }
    }
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// `A`, `B` and `C` as a message lists names.
fn name_list(tags: &[&Tag]) -> String {
    let names: Vec<String> = tags.iter().map(|t| format!("`{}`", t.name)).collect();
    names.join(", ")
}

/// Tag names of known tags written with upper-case letters, as one diagnostic. Where tag names
/// are case-insensitive (DMARC) that is a note. Where they are case-sensitive a receiver does not
/// see `P` as `p`: an upper-case required tag is that tag missing (an error, under the rule that
/// reports it missing), an optional one a setting that is ignored.
fn report_case(text: &str, kind: &Kind, sink: &mut Sink, list: &mut TagList) {
    let rules = &kind.rules;
    let upper: Vec<&Tag> = list
        .unique()
        .filter(|t| t.name.bytes().any(|c| c.is_ascii_uppercase()))
        .filter(|t| kind.tags.contains(&t.name.to_ascii_lowercase().as_str()))
        .collect();
    let Some(first) = upper.first() else {
        return;
    };
    let lower_of = |t: &Tag| t.name.to_ascii_lowercase();
    let help_for = |tags: &[&Tag]| match tags {
        [only] => format!("write {}={}", lower_of(only), only.value),
        _ => format!("write the tag names in lower case: {}", with_lower_names(text, tags)),
    };
    if !kind.case_sensitive {
        let message = match upper.as_slice() {
            [only] => format!(
                "tag name `{}` is upper case; lower case is the usual spelling",
                only.name
            ),
            many => format!(
                "tag names {} are upper case; lower case is the usual spelling",
                name_list(many)
            ),
        };
        sink.push(Diagnostic::new(
            rules.uppercase_tag,
            first.name_span,
            message,
            help_for(&upper),
        ));
        return;
    }
    // A copy of a tag the record also has in lower case is only an extra, ignored tag.
    let mut extra = Vec::new();
    let mut missing = Vec::new();
    for tag in &upper {
        if list.get(&lower_of(tag)).is_some() {
            extra.push(*tag);
        } else {
            missing.push(*tag);
        }
    }
    for tag in &extra {
        sink.push(Diagnostic::new(
            rules.uppercase_tag,
            tag.name_span,
            format!(
                "`{}` is not `{}`, which the record already has; receivers ignore it",
                tag.name,
                lower_of(tag)
            ),
            "remove it",
        ));
    }
    let Some(first) = missing.first() else {
        return;
    };
    let is_required = |t: &Tag| {
        let key = lower_of(t);
        (key == "v" && kind.version_required) || kind.required(&key).is_some()
    };
    let mut explained = Vec::new();
    for tag in &missing {
        if is_required(tag) {
            explained.extend(kind.known(&lower_of(tag)));
        }
    }
    let diagnostic = match missing.iter().find(|t| is_required(t)) {
        Some(primary) => {
            let key = lower_of(primary);
            let rule = kind.required(&key).map_or(rules.version_missing, |r| r.rule);
            Diagnostic::new(
                rule,
                primary.name_span,
                format!(
                    "no `{key}` tag: `{}` is not `{key}`, as tag names are case-sensitive",
                    primary.name
                ),
                help_for(&missing),
            )
        }
        None => {
            let message = match missing.as_slice() {
                [only] => format!(
                    "tag name `{}` is upper case; receivers ignore it, as tag names are case-sensitive",
                    only.name
                ),
                many => format!(
                    "tag names {} are upper case; receivers ignore them, as tag names are case-sensitive",
                    name_list(many)
                ),
            };
            Diagnostic::new(rules.uppercase_tag, first.name_span, message, help_for(&missing))
        }
    };
    sink.push(diagnostic);
    list.explained.extend(explained);
}

/// The known tag a tag the kind does not define was probably meant as: a tag within two edits
/// of its name (or a known other name for one) that the record does not have yet and whose
/// grammar its value fits. `taken` are tags other diagnostics already point at.
fn meant_tag(tag: &Tag, kind: &Kind, present: &[&'static str], taken: &[&'static str]) -> Option<(&'static str, bool)> {
    let typed = tag.name.to_ascii_lowercase();
    let fits = |known: &'static str| {
        !present.contains(&known)
            && !taken.contains(&known)
            && if known == "v" {
                tag.value.eq_ignore_ascii_case(kind.version)
            } else {
                (kind.accepts)(known, &tag.value)
            }
    };
    if let Some((_, known)) = kind.aliases.iter().find(|(alias, _)| *alias == typed) {
        return fits(known).then_some((*known, true));
    }
    closest_name(&typed, kind.tags, &fits).map(|known| (known, false))
}

/// Tags the kind does not define: a likely misspelling of a known tag is reported with the fix
/// (as that tag missing when it is a required one), any other tag as unknown, which receivers
/// ignore.
fn report_unknown(kind: &Kind, sink: &mut Sink, list: &mut TagList) {
    let rules = &kind.rules;
    // Most records have no unknown tag: nothing to do, and nothing to allocate.
    let unknown = |tag: &&Tag| !kind.tags.iter().any(|known| known.eq_ignore_ascii_case(&tag.name));
    if !list.unique().any(|tag| unknown(&tag)) {
        return;
    }
    let mut taken: Vec<&'static str> = list.explained.clone();
    // The kind's tags the record has, in any case: found once, not for each unknown tag (a
    // record of many unknown tags was quadratic).
    let present: Vec<&'static str> = kind
        .tags
        .iter()
        .copied()
        .filter(|known| list.get(known).is_some() || list.miscased(known).is_some())
        .collect();
    for tag in list.unique().filter(unknown) {
        let Some((known, alias)) = meant_tag(tag, kind, &present, &taken) else {
            sink.push(Diagnostic::new(
                rules.unknown_tag,
                tag.name_span,
                format!("unknown tag `{}` ignored", tag.name),
                "remove it unless a receiver you care about documents it",
            ));
            continue;
        };
        taken.push(known);
        let value = if known == "v" { kind.version } else { tag.value.as_str() };
        let help = format!("write {known}={value}");
        let required = kind
            .required(known)
            .map(|r| r.rule)
            .or_else(|| (known == "v" && kind.version_required).then_some(rules.version_missing));
        let diagnostic = match (required, rules.misspelt_tag) {
            (Some(rule), _) => {
                let message = if alias {
                    format!(
                        "no `{known}` tag; `{}` is not a {} tag, `{known}` is",
                        tag.name, kind.label
                    )
                } else {
                    format!("no `{known}` tag; `{}` looks like a misspelling of it", tag.name)
                };
                Diagnostic::new(rule, tag.name_span, message, help)
            }
            (None, Some(rule)) => Diagnostic::new(
                rule,
                tag.name_span,
                format!("unknown tag `{}` ignored; did you mean `{known}`?", tag.name),
                help,
            ),
            (None, None) => Diagnostic::new(
                rules.unknown_tag,
                tag.name_span,
                format!("unknown tag `{}` ignored; did you mean `{known}`?", tag.name),
                help,
            ),
        };
        sink.push(diagnostic);
    }
    list.explained = taken;
}

fn check_version(list: &TagList, kind: &Kind, sink: &mut Sink) {
    let rules = &kind.rules;
    let Some(first) = list.tags.first() else {
        return;
    };
    let expected = kind.version;
    match list.get("v") {
        None => {
            if kind.version_required && !list.version_hinted && !list.explained.contains(&"v") {
                sink.push(Diagnostic::new(
                    rules.version_missing,
                    Span::point(first.span.start),
                    format!("record does not start with v={expected}"),
                    format!("put v={expected}; at the start of the record"),
                ));
            }
        }
        Some(v) => {
            if v.span != first.span {
                sink.push(
                    Diagnostic::new(
                        rules.version_not_first,
                        v.span,
                        format!("v={} is not the first tag", v.value),
                        format!("move v={expected} to the start of the record"),
                    )
                    .with_related(first.span, RelatedLabel::FirstTag),
                );
            }
            if v.value != expected {
                let message = if v.value.eq_ignore_ascii_case(expected) {
                    format!("version `{}` must be written exactly {expected}", v.value)
                } else if v.value.is_empty() {
                    "version is empty".to_string()
                } else {
                    format!("unknown version `{}`", v.value)
                };
                let span = if v.value_span.is_empty() { v.span } else { v.value_span };
                sink.push(Diagnostic::new(
                    rules.version_invalid,
                    span,
                    message,
                    format!("write v={expected}"),
                ));
            }
        }
    }
}

/// The sink's diagnostics, at most [`MAX_DIAGNOSTICS`] of them, with a closing note when some
/// were left out (10 KB of garbage must not give ten thousand messages).
pub fn finish(sink: Sink, too_many: &'static Rule, text_len: usize) -> Vec<Diagnostic> {
    let mut diagnostics = sink.into_vec();
    if diagnostics.len() > MAX_DIAGNOSTICS {
        let hidden = diagnostics.len() - MAX_DIAGNOSTICS;
        diagnostics.truncate(MAX_DIAGNOSTICS);
        diagnostics.push(Diagnostic::new(
            too_many,
            Span::new(0, text_len),
            format!("{hidden} more problems not shown"),
            "fix the problems shown first; is this the right text?",
        ));
    }
    diagnostics
}

/// What is wrong with one URI of a report URI list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriProblem {
    /// Nothing between two commas.
    Empty,
    /// No `scheme:` at all (`mailto//x`, a bare address).
    NoScheme,
    /// A scheme other than `mailto` or `https`.
    Scheme,
    /// `mailto:` with no usable address.
    BadAddress,
    /// `https:` with no host.
    BadHttps,
    /// A sound URI that follows the one before it after a space instead of a `,`.
    SpaceSeparated,
    /// A URI with characters outside ASCII (an internationalised domain not in A-label form).
    NonAscii,
}

/// One URI of a comma-separated report list (`rua=`, `ruf=`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReportUri {
    pub uri: String,
    /// Lower-case scheme, when there is one.
    pub scheme: Option<String>,
    /// The mailbox of a `mailto:` URI.
    pub address: Option<String>,
    /// The domain part of the mailbox, or the host of an `https:` URI.
    pub domain: Option<String>,
    /// The obsolete `!size` suffix (RFC 7489), e.g. `10m`.
    pub size_limit: Option<String>,
    pub span: Span,
    #[serde(skip)]
    pub problem: Option<UriProblem>,
    /// Span of the `!size` suffix.
    #[serde(skip)]
    pub size_span: Option<Span>,
    /// With [`UriProblem::SpaceSeparated`]: the whitespace in front of this URI.
    #[serde(skip)]
    pub gap: Option<Span>,
}

fn valid_domain(domain: &str) -> bool {
    domain.contains('.') && valid_host_name(domain)
}

/// A host name: at most 253 bytes, labels of 1 to 63 letters, digits, `-` or `_`, not starting
/// or ending with `-`; one trailing dot allowed.
pub(crate) fn valid_host_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Splits a URI list at commas (whitespace around them allowed) and checks each URI: `mailto:`
/// with a `local@domain` address, or `https:` with a host. `value_start` is the value's offset.
pub fn parse_uri_list(value: &str, value_start: usize) -> Vec<ReportUri> {
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut start = 0;
    let mut ends: Vec<usize> = value.match_indices(',').map(|(i, _)| i).collect();
    ends.push(value.len());
    // A list written with spaces between URIs (`mailto:a@x mailto:b@x`) is read as the URIs
    // it holds, each after the first marked with the space before it, so the fix can name
    // the missing commas. (start, end, the space before it).
    let mut pieces: Vec<(usize, usize, Option<Span>)> = Vec::new();
    for end in ends {
        let (a, b) = trim_range(bytes, start, end);
        start = end + 1;
        let mut piece_start = a;
        let mut gap_before = None;
        let mut at = a;
        while at < b {
            if !bytes.get(at).is_some_and(|c| is_ws(*c)) {
                at += 1;
                continue;
            }
            let gap_end = (at..b).find(|&i| !bytes.get(i).is_some_and(|c| is_ws(*c))).unwrap_or(b);
            let next = slice(value, gap_end, b);
            let next_is_uri = ["mailto:", "https:"]
                .iter()
                .any(|scheme| next.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)));
            if next_is_uri {
                pieces.push((piece_start, at, gap_before));
                gap_before = Some(Span::new(at, gap_end).shift(value_start));
                piece_start = gap_end;
            }
            at = gap_end;
        }
        pieces.push((piece_start, b, gap_before));
    }
    for (a, b, gap_before) in pieces {
        let uri = slice(value, a, b).to_string();
        let span = Span::new(a, b).shift(value_start);
        let mut item = ReportUri {
            uri: uri.clone(),
            scheme: None,
            address: None,
            domain: None,
            size_limit: None,
            span,
            problem: None,
            size_span: None,
            gap: gap_before,
        };
        if uri.is_empty() {
            item.problem = Some(UriProblem::Empty);
            item.span = Span::point(value_start + a);
            out.push(item);
            continue;
        }
        if !uri.is_ascii() {
            item.problem = Some(UriProblem::NonAscii);
            out.push(item);
            continue;
        }
        // The `!size` suffix of RFC 7489 (`mailto:a@b.example!10m`).
        let mut body = uri.as_str();
        if let Some(bang) = uri.rfind('!') {
            let size = slice(&uri, bang + 1, uri.len());
            let digits = size.trim_end_matches(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']);
            if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
                item.size_limit = Some(size.to_string());
                item.size_span = Some(Span::new(a + bang, b).shift(value_start));
                body = slice(&uri, 0, bang);
            }
        }
        let Some(colon) = body.find(':') else {
            item.problem = Some(UriProblem::NoScheme);
            out.push(item);
            continue;
        };
        let scheme = slice(body, 0, colon).to_ascii_lowercase();
        let rest = slice(body, colon + 1, body.len());
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        {
            item.problem = Some(UriProblem::NoScheme);
            out.push(item);
            continue;
        }
        item.scheme = Some(scheme.clone());
        match scheme.as_str() {
            "mailto" => {
                let address = rest.split('?').next().unwrap_or("");
                match address.rsplit_once('@') {
                    Some((local, domain))
                        if !local.is_empty()
                            && !local
                                .bytes()
                                .any(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'<' | b'>' | b'@' | b'"' | b':' | b',' | b';' | b'[' | b']' | b'(' | b')' | b'\\'))
                            // A dot-string (RFC 5321 §4.1.2): no dot at either end, no two in a row.
                            && !local.starts_with('.')
                            && !local.ends_with('.')
                            && !crate::text::contains(local, "..")
                            && valid_domain(domain) =>
                    {
                        item.address = Some(address.to_string());
                        item.domain = Some(domain.to_ascii_lowercase());
                    }
                    _ => item.problem = Some(UriProblem::BadAddress),
                }
            }
            "https" => {
                let host = rest
                    .strip_prefix("//")
                    .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""))
                    .map(|h| h.rsplit('@').next().unwrap_or(h))
                    .map(|h| h.split(':').next().unwrap_or(h));
                match host {
                    Some(h) if valid_domain(h) => item.domain = Some(h.to_ascii_lowercase()),
                    _ => item.problem = Some(UriProblem::BadHttps),
                }
            }
            _ => item.problem = Some(UriProblem::Scheme),
        }
        if item.problem.is_none() && item.gap.is_some() {
            item.problem = Some(UriProblem::SpaceSeparated);
        }
        out.push(item);
    }
    out
}

/// Whether a value looks like a list of report URIs (for typo suggestions): a `mailto:` or
/// `https:` URI, or at least an address.
pub fn looks_like_uri_list(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    crate::text::contains(&lower, "mailto:") || crate::text::contains(&lower, "https:") || lower.contains('@')
}

/// The report URI `uri` was probably meant as, when a simple correction makes it valid: angle
/// brackets or quotes around it removed, a missing or mangled `mailto:` put right (`mailto//a@x`,
/// a bare address), a doubled `@` made one. `None` when no such correction gives a valid URI.
pub fn corrected_uri(uri: &str) -> Option<String> {
    let inner = uri.trim_matches(['<', '>', '"', '\'', ' ']);
    let mut candidates = vec![inner.to_string()];
    if inner.contains('@') {
        let address = crate::text::trim_start_matches(inner, "mailto").trim_start_matches(['/', ':', ';']);
        // `a@@example.com`: one `@` of each run.
        let mut single = String::with_capacity(address.len());
        for c in address.chars() {
            if !(c == '@' && single.ends_with('@')) {
                single.push(c);
            }
        }
        candidates.push(format!("mailto:{address}"));
        candidates.push(format!("mailto:{single}"));
    }
    candidates.into_iter().find(|candidate| {
        candidate != uri && {
            let parsed = parse_uri_list(candidate, 0);
            parsed.len() == 1 && parsed.iter().all(|u| u.problem.is_none() && u.size_limit.is_none())
        }
    })
}

/// Where the first URI that follows another after a space starts (`usize::MAX` if none).
pub fn first_space_separated(uris: &[ReportUri]) -> usize {
    uris.iter()
        .find(|uri| uri.problem == Some(UriProblem::SpaceSeparated))
        .map_or(usize::MAX, |uri| uri.span.start)
}

/// The report URIs joined with `,`, as the list should have been written.
pub fn comma_separated(uris: &[ReportUri]) -> String {
    uris.iter().map(|uri| uri.uri.as_str()).collect::<Vec<_>>().join(",")
}

/// Generates the rules every tag-list kind shares (the lexer's rules and the version rules),
/// with documentation written from one set of templates filled with the kind's own example tags:
/// `tag` is a tag to show (name and value), `extra` the rest of a clean record, `upper` and
/// `misspelt` a problematic and a corrected record for the upper-case and misspelt-tag rules,
/// and `unknown` a `name=value` the kind does not define.
macro_rules! tag_rules {
    (
        category: $cat:expr, area: $area:expr, weight: $w:literal, label: $label:literal,
        version: $ver:literal, bad_version: $badver:literal,
        tag: ($n:literal, $val:literal), extra: $extra:literal,
        upper: ($upp:literal, $upc:literal), misspelt: ($misp:literal, $misc:literal),
        unknown: $unknown:literal, refs: $refs:literal;
        $( $id:ident = $code:literal, $name:literal, $tmpl:ident; )*
    ) => {
        $(
            pub const $id: $crate::catalogue::Rule = $crate::parse::tags::tag_rules!(@$tmpl
                [$code, $name, $cat, $area, $w, $label, $ver, $badver, $n, $val, $extra, $upp, $upc, $misp, $misc, $unknown, $refs]);
        )*
        /// The rules every tag-list kind shares, in code order; the kind's own rules are in `RULES`.
        pub static TAG_RULES: &[&$crate::catalogue::Rule] = &[$(&$id),*];
    };
    (@rule [$code:literal, $name:literal, $cat:expr, $area:expr, $sev:ident, $weight:expr,
            $checks:expr, $why:expr, $problematic:expr, $corrected:expr, $refs:expr]) => {
        $crate::catalogue::Rule {
            code: $code, name: $name, category: $cat, severity: $crate::diag::Severity::$sev,
            area: $area, weight: $weight, checks: $checks, why: $why, problematic: $problematic,
            corrected: $corrected, references: $refs,
        }.for_target()
    };
    (@empty_record [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("The ", $label, " record text is empty or only whitespace."),
            "An empty TXT string carries no tags, so a receiver finds no usable record at the name and acts as if none were published.",
            "\"\"",
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@empty_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Warning, 2,
            concat!("Two `;` with nothing between them, or a `;` at the start of the ", $label, " record. A single trailing `;` is allowed."),
            "The tag-list grammar has no empty tags. Lenient receivers skip them, strict ones reject the whole record, so the record works with some receivers and not others.",
            concat!($ver, ";; ", $n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@malformed_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 10,
            concat!("A part of the ", $label, " record between `;` that is not `name=value`: no `=`, no name, or a name that is not a letter followed by letters, digits and `_`. A `;` inside a list of report URIs (`mailto:a@example.com;mailto:b@example.com`, `mailto;a@example.com`) is reported here too, once, with the tag as it should be."),
            "A receiver cannot read a malformed tag. Strict receivers reject the whole record; lenient ones drop the tag, and the setting it was meant to carry is lost.",
            concat!($ver, "; ", $n, " ", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@wrong_separator [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 10,
            concat!("Tags of the ", $label, " record separated by `,`, `:` or only whitespace instead of `;`, or a `:` written between a tag name and its value. All of them are reported once, at the first, with the whole record corrected."),
            "Only `;` separates tags. Without it the next tag becomes part of the previous tag's value, so a receiver sees a wrong value and never sees the second tag.",
            concat!($ver, ", ", $n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@duplicate_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 20,
            concat!("A tag that appears more than once in the ", $label, " record. Both places are shown."),
            "RFC 6376 §3.2 makes a tag list with a repeated tag invalid as a whole. Receivers that do not reject it pick the first or the last value, so the outcome depends on the receiver.",
            concat!($ver, "; ", $n, "=", $val, $extra, "; ", $n, "=", $val),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@uppercase_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Warning, 5,
            concat!("A known tag of the ", $label, " record whose name is written with upper-case letters. Tag names are case-sensitive, so receivers do not see it as the tag meant. A required tag written so is reported as that tag missing, under the rule for the missing tag; several such names are reported together."),
            "A receiver that follows the standard does not recognise `K` as `k`: it ignores the tag as unknown, so the setting it carries is lost and the default applies.",
            $upp,
            $upc,
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@uppercase_tag_note [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Info, 0,
            concat!("A tag name of the ", $label, " record written with upper-case letters, noted once for the record. ", $label, " tag names are case-insensitive, so the tag is read as its lower-case name."),
            concat!("The ", $label, " grammar writes tag names as ABNF strings, which are case-insensitive, so `P=reject` means `p=reject` to a receiver that follows it. Lower case is what the specification's examples and most tools use, and a parser written by hand may compare names exactly."),
            $upp,
            $upc,
            concat!("RFC 5234 §2.3; ", $refs)])
    };
    (@non_ascii [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 10,
            concat!("A character in the ", $label, " record outside printable ASCII (other than tabs and line breaks), named with what it stands for. Only the first one is reported; non-breaking spaces, typographic quotes and invisible characters are then read as the spaces they stand for, so the tags around them are still checked. A letter outside ASCII in a domain name is reported as an internationalised domain that must be written as its A-label."),
            "Tag values are printable ASCII. A no-break space or typographic quote copied from a web page looks right but is a different byte, and the tag around it no longer parses.",
            concat!($ver, ";\u{a0}", $n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@too_many [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Info, 0,
            concat!("More than 50 problems in one ", $label, " record; the rest are summarised in this one note."),
            "So many problems usually mean the wrong text was pasted. Listing them all would hide the first ones, which are the ones to fix.",
            concat!($ver, "; a; b; c; d; e; f; g; h; i; j; k; l; m; n; o; p; q; r; s; t; u; v; w; x; y; z; aa; bb; cc; dd; ee; ff; gg; hh; ii; jj; kk; ll; mm; nn; oo; pp; qq; rr; ss; tt; uu; vv; ww; xx; yy"),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@unknown_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Info, 0,
            concat!("A tag the ", $label, " specification does not define that is not a likely misspelling of a known tag. (A tag within two edits of a known tag its value fits, which the record lacks, is reported as misspelt, or as the required tag missing when it is one.)"),
            "Receivers must ignore unknown tags, so an unknown tag does no harm by itself; it may be an extension some receiver documents, or a leftover.",
            concat!($ver, "; ", $n, "=", $val, $extra, "; ", $unknown),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@misspelt_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Warning, 3,
            concat!("A tag the ", $label, " specification does not define that is a likely misspelling of a known optional tag: within two edits of it (letters swapped, left out, doubled or mistyped), its value fits that tag's grammar, and the record does not have that tag. A misspelt required tag is reported as that tag missing instead."),
            "Receivers ignore the misspelt tag as unknown, so the setting it was meant to carry is missing and the tag's default applies.",
            $misp,
            $misc,
            $refs])
    };
    (@zone_quotes [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 20,
            concat!("A ", $label, " record that starts with `\"` or holds `\" \"` joins: zone-file quoting pasted into the record value."),
            "In a zone file the quotes delimit character-strings and are not part of the data. Typed into a DNS provider's web form they become part of the record, so the first tag is no longer `v` and receivers ignore the record.",
            concat!("\"", $ver, "; \" \"", $n, "=", $val, $extra, "\""),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 1035 §5.1; RFC 7208 §3.3; ", $refs)])
    };
    (@version_missing [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("A ", $label, " record with no `v` tag: text with no tag at all, or a record whose `v` tag receivers do not see (misspelt, or in upper case where tag names are case-sensitive)."),
            concat!("Receivers recognise a ", $label, " record by its leading `", $ver, "`. Without it the text is not a ", $label, " record and is ignored."),
            concat!($n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@version_not_first [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("A `v` tag that is not the first tag of the ", $label, " record."),
            concat!("The version tag must come first; receivers select records by the prefix `", $ver, "` and discard a record where it appears later."),
            concat!($n, "=", $val, $extra, "; ", $ver),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@version_invalid [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("A `v` tag of the ", $label, " record whose value is not exactly `", $ver, "` (another version, other letter case, or extra characters)."),
            "The version value is compared exactly; a record with any other value is not recognised and is ignored as a whole.",
            concat!($badver, "; ", $n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@other_kind [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $extra:literal, $upp:literal, $upc:literal, $misp:literal, $misc:literal, $unknown:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("A record of another kind where a ", $label, " record was expected: recognised by its `v=` (SPF, DMARC, DKIM, BIMI, MTA-STS, TLS-RPT), or, in a record without `v`, by tags only another kind has (a DKIM key's `k=rsa` or long base64 `p=`, a DMARC policy's `p=reject` or `adkim=`). Only this one diagnostic is given."),
            concat!("Each record kind lives at its own DNS name. A record of another kind here is ignored by ", $label, " receivers, so the name has no ", $label, " record at all."),
            "v=spf1 include:_spf.example.com -all",
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
}
pub(crate) use tag_rules;

/// The [`LexRules`] of a kind whose module defines the shared lexer rules under the names
/// `tag_rules!` gives them. DKIM key records, where `v` is optional, point `version_missing`
/// elsewhere: `lex_rules!(version_missing: VERSION_INVALID)`; kinds whose tags are all required
/// have no misspelt-tag rule: `lex_rules!(misspelt: None)`.
macro_rules! lex_rules {
    () => {
        $crate::parse::tags::lex_rules!(version_missing: VERSION_MISSING, misspelt: Some(&MISSPELT_TAG))
    };
    (version_missing: $missing:ident) => {
        $crate::parse::tags::lex_rules!(version_missing: $missing, misspelt: Some(&MISSPELT_TAG))
    };
    (misspelt: None) => {
        $crate::parse::tags::lex_rules!(version_missing: VERSION_MISSING, misspelt: None)
    };
    (version_missing: $missing:ident, misspelt: $misspelt:expr) => {
        $crate::parse::tags::LexRules {
            empty_record: &EMPTY_RECORD,
            empty_tag: &EMPTY_TAG,
            malformed_tag: &MALFORMED_TAG,
            wrong_separator: &WRONG_SEPARATOR,
            duplicate_tag: &DUPLICATE_TAG,
            uppercase_tag: &UPPERCASE_TAG,
            non_ascii: &NON_ASCII,
            too_many: &TOO_MANY_PROBLEMS,
            unknown_tag: &UNKNOWN_TAG,
            misspelt_tag: $misspelt,
            zone_quotes: &ZONE_QUOTES,
            version_missing: &$missing,
            version_not_first: &VERSION_NOT_FIRST,
            version_invalid: &VERSION_INVALID,
            other_kind: &OTHER_KIND,
        }
    };
}
pub(crate) use lex_rules;
