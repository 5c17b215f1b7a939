//! SPF records (RFC 7208): a typed syntax tree and linter-grade diagnostics.
//!
//! The parser works on bytes, not `str`, so that a TXT record with bytes that are not UTF-8
//! gets a diagnostic instead of a panic, and so that every span is a byte offset into exactly
//! the text the caller gave. It never fails: a broken term becomes [`TermKind::Invalid`] and
//! one diagnostic. Whether the record is usable for evaluation (RFC 7208 §4.6: any syntax
//! error anywhere is a permerror) is recorded apart from severity in [`SpfRecord::permerror`],
//! because some findings are serious for a publisher but legal for a verifier (`include=x`
//! is, to the grammar, an unknown modifier that is ignored).
//!
//! ```text
//! record           = version terms *SP
//! version          = "v=spf1"
//! terms            = *( 1*SP ( directive / modifier ) )
//! directive        = [ qualifier ] mechanism
//! qualifier        = "+" / "-" / "?" / "~"
//! mechanism        = ( all / include / a / mx / ptr / ip4 / ip6 / exists )
//! modifier         = redirect / explanation / unknown-modifier
//! unknown-modifier = name "=" macro-string
//! name             = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
//! domain-spec      = macro-string domain-end
//! domain-end       = ( "." toplabel [ "." ] ) / macro-expand
//! macro-expand     = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
//! ```

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, RelatedLabel, Severity, Sink, Span};

// ---------------------------------------------------------------------------------------------
// Syntax tree
// ---------------------------------------------------------------------------------------------

/// A parsed SPF record.
///
/// The record keeps one copy of its bytes, and its terms and macro-strings are spans into them:
/// read them with [`SpfRecord::text`], [`MacroString::text`] and [`MacroString::parts`]. Parsing
/// a clean record so allocates the bytes and the term list and nothing per term. Serialized (for
/// the CLI's `--json` and the page), a record shows every term with its text and every
/// macro-string with its text and parts, as an owned tree would.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SpfRecord {
    /// The record's bytes as parsed (the TXT strings joined); every span indexes them.
    bytes: Box<[u8]>,
    /// Where `v=spf1` sits, when the record starts with it.
    pub version: Option<Span>,
    /// The terms in record order, including broken ones.
    pub terms: Vec<Term>,
    /// Length of the record text in bytes.
    pub length: usize,
    /// Set when an evaluator must return permerror for this record (RFC 7208 §4.6, §6):
    /// the first such problem.
    pub permerror: Option<PermError>,
}

impl SpfRecord {
    /// The record's bytes, which every span of the record indexes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The text under `span` (lossy for bytes that are not UTF-8; empty outside the record).
    pub fn text(&self, span: Span) -> Cow<'_, str> {
        lossy(self.bytes.get(span.start..span.end).unwrap_or_default())
    }

    /// A term as written.
    pub fn term_text(&self, term: &Term) -> Cow<'_, str> {
        self.text(term.span)
    }
}

/// Why a record would make `check_host()` return permerror.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PermError {
    pub code: &'static str,
    pub span: Span,
    pub message: Cow<'static, str>,
}

/// One term: a directive (qualifier and mechanism) or a modifier. Its text is
/// [`SpfRecord::term_text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub span: Span,
    pub kind: TermKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TermKind {
    Directive(Directive),
    Modifier(Modifier),
    /// A term that does not parse; its diagnostic says why.
    Invalid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

impl Qualifier {
    pub fn symbol(self) -> char {
        match self {
            Qualifier::Pass => '+',
            Qualifier::Fail => '-',
            Qualifier::SoftFail => '~',
            Qualifier::Neutral => '?',
        }
    }

    fn from_byte(byte: u8) -> Option<Qualifier> {
        Some(match byte {
            b'+' => Qualifier::Pass,
            b'-' => Qualifier::Fail,
            b'~' => Qualifier::SoftFail,
            b'?' => Qualifier::Neutral,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Directive {
    pub qualifier: Qualifier,
    /// False when the qualifier was left out (and so defaults to `+`).
    pub explicit_qualifier: bool,
    pub mechanism: Mechanism,
}

/// Both CIDR prefix lengths of `a` and `mx` (`/24//64`); absent parts mean a full match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
pub struct DualCidr {
    pub ip4: Option<u8>,
    pub ip6: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum Mechanism {
    All,
    Include {
        domain: MacroString,
    },
    A {
        domain: Option<MacroString>,
        cidr: DualCidr,
    },
    Mx {
        domain: Option<MacroString>,
        cidr: DualCidr,
    },
    Ptr {
        domain: Option<MacroString>,
    },
    Ip4 {
        addr: Ipv4Addr,
        prefix: Option<u8>,
    },
    Ip6 {
        addr: Ipv6Addr,
        prefix: Option<u8>,
    },
    Exists {
        domain: MacroString,
    },
}

impl Mechanism {
    pub fn name(&self) -> &'static str {
        match self {
            Mechanism::All => "all",
            Mechanism::Include { .. } => "include",
            Mechanism::A { .. } => "a",
            Mechanism::Mx { .. } => "mx",
            Mechanism::Ptr { .. } => "ptr",
            Mechanism::Ip4 { .. } => "ip4",
            Mechanism::Ip6 { .. } => "ip6",
            Mechanism::Exists { .. } => "exists",
        }
    }

    /// True for the mechanisms that count towards the limit of 10 DNS lookups (§4.6.4).
    pub fn causes_lookup(&self) -> bool {
        matches!(
            self,
            Mechanism::Include { .. }
                | Mechanism::A { .. }
                | Mechanism::Mx { .. }
                | Mechanism::Ptr { .. }
                | Mechanism::Exists { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum Modifier {
    Redirect {
        domain: MacroString,
    },
    Exp {
        domain: MacroString,
    },
    /// A modifier RFC 7208 does not define: kept, ignored by evaluation (§6).
    Unknown {
        #[serde(rename = "modifier")]
        name: String,
        value: MacroString,
    },
}

/// A macro-string (RFC 7208 §7.1), checked when parsed and kept as a span of the text it came
/// from (the record, or a fetched explanation): [`MacroString::text`] and
/// [`MacroString::parts`] read it back from that text. Serialized, it is its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
pub struct MacroString {
    pub span: Span,
    /// Holds a `%{...}` macro.
    #[serde(skip)]
    has_macros: bool,
    /// Holds no `%` at all: the text is the value.
    #[serde(skip)]
    literal: bool,
    /// Parsed as explanation text (letters c, r, t and spaces allowed).
    #[serde(skip)]
    explain: bool,
}

impl MacroString {
    pub fn has_macros(&self) -> bool {
        self.has_macros
    }

    /// True when the text has no `%` escape or macro, so it stands for itself.
    pub fn is_literal(&self) -> bool {
        self.literal
    }

    /// The macro-string as written; `source` is the text it was parsed from.
    pub fn text<'a>(&self, source: &'a [u8]) -> Cow<'a, str> {
        lossy(source.get(self.span.start..self.span.end).unwrap_or_default())
    }

    /// Its literal runs, escapes and macros, read again from `source`, the text it was parsed
    /// from (it was checked then, so this finds no error).
    pub fn parts<'a>(&self, source: &'a [u8]) -> Vec<MacroPart<'a>> {
        let bytes = source.get(self.span.start..self.span.end).unwrap_or_default();
        let mut parts = Vec::new();
        let _ = scan_macro_string(bytes, self.span.start, self.explain, Some(&mut parts));
        parts
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MacroPart<'a> {
    Literal(&'a str),
    /// `%%`: a percent sign.
    Percent,
    /// `%_`: a space.
    Space,
    /// `%-`: the URL-encoded space `%20`.
    UrlSpace,
    Macro(Macro<'a>),
}

/// `%{` letter digits [r] delimiters `}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Macro<'a> {
    /// The macro letter, lowercase: one of `s l o d i p h c r t v`.
    pub letter: char,
    /// Written in upper case: the expansion is URL-escaped (§7.3).
    pub url_escape: bool,
    /// Keep this many right-hand parts.
    pub digits: Option<u32>,
    pub reverse: bool,
    /// Delimiters to split on; empty means `.`.
    pub delimiters: &'a str,
    pub span: Span,
}

/// A term as serialized: with its text.
#[derive(Serialize)]
struct TermView<'a> {
    span: Span,
    text: Cow<'a, str>,
    kind: &'a TermKind,
}

impl Serialize for SpfRecord {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let terms: Vec<TermView> = self
            .terms
            .iter()
            .map(|term| TermView {
                span: term.span,
                text: self.term_text(term),
                kind: &term.kind,
            })
            .collect();
        let mut s = serializer.serialize_struct("SpfRecord", 4)?;
        s.serialize_field("version", &self.version)?;
        s.serialize_field("terms", &terms)?;
        s.serialize_field("length", &self.length)?;
        s.serialize_field("permerror", &self.permerror)?;
        s.end()
    }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const fn rule(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    weight: u8,
    texts: [&'static str; 5],
) -> Rule {
    Rule {
        code,
        name,
        category: Category::Spf,
        severity,
        area: if weight == 0 { Area::None } else { Area::Authentication },
        weight,
        checks: texts[0],
        why: texts[1],
        problematic: texts[2],
        corrected: texts[3],
        references: texts[4],
    }
    .for_target()
}

pub const SPF_WRONG_VERSION: Rule = rule(
    "SPF001",
    "SpfWrongVersion",
    Severity::Error,
    30,
    [
        "The record starts with exactly `v=spf1` (any case) followed by a space or the end of the record.",
        "Receivers select the SPF record by this prefix alone: `v=spf1x`, `v=spf1mx`, `v=spf2.0` or `spf1` are not SPF records, so the domain is treated as having no SPF policy at all. Publish the record as TXT: the SPF RR type 99 is obsolete and no receiver reads it.",
        "v=spf1mx include:_spf.example.com -all",
        "v=spf1 mx include:_spf.example.com -all",
        "RFC 7208 §4.5, §3.1, §12",
    ],
);
pub const SPF_LEADING_WHITESPACE: Rule = rule(
    "SPF002",
    "SpfLeadingWhitespace",
    Severity::Error,
    30,
    [
        "The record has whitespace before `v=spf1`.",
        "A TXT record that does not begin with `v=spf1` is not an SPF record (RFC 7208 §4.5): receivers skip it and the domain has no SPF policy.",
        " v=spf1 mx -all",
        "v=spf1 mx -all",
        "RFC 7208 §4.5",
    ],
);
pub const SPF_EMPTY_RECORD: Rule = rule(
    "SPF003",
    "SpfEmptyRecord",
    Severity::Info,
    0,
    [
        "The record is `v=spf1` with no terms.",
        "An empty record authorises no host and gives neutral for everyone. That is right for a domain that sends no mail only if it ends in `-all`; otherwise it says nothing.",
        "v=spf1",
        "v=spf1 -all",
        "RFC 7208 §4.7, §10.1.2",
    ],
);
pub const SPF_SYNTAX_ERROR: Rule = rule(
    "SPF004",
    "SpfSyntaxError",
    Severity::Error,
    30,
    [
        "Each term follows the RFC 7208 grammar: a mechanism with its arguments, or a modifier `name=value`.",
        "A syntax error anywhere in the record makes every receiver return permerror (RFC 7208 §4.6), which many treat like a failure or like no SPF at all.",
        "v=spf1 -all:foobar",
        "v=spf1 -all",
        "RFC 7208 §4.6, §5, §6",
    ],
);
pub const SPF_UNKNOWN_MECHANISM: Rule = rule(
    "SPF005",
    "SpfUnknownMechanism",
    Severity::Error,
    30,
    [
        "Every mechanism is one of all, include, a, mx, ptr, ip4, ip6, exists.",
        "An unknown mechanism is a syntax error: receivers return permerror for the whole record (RFC 7208 §4.6). Typos such as `inlcude` or `ipv4` are the usual cause.",
        "v=spf1 ipv4:192.0.2.0/24 inlcude:_spf.example.com -all",
        "v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all",
        "RFC 7208 §5, §4.6",
    ],
);
pub const SPF_WRONG_SEPARATOR: Rule = rule(
    "SPF006",
    "SpfWrongSeparator",
    Severity::Error,
    25,
    [
        "Mechanisms take their argument after `:` and modifiers after `=`.",
        "`include=x` is, to the grammar, an unknown modifier that receivers silently ignore, so the include never happens; `redirect:x` is an unknown mechanism and a permerror.",
        "v=spf1 include=_spf.example.com redirect:_spf.example.net",
        "v=spf1 include:_spf.example.com redirect=_spf.example.net",
        "RFC 7208 §4.6.1, §5, §6",
    ],
);
pub const SPF_TERM_SEPARATOR: Rule = rule(
    "SPF007",
    "SpfTermSeparator",
    Severity::Error,
    30,
    [
        "Terms are separated by spaces only, not commas or semicolons.",
        "A comma or semicolon becomes part of the term and breaks it: receivers return permerror for the record.",
        "v=spf1 ip4:192.0.2.1, include:_spf.example.com; -all",
        "v=spf1 ip4:192.0.2.1 include:_spf.example.com -all",
        "RFC 7208 §4.6.1",
    ],
);
pub const SPF_BAD_MACRO: Rule = rule(
    "SPF008",
    "SpfBadMacro",
    Severity::Error,
    30,
    [
        "Every `%` starts a valid macro: `%{letter digits r delimiters}`, `%%`, `%_` or `%-`, with a known letter (c, r, t only in explanation text) and a non-zero digit count.",
        "A malformed macro is a syntax error: receivers return permerror for the record.",
        "v=spf1 exists:%(ir).bl.example.com -all",
        "v=spf1 exists:%{ir}.bl.example.com -all",
        "RFC 7208 §7.1, §7.3",
    ],
);
pub const SPF_BAD_CIDR: Rule = rule(
    "SPF009",
    "SpfBadCidr",
    Severity::Error,
    30,
    [
        "CIDR prefix lengths are 0-32 for IPv4 and 0-128 for IPv6, without leading zeros, written `/n` for ip4, `/n` for ip6, and `/n//m` for a and mx.",
        "An invalid prefix length is a syntax error: receivers return permerror for the record.",
        "v=spf1 ip4:192.0.2.0/33 a/24/64 -all",
        "v=spf1 ip4:192.0.2.0/24 a/24//64 -all",
        "RFC 7208 §5.6, §5.3, §5.4",
    ],
);
pub const SPF_BAD_IP_ADDRESS: Rule = rule(
    "SPF010",
    "SpfBadIpAddress",
    Severity::Error,
    30,
    [
        "`ip4:` holds a complete dotted-quad IPv4 address and `ip6:` an IPv6 address, without ports or missing parts.",
        "A malformed address is a syntax error: receivers return permerror for the record.",
        "v=spf1 ip4:192.0.2 ip4:192.0.2.1:25 -all",
        "v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.1 -all",
        "RFC 7208 §5.6",
    ],
);
pub const SPF_MACRO_IN_IP: Rule = rule(
    "SPF011",
    "SpfMacroInIp",
    Severity::Error,
    30,
    [
        "`ip4:` and `ip6:` hold literal addresses; macros are not expanded there.",
        "The grammar of ip4 and ip6 has no macros: a `%` there is a syntax error and receivers return permerror.",
        "v=spf1 ip4:%{i} -all",
        "v=spf1 exists:%{i}.allow.example.com -all",
        "RFC 7208 §5.6, §7.1",
    ],
);
pub const SPF_INVALID_DOMAIN_SPEC: Rule = rule(
    "SPF012",
    "SpfInvalidDomainSpec",
    Severity::Error,
    30,
    [
        "A domain argument is present where required and ends in a macro or in `.` and a valid top-level label (not all digits, no leading or trailing dash).",
        "A domain-spec that breaks the grammar is a syntax error: receivers return permerror for the whole record. A bare IP address after `a:` is a common case.",
        "v=spf1 a:192.0.2.1 include: -all",
        "v=spf1 ip4:192.0.2.1 include:_spf.example.com -all",
        "RFC 7208 §7.1, §5.2, §5.3",
    ],
);
pub const SPF_NON_ASCII: Rule = rule(
    "SPF013",
    "SpfNonAscii",
    Severity::Error,
    30,
    [
        "The record is 7-bit ASCII.",
        "SPF records are restricted to ASCII; receivers return permerror for a record with other bytes (often an invisible byte-order mark or a typographic dash pasted from a document).",
        "v=spf1 a:mail.example.com –all",
        "v=spf1 a:mail.example.com -all",
        "RFC 7208 §3.1, §4.6",
    ],
);
pub const SPF_CONTROL_CHARACTER: Rule = rule(
    "SPF014",
    "SpfControlCharacter",
    Severity::Error,
    30,
    [
        "Terms are separated by single spaces, and contain no control characters such as tab, CR, LF or NUL.",
        "A control character becomes part of a term and breaks it: receivers return permerror for the record.",
        "v=spf1 ip4:192.0.2.5\\n include:_spf.example.com ~all",
        "v=spf1 ip4:192.0.2.5 include:_spf.example.com ~all",
        "RFC 7208 §4.6.1",
    ],
);
pub const SPF_DUPLICATE_MODIFIER: Rule = rule(
    "SPF015",
    "SpfDuplicateModifier",
    Severity::Error,
    30,
    [
        "`redirect=` and `exp=` appear at most once each.",
        "RFC 7208 §6 says a record with two of either is a permerror.",
        "v=spf1 mx redirect=_spf.example.com redirect=_spf.example.net",
        "v=spf1 mx redirect=_spf.example.com",
        "RFC 7208 §6",
    ],
);
pub const SPF_TERMS_AFTER_ALL: Rule = rule(
    "SPF016",
    "SpfTermsAfterAll",
    Severity::Warning,
    3,
    [
        "No mechanism follows `all`.",
        "`all` always matches, so mechanisms after it are never evaluated: the hosts they name are not authorised.",
        "v=spf1 -all include:_spf.example.com",
        "v=spf1 include:_spf.example.com -all",
        "RFC 7208 §5.1",
    ],
);
pub const SPF_REDIRECT_WITH_ALL: Rule = rule(
    "SPF017",
    "SpfRedirectWithAll",
    Severity::Warning,
    3,
    [
        "The record does not have both `all` and `redirect=`.",
        "`redirect` only applies when no mechanism matched, and `all` always matches: the redirect is ignored.",
        "v=spf1 mx redirect=_spf.example.com ~all",
        "v=spf1 mx redirect=_spf.example.com",
        "RFC 7208 §6.1, §5.1",
    ],
);
pub const SPF_PTR_USED: Rule = rule(
    "SPF018",
    "SpfPtrUsed",
    Severity::Warning,
    5,
    [
        "The record does not use the `ptr` mechanism.",
        "RFC 7208 says `ptr` SHOULD NOT be used: it is slow, puts load on the reverse DNS of others, and is unreliable; some large receivers ignore it.",
        "v=spf1 ptr:example.com -all",
        "v=spf1 ip4:192.0.2.0/24 -all",
        "RFC 7208 §5.5",
    ],
);
pub const SPF_PLUS_ALL: Rule = rule(
    "SPF019",
    "SpfPlusAll",
    Severity::Error,
    25,
    [
        "The record does not end in `+all` (or a bare `all`, which means the same), and no `ip4`, `ip6`, `a` or `mx` term passes a `/0` prefix (`ip4:0.0.0.0/0` is `+all` for IPv4).",
        "`+all` authorises every host on the internet to send as the domain: SPF then protects nothing, and receivers and DMARC give spoofed mail a pass.",
        "v=spf1 include:_spf.example.com +all",
        "v=spf1 include:_spf.example.com -all",
        "RFC 7208 §5.1, §2.6.1",
    ],
);
pub const SPF_NEUTRAL_ALL: Rule = rule(
    "SPF020",
    "SpfNeutralAll",
    Severity::Warning,
    10,
    [
        "The record does not end in `?all`.",
        "`?all` says nothing about hosts not listed: the result is neutral, which receivers treat like no SPF, so spoofed mail is not marked.",
        "v=spf1 include:_spf.example.com ?all",
        "v=spf1 include:_spf.example.com ~all",
        "RFC 7208 §2.6.2, §8.2",
    ],
);
pub const SPF_NO_ALL_NO_REDIRECT: Rule = rule(
    "SPF021",
    "SpfNoAllNoRedirect",
    Severity::Warning,
    5,
    [
        "The record ends with an `all` mechanism or has a `redirect=`.",
        "Without either, hosts that match nothing get the default result neutral, which tells receivers nothing about unlisted senders.",
        "v=spf1 mx include:_spf.example.com",
        "v=spf1 mx include:_spf.example.com -all",
        "RFC 7208 §4.7",
    ],
);
pub const SPF_RECORD_OVER_450: Rule = rule(
    "SPF022",
    "SpfRecordOver450",
    Severity::Warning,
    2,
    [
        "The record is at most 450 bytes.",
        "RFC 7208 recommends keeping SPF records small enough that the whole DNS answer fits one 512-byte UDP message; above about 450 bytes it may not, and answers fall back to TCP or get truncated.",
        "v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 ... (40 more ip4 terms) -all",
        "v=spf1 ip4:192.0.2.0/26 include:_spf2.example.com -all",
        "RFC 7208 §3.4",
    ],
);
pub const SPF_RECORD_OVER_512: Rule = rule(
    "SPF023",
    "SpfRecordOver512",
    Severity::Warning,
    5,
    [
        "The record is at most 512 bytes.",
        "An answer over 512 bytes never fits a classic UDP DNS message: resolvers without EDNS or TCP fail, and receivers return temperror or none.",
        "v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 ... (50 more ip4 terms) -all",
        "v=spf1 ip4:192.0.2.0/26 include:_spf2.example.com -all",
        "RFC 7208 §3.4",
    ],
);
pub const SPF_STRING_TOO_LONG: Rule = rule(
    "SPF024",
    "SpfStringTooLong",
    Severity::Warning,
    10,
    [
        "Each TXT character-string is at most 255 bytes.",
        "A DNS character-string holds at most 255 bytes: a longer record must be published as several quoted strings, which receivers join with no separator.",
        "\"v=spf1 ip4:192.0.2.1 ... (a 300-byte record in one string)\"",
        "\"v=spf1 ip4:192.0.2.1 ... \" \"ip4:198.51.100.1 -all\"",
        "RFC 7208 §3.3, RFC 1035 §3.3.14",
    ],
);
pub const SPF_UNKNOWN_MODIFIER: Rule = rule(
    "SPF025",
    "SpfUnknownModifier",
    Severity::Info,
    0,
    [
        "Modifiers are `redirect=` or `exp=`; others are noted, and one that looks like a misspelt `redirect=` or `exp=` (`redirec=`) is a warning.",
        "Receivers ignore unknown modifiers (RFC 7208 §6), so a modifier such as the obsolete `default=` has no effect.",
        "v=spf1 mx default=deny",
        "v=spf1 mx -all",
        "RFC 7208 §6",
    ],
);
pub const SPF_TOO_MANY_LOOKUPS: Rule = rule(
    "SPF026",
    "SpfTooManyLookups",
    Severity::Error,
    30,
    [
        "The record has at most 10 terms that cause DNS lookups (include, a, mx, ptr, exists, redirect), counting those a receiver evaluates: not terms after `all`, nor a `redirect=` beside `all`.",
        "Receivers stop after 10 such lookups over the whole evaluation and return permerror; a record that has more than 10 on its own reaches the limit before counting its includes.",
        "v=spf1 a mx include:a.example include:b.example include:c.example include:d.example include:e.example include:f.example include:g.example include:h.example include:i.example -all",
        "v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all",
        "RFC 7208 §4.6.4",
    ],
);
pub const SPF_TYPE_RECORD: Rule = rule(
    "SPF027",
    "SpfTypeRecord",
    Severity::Warning,
    2,
    [
        "The domain has no record of the obsolete DNS type SPF (RR type 99).",
        "RFC 7208 removed type 99: receivers read only TXT. A type-99 record is ignored, and when it differs from the TXT record it misleads whoever reads the zone.",
        "example.com. SPF \"v=spf1 mx -all\"",
        "example.com. TXT \"v=spf1 mx -all\"",
        "RFC 7208 §3.1, §14.1",
    ],
);

pub const SPF_TARGET_NOT_A_NAME: Rule = rule(
    "SPF028",
    "SpfTargetNameMalformed",
    Severity::Error,
    20,
    [
        "A domain written out in full after `a:`, `mx:`, `include:`, `exists:`, `ptr:` or `redirect=` has no empty label (two dots in a row, a leading dot), no label over 63 bytes, and at most 253 bytes.",
        "The grammar allows such a name, but no DNS query can be made for it: RFC 7208 leaves the result open, and receivers either skip the mechanism or return permerror for the whole record. It is almost always a typo.",
        "v=spf1 include:_spf.example..com -all",
        "v=spf1 include:_spf.example.com -all",
        "RFC 7208 §4.3, §4.8; RFC 1035 §2.3.4",
    ],
);

pub const SPF_SPACE_IN_TERM: Rule = rule(
    "SPF029",
    "SpfSpaceInTerm",
    Severity::Error,
    30,
    [
        "No space inside a term: between a qualifier and its mechanism, or on either side of the `:`, `=` or `/` that joins a term's parts.",
        "A space ends a term (RFC 7208 §4.6.1), so `~ all` or `include: _spf.example.com` is two broken terms, and receivers return permerror for the whole record. Such spaces usually come from typing the record by hand or from a provider's form that adds them.",
        "v=spf1 include: _spf.example.com ip4 :192.0.2.0/24 ~ all",
        "v=spf1 include:_spf.example.com ip4:192.0.2.0/24 ~all",
        "RFC 7208 §4.6.1, §12",
    ],
);

pub static RULES: &[&Rule] = &[
    &SPF_WRONG_VERSION,
    &SPF_LEADING_WHITESPACE,
    &SPF_EMPTY_RECORD,
    &SPF_SYNTAX_ERROR,
    &SPF_UNKNOWN_MECHANISM,
    &SPF_WRONG_SEPARATOR,
    &SPF_TERM_SEPARATOR,
    &SPF_BAD_MACRO,
    &SPF_BAD_CIDR,
    &SPF_BAD_IP_ADDRESS,
    &SPF_MACRO_IN_IP,
    &SPF_INVALID_DOMAIN_SPEC,
    &SPF_NON_ASCII,
    &SPF_CONTROL_CHARACTER,
    &SPF_DUPLICATE_MODIFIER,
    &SPF_TERMS_AFTER_ALL,
    &SPF_REDIRECT_WITH_ALL,
    &SPF_PTR_USED,
    &SPF_PLUS_ALL,
    &SPF_NEUTRAL_ALL,
    &SPF_NO_ALL_NO_REDIRECT,
    &SPF_RECORD_OVER_450,
    &SPF_RECORD_OVER_512,
    &SPF_STRING_TOO_LONG,
    &SPF_UNKNOWN_MODIFIER,
    &SPF_TOO_MANY_LOOKUPS,
    &SPF_TYPE_RECORD,
    &SPF_TARGET_NOT_A_NAME,
    &SPF_SPACE_IN_TERM,
];

/// A diagnostic for a type-99 SPF record found at a name; `text` is that record's text.
pub fn type_record_diagnostic(text: &str) -> Diagnostic {
    Diagnostic::new(
        &SPF_TYPE_RECORD,
        Span::new(0, text.len()),
        "record of the obsolete type SPF (99)",
        "remove the type-99 record and keep the same text as a TXT record",
    )
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// True when `text` is an SPF record by RFC 7208 §4.5: it begins with `v=spf1` in any case,
/// followed by a space or the end. Leading whitespace means it is not one.
pub fn is_spf_record(text: &str) -> bool {
    is_spf_bytes(text.as_bytes())
}

/// [`is_spf_record`] on raw TXT bytes.
pub fn is_spf_bytes(text: &[u8]) -> bool {
    match text.get(..6) {
        Some(head) if head.eq_ignore_ascii_case(b"v=spf1") => {
            matches!(text.get(6), None | Some(b' '))
        }
        _ => false,
    }
}

/// Parses an SPF record given as text (for example pasted by a user).
pub fn parse(text: &str) -> Parsed<SpfRecord> {
    let mut sink = Sink::default();
    let bytes = text.as_bytes();
    if bytes.len() > 255 {
        sink.push(Diagnostic::new(
            &SPF_STRING_TOO_LONG,
            Span::new(0, bytes.len()),
            format!("record is {} bytes, more than one 255-byte TXT string", bytes.len()),
            {
                let mut help = String::with_capacity(bytes.len() + 48);
                help.push_str("publish it as several quoted strings: ");
                suggest_split(bytes, &mut help);
                help
            },
        ));
    }
    let value = parse_record(bytes.into(), &mut sink);
    Parsed {
        value,
        diagnostics: sink.into_vec(),
    }
}

/// Parses an SPF record from the character-strings of one TXT record, as received. The
/// strings are joined with no separator (RFC 7208 §3.3); spans index the joined bytes.
pub fn parse_txt(strings: &[&[u8]]) -> Parsed<SpfRecord> {
    let mut sink = Sink::default();
    let joined: Vec<u8> = strings.concat();
    let mut offset = 0;
    for string in strings {
        if string.len() > 255 {
            sink.push(
                Diagnostic::new(
                    &SPF_STRING_TOO_LONG,
                    Span::new(offset, offset + string.len()),
                    format!("character-string is {} bytes, more than 255", string.len()),
                    {
                        let mut help = String::with_capacity(string.len() + 16);
                        help.push_str("split it: ");
                        suggest_split(string, &mut help);
                        help
                    },
                )
                .with_severity(Severity::Error),
            );
        }
        offset += string.len();
    }
    let value = parse_record(joined.into_boxed_slice(), &mut sink);
    Parsed {
        value,
        diagnostics: sink.into_vec(),
    }
}

/// Writes `bytes` as quoted strings of at most 255 bytes, split at spaces where possible, to
/// `out`.
fn suggest_split(bytes: &[u8], out: &mut String) {
    let mut rest = bytes;
    let mut first = true;
    while !rest.is_empty() {
        if rest.len() <= 255 {
            push_quoted(out, rest, first);
            break;
        }
        let window = rest.get(..255).unwrap_or(rest);
        // Cut after the last space so each string ends between terms; join keeps it intact.
        let cut = window
            .iter()
            .rposition(|&b| b == b' ')
            .map(|p| p + 1)
            .filter(|&p| p > 0)
            .unwrap_or(255);
        let (head, tail) = rest.split_at(cut.min(rest.len()));
        push_quoted(out, head, first);
        first = false;
        rest = tail;
    }
}

/// One quoted string of [`suggest_split`], after a space when it is not the first.
fn push_quoted(out: &mut String, string: &[u8], first: bool) {
    if !first {
        out.push(' ');
    }
    out.push('"');
    out.push_str(&lossy(string));
    out.push('"');
}

fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    // Record text is almost always ASCII: `from_utf8` checks it a word at a time, where the
    // lossy decoder walks it chunk by chunk.
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The eight mechanisms of RFC 7208 §5, as recognised by [`known_mechanism`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum MechanismName {
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}

impl MechanismName {
    fn as_str(self) -> &'static str {
        match self {
            MechanismName::All => "all",
            MechanismName::Include => "include",
            MechanismName::A => "a",
            MechanismName::Mx => "mx",
            MechanismName::Ptr => "ptr",
            MechanismName::Ip4 => "ip4",
            MechanismName::Ip6 => "ip6",
            MechanismName::Exists => "exists",
        }
    }
}

/// The mechanism `bytes` names, in any case, without allocating: by length, then the bytes.
fn known_mechanism(bytes: &[u8]) -> Option<MechanismName> {
    let is = |name: &[u8]| bytes.eq_ignore_ascii_case(name);
    match bytes.len() {
        1 if is(b"a") => Some(MechanismName::A),
        2 if is(b"mx") => Some(MechanismName::Mx),
        3 => match bytes.first().map(u8::to_ascii_lowercase) {
            Some(b'a') if is(b"all") => Some(MechanismName::All),
            Some(b'p') if is(b"ptr") => Some(MechanismName::Ptr),
            Some(b'i') if is(b"ip4") => Some(MechanismName::Ip4),
            Some(b'i') if is(b"ip6") => Some(MechanismName::Ip6),
            _ => None,
        },
        6 if is(b"exists") => Some(MechanismName::Exists),
        7 if is(b"include") => Some(MechanismName::Include),
        _ => None,
    }
}

/// Records the first permerror-class problem and pushes its diagnostic.
struct Ctx<'s> {
    sink: &'s mut Sink,
    permerror: Option<PermError>,
    /// What is known of the term being parsed, so its parts need not be scanned again.
    term: TermFacts,
    /// Set while `parse_term` reads one term: a fatal problem then marks the term failed
    /// (`term_failed`) and leaves `permerror` to `parse_term`.
    in_term: bool,
    term_failed: bool,
    /// Terms broken only by a separator (`mx;`, a tab): their span and the text they stand
    /// for, so that one diagnostic can give the whole record as it should be.
    term_fixes: Vec<(Span, String)>,
}

/// What the scan that split the record into terms saw of one term.
#[derive(Clone, Copy)]
struct TermFacts {
    /// Every byte is printable ASCII (no space, control character or non-ASCII byte).
    printable: bool,
    /// A `%` may be in it (false only when it is known that none is).
    percent: bool,
}

impl TermFacts {
    /// Nothing known: every check runs.
    const UNKNOWN: TermFacts = TermFacts {
        printable: false,
        percent: true,
    };

    /// Printable ASCII without `%`: a part of it is literal text as it stands.
    fn plain(self) -> bool {
        self.printable && !self.percent
    }
}

impl Ctx<'_> {
    fn new(sink: &mut Sink) -> Ctx<'_> {
        Ctx {
            sink,
            permerror: None,
            term: TermFacts::UNKNOWN,
            in_term: false,
            term_failed: false,
            term_fixes: Vec::new(),
        }
    }

    fn fatal(&mut self, diagnostic: Diagnostic) {
        if self.in_term {
            self.term_failed = true;
        } else if self.permerror.is_none() {
            self.permerror = Some(PermError {
                code: diagnostic.code,
                span: diagnostic.span,
                message: diagnostic.message.clone(),
            });
        }
        self.sink.push(diagnostic);
    }

    fn note(&mut self, diagnostic: Diagnostic) {
        self.sink.push(diagnostic);
    }
}

fn parse_record(owned: Box<[u8]>, sink: &mut Sink) -> SpfRecord {
    let bytes: &[u8] = &owned;
    let mut ctx = Ctx::new(sink);

    let mut start = 0;
    while bytes.get(start).is_some_and(|b| b.is_ascii_whitespace()) {
        start += 1;
    }
    if start > 0 {
        ctx.fatal(Diagnostic::new(
            &SPF_LEADING_WHITESPACE,
            Span::new(0, start),
            "whitespace before v=spf1",
            "remove the leading whitespace: receivers skip a record that does not begin with v=spf1",
        ));
    }
    let body = bytes.get(start..).unwrap_or_default();
    if !is_spf_bytes(body) {
        version_diagnostic(body, start, &mut ctx);
        return SpfRecord {
            length: owned.len(),
            bytes: owned,
            version: None,
            terms: Vec::new(),
            permerror: ctx.permerror,
        };
    }

    size_diagnostics(bytes.len(), &mut ctx);

    // Split into terms at spaces; several spaces and trailing spaces are fine (§4.6.1, §4.5).
    // Room for a term every twelve bytes or so (capped: a record of many spaces reserves little).
    let mut terms = Vec::with_capacity((bytes.len() / 12 + 2).min(32));
    let mut pos = start + 6;
    while let Some(&b) = bytes.get(pos) {
        if b == b' ' {
            pos += 1;
            continue;
        }
        let rest = bytes.get(pos..).unwrap_or_default();
        // Most terms are printable ASCII up to the next space or the end; a term with any
        // other byte has the space found the slow way, and is checked for what it holds.
        let (run, percent) = printable_run_and_percent(rest);
        let clean = matches!(rest.get(run), None | Some(b' '));
        let len = if clean {
            run
        } else {
            rest.iter().position(|&b| b == b' ').unwrap_or(rest.len())
        };
        let text = rest.get(..len).unwrap_or_default();
        let facts = TermFacts {
            printable: clean,
            percent: percent || !clean,
        };
        terms.push(parse_term(text, pos, facts, &mut ctx));
        // `term_failed` is this term's: `parse_term` sets it for every printable term.
        if clean && ctx.term_failed {
            if let Some(end) = rejoin_split_term(bytes, &mut terms, &mut ctx) {
                pos = end;
                continue;
            }
        }
        pos += len;
    }

    if !ctx.term_fixes.is_empty() {
        one_separator_diagnostic(bytes, start, &terms, &mut ctx);
    }
    let mut record = SpfRecord {
        length: owned.len(),
        bytes: owned,
        version: Some(Span::new(start, start + 6)),
        terms,
        permerror: None,
    };
    record_diagnostics(&record, &mut ctx);
    record.permerror = ctx.permerror;
    record
}

/// After the last of `terms` failed: when a space cut a term in two, from that piece on
/// (`~ all`) or, when it starts where no term can (`a /24`), from the piece before, the
/// pieces become one failed term with one diagnostic at the space, in place of the pieces'
/// own. Returns where the rejoined term ends. Runs only for broken terms, so the scan of sound
/// records pays nothing for it.
fn rejoin_split_term(bytes: &[u8], terms: &mut Vec<Term>, ctx: &mut Ctx) -> Option<usize> {
    let last = terms.last()?.span;
    let from = if matches!(bytes.get(last.start), Some(b':' | b'=' | b'/')) {
        terms.len().checked_sub(2).and_then(|i| terms.get(i))?.span
    } else {
        last
    };
    let text = bytes.get(from.start..from.end)?;
    if !text.iter().all(|b| (0x21..0x7f).contains(b)) {
        return None;
    }
    let (joined, diagnostic) = space_in_term(bytes, from.start, from.len())?;
    while terms.last().is_some_and(|t| t.span.start >= from.start) {
        terms.pop();
    }
    // Diagnostics of a term lie inside it and come in order: the pieces' own are the last
    // ones from `from` on. The permerror, if it is one of theirs, gives way too.
    while ctx.sink.diagnostics.last().is_some_and(|d| d.span.start >= from.start) {
        ctx.sink.diagnostics.pop();
    }
    if ctx.permerror.as_ref().is_some_and(|p| p.span.start >= from.start) {
        ctx.permerror = None;
    }
    ctx.fatal(diagnostic);
    let end = joined.span.end;
    terms.push(joined);
    Some(end)
}

/// Commas, semicolons or control characters between several terms are one mistake: the
/// first diagnostic stays, with the whole record as it should be for its fix, and the others
/// go.
fn one_separator_diagnostic(bytes: &[u8], start: usize, terms: &[Term], ctx: &mut Ctx) {
    let mut fixed = lossy(bytes.get(start..start + 6).unwrap_or(b"v=spf1")).into_owned();
    for term in terms {
        let text = match ctx.term_fixes.iter().find(|(span, _)| *span == term.span) {
            Some((_, text)) => Cow::Borrowed(text.as_str()),
            None => lossy(bytes.get(term.span.start..term.span.end).unwrap_or_default()),
        };
        // A term that was only a stray tab or separator stands for nothing.
        if !text.is_empty() {
            fixed.push(' ');
            fixed.push_str(&text);
        }
    }
    let separator = |d: &Diagnostic| d.code == SPF_TERM_SEPARATOR.code || d.code == SPF_CONTROL_CHARACTER.code;
    let mut first = true;
    ctx.sink.diagnostics.retain_mut(|d| {
        if !separator(d)
            || !ctx
                .term_fixes
                .iter()
                .any(|(span, _)| span.start <= d.span.start && d.span.end <= span.end)
        {
            return true;
        }
        if first {
            first = false;
            d.help = format!("separate terms with single spaces: `{fixed}`").into();
            return true;
        }
        false
    });
}

/// Whether the text `text`, which ends at `end`, may go on in the next piece: it is a lone
/// qualifier or ends in `:`, `=` or `/`, or the next piece starts with one of those.
fn may_continue(text: &[u8], bytes: &[u8], end: usize) -> bool {
    let next = bytes.get(end..).unwrap_or_default().iter().find(|&&b| b != b' ');
    let Some(&next) = next else {
        return false;
    };
    let lone_qualifier = text.len() == 1 && text.first().and_then(|&b| Qualifier::from_byte(b)).is_some();
    lone_qualifier
        || matches!(text.last(), Some(b':' | b'=' | b'/'))
        || matches!(next, b':' | b'=' | b'/')
        || needs_value(text)
}

/// The mechanisms whose value is required and follows a `:`.
const VALUE_MECHANISMS: [&str; 4] = ["include", "exists", "ip4", "ip6"];

/// A mechanism that takes a value, written alone (`include`, `-ip4`): a space after it most
/// likely stands where its `:` belongs (`include _spf.example.com`).
fn needs_value(text: &[u8]) -> bool {
    let name = match text.first() {
        Some(&b) if Qualifier::from_byte(b).is_some() => text.get(1..).unwrap_or_default(),
        _ => text,
    };
    VALUE_MECHANISMS.iter().any(|m| name.eq_ignore_ascii_case(m.as_bytes()))
}

/// At most this many space-separated pieces are read as one term cut apart by spaces
/// (`include : example.com` is three).
const MAX_PIECES: usize = 4;

/// A term that spaces cut into pieces (`~ all`, `include: example.com`, `ip4 :192.0.2.1`),
/// starting at `start`: called when one of the pieces is broken on its own, and when the
/// pieces written together make a valid term that is one problem, reported once at the space,
/// rather than one per piece. Returns the failed term, covering every piece, with that
/// diagnostic. (`foo= -all` is never looked at: both pieces are valid as written.)
fn space_in_term(bytes: &[u8], start: usize, len: usize) -> Option<(Term, Diagnostic)> {
    // Most broken terms are broken for other reasons: tell before allocating anything.
    if !may_continue(bytes.get(start..start + len)?, bytes, start + len) {
        return None;
    }
    let mut pieces: Vec<Span> = vec![Span::new(start, start + len)];
    let mut joined: Vec<u8> = bytes.get(start..start + len)?.to_vec();
    // `include _spf.example.com`: the space stands for the `:`.
    let colon_for_space = needs_value(&joined);
    while pieces.len() < MAX_PIECES {
        let end = pieces.last().map_or(start, |p| p.end);
        if !may_continue(&joined, bytes, end) {
            break;
        }
        let next_start = end + bytes.get(end..)?.iter().position(|&b| b != b' ')?;
        let next_len = bytes
            .get(next_start..)?
            .iter()
            .position(|&b| b == b' ')
            .unwrap_or(bytes.len() - next_start);
        let next = bytes.get(next_start..next_start + next_len)?;
        if !next.iter().all(|b| (0x21..0x7f).contains(b)) {
            break;
        }
        if colon_for_space && pieces.len() == 1 && next.first() != Some(&b':') {
            joined.push(b':');
        }
        joined.extend_from_slice(next);
        pieces.push(Span::new(next_start, next_start + next_len));
    }
    if pieces.len() < 2 {
        return None;
    }
    let mut sink = Sink::default();
    let mut scratch = Ctx::new(&mut sink);
    let _ = parse_term_kind(&joined, 0, &mut scratch);
    if scratch.permerror.is_some() {
        return None;
    }
    let first_gap = Span::new(pieces.first()?.end, pieces.get(1)?.start);
    let last_gap = Span::new(pieces.get(pieces.len() - 2)?.end, pieces.last()?.start);
    let whole = Span::new(start, pieces.last()?.end);
    let written = lossy(bytes.get(whole.start..whole.end)?);
    let colon_inserted = colon_for_space && bytes.get(first_gap.end) != Some(&b':');
    let diagnostic = if colon_inserted {
        Diagnostic::new(
            &SPF_SPACE_IN_TERM,
            first_gap.cover(last_gap),
            format!("space where `:` belongs in `{written}`"),
            format!("write `{}`", lossy(&joined)),
        )
    } else {
        Diagnostic::new(
            &SPF_SPACE_IN_TERM,
            first_gap.cover(last_gap),
            format!("space inside the term `{written}`"),
            format!("remove the space: `{}`", lossy(&joined)),
        )
    };
    let term = Term {
        span: whole,
        kind: TermKind::Invalid,
    };
    Some((term, diagnostic))
}

fn version_diagnostic(body: &[u8], offset: usize, ctx: &mut Ctx) {
    let first_end = body.iter().position(|&b| b == b' ').unwrap_or(body.len());
    let first = body.get(..first_end).unwrap_or_default();
    let span = Span::new(offset, offset + first_end);
    let lower = first.to_ascii_lowercase();
    let decoded = lossy(body);
    let invisible_end = decoded
        .char_indices()
        .find(|&(_, c)| !matches!(crate::text::ascii_lookalike(c), Some((_, "" | " "))))
        .map_or(decoded.len(), |(at, _)| at);
    let after_invisible = decoded.get(invisible_end..).unwrap_or_default().as_bytes();
    if invisible_end > 0 && is_spf_bytes(after_invisible) {
        // An invisible byte-order mark or a non-breaking space pasted in front of the record.
        let c = decoded.chars().next().unwrap_or(' ');
        let what = crate::text::ascii_lookalike(c).map_or("a non-ASCII character", |(what, _)| what);
        ctx.fatal(Diagnostic::new(
            &SPF_NON_ASCII,
            Span::new(offset, offset + invisible_end),
            format!("{what} (U+{:04X}) before v=spf1", u32::from(c)),
            "remove it: receivers skip a record that does not begin with v=spf1",
        ));
    } else if body.first() == Some(&b'"') && is_spf_bytes(body.get(1..).unwrap_or_default()) {
        let inner = body.get(1..).unwrap_or_default();
        let inner = inner.strip_suffix(b"\"").unwrap_or(inner);
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_VERSION,
            Span::new(offset, offset + 1),
            "the record starts with a quote",
            format!(
                "remove the quotes, which are not part of the record: `{}`",
                lossy(inner)
            ),
        ));
    } else if lower.starts_with(b"v=spf1") && matches!(first.get(6), Some(b';' | b',')) {
        // DMARC-style separators: the record is not recognised as SPF at all.
        let separator = first.get(6).map_or(';', |&b| b as char);
        let spaced: Vec<u8> = body
            .iter()
            .map(|&b| if matches!(b, b';' | b',') { b' ' } else { b })
            .collect();
        let fixed = lossy(&spaced).split_whitespace().collect::<Vec<_>>().join(" ");
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_VERSION,
            Span::new(offset + 6, offset + 7),
            format!("`{separator}` after v=spf1: SPF terms are separated by spaces"),
            format!("write `{fixed}`"),
        ));
    } else if lower.starts_with(b"v=spf1") {
        // A tab, a non-breaking space or a typographic space where the space belongs.
        let after = lossy(body.get(6..).unwrap_or_default());
        let wrong_space = after
            .chars()
            .next()
            .filter(|&c| c == '\t' || matches!(crate::text::ascii_lookalike(c), Some((_, " "))));
        match wrong_space {
            Some(c) => {
                let what = crate::text::ascii_lookalike(c).map_or("a tab", |(what, _)| what);
                let spaced: String = after
                    .chars()
                    .map(|c| {
                        if c == '\t' || matches!(crate::text::ascii_lookalike(c), Some((_, " "))) {
                            ' '
                        } else {
                            c
                        }
                    })
                    .collect();
                let fixed = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
                ctx.fatal(Diagnostic::new(
                    &SPF_WRONG_VERSION,
                    Span::new(offset + 6, offset + 6 + c.len_utf8()),
                    format!(
                        "{what} (U+{:04X}) after v=spf1, where a plain space belongs",
                        u32::from(c)
                    ),
                    format!("write `v=spf1 {fixed}`"),
                ));
            }
            None => {
                let rest = lossy(first.get(6..).unwrap_or_default());
                ctx.fatal(Diagnostic::new(
                    &SPF_WRONG_VERSION,
                    span,
                    format!("`{}` is not the version v=spf1", lossy(first)),
                    format!("put a space after v=spf1: `v=spf1 {rest}`"),
                ));
            }
        }
    } else if lower.starts_with(b"v=spf2") {
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_VERSION,
            span,
            format!("`{}` is Sender ID, not SPF", lossy(first)),
            "publish a TXT record that starts with `v=spf1 ` (Sender ID and the SPF RR type 99 are obsolete)",
        ));
    } else if body.is_empty() {
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_VERSION,
            span,
            "empty record",
            "publish a TXT record such as `v=spf1 mx -all`",
        ));
    } else if let Some(kind) = other_kind(&lower) {
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_VERSION,
            span,
            format!("this is a {kind} record, not an SPF record"),
            "an SPF record starts with `v=spf1 `; publish this one at its own name",
        ));
    } else if starts_with_term(body) {
        // The terms are there and only the version is missing (`include:_spf.example.com ~all`).
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_VERSION,
            Span::point(offset),
            "`v=spf1` is missing at the start of the record",
            format!("write `v=spf1 {}`", lossy(body)),
        ));
    } else {
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_VERSION,
            span,
            "record does not start with v=spf1",
            "start the TXT record with `v=spf1 ` (a TXT record, not the obsolete SPF RR type 99)",
        ));
    }
}

/// The record kind a first word such as `v=DMARC1;` names, when it is not SPF.
fn other_kind(first_word: &[u8]) -> Option<&'static str> {
    let kinds: [(&[u8], &str); 5] = [
        (b"v=dmarc1", "DMARC"),
        (b"v=dkim1", "DKIM key"),
        (b"v=bimi1", "BIMI"),
        (b"v=stsv1", "MTA-STS"),
        (b"v=tlsrptv1", "TLS-RPT"),
    ];
    kinds
        .iter()
        .find(|(version, _)| first_word.starts_with(version))
        .map(|(_, kind)| *kind)
}

/// Whether `body` starts with a term that parses as a mechanism or a known modifier.
fn starts_with_term(body: &[u8]) -> bool {
    let first = body.split(|&b| b == b' ').next().unwrap_or_default();
    let mut sink = Sink::default();
    let mut scratch = Ctx::new(&mut sink);
    let kind = parse_term_kind(first, 0, &mut scratch);
    scratch.permerror.is_none() && !matches!(kind, TermKind::Invalid | TermKind::Modifier(Modifier::Unknown { .. }))
}

fn size_diagnostics(len: usize, ctx: &mut Ctx) {
    if len > 512 {
        ctx.note(Diagnostic::new(
            &SPF_RECORD_OVER_512,
            Span::new(0, len),
            format!("record is {len} bytes, over 512"),
            "shorten it: merge ip4 ranges into CIDR blocks or move terms to an include",
        ));
    } else if len > 450 {
        ctx.note(Diagnostic::new(
            &SPF_RECORD_OVER_450,
            Span::new(0, len),
            format!("record is {len} bytes, over 450"),
            "shorten it: merge ip4 ranges into CIDR blocks or move terms to an include",
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Terms
// ---------------------------------------------------------------------------------------------

const MECHANISMS: [&str; 8] = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

/// How many bytes at the start of `bytes` are printable ASCII other than space (0x21 to
/// 0x7e), and whether a `%` is among them, looked at eight at a time.
fn printable_run_and_percent(bytes: &[u8]) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    let mut percent = false;
    while let Some(chunk) = bytes.get(at..at + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let x = u64::from_le_bytes(chunk);
        // The high bit of a byte below 0x21 (for bytes under 0x80), and of a byte from 0x7f up.
        // A borrow or carry can only mark bytes after the first marked one, which is exact.
        let below = x.wrapping_sub(ONES * 0x21) & !x;
        let above = x.wrapping_add(ONES) | x;
        let marked = (below | above) & HIGH;
        // The same for bytes equal to `%`: the lowest mark is a `%`, and any mark has a `%`
        // at or before it, so a mark before the run's end means a `%` in the run.
        let y = x ^ (ONES * u64::from(b'%'));
        let percents = y.wrapping_sub(ONES) & !y & HIGH;
        if marked != 0 {
            let stop = marked.trailing_zeros();
            // Marks are on bit 7 of each byte: keep those of the bytes before the stop.
            let before = (1u64 << (stop - 7)) - 1;
            percent |= percents & before != 0;
            return (at + (stop / 8) as usize, percent);
        }
        percent |= percents != 0;
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    let run = rest
        .iter()
        .position(|b| !(0x21..=0x7e).contains(b))
        .unwrap_or(rest.len());
    percent |= rest.get(..run).unwrap_or_default().contains(&b'%');
    (at + run, percent)
}

/// Parses one term; `facts` says what the scan that found it saw.
fn parse_term(text: &[u8], offset: usize, facts: TermFacts, ctx: &mut Ctx) -> Term {
    let span = Span::new(offset, offset + text.len());
    let mut term = Term {
        span,
        kind: TermKind::Invalid,
    };

    if facts.printable {
        // Neither the non-ASCII nor the control-character check applies.
    } else if let Some(first) = text.iter().position(|&b| b >= 0x80) {
        let last = text.iter().rposition(|&b| b >= 0x80).unwrap_or(first);
        ctx.fatal(non_ascii_diagnostic(text, offset, first, last));
        return term;
    } else if let Some(at) = text.iter().position(|&b| b < 0x20 || b == 0x7f) {
        let fixed: Vec<u8> = text
            .iter()
            .map(|&b| if b < 0x20 || b == 0x7f { b' ' } else { b })
            .collect();
        let fixed = lossy(&fixed);
        ctx.term_fixes.push((
            Span::new(offset, offset + text.len()),
            fixed.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
        ctx.fatal(Diagnostic::new(
            &SPF_CONTROL_CHARACTER,
            Span::new(offset + at, offset + at + 1),
            format!("control character 0x{:02x} in term", text.get(at).copied().unwrap_or(0)),
            format!(
                "separate terms with spaces only: `{}`",
                fixed.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
        ));
        return term;
    }

    // Parse straight into the record's sink, and take the term's diagnostics back out when
    // it turns out to be terms broken only by a comma or semicolon: those get one diagnostic
    // about the separator instead of the generic one.
    let mark = ctx.sink.diagnostics.len();
    ctx.term = facts;
    ctx.in_term = true;
    ctx.term_failed = false;
    let kind = parse_term_kind(text, offset, ctx);
    ctx.term = TermFacts::UNKNOWN;
    ctx.in_term = false;
    let failed = ctx.term_failed;
    if failed && text.iter().any(|&b| b == b',' || b == b';') {
        let valid = |piece: &[u8]| {
            let mut s = Sink::default();
            let mut c = Ctx::new(&mut s);
            let _ = parse_term_kind(piece, 0, &mut c);
            c.permerror.is_none()
        };
        // A list after one mechanism (`ip4:192.0.2.1,192.0.2.2`) is that mechanism repeated.
        let first = text.split(|&b| b == b',' || b == b';').next().unwrap_or_default();
        let mechanism = first
            .iter()
            .position(|&b| b == b':')
            .and_then(|colon| first.get(..=colon))
            .unwrap_or_default();
        let pieces: Option<Vec<Vec<u8>>> = text
            .split(|&b| b == b',' || b == b';')
            .filter(|p| !p.is_empty())
            .map(|piece| {
                if valid(piece) {
                    return Some(piece.to_vec());
                }
                let repeated = [mechanism, piece].concat();
                (!mechanism.is_empty() && valid(&repeated)).then_some(repeated)
            })
            .collect();
        if let Some(pieces) = pieces.filter(|p| !p.is_empty()) {
            ctx.sink.diagnostics.truncate(mark);
            let at = text.iter().position(|&b| b == b',' || b == b';').unwrap_or(0);
            let fixed = pieces.join(&b' ');
            ctx.term_fixes
                .push((Span::new(offset, offset + text.len()), lossy(&fixed).into_owned()));
            ctx.fatal(Diagnostic::new(
                &SPF_TERM_SEPARATOR,
                Span::new(offset + at, offset + at + 1),
                format!("`{}` between terms", text.get(at).map(|&b| b as char).unwrap_or(',')),
                format!("separate terms with spaces: `{}`", lossy(&fixed)),
            ));
            return term;
        }
    }
    if failed && text.contains(&b'"') {
        // A quote left over from copying the record out of a zone file or dig's output.
        let unquoted: Vec<u8> = text.iter().copied().filter(|&b| b != b'"').collect();
        let mut scratch_sink = Sink::default();
        let mut scratch = Ctx::new(&mut scratch_sink);
        let _ = parse_term_kind(&unquoted, 0, &mut scratch);
        if scratch.permerror.is_none() && !unquoted.is_empty() {
            ctx.sink.diagnostics.truncate(mark);
            let at = text.iter().position(|&b| b == b'"').unwrap_or(0);
            ctx.fatal(Diagnostic::new(
                &SPF_SYNTAX_ERROR,
                Span::new(offset + at, offset + at + 1),
                "stray `\"` in term",
                format!("remove the quote: `{}`", lossy(&unquoted)),
            ));
            return term;
        }
    }
    if failed {
        // The record's permerror is the first error of the first term that failed.
        if ctx.permerror.is_none() {
            let first_error = ctx
                .sink
                .diagnostics
                .get(mark..)
                .unwrap_or_default()
                .iter()
                .find(|d| d.severity == Severity::Error);
            if let Some(diagnostic) = first_error {
                ctx.permerror = Some(PermError {
                    code: diagnostic.code,
                    span: diagnostic.span,
                    message: diagnostic.message.clone(),
                });
            }
        }
    } else {
        term.kind = kind;
    }
    term
}

/// SPF013 for a term with bytes outside ASCII: names the first such character and offers
/// the term as it was meant, where that can be known. Letters after the `:` or `=` are an
/// internationalised domain, whose ASCII form is its A-label, not the letters without accents.
fn non_ascii_diagnostic(text: &[u8], offset: usize, first: usize, last: usize) -> Diagnostic {
    let span = Span::new(offset + first, offset + last + 1);
    let decoded = lossy(text);
    let value_start = decoded.find([':', '=']).unwrap_or(decoded.len());
    let mut fixed = String::with_capacity(decoded.len());
    let mut idn = false;
    let mut unknown = false;
    for (at, c) in decoded.char_indices() {
        if c.is_ascii() {
            fixed.push(c);
            continue;
        }
        match crate::text::ascii_lookalike(c) {
            // A letter in the domain is an internationalised name, not a typo.
            Some((crate::text::NON_ASCII_LETTER, _)) | None if at > value_start && c != char::REPLACEMENT_CHARACTER => {
                idn = true;
                fixed.push(c);
            }
            Some((_, ascii)) => fixed.push_str(ascii),
            None => unknown = true,
        }
    }
    let message = match decoded.get(first..).and_then(|rest| rest.chars().next()) {
        // The text was not valid UTF-8: the reader shows the bad byte as U+FFFD.
        Some(char::REPLACEMENT_CHARACTER) => "a byte that is not valid UTF-8 (shown as `\u{fffd}`) in term".to_string(),
        Some(c) => {
            let what = crate::text::ascii_lookalike(c).map_or("a non-ASCII character", |(what, _)| what);
            format!("{what} `{c}` (U+{:04X}) in term", u32::from(c))
        }
        _ => format!("byte 0x{:02x} is not ASCII", text.get(first).copied().unwrap_or(0)),
    };
    let help = if idn {
        "SPF records are ASCII only: write the internationalised domain in its A-label form (`xn--...`)".to_string()
    } else if unknown {
        "retype the term in plain ASCII".to_string()
    } else {
        let fixed = fixed.split_whitespace().collect::<Vec<_>>().join(" ");
        format!("retype it in plain ASCII: `{fixed}`")
    };
    Diagnostic::new(&SPF_NON_ASCII, span, message, help)
}

/// Bytes of a modifier or mechanism name (letters, digits, `-`, `_`, `.`), as a table: the
/// name scan is the most frequent loop of the parser.
static NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
        i += 1;
    }
    table
};

fn is_name_byte(b: u8) -> bool {
    NAME_BYTES.get(usize::from(b)).copied().unwrap_or(false)
}

fn parse_term_kind(text: &[u8], offset: usize, ctx: &mut Ctx) -> TermKind {
    let span = Span::new(offset, offset + text.len());
    let (qualifier, explicit, body_start) = match text.first().and_then(|&b| Qualifier::from_byte(b)) {
        Some(q) => (q, true, 1),
        None => (Qualifier::Pass, false, 0),
    };
    let body = text.get(body_start..).unwrap_or_default();
    // One scan of the name. §4.6.1: a modifier has `=` right after its name, before any `:` or
    // `/`. `-` is a name byte, so `-name=` reads as a modifier whose name starts with `-` (its
    // diagnostic says modifiers take no qualifier); `+`, `~` and `?` are not.
    let name_run = body.iter().position(|&b| !is_name_byte(b)).unwrap_or(body.len());
    let stop = body.get(name_run).copied();
    if stop == Some(b'=') && (!explicit || text.first() == Some(&b'-')) {
        return parse_modifier(text, body_start + name_run, offset, ctx);
    }
    // A mechanism's name ends at the first `:` or `/`; name bytes hold neither, so the scan
    // above found it unless it stopped at some other byte.
    let name_end = match stop {
        None | Some(b':' | b'/') => name_run,
        Some(_) => body.iter().position(|&b| b == b':' || b == b'/').unwrap_or(body.len()),
    };
    let name_bytes = body.get(..name_end).unwrap_or_default();
    let rest = body.get(name_end..).unwrap_or_default();
    let rest_offset = offset + body_start + name_end;
    let name_span = Span::new(offset + body_start, rest_offset);

    let Some(known) = known_mechanism(name_bytes) else {
        // Only an unknown name needs its own lowercase copy (for the diagnostic).
        let name = lossy(&name_bytes.to_ascii_lowercase()).into_owned();
        unknown_mechanism(&name, name_span, rest, text, span, ctx);
        return TermKind::Invalid;
    };
    let name = known.as_str();
    // Each arm builds the term's kind itself, so the value is written once, in place, for
    // the mechanism that arm knows.
    let directive = |mechanism: Option<Mechanism>| match mechanism {
        Some(mechanism) => TermKind::Directive(Directive {
            qualifier,
            explicit_qualifier: explicit,
            mechanism,
        }),
        None => TermKind::Invalid,
    };
    match known {
        MechanismName::All => {
            if !rest.is_empty() {
                let q = if explicit {
                    qualifier.symbol().to_string()
                } else {
                    String::new()
                };
                ctx.fatal(Diagnostic::new(
                    &SPF_SYNTAX_ERROR,
                    Span::new(rest_offset, span.end),
                    "`all` takes no argument",
                    format!("write `{q}all`"),
                ));
                return TermKind::Invalid;
            }
            directive(Some(Mechanism::All))
        }
        MechanismName::Include => {
            directive(required_domain(name, rest, rest_offset, span, ctx).map(|domain| Mechanism::Include { domain }))
        }
        MechanismName::Exists => {
            directive(required_domain(name, rest, rest_offset, span, ctx).map(|domain| Mechanism::Exists { domain }))
        }
        MechanismName::A | MechanismName::Mx => directive(parse_a_mx(name, rest, rest_offset, ctx)),
        MechanismName::Ptr => directive(if rest.is_empty() {
            Some(Mechanism::Ptr { domain: None })
        } else if rest.first() == Some(&b'/') {
            ctx.fatal(Diagnostic::new(
                &SPF_BAD_CIDR,
                Span::new(rest_offset, span.end),
                "`ptr` takes no cidr length",
                "remove the prefix length: `ptr` (better, replace ptr with ip4/ip6 terms)",
            ));
            None
        } else {
            required_domain("ptr", rest, rest_offset, span, ctx).map(|domain| Mechanism::Ptr { domain: Some(domain) })
        }),
        MechanismName::Ip4 | MechanismName::Ip6 => directive(parse_ip(name, rest, rest_offset, span, ctx)),
    }
}

fn unknown_mechanism(name: &str, name_span: Span, rest: &[u8], text: &[u8], span: Span, ctx: &mut Ctx) {
    let rest_text = lossy(rest.get(1..).unwrap_or_default());
    if (name == "redirect" || name == "exp") && rest.first() == Some(&b':') {
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_SEPARATOR,
            Span::new(name_span.end, name_span.end + 1),
            format!("`{name}` is a modifier and takes `=`, not `:`"),
            format!("write `{name}={rest_text}`"),
        ));
        return;
    }
    if name.is_empty() {
        ctx.fatal(Diagnostic::new(
            &SPF_SYNTAX_ERROR,
            span,
            format!("`{}` is not a mechanism or modifier", lossy(text)),
            "write a mechanism such as `ip4:192.0.2.1` or a modifier such as `redirect=example.com`",
        ));
        return;
    }
    // Two qualifiers (`+-all`, `--all`): the one next to the mechanism is the one meant.
    let bare = name.trim_start_matches(['+', '-', '~', '?']);
    if bare.len() < name.len() && is_mechanism_name(bare) {
        let inner = name.get(name.len() - bare.len() - 1..).unwrap_or(name);
        ctx.fatal(Diagnostic::new(
            &SPF_SYNTAX_ERROR,
            Span::new(span.start, name_span.start + (name.len() - bare.len())),
            format!("more than one qualifier in `{}`", lossy(text)),
            format!("keep one: `{inner}{}`", lossy(rest)),
        ));
        return;
    }
    // `include;example.com`, `include.example.com`, `ip4,192.0.2.1`: a mechanism that takes a
    // value, then a wrong separator where its `:` belongs.
    let lower = name.to_ascii_lowercase();
    let glued = VALUE_MECHANISMS.iter().find_map(|m| {
        let after = lower.strip_prefix(m)?;
        let separator = after.chars().next().filter(|c| matches!(c, ';' | '.' | ',' | '|'))?;
        let value = name.get(m.len() + 1..).filter(|v| !v.is_empty())?;
        Some((m, separator, value))
    });
    if let Some((mechanism, separator, value)) = glued {
        let at = name_span.start + mechanism.len();
        let written = lossy(
            text.get(..name_span.start.saturating_sub(span.start))
                .unwrap_or_default(),
        );
        ctx.fatal(Diagnostic::new(
            &SPF_WRONG_SEPARATOR,
            Span::new(at, at + separator.len_utf8()),
            format!("`{separator}` where `:` belongs after `{mechanism}`"),
            format!("write `{written}{mechanism}:{value}{}`", lossy(rest)),
        ));
        return;
    }
    let suggestion = suggest_mechanism(name);
    match suggestion {
        Some(good) => {
            let fixed_rest = if rest.first() == Some(&b'=') {
                format!(":{rest_text}")
            } else {
                lossy(rest).into_owned()
            };
            // The qualifier the term was written with stays in the fix (`-al` is `-all`). A
            // bare `all` is `+all`, which authorises everyone: the fix for `*all` is `-all`.
            let written = lossy(
                text.get(..name_span.start.saturating_sub(span.start))
                    .unwrap_or_default(),
            );
            let qualifier = if good == "all" && written.is_empty() {
                Cow::Borrowed("-")
            } else {
                written
            };
            ctx.fatal(Diagnostic::new(
                &SPF_UNKNOWN_MECHANISM,
                name_span,
                format!("unknown mechanism `{name}`"),
                format!("did you mean `{good}`? write `{qualifier}{good}{fixed_rest}`"),
            ))
        }
        None => ctx.fatal(Diagnostic::new(
            &SPF_UNKNOWN_MECHANISM,
            name_span,
            format!("unknown mechanism `{name}`"),
            "use one of all, include, a, mx, ptr, ip4, ip6, exists, or a modifier `name=value`",
        )),
    }
}

/// The closest known mechanism for a typo, by common aliases and edit distance.
fn suggest_mechanism(name: &str) -> Option<&'static str> {
    let alias = match name {
        "ip" | "ipv4" | "ip4addr" | "inet" | "ip4s" => Some("ip4"),
        "ipv6" | "inet6" | "ip6addr" => Some("ip6"),
        "includes" | "inc" => Some("include"),
        "exist" => Some("exists"),
        _ => None,
    };
    if alias.is_some() {
        return alias;
    }
    let mut best: Option<(&'static str, usize)> = None;
    for candidate in MECHANISMS {
        let distance = crate::parse::tags::edit_distance(name, candidate);
        let allowed = if candidate.len() <= 3 { 1 } else { 2 };
        if distance <= allowed && best.is_none_or(|(_, d)| distance < d) {
            best = Some((candidate, distance));
        }
    }
    best.map(|(c, _)| c)
}

fn required_domain(name: &str, rest: &[u8], rest_offset: usize, span: Span, ctx: &mut Ctx) -> Option<MacroString> {
    match rest.first() {
        Some(b':') => {
            let value = rest.get(1..).unwrap_or_default();
            parse_domain_spec(name, value, rest_offset + 1, ctx)
        }
        None => {
            ctx.fatal(Diagnostic::new(
                &SPF_INVALID_DOMAIN_SPEC,
                span,
                format!("`{name}` needs a domain"),
                format!("write `{name}:example.com`"),
            ));
            None
        }
        Some(_) => {
            let help = if rest.first() == Some(&b'/') {
                format!("`{name}` takes no cidr length; write `{name}:example.com`")
            } else {
                format!("write `{name}:example.com`")
            };
            ctx.fatal(Diagnostic::new(
                &SPF_SYNTAX_ERROR,
                Span::new(rest_offset, span.end),
                format!("`{name}` takes `:` and a domain"),
                help,
            ));
            None
        }
    }
}

/// Parses a domain-spec: a macro-string that ends in a macro or a valid top-level label.
fn parse_domain_spec(mechanism: &str, value: &[u8], offset: usize, ctx: &mut Ctx) -> Option<MacroString> {
    let span = Span::new(offset, offset + value.len());
    if value.is_empty() {
        ctx.fatal(Diagnostic::new(
            &SPF_INVALID_DOMAIN_SPEC,
            Span::new(offset.saturating_sub(1), offset),
            format!("`{mechanism}` has an empty domain"),
            format!(
                "write the domain after it, e.g. `{mechanism}{}example.com`",
                if is_modifier_name(mechanism) { "=" } else { ":" }
            ),
        ));
        return None;
    }
    // A term of printable ASCII without `%` holds literal text only.
    let scan = if ctx.term.plain() {
        Ok(Scan::literal(value, offset, false))
    } else {
        scan_macro_string(value, offset, false, None)
    };
    let scan = match scan {
        Ok(scan) => scan,
        Err(diagnostic) => {
            ctx.fatal(diagnostic);
            return None;
        }
    };
    if let Some(problem) = domain_end_problem(&scan, value) {
        let text = lossy(value);
        let help = if text.parse::<Ipv4Addr>().is_ok() && matches!(mechanism, "a" | "mx" | "include") {
            format!("an IP address is not a domain: write `ip4:{text}`")
        } else if text
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<Ipv6Addr>()
            .is_ok()
        {
            format!(
                "an IP address is not a domain: write `ip6:{}`",
                text.trim_start_matches('[').trim_end_matches(']')
            )
        } else if let Some(host) = text
            .rsplit_once(':')
            .filter(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
            .map(|(host, _)| host)
        {
            format!("SPF names hosts, not ports: write `{mechanism}:{host}`")
        } else if let Some(scheme_end) = crate::text::find(&text, "://") {
            let host = text.get(scheme_end + 3..).unwrap_or_default();
            let host = host.split(['/', '?', '#', ':']).next().unwrap_or_default();
            format!("a URL is not a domain: write `{mechanism}:{host}`")
        } else {
            "write a full domain name ending in a top-level label, such as `_spf.example.com`".to_string()
        };
        ctx.fatal(Diagnostic::new(&SPF_INVALID_DOMAIN_SPEC, span, problem, help));
        return None;
    }
    if scan.macro_string.literal {
        if let Some(diagnostic) = target_name_problem(mechanism, value, offset) {
            // Valid syntax (RFC 7208's test suite accepts fail or permerror), so not fatal.
            ctx.note(diagnostic);
        }
    }
    Some(scan.macro_string)
}

/// Checks that a domain-spec written without macros is a name DNS can ask for: no empty
/// label, no label over 63 bytes, at most 253 bytes without the final dot (RFC 1035 §2.3.4),
/// and only the bytes of host names (else [`not_a_host_name`] says what it is instead).
fn target_name_problem(mechanism: &str, value: &[u8], offset: usize) -> Option<Diagnostic> {
    let name = value.strip_suffix(b".").unwrap_or(value);
    let mut label_start = 0;
    // One pass over the name: the label ends at each dot and at the end, and a byte that no
    // host name has stops it.
    for (end, b) in name.iter().copied().enumerate().chain([(name.len(), b'.')]) {
        if b != b'.' {
            if !is_name_byte(b) {
                return not_a_host_name(mechanism, value, offset);
            }
            continue;
        }
        let label = end - label_start;
        if label == 0 {
            let dots = if end == 0 {
                Span::new(offset, offset + 1)
            } else {
                Span::new(offset + end - 1, offset + end + 1)
            };
            let fixed: Vec<u8> = name
                .split(|&b| b == b'.')
                .filter(|label| !label.is_empty())
                .collect::<Vec<_>>()
                .join(&b'.');
            return Some(Diagnostic::new(
                &SPF_TARGET_NOT_A_NAME,
                dots,
                if end == 0 {
                    format!("`{}` begins with a dot", lossy(value))
                } else {
                    format!("`{}` has two dots in a row", lossy(value))
                },
                format!("remove the extra dot: `{}`", lossy(&fixed)),
            ));
        }
        if label > 63 {
            return Some(Diagnostic::new(
                &SPF_TARGET_NOT_A_NAME,
                Span::new(offset + label_start, offset + end),
                format!(
                    "a label of `{}` is {label} bytes long; DNS allows at most 63",
                    lossy(value)
                ),
                "check the name for a typo: no DNS query can be made for it",
            ));
        }
        label_start = end + 1;
    }
    if name.len() > 253 {
        return Some(Diagnostic::new(
            &SPF_TARGET_NOT_A_NAME,
            Span::new(offset, offset + value.len()),
            format!("the domain is {} bytes long; DNS names hold at most 253", name.len()),
            "check the name for a typo: no DNS query can be made for it",
        ));
    }
    None
}

/// A domain written out in full that holds bytes no host name has: two terms joined by a comma
/// or semicolon (`include:a.example,include:b.example`), a URL, an email address. The grammar
/// takes them, but the name looked up is nonsense, so the mechanism never matches and an
/// `include` of it ends in permerror.
fn not_a_host_name(mechanism: &str, value: &[u8], offset: usize) -> Option<Diagnostic> {
    let text = lossy(value);
    let separator = if is_modifier_name(mechanism) { "=" } else { ":" };
    if let Some(at) = text.find([',', ';']) {
        let pieces: Vec<&str> = text.split([',', ';']).filter(|p| !p.is_empty()).collect();
        // Each piece after the first is a term, or a domain that goes with the same mechanism.
        let mut fixed = format!("{mechanism}{separator}{}", pieces.first()?);
        for piece in pieces.get(1..)? {
            let mut sink = Sink::default();
            let mut scratch = Ctx::new(&mut sink);
            let _ = parse_term_kind(piece.as_bytes(), 0, &mut scratch);
            fixed.push(' ');
            if scratch.permerror.is_some() || !piece.contains([':', '=']) && !is_mechanism_name(piece) {
                fixed.push_str(mechanism);
                fixed.push_str(separator);
            }
            fixed.push_str(piece);
        }
        let c = text.get(at..at + 1).unwrap_or(",");
        return Some(Diagnostic::new(
            &SPF_TERM_SEPARATOR,
            Span::new(offset + at, offset + at + 1),
            format!("`{c}` inside the domain of `{mechanism}{separator}`: it joins terms that need a space"),
            format!("separate the terms with spaces: `{fixed}`"),
        ));
    }
    let host = if let Some(scheme_end) = crate::text::find(&text, "://") {
        // A URL: the host is between the scheme and the path.
        let after = text.get(scheme_end + 3..).unwrap_or_default();
        Some(("a URL", after.split(['/', '?', '#', ':']).next().unwrap_or_default()))
    } else {
        text.rsplit_once('@').map(|(_, domain)| ("an email address", domain))
    };
    let span = Span::new(offset, offset + value.len());
    let diagnostic = match host {
        Some((what, host)) if !host.is_empty() => Diagnostic::new(
            &SPF_TARGET_NOT_A_NAME,
            span,
            format!("`{text}` is {what}, not a domain"),
            format!("write `{mechanism}{separator}{host}`"),
        ),
        _ => {
            let odd = text
                .chars()
                .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))?;
            Diagnostic::new(
                &SPF_TARGET_NOT_A_NAME,
                span,
                format!("`{text}` holds `{odd}`, which no host name has"),
                "check the name for a typo: it can never match a host",
            )
        }
    };
    Some(diagnostic)
}

/// Whether `name` is one of the eight mechanisms, in any case. (For the diagnostics; the
/// parser's own test is [`known_mechanism`], kept to its one call so it stays inlined there.)
fn is_mechanism_name(name: &str) -> bool {
    MECHANISMS.iter().any(|m| name.eq_ignore_ascii_case(m))
}

/// The modifier an unknown one is a likely typo of (`redirec`, `redirects`, `rediect`).
fn modifier_typo(name: &str) -> Option<&'static str> {
    // Most unknown modifiers are other words (`default=`, `v=`): tell by length first.
    if !(2..=11).contains(&name.len()) {
        return None;
    }
    let name = name.to_ascii_lowercase();
    if crate::parse::tags::edit_distance(&name, "redirect") <= 2 || (name.starts_with("redir") && name.len() <= 10) {
        Some("redirect")
    } else if matches!(
        name.as_str(),
        "exps" | "expl" | "explain" | "explanation" | "xp" | "epx"
    ) {
        Some("exp")
    } else {
        None
    }
}

fn is_modifier_name(name: &str) -> bool {
    name == "redirect" || name == "exp"
}

/// Checks `domain-end = ( "." toplabel [ "." ] ) / macro-expand` of the macro-string `value`.
fn domain_end_problem(scan: &Scan, value: &[u8]) -> Option<String> {
    if scan.parts == 0 {
        return Some("empty domain".to_string());
    }
    let (start, end) = scan.last_literal?;
    let literal = value.get(start..end).unwrap_or_default();
    let trimmed = literal.strip_suffix(b".").unwrap_or(literal);
    // The usual top label (letters, then the end) is checked in the pass that finds its dot.
    for (letters, &b) in trimmed.iter().rev().enumerate() {
        if !b.is_ascii_alphabetic() {
            if b == b'.' && letters > 0 {
                return None;
            }
            break;
        }
    }
    match trimmed.iter().rposition(|&b| b == b'.') {
        None => {
            if scan.parts == 1 {
                Some(format!("`{}` is not a fully qualified domain", lossy(value)))
            } else {
                Some(format!("`{}` does not end in `.` and a top-level label", lossy(value)))
            }
        }
        Some(dot) => {
            let top = trimmed.get(dot + 1..).unwrap_or_default();
            if is_toplabel(top) {
                None
            } else {
                Some(format!("`{}` is not a valid top-level label", lossy(top)))
            }
        }
    }
}

/// `toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )`
fn is_toplabel(bytes: &[u8]) -> bool {
    if bytes.is_empty() || !bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-') {
        return false;
    }
    if bytes.contains(&b'-') {
        bytes.first().is_some_and(u8::is_ascii_alphanumeric) && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    } else {
        bytes.iter().any(u8::is_ascii_alphabetic)
    }
}

/// Parses a macro-string (RFC 7208 §7.1). `explain` allows the letters c, r, t and spaces, as
/// in explanation text. `offset` is where `bytes` sits in the record, for spans.
pub fn parse_macro_string(bytes: &[u8], offset: usize, explain: bool) -> Result<MacroString, Diagnostic> {
    scan_macro_string(bytes, offset, explain, None).map(|scan| scan.macro_string)
}

/// What checking a macro-string found, besides the value itself: enough to check its
/// domain-end without building its parts.
struct Scan {
    macro_string: MacroString,
    /// How many parts it has.
    parts: usize,
    /// Where the last part sits in the bytes, when it is literal text.
    last_literal: Option<(usize, usize)>,
}

impl Scan {
    /// The scan of `bytes`, non-empty printable ASCII without `%`: one literal part.
    fn literal(bytes: &[u8], offset: usize, explain: bool) -> Scan {
        Scan {
            macro_string: MacroString {
                span: Span::new(offset, offset + bytes.len()),
                has_macros: false,
                literal: true,
                explain,
            },
            parts: 1,
            last_literal: Some((0, bytes.len())),
        }
    }
}

/// Checks a macro-string and, when `out` is given, collects its parts (borrowing `bytes`).
fn scan_macro_string<'a>(
    bytes: &'a [u8],
    offset: usize,
    explain: bool,
    mut out: Option<&mut Vec<MacroPart<'a>>>,
) -> Result<Scan, Diagnostic> {
    // Most domain-specs are one run of printable ASCII without `%`: one literal part.
    if out.is_none() && !bytes.is_empty() && printable_run_and_percent(bytes) == (bytes.len(), false) {
        return Ok(Scan::literal(bytes, offset, explain));
    }
    let mut parts = 0;
    let mut has_macros = false;
    let mut percent = false;
    // Where the literal run being read began: a literal part is one stretch of the bytes.
    let mut literal_start: Option<usize> = None;
    let mut i = 0;
    let bad = |at: usize, end: usize, message: String, help: String| {
        Diagnostic::new(&SPF_BAD_MACRO, Span::new(offset + at, offset + end), message, help)
    };
    let allowed = |b: u8| (0x21..=0x7e).contains(&b) || (explain && b == b' ');
    // The literal part `start..end` (printable ASCII, so always UTF-8).
    let literal = |start: usize, end: usize| {
        MacroPart::Literal(std::str::from_utf8(bytes.get(start..end).unwrap_or_default()).unwrap_or_default())
    };
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            if !allowed(b) {
                return Err(bad(
                    i,
                    i + 1,
                    format!("byte 0x{b:02x} not allowed here"),
                    "remove it".into(),
                ));
            }
            let run = bytes.get(i..).unwrap_or_default();
            let len = run.iter().position(|&c| c == b'%' || !allowed(c)).unwrap_or(run.len());
            literal_start.get_or_insert(i);
            i += len;
            continue;
        }
        percent = true;
        let special = match bytes.get(i + 1) {
            Some(b'%') => Some(MacroPart::Percent),
            Some(b'_') => Some(MacroPart::Space),
            Some(b'-') => Some(MacroPart::UrlSpace),
            _ => None,
        };
        if let Some(part) = special {
            if let Some(start) = literal_start.take() {
                parts += 1;
                if let Some(out) = out.as_deref_mut() {
                    out.push(literal(start, i));
                }
            }
            parts += 1;
            if let Some(out) = out.as_deref_mut() {
                out.push(part);
            }
            i += 2;
            continue;
        }
        if bytes.get(i + 1) != Some(&b'{') {
            let shown = lossy(bytes.get(i..(i + 2).min(bytes.len())).unwrap_or_default());
            return Err(bad(
                i,
                (i + 2).min(bytes.len()),
                format!("`{shown}` is not a macro"),
                "write `%{letter}` for a macro or `%%` for a literal percent sign".into(),
            ));
        }
        let close = bytes
            .get(i..)
            .and_then(|r| r.iter().position(|&c| c == b'}'))
            .map(|p| i + p);
        let Some(close) = close else {
            return Err(bad(
                i,
                bytes.len(),
                "macro has no closing `}`".into(),
                "close the macro with `}`".into(),
            ));
        };
        let inner = bytes.get(i + 2..close).unwrap_or_default();
        let span = Span::new(offset + i, offset + close + 1);
        let mac = parse_macro_body(inner, span, explain)?;
        if let Some(start) = literal_start.take() {
            parts += 1;
            if let Some(out) = out.as_deref_mut() {
                out.push(literal(start, i));
            }
        }
        parts += 1;
        has_macros = true;
        if let Some(out) = out.as_deref_mut() {
            out.push(MacroPart::Macro(mac));
        }
        i = close + 1;
    }
    let last_literal = literal_start.map(|start| (start, bytes.len()));
    if let (Some((start, end)), Some(out)) = (last_literal, out) {
        out.push(literal(start, end));
    }
    Ok(Scan {
        macro_string: MacroString {
            span: Span::new(offset, offset + bytes.len()),
            has_macros,
            literal: !percent,
            explain,
        },
        parts: parts + usize::from(last_literal.is_some()),
        last_literal,
    })
}

fn parse_macro_body(inner: &[u8], span: Span, explain: bool) -> Result<Macro<'_>, Diagnostic> {
    let shown = lossy(inner);
    let Some(&letter) = inner.first() else {
        return Err(Diagnostic::new(
            &SPF_BAD_MACRO,
            span,
            "empty macro `%{}`",
            "write a macro letter, e.g. `%{d}`",
        ));
    };
    let lower = letter.to_ascii_lowercase();
    let known = matches!(lower, b's' | b'l' | b'o' | b'd' | b'i' | b'p' | b'h' | b'v');
    let exp_only = matches!(lower, b'c' | b'r' | b't');
    if !known && !exp_only {
        return Err(Diagnostic::new(
            &SPF_BAD_MACRO,
            span,
            format!("unknown macro letter `{}`", letter as char),
            "use one of s l o d i p h v (and c r t in explanation text)",
        ));
    }
    if exp_only && !explain {
        return Err(Diagnostic::new(
            &SPF_BAD_MACRO,
            span,
            format!("macro `%{{{shown}}}` is allowed only in explanation text"),
            "use one of s l o d i p h v in a domain",
        ));
    }
    let mut j = 1;
    let digits_start = j;
    while inner.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    let digits = if j > digits_start {
        let text = lossy(inner.get(digits_start..j).unwrap_or_default());
        let value = text.parse::<u32>().unwrap_or(u32::MAX);
        if value == 0 {
            return Err(Diagnostic::new(
                &SPF_BAD_MACRO,
                span,
                "macro keeps zero parts",
                format!("use a digit count of 1 or more, or none: `%{{{}}}`", letter as char),
            ));
        }
        Some(value)
    } else {
        None
    };
    let mut reverse = false;
    if inner.get(j).is_some_and(|b| b.eq_ignore_ascii_case(&b'r')) {
        reverse = true;
        j += 1;
    }
    let delimiters = inner.get(j..).unwrap_or_default();
    for &d in delimiters {
        if !matches!(d, b'.' | b'-' | b'+' | b',' | b'/' | b'_' | b'=') {
            return Err(Diagnostic::new(
                &SPF_BAD_MACRO,
                span,
                format!("`{}` is not a macro delimiter", d as char),
                "delimiters are . - + , / _ =",
            ));
        }
    }
    Ok(Macro {
        letter: lower as char,
        url_escape: letter.is_ascii_uppercase(),
        digits,
        reverse,
        delimiters: std::str::from_utf8(delimiters).unwrap_or_default(),
        span,
    })
}

/// Parses explanation text fetched through `exp=` (§6.2): macro-strings and spaces.
pub fn parse_explain_string(text: &[u8]) -> Result<MacroString, Diagnostic> {
    parse_macro_string(text, 0, true)
}

fn parse_cidr(digits: &[u8], max: u8) -> Result<u8, String> {
    if digits.is_empty() {
        return Err("`/` with no prefix length after it".to_string());
    }
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(format!("`{}` is not a prefix length", lossy(digits)));
    }
    if digits.len() > 1 && digits.first() == Some(&b'0') {
        return Err(format!("prefix length `{}` has a leading zero", lossy(digits)));
    }
    // At most three digits can be in range; more are over the maximum whatever they say.
    let value = if digits.len() <= 3 {
        digits.iter().fold(0u16, |v, d| v * 10 + u16::from(d - b'0'))
    } else {
        u16::MAX
    };
    if value <= u16::from(max) {
        Ok(value as u8)
    } else {
        Err(format!("prefix length {} is over {max}", lossy(digits)))
    }
}

fn parse_a_mx(name: &str, rest: &[u8], offset: usize, ctx: &mut Ctx) -> Option<Mechanism> {
    // Take the dual-cidr-length off the end: a domain-spec may itself contain `/`.
    let mut body_end = rest.len();
    let mut cidr = DualCidr::default();
    // At most two: the IPv6 length (taken first, from the end), then the IPv4 one.
    let mut cidr6: Option<(Span, &[u8], u8, bool)> = None;
    let mut cidr4: Option<(Span, &[u8], u8, bool)> = None;
    let digits_before = |end: usize| -> usize {
        let mut s = end;
        while s > 0 && rest.get(s - 1).is_some_and(u8::is_ascii_digit) {
            s -= 1;
        }
        s
    };
    let s6 = digits_before(body_end);
    if s6 < body_end && s6 >= 2 && rest.get(s6 - 1) == Some(&b'/') && rest.get(s6 - 2) == Some(&b'/') {
        cidr6 = Some((
            Span::new(offset + s6 - 2, offset + body_end),
            rest.get(s6..body_end).unwrap_or_default(),
            128,
            true,
        ));
        body_end = s6 - 2;
    }
    let s4 = digits_before(body_end);
    if s4 < body_end && s4 >= 1 && rest.get(s4 - 1) == Some(&b'/') && !(s4 >= 2 && rest.get(s4 - 2) == Some(&b'/')) {
        cidr4 = Some((
            Span::new(offset + s4 - 1, offset + body_end),
            rest.get(s4..body_end).unwrap_or_default(),
            32,
            false,
        ));
        body_end = s4 - 1;
    }
    // `/24/64`: both lengths with one `/` between them, where the IPv6 one takes `//`. Said as
    // the cidr slip it is, not as a domain ending in `com/24`.
    let s_extra = digits_before(body_end);
    if cidr4.is_some() && cidr6.is_none() && s_extra < body_end && s_extra >= 1 && rest.get(s_extra - 1) == Some(&b'/')
    {
        let lengths = rest.get(s_extra - 1..).unwrap_or_default();
        let before = lossy(rest.get(..s_extra - 1).unwrap_or_default());
        let (first, second) = (
            lossy(rest.get(s_extra..body_end).unwrap_or_default()),
            lossy(rest.get(body_end + 1..).unwrap_or_default()),
        );
        ctx.fatal(Diagnostic::new(
            &SPF_BAD_CIDR,
            Span::new(offset + s_extra - 1, offset + rest.len()),
            format!("`{}` is not a valid cidr length", lossy(lengths)),
            format!("the IPv6 length takes `//`: write `{name}{before}/{first}//{second}`"),
        ));
        return None;
    }
    let body = rest.get(..body_end).unwrap_or_default();
    let domain = match body.first() {
        None => None,
        Some(b':') => {
            let value = body.get(1..).unwrap_or_default();
            Some(parse_domain_spec(name, value, offset + 1, ctx)?)
        }
        Some(b'/') => {
            ctx.fatal(Diagnostic::new(
                &SPF_BAD_CIDR,
                Span::new(offset, offset + rest.len()),
                format!("`{}` is not a valid cidr length", lossy(rest)),
                format!("write `{name}/24` for IPv4, `{name}//64` for IPv6, or `{name}/24//64` for both"),
            ));
            return None;
        }
        Some(_) => {
            ctx.fatal(Diagnostic::new(
                &SPF_SYNTAX_ERROR,
                Span::new(offset, offset + rest.len()),
                format!("unexpected `{}` after `{name}`", lossy(rest)),
                format!("write `{name}:example.com`"),
            ));
            return None;
        }
    };
    for (span, digits, max, is6) in [cidr6, cidr4].into_iter().flatten() {
        match parse_cidr(digits, max) {
            Ok(v) => {
                if is6 {
                    cidr.ip6 = Some(v)
                } else {
                    cidr.ip4 = Some(v)
                }
            }
            Err(message) => {
                ctx.fatal(Diagnostic::new(
                    &SPF_BAD_CIDR,
                    span,
                    message,
                    format!(
                        "use an {} prefix length of 0 to {max}",
                        if is6 { "IPv6" } else { "IPv4" }
                    ),
                ));
                return None;
            }
        }
    }
    Some(if name == "a" {
        Mechanism::A { domain, cidr }
    } else {
        Mechanism::Mx { domain, cidr }
    })
}

fn parse_ip(name: &str, rest: &[u8], offset: usize, span: Span, ctx: &mut Ctx) -> Option<Mechanism> {
    let is6 = name == "ip6";
    let example = if is6 { "ip6:2001:db8::/32" } else { "ip4:192.0.2.0/24" };
    if rest.first() != Some(&b':') || rest.len() == 1 {
        ctx.fatal(Diagnostic::new(
            &SPF_BAD_IP_ADDRESS,
            span,
            format!("`{name}` needs an address"),
            format!("write `{example}`"),
        ));
        return None;
    }
    let value = rest.get(1..).unwrap_or_default();
    let value_offset = offset + 1;
    #[cfg(not(target_arch = "wasm32"))]
    if ctx.term.plain() {
        if let Some(mechanism) = read_ip_value(is6, value) {
            return Some(mechanism);
        }
    }
    // The first `/` and the first `%` (a macro, refused wherever it is). Most terms are
    // known to hold no `%`.
    let mut slash = None;
    let mut percent = None;
    if ctx.term.plain() {
        slash = value.iter().position(|&b| b == b'/');
    } else {
        for (i, &b) in value.iter().enumerate() {
            if b == b'%' {
                percent = Some(i);
                break;
            }
            if b == b'/' && slash.is_none() {
                slash = Some(i);
            }
        }
    }
    if let Some(p) = percent {
        ctx.fatal(Diagnostic::new(
            &SPF_MACRO_IN_IP,
            Span::new(value_offset + p, value_offset + value.len()),
            format!("macro in `{name}`"),
            "ip4 and ip6 take literal addresses; use `exists:` with macros for dynamic checks",
        ));
        return None;
    }
    let slash = slash.unwrap_or(value.len());
    let addr_bytes = value.get(..slash).unwrap_or_default();
    let addr_span = Span::new(value_offset, value_offset + slash);
    let prefix_bytes = value.get(slash..).unwrap_or_default();
    let max = if is6 { 128 } else { 32 };
    // Parsed once, here; the value below reuses it.
    let addr: Option<std::net::IpAddr> = if is6 {
        parse_ipv6(addr_bytes).map(Into::into)
    } else {
        parse_ipv4(addr_bytes).map(Into::into)
    };
    let Some(addr) = addr else {
        let addr_text = lossy(addr_bytes);
        let help = ip_help(is6, &addr_text, example);
        ctx.fatal(Diagnostic::new(
            &SPF_BAD_IP_ADDRESS,
            addr_span,
            format!("`{addr_text}` is not an {} address", if is6 { "IPv6" } else { "IPv4" }),
            help,
        ));
        return None;
    };
    let prefix = match prefix_bytes.get(1..) {
        None => None,
        Some(digits) => match parse_cidr(digits, max) {
            Ok(v) => Some(v),
            Err(message) => {
                ctx.fatal(Diagnostic::new(
                    &SPF_BAD_CIDR,
                    Span::new(value_offset + slash, value_offset + value.len()),
                    message,
                    format!("use `/n` with n from 0 to {max}, e.g. `{example}`"),
                ));
                return None;
            }
        },
    };
    Some(match addr {
        std::net::IpAddr::V6(addr) => Mechanism::Ip6 { addr, prefix },
        std::net::IpAddr::V4(addr) => Mechanism::Ip4 { addr, prefix },
    })
}

/// The common ip4/ip6 value, an address and an optional valid prefix length, read in one
/// pass; `None` for anything else, which the general path then reads and explains. It
/// accepts only what that path accepts, with the same result: an address ends at the first
/// `/`, since neither grammar has one.
#[cfg(not(target_arch = "wasm32"))]
fn read_ip_value(is6: bool, value: &[u8]) -> Option<Mechanism> {
    if is6 {
        let (addr, len) = read_ipv6(value)?;
        let prefix = read_prefix(value.get(len..)?, 128)?;
        Some(Mechanism::Ip6 { addr, prefix })
    } else {
        let (addr, len) = read_ipv4(value)?;
        let prefix = read_prefix(value.get(len..)?, 32)?;
        Some(Mechanism::Ip4 { addr, prefix })
    }
}

/// What follows an address in [`read_ip_value`]: nothing, or `/` and a prefix length that
/// `parse_cidr` accepts (no leading zero, at most `max`); `None` for anything else.
#[cfg(not(target_arch = "wasm32"))]
fn read_prefix(rest: &[u8], max: u8) -> Option<Option<u8>> {
    let prefix = match rest {
        [] => return Some(None),
        [b'/', d @ b'0'..=b'9'] => d - b'0',
        [b'/', a @ b'1'..=b'9', b @ b'0'..=b'9'] => (a - b'0') * 10 + (b - b'0'),
        [b'/', b'1', b @ b'0'..=b'2', c @ b'0'..=b'9'] => 100 + (b - b'0') * 10 + (c - b'0'),
        _ => return None,
    };
    (prefix <= max).then_some(Some(prefix))
}

// The browser module holds std's address parsers anyway (for what people type), so there the
// two below are std's; natively they are the faster readers that follow.

#[cfg(target_arch = "wasm32")]
fn parse_ipv4(bytes: &[u8]) -> Option<Ipv4Addr> {
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

#[cfg(target_arch = "wasm32")]
fn parse_ipv6(bytes: &[u8]) -> Option<Ipv6Addr> {
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// A dotted-quad IPv4 address as std's parser reads one (four decimal numbers of at most
/// three digits, no leading zeros, each at most 255), without its general machinery.
#[cfg(not(target_arch = "wasm32"))]
fn parse_ipv4(bytes: &[u8]) -> Option<Ipv4Addr> {
    match read_ipv4(bytes) {
        Some((addr, len)) if len == bytes.len() => Some(addr),
        _ => None,
    }
}

/// An IPv6 address as std's parser reads one (groups of one to four hex digits, one `::`, an
/// IPv4 address in the last 32 bits), without its general machinery.
#[cfg(not(target_arch = "wasm32"))]
fn parse_ipv6(bytes: &[u8]) -> Option<Ipv6Addr> {
    match read_ipv6(bytes) {
        Some((addr, len)) if len == bytes.len() => Some(addr),
        _ => None,
    }
}

/// Reads an IPv6 address at the start of `bytes` as [`parse_ipv6`] does; its length in bytes.
#[cfg(not(target_arch = "wasm32"))]
fn read_ipv6(bytes: &[u8]) -> Option<(Ipv6Addr, usize)> {
    let mut head = [0u16; 8];
    let mut at = 0;
    let (head_size, head_ipv4) = read_ipv6_groups(bytes, &mut at, &mut head);
    if head_size == 8 {
        return Some((Ipv6Addr::from(head), at));
    }
    if head_ipv4 || bytes.get(at..at + 2) != Some(b"::") {
        return None;
    }
    at += 2;
    // `::` stands for at least one group of zeros: at most seven follow it.
    let mut tail = [0u16; 7];
    let limit = 7 - head_size;
    let (tail_size, _) = read_ipv6_groups(bytes, &mut at, tail.get_mut(..limit)?);
    for (slot, group) in head.get_mut(8 - tail_size..)?.iter_mut().zip(&tail) {
        *slot = *group;
    }
    Some((Ipv6Addr::from(head), at))
}

/// What [`hex_value`] gives for a byte that is not a hex digit.
#[cfg(not(target_arch = "wasm32"))]
const NOT_HEX: u8 = 0xff;

/// The value of each byte as a hex digit, or [`NOT_HEX`].
#[cfg(not(target_arch = "wasm32"))]
static HEX_VALUES: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

#[cfg(not(target_arch = "wasm32"))]
fn hex_value(b: u8) -> u8 {
    HEX_VALUES.get(usize::from(b)).copied().unwrap_or(NOT_HEX)
}

/// Reads `:`-separated hex groups into `groups` from `bytes[*at..]`, ending early (and
/// reporting it) at an IPv4 address, which fills two groups; std's `read_groups`.
#[cfg(not(target_arch = "wasm32"))]
fn read_ipv6_groups(bytes: &[u8], at: &mut usize, groups: &mut [u16]) -> (usize, bool) {
    let limit = groups.len();
    for i in 0..limit {
        // A separator before every group but the first.
        let start = if i == 0 {
            Some(*at)
        } else {
            (bytes.get(*at) == Some(&b':')).then_some(*at + 1)
        };
        let Some(start) = start else {
            return (i, false);
        };
        let rest = bytes.get(start..).unwrap_or_default();
        let mut digits = 0;
        let mut value = 0u16;
        let mut decimal = true;
        while digits < 4 {
            let digit = rest.get(digits).map_or(NOT_HEX, |&b| hex_value(b));
            if digit == NOT_HEX {
                break;
            }
            decimal &= digit < 10;
            value = (value << 4) | u16::from(digit);
            digits += 1;
        }
        // An IPv4 address has a `.` after its first one to three digits: only then try one.
        if i + 1 < limit && decimal && (1..=3).contains(&digits) && rest.get(digits) == Some(&b'.') {
            if let Some((v4, len)) = read_ipv4(rest) {
                let [a, b, c, d] = v4.octets();
                if let Some(pair) = groups.get_mut(i..i + 2) {
                    pair.copy_from_slice(&[u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])]);
                }
                *at = start + len;
                return (i + 2, true);
            }
        }
        if digits == 0 {
            return (i, false);
        }
        if let Some(slot) = groups.get_mut(i) {
            *slot = value;
        }
        *at = start + digits;
    }
    (limit, false)
}

/// Reads a dotted-quad IPv4 address at the start of `bytes`; its length in bytes. Each number
/// is read greedily, at most three digits, as std does: `1.2.3.4567` reads `1.2.3.456`.
#[cfg(not(target_arch = "wasm32"))]
fn read_ipv4(bytes: &[u8]) -> Option<(Ipv4Addr, usize)> {
    let mut octets = [0u8; 4];
    let mut rest = bytes;
    for (i, octet) in octets.iter_mut().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(b".")?;
        }
        let digit = |b: u8| u16::from(b - b'0');
        let (value, tail) = match rest {
            // A leading zero is refused, as std refuses it.
            [b'0', b'0'..=b'9', ..] => return None,
            [a @ b'0'..=b'9', b @ b'0'..=b'9', c @ b'0'..=b'9', tail @ ..] => {
                (digit(*a) * 100 + digit(*b) * 10 + digit(*c), tail)
            }
            [a @ b'0'..=b'9', b @ b'0'..=b'9', tail @ ..] => (digit(*a) * 10 + digit(*b), tail),
            [a @ b'0'..=b'9', tail @ ..] => (digit(*a), tail),
            _ => return None,
        };
        *octet = u8::try_from(value).ok()?;
        rest = tail;
    }
    Some((Ipv4Addr::from(octets), bytes.len() - rest.len()))
}

fn ip_help(is6: bool, text: &str, example: &str) -> String {
    if !is6 {
        if text.parse::<Ipv6Addr>().is_ok() {
            return format!("this is an IPv6 address: write `ip6:{text}`");
        }
        if let Some((host, _port)) = text.rsplit_once(':') {
            if host.parse::<Ipv4Addr>().is_ok() {
                return format!("SPF has no ports: write `ip4:{host}`");
            }
        }
        let parts = text.split('.').count();
        if parts < 4 && text.split('.').all(|p| p.parse::<u8>().is_ok()) {
            let zeros = 4 - parts;
            let full = format!("{text}{}", ".0".repeat(zeros));
            return format!(
                "write the full address with a prefix length: `ip4:{full}/{}`",
                8 * parts
            );
        }
    } else if text.parse::<Ipv4Addr>().is_ok() {
        return format!("this is an IPv4 address: write `ip4:{text}`");
    }
    format!("write a complete address, e.g. `{example}`")
}

fn parse_modifier(text: &[u8], name_len: usize, offset: usize, ctx: &mut Ctx) -> TermKind {
    let name_bytes = text.get(..name_len).unwrap_or_default();
    let value = text.get(name_len + 1..).unwrap_or_default();
    let value_offset = offset + name_len + 1;
    let name_span = Span::new(offset, offset + name_len);
    if !name_bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        let first = name_bytes.first().copied();
        let help = match first.and_then(Qualifier::from_byte) {
            Some(_) => "modifiers take no qualifier: remove it",
            None => "a modifier name starts with a letter, e.g. `redirect=example.com`",
        };
        ctx.fatal(Diagnostic::new(
            &SPF_SYNTAX_ERROR,
            if name_len == 0 {
                Span::new(offset, offset + text.len())
            } else {
                name_span
            },
            if name_len == 0 {
                Cow::Borrowed("modifier has no name")
            } else {
                format!("invalid modifier name `{}`", lossy(name_bytes)).into()
            },
            help,
        ));
        return TermKind::Invalid;
    }
    // The two modifiers RFC 7208 defines, in any case, without a lowercase copy.
    let redirect = name_bytes.eq_ignore_ascii_case(b"redirect");
    if redirect || name_bytes.eq_ignore_ascii_case(b"exp") {
        let name = if redirect { "redirect" } else { "exp" };
        return match parse_domain_spec(name, value, value_offset, ctx) {
            Some(domain) if redirect => TermKind::Modifier(Modifier::Redirect { domain }),
            Some(domain) => TermKind::Modifier(Modifier::Exp { domain }),
            None => TermKind::Invalid,
        };
    }
    let name = lossy(name_bytes).to_ascii_lowercase();
    {
        {
            let macro_string = match parse_macro_string(value, value_offset, true) {
                Ok(ms) => ms,
                Err(diagnostic) => {
                    ctx.fatal(diagnostic);
                    return TermKind::Invalid;
                }
            };
            let bare = name.trim_start_matches(['+', '-', '~', '?']);
            if MECHANISMS.contains(&bare) {
                ctx.note(Diagnostic::new(
                    &SPF_WRONG_SEPARATOR,
                    Span::new(offset + name_len, offset + name_len + 1),
                    format!("`{name}=` is an unknown modifier, not the {name} mechanism; receivers ignore it"),
                    format!("write `{name}:{}`", lossy(value)),
                ));
            } else if let Some(meant) = modifier_typo(&name) {
                // Receivers ignore it, so the policy the modifier was to bring in is lost.
                ctx.note(
                    Diagnostic::new(
                        &SPF_UNKNOWN_MODIFIER,
                        name_span,
                        format!("unknown modifier `{name}` is ignored; did you mean `{meant}=`?"),
                        format!("write `{meant}={}`", lossy(value)),
                    )
                    .with_severity(Severity::Warning),
                );
            } else {
                ctx.note(Diagnostic::new(
                    &SPF_UNKNOWN_MODIFIER,
                    name_span,
                    format!("unknown modifier `{name}` is ignored"),
                    "remove it unless a specific receiver documents it; only redirect= and exp= have an effect",
                ));
            }
            TermKind::Modifier(Modifier::Unknown {
                name,
                value: macro_string,
            })
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Whole-record checks
// ---------------------------------------------------------------------------------------------

/// The address family a mechanism matches in full, by a zero-length prefix (`ip4:0.0.0.0/0`,
/// `a//0`), if it does, with an example of a real range of that family.
fn zero_prefix_family(mechanism: &Mechanism) -> Option<(&'static str, &'static str)> {
    const IPV4: (&str, &str) = ("IPv4", "ip4:192.0.2.0/24");
    const IPV6: (&str, &str) = ("IPv6", "ip6:2001:db8::/32");
    match mechanism {
        Mechanism::Ip4 { prefix: Some(0), .. } => Some(IPV4),
        Mechanism::Ip6 { prefix: Some(0), .. } => Some(IPV6),
        Mechanism::A { cidr, .. } | Mechanism::Mx { cidr, .. } if cidr.ip4 == Some(0) => Some(IPV4),
        Mechanism::A { cidr, .. } | Mechanism::Mx { cidr, .. } if cidr.ip6 == Some(0) => Some(IPV6),
        _ => None,
    }
}

fn record_diagnostics(record: &SpfRecord, ctx: &mut Ctx) {
    if record.terms.is_empty() {
        let at = record.version.map_or(0, |v| v.end);
        ctx.note(Diagnostic::new(
            &SPF_EMPTY_RECORD,
            Span::new(at.saturating_sub(6), at),
            "record has no terms and authorises nothing",
            "add the senders and a final `-all`, or write `v=spf1 -all` for a domain that sends no mail",
        ));
        return;
    }

    let mut all_term: Option<&Term> = None;
    let mut redirect: Option<&Term> = None;
    let mut exp: Option<&Term> = None;
    let mut lookups = 0usize;
    let mut after_all: Option<Span> = None;
    for term in &record.terms {
        match &term.kind {
            TermKind::Directive(d) => {
                // Terms after `all` are never evaluated, so they cause no lookups.
                if d.mechanism.causes_lookup() && all_term.is_none() {
                    lookups += 1;
                }
                if all_term.is_some() {
                    after_all = Some(after_all.map_or(term.span, |s| s.cover(term.span)));
                }
                match &d.mechanism {
                    Mechanism::All if all_term.is_none() => {
                        all_term = Some(term);
                        match d.qualifier {
                            Qualifier::Pass => ctx.note(Diagnostic::new(
                                &SPF_PLUS_ALL,
                                term.span,
                                "`+all` authorises every host on the internet",
                                "end the record with `-all` (or `~all` while testing)",
                            )),
                            Qualifier::Neutral => ctx.note(Diagnostic::new(
                                &SPF_NEUTRAL_ALL,
                                term.span,
                                "`?all` gives neutral to every unlisted host",
                                "end the record with `-all` (or `~all` while testing)",
                            )),
                            _ => {}
                        }
                    }
                    Mechanism::Ptr { .. } => ctx.note(Diagnostic::new(
                        &SPF_PTR_USED,
                        term.span,
                        "`ptr` should not be used",
                        "list the sending hosts with ip4:/ip6: or a:/mx: instead",
                    )),
                    // A pass for a zero-length prefix is `+all` written another way:
                    // `ip4:0.0.0.0/0` matches every IPv4 address, `a/0` every one once the
                    // name has an A record.
                    mechanism => {
                        if let (Qualifier::Pass, Some((family, example))) = (d.qualifier, zero_prefix_family(mechanism))
                        {
                            ctx.note(Diagnostic::new(
                                &SPF_PLUS_ALL,
                                term.span,
                                format!("`/0` authorises every {family} host on the internet, as `+all` does"),
                                format!(
                                    "list your own sending addresses with their real prefix length, e.g. {example}"
                                ),
                            ));
                        }
                    }
                }
            }
            TermKind::Modifier(Modifier::Redirect { .. }) => {
                if let Some(first) = redirect {
                    ctx.fatal(
                        Diagnostic::new(
                            &SPF_DUPLICATE_MODIFIER,
                            term.span,
                            "second `redirect=`",
                            "keep one redirect= modifier",
                        )
                        .with_related(first.span, RelatedLabel::FirstOne),
                    );
                } else {
                    redirect = Some(term);
                }
            }
            TermKind::Modifier(Modifier::Exp { .. }) => {
                if let Some(first) = exp {
                    ctx.fatal(
                        Diagnostic::new(
                            &SPF_DUPLICATE_MODIFIER,
                            term.span,
                            "second `exp=`",
                            "keep one exp= modifier",
                        )
                        .with_related(first.span, RelatedLabel::FirstOne),
                    );
                } else {
                    exp = Some(term);
                }
            }
            _ => {}
        }
    }
    if let (Some(span), Some(all)) = (after_all, all_term) {
        ctx.note(
            Diagnostic::new(
                &SPF_TERMS_AFTER_ALL,
                span,
                "mechanisms after `all` are never evaluated",
                "move them before `all`, or remove them",
            )
            .with_related(all.span, RelatedLabel::AllMechanism),
        );
    }
    if let (Some(r), Some(all)) = (redirect, all_term) {
        ctx.note(
            Diagnostic::new(
                &SPF_REDIRECT_WITH_ALL,
                r.span,
                "`redirect=` is ignored because the record has `all`",
                format!("remove `{}` or remove `{}`", record.term_text(all), record.term_text(r)),
            )
            .with_related(all.span, RelatedLabel::AllMechanism),
        );
    }
    // A misspelt `redirect=` has its own warning; saying the record ends without one repeats it.
    let has_invalid = || {
        record.terms.iter().any(|t| match &t.kind {
            TermKind::Invalid => true,
            TermKind::Modifier(Modifier::Unknown { name, .. }) => modifier_typo(name) == Some("redirect"),
            _ => false,
        })
    };
    if all_term.is_none() && redirect.is_none() && !has_invalid() {
        let end = record.terms.last().map_or(0, |t| t.span.end);
        ctx.note(Diagnostic::new(
            &SPF_NO_ALL_NO_REDIRECT,
            Span::point(end),
            "no `all` and no `redirect=`: unlisted hosts get neutral",
            "end the record with `-all` (or `~all` while testing)",
        ));
    }
    // A redirect is followed only when the record has no `all` (RFC 7208 §6.1).
    if redirect.is_some() && all_term.is_none() {
        lookups += 1;
    }
    if lookups > 10 {
        let first = record.terms.first().map_or(Span::default(), |t| t.span);
        let last = record.terms.last().map_or(Span::default(), |t| t.span);
        ctx.note(Diagnostic::new(
            &SPF_TOO_MANY_LOOKUPS,
            first.cover(last),
            format!("{lookups} terms cause DNS lookups; the limit is 10"),
            "replace a, mx and include terms with ip4/ip6 ranges, or merge includes",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        parse(text).diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn typo_gives_one_diagnostic_with_a_suggestion() {
        let parsed = parse("v=spf1 inlcude:_spf.example.com -all");
        assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
        assert!(parsed.diagnostics[0].help.contains("include:_spf.example.com"));
        assert_eq!(codes("v=spf1 ipv4:192.0.2.1 -all"), ["SPF005"]);
        assert_eq!(codes("v=spf1 ip:192.0.2.1 -all"), ["SPF005"]);
    }

    #[test]
    fn grammar_cases_from_the_suite() {
        for bad in [
            "v=spf1 -all.",
            "v=spf1 -all:foobar",
            "v=spf1 -all/8",
            "v=spf1 ptr/0 -all",
            "v=spf1 a//129 -all",
            "v=spf1 a/33 -all",
            "v=spf1 a/24/64 -all",
            "v=spf1 a:example.com:8080",
            "v=spf1 a:abc.123",
            "v=spf1 a:museum",
            "v=spf1 a:museum.",
            "v=spf1 a:example.-com",
            "v=spf1 a:",
            "v=spf1 include +all",
            "v=spf1 include:ip5.example.com/24 -all",
            "v=spf1 exists:mail.example.com/24",
            "v=spf1 ip4:1.2.3.4/032 -all",
            "v=spf1 ip4",
            "v=spf1 ip4:1.2.3.4//32",
            "v=spf1 ip4:1.2.3.4:8080",
            "v=spf1 ip4:1.2.3",
            "v=spf1 ip6::CAFE::BABE",
            "v=spf1 ip6:::1.1.1.1//33",
            "v=spf1 1up=foo",
            "v=spf1 =all",
            "v=spf1 -all foo=%abc",
            "v=spf1 exp= -all",
            "v=spf1 exp=-all",
            "v=spf1 redirect=-all ?all",
            "v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all",
            "v=spf1 exists:%(ir).sbl.example.com ?all",
            "v=spf1 exists:foo%.sbl.example.com",
            "v=spf1 -all exp=%{r}.example.com",
            "v=spf1 a:%{a}.example.com -all",
            "v=spf1 redirect=e12.example.com -all redirect=e12.example.com",
        ] {
            assert!(parse(bad).value.permerror.is_some(), "{bad} should be a permerror");
        }
        for good in [
            "v=spf1 a//33 -all",
            "v=spf1 a/24//64 -all",
            "v=spf1 a:foo:bar/baz.example.com",
            "v=spf1 a:foo.example.xn--zckzah -all",
            "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
            "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
            "v=spf1 exists:%{i}.%{l2r-}.user.%{d2}",
            "v=spf1 ip6:::1.1.1.1/0",
            "v=spf1 default=+",
            "v=spf1 a:mail.example...com -all",
            "V=sPf1 +all",
        ] {
            let parsed = parse(good);
            assert!(parsed.value.permerror.is_none(), "{good}: {:?}", parsed.value.permerror);
        }
    }

    #[test]
    fn spans_are_byte_offsets() {
        let parsed = parse("v=spf1 ip4:1.2.3.4/33 -all");
        let d = &parsed.diagnostics[0];
        assert_eq!((d.code, d.span), ("SPF009", Span::new(18, 21)));
    }

    #[test]
    fn ip_addresses_read_as_std_reads_them() {
        let mut cases: Vec<String> = [
            "1.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            "1.2.3.1234",
            "",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::1:2:3:4:5:6:7",
            "::1:2:3:4:5:6:7:8",
            "1::2::3",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1.2.3.4::",
            "::1.2.3.4:5",
            "12345::",
            "fe80::1%eth0",
            "2001:DB8::",
            ":1::",
            "1:::2",
            "::0.0.0.0",
            "1:2:3:4:5::1.2.3.4",
            "1:2:3:4:5:6::1.2.3.4",
            "::01.2.3.4",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // And random strings over the bytes addresses are made of.
        let alphabet = b"0123456789aF:.:.:g";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        for _ in 0..50_000 {
            let len = next() % 24;
            let text: String = (0..len).map(|_| alphabet[next() % alphabet.len()] as char).collect();
            cases.push(text);
            // And address-shaped ones: groups, an IPv4 tail, `::` anywhere.
            let mut text = String::new();
            for g in 0..next() % 10 {
                if g > 0 || next() % 8 == 0 {
                    text.push_str(if next() % 6 == 0 { "::" } else { ":" });
                }
                match next() % 7 {
                    0 => text.push_str(&format!(
                        "{}.{}.{}.{}",
                        next() % 300,
                        next() % 256,
                        next() % 256,
                        next() % 256
                    )),
                    _ => text.push_str(format!("{:x}", next() % 0x1_2000).get(..1 + next() % 5).unwrap_or("0")),
                }
            }
            cases.push(text);
        }
        let valid = cases.iter().filter(|c| c.parse::<Ipv6Addr>().is_ok()).count();
        assert!(valid > 1000, "{valid}");
        for case in &cases {
            assert_eq!(parse_ipv4(case.as_bytes()), case.parse::<Ipv4Addr>().ok(), "{case}");
            assert_eq!(parse_ipv6(case.as_bytes()), case.parse::<Ipv6Addr>().ok(), "{case}");
        }
        // The one-pass reader of ip4/ip6 values accepts only what the general reading (std's
        // parser up to the first `/`, then `parse_cidr`) accepts, with the same value.
        let suffixes = [
            "", "/", "/0", "/00", "/7", "/24", "/32", "/33", "/64", "/099", "/128", "/129", "/1280", "/2/3", ":", "x",
        ];
        let mut fast = 0;
        for case in &cases {
            for suffix in suffixes {
                let value = format!("{case}{suffix}");
                for is6 in [false, true] {
                    let (addr_text, prefix_text) = match value.split_once('/') {
                        Some((addr, prefix)) => (addr, Some(prefix)),
                        None => (value.as_str(), None),
                    };
                    let max = if is6 { 128 } else { 32 };
                    let prefix = match prefix_text {
                        None => Ok(None),
                        Some(digits) => parse_cidr(digits.as_bytes(), max).map(Some),
                    };
                    let general = match (is6, prefix) {
                        (false, Ok(prefix)) => addr_text.parse().ok().map(|addr| Mechanism::Ip4 { addr, prefix }),
                        (true, Ok(prefix)) => addr_text.parse().ok().map(|addr| Mechanism::Ip6 { addr, prefix }),
                        (_, Err(_)) => None,
                    };
                    if let Some(read) = read_ip_value(is6, value.as_bytes()) {
                        assert_eq!(Some(read), general, "{value}");
                        fast += 1;
                    }
                }
            }
        }
        assert!(fast > 5000, "{fast}");
    }

    #[test]
    fn printable_run_stops_at_the_first_space_control_or_non_ascii_byte() {
        for stop in [0x00u8, 0x09, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff] {
            for at in 0..20 {
                for len in at..24 {
                    let mut bytes: Vec<u8> = (0..len).map(|i| [0x21u8, 0x7e, 0x41, 0x25][i % 4]).collect();
                    if at < len {
                        bytes[at] = stop;
                    }
                    if let Some(after) = bytes.get_mut(at + 1) {
                        *after = 0xff;
                    }
                    let run = at.min(len);
                    let percent = bytes[..run].contains(&b'%');
                    assert_eq!(
                        printable_run_and_percent(&bytes),
                        (run, percent),
                        "{stop:#x} at {at} of {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn printable_run_sees_a_percent_only_before_its_end() {
        // Every place for one `%` and one stop byte, in runs that cross eight-byte chunks.
        for len in 0..26 {
            for percent_at in 0..=len {
                for stop_at in 0..=len {
                    let mut bytes = vec![b'a'; len];
                    if let Some(b) = bytes.get_mut(percent_at) {
                        *b = b'%';
                    }
                    if let Some(b) = bytes.get_mut(stop_at) {
                        *b = b' ';
                    }
                    let run = bytes.iter().position(|&b| b == b' ').unwrap_or(len);
                    let percent = bytes[..run].contains(&b'%');
                    assert_eq!(
                        printable_run_and_percent(&bytes),
                        (run, percent),
                        "% at {percent_at}, stop at {stop_at}, {len} bytes"
                    );
                }
            }
        }
    }

    #[test]
    fn non_utf8_bytes_do_not_panic() {
        let parsed = parse_txt(&[b"v=spf1 a:\xef\xbb\xbfgarbage.example.net -all", b"\x96"]);
        assert!(parsed.value.permerror.is_some());
        assert_eq!(parsed.diagnostics[0].code, "SPF013");
    }
}
