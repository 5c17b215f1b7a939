//! SMTP TLS Reporting policy records (RFC 8460 §3), published as TXT at `_smtp._tls.<domain>`.
//!
//! ```text
//! record = %s"v=TLSRPTv1" 1*( ";" tag ) [";"]
//! rua    = %s"rua=" uri *( "," uri )        ; mailto: or https:
//! ```

use serde::Serialize;

use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, Severity, Sink, Span};
use crate::parse::tags::{self, Kind, ReportUri, UriProblem};

/// A parsed TLS-RPT record.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TlsRpt {
    /// `v=TLSRPTv1` is present, first, and exact.
    pub version_ok: bool,
    /// The `rua` destinations, valid or not (see the diagnostics).
    pub rua: Vec<ReportUri>,
}

tags::tag_rules! {
    category: Category::TlsRpt, area: Area::TransportSecurity, weight: 10, label: "TLS-RPT",
    version: "v=TLSRPTv1", bad_version: "v=TLSRPTv2",
    tag: ("rua", "mailto:tlsrpt@example.com"), extra: "",
    upper: (
        "v=TLSRPTv1; rua=mailto:tlsrpt@example.com; RUA=mailto:tlsrpt@example.com",
        "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"
    ),
    misspelt: ("", ""),
    unknown: "note=example", refs: "RFC 8460 §3";
    EMPTY_RECORD = "TLSRPT001", "TlsRptEmptyRecord", empty_record;
    EMPTY_TAG = "TLSRPT002", "TlsRptEmptyTag", empty_tag;
    MALFORMED_TAG = "TLSRPT003", "TlsRptMalformedTag", malformed_tag;
    WRONG_SEPARATOR = "TLSRPT004", "TlsRptWrongSeparator", wrong_separator;
    DUPLICATE_TAG = "TLSRPT005", "TlsRptDuplicateTag", duplicate_tag;
    UPPERCASE_TAG = "TLSRPT006", "TlsRptUppercaseTag", uppercase_tag;
    NON_ASCII = "TLSRPT007", "TlsRptNonAscii", non_ascii;
    TOO_MANY_PROBLEMS = "TLSRPT008", "TlsRptTooManyProblems", too_many;
    UNKNOWN_TAG = "TLSRPT009", "TlsRptUnknownTag", unknown_tag;
    ZONE_QUOTES = "TLSRPT010", "TlsRptZoneFileQuotes", zone_quotes;
    VERSION_MISSING = "TLSRPT011", "TlsRptVersionMissing", version_missing;
    VERSION_NOT_FIRST = "TLSRPT012", "TlsRptVersionNotFirst", version_not_first;
    VERSION_INVALID = "TLSRPT013", "TlsRptVersionInvalid", version_invalid;
    OTHER_KIND = "TLSRPT014", "TlsRptOtherRecordKind", other_kind;
}

pub const RUA_MISSING: Rule = Rule {
    code: "TLSRPT020",
    name: "TlsRptRuaMissing",
    category: Category::TlsRpt,
    severity: Severity::Error,
    area: Area::TransportSecurity,
    weight: 10,
    checks: "A TLS-RPT record with no `rua=` tag.",
    why: "`rua` is required: it says where sending servers deliver their TLS failure reports. Without it no report is sent.",
    problematic: "v=TLSRPTv1",
    corrected: "v=TLSRPTv1; rua=mailto:tlsrpt@example.com",
    references: "RFC 8460 §3",
}.for_target();

pub const RUA_INVALID: Rule = Rule {
    code: "TLSRPT021",
    name: "TlsRptRuaInvalid",
    category: Category::TlsRpt,
    severity: Severity::Error,
    area: Area::TransportSecurity,
    weight: 5,
    checks: "A `rua` entry that is empty, not a `mailto:` or `https:` URI, a `mailto:` without a valid address (a doubled `@` included), an `https:` URI without a host, a URI with characters outside ASCII (unless TLSRPT007 already reports it), or a URI after a space instead of a `,`.",
    why: "Reporters skip destinations they cannot use; when none is usable the domain receives no TLS reports and never learns of failed deliveries.",
    problematic: "v=TLSRPTv1; rua=tlsrpt@example.com",
    corrected: "v=TLSRPTv1; rua=mailto:tlsrpt@example.com",
    references: "RFC 8460 §3",
}.for_target();

/// This kind's own rules; the shared tag-list rules are in `TAG_RULES` (from `tag_rules!`).
pub static RULES: &[&Rule] = &[&RUA_MISSING, &RUA_INVALID];

pub static KIND: Kind = Kind {
    label: "TLS-RPT",
    version: "TLSRPTv1",
    version_required: true,
    tags: &["v", "rua"],
    // RFC 8460 writes both as `%s` strings.
    case_sensitive: true,
    required: &[tags::Required {
        tag: "rua",
        rule: &RUA_MISSING,
        hint: "rua=mailto: or rua=https: followed by where reports go",
    }],
    uri_lists: &["rua"],
    accepts,
    aliases: &[],
    // Both tags are required, so a misspelling is always reported as the tag missing.
    rules: tags::lex_rules!(misspelt: None),
};

/// Whether `value` fits the TLS-RPT tag `tag`, for typo suggestions.
fn accepts(tag: &str, value: &str) -> bool {
    tag == "rua" && tags::looks_like_uri_list(value)
}

/// Parses a TLS-RPT record (the TXT value at `_smtp._tls.<domain>`).
pub fn parse(text: &str) -> Parsed<TlsRpt> {
    let mut sink = Sink::default();
    let list = tags::lex(text, &KIND, &mut sink);
    let mut value = TlsRpt::default();
    if list.empty || list.other_kind {
        return Parsed {
            value,
            diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
        };
    }
    value.version_ok = list.tags.first().is_some_and(|t| t.key == "v" && t.value == "TLSRPTv1");
    for tag in list.unique() {
        match tag.key.as_str() {
            "v" => {}
            "rua" => {
                value.rua = tags::parse_uri_list(&tag.value, tag.value_span.start);
                for uri in &value.rua {
                    // RFC 8460 has no `!size` suffix; the `!` makes the address invalid.
                    let problem = match (uri.problem, uri.size_limit.is_some()) {
                        (Some(p), _) => p,
                        (None, true) => UriProblem::BadAddress,
                        (None, false) => continue,
                    };
                    // One finding for a list written with spaces: its fix puts in every comma.
                    if problem == UriProblem::SpaceSeparated && uri.span.start > tags::first_space_separated(&value.rua)
                    {
                        continue;
                    }
                    // The lexer's diagnostic for the first non-ASCII character covers this URI.
                    if problem == UriProblem::NonAscii && list.non_ascii_in(uri.span) {
                        continue;
                    }
                    let corrected = tags::corrected_uri(&uri.uri).map(|fixed| format!("write {fixed}"));
                    let generic = || "use mailto:local@domain or https://host/path".to_string();
                    let (message, help) = match problem {
                        UriProblem::Empty if value.rua.len() == 1 => (
                            "`rua` has no report uri".to_string(),
                            "write rua=mailto: or rua=https: followed by where reports go".to_string(),
                        ),
                        UriProblem::Empty => ("empty entry in rua".to_string(), "remove the extra `,`".to_string()),
                        UriProblem::NoScheme if uri.uri.contains('@') => (
                            format!("`{}` has no scheme", uri.uri),
                            corrected.unwrap_or_else(generic),
                        ),
                        UriProblem::NoScheme | UriProblem::Scheme => (
                            format!("`{}` is not a mailto: or https: uri", uri.uri),
                            corrected.unwrap_or_else(generic),
                        ),
                        UriProblem::BadAddress | UriProblem::BadHttps => (
                            format!("`{}` has no valid address or host", uri.uri),
                            corrected.unwrap_or_else(generic),
                        ),
                        UriProblem::NonAscii => (
                            format!("`{}` has characters outside ASCII", uri.uri),
                            "records are ASCII only: write an internationalised domain in its A-label form (`xn--...`)"
                                .to_string(),
                        ),
                        UriProblem::SpaceSeparated => (
                            "report uris in `rua` separated by a space, not `,`".to_string(),
                            format!("write rua={}", tags::comma_separated(&value.rua)),
                        ),
                    };
                    let span = match problem {
                        UriProblem::SpaceSeparated => uri.gap.unwrap_or(uri.span),
                        _ => uri.span,
                    };
                    sink.push(Diagnostic::new(&RUA_INVALID, span, message, help));
                }
            }
            // Other tags were reported by the lexer (unknown, or the misspelt `rua` they stand for).
            _ => {}
        }
    }
    if value.version_ok && list.missing("rua") {
        sink.push(Diagnostic::new(
            &RUA_MISSING,
            Span::new(0, text.len()),
            "no rua= tag with a report destination",
            "add rua=mailto: followed by the address TLS reports go to",
        ));
    }
    Parsed {
        value,
        diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
    }
}
