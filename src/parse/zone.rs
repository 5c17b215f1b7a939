//! Zone-file text: records pasted as DNS providers and BIND show them.
//!
//! The reader accepts RFC 1035 §5 master-file syntax (`name [ttl] [class] TYPE rdata`,
//! `$ORIGIN`, `$TTL`, relative names, `@`, a blank owner for "same as the previous line",
//! quoted character-strings with `\"`, `\\` and `\DDD` escapes, parentheses across lines and
//! `;` comments) and the forms providers paste: a name with or without its trailing dot,
//! `IN` left out, the TTL after the class and tab-separated columns.
//!
//! The text is split into entries by [`lex`] (respecting quotes and parentheses), so one bad
//! entry gives one diagnostic (`line N: ...`, spanning the entry) and every good entry is still
//! used. TXT data is decoded here, because the length rules need the span of each string;
//! the data of the other types sendercheck looks up (A, AAAA, MX, CNAME, PTR, NS, SOA) is read
//! and checked by [`rdata`], our own small reader. The data of any other type is kept as
//! written (as [`RData::Other`] holding the text, or the wire bytes for the RFC 3597 generic
//! form `\# len hex`) and not checked: sendercheck never looks it up.
//!
//! A record's data is what a name server loading the text publishes. Where the text most
//! likely meant something else (an unquoted TXT value with spaces, which is several strings; a
//! value cut short by a `;`, which starts a comment; two strings joined without the space or
//! `;` between them), a diagnostic says what is published and how to write what was meant, and
//! the record keeps the meant strings beside the published ones ([`ZoneRecord::intended`]), so
//! the record's own checks are about what was meant, not a cascade from the one mistake.
//!
//! Names without a trailing dot: after a `$ORIGIN` of the text they are read as BIND reads
//! them, relative to the origin, so `www.example.com` under `$ORIGIN example.com.` is
//! `www.example.com.example.com`, and such a name, ending with the origin's own name, gets a
//! warning that its final dot is missing. Without a `$ORIGIN` the text is more likely a
//! provider dashboard's, whose full names have no dot: there a relative name that already ends
//! with the default origin (or equals it) is taken as a full name. Without any origin, relative
//! names are relative to the root.

use serde::Serialize;

use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, RelatedLabel, Severity, Sink, Span};
use crate::dns::{normalize_name, RData, RecordType};
use crate::vec_map::{sort_positions, sorted_positions, VecMap};
use lex::{RawEntry, Token};

mod join;
mod lex;
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
    /// For TXT data: the strings the text most likely meant, when they differ from what a
    /// name server publishes (`rdata`) and a zone diagnostic said so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intended: Option<Vec<Vec<u8>>>,
    /// For TXT data: where the bytes of the published strings sit in the text, for the strings
    /// written without escapes.
    #[serde(skip)]
    pub runs: Vec<TextRun>,
}

/// A stretch of a TXT record's joined strings that is written as it is in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextRun {
    /// Where the stretch starts in the joined strings.
    pub at: usize,
    /// Where it starts in the text.
    pub from: usize,
    pub len: usize,
}

impl ZoneRecord {
    /// The span in the text of `span`, a span in the joined TXT strings, when both ends fall in
    /// strings written without escapes. A start at the join of two strings maps to the second,
    /// an end there to the first.
    pub fn text_span(&self, span: Span) -> Option<Span> {
        let start = self.text_offset(span.start, false)?;
        let end = if span.end <= span.start {
            start
        } else {
            self.text_offset(span.end, true)?
        };
        Some(Span::new(start, end.max(start)))
    }

    /// The text offset of `at` in the joined strings; with `is_end`, an offset at the join of
    /// two strings belongs to the first. The runs are in order, so this is a binary search.
    fn text_offset(&self, at: usize, is_end: bool) -> Option<usize> {
        let index = self.runs.partition_point(|run| {
            let run_end = run.at + run.len;
            if is_end {
                run_end < at
            } else {
                run_end <= at
            }
        });
        let run = match self.runs.get(index) {
            Some(run) => run,
            // Past the last run only the point at its end maps.
            None => self.runs.last().filter(|run| run.at + run.len == at)?,
        };
        (run.at <= at).then(|| run.from + (at - run.at))
    }
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
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 10,
    checks: "A TXT value containing spaces is quoted. The diagnostic says what a name server publishes for the unquoted value; the record is then checked as the one string it was meant to be.",
    why: "In zone-file syntax each unquoted word is a separate character-string, and the strings are joined with no separator, so `v=spf1 mx -all` loaded by a name server is published as `v=spf1mx-all`, which no receiver reads as SPF. Provider forms take the rest of the line as one value; zone files do not.",
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

pub const ZONE_NAME_WITHOUT_FINAL_DOT: Rule = Rule {
    code: "ZONE011",
    name: "ZoneNameWithoutFinalDot",
    category: Category::Zone,
    severity: Severity::Warning,
    area: Area::Infrastructure,
    weight: 5,
    checks: "After `$ORIGIN`, a name written without a final dot does not end with the origin's own name (an owner, or a name in the data such as an MX or CNAME target), and the name after `$ORIGIN` ends with a dot.",
    why: "A name without a final dot is relative: BIND appends the origin to it, so `_dmarc.example.com` under `$ORIGIN example.com.` is `_dmarc.example.com.example.com.`, where no receiver looks. A relative `$ORIGIN` is itself appended to the zone's name.",
    problematic: "$ORIGIN example.com.\n_dmarc.example.com IN TXT \"v=DMARC1; p=reject\"",
    corrected: "$ORIGIN example.com.\n_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"",
    references: "RFC 1035 §5.1 (absolute and relative names, $ORIGIN)",
}.for_target();

pub const ZONE_TXT_CUT_BY_COMMENT: Rule = Rule {
    code: "ZONE012",
    name: "ZoneTxtCutByComment",
    category: Category::Zone,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 10,
    checks: "A `;` that is part of a TXT value (the separator of DMARC and DKIM tags) is inside the quotes. The diagnostic says where the published value ends; the record is then checked as the value it was meant to be.",
    why: "Outside quotes, `;` starts a comment in zone files: `v=DMARC1; p=reject` unquoted is published as `v=DMARC1`, a DMARC record without a policy, and the rest is thrown away.",
    problematic: "_dmarc.example.com. IN TXT v=DMARC1; p=reject",
    corrected: "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"",
    references: "RFC 1035 §5.1 (comments, character-string)",
}.for_target();

pub const ZONE_DMARC_OUTSIDE_DMARC_NAME: Rule = Rule {
    code: "ZONE013",
    name: "ZoneDmarcOutsideDmarcName",
    category: Category::Zone,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 10,
    checks: "A TXT record starting with `v=DMARC1` is published at a `_dmarc` name: `_dmarc.<domain>` for a domain's policy, `<domain>._report._dmarc.<domain>` for a report authorization.",
    why: "Receivers look for the DMARC policy of `example.com` only at `_dmarc.example.com`; a DMARC record at the domain itself or at another name is never read, so the domain has no DMARC policy.",
    problematic: "example.com. IN TXT \"v=DMARC1; p=reject\"",
    corrected: "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"",
    references: "RFC 9989 §4.7 (DMARC policy record), §4.10 (policy discovery)",
}.for_target();

pub const ZONE_DKIM_KEY_OUTSIDE_DOMAINKEY: Rule = Rule {
    code: "ZONE014",
    name: "ZoneDkimKeyOutsideDomainkey",
    category: Category::Zone,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 10,
    checks: "A TXT record starting with `v=DKIM1` (a DKIM key) is published at `<selector>._domainkey.<domain>`.",
    why: "A receiver verifying a signature with `s=selector1; d=example.com` asks for the key at `selector1._domainkey.example.com` and nowhere else; a key at the domain itself, or at `_domainkey` without a selector, is never found and the signatures fail.",
    problematic: "example.com. IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"",
    corrected: "selector1._domainkey.example.com. IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"",
    references: "RFC 6376 §3.6.2.1 (namespace), §6.1.2 (key lookup)",
}.for_target();

pub const ZONE_TXT_JOIN_WITHOUT_SEPARATOR: Rule = Rule {
    code: "ZONE015",
    name: "ZoneTxtJoinWithoutSeparator",
    category: Category::Zone,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 10,
    checks: "Where the strings of an SPF, DMARC or DKIM record join, the space (SPF) or `;` (DMARC, DKIM) between two terms is in one of the strings. It is reported when the record as joined has problems that the missing space or `;` at that join would remove; the record is then checked with it.",
    why: "The strings of a TXT record are joined with nothing between them, so `\"v=spf1 include:_spf.example.net\" \"-all\"` is published as `include:_spf.example.net-all`, one term, and the record has no `all`; `\"p=reject\" \"rua=...\"` becomes `p=rejectrua=...`, an invalid policy.",
    problematic: "example.com. IN TXT \"v=spf1 include:_spf.example.net\" \"-all\"",
    corrected: "example.com. IN TXT \"v=spf1 include:_spf.example.net \" \"-all\"",
    references: "RFC 7208 §3.3 (multiple strings); RFC 6376 §3.6.2.2; RFC 1035 §3.3.14",
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
    &ZONE_NAME_WITHOUT_FINAL_DOT,
    &ZONE_TXT_CUT_BY_COMMENT,
    &ZONE_DMARC_OUTSIDE_DMARC_NAME,
    &ZONE_DKIM_KEY_OUTSIDE_DOMAINKEY,
    &ZONE_TXT_JOIN_WITHOUT_SEPARATOR,
];

/// Decodes a backslash escape at `pos` into `out`; returns the position after it.
pub(crate) fn decode_escape(bytes: &[u8], pos: usize, out: &mut Vec<u8>) -> usize {
    let digits = bytes
        .get(pos + 1..pos + 4)
        .filter(|digits| digits.iter().all(u8::is_ascii_digit));
    if let Some(digits) = digits {
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

/// True when `name` (relative, as written) is `origin` (lowercase, no trailing dot) or ends
/// with it.
fn ends_with_origin(name: &str, origin: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !origin.is_empty() && (lower == origin || lower.strip_suffix(origin).is_some_and(|head| head.ends_with('.')))
}

/// The absolute form (with trailing dot) of a name as written, under `origin` (no trailing
/// dot, empty for the root). With `bind` (the origin came from a `$ORIGIN` of the text) a
/// relative name is relative to the origin, as BIND reads it; otherwise a relative name that
/// already ends with the origin is taken as a full name written without its dot.
fn absolute(name: &str, origin: &str, bind: bool) -> String {
    if name == "@" {
        return format!("{origin}.");
    }
    if ends_with_dot(name) {
        return name.to_string();
    }
    if origin.is_empty() || (!bind && ends_with_origin(name, origin)) {
        return format!("{name}.");
    }
    format!("{name}.{origin}.")
}

/// The state carried from entry to entry.
struct State {
    origin: String,
    origin_set: bool,
    /// The origin came from a `$ORIGIN` of the text: names are read as BIND reads them.
    bind: bool,
    dollar_ttl: Option<u32>,
    last_ttl: Option<u32>,
    last_owner: Option<String>,
}

/// Reads zone text. `default_origin` is used for relative names until a `$ORIGIN`.
pub fn parse(text: &str, default_origin: Option<&str>) -> Parsed<Zone> {
    let mut sink = Sink::default();
    let entries = lex::split_entries(text, &mut sink);
    let mut state = State {
        origin: default_origin.map(normalize_name).unwrap_or_default(),
        origin_set: default_origin.is_some(),
        bind: false,
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

/// The line of `text` that holds `span`, with `span` replaced by `with`, for a help that gives
/// the whole corrected line; `None` when the span covers a line break.
fn line_with(text: &str, span: Span, with: &str) -> Option<String> {
    let replaced = text.get(span.start..span.end)?;
    if replaced.contains('\n') {
        return None;
    }
    let start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text.get(span.end..)?.find('\n').map_or(text.len(), |i| span.end + i);
    let mut line = String::new();
    line.push_str(text.get(start..span.start)?);
    line.push_str(with);
    line.push_str(text.get(span.end..end)?);
    Some(line.trim_end().to_string())
}

/// `help` followed by the corrected line, or by `fallback` when the line cannot be given.
fn with_line(help: &str, line: Option<String>, fallback: &str) -> String {
    match line {
        Some(line) => format!("{help}: `{line}`"),
        None => format!("{help}: `{fallback}`"),
    }
}

fn read_entry(text: &str, entry: &RawEntry, state: &mut State, records: &mut Vec<ZoneRecord>, sink: &mut Sink) {
    let span = entry.span();
    let Some(first) = entry.tokens.first() else {
        return;
    };
    let first_text = first.text();
    if !entry.indented && !first.quoted && first_text.starts_with('$') {
        read_directive(text, entry, &first_text, state, sink);
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
        match read_owner(text, entry, first, &first_text, state, sink) {
            Some(owner) => (owner, 1),
            None => return,
        }
    };
    // TTL and class in either order, then the type.
    let mut ttl = None;
    let mut class: Option<&Token> = None;
    let (code, type_span) = loop {
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
            Some(code) if !is_class(&word) => break (code, token.span),
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
    let is_txt = code == RecordType::Txt.code();
    let (rdata, intended, runs) = if is_txt || code == RecordType::Spf.code() {
        if !is_txt {
            sink.push(Diagnostic::new(
                &crate::parse::spf::SPF_TYPE_RECORD,
                type_span,
                format!(
                    "line {}: record of the obsolete type SPF (99), which receivers do not read",
                    entry.line
                ),
                with_line(
                    "change the type to TXT, or remove the line if the same TXT record exists",
                    line_with(text, type_span, "TXT"),
                    "TXT",
                ),
            ));
        }
        let Some(mut txt) = read_txt(text, entry, data_tokens, sink) else {
            return;
        };
        if is_txt {
            if txt.intended.is_none() {
                txt.intended = join::check(text, entry, &owner_name, data_tokens, &txt.strings, sink);
            }
            check_placement(
                text,
                entry,
                &owner_name,
                txt.intended.as_ref().unwrap_or(&txt.strings),
                sink,
            );
        }
        (RData::Txt(txt.strings), txt.intended, txt.runs)
    } else {
        let Some(rdata) = read_other(entry, code, data_tokens, state, sink) else {
            return;
        };
        let generic = data_tokens.first().is_some_and(|t| !t.quoted && t.bytes == b"\\#");
        if !generic {
            for &field in rdata::name_fields(code) {
                if let Some(token) = data_tokens.get(field) {
                    check_final_dot(text, entry, token, &token.text(), state, sink);
                }
            }
        }
        (rdata, None, Vec::new())
    };
    records.push(ZoneRecord {
        owner: owner_name,
        ttl,
        rtype: ZoneType::from_code(code),
        rdata,
        line: entry.line,
        span,
        intended,
        runs,
    });
}

/// The owner name of an entry, absolute, or `None` (reported) when it is not a valid name.
fn read_owner(
    text: &str,
    entry: &RawEntry,
    token: &Token,
    word: &str,
    state: &State,
    sink: &mut Sink,
) -> Option<String> {
    let full = absolute(word, &state.origin, state.bind);
    if let Err(why) = rdata::check_name(full.as_bytes()) {
        sink.push(bad_entry(
            entry,
            token.span,
            &format!("bad owner name `{word}`: {why}"),
            &name_help(text, token, word, why),
        ));
        return None;
    }
    check_final_dot(text, entry, token, word, state, sink);
    Some(full)
}

/// The help for a name that is not valid: for empty labels, the name without them.
fn name_help(text: &str, token: &Token, word: &str, why: &str) -> String {
    match why {
        rdata::EMPTY_LABEL => {}
        rdata::LONG_LABEL => return "shorten the label to at most 63 bytes".to_string(),
        rdata::LONG_NAME => return "shorten the name to at most 255 bytes".to_string(),
        _ => return "write the name as labels separated by dots, e.g. `host.example.com.`".to_string(),
    }
    let labels: Vec<&str> = word.split('.').filter(|label| !label.is_empty()).collect();
    let mut fixed = labels.join(".");
    if word.ends_with('.') {
        fixed.push('.');
    }
    with_line("remove the extra dot", line_with(text, token.span, &fixed), &fixed)
}

/// Under a `$ORIGIN` of the text, a name without a final dot that ends with the origin's own
/// name was almost surely meant as a full name, but BIND appends the origin to it.
fn check_final_dot(text: &str, entry: &RawEntry, token: &Token, word: &str, state: &State, sink: &mut Sink) {
    if !state.bind || token.quoted || word == "@" || ends_with_dot(word) || !ends_with_origin(word, &state.origin) {
        return;
    }
    sink.push(Diagnostic::new(
        &ZONE_NAME_WITHOUT_FINAL_DOT,
        token.span,
        format!(
            "line {}: `{word}` has no final dot, so BIND reads it as `{word}.{}.`",
            entry.line, state.origin
        ),
        with_line(
            "add the final dot",
            line_with(text, token.span, &format!("{word}.")),
            &format!("{word}."),
        ),
    ));
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

fn read_directive(text: &str, entry: &RawEntry, word: &str, state: &mut State, sink: &mut Sink) {
    let span = entry.span();
    match word.to_ascii_uppercase().as_str() {
        "$ORIGIN" => match entry.tokens.get(1) {
            Some(token) if !token.bytes.is_empty() => {
                let name = token.text();
                let full = if ends_with_dot(&name) || name == "@" {
                    absolute(&name, &state.origin, true)
                } else if state.bind || (!state.origin.is_empty() && !ends_with_origin(&name, &state.origin)) {
                    // Relative to the origin in force, as BIND reads it (a default origin is
                    // the zone's name).
                    check_final_dot(text, entry, token, &name, state, sink);
                    absolute(&name, &state.origin, true)
                } else {
                    // The first `$ORIGIN`, written as a full name without its dot: BIND appends
                    // the zone's name, which the text does not give; read as meant.
                    sink.push(Diagnostic::new(
                        &ZONE_NAME_WITHOUT_FINAL_DOT,
                        token.span,
                        format!(
                            "line {}: `$ORIGIN {name}` has no final dot, so BIND appends the zone's name to it",
                            entry.line
                        ),
                        with_line(
                            "add the final dot",
                            line_with(text, token.span, &format!("{name}.")),
                            &format!("$ORIGIN {name}."),
                        ),
                    ));
                    format!("{name}.")
                };
                if let Err(why) = rdata::check_name(full.as_bytes()) {
                    sink.push(bad_entry(
                        entry,
                        token.span,
                        &format!("bad $ORIGIN name `{name}`: {why}"),
                        &name_help(text, token, &name, why),
                    ));
                    return;
                }
                state.origin = normalize_name(&unescape_name(&full));
                state.origin_set = true;
                state.bind = true;
            }
            _ => sink.push(bad_entry(
                entry,
                span,
                "$ORIGIN without a name",
                "write `$ORIGIN example.com.`",
            )),
        },
        "$TTL" => match entry.tokens.get(1).map(Token::text).as_deref().and_then(parse_ttl) {
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

/// The data of a TXT (or SPF) record.
struct TxtData {
    /// The character-strings a name server publishes.
    strings: Vec<Vec<u8>>,
    /// The strings meant, when a diagnostic said they differ.
    intended: Option<Vec<Vec<u8>>>,
    runs: Vec<TextRun>,
}

/// `bytes` as quoted strings of at most 255 bytes each, with `"` and `\` escaped.
fn quoted(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(MAX_CHARACTER_STRING).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push('"');
        out.push_str(
            &String::from_utf8_lossy(chunk)
                .replace('\\', "\\\\")
                .replace('"', "\\\""),
        );
        out.push('"');
    }
    if bytes.is_empty() {
        out.push_str("\"\"");
    }
    out
}

/// Text for a message: at most 60 bytes of `bytes`, cut with `…`.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.into_owned(),
    }
}

/// The character-strings of a TXT (or SPF) record.
fn read_txt(text: &str, entry: &RawEntry, tokens: &[Token], sink: &mut Sink) -> Option<TxtData> {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        sink.push(bad_entry(
            entry,
            entry.span(),
            "TXT record without data",
            "add the value in quotes",
        ));
        return None;
    };
    // What a name server publishes: each token is one character-string (RFC 1035 §5.1).
    let published: Vec<Vec<u8>> = tokens
        .iter()
        .map(|token| {
            if token.quoted {
                token.bytes.clone()
            } else {
                unescape_name(&token.text()).into_bytes()
            }
        })
        .collect();
    let unquoted = tokens.iter().all(|t| !t.quoted);
    let mut intended = None;
    if let Some(comment) = cutting_comment(text, entry, last, unquoted, is_tag_list(&published.concat())) {
        // Outside quotes, `;` starts a comment: the rest of the line was meant as the value.
        let rest = text.get(comment.start..comment.end).unwrap_or_default().trim_end();
        let (from, mut value) = if unquoted {
            (first.span.start, words(text, tokens).into_bytes())
        } else {
            (last.span.start, published.last().cloned().unwrap_or_default())
        };
        value.extend_from_slice(rest.as_bytes());
        let replacement = quoted(&value);
        sink.push(Diagnostic::new(
            &ZONE_TXT_CUT_BY_COMMENT,
            comment,
            format!(
                "line {}: `;` starts a comment here, so the txt value ends at `{}`",
                entry.line,
                shown(&published.concat())
            ),
            with_line(
                "put the whole value in quotes",
                line_with(text, Span::new(from, comment.end), &replacement),
                &replacement,
            ),
        ));
        intended = Some(if unquoted {
            vec![value]
        } else {
            let mut strings = published.clone();
            if let Some(last) = strings.last_mut() {
                *last = value;
            }
            strings
        });
    } else if tokens.len() > 1 && unquoted {
        // A provider form pasted without quotes: the rest of the line was meant as one value.
        let span = first.span.cover(last.span);
        let value = words(text, tokens).into_bytes();
        let replacement = quoted(&value);
        sink.push(Diagnostic::new(
            &ZONE_TXT_UNQUOTED,
            span,
            format!(
                "line {}: txt value with spaces is not quoted, so it is published as `{}`",
                entry.line,
                shown(&published.concat())
            ),
            with_line("quote it", line_with(text, span, &replacement), &replacement),
        ));
        intended = Some(vec![value]);
    }
    let mut strings = Vec::new();
    let mut runs = Vec::new();
    let mut at = 0;
    for (bytes, token) in published.into_iter().zip(tokens) {
        // Written without escapes, the string's bytes are the text's.
        let plain = text
            .get(token.span.start..token.span.end)
            .is_some_and(|written| !written.contains('\\'));
        let from = token.span.start + usize::from(token.quoted);
        if bytes.len() > MAX_CHARACTER_STRING {
            sink.push(Diagnostic::new(
                &ZONE_TXT_STRING_TOO_LONG,
                token.span,
                format!(
                    "line {}: txt string is {} bytes, over the 255-byte limit",
                    entry.line,
                    bytes.len()
                ),
                format!("split it into strings of at most 255 bytes: {}", quoted(&bytes)),
            ));
        }
        // Providers split long values into 255-byte strings; read it the way it is published.
        for (i, chunk) in bytes.chunks(MAX_CHARACTER_STRING).enumerate() {
            if plain {
                runs.push(TextRun {
                    at,
                    from: from + i * MAX_CHARACTER_STRING,
                    len: chunk.len(),
                });
            }
            at += chunk.len();
            strings.push(chunk.to_vec());
        }
        if bytes.is_empty() {
            if plain {
                runs.push(TextRun { at, from, len: 0 });
            }
            strings.push(bytes);
        }
    }
    // Long meant values are published split, too.
    let intended = intended.map(|meant: Vec<Vec<u8>>| {
        let mut split = Vec::new();
        for string in meant {
            if string.len() <= MAX_CHARACTER_STRING {
                split.push(string);
            } else {
                split.extend(string.chunks(MAX_CHARACTER_STRING).map(<[u8]>::to_vec));
            }
        }
        split
    });
    Some(TxtData {
        strings,
        intended,
        runs,
    })
}

/// Unquoted words as one value: the text as written from the first to the last, or, where
/// that crosses a line or parentheses, the words joined by spaces; escapes decoded.
fn words(text: &str, tokens: &[Token]) -> String {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return String::new();
    };
    let raw = text.get(first.span.start..last.span.end).unwrap_or_default();
    let value = if raw.contains(['\n', '(', ')', ';']) {
        tokens.iter().map(Token::text).collect::<Vec<_>>().join(" ")
    } else {
        raw.to_string()
    };
    unescape_name(&value)
}

/// The comment that cut a TXT value short: it follows the last string on its line, and either
/// reads as the next tag of a tag list (`v=DMARC1; p=reject`) or touches an unquoted value
/// (`v=spf1;-all`). Other comments, such as `; note=x` after an SPF record, are comments.
fn cutting_comment(text: &str, entry: &RawEntry, last: &Token, unquoted: bool, tag_list: bool) -> Option<Span> {
    let comment = *entry.comments.iter().find(|c| c.start >= last.span.end)?;
    let between = text.get(last.span.end..comment.start)?;
    if !between.bytes().all(|b| b == b' ' || b == b'\t') || !last.closed {
        return None;
    }
    let rest = text.get(comment.start + 1..comment.end)?.trim();
    if rest.is_empty() {
        return None;
    }
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        .count();
    let tag_like = name_len > 0
        && rest
            .get(name_len..)
            .is_some_and(|after| after.trim_start().starts_with('='));
    ((tag_list && tag_like) || (unquoted && between.is_empty())).then_some(comment)
}

/// True when a TXT value is a `;`-separated tag list: it starts with a version tag other than
/// SPF's (`v=DMARC1`, `v=DKIM1`, `v=STSv1`, ...), or is a DKIM key without one.
fn is_tag_list(value: &[u8]) -> bool {
    let head = head(value);
    (head.starts_with(b"v=") && !head.starts_with(b"v=spf")) || is_dkim_key(value)
}

/// The data of any type other than TXT and SPF.
fn read_other(entry: &RawEntry, code: u16, tokens: &[Token], state: &State, sink: &mut Sink) -> Option<RData> {
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
    match rdata::read(code, &fields, &state.origin, state.bind) {
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

/// The first 16 bytes of a TXT value that are not white space, lowercase: enough to tell a
/// version tag (`v = DMARC1` reads as `v=dmarc1`).
fn head(value: &[u8]) -> Vec<u8> {
    let mut head = Vec::with_capacity(16);
    for &byte in value {
        if head.len() == 16 {
            break;
        }
        if !byte.is_ascii_whitespace() {
            head.push(byte.to_ascii_lowercase());
        }
    }
    head
}

/// True when a TXT value is a DMARC record: it starts with `v=DMARC1`.
fn is_dmarc(value: &[u8]) -> bool {
    head(value).starts_with(b"v=dmarc1")
}

/// True when a TXT value is a DKIM key record: it starts with `v=DKIM1`, or with `k=` and has a
/// `p=` tag.
fn is_dkim_key(value: &[u8]) -> bool {
    let head = head(value);
    head.starts_with(b"v=dkim1") || head.starts_with(b"k=") && value.windows(2).any(|w| w.eq_ignore_ascii_case(b"p="))
}

/// True when a TXT record at a `_dmarc` name is meant as DMARC: it starts with a version tag
/// (`v=DMARC1`, a typo of it, or an SPF record put there by mistake), names DMARC near its
/// start, or starts with a DMARC tag (`p=reject` without `v=`). Other TXT records there, such
/// as domain verifications, are unrelated and not DMARC's business.
pub(crate) fn reads_as_dmarc(value: &str) -> bool {
    const TAGS: [&[u8]; 13] = [
        b"p", b"sp", b"np", b"rua", b"ruf", b"adkim", b"aspf", b"pct", b"fo", b"rf", b"ri", b"psd", b"t",
    ];
    let head = head(value.as_bytes());
    if head.starts_with(b"v=") || head.windows(5).any(|w| w == b"dmarc") {
        return true;
    }
    let name_len = head.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    head.get(name_len) == Some(&b'=') && head.get(..name_len).is_some_and(|name| TAGS.contains(&name))
}

/// The labels of an owner name (lowercase, no trailing dot).
fn labels(owner: &str) -> impl Iterator<Item = &str> {
    owner.split('.')
}

/// A DMARC record must sit at a `_dmarc` name and a DKIM key at `<selector>._domainkey`:
/// elsewhere receivers never read them.
fn check_placement(text: &str, entry: &RawEntry, owner: &str, strings: &[Vec<u8>], sink: &mut Sink) {
    let value = strings.concat();
    let owner_token = entry.tokens.first().filter(|_| !entry.indented);
    // The corrected line: the entry with another owner.
    let moved = |name: &str| -> String {
        let fixed = match owner_token {
            Some(token) => line_with(text, token.span, name),
            None => entry
                .tokens
                .first()
                .and_then(|token| line_with(text, Span::point(token.span.start), &format!("{name} ")))
                .map(|line| line.trim_start().to_string()),
        };
        fixed.unwrap_or_else(|| name.to_string())
    };
    if is_dmarc(&value) && !labels(owner).any(|label| label == "_dmarc") {
        let domain = owner.strip_prefix("dmarc.").unwrap_or(owner);
        let name = format!("_dmarc.{domain}.");
        sink.push(Diagnostic::new(
            &ZONE_DMARC_OUTSIDE_DMARC_NAME,
            entry.span(),
            format!(
                "line {}: dmarc record at {}, where receivers do not look for it",
                entry.line,
                display_owner(owner)
            ),
            format!("publish it at `{name}`: `{}`", moved(&name)),
        ));
    } else if is_dkim_key(&value) {
        // A selector may have several labels (`s=a.b`), but at least one.
        let under_domainkey = labels(owner)
            .position(|label| label == "_domainkey")
            .is_some_and(|at| at > 0);
        if !under_domainkey {
            // The domain is what follows `_domainkey`, or the whole owner without it. (Labels
            // rather than a substring search, which would bring its searcher into the module.)
            let parts: Vec<&str> = labels(owner).collect();
            let after = parts
                .iter()
                .position(|label| *label == "_domainkey")
                .map_or(0, |at| at + 1);
            let domain = parts.get(after..).unwrap_or_default().join(".");
            let name = format!("selector1._domainkey.{domain}.");
            sink.push(Diagnostic::new(
                &ZONE_DKIM_KEY_OUTSIDE_DOMAINKEY,
                entry.span(),
                format!(
                    "line {}: dkim key at {}, not at a `<selector>._domainkey` name",
                    entry.line,
                    display_owner(owner)
                ),
                format!(
                    "publish it at `<selector>._domainkey.{domain}.` with the selector your mail service signs with, e.g. `{}`",
                    moved(&name)
                ),
            ));
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

/// The bytes of a record's data, equal exactly when the data of two records of one type are.
fn data_key(rdata: &RData) -> Vec<u8> {
    fn counted(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    let mut out = Vec::new();
    match rdata {
        RData::A(address) => out.extend_from_slice(&address.octets()),
        RData::Aaaa(address) => out.extend_from_slice(&address.octets()),
        RData::Mx { preference, exchange } => {
            out.extend_from_slice(&preference.to_be_bytes());
            out.extend_from_slice(exchange.as_bytes());
        }
        RData::Txt(strings) => {
            for string in strings {
                counted(&mut out, string);
            }
        }
        RData::Cname(name) | RData::Ptr(name) | RData::Ns(name) => out.extend_from_slice(name.as_bytes()),
        RData::Soa { mname, rname, serial } => {
            counted(&mut out, mname.as_bytes());
            counted(&mut out, rname.as_bytes());
            out.extend_from_slice(&serial.to_be_bytes());
        }
        RData::Other { rtype, data } => {
            out.extend_from_slice(&rtype.to_be_bytes());
            out.extend_from_slice(data);
        }
    }
    out
}

/// The duplicate (ZONE009) or TTL (ZONE008) diagnostic of each record, by record index.
///
/// The records are sorted once by name, type and data (a stable sort, so equal ones stay in
/// text order): an RRset is then a run of the order, and the copies of one record are
/// neighbours in it. Comparing each record with every earlier one of its set, as this once did,
/// was quadratic in the size of a set.
fn rrset_diagnostics(records: &[ZoneRecord]) -> Vec<Option<Diagnostic>> {
    let keys: Vec<(&str, u16, Vec<u8>)> = records
        .iter()
        .map(|r| (r.owner.as_str(), r.rtype.code(), data_key(&r.rdata)))
        .collect();
    let order = sort_positions(records.len(), &|a, b| keys.get(a) <= keys.get(b));
    let same_set = |a: usize, b: usize| match (keys.get(a), keys.get(b)) {
        (Some(x), Some(y)) => x.0 == y.0 && x.1 == y.1,
        _ => false,
    };
    let mut found: Vec<Option<Diagnostic>> = vec![None; records.len()];
    let mut start = 0;
    while start < order.len() {
        let head = order.get(start).copied().unwrap_or_default();
        let len = order
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&i| same_set(head, i))
            .count()
            .max(1);
        let set = order.get(start..start + len).unwrap_or_default();
        start += len;
        // The set's first record in the text, and the first whose TTL differs from it: the
        // first earlier record with another TTL is one of the two.
        let Some(first) = set.iter().copied().min() else {
            continue;
        };
        let first_ttl = records.get(first).map_or(0, |r| r.ttl);
        let differing = set
            .iter()
            .copied()
            .filter(|&i| records.get(i).is_some_and(|r| r.ttl != first_ttl))
            .min();
        let mut copies_of = None;
        for (n, &index) in set.iter().enumerate() {
            let Some(record) = records.get(index) else { continue };
            let previous = n.checked_sub(1).and_then(|p| set.get(p)).copied();
            let copy = previous.is_some_and(|p| keys.get(p).map(|k| &k.2) == keys.get(index).map(|k| &k.2));
            if !copy {
                copies_of = Some(index);
            }
            let diagnostic = if let (true, Some(original)) = (copy, copies_of.and_then(|i| records.get(i))) {
                Diagnostic::new(
                    &ZONE_DUPLICATE_RECORD,
                    record.span,
                    format!(
                        "line {}: duplicate of the record on line {}",
                        record.line, original.line
                    ),
                    "remove one of the two",
                )
                .with_related(original.span, RelatedLabel::FirstOne)
            } else {
                let other = if record.ttl != first_ttl {
                    Some(first)
                } else {
                    differing.filter(|&d| d < index)
                };
                let Some(other) = other.and_then(|i| records.get(i)) else {
                    continue;
                };
                Diagnostic::new(
                    &ZONE_TTL_MISMATCH,
                    record.span,
                    format!(
                        "line {}: ttl {} differs from ttl {} on line {} in the same rrset",
                        record.line, record.ttl, other.ttl, other.line
                    ),
                    format!("use the same ttl for every record of the set, e.g. {}", other.ttl),
                )
                .with_related(other.span, RelatedLabel::OtherRecord)
            };
            if let Some(slot) = found.get_mut(index) {
                *slot = Some(diagnostic);
            }
        }
    }
    found
}

/// Checks across records: CNAME beside other data, RRset TTLs, duplicates, several SPF or
/// DMARC records at one name. Linear in the records, apart from two sorts.
fn check_zone(records: &[ZoneRecord], sink: &mut Sink) {
    let mut rrsets = rrset_diagnostics(records);
    // RRSIG and NSEC may sit beside a CNAME (RFC 4035 §2.5).
    const DNSSEC_TYPES: [u16; 3] = [46, 47, 50];
    let owners: Vec<&str> = records.iter().map(|record| record.owner.as_str()).collect();
    let order = sorted_positions(&owners);
    let mut start = 0;
    while start < order.len() {
        let owner = order
            .get(start)
            .and_then(|&i| owners.get(i))
            .copied()
            .unwrap_or_default();
        let group: Vec<usize> = order
            .get(start..)
            .unwrap_or_default()
            .iter()
            .copied()
            .take_while(|&i| owners.get(i) == Some(&owner))
            .collect();
        start += group.len().max(1);
        let group: Vec<(usize, &ZoneRecord)> = group.iter().filter_map(|&i| Some((i, records.get(i)?))).collect();
        let is_cname = |r: &ZoneRecord| r.rtype == ZoneType::Known(RecordType::Cname);
        if let Some((_, first_cname)) = group.iter().find(|(_, r)| is_cname(r)) {
            for (_, other) in group
                .iter()
                .filter(|(_, r)| !is_cname(r) && !DNSSEC_TYPES.contains(&r.rtype.code()))
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
            for (_, extra) in group.iter().filter(|(_, r)| is_cname(r)).skip(1) {
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
        check_several(owner, &group, &rrsets, sink);
        for (index, _) in &group {
            if let Some(diagnostic) = rrsets.get_mut(*index).and_then(Option::take) {
                sink.push(diagnostic);
            }
        }
    }
}

/// Several SPF records at one name are a permerror (RFC 7208 §4.5), several DMARC records at
/// a `_dmarc` name leave no policy (RFC 9989 §4.7): each after the first is an error, pointing
/// at the first. Only TXT records count, as the value meant. A copy of the first is a duplicate
/// (ZONE009) instead, which DNS drops.
fn check_several(owner: &str, group: &[(usize, &ZoneRecord)], rrsets: &[Option<Diagnostic>], sink: &mut Sink) {
    let at_dmarc = labels(owner).next() == Some("_dmarc");
    let mut first_spf: Option<&ZoneRecord> = None;
    let mut first_dmarc: Option<&ZoneRecord> = None;
    for (index, record) in group {
        let RData::Txt(published) = &record.rdata else { continue };
        if record.rtype != ZoneType::Known(RecordType::Txt) {
            continue;
        }
        let is_copy = rrsets
            .get(*index)
            .is_some_and(|d| d.as_ref().is_some_and(|d| d.code == ZONE_DUPLICATE_RECORD.code));
        let value = record.intended.as_ref().unwrap_or(published).concat();
        if crate::parse::spf::is_spf_bytes(&value) {
            match first_spf {
                None => first_spf = Some(record),
                Some(_) if is_copy => {}
                Some(first) => sink.push(
                    Diagnostic::new(
                        &crate::check::rules::SPF_MULTIPLE,
                        record.span,
                        format!(
                            "line {}: {} has more than one spf record, which is a permerror",
                            record.line,
                            display_owner(owner)
                        ),
                        "merge them into one `v=spf1` record with the mechanisms of both and one `all` at the end, and remove the other",
                    )
                    .with_related(first.span, RelatedLabel::FirstOne),
                ),
            }
        } else if at_dmarc && is_dmarc(&value) {
            match first_dmarc {
                None => first_dmarc = Some(record),
                Some(_) if is_copy => {}
                Some(first) => sink.push(
                    Diagnostic::new(
                        &crate::check::rules::DMARC_MULTIPLE,
                        record.span,
                        format!(
                            "line {}: {} has more than one dmarc record, so no policy applies",
                            record.line,
                            display_owner(owner)
                        ),
                        "keep one `v=DMARC1` record at the name and remove the other",
                    )
                    .with_related(first.span, RelatedLabel::FirstOne),
                ),
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
