//! BIMI assertion records (draft-brand-indicators-for-message-identification), published as TXT
//! at `<selector>._bimi.<domain>` (usually `default._bimi`).
//!
//! ```text
//! record = "v=BIMI1" *( ";" tag ) [";"]
//! l   = [ https-uri ]          ; the SVG Tiny PS logo; empty l= declines to publish a logo
//! a   = [ https-uri ]          ; the PEM Verified Mark Certificate (VMC) or Common Mark Certificate
//! lps = %s"true" / %s"false"   ; look up a selector derived from the local-part (draft-10)
//! avp = %s"personal" / %s"brand" ; avatar preference (draft-10)
//! ```
//!
//! The record follows DKIM's tag-list syntax, and the draft forbids receivers to fix
//! "syntactical or capitalization errors", so tag names and these values are case-sensitive.

use serde::Serialize;

use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, Severity, Sink, Span};
use crate::parse::tags::{self, Kind, Tag};

/// A parsed BIMI record.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Bimi {
    /// `v=BIMI1` is present, first, and exact.
    pub version_ok: bool,
    /// `l=`: the logo URL, when present and non-empty.
    pub logo: Option<String>,
    /// `a=`: the certificate URL, when present and non-empty.
    pub authority: Option<String>,
    /// `l=` is present and empty: the domain declines to show a logo.
    pub declined: bool,
}

tags::tag_rules! {
    category: Category::Bimi, area: Area::Brand, weight: 20, label: "BIMI",
    version: "v=BIMI1", bad_version: "v=BIMI2",
    tag: ("l", "https://example.com/logo.svg"), extra: "; a=https://example.com/vmc.pem",
    upper: (
        "v=BIMI1; l=https://example.com/logo.svg; A=https://example.com/vmc.pem",
        "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem"
    ),
    misspelt: (
        "v=BIMI1; l=https://example.com/logo.svg; aa=https://example.com/vmc.pem",
        "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem"
    ),
    unknown: "note=example", refs: "draft-brand-indicators-for-message-identification §4.2";
    EMPTY_RECORD = "BIMI001", "BimiEmptyRecord", empty_record;
    EMPTY_TAG = "BIMI002", "BimiEmptyTag", empty_tag;
    MALFORMED_TAG = "BIMI003", "BimiMalformedTag", malformed_tag;
    WRONG_SEPARATOR = "BIMI004", "BimiWrongSeparator", wrong_separator;
    DUPLICATE_TAG = "BIMI005", "BimiDuplicateTag", duplicate_tag;
    UPPERCASE_TAG = "BIMI006", "BimiUppercaseTag", uppercase_tag;
    NON_ASCII = "BIMI007", "BimiNonAscii", non_ascii;
    TOO_MANY_PROBLEMS = "BIMI008", "BimiTooManyProblems", too_many;
    UNKNOWN_TAG = "BIMI009", "BimiUnknownTag", unknown_tag;
    ZONE_QUOTES = "BIMI010", "BimiZoneFileQuotes", zone_quotes;
    VERSION_MISSING = "BIMI011", "BimiVersionMissing", version_missing;
    VERSION_NOT_FIRST = "BIMI012", "BimiVersionNotFirst", version_not_first;
    VERSION_INVALID = "BIMI013", "BimiVersionInvalid", version_invalid;
    OTHER_KIND = "BIMI014", "BimiOtherRecordKind", other_kind;
    MISSPELT_TAG = "BIMI015", "BimiMisspeltTag", misspelt_tag;
}

const REFS: &str = "draft-brand-indicators-for-message-identification §4.2";

pub const LOGO_MISSING: Rule = Rule {
    code: "BIMI020",
    name: "BimiLogoMissing",
    category: Category::Bimi,
    severity: Severity::Error,
    area: Area::Brand,
    weight: 20,
    checks: "A BIMI record with no `l=` tag.",
    why: "`l=` is required: it points at the logo. A record without it shows no logo; a domain that wants none writes an empty `l=`.",
    problematic: "v=BIMI1; a=https://example.com/vmc.pem",
    corrected: "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem",
    references: REFS,
}.for_target();

pub const LOGO_NOT_HTTPS: Rule = Rule {
    code: "BIMI021",
    name: "BimiLogoNotHttps",
    category: Category::Bimi,
    severity: Severity::Error,
    area: Area::Brand,
    weight: 20,
    checks: "An `l=` value that is not an `https://` URL with a host.",
    why: "Mailbox providers fetch the logo only over HTTPS; any other location is ignored and no logo is shown.",
    problematic: "v=BIMI1; l=http://example.com/logo.svg",
    corrected: "v=BIMI1; l=https://example.com/logo.svg",
    references: REFS,
}
.for_target();

pub const LOGO_NOT_SVG: Rule = Rule {
    code: "BIMI022",
    name: "BimiLogoNotSvg",
    category: Category::Bimi,
    severity: Severity::Warning,
    area: Area::Brand,
    weight: 3,
    checks: "An `l=` URL whose path does not end in `.svg`.",
    why: "The logo must be an SVG Tiny Portable/Secure image. A PNG or a page URL is rejected; a URL without the suffix may still serve SVG, so this is a warning.",
    problematic: "v=BIMI1; l=https://example.com/logo.png",
    corrected: "v=BIMI1; l=https://example.com/logo.svg",
    references: "draft-brand-indicators-for-message-identification §4.2, §5.2",
}.for_target();

pub const DECLINED: Rule = Rule {
    code: "BIMI023",
    name: "BimiDeclined",
    category: Category::Bimi,
    severity: Severity::Info,
    area: Area::None,
    weight: 0,
    checks: "A BIMI record with an empty `l=`.",
    why: "An empty `l=` is a valid declination: the domain publishes BIMI only to say it has no logo, for example to stop a parent domain's logo from applying.",
    problematic: "v=BIMI1; l=",
    corrected: "v=BIMI1; l=https://example.com/logo.svg",
    references: REFS,
}.for_target();

pub const AUTHORITY_NOT_HTTPS: Rule = Rule {
    code: "BIMI024",
    name: "BimiAuthorityNotHttps",
    category: Category::Bimi,
    severity: Severity::Error,
    area: Area::Brand,
    weight: 10,
    checks: "An `a=` value that is not an `https://` URL with a host.",
    why: "The certificate (VMC or CMC) is fetched over HTTPS only. Providers that require a certificate show no logo when they cannot fetch it.",
    problematic: "v=BIMI1; l=https://example.com/logo.svg; a=self",
    corrected: "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem",
    references: REFS,
}.for_target();

pub const NO_CERTIFICATE: Rule = Rule {
    code: "BIMI025",
    name: "BimiNoCertificate",
    category: Category::Bimi,
    severity: Severity::Info,
    area: Area::None,
    weight: 0,
    checks: "A BIMI record with a logo but no (or an empty) `a=`.",
    why: "The draft allows a record without a certificate, but many providers, Gmail and Apple Mail among them, show a logo only with a Verified Mark Certificate or Common Mark Certificate.",
    problematic: "v=BIMI1; l=https://example.com/logo.svg",
    corrected: "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem",
    references: "draft-brand-indicators-for-message-identification §4.2; Gmail BIMI setup guide",
}.for_target();

pub const TAG_VALUE_INVALID: Rule = Rule {
    code: "BIMI026",
    name: "BimiTagValueInvalid",
    category: Category::Bimi,
    severity: Severity::Warning,
    area: Area::Brand,
    weight: 3,
    checks: "An `lps=` value other than `true` or `false`, or an `avp=` value other than `personal` or `brand` (both case-sensitive).",
    why: "Receivers ignore an avatar preference they cannot read, and the draft lets a mailbox provider treat the record as failing, so the logo may not be shown; an unreadable `lps` leaves local-part selectors off.",
    problematic: "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem; avp=logo",
    corrected: "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem; avp=brand",
    references: "draft-brand-indicators-for-message-identification-10 §4.3",
}
.for_target();

/// This kind's own rules; the shared tag-list rules are in `TAG_RULES` (from `tag_rules!`).
pub static RULES: &[&Rule] = &[
    &LOGO_MISSING,
    &LOGO_NOT_HTTPS,
    &LOGO_NOT_SVG,
    &DECLINED,
    &AUTHORITY_NOT_HTTPS,
    &NO_CERTIFICATE,
    &TAG_VALUE_INVALID,
];

pub static KIND: Kind = Kind {
    label: "BIMI",
    version: "BIMI1",
    version_required: true,
    tags: &["v", "l", "a", "lps", "avp"],
    case_sensitive: true,
    required: &[tags::Required {
        tag: "l",
        rule: &LOGO_MISSING,
        hint: "l= followed by the https URL of the SVG logo, or an empty l= to decline",
    }],
    uri_lists: &[],
    accepts,
    aliases: &[
        ("logo", "l"),
        ("location", "l"),
        ("authority", "a"),
        ("vmc", "a"),
        ("cert", "a"),
    ],
    rules: tags::lex_rules!(),
};

/// Whether `value` fits the grammar of the BIMI tag `tag`, for typo suggestions.
fn accepts(tag: &str, value: &str) -> bool {
    match tag {
        "l" | "a" => value.is_empty() || crate::text::contains(value, "://"),
        "lps" => matches!(value, "true" | "false"),
        "avp" => matches!(value, "personal" | "brand"),
        _ => false,
    }
}

/// The host of an `https://` URL, when it has a plausible one.
pub(crate) fn https_host(url: &str) -> Option<&str> {
    let scheme_end = crate::text::find(url, "://")?;
    if !url.get(..scheme_end)?.eq_ignore_ascii_case("https") {
        return None;
    }
    let rest = url.get(scheme_end + 3..)?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_')))
    .then_some(host)
}

fn url_span(tag: &Tag) -> Span {
    if tag.value_span.is_empty() {
        tag.span
    } else {
        tag.value_span
    }
}

/// Parses a BIMI record (the TXT value at `default._bimi.<domain>`).
pub fn parse(text: &str) -> Parsed<Bimi> {
    let mut sink = Sink::default();
    let list = tags::lex(text, &KIND, &mut sink);
    let mut value = Bimi::default();
    if list.empty || list.other_kind {
        return Parsed {
            value,
            diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
        };
    }
    value.version_ok = list.tags.first().is_some_and(|t| t.key == "v" && t.value == "BIMI1");
    for tag in list.unique() {
        match tag.key.as_str() {
            "v" => {}
            // A URL with the record's first non-ASCII character was reported by the lexer.
            "l" | "a" if list.non_ascii_in(tag.value_span) => {}
            "l" => {
                if tag.value.is_empty() {
                    value.declined = true;
                    sink.push(Diagnostic::new(
                        &DECLINED,
                        tag.span,
                        "empty l= declines to show a logo",
                        "publish l=https://.../logo.svg to show a logo",
                    ));
                } else if https_host(&tag.value).is_none() {
                    let help = match tag.value.strip_prefix("http://") {
                        Some(rest) => format!("write l=https://{rest}"),
                        None => "write l=https://host.example/logo.svg".to_string(),
                    };
                    sink.push(Diagnostic::new(
                        &LOGO_NOT_HTTPS,
                        url_span(tag),
                        "logo location is not an https url",
                        help,
                    ));
                } else {
                    value.logo = Some(tag.value.clone());
                    let path = tag.value.split(['?', '#']).next().unwrap_or("");
                    if !path.to_ascii_lowercase().ends_with(".svg") {
                        sink.push(Diagnostic::new(
                            &LOGO_NOT_SVG,
                            url_span(tag),
                            "logo url does not end in .svg",
                            "point l= at an svg tiny ps file",
                        ));
                    }
                }
            }
            "a" => {
                if tag.value.is_empty() {
                    continue;
                }
                if https_host(&tag.value).is_none() {
                    let help = match tag.value.strip_prefix("http://") {
                        Some(rest) => format!("write a=https://{rest}"),
                        None => "write a=https://host.example/certificate.pem".to_string(),
                    };
                    sink.push(Diagnostic::new(
                        &AUTHORITY_NOT_HTTPS,
                        url_span(tag),
                        "certificate location is not an https url",
                        help,
                    ));
                } else {
                    value.authority = Some(tag.value.clone());
                }
            }
            "lps" if !matches!(tag.value.as_str(), "true" | "false") => sink.push(Diagnostic::new(
                &TAG_VALUE_INVALID,
                url_span(tag),
                format!("invalid value `{}` for `lps`", tag.value),
                "write lps=true to look up local-part selectors, or remove the tag (the default is false)",
            )),
            "avp" if !matches!(tag.value.as_str(), "personal" | "brand") => {
                let help = match tags::suggest(&tag.value, &["personal", "brand"]) {
                    Some(fixed) => format!("write avp={fixed}"),
                    None => "write avp=brand or avp=personal, or remove the tag (the default is brand)".to_string(),
                };
                sink.push(Diagnostic::new(
                    &TAG_VALUE_INVALID,
                    url_span(tag),
                    format!("invalid avatar preference `{}` for `avp`", tag.value),
                    help,
                ));
            }
            // Other tags were reported by the lexer (unknown, or a likely misspelling).
            _ => {}
        }
    }
    if value.version_ok {
        match list.get("l") {
            None if !list.missing("l") => {}
            None => sink.push(Diagnostic::new(
                &LOGO_MISSING,
                Span::new(0, text.len()),
                "no l= tag with the logo location",
                "add l=https://.../logo.svg, or an empty l= to decline",
            )),
            // An `A=` in upper case or a misspelt `a` is reported as such; its fix gives the
            // certificate.
            Some(_)
                if value.logo.is_some()
                    && list.get("a").is_none_or(|a| a.value.is_empty())
                    && list.miscased("a").is_none()
                    && !list.explained.contains(&"a") =>
            {
                sink.push(Diagnostic::new(
                    &NO_CERTIFICATE,
                    Span::new(0, text.len()),
                    "no a= certificate; Gmail and Apple Mail show logos only with a VMC or CMC",
                    "add a=https://.../certificate.pem once you have a mark certificate",
                ))
            }
            Some(_) => {}
        }
    }
    Parsed {
        value,
        diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
    }
}
