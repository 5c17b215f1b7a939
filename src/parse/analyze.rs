//! Offline parsing of whatever a person pastes: one record of any kind, several records one per
//! line, or zone-file text. Used by `sendercheck parse` and by the page's paste mode.

use serde::Serialize;

use super::{bimi, dkim, dmarc, mta_sts, spf, tlsrpt, zone};
use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, Severity, Span};
use crate::dns::RData;

/// A pasted line that is no record kind sendercheck reads.
pub const PASTE_NOT_A_RECORD: Rule = Rule {
    code: "ZONE020",
    name: "PasteNotARecord",
    category: Category::Zone,
    severity: Severity::Info,
    area: Area::None,
    weight: 0,
    checks: "A line of pasted text that is neither a record sendercheck reads (SPF, DMARC, DKIM, BIMI, MTA-STS, TLS-RPT) nor a zone-file line.",
    why: "The line is left out of the diagnosis and said so, rather than read as something it is not. Other TXT records, such as site verifications, are normal at a domain and do not affect mail; a record whose version tag is mistyped beyond recognition also lands here.",
    problematic: "v=spf1 mx -all\ngoogle-site-verification=4ebR3X\nv=DMARC1; p=reject",
    corrected: "v=spf1 mx -all\nv=DMARC1; p=reject",
    references: "RFC 7208 §4.5; RFC 9989 §4.7; RFC 1035 §5.1",
}
.for_target();

/// Pasted text with more problems of its own than are worth listing.
pub const PASTE_TOO_MANY_PROBLEMS: Rule = Rule {
    code: "ZONE021",
    name: "PasteTooManyProblems",
    category: Category::Zone,
    severity: Severity::Info,
    area: Area::None,
    weight: 0,
    checks: "Pasted text has at most 200 problems of its own (zone lines that cannot be read, lines that are no record); more are counted, not listed. Each record's own findings are capped separately.",
    why: "Thousands of findings from one pasted file are unreadable and slow to show; the first ones usually share a cause (the wrong file, or text that is not a zone), and fixing it fixes the rest.",
    problematic: "(300 000 lines of `(`, or a file that is not zone text)",
    corrected: "$ORIGIN example.com.\n@ 3600 IN TXT \"v=spf1 mx -all\"",
    references: "RFC 1035 §5.1",
}
.for_target();

/// At most this many diagnostics of the pasted text itself are listed (records have their own
/// cap): 300 000 broken lines printed 47 MB and would freeze the page.
pub const MAX_PASTE_DIAGNOSTICS: usize = 200;

/// This module's rules.
pub static RULES: &[&Rule] = &[&PASTE_NOT_A_RECORD, &PASTE_TOO_MANY_PROBLEMS];

/// The record kinds sendercheck parses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum RecordKind {
    #[serde(rename = "spf")]
    Spf,
    #[serde(rename = "dmarc")]
    Dmarc,
    #[serde(rename = "dkim")]
    Dkim,
    #[serde(rename = "bimi")]
    Bimi,
    #[serde(rename = "mta-sts")]
    MtaSts,
    #[serde(rename = "mta-sts-policy")]
    MtaStsPolicy,
    #[serde(rename = "tlsrpt")]
    TlsRpt,
    #[serde(rename = "zone")]
    Zone,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Spf,
        RecordKind::Dmarc,
        RecordKind::Dkim,
        RecordKind::Bimi,
        RecordKind::MtaSts,
        RecordKind::MtaStsPolicy,
        RecordKind::TlsRpt,
        RecordKind::Zone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Spf => "spf",
            RecordKind::Dmarc => "dmarc",
            RecordKind::Dkim => "dkim",
            RecordKind::Bimi => "bimi",
            RecordKind::MtaSts => "mta-sts",
            RecordKind::MtaStsPolicy => "mta-sts-policy",
            RecordKind::TlsRpt => "tlsrpt",
            RecordKind::Zone => "zone",
        }
    }

    pub fn from_name(name: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// The typed value of any parsed record.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RecordValue {
    Spf(spf::SpfRecord),
    Dmarc(dmarc::Dmarc),
    Dkim(dkim::DkimKey),
    Bimi(bimi::Bimi),
    MtaSts(mta_sts::StsRecord),
    MtaStsPolicy(mta_sts::StsPolicy),
    TlsRpt(tlsrpt::TlsRpt),
}

/// One record found in the pasted text, with its diagnostics.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParsedRecord {
    pub kind: RecordKind,
    /// The DNS name it was published at, when the text said (zone-file input).
    pub name: Option<String>,
    /// The 1-based line of the pasted text where it starts.
    pub line: Option<usize>,
    /// The record text the spans point into.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    pub value: RecordValue,
}

/// Everything found in a paste.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParseResult {
    pub kind: RecordKind,
    pub records: Vec<ParsedRecord>,
    /// Diagnostics about the text as a whole (zone-file lines, "line N: ...").
    pub diagnostics: Vec<Diagnostic>,
}

impl ParseResult {
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .chain(self.records.iter().flat_map(|r| r.diagnostics.iter()))
    }
}

/// The character-strings of TXT data pasted as dig and zone files show it (`"v=spf1 ..."
/// "~all"`, with `\"` and `\DDD` escapes), or `None` when the text is not only quoted strings.
fn quoted_strings(text: &str) -> Option<Vec<Vec<u8>>> {
    let bytes = text.trim().as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut strings = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes.get(at) {
            Some(b' ' | b'\t') => at += 1,
            Some(b'"') => {
                let mut string = Vec::new();
                at += 1;
                loop {
                    match bytes.get(at) {
                        None => return None,
                        Some(b'"') => break,
                        Some(b'\\') => at = zone::decode_escape(bytes, at, &mut string),
                        Some(&b) => {
                            string.push(b);
                            at += 1;
                        }
                    }
                }
                strings.push(string);
                at += 1;
            }
            _ => return None,
        }
    }
    Some(strings)
}

/// Parses one pasted record of `kind`. Quoted character-strings are joined the way DNS joins
/// them, with no separator (an SPF record gets its per-string checks too), and the spans point
/// into the joined text, which is returned with the result.
fn parse_pasted(kind: RecordKind, text: &str) -> Option<(String, Vec<Diagnostic>, RecordValue)> {
    if kind == RecordKind::MtaStsPolicy {
        return parse_one(kind, text).map(|(diagnostics, value)| (text.to_string(), diagnostics, value));
    }
    let Some(strings) = quoted_strings(text) else {
        let record = unquote(text);
        return parse_one(kind, record).map(|(diagnostics, value)| (record.to_string(), diagnostics, value));
    };
    let joined = String::from_utf8_lossy(&strings.concat()).into_owned();
    if kind == RecordKind::Spf {
        let parts: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
        let parsed = spf::parse_txt(&parts);
        return Some((joined, parsed.diagnostics, RecordValue::Spf(parsed.value)));
    }
    parse_one(kind, &joined).map(|(diagnostics, value)| (joined, diagnostics, value))
}

/// Strips one pair of surrounding double quotes, as when a record is copied with its quotes.
fn unquote(text: &str) -> &str {
    let trimmed = text.trim();
    if trimmed.len() >= 2
        && trimmed.starts_with('"')
        && trimmed.ends_with('"')
        && !trimmed[1..trimmed.len() - 1].contains('"')
    {
        &trimmed[1..trimmed.len() - 1]
    } else {
        text
    }
}

/// Guesses the kind of a single record from its first tag; text that is no record kind
/// sendercheck reads counts as zone text.
pub fn detect(text: &str) -> RecordKind {
    classify(text).unwrap_or(RecordKind::Zone)
}

/// The kind of one pasted record or line, or `None` when it is neither a record sendercheck
/// reads nor a zone-file line (`google-site-verification=...`, a sentence).
fn classify(text: &str) -> Option<RecordKind> {
    let joined;
    let text = match quoted_strings(text) {
        Some(strings) => {
            joined = String::from_utf8_lossy(&strings.concat()).into_owned();
            joined.as_str()
        }
        None => text,
    };
    let body = record_body(text);
    let head = head_of(body);
    // The version as one word (`v=sfp1 -all`) or, where spaces may sit around `=`, the head
    // without them (`v = DMRAC1;`).
    let first_word = body
        .split_ascii_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if let Some(kind) = kind_by_version(&head)
        .or_else(|| kind_by_misspelt_version(&first_word))
        .or_else(|| kind_by_misspelt_version(&head))
    {
        return Some(kind);
    }
    let lower = body.to_ascii_lowercase();
    // SPF terms without `v=spf1` in front (`include:_spf.example.com ~all`); before the zone
    // test, which would take `a` or `mx` for a record type.
    if looks_like_spf_terms(&lower) {
        return Some(RecordKind::Spf);
    }
    if looks_like_zone(body) {
        return Some(RecordKind::Zone);
    }
    // The version tag out of place (`p=reject; v=DMARC1`): the kind is still plain.
    let version_later = lower
        .split(';')
        .skip(1)
        .find_map(|tag| kind_by_version(&tag.trim().replace(' ', "")));
    if let Some(kind) = version_later {
        return Some(kind);
    }
    // `p=reject` alone is a DMARC record without its version; a DKIM key is not a policy word.
    let first_value = head.split(';').next().unwrap_or_default();
    if ["p=none", "p=quarantine", "p=reject"].contains(&first_value) {
        return Some(RecordKind::Dmarc);
    }
    if head.starts_with("k=")
        || head.starts_with("p=")
        || head.starts_with("h=")
        || (head.starts_with("t=") && crate::text::contains(text, "p="))
    {
        return Some(RecordKind::Dkim);
    }
    None
}

/// The record without what may be pasted in front of it: whitespace, invisible characters
/// (a byte-order mark, a zero-width space) and quotes, ASCII or typographic. The record's own
/// parser reports them; they do not hide its kind.
fn record_body(text: &str) -> &str {
    unquote(text).trim_start_matches(|c: char| {
        c.is_ascii_whitespace() || crate::text::is_invisible(c) || matches!(c, '"' | '\u{201c}' | '\u{201d}')
    })
}

/// The first characters of a record, lower case and without spaces, for telling its kind.
fn head_of(body: &str) -> String {
    body.chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase()
        .replace(' ', "")
}

/// The kind a record's version tag names, from the record's [`head_of`].
fn kind_by_version(head: &str) -> Option<RecordKind> {
    Some(if head.starts_with("v=spf") {
        RecordKind::Spf
    } else if head.starts_with("v=dmarc") || head.starts_with("=dmarc") {
        RecordKind::Dmarc
    } else if head.starts_with("v=dkim") {
        RecordKind::Dkim
    } else if head.starts_with("v=bimi") {
        RecordKind::Bimi
    } else if head.starts_with("v=stsv") {
        RecordKind::MtaSts
    } else if head.starts_with("v=tlsrpt") {
        RecordKind::TlsRpt
    } else if head.starts_with("version:") || head.starts_with("mode:") {
        RecordKind::MtaStsPolicy
    } else {
        return None;
    })
}

/// The kind whose version a mistyped version tag was meant as (`v=sfp1`, `v:spf1`, `vv=spf1`,
/// `vspf1`, `v=DMRAC1`, `v=STS`): within two edits of exactly one kind's version. The kind's
/// parser then says what is wrong with it, where the text would otherwise be left out as no
/// record at all.
fn kind_by_misspelt_version(head: &str) -> Option<RecordKind> {
    const VERSIONS: [(&str, RecordKind); 6] = [
        ("spf1", RecordKind::Spf),
        ("dmarc1", RecordKind::Dmarc),
        ("dkim1", RecordKind::Dkim),
        ("bimi1", RecordKind::Bimi),
        ("stsv1", RecordKind::MtaSts),
        ("tlsrptv1", RecordKind::TlsRpt),
    ];
    let token = head.split([';', ',']).next().unwrap_or_default();
    let written = ["vv=", "v=", "v:", "v"]
        .iter()
        .find_map(|prefix| token.strip_prefix(prefix))?;
    if written.len() < 3 {
        return None;
    }
    let distances = VERSIONS.map(|(version, kind)| (crate::parse::tags::edit_distance(written, version), kind));
    let best = distances.iter().map(|&(distance, _)| distance).min()?;
    let mut closest = distances.iter().filter(|&&(distance, _)| distance == best);
    match (closest.next(), closest.next()) {
        // Two versions equally close: no guess.
        (Some(&(_, kind)), None) if best <= 2 => Some(kind),
        _ => None,
    }
}

/// Whether a pasted line starts a record of its own: it begins with a version tag.
fn starts_record(line: &str) -> bool {
    let joined;
    let line = match quoted_strings(line) {
        Some(strings) => {
            joined = String::from_utf8_lossy(&strings.concat()).into_owned();
            joined.as_str()
        }
        None => line,
    };
    kind_by_version(&head_of(record_body(line))).is_some_and(|kind| kind != RecordKind::MtaStsPolicy)
}

/// Whether a line reads as a zone-file line: a directive, a comment, a parenthesis, or a word
/// that is a record type (`example.com. 300 IN TXT "..."`, `www A 192.0.2.1`).
fn looks_like_zone(line: &str) -> bool {
    let trimmed = line.trim_start();
    if trimmed.starts_with('$') || trimmed.starts_with(';') || trimmed.starts_with('(') || trimmed.starts_with(')') {
        return true;
    }
    // Owner, TTL, class and type come before any quoted data. A mistyped type (`TXXT`) still
    // reads as a zone line by its other fields, so the zone reader can say what is wrong.
    let before_quote = trimmed.split('"').next().unwrap_or_default();
    let words: Vec<&str> = before_quote.split_ascii_whitespace().take(5).collect();
    // A first word with `=` is a tag of a record (`k=rsa; p=...; n=A 1024 bit key`), not an
    // owner name, whatever words follow it.
    if words.first().is_some_and(|word| word.contains('=')) {
        return false;
    }
    let owner_like = words
        .first()
        .is_some_and(|owner| *owner == "@" || (owner.len() > 1 && owner.ends_with('.')));
    let fields = words.iter().skip(1).any(|word| {
        zone::rdata::type_code(word).is_some()
            || ["in", "ch", "hs"].iter().any(|class| word.eq_ignore_ascii_case(class))
            || (word.len() > 1 && word.bytes().all(|b| b.is_ascii_digit()))
    });
    fields || (owner_like && words.len() > 1)
}

/// Whether every word of `lower` is an SPF mechanism or modifier, as in a record pasted
/// without its `v=spf1`.
fn looks_like_spf_terms(lower: &str) -> bool {
    let mut words = lower.split_ascii_whitespace().peekable();
    words.peek().is_some()
        && words.all(|word| {
            let word = word.trim_start_matches(['+', '-', '~', '?']);
            let name = word.split([':', '/', '=']).next().unwrap_or_default();
            let takes_value = word.len() > name.len();
            match name {
                "all" | "a" | "mx" | "ptr" => true,
                "include" | "exists" | "ip4" | "ip6" | "redirect" | "exp" => takes_value,
                _ => false,
            }
        })
}

/// The kind of a TXT record published at `owner`, from the name first and the text second.
fn kind_at(owner: &str, text: &str) -> Option<RecordKind> {
    let first = owner.split('.').next().unwrap_or_default();
    if first == "_dmarc" {
        // Unrelated TXT records at `_dmarc` (domain verifications) are noise, not DMARC.
        return zone::reads_as_dmarc(text).then_some(RecordKind::Dmarc);
    }
    if crate::text::contains(owner, "._domainkey.")
        || owner.starts_with("_domainkey.") && detect(text) == RecordKind::Dkim
    {
        return Some(RecordKind::Dkim);
    }
    if crate::text::contains(owner, "._bimi.") {
        return Some(RecordKind::Bimi);
    }
    if first == "_mta-sts" {
        return Some(RecordKind::MtaSts);
    }
    if owner.starts_with("_smtp._tls.") {
        return Some(RecordKind::TlsRpt);
    }
    match detect(text) {
        RecordKind::Zone | RecordKind::MtaStsPolicy => None,
        kind => Some(kind),
    }
}

fn parse_one(kind: RecordKind, text: &str) -> Option<(Vec<Diagnostic>, RecordValue)> {
    fn take<T>(parsed: Parsed<T>, wrap: impl FnOnce(T) -> RecordValue) -> Option<(Vec<Diagnostic>, RecordValue)> {
        Some((parsed.diagnostics, wrap(parsed.value)))
    }
    match kind {
        RecordKind::Spf => take(spf::parse(text), RecordValue::Spf),
        RecordKind::Dmarc => take(dmarc::parse(text), RecordValue::Dmarc),
        RecordKind::Dkim => take(dkim::parse(text), RecordValue::Dkim),
        RecordKind::Bimi => take(bimi::parse(text), RecordValue::Bimi),
        RecordKind::MtaSts => take(mta_sts::parse(text), RecordValue::MtaSts),
        RecordKind::MtaStsPolicy => take(mta_sts::parse_policy(text), RecordValue::MtaStsPolicy),
        RecordKind::TlsRpt => take(tlsrpt::parse(text), RecordValue::TlsRpt),
        RecordKind::Zone => None,
    }
}

/// Parses pasted text. With `kind` given, the text is one record of that kind, several of it
/// one per line, or zone text; otherwise the kind is detected: a record, several records one
/// per line, or zone-file text.
pub fn analyze(text: &str, kind: Option<RecordKind>) -> ParseResult {
    let mut result = analyze_uncapped(text, kind);
    if result.diagnostics.len() > MAX_PASTE_DIAGNOSTICS {
        let hidden = result.diagnostics.len() - MAX_PASTE_DIAGNOSTICS;
        result.diagnostics.truncate(MAX_PASTE_DIAGNOSTICS);
        result.diagnostics.push(Diagnostic::new(
            &PASTE_TOO_MANY_PROBLEMS,
            Span::new(0, text.len()),
            format!("{hidden} more problems in the pasted text not shown"),
            "fix the problems shown first; is this the right text?",
        ));
    }
    result
}

fn analyze_uncapped(text: &str, kind: Option<RecordKind>) -> ParseResult {
    let forced = kind;
    let Some(kind) = kind.or_else(|| detect_paste(text)) else {
        return not_records(text);
    };
    match kind {
        RecordKind::Zone if forced.is_none() => with_bare_records(text).unwrap_or_else(|| analyze_zone(text)),
        RecordKind::Zone => analyze_zone(text),
        RecordKind::MtaStsPolicy => single(kind, text),
        _ => several(text, forced).unwrap_or_else(|| single(kind, text)),
    }
}

/// Several records one per line (a record's text may go on over the lines after it). Each
/// line that is a record on its own (by its version tag, or by its tags or terms when it has
/// none) starts one; a line that is none goes on the record before it when it is folded with
/// leading whitespace, the rest of a tag list whose line ended with `;`, or the rest of a DKIM
/// key; any other line is noted and left out. With the kind given every line that does not go
/// on is a record of that kind. `None` when the text is one record.
fn several(text: &str, forced: Option<RecordKind>) -> Option<ParseResult> {
    let lines: Vec<(usize, usize, &str)> = line_spans(text)
        .into_iter()
        .filter(|(_, _, line)| !line.trim().is_empty())
        .collect();
    // (first line index, byte range in `text`, kind) of each record.
    let mut groups: Vec<(usize, usize, usize, RecordKind)> = Vec::new();
    let mut diagnostics = Vec::new();
    // Zone-file lines among the records (`example.com. 300 IN MX 10 mail`): read by the zone
    // reader, as records pasted among zone lines are read by theirs.
    let mut zone_lines: Vec<(usize, usize)> = Vec::new();
    for &(index, start, line) in &lines {
        let end = start + line.len();
        let class = classify(line);
        let own_kind = match class {
            Some(RecordKind::Zone | RecordKind::MtaStsPolicy) | None => None,
            Some(kind) => Some(forced.unwrap_or(kind)),
        };
        // A line that reads as a record of another kind does not go on this one.
        let continues = groups.last().is_some_and(|&(_, start, end, kind)| {
            own_kind.is_none_or(|own| own == kind) && continues_record(line, kind, text.get(start..end).unwrap_or(""))
        });
        if starts_record(line) || (own_kind.is_some() && !continues) {
            groups.push((index, start, end, own_kind.or(forced).unwrap_or_else(|| detect(line))));
        } else if let Some(group) = groups.last_mut().filter(|_| continues) {
            group.2 = end;
        } else if let Some(kind) = forced {
            groups.push((index, start, end, kind));
        } else if class == Some(RecordKind::Zone) {
            zone_lines.push((start, end));
        } else {
            diagnostics.push(not_a_record(index, Span::new(start, end)));
        }
    }
    if forced.is_none() && groups.len() <= 1 && diagnostics.is_empty() && zone_lines.is_empty() {
        return None;
    }
    let records: Vec<ParsedRecord> = groups
        .into_iter()
        .filter_map(|(index, start, end, kind)| {
            let record = text.get(start..end)?;
            parse_pasted(kind, record).map(|(text, diagnostics, value)| ParsedRecord {
                kind,
                name: None,
                line: Some(index + 1),
                text,
                diagnostics,
                value,
            })
        })
        .collect();
    let mut result = ParseResult {
        kind: forced.unwrap_or_else(|| detect_paste(text).unwrap_or(RecordKind::Zone)),
        records,
        diagnostics,
    };
    if !zone_lines.is_empty() {
        let zone = analyze_zone(&blank_lines(text, &zone_lines, true));
        result.records = merge_by(result.records, zone.records, |r| r.line.unwrap_or(0));
        result.diagnostics = merge_by(result.diagnostics, zone.diagnostics, |d| d.span.start);
    }
    Some(result)
}

/// `text` with lines blanked to spaces (every byte, so the other lines keep their numbers and
/// offsets): the lines in `lines` (byte ranges) when `keep` is false, every other line when it
/// is true.
fn blank_lines(text: &str, lines: &[(usize, usize)], keep: bool) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut at = 0;
    for (index, byte) in bytes.iter_mut().enumerate() {
        while lines.get(at).is_some_and(|&(_, end)| end <= index) {
            at += 1;
        }
        let listed = lines.get(at).is_some_and(|&(start, end)| start <= index && index < end);
        if *byte != b'\n' && listed != keep {
            *byte = b' ';
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Two lists each in order by `key`, as one in that order (`a` first where keys are equal).
fn merge_by<T>(a: Vec<T>, b: Vec<T>, key: impl Fn(&T) -> usize) -> Vec<T> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for item in a {
        while let Some(next) = b.next_if(|next| key(next) < key(&item)) {
            merged.push(next);
        }
        merged.push(item);
    }
    merged.extend(b);
    merged
}

/// Whether a line that starts no record of its own is the record of `kind` before it
/// (`record`, as read so far) going on: folded with leading whitespace, the rest of a tag list
/// whose last line ended with `;` and that repeats none of its tags, or the rest of a DKIM key
/// wrapped by a terminal or an editor. A quoted line never goes on: dig shows each TXT record
/// on a line of its own.
fn continues_record(line: &str, kind: RecordKind, record: &str) -> bool {
    let trimmed = line.trim();
    if trimmed.starts_with('"') {
        return false;
    }
    let base64 = || {
        trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    };
    line.starts_with([' ', '\t'])
        || (kind != RecordKind::Spf
            && record.trim_end().ends_with(';')
            && trimmed.contains('=')
            && !tag_names(trimmed).any(|name| tag_names(record).any(|taken| taken.eq_ignore_ascii_case(name))))
        || (kind == RecordKind::Dkim && base64())
}

/// The names of the tags of a tag list, as written.
fn tag_names(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').filter_map(|tag| Some(tag.split_once('=')?.0.trim()))
}

/// Each line of `text` with its index and the byte offset where it starts; without its line
/// break.
fn line_spans(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (index, line) in text.split('\n').enumerate() {
        out.push((index, start, line.strip_suffix('\r').unwrap_or(line)));
        start += line.len() + 1;
    }
    out
}

/// Pasted text in which no line is a record or a zone-file line.
fn not_records(text: &str) -> ParseResult {
    let diagnostics = line_spans(text)
        .into_iter()
        .filter(|(_, _, line)| !line.trim().is_empty())
        .map(|(index, start, line)| not_a_record(index, Span::new(start, start + line.len())))
        .collect();
    ParseResult {
        kind: RecordKind::Zone,
        records: Vec::new(),
        diagnostics,
    }
}

fn not_a_record(index: usize, span: Span) -> Diagnostic {
    Diagnostic::new(
        &PASTE_NOT_A_RECORD,
        span,
        format!("line {}: not a record sendercheck reads; left out", index + 1),
        "paste SPF, DMARC, DKIM, BIMI, MTA-STS or TLS-RPT records, one per line, or zone-file lines",
    )
}

/// The kind of a paste: the first line that is a record or a zone line decides (a policy
/// file's first line is `version: STSv1`, which no other kind shares), and zone lines make
/// the whole text zone text when they are at least half the lines that are either. `None`
/// when no line is either.
fn detect_paste(text: &str) -> Option<RecordKind> {
    let kinds: Vec<RecordKind> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(2000)
        .filter_map(classify)
        .collect();
    // Zone text when it starts as zone text or most of its lines are zone lines: one line of
    // records that looks like a zone line does not turn a file of records into zone text.
    let zone_lines = kinds.iter().filter(|&&kind| kind == RecordKind::Zone).count();
    let first = kinds.first().copied();
    if first == Some(RecordKind::Zone)
        || (first != Some(RecordKind::MtaStsPolicy) && zone_lines > 0 && zone_lines * 2 >= kinds.len())
    {
        return Some(RecordKind::Zone);
    }
    first
}

fn single(kind: RecordKind, text: &str) -> ParseResult {
    // One record pasted or piped usually ends with a line break that is not part of it.
    let text = if kind == RecordKind::MtaStsPolicy {
        text
    } else {
        text.trim_end_matches(['\r', '\n'])
    };
    // A record copied with its surrounding quotes, or as several quoted strings, is read
    // without them; spans then point into the text read, which is what `text` holds.
    let records = parse_pasted(kind, text)
        .map(|(text, diagnostics, value)| ParsedRecord {
            kind,
            name: None,
            line: Some(1),
            text,
            diagnostics,
            value,
        })
        .into_iter()
        .collect();
    ParseResult {
        kind,
        records,
        diagnostics: Vec::new(),
    }
}

/// Zone text with records pasted bare among its lines (`v=DMARC1; p=none` above an MX line):
/// each such line, unquoted at the start of its line where a zone line has its owner, is read
/// as the record it is, and the zone reader reads the rest with those lines blanked (so every
/// other line keeps its number and its offsets). `None` when there is no such line.
fn with_bare_records(text: &str) -> Option<ParseResult> {
    let bare: Vec<(usize, usize, &str)> = line_spans(text)
        .into_iter()
        .filter(|(_, _, line)| !line.starts_with([' ', '\t', '"']) && starts_record(line))
        .collect();
    if bare.is_empty() {
        return None;
    }
    let ranges: Vec<(usize, usize)> = bare
        .iter()
        .map(|&(_, start, line)| (start, start + line.len()))
        .collect();
    let mut result = analyze_zone(&blank_lines(text, &ranges, false));
    let records: Vec<ParsedRecord> = bare
        .into_iter()
        .filter_map(|(index, _, line)| {
            let kind = detect(line);
            parse_pasted(kind, line).map(|(text, diagnostics, value)| ParsedRecord {
                kind,
                name: None,
                line: Some(index + 1),
                text,
                diagnostics,
                value,
            })
        })
        .collect();
    result.records = merge_by(result.records, records, |r| r.line.unwrap_or(0));
    Some(result)
}

fn analyze_zone(text: &str) -> ParseResult {
    let parsed = zone::parse(text, None);
    let mut records = Vec::new();
    for record in &parsed.value.records {
        let RData::Txt(published) = &record.rdata else { continue };
        // Where the text meant other strings than are published, a zone diagnostic says so
        // and the record is checked as meant, so its own diagnostics are not a cascade of it.
        let strings = record.intended.as_ref().unwrap_or(published);
        let joined = String::from_utf8_lossy(&strings.concat()).into_owned();
        let Some(kind) = kind_at(&record.owner, &joined) else {
            continue;
        };
        let parsed_record = if kind == RecordKind::Spf {
            let parts: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
            let parsed = spf::parse_txt(&parts);
            Some((parsed.diagnostics, RecordValue::Spf(parsed.value)))
        } else {
            parse_one(kind, &joined)
        };
        if let Some((diagnostics, value)) = parsed_record {
            records.push(ParsedRecord {
                kind,
                name: Some(record.owner.clone()),
                line: Some(record.line),
                text: joined,
                diagnostics,
                value,
            });
        }
    }
    ParseResult {
        kind: RecordKind::Zone,
        records,
        diagnostics: parsed.diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_kind() {
        for (text, kind) in [
            ("v=spf1 -all", RecordKind::Spf),
            ("\"v=spf1 mx -all\"", RecordKind::Spf),
            ("v=DMARC1; p=reject", RecordKind::Dmarc),
            ("v=DKIM1; k=rsa; p=MIIB", RecordKind::Dkim),
            ("k=rsa; p=MIIB", RecordKind::Dkim),
            ("v=BIMI1; l=https://x.example/l.svg", RecordKind::Bimi),
            ("v=STSv1; id=1", RecordKind::MtaSts),
            ("version: STSv1\nmode: enforce", RecordKind::MtaStsPolicy),
            ("v=TLSRPTv1; rua=mailto:a@b.example", RecordKind::TlsRpt),
            ("example.com. 300 IN TXT \"v=spf1 -all\"", RecordKind::Zone),
            // The version tag out of place, and SPF terms without their version.
            ("p=reject; v=DMARC1", RecordKind::Dmarc),
            ("=DMARC1; p=quarantine", RecordKind::Dmarc),
            ("include:_spf.example.com ~all", RecordKind::Spf),
            ("mx a -all", RecordKind::Spf),
            // Typographic quotes around the record, and quoted strings as dig shows them.
            ("\u{201c}v=DMARC1; p=reject\u{201d}", RecordKind::Dmarc),
            ("\"v=spf1 mx \" \"-all\"", RecordKind::Spf),
            // Zone lines, a mistyped type among them, and a record line after a zone line.
            ("www IN TXXT \"x\"", RecordKind::Zone),
            ("www 300 A 192.0.2.1", RecordKind::Zone),
            ("@ MX 10 mail", RecordKind::Zone),
            ("v=spf1 -all\nexample.com. TXT \"v=spf1 -all\"", RecordKind::Zone),
        ] {
            assert_eq!(detect_paste(text), Some(kind), "{text}");
        }
        for text in ["google-site-verification=abc", "hello world", ""] {
            assert_eq!(detect_paste(text), None, "{text}");
        }
    }

    #[test]
    fn lines_that_are_no_record_are_noted_and_left_out() {
        let result = analyze("v=spf1 -all\nhello world\nv=spf1 mx -all\n", None);
        assert_eq!(result.records.len(), 2);
        assert_eq!(result.records[1].line, Some(3));
        assert_eq!(result.diagnostics.len(), 1);
        let note = &result.diagnostics[0];
        assert_eq!((note.code, note.span), ("ZONE020", Span::new(12, 23)));
        assert!(result.records.iter().all(|r| r.diagnostics.is_empty()));
        // Nothing but such lines: one note each, no records.
        let result = analyze("google-site-verification=abc\n\nhello", None);
        assert!(result.records.is_empty());
        assert_eq!(
            result.diagnostics.iter().map(|d| d.span.start).collect::<Vec<_>>(),
            [0, 30]
        );
    }

    #[test]
    fn a_given_kind_holds_for_every_line() {
        let result = analyze("v=DMARC1; p=reject\nv=spf1 -all\n", Some(RecordKind::Dmarc));
        assert_eq!(result.records.len(), 2);
        assert!(result.records.iter().all(|r| r.kind == RecordKind::Dmarc));
        assert_eq!(result.records[1].diagnostics[0].code, "DMARC014");
    }

    #[test]
    fn a_record_may_go_on_over_lines() {
        // A DKIM record wrapped after a tag, or inside its key: one record, not two.
        let result = analyze("v=DKIM1; k=rsa;\np=MIGfMA0GCSqGSIb3\nDQEBAQUAA4GNADCB\n", None);
        assert_eq!(result.records.len(), 1, "{result:#?}");
        // Records one per line with a key wrapped under the second.
        let result = analyze(
            "v=spf1 -all\nv=DKIM1; k=rsa; p=MIGfMA0GCSq\nGSIb3DQEBAQUAA4GNADCB\n",
            None,
        );
        assert_eq!(result.records.len(), 2);
        assert!(result.diagnostics.is_empty());
        assert!(
            result.records[1].text.ends_with("AA4GNADCB"),
            "{:?}",
            result.records[1].text
        );
    }

    #[test]
    fn quoted_strings_are_joined_as_dns_joins_them() {
        // As dig and zone files show TXT data: several strings, no separator when joined.
        let result = analyze("\"v=spf1 include:_spf.google\" \".com ~all\"", None);
        assert_eq!(result.kind, RecordKind::Spf);
        assert_eq!(result.records.len(), 1);
        assert_eq!(result.records[0].text, "v=spf1 include:_spf.google.com ~all");
        assert!(
            result.records[0].diagnostics.is_empty(),
            "{:#?}",
            result.records[0].diagnostics
        );
        let result = analyze("\"v=DMARC1; \" \"p=reject\"\n\"v=spf1 \\\"a\\\" -all\"\n", None);
        assert_eq!(result.records.len(), 2);
        assert_eq!(result.records[0].kind, RecordKind::Dmarc);
        assert!(result.records[0].diagnostics.is_empty());
        // An escaped quote stays in the string, where SPF reports it.
        assert_eq!(result.records[1].text, "v=spf1 \"a\" -all");
        assert_eq!(result.records[1].diagnostics[0].code, "SPF004");
        // A string over 255 bytes is checked as a string.
        let long = format!("\"v=spf1 {}-all\"", "ip4:192.0.2.1 ".repeat(20));
        let result = analyze(&long, None);
        assert_eq!(result.records[0].diagnostics[0].code, "SPF024");
        // A quote left open is not taken for zone text.
        let result = analyze("\"v=spf1 -all", None);
        assert_eq!(result.kind, RecordKind::Spf);
        assert_eq!(result.records[0].diagnostics[0].code, "SPF001");
    }

    #[test]
    fn several_records_one_per_line() {
        let result = analyze("v=spf1 -all\nv=DMARC1; p=reject\n", None);
        assert_eq!(result.records.len(), 2);
        assert_eq!(result.records[0].kind, RecordKind::Spf);
        assert_eq!(result.records[1].kind, RecordKind::Dmarc);
        assert_eq!(result.records[1].line, Some(2));
    }

    #[test]
    fn zone_text_routes_records_by_name() {
        let zone = "$ORIGIN example.com.\n@ 300 IN TXT \"v=spf1 mx -all\"\n_dmarc 300 IN TXT \"v=DMARC1; p=reject\"\n_dmarc.sub 300 IN TXT \"v=spf1 -all\"\nwww 300 IN A 192.0.2.1\n";
        let result = analyze(zone, None);
        assert_eq!(result.kind, RecordKind::Zone);
        let kinds: Vec<(RecordKind, Option<String>)> =
            result.records.iter().map(|r| (r.kind, r.name.clone())).collect();
        assert_eq!(
            kinds,
            [
                (RecordKind::Spf, Some("example.com".into())),
                (RecordKind::Dmarc, Some("_dmarc.example.com".into())),
                (RecordKind::Dmarc, Some("_dmarc.sub.example.com".into())),
            ]
        );
        // An SPF record at _dmarc is diagnosed by the DMARC parser.
        assert!(!result.records[2].diagnostics.is_empty());
    }

    /// Text pasted one record per line, from the QA probe of 2026-12-07: every record is read
    /// at its own line, whatever the lines around it are.
    #[test]
    fn each_line_is_its_own_record() {
        let kinds = |text: &str| -> (Vec<(RecordKind, Option<usize>)>, Vec<usize>) {
            let result = analyze(text, None);
            (
                result.records.iter().map(|r| (r.kind, r.line)).collect(),
                result.diagnostics.iter().map(|d| d.span.start).collect(),
            )
        };
        use RecordKind::{Dkim, Dmarc, Spf};
        // A line that is no record, before or after a record: noted, not glued on.
        assert_eq!(
            kinds("google-site-verification=abc\nv=spf1 -all\n"),
            (vec![(Spf, Some(2))], vec![0])
        );
        assert_eq!(
            kinds("v=spf1 -all\ngoogle-site-verification=abc\n"),
            (vec![(Spf, Some(1))], vec![12])
        );
        // A DKIM record without v= after one with it; a DMARC record after an SPF one.
        assert_eq!(
            kinds("v=DKIM1; k=rsa; p=AAAA\nk=rsa; p=BBBB\n").0,
            [(Dkim, Some(1)), (Dkim, Some(2))]
        );
        assert_eq!(
            kinds("p=reject; v=DMARC1\nv=spf1 -all").0,
            [(Dmarc, Some(1)), (Spf, Some(2))]
        );
        // dig +short output: one TXT record per quoted line.
        assert_eq!(
            kinds("\"v=spf1 -all\"\n\"wgyf8z8cgvm2qmxpnbnldrcltvk4xqfn\"\n"),
            (vec![(Spf, Some(1))], vec![14])
        );
        // A tag list that ends in `;` goes on over the next line unless that line repeats its tags.
        assert_eq!(kinds("v=DKIM1; k=rsa;\np=MIGfMA0G\n").0, [(Dkim, Some(1))]);
        assert_eq!(
            kinds("v=DKIM1; k=rsa; p=AAAA;\nk=rsa; p=BBBB\n").0,
            [(Dkim, Some(1)), (Dkim, Some(2))]
        );
        // A DKIM key whose `n=` note holds a record-type word is no zone line, and one line
        // that looks like zone text does not make a file of records zone text.
        assert_eq!(detect_paste("k=rsa; p=; n=A 1024 bit key;"), Some(Dkim));
        assert_eq!(
            detect_paste("v=spf1 -all\nv=spf1 mx -all\nwww 300 IN A 192.0.2.1"),
            Some(Spf)
        );
        assert_eq!(detect_paste("p=reject"), Some(Dmarc));
    }

    /// A mistyped version still names the kind, so its parser reports it (it was left out as
    /// no record, with exit 0).
    #[test]
    fn a_mistyped_version_is_read_as_its_kind() {
        for (text, kind) in [
            ("v=sfp1 -all", RecordKind::Spf),
            ("vspf1 -all", RecordKind::Spf),
            ("v:spf1 -all", RecordKind::Spf),
            ("vv=spf1 -all", RecordKind::Spf),
            ("v=DMRAC1; p=reject", RecordKind::Dmarc),
            ("v=DKMI1; k=rsa; p=", RecordKind::Dkim),
            ("v=BIMl1; l=https://example.com/l.svg", RecordKind::Bimi),
            ("v=TLSRTPv1; rua=mailto:a@example.com", RecordKind::TlsRpt),
            ("v=STS; id=1", RecordKind::MtaSts),
            ("v=STS1; id=1", RecordKind::MtaSts),
        ] {
            assert_eq!(detect_paste(text), Some(kind), "{text}");
            let result = analyze(text, None);
            assert!(
                result
                    .all_diagnostics()
                    .any(|d| d.severity == crate::diag::Severity::Error),
                "{text}: {result:#?}"
            );
        }
        for text in ["verification=abc", "v=1", "hello world"] {
            assert_eq!(detect_paste(text), None, "{text}");
        }
    }

    /// Zone lines after records pasted one per line are read by the zone reader, each at its
    /// own line (they were noted as "not a record" and left out).
    #[test]
    fn zone_lines_among_records_are_read() {
        // Mostly records (a text of mostly zone lines is zone text, read the other way round).
        let text = "v=spf1 -all\nv=DMARC1; p=none\nv=BIMI1; l=https://example.com/l.svg\ngoogle-site-verification=abc\nexample.com. 300 IN TXT \"v=spf1 +all\"\nwww.example.com. 300 IN A 192.0.2.300\n";
        let result = analyze(text, None);
        let records: Vec<(RecordKind, Option<usize>, Option<&str>)> = result
            .records
            .iter()
            .map(|r| (r.kind, r.line, r.name.as_deref()))
            .collect();
        assert_eq!(
            records,
            [
                (RecordKind::Spf, Some(1), None),
                (RecordKind::Dmarc, Some(2), None),
                (RecordKind::Bimi, Some(3), None),
                (RecordKind::Spf, Some(5), Some("example.com")),
            ]
        );
        assert_eq!(result.records[3].diagnostics[0].code, "SPF019");
        // The line that is no record is noted; the zone line with a bad address is a zone error
        // at its line; they come in line order.
        let notes: Vec<(&str, usize)> = result.diagnostics.iter().map(|d| (d.code, d.span.start)).collect();
        let bad_a = text.find("www.").unwrap();
        assert_eq!(notes.first(), Some(&("ZONE020", text.find("google").unwrap())));
        assert!(
            notes
                .iter()
                .skip(1)
                .all(|&(code, at)| code.starts_with("ZONE") && code != "ZONE020" && at >= bad_a),
            "{notes:?}"
        );
        assert!(notes.len() > 1, "{notes:?}");
    }

    /// A record pasted bare among zone lines is read as the record it is, and the zone lines
    /// as zone lines, each at its own line (the page probe saw ZONE001 for the record).
    #[test]
    fn bare_records_among_zone_lines_are_read() {
        let text = "v=DMARC1; p=nonee\nexample.com. 300 IN MX 10 mail.example.com.\nexample.com. 300 IN TXT \"v=spf1 +all\"\nv=spf1 include:example.com -all\n";
        let result = analyze(text, None);
        assert_eq!(result.kind, RecordKind::Zone);
        let records: Vec<(RecordKind, Option<usize>, Option<&str>)> = result
            .records
            .iter()
            .map(|r| (r.kind, r.line, r.name.as_deref()))
            .collect();
        assert_eq!(
            records,
            [
                (RecordKind::Dmarc, Some(1), None),
                (RecordKind::Spf, Some(3), Some("example.com")),
                (RecordKind::Spf, Some(4), None),
            ]
        );
        assert!(result.diagnostics.is_empty(), "{:#?}", result.diagnostics);
        assert_eq!(result.records[0].diagnostics[0].code, "DMARC021");
        assert_eq!(result.records[1].diagnostics[0].code, "SPF019");
        assert!(result.records[2].diagnostics.is_empty());
    }

    /// The pasted text's own problems are listed up to a cap, then counted.
    #[test]
    fn the_text_problems_are_capped() {
        let text = "(\n".repeat(1_000);
        let result = analyze(&text, None);
        assert_eq!(result.diagnostics.len(), MAX_PASTE_DIAGNOSTICS + 1);
        let last = result.diagnostics.last().map(|d| (d.code, d.message.to_string()));
        assert_eq!(
            last,
            Some((
                "ZONE021",
                format!(
                    "{} more problems in the pasted text not shown",
                    1_000 - MAX_PASTE_DIAGNOSTICS
                )
            ))
        );
        let few = analyze(&"(\n".repeat(10), None);
        assert!(few.diagnostics.iter().all(|d| d.code != "ZONE021"));
    }

    #[test]
    fn nothing_pasted_panics() {
        for text in ["", " ", "\"", "\"\"", "v=", "\n\n", "$ORIGIN", "( ( (", "\u{0}\u{1}"] {
            let _ = analyze(text, None);
            for kind in RecordKind::ALL {
                let _ = analyze(text, Some(kind));
            }
        }
    }
}
