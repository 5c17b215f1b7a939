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
//! fails: it recovers from a missing `=`, a `,` or a missing `;` between tags, and quotes pasted
//! from a zone file, so one slip gives one diagnostic and the rest of the record is still read.

use crate::catalogue::Rule;
use crate::diag::{Diagnostic, RelatedLabel, Severity, Sink, Span};

/// At most this many diagnostics are returned for one record; the rest are summarised.
pub const MAX_DIAGNOSTICS: usize = 50;

/// One `name=value` pair as written, with its places in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The name as written.
    pub name: String,
    /// The name in lower case, used for look-ups (an upper-case name has been reported).
    pub key: String,
    /// The value with surrounding whitespace removed.
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
    /// The first part of the record could not be read as a tag (already reported, so a missing
    /// `v` is not reported again).
    pub first_malformed: bool,
}

impl TagList {
    /// The first occurrence of the tag with this (lower-case) name.
    pub fn get(&self, key: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| !t.duplicate && t.key == key)
    }

    /// The tags that count: first occurrences only.
    pub fn unique(&self) -> impl Iterator<Item = &Tag> {
        self.tags.iter().filter(|t| !t.duplicate)
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
    pub zone_quotes: &'static Rule,
    pub version_missing: &'static Rule,
    pub version_not_first: &'static Rule,
    pub version_invalid: &'static Rule,
    pub other_kind: &'static Rule,
}

/// What the lexer needs to know about a record kind.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// Upper-case label used in messages, e.g. `DMARC`.
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
    pub rules: LexRules,
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

fn valid_tag_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Levenshtein distance over bytes, for typo suggestions of short ASCII tag names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX - 1) + 1;
            let sub = prev.get(j).copied().unwrap_or(usize::MAX - 1) + cost;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = del.min(ins).min(sub);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The known tag closest to `name` (edit distance at most 2, and less than the longer name,
/// so that `x1` is not taken for `p`).
pub fn suggest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&name, k), *k))
        .filter(|(d, k)| *d > 0 && *d <= 2 && *d < name.len().max(k.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
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

/// Reads the tag list of `text`, reporting syntax problems into `sink` under `kind`'s rules.
///
/// The version tag is checked too ([`Kind::version`]): present (when required), first, and exact.
pub fn lex(text: &str, kind: &Kind, sink: &mut Sink) -> TagList {
    let rules = &kind.rules;
    let mut list = TagList::default();
    if text.trim().is_empty() {
        sink.push(Diagnostic::new(
            rules.empty_record,
            Span::new(0, text.len()),
            format!("empty {} record", kind.label.to_ascii_lowercase()),
            format!("publish a record that starts with v={}", kind.version),
        ));
        list.empty = true;
        return list;
    }
    if other_kind(text, kind, sink) {
        list.other_kind = true;
        return list;
    }

    // One diagnostic for the first character outside printable ASCII; tabs and line breaks are
    // folding whitespace and allowed.
    if let Some((at, c)) = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii() || (c.is_ascii_control() && !matches!(c, '\t' | '\r' | '\n')))
    {
        sink.push(Diagnostic::new(
            rules.non_ascii,
            Span::new(at, at + c.len_utf8()),
            format!("character U+{:04X} is not printable ascii", u32::from(c)),
            "retype the record by hand; copying from a web page or word processor brings in invisible or typographic characters",
        ));
    }

    // Quotes pasted from a zone file: reported once, then read as if they were spaces. A `"` and a
    // space are both one byte, so every span still points into the original text.
    let mut working = text.to_string();
    let trimmed = text.trim_start();
    if trimmed.starts_with('"') || crate::text::contains(text, "\" \"") || crate::text::contains(text, "\"\t\"") {
        let at = text.find('"').unwrap_or(0);
        sink.push(Diagnostic::new(
            rules.zone_quotes,
            Span::new(at, at + 1),
            "record contains quotes from zone-file syntax",
            format!(
                "the quotes are not part of the record; publish the joined text: {}",
                unquote_joined(text)
            ),
        ));
        working = working.replace('"', " ");
    }

    let bytes = working.as_bytes();
    let mut seg_start = 0;
    let mut semis: Vec<usize> = working.match_indices(';').map(|(i, _)| i).collect();
    semis.push(working.len());
    let count = semis.len();
    for (index, seg_end) in semis.into_iter().enumerate() {
        let (a, b) = trim_range(bytes, seg_start, seg_end);
        if a == b {
            // Nothing between two separators. Only the end of the record may be empty (a
            // trailing `;` is allowed).
            if index + 1 < count {
                sink.push(Diagnostic::new(
                    rules.empty_tag,
                    Span::new(seg_end, seg_end + 1),
                    "empty tag between separators",
                    "remove the extra `;`",
                ));
            }
        } else {
            let before = list.tags.len();
            lex_segment(&working, a, b, kind, sink, &mut list);
            if before == 0 && list.tags.is_empty() {
                list.first_malformed = true;
            }
        }
        seg_start = seg_end + 1;
    }
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
                    kind.label.to_ascii_lowercase()
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

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('S' | 'M' | 'a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
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

fn lex_segment(text: &str, a: usize, b: usize, kind: &Kind, sink: &mut Sink, list: &mut TagList) {
    let rules = &kind.rules;
    let bytes = text.as_bytes();
    let mut a = a;
    loop {
        let seg = slice(text, a, b);
        let Some(eq_rel) = seg.find('=') else {
            // No `=`: maybe `name:value`, a common slip (`fo:1`, `rf:afrf`).
            if let Some(colon_rel) = seg.find(':') {
                let (na, nb) = trim_range(bytes, a, a + colon_rel);
                let name = slice(text, na, nb);
                if kind.tags.contains(&name.to_ascii_lowercase().as_str()) {
                    let (va, vb) = trim_range(bytes, a + colon_rel + 1, b);
                    let value = slice(text, va, vb);
                    sink.push(Diagnostic::new(
                        rules.wrong_separator,
                        Span::new(a + colon_rel, a + colon_rel + 1),
                        "`:` used instead of `=` between tag name and value",
                        format!("write {name}={value}"),
                    ));
                    push_tag(text, na, nb, va, vb, kind, sink, list);
                    return;
                }
            }
            let first_word = seg.split(|c: char| c.is_ascii_whitespace()).next().unwrap_or("");
            let help = if kind.tags.contains(&first_word.to_ascii_lowercase().as_str()) {
                let rest = seg.get(first_word.len()..).unwrap_or("").trim();
                if rest.is_empty() {
                    format!("write {first_word}=<value>, or remove it")
                } else {
                    format!("write {first_word}={rest}")
                }
            } else {
                "write the tag as name=value, or remove it".to_string()
            };
            sink.push(Diagnostic::new(
                rules.malformed_tag,
                Span::new(a, b),
                format!("tag `{}` has no `=`", seg),
                help,
            ));
            return;
        };
        let eq = a + eq_rel;
        let (na, nb) = trim_range(bytes, a, eq);
        let (va, vb) = trim_range(bytes, eq + 1, b);
        // An invisible character in front of a name (a byte-order mark pasted with the record)
        // was reported above as not ASCII; the name behind it is still read, not flagged again.
        let written = slice(text, na, nb);
        let name = written.trim_start_matches(crate::text::is_invisible);
        let na = na + (written.len() - name.len());
        if name.is_empty() {
            let value = slice(text, va, vb);
            let help = if value.eq_ignore_ascii_case(kind.version) {
                format!("write v={}", kind.version)
            } else {
                "write the tag as name=value, or remove it".to_string()
            };
            sink.push(Diagnostic::new(
                rules.malformed_tag,
                Span::new(a, b),
                "tag has no name before `=`",
                help,
            ));
            return;
        }
        if !valid_tag_name(name) {
            sink.push(Diagnostic::new(
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
            let (ta, tb) = trim_range(bytes, va, sep_a);
            sink.push(Diagnostic::new(
                rules.wrong_separator,
                Span::new(sep_a, sep_b),
                message,
                format!(
                    "separate the tags with `;`: {}={}; {}",
                    name,
                    slice(text, ta, tb),
                    slice(text, next, b)
                ),
            ));
            push_tag(text, na, nb, ta, tb, kind, sink, list);
            a = next;
            continue;
        }
        push_tag(text, na, nb, va, vb, kind, sink, list);
        return;
    }
}

#[allow(clippy::too_many_arguments)]
fn push_tag(text: &str, na: usize, nb: usize, va: usize, vb: usize, kind: &Kind, sink: &mut Sink, list: &mut TagList) {
    let name = slice(text, na, nb).to_string();
    let key = name.to_ascii_lowercase();
    let value = slice(text, va, vb).to_string();
    let value_span = Span::new(va, vb);
    let span = Span::new(na, vb.max(nb));
    if name.bytes().any(|c| c.is_ascii_uppercase()) {
        if kind.case_sensitive {
            sink.push(Diagnostic::new(
                kind.rules.uppercase_tag,
                Span::new(na, nb),
                format!("tag name `{name}` is upper case; tag names are case-sensitive"),
                format!("write {key}={value}"),
            ));
        } else {
            sink.push(
                Diagnostic::new(
                    kind.rules.uppercase_tag,
                    Span::new(na, nb),
                    format!("tag name `{name}` is upper case; lower case is the usual spelling"),
                    format!("write {key}={value}"),
                )
                .with_severity(Severity::Info),
            );
        }
    }
    let duplicate = match list.get(&key) {
        Some(first) => {
            sink.push(
                Diagnostic::new(
                    kind.rules.duplicate_tag,
                    span,
                    format!("tag `{key}` appears more than once"),
                    format!("keep one `{key}` tag; a record with a repeated tag may be rejected whole"),
                )
                .with_related(first.span, RelatedLabel::FirstOne),
            );
            true
        }
        None => false,
    };
    list.tags.push(Tag {
        name,
        key,
        value,
        name_span: Span::new(na, nb),
        value_span,
        span,
        duplicate,
    });
}

fn check_version(list: &TagList, kind: &Kind, sink: &mut Sink) {
    let rules = &kind.rules;
    let Some(first) = list.tags.first() else {
        return;
    };
    let expected = kind.version;
    match list.get("v") {
        None => {
            if kind.version_required && !list.first_malformed {
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

/// Reports a tag the kind does not define: info, or a warning with a suggestion when it looks
/// like a typo of a known tag (the intended setting is then missing).
pub fn report_unknown(tag: &Tag, kind: &Kind, sink: &mut Sink) {
    match suggest(&tag.key, kind.tags) {
        Some(known) => sink.push(
            Diagnostic::new(
                kind.rules.unknown_tag,
                tag.name_span,
                format!("unknown tag `{}` ignored; did you mean `{known}`?", tag.name),
                format!("write {known}={}", tag.value),
            )
            .with_severity(Severity::Warning),
        ),
        None => sink.push(Diagnostic::new(
            kind.rules.unknown_tag,
            tag.name_span,
            format!("unknown tag `{}` ignored", tag.name),
            "remove it unless a receiver you care about documents it",
        )),
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
                                .any(|c| c.is_ascii_whitespace() || c == b'/' || c == b'<' || c == b'>')
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
/// with documentation written from one set of templates filled with the kind's own example tags.
macro_rules! tag_rules {
    (
        category: $cat:expr, area: $area:expr, weight: $w:literal, label: $label:literal,
        version: $ver:literal, bad_version: $badver:literal,
        tag: ($n:literal, $val:literal, $upper:literal), extra: $extra:literal,
        typo: $typo:literal, refs: $refs:literal;
        $( $id:ident = $code:literal, $name:literal, $tmpl:ident; )*
    ) => {
        $(
            pub const $id: $crate::catalogue::Rule = $crate::parse::tags::tag_rules!(@$tmpl
                [$code, $name, $cat, $area, $w, $label, $ver, $badver, $n, $val, $upper, $extra, $typo, $refs]);
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
    (@empty_record [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("The ", $label, " record text is empty or only whitespace."),
            "An empty TXT string carries no tags, so a receiver finds no usable record at the name and acts as if none were published.",
            "\"\"",
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@empty_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Warning, 2,
            concat!("Two `;` with nothing between them, or a `;` at the start of the ", $label, " record. A single trailing `;` is allowed."),
            "The tag-list grammar has no empty tags. Lenient receivers skip them, strict ones reject the whole record, so the record works with some receivers and not others.",
            concat!($ver, ";; ", $n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@malformed_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 10,
            concat!("A part of the ", $label, " record between `;` that is not `name=value`: no `=`, no name, or a name that is not a letter followed by letters, digits and `_`."),
            "A receiver cannot read a malformed tag. Strict receivers reject the whole record; lenient ones drop the tag, and the setting it was meant to carry is lost.",
            concat!($ver, "; ", $n, " ", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@wrong_separator [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 10,
            concat!("Tags of the ", $label, " record separated by `,`, `:` or only whitespace instead of `;`, or a `:` written between a tag name and its value."),
            "Only `;` separates tags. Without it the next tag becomes part of the previous tag's value, so a receiver sees a wrong value and never sees the second tag.",
            concat!($ver, ", ", $n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@duplicate_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 20,
            concat!("A tag that appears more than once in the ", $label, " record. Both places are shown."),
            "RFC 6376 §3.2 makes a tag list with a repeated tag invalid as a whole. Receivers that do not reject it pick the first or the last value, so the outcome depends on the receiver.",
            concat!($ver, "; ", $n, "=", $val, $extra, "; ", $n, "=", $val),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@uppercase_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Warning, 5,
            concat!("A tag name of the ", $label, " record written with upper-case letters."),
            "Tag names are case-sensitive. A receiver that follows the standard does not recognise `P` as `p`, so the setting is ignored; this checker reads it as the lower-case tag to show what was meant.",
            concat!($ver, "; ", $upper, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@non_ascii [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 10,
            concat!("A character in the ", $label, " record outside printable ASCII (other than tabs and line breaks). Only the first one is reported."),
            "Tag values are printable ASCII. A no-break space or typographic quote copied from a web page looks right but is a different byte, and the tag around it no longer parses.",
            concat!($ver, ";\u{a0}", $n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 6376 §3.2; ", $refs)])
    };
    (@too_many [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Info, 0,
            concat!("More than 50 problems in one ", $label, " record; the rest are summarised in this one note."),
            "So many problems usually mean the wrong text was pasted. Listing them all would hide the first ones, which are the ones to fix.",
            concat!($ver, "; a; b; c; d; e; f; g; h; i; j; k; l; m; n; o; p; q; r; s; t; u; v; w; x; y; z; aa; bb; cc; dd; ee; ff; gg; hh; ii; jj; kk; ll; mm; nn; oo; pp; qq; rr; ss; tt; uu; vv; ww; xx; yy"),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@unknown_tag [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Info, 0,
            concat!("A tag the ", $label, " specification does not define. When it is within two edits of a known tag it is reported as a likely typo, with a warning."),
            "Receivers must ignore unknown tags, so an unknown tag does no harm by itself; but a misspelt tag means the setting it was meant to carry is missing.",
            concat!($ver, "; ", $typo, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@zone_quotes [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, 20,
            concat!("A ", $label, " record that starts with `\"` or holds `\" \"` joins: zone-file quoting pasted into the record value."),
            "In a zone file the quotes delimit character-strings and are not part of the data. Typed into a DNS provider's web form they become part of the record, so the first tag is no longer `v` and receivers ignore the record.",
            concat!("\"", $ver, "; \" \"", $n, "=", $val, $extra, "\""),
            concat!($ver, "; ", $n, "=", $val, $extra),
            concat!("RFC 1035 §5.1; RFC 7208 §3.3; ", $refs)])
    };
    (@version_missing [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("A ", $label, " record with no `v` tag."),
            concat!("Receivers recognise a ", $label, " record by its leading `", $ver, "`. Without it the text is not a ", $label, " record and is ignored."),
            concat!($n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@version_not_first [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("A `v` tag that is not the first tag of the ", $label, " record."),
            concat!("The version tag must come first; receivers select records by the prefix `", $ver, "` and discard a record where it appears later."),
            concat!($n, "=", $val, $extra, "; ", $ver),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@version_invalid [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("A `v` tag of the ", $label, " record whose value is not exactly `", $ver, "` (another version, other letter case, or extra characters)."),
            "The version value is compared exactly; a record with any other value is not recognised and is ignored as a whole.",
            concat!($badver, "; ", $n, "=", $val, $extra),
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
    (@other_kind [$code:literal, $name:literal, $cat:expr, $area:expr, $w:literal, $label:literal, $ver:literal, $badver:literal, $n:literal, $val:literal, $upper:literal, $extra:literal, $typo:literal, $refs:literal]) => {
        $crate::parse::tags::tag_rules!(@rule [$code, $name, $cat, $area, Error, $w,
            concat!("A record of another kind (SPF, DMARC, DKIM, BIMI, MTA-STS, TLS-RPT, recognised by its `v=`) where a ", $label, " record was expected."),
            concat!("Each record kind lives at its own DNS name. A record of another kind here is ignored by ", $label, " receivers, so the name has no ", $label, " record at all."),
            "v=spf1 include:_spf.example.com -all",
            concat!($ver, "; ", $n, "=", $val, $extra),
            $refs])
    };
}
pub(crate) use tag_rules;

/// The [`LexRules`] of a kind whose module defines the shared lexer rules under the names
/// `tag_rules!` gives them. DKIM key records, where `v` is optional, point `version_missing`
/// elsewhere: `lex_rules!(version_missing: VERSION_INVALID)`.
macro_rules! lex_rules {
    () => {
        $crate::parse::tags::lex_rules!(version_missing: VERSION_MISSING)
    };
    (version_missing: $missing:ident) => {
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
            zone_quotes: &ZONE_QUOTES,
            version_missing: &$missing,
            version_not_first: &VERSION_NOT_FIRST,
            version_invalid: &VERSION_INVALID,
            other_kind: &OTHER_KIND,
        }
    };
}
pub(crate) use lex_rules;
