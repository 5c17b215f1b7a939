//! DKIM public key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463), published as TXT at
//! `<selector>._domainkey.<domain>`.
//!
//! ```text
//! key-record = [ "v=DKIM1" ";" ] tag *( ";" tag ) [";"]   ; v, when present, first
//! k = "rsa" / "ed25519"                 ; default rsa
//! p = base64 (FWS allowed inside)      ; empty: the key is revoked
//! h = hash *( ":" hash )               ; sha256; sha1 alone is forbidden by RFC 8301
//! s = "*" / "email" *( ":" ... )
//! t = flag *( ":" flag )               ; y testing, s strict
//! n = notes
//! ```
//!
//! The key itself is decoded: RSA keys as SubjectPublicKeyInfo or bare PKCS#1 RSAPublicKey (the
//! modulus size is reported), Ed25519 keys as the raw 32 bytes RFC 8463 asks for. The DER reader
//! below is small and bounds-checked; it reads only what is needed to find the key type and size.

use serde::Serialize;

use crate::catalogue::{Area, Category, Rule};
use crate::diag::{Diagnostic, Parsed, Severity, Sink, Span};
use crate::parse::tags::{self, Kind, Tag};

/// The algorithm of a DKIM key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyType {
    Rsa,
    Ed25519,
}

/// How the key bytes in `p=` were laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyEncoding {
    /// X.509 SubjectPublicKeyInfo (the usual form for RSA).
    Spki,
    /// A bare PKCS#1 RSAPublicKey.
    Pkcs1,
    /// The raw 32-byte Ed25519 key of RFC 8463.
    Raw,
}

/// A parsed DKIM key record.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DkimKey {
    /// `v=DKIM1` is absent, or present, first and exact.
    pub version_ok: bool,
    /// The `k=` value as declared (`rsa` when absent), if it names a known type.
    pub declared_key_type: Option<KeyType>,
    /// The type of the decoded key, or the declared one when the key could not be decoded.
    pub key_type: Option<KeyType>,
    pub key_encoding: Option<KeyEncoding>,
    /// RSA modulus size in bits (leading zero bytes do not count), or 256 for Ed25519.
    pub key_bits: Option<u32>,
    /// `p=` is present and empty.
    pub revoked: bool,
    /// `t=y`.
    pub testing: bool,
    /// `t=s`: the `i=` domain of signatures must equal `d=` exactly.
    pub strict: bool,
    /// `h=` hash algorithms as written (empty when absent: all allowed).
    pub hashes: Vec<String>,
    /// `s=` service types (empty when absent: `*`).
    pub services: Vec<String>,
    /// `n=` notes.
    pub notes: Option<String>,
}

tags::tag_rules! {
    category: Category::Dkim, area: Area::Authentication, weight: 30, label: "DKIM",
    version: "v=DKIM1", bad_version: "v=DKIM2",
    tag: ("k", "rsa"), extra: "; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    upper: (
        "v=DKIM1; K=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
        "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB"
    ),
    misspelt: (
        "v=DKIM1; k=rsa; hh=sha256; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
        "v=DKIM1; k=rsa; h=sha256; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB"
    ),
    unknown: "note=example", refs: "RFC 6376 §3.6.1";
    EMPTY_RECORD = "DKIM001", "DkimEmptyRecord", empty_record;
    EMPTY_TAG = "DKIM002", "DkimEmptyTag", empty_tag;
    MALFORMED_TAG = "DKIM003", "DkimMalformedTag", malformed_tag;
    WRONG_SEPARATOR = "DKIM004", "DkimWrongSeparator", wrong_separator;
    DUPLICATE_TAG = "DKIM005", "DkimDuplicateTag", duplicate_tag;
    UPPERCASE_TAG = "DKIM006", "DkimUppercaseTag", uppercase_tag;
    NON_ASCII = "DKIM007", "DkimNonAscii", non_ascii;
    TOO_MANY_PROBLEMS = "DKIM008", "DkimTooManyProblems", too_many;
    UNKNOWN_TAG = "DKIM009", "DkimUnknownTag", unknown_tag;
    ZONE_QUOTES = "DKIM010", "DkimZoneFileQuotes", zone_quotes;
    VERSION_NOT_FIRST = "DKIM012", "DkimVersionNotFirst", version_not_first;
    VERSION_INVALID = "DKIM013", "DkimVersionInvalid", version_invalid;
    OTHER_KIND = "DKIM014", "DkimOtherRecordKind", other_kind;
    MISSPELT_TAG = "DKIM015", "DkimMisspeltTag", misspelt_tag;
}

#[allow(clippy::too_many_arguments)]
const fn dkim_rule(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    weight: u8,
    checks: &'static str,
    why: &'static str,
    problematic: &'static str,
    corrected: &'static str,
    references: &'static str,
) -> Rule {
    Rule {
        code,
        name,
        category: Category::Dkim,
        severity,
        area: if weight == 0 { Area::None } else { Area::Authentication },
        weight,
        checks,
        why,
        problematic,
        corrected,
        references,
    }
    .for_target()
}

pub const KEY_MISSING: Rule = dkim_rule(
    "DKIM020",
    "DkimKeyMissing",
    Severity::Error,
    30,
    "A key record with no `p` tag.",
    "`p` is the only required tag of a key record. Without it verifiers have no key, and every signature made with this selector fails.",
    "v=DKIM1; k=rsa",
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 6376 §3.6.1",
);

pub const KEY_REVOKED: Rule = dkim_rule(
    "DKIM021",
    "DkimKeyRevoked",
    Severity::Warning,
    5,
    "A key record with an empty `p=`: the key is revoked.",
    "An empty `p=` tells verifiers the key was withdrawn, so signatures made with this selector fail. That is right for a retired selector, wrong for one still in use.",
    "v=DKIM1; k=rsa; p=",
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 6376 §3.6.1",
);

pub const KEY_BASE64_INVALID: Rule = dkim_rule(
    "DKIM022",
    "DkimKeyBase64Invalid",
    Severity::Error,
    30,
    "A `p=` value that is not base64: a character outside `A-Z a-z 0-9 + /`, misplaced or extra `=` padding (`==` after a complete group of four), or a length that cannot be decoded. Whitespace inside the value is allowed. A key in quotes, in PEM form with its BEGIN and END lines, or in base64url (`-` and `_`) is named as such, with the key as it should be written.",
    "Verifiers cannot decode the key, so every signature made with this selector fails. The usual causes are a truncated paste or a character added by a web form.",
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC8-48PMQXuR6V4Tbj3Wb2TN",
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC848PMQXuR6V4Tbj3Wb2TN...IDAQAB",
    "RFC 6376 §3.6.1; RFC 4648 §4",
);

pub const KEY_UNDECODABLE: Rule = dkim_rule(
    "DKIM023",
    "DkimKeyUndecodable",
    Severity::Error,
    30,
    "A `p=` value that is valid base64 but not an RSA SubjectPublicKeyInfo, a PKCS#1 RSAPublicKey or a 32-byte Ed25519 key (often a key cut short).",
    "Verifiers cannot load the key, so every signature made with this selector fails.",
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC848PMQXuR6V4Tbj3Wb2TN",
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC848PMQXuR6V4Tbj3Wb2TN...IDAQAB",
    "RFC 6376 §3.6.1; RFC 3447 Appendix A.1.1; RFC 5280 §4.1",
);

pub const RSA_KEY_TOO_SHORT: Rule = dkim_rule(
    "DKIM024",
    "DkimRsaKeyTooShort",
    Severity::Error,
    30,
    "An RSA key shorter than 1024 bits.",
    "RFC 8301 forbids verifiers to accept RSA keys under 1024 bits, and such keys can be factored. Signatures with this key fail at major receivers.",
    "v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALgSoqXVSEmfcIsOzw7oRuCCOwsmtX/SJnTWxYyj2leFxfS/AVJ+dYfY+hXqMsT7l+MZvvh/R1WzN4MO/kI/7XsCAwEAAQ==",
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 8301 §3.2",
);

pub const RSA_KEY_1024: Rule = dkim_rule(
    "DKIM025",
    "DkimRsaKey1024",
    Severity::Warning,
    5,
    "An RSA key of at least 1024 and under 2048 bits.",
    "1024-bit keys are still accepted but are within reach of well-funded attackers; RFC 8301 recommends 2048 bits, and most DNS providers accept the longer record.",
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC848PMQXuR6V4Tbj3Wb2TN...IDAQAB",
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 8301 §3.2",
);

pub const RSA_KEY_OVER_4096: Rule = dkim_rule(
    "DKIM034",
    "DkimRsaKeyOver4096",
    Severity::Warning,
    10,
    "An RSA key longer than 4096 bits.",
    "RFC 8301 requires verifiers to handle RSA keys of 1024 to 4096 bits, and no more. Some receivers refuse longer keys or give up on them, and signatures that fail there count as unsigned mail for DMARC.",
    "v=DKIM1; k=rsa; p=MIIECgKCBAEA...IDAQAB",
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 8301 §3.2",
);

pub const ED25519_KEY_LENGTH: Rule = dkim_rule(
    "DKIM026",
    "DkimEd25519KeyLength",
    Severity::Error,
    30,
    "A `k=ed25519` key that is not the raw 32-byte public key (for example one wrapped in SubjectPublicKeyInfo, 44 bytes).",
    "RFC 8463 publishes the bare 32-byte key. Verifiers that follow it reject a wrapped or truncated key, so ed25519 signatures with this selector fail.",
    "v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
    "v=DKIM1; k=ed25519; p=Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
    "RFC 8463 §4.2",
);

pub const KEY_TYPE_MISMATCH: Rule = dkim_rule(
    "DKIM027",
    "DkimKeyTypeMismatch",
    Severity::Error,
    30,
    "A key whose decoded type differs from `k=` (which defaults to `rsa`).",
    "Verifiers use the key as the type `k=` names; an Ed25519 key read as RSA (or the reverse) cannot verify anything, so signatures fail.",
    "v=DKIM1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "RFC 6376 §3.6.1; RFC 8463 §4.2",
);

pub const UNKNOWN_KEY_TYPE: Rule = dkim_rule(
    "DKIM028",
    "DkimUnknownKeyType",
    Severity::Error,
    30,
    "A `k=` value other than `rsa` or `ed25519`.",
    "Verifiers must ignore a key of a type they do not implement, so signatures with this selector fail everywhere.",
    "v=DKIM1; k=ed25519-sha256; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "RFC 6376 §3.6.1; RFC 8463 §4.2",
);

pub const SHA1_ONLY: Rule = dkim_rule(
    "DKIM029",
    "DkimSha1Only",
    Severity::Error,
    20,
    "An `h=` tag that allows only `sha1`.",
    "RFC 8301 forbids signing and verifying with rsa-sha1. A key restricted to sha1 can verify no acceptable signature.",
    "v=DKIM1; k=rsa; h=sha1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "v=DKIM1; k=rsa; h=sha256; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 8301 §3.1; RFC 6376 §3.6.1",
);

pub const NO_USABLE_HASH: Rule = dkim_rule(
    "DKIM030",
    "DkimNoUsableHash",
    Severity::Error,
    20,
    "An `h=` tag that lists neither `sha256` nor `sha1`.",
    "Verifiers ignore hash names they do not know, and a key that permits no known hash cannot verify any signature.",
    "v=DKIM1; k=rsa; h=md5; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "v=DKIM1; k=rsa; h=sha256; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 6376 §3.6.1; RFC 8301 §3.1",
);

pub const SERVICE_NOT_EMAIL: Rule = dkim_rule(
    "DKIM031",
    "DkimServiceNotEmail",
    Severity::Error,
    30,
    "An `s=` tag that lists neither `*` nor `email`.",
    "Email verifiers must ignore a key whose service types exclude email, so signatures with this selector fail.",
    "v=DKIM1; k=rsa; s=chat; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "v=DKIM1; k=rsa; s=email; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 6376 §3.6.1",
);

pub const TESTING_MODE: Rule = dkim_rule(
    "DKIM032",
    "DkimTestingMode",
    Severity::Warning,
    5,
    "A key record with the `y` flag in `t=`.",
    "`t=y` says the domain is testing DKIM; verifiers must not treat signed mail differently from unsigned mail on failure, and some give passing signatures less weight.",
    "v=DKIM1; k=rsa; t=y; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 6376 §3.6.1",
);

pub const OBSOLETE_GRANULARITY: Rule = dkim_rule(
    "DKIM033",
    "DkimObsoleteGranularity",
    Severity::Info,
    0,
    "The `g=` tag of RFC 4871, removed by RFC 6376.",
    "RFC 6376 verifiers ignore `g=`; older ones restrict the signing local-part with it. It no longer does anything useful and an empty `g=` made RFC 4871 verifiers reject every signature.",
    "v=DKIM1; g=*; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB",
    "RFC 6376 Appendix C.2; RFC 4871 §3.6.1",
);

/// This kind's own rules; the shared tag-list rules are in `TAG_RULES` (from `tag_rules!`).
pub static RULES: &[&Rule] = &[
    &KEY_MISSING,
    &KEY_REVOKED,
    &KEY_BASE64_INVALID,
    &KEY_UNDECODABLE,
    &RSA_KEY_TOO_SHORT,
    &RSA_KEY_1024,
    &RSA_KEY_OVER_4096,
    &ED25519_KEY_LENGTH,
    &KEY_TYPE_MISMATCH,
    &UNKNOWN_KEY_TYPE,
    &SHA1_ONLY,
    &NO_USABLE_HASH,
    &SERVICE_NOT_EMAIL,
    &TESTING_MODE,
    &OBSOLETE_GRANULARITY,
];

const TAGS: &[&str] = &["v", "k", "p", "h", "s", "t", "n", "g"];

pub static KIND: Kind = Kind {
    label: "DKIM",
    version: "DKIM1",
    version_required: false,
    tags: TAGS,
    case_sensitive: true,
    required: &[tags::Required {
        tag: "p",
        rule: &KEY_MISSING,
        hint: "p= followed by the base64 public key",
    }],
    uri_lists: &[],
    accepts,
    aliases: &[("key", "p"), ("pubkey", "p"), ("publickey", "p")],
    // `v` is optional in key records, so a missing one is never reported.
    rules: tags::lex_rules!(version_missing: VERSION_INVALID),
};

/// Whether `value` fits the grammar of the key-record tag `tag` (RFC 6376 §3.6.1), for typo
/// suggestions.
fn accepts(tag: &str, value: &str) -> bool {
    let list = |allowed: &[&str]| value.split(':').all(|part| allowed.contains(&part.trim()));
    match tag {
        "k" => matches!(value, "rsa" | "ed25519"),
        "p" => value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=') || c.is_ascii_whitespace()),
        "h" => list(&["sha1", "sha256"]),
        "s" => list(&["*", "email"]),
        "t" => list(&["y", "s"]),
        "n" | "g" => true,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Base64 and DER.

/// Decodes base64 with whitespace allowed anywhere (RFC 6376 §3.6.1 lets FWS fold the value).
/// On failure returns the byte offset (within `value`) and length of the first bad character.
/// (Out of line: it has two callers, and one copy is smaller in the browser module.)
#[inline(never)]
fn decode_base64(value: &str) -> Base64Result {
    let mut out = Vec::with_capacity(value.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut count = 0usize;
    let mut padding = 0usize;
    for (i, c) in value.char_indices() {
        if c.is_ascii_whitespace() {
            continue;
        }
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' => 62,
            '/' => 63,
            '=' => {
                padding += 1;
                // Padding fills the last group of four: none after a complete group, at most
                // one after three characters.
                if padding > 2 || count.is_multiple_of(4) || (count % 4 == 3 && padding > 1) {
                    return Err((i, 1, "too much `=` padding"));
                }
                continue;
            }
            _ => return Err((i, c.len_utf8(), "not a base64 character")),
        };
        if padding > 0 {
            return Err((i, c.len_utf8(), "data after `=` padding"));
        }
        count += 1;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if count % 4 == 1 {
        // One character past a whole group: the key was cut short, or one was added. The
        // finding marks the last character.
        return Err((
            value.trim_end().len().saturating_sub(1),
            1,
            "one base64 character too many or too few (the key was cut short, or a character was added)",
        ));
    }
    Ok(out)
}

/// One DER element: its tag and content bytes.
struct Der<'a> {
    tag: u8,
    content: &'a [u8],
}

/// Reads one DER element from the start of `input`; returns it and the bytes after it.
fn der_read(input: &[u8]) -> Option<(Der<'_>, &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*input.get(2 + i)?);
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    let content = input.get(header..end)?;
    let rest = input.get(end..)?;
    Some((Der { tag, content }, rest))
}

fn der_expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (der, rest) = der_read(input)?;
    (der.tag == tag).then_some((der.content, rest))
}

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OID: u8 = 0x06;
/// 1.2.840.113549.1.1.1
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.3.101.112
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// What the key bytes turned out to be.
#[derive(Debug, PartialEq, Eq)]
enum Decoded {
    Rsa {
        bits: u32,
        encoding: KeyEncoding,
    },
    /// An Ed25519 key; `raw_len` is the length of the key bytes themselves.
    Ed25519 {
        encoding: KeyEncoding,
        key: Vec<u8>,
    },
    Unknown,
}

/// Bits of an unsigned big-endian integer, ignoring leading zero bytes.
fn integer_bits(bytes: &[u8]) -> u32 {
    let mut iter = bytes.iter().skip_while(|b| **b == 0);
    match iter.next() {
        None => 0,
        Some(first) => {
            let rest = iter.count() as u32;
            rest * 8 + (8 - first.leading_zeros())
        }
    }
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
fn rsa_public_key(input: &[u8]) -> Option<u32> {
    let (seq, _) = der_expect(input, SEQUENCE)?;
    let (modulus, rest) = der_expect(seq, INTEGER)?;
    let (_exponent, _) = der_expect(rest, INTEGER)?;
    Some(integer_bits(modulus))
}

/// SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { algorithm OID, parameters ANY OPTIONAL },
/// subjectPublicKey BIT STRING }
fn spki(input: &[u8]) -> Option<Decoded> {
    let (seq, _) = der_expect(input, SEQUENCE)?;
    let (alg, rest) = der_expect(seq, SEQUENCE)?;
    let (oid, _) = der_expect(alg, OID)?;
    let (bits, _) = der_expect(rest, BIT_STRING)?;
    // The first content byte of a BIT STRING counts the unused bits; keys use none.
    let key = bits.get(1..)?;
    if oid == OID_RSA {
        return rsa_public_key(key).map(|bits| Decoded::Rsa {
            bits,
            encoding: KeyEncoding::Spki,
        });
    }
    if oid == OID_ED25519 {
        return Some(Decoded::Ed25519 {
            encoding: KeyEncoding::Spki,
            key: key.to_vec(),
        });
    }
    Some(Decoded::Unknown)
}

fn decode_key(bytes: &[u8]) -> Decoded {
    if let Some(decoded) = spki(bytes) {
        return decoded;
    }
    if let Some(bits) = rsa_public_key(bytes) {
        return Decoded::Rsa {
            bits,
            encoding: KeyEncoding::Pkcs1,
        };
    }
    if bytes.len() == 32 {
        return Decoded::Ed25519 {
            encoding: KeyEncoding::Raw,
            key: bytes.to_vec(),
        };
    }
    Decoded::Unknown
}

fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------

/// The base64 between the BEGIN and END lines of a key pasted in PEM form, and where its
/// `-----BEGIN ...-----` line is in the value.
fn pem_body(value: &str) -> Option<(&str, usize, usize)> {
    let begin = crate::text::find(value, "-----BEGIN")?;
    let after = begin + "-----BEGIN".len();
    let header_end = after + crate::text::find(value.get(after..)?, "-----")? + "-----".len();
    let rest = value.get(header_end..)?;
    let body = match crate::text::find(rest, "-----END") {
        Some(end) => rest.get(..end)?,
        None => rest,
    };
    Some((body, begin, header_end))
}

/// The key of `text` decoded and written again in standard base64, when it is one of the key
/// forms verifiers load.
fn canonical_key(text: &str) -> Option<String> {
    let bytes = decode_base64(text).ok()?;
    (decode_key(&bytes) != Decoded::Unknown).then(|| encode_base64(&bytes))
}

/// DKIM022 for a `p=` that is not base64: a key in quotes, in PEM form or in base64url is named
/// as such with the key as it should be written; other errors point at the first bad character.
fn base64_error(tag: &Tag, (at, len, what): (usize, usize, &'static str), sink: &mut Sink) {
    let offset = tag.value_span.start;
    let mut span = Span::new(offset + at, offset + at + len);
    // Quotes around the key or in it come from zone-file or provider-form syntax.
    let unquoted: String = tag.value.chars().filter(|&c| c != '"').collect();
    let generic = || {
        (
            format!("key is not valid base64: {what}"),
            "copy the key again from the signing system, without added characters".to_string(),
        )
    };
    let (message, help) = if tag.value.contains('"') && decode_base64(&unquoted).is_ok() {
        (
            "the key holds quotes, which are not base64".to_string(),
            format!(
                "remove the quotes: p={}",
                unquoted.split_whitespace().collect::<String>()
            ),
        )
    } else if let Some((body, begin, header_end)) = pem_body(&tag.value) {
        span = Span::new(offset + begin, offset + header_end);
        let help = match canonical_key(body) {
            Some(key) => format!("remove the header and footer lines: p={key}"),
            None => "remove the -----BEGIN and -----END lines and keep the base64 between them".to_string(),
        };
        ("the key is in PEM form, with its BEGIN and END lines".to_string(), help)
    } else if tag.value.contains(['-', '_']) {
        match canonical_key(&tag.value.replace('-', "+").replace('_', "/")) {
            Some(key) => (
                "the key is in base64url (`-` and `_`), not the standard base64 DKIM uses".to_string(),
                format!("write it in standard base64: p={key}"),
            ),
            None => generic(),
        }
    } else if what == "too much `=` padding" {
        span = Span::new(offset + at, tag.value_span.end);
        match canonical_key(tag.value.trim_ascii_end().trim_end_matches('=')) {
            Some(key) => (
                "too much `=` padding after the key".to_string(),
                format!("remove the extra `=`: p={key}"),
            ),
            None => generic(),
        }
    } else {
        generic()
    };
    sink.push(Diagnostic::new(&KEY_BASE64_INVALID, span, message, help));
}

/// What [`decode_base64`] gives: the bytes, or where the first bad character is (offset and
/// length within the value) and what is wrong.
type Base64Result = Result<Vec<u8>, (usize, usize, &'static str)>;

/// What [`key_tag`] reads: the `p=` tag, its bytes and key (decoded once, before `k=` is
/// judged), the declared key type, and whether the type was given.
struct KeyInput<'a> {
    tag: &'a Tag,
    bytes: Option<&'a Base64Result>,
    decoded: &'a Decoded,
    declared: Option<KeyType>,
    k_given: bool,
    /// A finding on the `k` tag (upper case, misspelt, no `=`) already gives the fix that
    /// names the key's type.
    k_finding_gives_type: bool,
}

fn key_tag(key: &KeyInput<'_>, sink: &mut Sink, value: &mut DkimKey) {
    let (tag, declared, k_given, k_finding_gives_type) = (key.tag, key.declared, key.k_given, key.k_finding_gives_type);
    if tag.value.trim().is_empty() {
        value.revoked = true;
        sink.push(Diagnostic::new(
            &KEY_REVOKED,
            tag.span,
            "empty p= revokes this key",
            "publish the public key in p= if this selector is still used to sign",
        ));
        return;
    }
    let bytes = match key.bytes {
        Some(Ok(bytes)) => bytes,
        Some(Err(error)) => {
            base64_error(tag, *error, sink);
            return;
        }
        None => return,
    };
    let span = tag.value_span;
    match *key.decoded {
        Decoded::Rsa { bits, encoding } => {
            value.key_type = Some(KeyType::Rsa);
            value.key_encoding = Some(encoding);
            value.key_bits = Some(bits);
            if declared == Some(KeyType::Ed25519) {
                sink.push(Diagnostic::new(
                    &KEY_TYPE_MISMATCH,
                    span,
                    "k=ed25519 but p= holds an rsa key",
                    "write k=rsa, or publish the ed25519 key",
                ));
            }
            if bits < 1024 {
                sink.push(Diagnostic::new(
                    &RSA_KEY_TOO_SHORT,
                    span,
                    format!("rsa key is {bits} bits; verifiers reject keys under 1024 bits"),
                    "generate a 2048-bit key and publish it under a new selector",
                ));
            } else if bits < 2048 {
                sink.push(Diagnostic::new(
                    &RSA_KEY_1024,
                    span,
                    format!("rsa key is {bits} bits; 2048 bits is recommended"),
                    "generate a 2048-bit key and publish it under a new selector",
                ));
            } else if bits > 4096 {
                sink.push(Diagnostic::new(
                    &RSA_KEY_OVER_4096,
                    span,
                    format!("rsa key is {bits} bits; verifiers need only accept keys up to 4096 bits"),
                    "generate a 2048-bit key and publish it under a new selector",
                ));
            }
        }
        Decoded::Ed25519 { encoding, ref key } => {
            value.key_type = Some(KeyType::Ed25519);
            value.key_encoding = Some(encoding);
            if key.len() == 32 {
                value.key_bits = Some(256);
            }
            if declared == Some(KeyType::Rsa) && !k_finding_gives_type {
                let help = if k_given {
                    "write k=ed25519".to_string()
                } else {
                    "add k=ed25519; the key type defaults to rsa".to_string()
                };
                sink.push(Diagnostic::new(
                    &KEY_TYPE_MISMATCH,
                    span,
                    "p= holds an ed25519 key but the key type is rsa",
                    help,
                ));
            }
            if encoding == KeyEncoding::Spki || key.len() != 32 {
                let help = if key.len() == 32 {
                    format!("publish the raw key: p={}", encode_base64(key))
                } else {
                    "publish the raw 32-byte ed25519 public key in base64".to_string()
                };
                sink.push(Diagnostic::new(
                    &ED25519_KEY_LENGTH,
                    span,
                    format!(
                        "ed25519 key is {} bytes wrapped in SubjectPublicKeyInfo; RFC 8463 wants the raw 32 bytes",
                        bytes.len()
                    ),
                    help,
                ));
            }
        }
        Decoded::Unknown => {
            value.key_type = declared;
            if declared == Some(KeyType::Ed25519) {
                sink.push(Diagnostic::new(
                    &ED25519_KEY_LENGTH,
                    span,
                    format!("ed25519 key is {} bytes; RFC 8463 wants the raw 32 bytes", bytes.len()),
                    "publish the raw 32-byte ed25519 public key in base64",
                ));
            } else {
                sink.push(Diagnostic::new(
                    &KEY_UNDECODABLE,
                    span,
                    format!("p= ({} bytes) is not an rsa or ed25519 public key", bytes.len()),
                    "copy the whole public key again; it may have been cut short",
                ));
            }
        }
    }
}

/// Parses a DKIM key record (the TXT value at `<selector>._domainkey.<domain>`).
pub fn parse(text: &str) -> Parsed<DkimKey> {
    let mut sink = Sink::default();
    let list = tags::lex(text, &KIND, &mut sink);
    let mut value = DkimKey::default();
    if list.empty || list.other_kind {
        return Parsed {
            value,
            diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
        };
    }
    value.version_ok = match list.get("v") {
        None => true,
        Some(v) => v.value == "DKIM1" && list.tags.first().is_some_and(|f| f.span == v.span),
    };

    // The key is decoded first, so that a fix for `k=` names the type of the key in `p=`.
    let p_bytes = list
        .get("p")
        .filter(|p| !p.value.trim().is_empty())
        .map(|p| decode_base64(&p.value));
    let p_key = match &p_bytes {
        Some(Ok(bytes)) => decode_key(bytes),
        _ => Decoded::Unknown,
    };
    let k = list.get("k");
    let declared = match k {
        None => Some(KeyType::Rsa),
        Some(tag) => match tag.value.as_str() {
            "rsa" => Some(KeyType::Rsa),
            "ed25519" => Some(KeyType::Ed25519),
            other => {
                let lower = other.to_ascii_lowercase();
                let help = match &p_key {
                    Decoded::Rsa { .. } => "write k=rsa: p= holds an rsa key".to_string(),
                    Decoded::Ed25519 { .. } => "write k=ed25519: p= holds an ed25519 key".to_string(),
                    Decoded::Unknown if lower.starts_with("ed") => "write k=ed25519".to_string(),
                    Decoded::Unknown if lower.starts_with("rsa") => "write k=rsa".to_string(),
                    Decoded::Unknown => "use k=rsa or k=ed25519".to_string(),
                };
                let span = if tag.value_span.is_empty() {
                    tag.span
                } else {
                    tag.value_span
                };
                sink.push(Diagnostic::new(
                    &UNKNOWN_KEY_TYPE,
                    span,
                    format!("unknown key type `{other}`"),
                    help,
                ));
                None
            }
        },
    };
    value.declared_key_type = declared;

    for tag in list.unique() {
        match tag.key.as_str() {
            "v" | "k" => {}
            "p" => {
                // `K=ed25519` with an ed25519 key, a misspelt `k` (`kk=ed25519`) or a `k` with no
                // `=` (`k ed25519`): that tag's finding already says to write `k=...`, which
                // fixes the mismatch too, so the key is not also called the wrong type for the
                // default rsa.
                let k_finding_gives_type = list.miscased("k").is_some_and(|upper| {
                    matches!((&p_key, upper.value.as_str()), (Decoded::Ed25519 { .. }, "ed25519"))
                }) || (k.is_none() && list.explained.contains(&"k"));
                let key = KeyInput {
                    tag,
                    bytes: p_bytes.as_ref(),
                    decoded: &p_key,
                    declared,
                    k_given: k.is_some(),
                    k_finding_gives_type,
                };
                key_tag(&key, &mut sink, &mut value);
            }
            "h" => {
                value.hashes = tag
                    .value
                    .split(':')
                    .map(|h| h.trim().to_string())
                    .filter(|h| !h.is_empty())
                    .collect();
                let has = |name: &str| value.hashes.iter().any(|h| h == name);
                if !has("sha256") {
                    if has("sha1") {
                        sink.push(Diagnostic::new(
                            &SHA1_ONLY,
                            tag.span,
                            "key allows only sha1, which RFC 8301 forbids",
                            "write h=sha256, or remove the h tag",
                        ));
                    } else {
                        sink.push(Diagnostic::new(
                            &NO_USABLE_HASH,
                            tag.span,
                            format!("h={} names no hash algorithm verifiers use", tag.value),
                            "write h=sha256, or remove the h tag",
                        ));
                    }
                }
            }
            "s" => {
                value.services = tag
                    .value
                    .split(':')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if !value.services.iter().any(|s| s == "*" || s == "email") {
                    sink.push(Diagnostic::new(
                        &SERVICE_NOT_EMAIL,
                        tag.span,
                        format!("service type `{}` excludes email", tag.value),
                        "write s=email, or remove the s tag",
                    ));
                }
            }
            "t" => {
                for flag in tag.value.split(':').map(str::trim) {
                    match flag {
                        "y" => value.testing = true,
                        "s" => value.strict = true,
                        // Unknown flags must be ignored (RFC 6376 §3.6.1).
                        _ => {}
                    }
                }
                if value.testing {
                    sink.push(Diagnostic::new(
                        &TESTING_MODE,
                        tag.span,
                        "key is in testing mode",
                        "remove y from the t tag once signing works",
                    ));
                }
            }
            "n" => value.notes = Some(tag.value.clone()),
            "g" => sink.push(Diagnostic::new(
                &OBSOLETE_GRANULARITY,
                tag.span,
                "`g` was removed in RFC 6376 and is ignored",
                "remove the g tag",
            )),
            // Other tags were reported by the lexer (unknown, or a likely misspelling).
            _ => {}
        }
    }
    if list.missing("p") {
        sink.push(Diagnostic::new(
            &KEY_MISSING,
            Span::new(0, text.len()),
            "no p= tag with the public key",
            "add p= with the base64 public key",
        ));
    }
    if value.key_type.is_none() && !value.revoked {
        value.key_type = declared;
    }
    Parsed {
        value,
        diagnostics: tags::finish(sink, &TOO_MANY_PROBLEMS, text.len()),
    }
}
