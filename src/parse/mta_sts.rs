//! MTA-STS (RFC 8461): the TXT record at `_mta-sts.<domain>` (§3.1) and the policy file served at
//! `https://mta-sts.<domain>/.well-known/mta-sts.txt` (§3.2).
//!
//! ```text
//! sts-text-record = %s"v=STSv1" 1*( ";" tag ) [";"]
//! sts-id          = %s"id=" 1*32( ALPHA / DIGIT )
//!
//! sts-policy      = field *( CRLF field ) [CRLF]     ; LF alone is accepted too
//! field           = key ":" *WSP value              ; no whitespace before the key or the colon
//! version: STSv1 | mode: enforce|testing|none | max_age: 0..31557600 | mx: pattern (repeatable)
//! ```
//!
//! The keys are `%s` strings, so case-sensitive: `Mode:` is not `mode:`.

use serde::Serialize;

use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, RelatedLabel, Severity, Sink, Span};
use crate::parse::tags::{self, Kind};

/// A parsed MTA-STS TXT record.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StsRecord {
    /// `v=STSv1` is present, first, and exact.
    pub version_ok: bool,
    /// The policy `id`, when present and valid.
    pub id: Option<String>,
}

/// The policy mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Enforce,
    Testing,
    None,
}

/// One `mx:` line of a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MxPattern {
    pub pattern: String,
    /// `*.` as the leftmost label.
    pub wildcard: bool,
    pub span: Span,
}

/// A parsed MTA-STS policy file. Missing or malformed fields are `None`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StsPolicy {
    /// `version: STSv1` is present.
    pub version_ok: bool,
    pub mode: Option<Mode>,
    /// `max_age` in seconds.
    pub max_age: Option<u32>,
    /// Valid `mx` patterns.
    pub mx: Vec<MxPattern>,
}

tags::tag_rules! {
    category: Category::MtaSts, area: Area::TransportSecurity, weight: 20, label: "MTA-STS",
    version: "v=STSv1", bad_version: "v=STSV1",
    tag: ("id", "20240115T120000"), extra: "",
    upper: ("v=STSv1; id=20240115T120000; ID=20240115T120000", "v=STSv1; id=20240115T120000"),
    misspelt: ("", ""),
    unknown: "note=example", refs: "RFC 8461 §3.1";
    EMPTY_RECORD = "STS001", "StsEmptyRecord", empty_record;
    EMPTY_TAG = "STS002", "StsEmptyTag", empty_tag;
    MALFORMED_TAG = "STS003", "StsMalformedTag", malformed_tag;
    WRONG_SEPARATOR = "STS004", "StsWrongSeparator", wrong_separator;
    DUPLICATE_TAG = "STS005", "StsDuplicateTag", duplicate_tag;
    UPPERCASE_TAG = "STS006", "StsUppercaseTag", uppercase_tag;
    NON_ASCII = "STS007", "StsNonAscii", non_ascii;
    TOO_MANY_PROBLEMS = "STS008", "StsTooManyProblems", too_many;
    UNKNOWN_TAG = "STS009", "StsUnknownTag", unknown_tag;
    ZONE_QUOTES = "STS010", "StsZoneFileQuotes", zone_quotes;
    VERSION_MISSING = "STS011", "StsVersionMissing", version_missing;
    VERSION_NOT_FIRST = "STS012", "StsVersionNotFirst", version_not_first;
    VERSION_INVALID = "STS013", "StsVersionInvalid", version_invalid;
    OTHER_KIND = "STS014", "StsOtherRecordKind", other_kind;
}

const fn sts_rule(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    weight: u8,
    text: [&'static str; 5],
) -> Rule {
    Rule {
        code,
        name,
        category: Category::MtaSts,
        severity,
        area: if weight == 0 {
            Area::None
        } else {
            Area::TransportSecurity
        },
        weight,
        checks: text[0],
        why: text[1],
        problematic: text[2],
        corrected: text[3],
        references: text[4],
    }
    .for_target()
}

pub const ID_MISSING: Rule = sts_rule("STS020", "StsIdMissing", Severity::Error, 20, [
    "An MTA-STS TXT record with no `id=` tag.",
    "`id` is required. Senders compare it with the id they cached to decide whether to fetch the policy again; without it the record is invalid and the policy is never fetched.",
    "v=STSv1",
    "v=STSv1; id=20240115T120000",
    "RFC 8461 §3.1",
]);

pub const ID_INVALID: Rule = sts_rule("STS021", "StsIdInvalid", Severity::Error, 20, [
    "An `id=` value that is empty, longer than 32 characters, or holds characters other than letters and digits.",
    "Senders treat a record with a malformed id as invalid, so the policy is not applied. Dashes, dots and colons from copied timestamps are the usual cause.",
    "v=STSv1; id=2024-01-15T12:00:00Z",
    "v=STSv1; id=20240115T120000Z",
    "RFC 8461 §3.1",
]);

pub const POLICY_EMPTY: Rule = sts_rule(
    "STS030",
    "StsPolicyEmpty",
    Severity::Error,
    20,
    [
        "An MTA-STS policy file that is empty.",
        "An empty policy has no version, mode or max_age, so senders treat the domain as having no MTA-STS policy.",
        "(an empty response body at /.well-known/mta-sts.txt)",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "RFC 8461 §3.2",
    ],
);

pub const POLICY_LINE_SYNTAX: Rule = sts_rule("STS031", "StsPolicyLineSyntax", Severity::Error, 10, [
    "A policy line that is not `key: value`: no colon, `=` instead of `:`, an empty key, or whitespace before the key or the colon. A known key written so is still read, so the line gives only this diagnostic.",
    "Senders cannot read the line; when it held `mode`, `mx` or `max_age` the policy is invalid or weaker than intended.",
    "version: STSv1\nmode enforce\nmx: mail.example.com\nmax_age: 604800",
    "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
    "RFC 8461 §3.2",
]);

pub const POLICY_VERSION: Rule = sts_rule(
    "STS032",
    "StsPolicyVersion",
    Severity::Error,
    20,
    [
        "A policy file without `version: STSv1`, or with another version value. Keys are case-sensitive, so a `Version:` line does not count; it is reported here at that line, as is a misspelt key.",
        "The version field is required; a policy without it is not an MTA-STS policy and senders ignore it.",
        "mode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "RFC 8461 §3.2",
    ],
);

pub const POLICY_MODE: Rule = sts_rule(
    "STS033",
    "StsPolicyMode",
    Severity::Error,
    20,
    [
        "A policy file whose `mode` is missing or not `enforce`, `testing` or `none` (case-sensitive). A `Mode:` line or a misspelt key is reported here at that line.",
        "Without a valid mode the policy is invalid and senders do not apply it.",
        "version: STSv1\nmode: enforced\nmx: mail.example.com\nmax_age: 604800",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "RFC 8461 §3.2, §5",
    ],
);

pub const POLICY_MAX_AGE: Rule = sts_rule(
    "STS034",
    "StsPolicyMaxAge",
    Severity::Error,
    20,
    [
        "A policy file whose `max_age` is missing, not a plain number of seconds, or above 31557600 (one year). A `Max_age:` line or a misspelt key (`maxage:`) is reported here at that line.",
        "`max_age` is required and bounded; an invalid value makes the whole policy invalid.",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 1w",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "RFC 8461 §3.2",
    ],
);

pub const POLICY_MAX_AGE_SHORT: Rule = sts_rule("STS035", "StsPolicyMaxAgeShort", Severity::Warning, 5, [
    "A `max_age` below 86400 seconds (one day).",
    "MTA-STS protects against downgrade attacks only while senders hold a cached policy. A short max_age lets the cache expire quickly, opening a window for an attacker; RFC 8461 recommends weeks.",
    "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 3600",
    "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 1209600",
    "RFC 8461 §3.2, §10",
]);

pub const POLICY_MX_MISSING: Rule = sts_rule(
    "STS036",
    "StsPolicyMxMissing",
    Severity::Error,
    20,
    [
        "A policy in mode `enforce` or `testing` with no `mx` line. An `MX:` line or a misspelt key is reported here at that line.",
        "With no mx pattern no MX host can match, so in enforce mode senders refuse to deliver any mail to the domain.",
        "version: STSv1\nmode: enforce\nmax_age: 604800",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "RFC 8461 §3.2, §4.1",
    ],
);

pub const POLICY_MX_INVALID: Rule = sts_rule("STS037", "StsPolicyMxInvalid", Severity::Error, 10, [
    "An `mx` pattern that is not a host name (an IP address included), or has a `*` anywhere except as the whole leftmost label (`*.example.com`).",
    "A pattern that cannot match the MX hosts makes senders in enforce mode refuse delivery to those hosts.",
    "version: STSv1\nmode: enforce\nmx: mail*.example.com\nmax_age: 604800",
    "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800",
    "RFC 8461 §3.2, §4.1",
]);

pub const POLICY_DUPLICATE_KEY: Rule = sts_rule("STS038", "StsPolicyDuplicateKey", Severity::Error, 10, [
    "A policy key other than `mx` that appears more than once. Both places are shown.",
    "Only `mx` may repeat. With two modes or two max_age values senders pick one, and which one depends on the implementation.",
    "version: STSv1\nmode: testing\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
    "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
    "RFC 8461 §3.2",
]);

pub const POLICY_UNKNOWN_KEY: Rule = sts_rule(
    "STS039",
    "StsPolicyUnknownKey",
    Severity::Info,
    0,
    [
        "A policy key RFC 8461 does not define that is not a likely misspelling of a known key (those are STS040, or the missing key's own rule).",
        "Senders ignore unknown keys, so it does no harm by itself; it may be an extension, or a leftover.",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\nnote: example",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "RFC 8461 §3.2",
    ],
);

pub const POLICY_KEY_MISSPELT: Rule = sts_rule("STS040", "StsPolicyKeyMisspelt", Severity::Warning, 3, [
    "A policy key that is a likely misspelling of a known key the policy does not have and does not require (an `mx` line in a policy of mode `none`), or a known key in upper case (`MX:`) where the policy does not require it. Misspelt required keys are reported as that key missing.",
    "Senders ignore the line as an unknown key, so the field it was meant to set is missing.",
    "version: STSv1\nmode: none\nmxx: mail.example.com\nmax_age: 86400",
    "version: STSv1\nmode: none\nmx: mail.example.com\nmax_age: 86400",
    "RFC 8461 §3.2",
]);

pub const POLICY_IS_TXT_RECORD: Rule = sts_rule("STS041", "StsPolicyIsTxtRecord", Severity::Error, 20, [
    "Policy file text that is a DNS TXT record (it starts with `v=`, as the MTA-STS record `v=STSv1; id=...` or an SPF or DMARC record does). Only this one diagnostic is given.",
    "The policy file is served over HTTPS and holds `key: value` lines; a TXT record there is no policy, so senders find none and MTA-STS does not apply.",
    "v=STSv1; id=20240115T120000",
    "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
    "RFC 8461 §3.1, §3.2",
]);

/// This kind's own rules; the shared tag-list rules are in `TAG_RULES` (from `tag_rules!`).
pub static RULES: &[&Rule] = &[
    &ID_MISSING,
    &ID_INVALID,
    &POLICY_EMPTY,
    &POLICY_LINE_SYNTAX,
    &POLICY_VERSION,
    &POLICY_MODE,
    &POLICY_MAX_AGE,
    &POLICY_MAX_AGE_SHORT,
    &POLICY_MX_MISSING,
    &POLICY_MX_INVALID,
    &POLICY_DUPLICATE_KEY,
    &POLICY_UNKNOWN_KEY,
    &POLICY_KEY_MISSPELT,
    &POLICY_IS_TXT_RECORD,
];

pub static KIND: Kind = Kind {
    label: "MTA-STS",
    version: "STSv1",
    version_required: true,
    tags: &["v", "id"],
    case_sensitive: true,
    required: &[tags::Required {
        tag: "id",
        rule: &ID_MISSING,
        hint: "id= followed by 1 to 32 letters or digits, e.g. id=20240115T120000",
    }],
    uri_lists: &[],
    accepts,
    aliases: &[],
    // Both tags are required, so a misspelling is always reported as the tag missing.
    rules: tags::lex_rules!(misspelt: None),
};

/// Whether `value` fits the TXT record's tag `tag`, for typo suggestions.
fn accepts(tag: &str, value: &str) -> bool {
    tag == "id" && valid_id(value)
}

/// An `id` value: 1 to 32 letters and digits.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|c| c.is_ascii_alphanumeric())
}

/// Parses the MTA-STS TXT record (the value at `_mta-sts.<domain>`).
pub fn parse(text: &str) -> Parsed<StsRecord> {
    let mut sink = Sink::default();
    let list = tags::lex(text, &KIND, &mut sink);
    let mut value = StsRecord::default();
    if list.empty || list.other_kind {
        return Parsed {
            value,
            diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
        };
    }
    value.version_ok = list.tags.first().is_some_and(|t| t.key == "v" && t.value == "STSv1");
    for tag in list.unique() {
        match tag.key.as_str() {
            "v" => {}
            "id" => {
                let id = tag.value.as_str();
                if valid_id(id) {
                    value.id = Some(id.to_string());
                } else {
                    let cleaned: String = id.chars().filter(char::is_ascii_alphanumeric).take(32).collect();
                    let message = if id.is_empty() {
                        "id is empty".to_string()
                    } else if id.len() > 32 {
                        format!("id is {} characters; at most 32 are allowed", id.len())
                    } else {
                        format!("id `{id}` may hold only letters and digits")
                    };
                    let help = if cleaned.is_empty() {
                        "write id= followed by 1 to 32 letters or digits, e.g. a timestamp 20240115T120000".to_string()
                    } else {
                        format!("write id={cleaned}")
                    };
                    let span = if tag.value_span.is_empty() {
                        tag.span
                    } else {
                        tag.value_span
                    };
                    sink.push(Diagnostic::new(&ID_INVALID, span, message, help));
                }
            }
            // Unknown extension tags are allowed by RFC 8461 §3.1 and ignored; the lexer reported
            // them (or the misspelt `id` they stand for).
            _ => {}
        }
    }
    if value.version_ok && list.missing("id") {
        sink.push(Diagnostic::new(
            &ID_MISSING,
            Span::new(0, text.len()),
            "no id= tag",
            "add id= with a new value each time the policy changes, e.g. v=STSv1; id=20240115T120000",
        ));
    }
    Parsed {
        value,
        diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
    }
}

/// A host-name pattern of an `mx` line: labels of letters, digits and `-`, with an optional `*.`
/// as the leftmost label.
fn valid_mx_pattern(pattern: &str) -> bool {
    tags::valid_host_name(pattern.strip_prefix("*.").unwrap_or(pattern))
}

/// An IPv4 or IPv6 address, bracketed or not: a place, not the host name a pattern matches.
fn is_ip_address(text: &str) -> bool {
    let text = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text);
    text.parse::<std::net::IpAddr>().is_ok()
}

const MAX_AGE_LIMIT: u64 = 31_557_600;

/// The keys RFC 8461 §3.2 defines, all case-sensitive.
const POLICY_KEYS: &[&str] = &["version", "mode", "max_age", "mx"];

/// Whether `value` fits the policy key `key`, for typo suggestions.
fn policy_accepts(key: &str, value: &str) -> bool {
    match key {
        "version" => value.eq_ignore_ascii_case("STSv1"),
        "mode" => ["enforce", "testing", "none"]
            .iter()
            .any(|m| value.eq_ignore_ascii_case(m)),
        "max_age" => !value.is_empty() && value.bytes().all(|c| c.is_ascii_digit()),
        "mx" => {
            !value.is_empty()
                && value
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'*' | b'_'))
        }
        _ => false,
    }
}

/// One `key: value` line of a policy, as read.
struct Field {
    key: String,
    key_span: Span,
    value: String,
    value_span: Span,
    line_span: Span,
}

/// STS041 when the text is a DNS TXT record (it starts with `v=`), which no policy line does.
fn txt_record(text: &str) -> Option<Diagnostic> {
    let rest = text.trim_start_matches(crate::text::is_invisible).trim_ascii_start();
    if !tags::starts_with_ci(rest, "v=") {
        return None;
    }
    let start = text.len() - rest.len();
    let line = rest.split(['\r', '\n']).next().unwrap_or(rest);
    let token = tags::slice(line, 2, line.len())
        .split([';', ' ', '\t'])
        .next()
        .unwrap_or("");
    let (message, help) = match tags::kind_of_version(token) {
        Some("MTA-STS") => (
            "this is the MTA-STS TXT record, not the policy file".to_string(),
            "publish it as TXT at _mta-sts.<domain>, and serve version: STSv1, mode, mx and max_age lines at https://mta-sts.<domain>/.well-known/mta-sts.txt".to_string(),
        ),
        Some(label) => (
            format!("this is {} {label} record, not an MTA-STS policy file", tags::article(label)),
            "serve version: STSv1, mode, mx and max_age lines at https://mta-sts.<domain>/.well-known/mta-sts.txt".to_string(),
        ),
        None => (
            "this is a DNS TXT record, not an MTA-STS policy file".to_string(),
            "serve version: STSv1, mode, mx and max_age lines at https://mta-sts.<domain>/.well-known/mta-sts.txt".to_string(),
        ),
    };
    Some(Diagnostic::new(
        &POLICY_IS_TXT_RECORD,
        Span::new(start, start + line.len()),
        message,
        help,
    ))
}

/// Reads the lines of a policy into fields, reporting lines that are not `key: value`. A line
/// that is a known key written with `=`, a space, or whitespace before the key or the colon is
/// reported once and read as that key.
fn policy_fields(text: &str, sink: &mut Sink) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut line_start = 0;
    for raw in text.split_inclusive('\n') {
        let start = line_start;
        line_start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let line_span = Span::new(start, start + line.len());
        if line.trim().is_empty() {
            continue;
        }
        // An invisible character (a byte-order mark) in front was reported as not ASCII; the key
        // behind it is read as it is.
        let content = line.trim_start_matches(crate::text::is_invisible);
        let offset = start + (line.len() - content.len());
        let Some(colon) = content.find(':') else {
            let word_end = content
                .bytes()
                .position(|c| c == b'=' || c.is_ascii_whitespace())
                .unwrap_or(content.len());
            let word = tags::slice(content, 0, word_end);
            let after = tags::slice(content, word_end, content.len());
            // The value after the `=` or spaces that stand for the colon.
            let value_at = after
                .bytes()
                .position(|c| c != b'=' && !c.is_ascii_whitespace())
                .unwrap_or(after.len());
            let value_text = tags::slice(after, value_at, after.len()).trim_ascii_end();
            let known = POLICY_KEYS.contains(&word);
            let (message, help) = match (known, after.trim_start().starts_with('=')) {
                (true, true) => (
                    "`=` used instead of `:` after the key",
                    format!("write {word}: {value_text}"),
                ),
                (true, false) => ("line is not key: value", format!("write {word}: {value_text}")),
                (false, _) => ("line is not key: value", "write the line as key: value".to_string()),
            };
            sink.push(Diagnostic::new(&POLICY_LINE_SYNTAX, line_span, message, help));
            if known {
                let value_start = offset + word_end + value_at;
                fields.push(Field {
                    key: word.to_string(),
                    key_span: Span::new(offset, offset + word.len()),
                    value: value_text.to_string(),
                    value_span: Span::new(value_start, value_start + value_text.len()),
                    line_span,
                });
            }
            continue;
        };
        let written = tags::slice(content, 0, colon);
        let key = written.trim_ascii();
        let raw_value = tags::slice(content, colon + 1, content.len());
        let value_text = raw_value.trim();
        let lead = raw_value.len() - raw_value.trim_start().len();
        let value_start = offset + colon + 1 + lead;
        let value_span = Span::new(value_start, value_start + value_text.len());
        let key_start = offset + (written.len() - written.trim_ascii_start().len());
        let key_span = Span::new(key_start, key_start + key.len());
        if key.is_empty()
            || !key
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.')
        {
            let help = if key.is_empty() {
                "write the line as key: value".to_string()
            } else {
                "a key is letters, digits, `_`, `-` and `.`; write the line as key: value".to_string()
            };
            sink.push(Diagnostic::new(
                &POLICY_LINE_SYNTAX,
                Span::new(offset, offset + written.len()),
                format!("`{written}` is not a valid policy key"),
                help,
            ));
            continue;
        }
        if written != key {
            let message = if written.bytes().next().is_some_and(|c| c.is_ascii_whitespace()) {
                "line starts with whitespace".to_string()
            } else {
                format!("whitespace between `{key}` and the colon")
            };
            sink.push(Diagnostic::new(
                &POLICY_LINE_SYNTAX,
                Span::new(offset, offset + written.len()),
                message,
                format!("write {key}: {value_text}"),
            ));
        }
        fields.push(Field {
            key: key.to_string(),
            key_span,
            value: value_text.to_string(),
            value_span,
            line_span,
        });
    }
    fields
}

/// Parses an MTA-STS policy file (the body served at `/.well-known/mta-sts.txt`).
pub fn parse_policy(text: &str) -> Parsed<StsPolicy> {
    let mut sink = Sink::default();
    let mut value = StsPolicy::default();
    if text.trim().is_empty() {
        sink.push(Diagnostic::new(
            &POLICY_EMPTY,
            Span::new(0, text.len()),
            "empty MTA-STS policy",
            "serve version: STSv1, mode, mx and max_age lines",
        ));
        return Parsed {
            value,
            diagnostics: sink.into_vec(),
        };
    }
    if let Some(diagnostic) = txt_record(text) {
        sink.push(diagnostic);
        return Parsed {
            value,
            diagnostics: sink.into_vec(),
        };
    }
    if let Some((at, c)) = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii() || (c.is_ascii_control() && !matches!(c, '\t' | '\r' | '\n')))
    {
        let help = if c == '\u{feff}' {
            "save the policy as plain ASCII text, without a byte-order mark"
        } else {
            "save the policy as plain ASCII text"
        };
        sink.push(Diagnostic::new(
            &NON_ASCII,
            Span::new(at, at + c.len_utf8()),
            crate::text::describe_char(c),
            help,
        ));
    }

    let fields = policy_fields(text, &mut sink);
    // The first line of each key, to find repeats and what is present.
    let mut seen: Vec<(&str, Span)> = Vec::new();
    let mut version_tag: Option<&Field> = None;
    let mut mode_tag: Option<&Field> = None;
    let mut max_age_tag: Option<&Field> = None;
    // Known keys in the wrong case, and keys not defined at all: judged once all lines are read.
    let mut miscased: Vec<&Field> = Vec::new();
    let mut unknown: Vec<&Field> = Vec::new();
    for field in &fields {
        let key = field.key.as_str();
        if !POLICY_KEYS.contains(&key) {
            if POLICY_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                miscased.push(field);
            } else {
                unknown.push(field);
            }
            continue;
        }
        if key != "mx" {
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                sink.push(
                    Diagnostic::new(
                        &POLICY_DUPLICATE_KEY,
                        field.line_span,
                        format!("`{key}` appears more than once"),
                        format!("keep one {key} line"),
                    )
                    .with_related(*first, RelatedLabel::FirstOne),
                );
                continue;
            }
        }
        seen.push((key, field.line_span));
        match key {
            "version" => version_tag = Some(field),
            "mode" => mode_tag = Some(field),
            "max_age" => max_age_tag = Some(field),
            _ => mx_line(field, &mut value, &mut sink),
        }
    }
    let needs_mx = mode_tag.is_some_and(|m| matches!(m.value.as_str(), "enforce" | "testing"));
    let present = |key: &str| seen.iter().any(|(k, _)| *k == key);
    let required_rule = |key: &str| -> Option<&'static Rule> {
        match key {
            "version" => Some(&POLICY_VERSION),
            "mode" => Some(&POLICY_MODE),
            "max_age" => Some(&POLICY_MAX_AGE),
            "mx" if needs_mx => Some(&POLICY_MX_MISSING),
            _ => None,
        }
    };
    let mut explained: Vec<&'static str> = Vec::new();

    // Keys in the wrong case are keys senders do not see: one diagnostic for all of them, under
    // the rule of the first required key they leave missing.
    let lower = |f: &Field| f.key.to_ascii_lowercase();
    let mut extra = Vec::new();
    let mut missing = Vec::new();
    for field in miscased {
        if present(&lower(field)) {
            extra.push(field);
        } else {
            missing.push(field);
        }
    }
    for field in extra {
        sink.push(Diagnostic::new(
            &POLICY_KEY_MISSPELT,
            field.key_span,
            format!(
                "`{}` is not `{}`, which the policy already has; senders ignore it",
                field.key,
                lower(field)
            ),
            "remove the line",
        ));
    }
    if let Some(first) = missing.first() {
        let help = match missing.as_slice() {
            [only] => format!("write {}: {}", lower(only), only.value),
            many => {
                let keys: Vec<String> = many.iter().map(|f| format!("`{}:`", lower(f))).collect();
                format!("write the keys in lower case: {}", keys.join(", "))
            }
        };
        let primary = missing
            .iter()
            .find_map(|f| required_rule(&lower(f)).map(|rule| (f, rule)));
        let diagnostic = match primary {
            Some((field, rule)) => Diagnostic::new(
                rule,
                field.key_span,
                format!(
                    "no `{}` line: `{}` is not `{}`, as policy keys are case-sensitive",
                    lower(field),
                    field.key,
                    lower(field)
                ),
                help,
            ),
            None => Diagnostic::new(
                &POLICY_KEY_MISSPELT,
                first.key_span,
                format!(
                    "key `{}` is upper case; senders ignore it, as policy keys are case-sensitive",
                    first.key
                ),
                help,
            ),
        };
        sink.push(diagnostic);
        for field in &missing {
            if let Some(key) = POLICY_KEYS.iter().find(|k| **k == lower(field)) {
                if required_rule(key).is_some() {
                    explained.push(key);
                }
            }
        }
    }

    // Unknown keys: a likely misspelling of a missing key, or an extension senders ignore.
    for field in unknown {
        let fits =
            |known: &'static str| !present(known) && !explained.contains(&known) && policy_accepts(known, &field.value);
        let meant = tags::closest_name(&field.key, POLICY_KEYS, &fits);
        let diagnostic = match meant {
            Some(known) => {
                explained.push(known);
                let help = format!("write {known}: {}", field.value);
                match required_rule(known) {
                    Some(rule) => Diagnostic::new(
                        rule,
                        field.key_span,
                        format!("no `{known}` line; `{}` looks like a misspelling of it", field.key),
                        help,
                    ),
                    None => Diagnostic::new(
                        &POLICY_KEY_MISSPELT,
                        field.key_span,
                        format!("unknown key `{}` ignored; did you mean `{known}`?", field.key),
                        help,
                    ),
                }
            }
            None => Diagnostic::new(
                &POLICY_UNKNOWN_KEY,
                field.key_span,
                format!("unknown key `{}` ignored", field.key),
                "remove it unless a sender you care about documents it",
            ),
        };
        sink.push(diagnostic);
    }

    match version_tag {
        Some(f) if f.value == "STSv1" => value.version_ok = true,
        Some(f) => sink.push(Diagnostic::new(
            &POLICY_VERSION,
            if f.value_span.is_empty() {
                Span::point(f.value_span.start)
            } else {
                f.value_span
            },
            format!("unknown policy version `{}`", f.value),
            "write version: STSv1",
        )),
        None if explained.contains(&"version") => {}
        None => sink.push(Diagnostic::new(
            &POLICY_VERSION,
            Span::point(0),
            "no version: STSv1 line",
            "add version: STSv1 as the first line",
        )),
    }
    match mode_tag {
        Some(f) => {
            value.mode = match f.value.as_str() {
                "enforce" => Some(Mode::Enforce),
                "testing" => Some(Mode::Testing),
                "none" => Some(Mode::None),
                m => {
                    let help = match tags::suggest(m, &["enforce", "testing", "none"]) {
                        Some(fix) => format!("write mode: {fix}"),
                        None => "use mode: enforce, mode: testing or mode: none".to_string(),
                    };
                    let span = if f.value_span.is_empty() {
                        f.line_span
                    } else {
                        f.value_span
                    };
                    sink.push(Diagnostic::new(&POLICY_MODE, span, format!("invalid mode `{m}`"), help));
                    None
                }
            }
        }
        None if explained.contains(&"mode") => {}
        None => sink.push(Diagnostic::new(
            &POLICY_MODE,
            Span::new(0, text.len()),
            "no mode line",
            "add mode: testing, then mode: enforce once reports are clean",
        )),
    }
    match max_age_tag {
        Some(f) => {
            let m = f.value.as_str();
            let span = if f.value_span.is_empty() {
                f.line_span
            } else {
                f.value_span
            };
            if m.is_empty() || !m.bytes().all(|c| c.is_ascii_digit()) {
                sink.push(Diagnostic::new(
                    &POLICY_MAX_AGE,
                    span,
                    format!("max_age `{m}` is not a number of seconds"),
                    "write the number of seconds, e.g. max_age: 604800",
                ));
            } else {
                match m.parse::<u64>() {
                    Ok(n) if n <= MAX_AGE_LIMIT => {
                        value.max_age = u32::try_from(n).ok();
                        if n < 86_400 {
                            sink.push(Diagnostic::new(
                                &POLICY_MAX_AGE_SHORT,
                                span,
                                format!("max_age of {n} seconds is under a day"),
                                "write max_age: 1209600 (two weeks) or more once the policy is stable",
                            ));
                        }
                    }
                    // All digits, but above the limit (or too long for any integer).
                    _ => sink.push(Diagnostic::new(
                        &POLICY_MAX_AGE,
                        span,
                        format!("max_age {m} is above the limit of 31557600 seconds"),
                        "write max_age: 31557600 or less",
                    )),
                }
            }
        }
        None if explained.contains(&"max_age") => {}
        None => sink.push(Diagnostic::new(
            &POLICY_MAX_AGE,
            Span::new(0, text.len()),
            "no max_age line",
            "add max_age: 604800 (one week) or more",
        )),
    }
    let needs_mx = matches!(value.mode, Some(Mode::Enforce | Mode::Testing));
    if needs_mx && !present("mx") && !explained.contains(&"mx") {
        sink.push(Diagnostic::new(
            &POLICY_MX_MISSING,
            Span::new(0, text.len()),
            "no mx line",
            "add one mx: line per mail server, e.g. mx: mail.example.com",
        ));
    }
    Parsed {
        value,
        diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
    }
}

/// One `mx:` line: a valid pattern is kept, anything else reported.
fn mx_line(field: &Field, value: &mut StsPolicy, sink: &mut Sink) {
    let pattern = field.value.as_str();
    if valid_mx_pattern(pattern) && !is_ip_address(pattern) {
        value.mx.push(MxPattern {
            pattern: pattern.to_string(),
            wildcard: pattern.starts_with("*."),
            span: field.value_span,
        });
        return;
    }
    let (message, help) = if is_ip_address(pattern) {
        (
            format!("`{pattern}` is an IP address; mx patterns are host names"),
            "write the host name the MX record points to, e.g. mx: mail.example.com".to_string(),
        )
    } else {
        let help = if pattern.contains('*') {
            "a wildcard is allowed only as the whole leftmost label: mx: *.example.com"
        } else if pattern.contains([',', ' ']) {
            "put each mx pattern on its own mx: line"
        } else {
            "write a host name such as mx: mail.example.com"
        };
        (format!("`{pattern}` is not a valid mx pattern"), help.to_string())
    };
    let span = if field.value_span.is_empty() {
        field.line_span
    } else {
        field.value_span
    };
    sink.push(Diagnostic::new(&POLICY_MX_INVALID, span, message, help));
}
