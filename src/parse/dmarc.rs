//! DMARC policy records (RFC 9989, which obsoletes RFC 7489 and RFC 9091), published as TXT at
//! `_dmarc.<domain>`.
//!
//! ```text
//! record = "v=DMARC1" *( ";" tag ) [";"]       ; v first, other tags in any order
//! p, sp, np   = "none" / "quarantine" / "reject"
//! psd         = "y" / "n" / "u"
//! t           = "y" / "n"                     ; t=y: testing, the policy is applied one step lower
//! adkim, aspf = "r" / "s"
//! rua, ruf    = uri *( *WSP "," *WSP uri )    ; mailto: or https:
//! fo          = fo-opt *( ":" fo-opt )        ; 0 / 1 / d / s
//! ```
//!
//! `pct`, `rf` and `ri` were removed by RFC 9989; they are read and reported as obsolete because
//! RFC 7489 receivers still honour them. A missing `p` is allowed by RFC 9989 §4.7: the record is
//! then treated as `p=none`.

use serde::Serialize;

use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, Severity, Sink, Span};
use crate::parse::tags::{self, Kind, ReportUri, Tag, UriProblem};

/// A domain owner's requested handling of mail that fails DMARC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    fn parse(value: &str) -> Option<Policy> {
        match value {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }

    /// One step weaker, as `t=y` asks (RFC 9989 §4.7).
    pub fn lowered(self) -> Policy {
        match self {
            Policy::Reject => Policy::Quarantine,
            Policy::Quarantine | Policy::None => Policy::None,
        }
    }
}

/// The `psd` tag: whether the domain is a public suffix domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Psd {
    #[serde(rename = "y")]
    Yes,
    #[serde(rename = "n")]
    No,
    #[serde(rename = "u")]
    Unknown,
}

/// Identifier alignment mode (`adkim`, `aspf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Alignment {
    Relaxed,
    Strict,
}

/// One failure-reporting option of `fo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FailureOption {
    /// `0`: report when all mechanisms fail to give an aligned pass.
    #[serde(rename = "0")]
    All,
    /// `1`: report when any mechanism fails.
    #[serde(rename = "1")]
    Any,
    /// `d`: report DKIM signature failures.
    #[serde(rename = "d")]
    Dkim,
    /// `s`: report SPF failures.
    #[serde(rename = "s")]
    Spf,
}

/// A parsed DMARC record. Absent or malformed tags are `None` (see `invalid_tags`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Dmarc {
    /// `v=DMARC1` is present, first, and exact.
    pub version_ok: bool,
    /// `p`.
    pub policy: Option<Policy>,
    /// `sp`.
    pub subdomain_policy: Option<Policy>,
    /// `np`.
    pub nonexistent_policy: Option<Policy>,
    pub psd: Option<Psd>,
    /// `t`: `Some(true)` for `t=y`.
    pub testing: Option<bool>,
    pub adkim: Option<Alignment>,
    pub aspf: Option<Alignment>,
    pub rua: Vec<ReportUri>,
    pub ruf: Vec<ReportUri>,
    pub fo: Vec<FailureOption>,
    /// Obsolete `pct` (RFC 7489).
    pub pct: Option<u8>,
    /// Tags present whose value could not be used.
    pub invalid_tags: Vec<String>,
}

impl Dmarc {
    /// The policy a receiver applies to mail failing DMARC, per RFC 9989: the organisational
    /// domain uses `p`; a subdomain uses `sp`, then `p`; a non-existent subdomain uses `np`, then
    /// `sp`, then `p`. A missing `p` means `none`; `t=y` lowers the result one step. Returns `None`
    /// when `p` is present but malformed (RFC 7489 receivers then apply no DMARC, or `none` when a
    /// valid `rua` is present) or when the text is not a DMARC record.
    pub fn effective_policy(&self, is_subdomain: bool, exists: bool) -> Option<Policy> {
        if !self.version_ok || self.invalid_tags.iter().any(|t| t == "p") {
            return None;
        }
        let base = self.policy.unwrap_or(Policy::None);
        let chosen = if !is_subdomain {
            base
        } else if !exists {
            self.nonexistent_policy.or(self.subdomain_policy).unwrap_or(base)
        } else {
            self.subdomain_policy.unwrap_or(base)
        };
        Some(if self.testing == Some(true) {
            chosen.lowered()
        } else {
            chosen
        })
    }
}

tags::tag_rules! {
    category: Category::Dmarc, area: Area::Authentication, weight: 30, label: "DMARC",
    version: "v=DMARC1", bad_version: "v=dmarc1",
    tag: ("p", "reject"), extra: "; rua=mailto:dmarc@example.com",
    upper: ("v=DMARC1; P=reject; rua=mailto:dmarc@example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"),
    misspelt: ("v=DMARC1; p=reject; asfp=s; rua=mailto:dmarc@example.com", "v=DMARC1; p=reject; aspf=s; rua=mailto:dmarc@example.com"),
    unknown: "note=example", refs: "RFC 9989 §4.7; RFC 7489 §6.3";
    EMPTY_RECORD = "DMARC001", "DmarcEmptyRecord", empty_record;
    EMPTY_TAG = "DMARC002", "DmarcEmptyTag", empty_tag;
    MALFORMED_TAG = "DMARC003", "DmarcMalformedTag", malformed_tag;
    WRONG_SEPARATOR = "DMARC004", "DmarcWrongSeparator", wrong_separator;
    DUPLICATE_TAG = "DMARC005", "DmarcDuplicateTag", duplicate_tag;
    UPPERCASE_TAG = "DMARC006", "DmarcUppercaseTag", uppercase_tag_note;
    NON_ASCII = "DMARC007", "DmarcNonAscii", non_ascii;
    TOO_MANY_PROBLEMS = "DMARC008", "DmarcTooManyProblems", too_many;
    UNKNOWN_TAG = "DMARC009", "DmarcUnknownTag", unknown_tag;
    ZONE_QUOTES = "DMARC010", "DmarcZoneFileQuotes", zone_quotes;
    VERSION_MISSING = "DMARC011", "DmarcVersionMissing", version_missing;
    VERSION_NOT_FIRST = "DMARC012", "DmarcVersionNotFirst", version_not_first;
    VERSION_INVALID = "DMARC013", "DmarcVersionInvalid", version_invalid;
    OTHER_KIND = "DMARC014", "DmarcOtherRecordKind", other_kind;
    MISSPELT_TAG = "DMARC015", "DmarcMisspeltTag", misspelt_tag;
}

pub const POLICY_MISSING: Rule = Rule {
    code: "DMARC020",
    name: "DmarcPolicyMissing",
    category: Category::Dmarc,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 8,
    checks: "A DMARC record with no `p` tag.",
    why: "RFC 9989 treats a record without `p` as `p=none`, so nothing is enforced; RFC 7489 receivers required `p` and apply no DMARC processing at all unless a valid `rua` is present. Stating the policy removes the doubt.",
    problematic: "v=DMARC1; rua=mailto:dmarc@example.com",
    corrected: "v=DMARC1; p=none; rua=mailto:dmarc@example.com",
    references: "RFC 9989 §4.7; RFC 7489 §6.6.3",
}.for_target();

pub const POLICY_INVALID: Rule = Rule {
    code: "DMARC021",
    name: "DmarcPolicyInvalid",
    category: Category::Dmarc,
    severity: Severity::Error,
    area: Area::Authentication,
    weight: 25,
    checks: "A `p` tag whose value is not `none`, `quarantine` or `reject`. Letter case does not matter (`p=Reject` is valid): the DMARC grammar's strings are case-insensitive.",
    why: "A receiver cannot apply a policy it cannot read. RFC 7489 receivers fall back to `none` when a valid `rua` is present and otherwise skip DMARC for the domain, so spoofed mail is not stopped.",
    problematic: "v=DMARC1; p=rejct; rua=mailto:dmarc@example.com",
    corrected: "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
    references: "RFC 9989 §4.7; RFC 7489 §6.6.3",
}.for_target();

pub const SUBDOMAIN_POLICY_INVALID: Rule = Rule {
    code: "DMARC022",
    name: "DmarcSubdomainPolicyInvalid",
    category: Category::Dmarc,
    severity: Severity::Error,
    area: Area::Authentication,
    weight: 10,
    checks: "An `sp` or `np` tag whose value is not `none`, `quarantine` or `reject`.",
    why: "The malformed value is ignored, so subdomains (or non-existent subdomains, for `np`) fall back to the next policy in line, which may be weaker than intended.",
    problematic: "v=DMARC1; p=reject; sp=rejected",
    corrected: "v=DMARC1; p=reject; sp=reject",
    references: "RFC 9989 §4.7",
}.for_target();

pub const POLICY_NONE: Rule = Rule {
    code: "DMARC023",
    name: "DmarcPolicyNone",
    category: Category::Dmarc,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 5,
    checks: "A record whose effective domain policy is `none` (`p=none`, or `p` missing).",
    why: "`p=none` asks receivers to take no action on mail that fails DMARC: it collects reports but does not stop spoofing. Google and Yahoo accept it for bulk senders, but it protects nobody.",
    problematic: "v=DMARC1; p=none; rua=mailto:dmarc@example.com",
    corrected: "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com",
    references: "RFC 9989 §4.7; RFC 9989 §7",
}.for_target();

pub const TESTING_MODE: Rule = Rule {
    code: "DMARC024",
    name: "DmarcTestingMode",
    category: Category::Dmarc,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 5,
    checks: "A record with `t=y` (testing mode).",
    why: "With `t=y` receivers apply the policy one step lower: `reject` is treated as `quarantine` and `quarantine` as `none`. It is meant for the rollout, not for good.",
    problematic: "v=DMARC1; p=reject; t=y",
    corrected: "v=DMARC1; p=reject",
    references: "RFC 9989 §4.7",
}.for_target();

pub const INVALID_TAG_VALUE: Rule = Rule {
    code: "DMARC025",
    name: "DmarcInvalidTagValue",
    category: Category::Dmarc,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 4,
    checks: "A value outside the allowed set for `psd` (y, n, u), `t` (y, n), `adkim`/`aspf` (r, s), `fo` (0, 1, d, s joined by `:`) or the obsolete `pct` (0 to 100).",
    why: "Receivers discard a malformed value and use the default (relaxed alignment, no testing, `fo=0`), which may not be what the domain owner meant.",
    problematic: "v=DMARC1; p=reject; adkim=strict; fo=1,d",
    corrected: "v=DMARC1; p=reject; adkim=s; fo=1:d",
    references: "RFC 9989 §4.7; RFC 7489 §6.3",
}.for_target();

pub const OBSOLETE_TAG: Rule = Rule {
    code: "DMARC026",
    name: "DmarcObsoleteTag",
    category: Category::Dmarc,
    severity: Severity::Info,
    area: Area::None,
    weight: 0,
    checks: "The tags `pct`, `rf` and `ri`, which RFC 9989 removed. A `pct` below 100 (with a policy other than `none`) is reported as a partial percentage (DMARC027) and one outside 0 to 100 as an invalid value (DMARC025) instead, in one diagnostic that also says the tag is obsolete.",
    why: "RFC 9989 receivers ignore these tags; RFC 7489 receivers still honour them. They do no harm, but they no longer control anything for up-to-date receivers.",
    problematic: "v=DMARC1; p=reject; pct=100; rf=afrf; ri=86400",
    corrected: "v=DMARC1; p=reject",
    references: "RFC 9989 Appendix C; RFC 7489 §6.3",
}.for_target();

pub const PARTIAL_PERCENTAGE: Rule = Rule {
    code: "DMARC027",
    name: "DmarcPartialPercentage",
    category: Category::Dmarc,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 5,
    checks: "An obsolete `pct` tag below 100.",
    why: "RFC 7489 receivers apply the policy to only that share of failing mail and treat the rest one step lower; RFC 9989 receivers ignore `pct` and apply the full policy. The domain gets a different policy depending on the receiver.",
    problematic: "v=DMARC1; p=reject; pct=10",
    corrected: "v=DMARC1; p=reject",
    references: "RFC 7489 §6.3; RFC 9989 Appendix C",
}.for_target();

pub const REPORT_URI_SCHEME: Rule = Rule {
    code: "DMARC028",
    name: "DmarcReportUriScheme",
    category: Category::Dmarc,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 4,
    checks: "A `rua` or `ruf` entry that is empty, has no URI scheme, uses a scheme other than `mailto:` or `https:`, or follows the URI before it after a space instead of a `,`.",
    why: "Receivers send reports only to URIs they can use; an entry without a usable scheme is skipped, and when it is the only one the domain gets no reports.",
    problematic: "v=DMARC1; p=reject; rua=dmarc@example.com",
    corrected: "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
    references: "RFC 9989 §4.7; RFC 9990 §2",
}.for_target();

pub const REPORT_ADDRESS_INVALID: Rule = Rule {
    code: "DMARC029",
    name: "DmarcReportAddressInvalid",
    category: Category::Dmarc,
    severity: Severity::Warning,
    area: Area::Authentication,
    weight: 4,
    checks: "A `mailto:` report URI whose address is not `local@domain` with a dotted domain (a doubled `@` included), an `https:` URI with no host, or a URI with characters outside ASCII (an internationalised domain not written as its A-label; when it holds the record's first such character, DMARC007 reports it instead).",
    why: "Reports to an address that cannot exist are lost; the domain owner never sees who sends mail in its name.",
    problematic: "v=DMARC1; p=reject; rua=mailto:dmarc.example.com",
    corrected: "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
    references: "RFC 9989 §4.7; RFC 6068 §2",
}.for_target();

pub const REPORT_SIZE_LIMIT: Rule = Rule {
    code: "DMARC030",
    name: "DmarcReportSizeLimit",
    category: Category::Dmarc,
    severity: Severity::Info,
    area: Area::None,
    weight: 0,
    checks: "A report URI with the `!size` suffix of RFC 7489 (e.g. `mailto:a@example.com!10m`).",
    why: "RFC 9989 dropped the size limit. Receivers that follow it may treat the suffix as part of the address; older ones honour it. Removing it is safe.",
    problematic: "v=DMARC1; p=reject; rua=mailto:dmarc@example.com!10m",
    corrected: "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
    references: "RFC 7489 §6.2; RFC 9989 Appendix C",
}.for_target();

/// This kind's own rules; the shared tag-list rules are in `TAG_RULES` (from `tag_rules!`).
pub static RULES: &[&Rule] = &[
    &POLICY_MISSING,
    &POLICY_INVALID,
    &SUBDOMAIN_POLICY_INVALID,
    &POLICY_NONE,
    &TESTING_MODE,
    &INVALID_TAG_VALUE,
    &OBSOLETE_TAG,
    &PARTIAL_PERCENTAGE,
    &REPORT_URI_SCHEME,
    &REPORT_ADDRESS_INVALID,
    &REPORT_SIZE_LIMIT,
];

const TAGS: &[&str] = &[
    "v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "rua", "ruf", "fo", "pct", "rf", "ri",
];

pub static KIND: Kind = Kind {
    label: "DMARC",
    version: "DMARC1",
    version_required: true,
    tags: TAGS,
    case_sensitive: false,
    required: &[tags::Required {
        tag: "p",
        rule: &POLICY_MISSING,
        hint: "p=none, p=quarantine or p=reject",
    }],
    uri_lists: &["rua", "ruf"],
    accepts,
    aliases: &[("policy", "p")],
    rules: tags::lex_rules!(),
};

/// Whether `value` fits the grammar of the DMARC tag `tag` (RFC 9989 §4.8, with RFC 7489's
/// `pct`, `rf` and `ri`), for typo suggestions. Values are case-insensitive.
fn accepts(tag: &str, value: &str) -> bool {
    let value = value.to_ascii_lowercase();
    let v = value.as_str();
    match tag {
        "p" | "sp" | "np" => Policy::parse(v).is_some(),
        "psd" => matches!(v, "y" | "n" | "u"),
        "t" => matches!(v, "y" | "n"),
        "adkim" | "aspf" => matches!(v, "r" | "s"),
        "rua" | "ruf" => tags::looks_like_uri_list(v),
        "fo" => v.split(':').all(|part| matches!(part.trim(), "0" | "1" | "d" | "s")),
        "pct" => v.parse::<u8>().is_ok_and(|n| n <= 100),
        "rf" => matches!(v, "afrf" | "iodef"),
        "ri" => !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

fn value_span(tag: &Tag) -> Span {
    if tag.value_span.is_empty() {
        tag.span
    } else {
        tag.value_span
    }
}

fn invalid(rule: &'static Rule, tag: &Tag, message: String, help: String, sink: &mut Sink, value: &mut Dmarc) {
    sink.push(Diagnostic::new(rule, value_span(tag), message, help));
    value.invalid_tags.push(tag.key.clone());
}

/// A policy value; a wrong letter case gets its own help since the intent is clear.
fn policy_tag(tag: &Tag, rule: &'static Rule, sink: &mut Sink, value: &mut Dmarc) -> Option<Policy> {
    // DMARC's ABNF strings are case-insensitive, so `p=REJECT` is valid.
    let lower = tag.value.to_ascii_lowercase();
    if let Some(p) = Policy::parse(&lower) {
        return Some(p);
    }
    let help = match tags::suggest(&lower, &["none", "quarantine", "reject"]) {
        Some(s) => format!("write {}={s}", tag.key),
        None => format!("use {}=none, {}=quarantine or {}=reject", tag.key, tag.key, tag.key),
    };
    let message = if tag.value.is_empty() {
        format!("`{}` has no value", tag.key)
    } else {
        format!("invalid policy `{}` in `{}`", tag.value, tag.key)
    };
    invalid(rule, tag, message, help, sink, value);
    None
}

fn yes_no(tag: &Tag, sink: &mut Sink, value: &mut Dmarc) -> Option<bool> {
    match tag.value.to_ascii_lowercase().as_str() {
        "y" => Some(true),
        "n" => Some(false),
        other => {
            invalid(
                &INVALID_TAG_VALUE,
                tag,
                format!("invalid value `{other}` for `t`"),
                "write t=y for testing mode, or remove the tag".to_string(),
                sink,
                value,
            );
            None
        }
    }
}

fn alignment(tag: &Tag, sink: &mut Sink, value: &mut Dmarc) -> Option<Alignment> {
    match tag.value.to_ascii_lowercase().as_str() {
        "r" => Some(Alignment::Relaxed),
        "s" => Some(Alignment::Strict),
        other => {
            let fix = match other.to_ascii_lowercase().as_str() {
                "strict" | "s" => "s",
                _ => "r",
            };
            invalid(
                &INVALID_TAG_VALUE,
                tag,
                format!("invalid alignment mode `{other}` for `{}`", tag.key),
                format!("write {}={fix} (r relaxed, s strict)", tag.key),
                sink,
                value,
            );
            None
        }
    }
}

fn failure_options(tag: &Tag, sink: &mut Sink, value: &mut Dmarc) -> Vec<FailureOption> {
    let mut out = Vec::new();
    let mut bad = false;
    for part in tag.value.split(':') {
        match part.trim().to_ascii_lowercase().as_str() {
            "0" => out.push(FailureOption::All),
            "1" => out.push(FailureOption::Any),
            "d" => out.push(FailureOption::Dkim),
            "s" => out.push(FailureOption::Spf),
            _ => bad = true,
        }
    }
    if bad {
        let cleaned: Vec<&str> = tag
            .value
            .split([':', ',', ' '])
            .map(str::trim)
            .filter(|p| matches!(*p, "0" | "1" | "d" | "s"))
            .collect();
        let help = if cleaned.is_empty() {
            "use fo=0, fo=1, fo=d, fo=s, or several joined by `:`".to_string()
        } else {
            format!("write fo={}", cleaned.join(":"))
        };
        invalid(
            &INVALID_TAG_VALUE,
            tag,
            format!("invalid failure reporting options `{}`", tag.value),
            help,
            sink,
            value,
        );
        return Vec::new();
    }
    out
}

fn report_uris(tag: &Tag, list: &tags::TagList, sink: &mut Sink) -> Vec<ReportUri> {
    let uris = tags::parse_uri_list(&tag.value, tag.value_span.start);
    for uri in &uris {
        if let (Some(size), Some(span)) = (&uri.size_limit, uri.size_span) {
            sink.push(Diagnostic::new(
                &REPORT_SIZE_LIMIT,
                span,
                format!("report size limit `!{size}` is obsolete"),
                format!("write {}", crate::text::trim_end_matches(&uri.uri, &format!("!{size}"))),
            ));
        }
        let Some(problem) = uri.problem else { continue };
        // One finding for a list written with spaces: its fix puts in every missing comma.
        if problem == UriProblem::SpaceSeparated && uri.span.start > tags::first_space_separated(&uris) {
            continue;
        }
        // The lexer's diagnostic for the first non-ASCII character already covers this URI.
        if problem == UriProblem::NonAscii && list.non_ascii_in(uri.span) {
            continue;
        }
        let corrected = tags::corrected_uri(&uri.uri).map(|fixed| format!("write {fixed}"));
        let (rule, message, help) = match problem {
            UriProblem::Empty if uris.len() == 1 => (
                &REPORT_URI_SCHEME,
                format!("`{}` has no report uri", tag.key),
                format!(
                    "remove the empty {}= tag, or write {}=mailto: followed by the address reports go to",
                    tag.key, tag.key
                ),
            ),
            UriProblem::Empty => (
                &REPORT_URI_SCHEME,
                format!("empty entry in `{}`", tag.key),
                "remove the extra `,`".to_string(),
            ),
            UriProblem::NoScheme => (
                &REPORT_URI_SCHEME,
                format!("report uri `{}` has no scheme", uri.uri),
                corrected.unwrap_or_else(|| "start the URI with mailto: or https:".to_string()),
            ),
            UriProblem::Scheme => (
                &REPORT_URI_SCHEME,
                format!(
                    "unsupported report uri scheme `{}`",
                    uri.scheme.as_deref().unwrap_or("")
                ),
                "use a mailto: or https: uri".to_string(),
            ),
            UriProblem::BadAddress => (
                &REPORT_ADDRESS_INVALID,
                format!("`{}` is not a valid mailbox", uri.uri),
                corrected.unwrap_or_else(|| "write mailto:local@domain, e.g. mailto:dmarc@example.com".to_string()),
            ),
            UriProblem::BadHttps => (
                &REPORT_ADDRESS_INVALID,
                format!("`{}` has no valid host", uri.uri),
                "write https://host.example/path".to_string(),
            ),
            UriProblem::NonAscii => (
                &REPORT_ADDRESS_INVALID,
                format!("`{}` has characters outside ASCII", uri.uri),
                "records are ASCII only: write an internationalised domain in its A-label form (`xn--...`)".to_string(),
            ),
            UriProblem::SpaceSeparated => (
                &REPORT_URI_SCHEME,
                format!("report uris in `{}` separated by a space, not `,`", tag.key),
                format!("write {}={}", tag.key, tags::comma_separated(&uris)),
            ),
        };
        let span = match problem {
            UriProblem::SpaceSeparated => uri.gap.unwrap_or(uri.span),
            _ => uri.span,
        };
        sink.push(Diagnostic::new(rule, span, message, help));
    }
    uris
}

/// Parses a DMARC record (the TXT value at `_dmarc.<domain>`).
pub fn parse(text: &str) -> Parsed<Dmarc> {
    let mut sink = Sink::default();
    let list = tags::lex(text, &KIND, &mut sink);
    let mut value = Dmarc::default();
    if list.empty || list.other_kind {
        return Parsed {
            value,
            diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
        };
    }
    value.version_ok = list.tags.first().is_some_and(|t| t.key == "v" && t.value == "DMARC1");

    for tag in list.unique() {
        match tag.key.as_str() {
            "v" => {}
            "p" => value.policy = policy_tag(tag, &POLICY_INVALID, &mut sink, &mut value),
            "sp" => value.subdomain_policy = policy_tag(tag, &SUBDOMAIN_POLICY_INVALID, &mut sink, &mut value),
            "np" => value.nonexistent_policy = policy_tag(tag, &SUBDOMAIN_POLICY_INVALID, &mut sink, &mut value),
            "psd" => {
                value.psd = match tag.value.to_ascii_lowercase().as_str() {
                    "y" => Some(Psd::Yes),
                    "n" => Some(Psd::No),
                    "u" => Some(Psd::Unknown),
                    other => {
                        invalid(
                            &INVALID_TAG_VALUE,
                            tag,
                            format!("invalid value `{other}` for `psd`"),
                            "write psd=y, psd=n or psd=u".to_string(),
                            &mut sink,
                            &mut value,
                        );
                        None
                    }
                }
            }
            "t" => {
                value.testing = yes_no(tag, &mut sink, &mut value);
                if value.testing == Some(true) {
                    sink.push(Diagnostic::new(
                        &TESTING_MODE,
                        tag.span,
                        "testing mode lowers the policy one step",
                        "remove t=y once reports show all legitimate mail passes",
                    ));
                }
            }
            "adkim" => value.adkim = alignment(tag, &mut sink, &mut value),
            "aspf" => value.aspf = alignment(tag, &mut sink, &mut value),
            "fo" => value.fo = failure_options(tag, &mut sink, &mut value),
            "rua" => value.rua = report_uris(tag, &list, &mut sink),
            "ruf" => value.ruf = report_uris(tag, &list, &mut sink),
            // One diagnostic for `pct`: a partial or invalid percentage is the thing to fix, and its
            // message says the tag is obsolete too.
            "pct" => {
                match tag.value.parse::<u8>() {
                    Ok(n) if n <= 100 => {
                        value.pct = Some(n);
                        // With p=none there is nothing to apply partially.
                        if n < 100 && list.get("p").is_some_and(|p| !p.value.eq_ignore_ascii_case("none")) {
                            sink.push(Diagnostic::new(
                            &PARTIAL_PERCENTAGE,
                            tag.span,
                            format!("older receivers apply the policy to only {n}% of failing mail; RFC 9989 removed pct"),
                            "remove pct (use t=y for a staged rollout), or set pct=100",
                        ));
                        } else {
                            sink.push(Diagnostic::new(
                                &OBSOLETE_TAG,
                                tag.name_span,
                                "`pct` was removed in RFC 9989",
                                "remove the pct tag; use t=y for a staged rollout",
                            ));
                        }
                    }
                    _ => invalid(
                        &INVALID_TAG_VALUE,
                        tag,
                        format!("invalid percentage `{}`; RFC 9989 removed pct", tag.value),
                        "remove the pct tag".to_string(),
                        &mut sink,
                        &mut value,
                    ),
                }
            }
            "rf" | "ri" => sink.push(Diagnostic::new(
                &OBSOLETE_TAG,
                tag.name_span,
                format!("`{}` was removed in RFC 9989", tag.key),
                format!("remove the {} tag", tag.key),
            )),
            // Other tags were reported by the lexer (unknown, or a likely misspelling).
            _ => {}
        }
    }

    if value.version_ok {
        match list.get("p") {
            None if !list.missing("p") => {}
            None => {
                let at = list.tags.first().map_or(0, |t| t.span.end);
                sink.push(Diagnostic::new(
                    &POLICY_MISSING,
                    Span::point(at),
                    "no `p` tag; receivers apply p=none",
                    "add p=none, p=quarantine or p=reject after v=DMARC1",
                ));
            }
            Some(p) if value.policy == Some(Policy::None) => sink.push(Diagnostic::new(
                &POLICY_NONE,
                p.span,
                "policy none asks receivers to take no action on failing mail",
                "move to p=quarantine, then p=reject, once reports show all legitimate mail passes",
            )),
            Some(_) => {}
        }
    }
    Parsed {
        value,
        diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
    }
}
