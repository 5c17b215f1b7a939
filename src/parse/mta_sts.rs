//! MTA-STS (RFC 8461): the TXT record at `_mta-sts.<domain>` (§3.1) and the policy file served at
//! `https://mta-sts.<domain>/.well-known/mta-sts.txt` (§3.2).
//!
//! ```text
//! sts-text-record = %s"v=STSv1" 1*( ";" tag ) [";"]
//! sts-id          = %s"id=" 1*32( ALPHA / DIGIT )
//!
//! sts-policy      = field *( CRLF field ) [CRLF]     ; LF alone is accepted too
//! field           = key ":" *WSP value
//! version: STSv1 | mode: enforce|testing|none | max_age: 0..31557600 | mx: pattern (repeatable)
//! ```

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
    "A policy line that is not `key: value` (no colon, an empty key, or whitespace before the colon).",
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
        "A policy file without `version: STSv1`, or with another version value.",
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
        "A policy file whose `mode` is missing or not `enforce`, `testing` or `none`.",
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
        "A policy file whose `max_age` is missing, not a plain number of seconds, or above 31557600 (one year).",
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
        "A policy in mode `enforce` or `testing` with no `mx` line.",
        "With no mx pattern no MX host can match, so in enforce mode senders refuse to deliver any mail to the domain.",
        "version: STSv1\nmode: enforce\nmax_age: 604800",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "RFC 8461 §3.2, §4.1",
    ],
);

pub const POLICY_MX_INVALID: Rule = sts_rule("STS037", "StsPolicyMxInvalid", Severity::Error, 10, [
    "An `mx` pattern that is not a host name, or has a `*` anywhere except as the whole leftmost label (`*.example.com`).",
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
        "A policy key RFC 8461 does not define.",
        "Senders ignore unknown keys, so it does no harm; a misspelt known key, however, means that field is missing.",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmaxage: 604800",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
        "RFC 8461 §3.2",
    ],
);

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

const MAX_AGE_LIMIT: u64 = 31_557_600;

/// Parses an MTA-STS policy file (the body served at `/.well-known/mta-sts.txt`).
pub fn parse_policy(text: &str) -> Parsed<StsPolicy> {
    let mut sink = Sink::default();
    let mut value = StsPolicy::default();
    if text.trim().is_empty() {
        sink.push(Diagnostic::new(
            &POLICY_EMPTY,
            Span::new(0, text.len()),
            "empty mta-sts policy",
            "serve version: STSv1, mode, mx and max_age lines",
        ));
        return Parsed {
            value,
            diagnostics: sink.into_vec(),
        };
    }
    if let Some((at, c)) = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii() || (c.is_ascii_control() && !matches!(c, '\t' | '\r' | '\n')))
    {
        sink.push(Diagnostic::new(
            &NON_ASCII,
            Span::new(at, at + c.len_utf8()),
            format!("character U+{:04X} is not printable ascii", u32::from(c)),
            "save the policy as plain ascii text",
        ));
    }

    // (key, key span, value, value span, whole line span) of each field, in order.
    let mut seen: Vec<(String, Span)> = Vec::new();
    let mut mode_tag: Option<(String, Span)> = None;
    let mut max_age_tag: Option<(String, Span)> = None;
    let mut version_tag: Option<(String, Span)> = None;
    let mut line_start = 0;
    for raw in text.split_inclusive('\n') {
        let start = line_start;
        line_start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let line_span = Span::new(start, start + line.len());
        if line.trim().is_empty() {
            continue;
        }
        let Some(colon) = line.find(':') else {
            let word = line.split_whitespace().next().unwrap_or("");
            let rest = line.get(word.len()..).unwrap_or("").trim();
            let help = if matches!(word, "version" | "mode" | "max_age" | "mx") {
                format!("write {word}: {rest}")
            } else {
                "write the line as key: value".to_string()
            };
            sink.push(Diagnostic::new(
                &POLICY_LINE_SYNTAX,
                line_span,
                "line is not key: value",
                help,
            ));
            continue;
        };
        let key = line.get(..colon).unwrap_or("");
        let raw_value = line.get(colon + 1..).unwrap_or("");
        let value_text = raw_value.trim();
        let lead = raw_value.len() - raw_value.trim_start().len();
        let value_start = start + colon + 1 + lead;
        let value_span = Span::new(value_start, value_start + value_text.len());
        let key_span = Span::new(start, start + key.len());
        if key.is_empty()
            || key != key.trim()
            || !key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            sink.push(Diagnostic::new(
                &POLICY_LINE_SYNTAX,
                key_span,
                format!("`{key}` is not a valid policy key"),
                format!("write {}: {value_text}", key.trim()),
            ));
            continue;
        }
        if key != "mx" {
            if let Some((_, first)) = seen.iter().find(|(k, _)| k == key) {
                sink.push(
                    Diagnostic::new(
                        &POLICY_DUPLICATE_KEY,
                        line_span,
                        format!("`{key}` appears more than once"),
                        format!("keep one {key} line"),
                    )
                    .with_related(*first, RelatedLabel::FirstOne),
                );
                continue;
            }
        }
        seen.push((key.to_string(), line_span));
        match key {
            "version" => version_tag = Some((value_text.to_string(), value_span)),
            "mode" => mode_tag = Some((value_text.to_string(), value_span)),
            "max_age" => max_age_tag = Some((value_text.to_string(), value_span)),
            "mx" => {
                if valid_mx_pattern(value_text) {
                    value.mx.push(MxPattern {
                        pattern: value_text.to_string(),
                        wildcard: value_text.starts_with("*."),
                        span: value_span,
                    });
                } else {
                    let help = if value_text.contains('*') {
                        "a wildcard is allowed only as the whole leftmost label: mx: *.example.com".to_string()
                    } else if value_text.contains([',', ' ']) {
                        "put each mx pattern on its own mx: line".to_string()
                    } else {
                        "write a host name such as mx: mail.example.com".to_string()
                    };
                    let span = if value_span.is_empty() { line_span } else { value_span };
                    sink.push(Diagnostic::new(
                        &POLICY_MX_INVALID,
                        span,
                        format!("`{value_text}` is not a valid mx pattern"),
                        help,
                    ));
                }
            }
            _ => {
                let known = ["version", "mode", "max_age", "mx"];
                let diagnostic = match tags::suggest(key, &known) {
                    Some(s) => Diagnostic::new(
                        &POLICY_UNKNOWN_KEY,
                        key_span,
                        format!("unknown key `{key}` ignored; did you mean `{s}`?"),
                        format!("write {s}: {value_text}"),
                    )
                    .with_severity(Severity::Warning),
                    None => Diagnostic::new(
                        &POLICY_UNKNOWN_KEY,
                        key_span,
                        format!("unknown key `{key}` ignored"),
                        "remove it",
                    ),
                };
                sink.push(diagnostic);
            }
        }
    }

    match &version_tag {
        Some((v, _)) if v == "STSv1" => value.version_ok = true,
        Some((v, span)) => sink.push(Diagnostic::new(
            &POLICY_VERSION,
            if span.is_empty() {
                Span::point(span.start)
            } else {
                *span
            },
            format!("unknown policy version `{v}`"),
            "write version: STSv1",
        )),
        None => sink.push(Diagnostic::new(
            &POLICY_VERSION,
            Span::point(0),
            "no version: STSv1 line",
            "add version: STSv1 as the first line",
        )),
    }
    match &mode_tag {
        Some((m, span)) => {
            value.mode = match m.as_str() {
                "enforce" => Some(Mode::Enforce),
                "testing" => Some(Mode::Testing),
                "none" => Some(Mode::None),
                _ => {
                    let fix = tags::suggest(&m.to_ascii_lowercase(), &["enforce", "testing", "none"]);
                    let help = match fix {
                        Some(f) => format!("write mode: {f}"),
                        None => "use mode: enforce, mode: testing or mode: none".to_string(),
                    };
                    sink.push(Diagnostic::new(
                        &POLICY_MODE,
                        *span,
                        format!("invalid mode `{m}`"),
                        help,
                    ));
                    None
                }
            }
        }
        None => sink.push(Diagnostic::new(
            &POLICY_MODE,
            Span::new(0, text.len()),
            "no mode line",
            "add mode: testing, then mode: enforce once reports are clean",
        )),
    }
    match &max_age_tag {
        Some((m, span)) => match m.parse::<u64>() {
            Ok(n) if m.bytes().all(|c| c.is_ascii_digit()) && n <= MAX_AGE_LIMIT => {
                value.max_age = u32::try_from(n).ok();
                if n < 86_400 {
                    sink.push(Diagnostic::new(
                        &POLICY_MAX_AGE_SHORT,
                        *span,
                        format!("max_age of {n} seconds is under a day"),
                        "write max_age: 1209600 (two weeks) or more once the policy is stable",
                    ));
                }
            }
            Ok(_) => sink.push(Diagnostic::new(
                &POLICY_MAX_AGE,
                *span,
                format!("max_age {m} is above the limit of 31557600 seconds"),
                "write max_age: 31557600 or less",
            )),
            Err(_) => sink.push(Diagnostic::new(
                &POLICY_MAX_AGE,
                *span,
                format!("max_age `{m}` is not a number of seconds"),
                "write the number of seconds, e.g. max_age: 604800",
            )),
        },
        None => sink.push(Diagnostic::new(
            &POLICY_MAX_AGE,
            Span::new(0, text.len()),
            "no max_age line",
            "add max_age: 604800 (one week) or more",
        )),
    }
    let needs_mx = matches!(value.mode, Some(Mode::Enforce | Mode::Testing));
    if needs_mx && !seen.iter().any(|(k, _)| k == "mx") {
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
