//! Data-driven tests for the tag=value record parsers (DMARC, DKIM, BIMI, MTA-STS, TLS-RPT).
//!
//! Every rule has at least one record that triggers it (code and span asserted) and a close record
//! that does not. Real records from ../shared/testsuites are parsed with no panic, and errors on
//! them are limited to records that are truly broken (each class is justified below).

use sendercheck::diag::{Diagnostic, RelatedLabel, Severity, Span};
use sendercheck::parse::{bimi, dkim, dmarc, mta_sts, tlsrpt};

const TESTSUITES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/testsuites");

#[derive(Clone, Copy, Debug, PartialEq)]
enum K {
    Dmarc,
    Dkim,
    Bimi,
    Sts,
    StsPolicy,
    TlsRpt,
}

fn diags(kind: K, text: &str) -> Vec<Diagnostic> {
    match kind {
        K::Dmarc => dmarc::parse(text).diagnostics,
        K::Dkim => dkim::parse(text).diagnostics,
        K::Bimi => bimi::parse(text).diagnostics,
        K::Sts => mta_sts::parse(text).diagnostics,
        K::StsPolicy => mta_sts::parse_policy(text).diagnostics,
        K::TlsRpt => tlsrpt::parse(text).diagnostics,
    }
}

fn show(d: &[Diagnostic]) -> String {
    d.iter()
        .map(|d| format!("{} {}..{} {}", d.code, d.span.start, d.span.end, d.message))
        .collect::<Vec<_>>()
        .join("\n  ")
}

/// `code` is reported at `start..end`.
fn expect(kind: K, text: &str, code: &str, start: usize, end: usize) {
    let d = diags(kind, text);
    assert!(
        d.iter().any(|d| d.code == code && d.span == Span::new(start, end)),
        "{kind:?} {text:?}: expected {code} at {start}..{end}, got\n  {}",
        show(&d)
    );
}

/// `code` is not reported at all.
fn absent(kind: K, text: &str, code: &str) {
    let d = diags(kind, text);
    assert!(
        !d.iter().any(|d| d.code == code),
        "{kind:?} {text:?}: did not expect {code}, got\n  {}",
        show(&d)
    );
}

fn corpus_line(file: &str, line: usize) -> String {
    let text = std::fs::read_to_string(format!("{TESTSUITES}/{file}")).unwrap();
    text.lines().nth(line - 1).unwrap().to_string()
}

/// A 2048-bit RSA key record (corpus line 38, from mail-auth resources/dkim2/dns.json).
fn rsa2048_record() -> String {
    let line = corpus_line("corpus/dkim-key-records.txt", 38);
    assert!(line.contains("MIIBIjAN"), "corpus line 38 changed: {line}");
    line
}

/// Bare PKCS#1 keys (RFC 8017 RSAPublicKey, e = 65537) with random moduli of exactly 4097 and
/// 4096 bits, made for these tests: the first key over the limit of RFC 8301 and the last key
/// within it.
const RSA_4097_RECORD: &str = "v=DKIM1; k=rsa; p=MIICCgKCAgEBk29mgxBO33UxFFMj0z35owOQsLDQLWZRcG9BLy/bpm7L55vR3PvJoccfy7L/A2mb2a6822t7mkxasDp6k44rfzGnpR5BzU7sp+oVyMRXBfiXx9UUdgOWOELNfCfTzSGAIeYlXFxn+UWFMbo8qJLbMb+6Qg/V0ldHYkW/6NjUtHmVUYy0+vXW/2VbdBCqpWkRrBgRr0x0i6tclu0/HlUyJbgbhpfmAtKvA0JPgnbAvoircp1lOKQpygP5fVpkEuMTAP+DG1TXHCYGi74H3fbmkY67Y114jhCQI1DQ9BhotbbgVDCa8M6pypuE33BUBvTJ1cZXChlsJvZxZxChuPzLlcEYPQcDW9E0RhgbpxCWicZ5rNaWtn98tV4gUDBex1nTIDGcUX1wzd2AqUTUNfMK2LXnK3FprQoheEFPlCSQVO3uUnJwxbe+lspV8eVl4nhldQ5SRFv3PX/tdWdd/bw69GEuJQZfP5Vs/2XtCATDGKDY68oCMz+ZO65ILmicptRFJDfic2ClwME0L4q9CjDHKY/xhvWrZVQxE2RxJMZeNJAopoIf2mF1pyzdmaFDVz0M8WeV6fHsKEphePJAQHM3UsOWEg+V20g8US6kjSeo7+MkDiwYJ+SIUtQyCjZHQolD/C4K6rBhseaSoGXy1bkSe/8CGY7+8490j1KMWQyRpjcCAwEAAQ==";
const RSA_4096_RECORD: &str = "v=DKIM1; k=rsa; p=MIICCgKCAgEAoAr7H7AHhE/FqTLGI5YHIROlSDQKxVrl/i0ual9y5UD/a7RR8m3c3t4e4WMvDSFtqSNxukt2M6PSnHPrQbXCQaK8MWrVvX8cAqjzEvVPGwli6WPieN6Ut3ZFzhMHw0lE0zO3pXMrGjHkNPHuomOVHxqcFSnqeh0AFyA2lv9M0kBqvX83RQZt4agKqAG/TAk01jZbpmcQ1BJh2MFBwv3Q/sjwUkpEsP+ZnkdwLdHBIO4gRXR26yY9HL8lTOef3QerJLL5mBinWbtoAU0g18+o9VorSN8JNyF7syUmXZthOEL93Y6cuVisxQTIF82chGe3xvLS1sN/tE7NS2AcMmoAKaXJxDTBPNGImtiwggNpsD0sy5LuVE7LzO4/AYPWUPxLlxwoeHQbTlGp9bIKIDiO2sI2qKfbaCyHN6FYQl0wO0NkjpGtcdOEQWV7RPeS28CV4QPHSF0HRnNFHOGDVtA1NMOtl4l7u2CWb3WyS5/B2Gyd2+Iqa2Lddsib3v+9qewDK7WlHFqpRn3cfr0mgV9k4rqQRGQCleZhRuz8RtrrPM4wRvb1NcXME3B1ZMKX/UW138+Z3s0880Kgp7z2Iql29r123Vq/KXiPA1sT/CJpVPdx/ssV4vf/+zKHoJ4v1A9FH8UWk35wYDZyNaEf3LmuGolcoVEwvbw+currwzTLrWkCAwEAAQ==";

fn rsa2048_key() -> String {
    let record = rsa2048_record();
    record
        .split("p=")
        .nth(1)
        .unwrap()
        .trim_end_matches(';')
        .trim()
        .to_string()
}

// -----------------------------------------------------------------------------------------------
// The shared lexer and version rules, generated for every kind from one clean record.

struct Base {
    kind: K,
    prefix: &'static str,
    /// The version tag, e.g. `v=DMARC1`.
    ver: &'static str,
    /// A tag to mutate: name and value.
    name: &'static str,
    value: &'static str,
    /// Tags after it that keep the record valid.
    rest: String,
    bad_version: &'static str,
    version_required: bool,
}

fn bases() -> Vec<Base> {
    vec![
        Base {
            kind: K::Dmarc,
            prefix: "DMARC",
            ver: "v=DMARC1",
            name: "p",
            value: "reject",
            rest: "; rua=mailto:dmarc@example.com".into(),
            bad_version: "v=DMARC2",
            version_required: true,
        },
        Base {
            kind: K::Dkim,
            prefix: "DKIM",
            ver: "v=DKIM1",
            name: "k",
            value: "rsa",
            rest: format!("; p={}", rsa2048_key()),
            bad_version: "v=DKIM2",
            version_required: false,
        },
        Base {
            kind: K::Bimi,
            prefix: "BIMI",
            ver: "v=BIMI1",
            name: "l",
            value: "https://example.com/logo.svg",
            rest: "; a=https://example.com/vmc.pem".into(),
            bad_version: "v=BIMI2",
            version_required: true,
        },
        Base {
            kind: K::Sts,
            prefix: "STS",
            ver: "v=STSv1",
            name: "id",
            value: "20240115T120000",
            rest: String::new(),
            bad_version: "v=STSV1",
            version_required: true,
        },
        Base {
            kind: K::TlsRpt,
            prefix: "TLSRPT",
            ver: "v=TLSRPTv1",
            name: "rua",
            value: "mailto:tlsrpt@example.com",
            rest: String::new(),
            bad_version: "v=TLSRPTv2",
            version_required: true,
        },
    ]
}

#[test]
fn clean_records_have_no_warnings_or_errors() {
    for b in bases() {
        let good = format!("{}; {}={}{}", b.ver, b.name, b.value, b.rest);
        let d = diags(b.kind, &good);
        assert!(d.iter().all(|d| d.severity == Severity::Info), "{good}: {}", show(&d));
    }
}

#[test]
fn lexer_and_version_rules_for_every_kind() {
    for b in bases() {
        let k = b.kind;
        let code = |n: u32| format!("{}{:03}", b.prefix, n);
        let tag = format!("{}={}", b.name, b.value);
        let v = b.ver.len();
        let good = format!("{}; {tag}{}", b.ver, b.rest);
        for n in 1..=14 {
            if n == 11 && !b.version_required {
                continue;
            }
            absent(k, &good, &code(n));
        }

        // 001 empty record.
        expect(k, "", &code(1), 0, 0);
        expect(k, "  \t", &code(1), 0, 3);
        assert_eq!(diags(k, "").len(), 1);
        // 002 empty tag; a single trailing `;` is fine.
        expect(k, &format!("{};; {tag}{}", b.ver, b.rest), &code(2), v + 1, v + 2);
        absent(k, &format!("{}; {tag}{};", b.ver, b.rest), &code(2));
        // 003 malformed tag (no `=`).
        let malformed = format!("{}; {} {}{}", b.ver, b.name, b.value, b.rest);
        expect(k, &malformed, &code(3), v + 2, v + 2 + tag.len());
        // 004 wrong separator: `,` and a missing `;`.
        expect(k, &format!("{}, {tag}{}", b.ver, b.rest), &code(4), v, v + 2);
        expect(k, &format!("{} {tag}{}", b.ver, b.rest), &code(4), v, v + 1);
        absent(k, &format!("{} ; {tag}{}", b.ver, b.rest), &code(4));
        // 005 duplicate tag, with the first place as related.
        let dup = format!("{}; {tag}; {tag}{}", b.ver, b.rest);
        let second = v + 2 + tag.len() + 2;
        expect(k, &dup, &code(5), second, second + tag.len());
        let d = diags(k, &dup);
        let found = d.iter().find(|d| d.code == code(5)).unwrap();
        assert_eq!(found.related, Some(Span::new(v + 2, v + 2 + tag.len())));
        assert_eq!(found.related_label, Some(RelatedLabel::FirstOne));
        // 006 upper-case tag name: a note for DMARC, whose tag names are case-insensitive; a
        // warning for DKIM's optional `K`. The example tag of BIMI, MTA-STS and TLS-RPT is
        // required, and case-sensitive, so in upper case it is that tag missing (020), once.
        let upper = format!("{}; {}={}{}", b.ver, b.name.to_uppercase(), b.value, b.rest);
        let upper_code = if matches!(k, K::Dmarc | K::Dkim) {
            code(6)
        } else {
            code(20)
        };
        expect(k, &upper, &upper_code, v + 2, v + 2 + b.name.len());
        let d = diags(k, &upper);
        assert_eq!(d.len(), 1, "{upper}: {}", show(&d));
        let expected = match k {
            K::Dmarc => Severity::Info,
            K::Dkim => Severity::Warning,
            _ => Severity::Error,
        };
        assert_eq!(d[0].severity, expected, "{upper}");
        // An upper-case copy of a tag the record has in lower case is only an ignored extra.
        if k != K::Dmarc {
            let extra = format!("{}; {tag}; {}={}{}", b.ver, b.name.to_uppercase(), b.value, b.rest);
            let at = v + 2 + tag.len() + 2;
            expect(k, &extra, &code(6), at, at + b.name.len());
        }
        // 007 non-ASCII, reported once.
        let nbsp = format!("{};\u{a0}{tag}\u{a0}{}", b.ver, b.rest);
        expect(k, &nbsp, &code(7), v + 1, v + 3);
        assert_eq!(diags(k, &nbsp).iter().filter(|d| d.code == code(7)).count(), 1);
        // 008 too many problems: 10 KB of garbage after the version gives a bounded list. (With
        // no tag at all the text is simply not a record of the kind, see `not_a_record_at_all`.)
        let garbage: String =
            format!("{}; ", b.ver) + &(0..2000).map(|i| format!("x{i} ;")).collect::<String>() + &"é".repeat(100);
        assert!(garbage.len() > 10_000);
        let d = diags(k, &garbage);
        assert!(d.len() <= 51, "{} diagnostics", d.len());
        assert_eq!(d.last().unwrap().code, code(8));
        expect(k, &garbage, &code(8), 0, garbage.len());
        absent(k, &malformed, &code(8));
        // 009 unknown tag (a likely misspelling is 015, see `typo_suggestions`).
        let unknown = format!("{}; {tag}; zz=1{}", b.ver, b.rest);
        let at = v + 2 + tag.len() + 2;
        expect(k, &unknown, &code(9), at, at + 2);
        // 010 zone-file quotes.
        expect(k, &format!("\"{}; {tag}{}\"", b.ver, b.rest), &code(10), 0, 1);
        expect(k, &format!("{}; \" \"{tag}{}", b.ver, b.rest), &code(10), v + 2, v + 3);
        // 011 version missing.
        if b.version_required {
            expect(k, &format!("{tag}{}", b.rest), &code(11), 0, 0);
        } else {
            assert!(diags(k, &format!("{tag}{}", b.rest))
                .iter()
                .all(|d| d.severity == Severity::Info));
        }
        // 012 version not first, with the first tag as related.
        expect(
            k,
            &format!("{tag}; {}{}", b.ver, b.rest),
            &code(12),
            tag.len() + 2,
            tag.len() + 2 + v,
        );
        // 013 version invalid.
        expect(
            k,
            &format!("{}; {tag}{}", b.bad_version, b.rest),
            &code(13),
            2,
            b.bad_version.len(),
        );
        // 014 another kind of record; only that one diagnostic.
        expect(k, "v=spf1 include:_spf.example.com -all", &code(14), 0, 6);
        assert_eq!(diags(k, "v=spf1 include:_spf.example.com -all").len(), 1);
    }
}

#[test]
fn typo_suggestions() {
    let d = diags(K::Dmarc, "v=DMARC1; p=reject; ruaa=mailto:d@example.com");
    let typo = d.iter().find(|d| d.code == "DMARC015").unwrap();
    assert_eq!(typo.severity, Severity::Warning);
    assert_eq!(typo.help, "write rua=mailto:d@example.com");
    let d = diags(K::Dmarc, "v=DMARC1; p=reject; x1=abc");
    assert_eq!(
        d.iter().find(|d| d.code == "DMARC009").unwrap().severity,
        Severity::Info
    );
    let d = diags(K::Dkim, "v=DKIM1; k=rsa; hh=sha256; p=");
    assert!(d.iter().any(|d| d.code == "DKIM015" && d.help == "write h=sha256"));
    // Each rule's default severity is the one it is emitted with.
    for (text, code, severity) in [
        (
            "v=DMARC1; p=reject; ruaa=mailto:d@example.com",
            "DMARC015",
            Severity::Warning,
        ),
        ("v=DMARC1; p=reject; x1=abc", "DMARC009", Severity::Info),
        ("V=DMARC1; P=reject", "DMARC006", Severity::Info),
    ] {
        let found = diags(K::Dmarc, text).into_iter().find(|d| d.code == code).unwrap();
        assert_eq!(found.severity, severity, "{text}");
        let rule = sendercheck::catalogue::find(code).unwrap();
        assert_eq!(rule.severity, severity, "{code} documented severity");
    }
}

/// What a misspelt tag is taken for, if anything: (kind, record, the tag suggested, or "" for no
/// suggestion). A suggestion is only a tag the record lacks and whose grammar the value fits.
const SUGGESTIONS: &[(K, &str, &str)] = &[
    (K::Dmarc, "v=DMARC1; p=reject; asfp=r", "aspf"),
    (K::Dmarc, "v=DMARC1; p=reject; spf=r", "aspf"),
    (K::Dmarc, "v=DMARC1; p=reject; foo=bar", ""),
    (K::Dmarc, "v=DMARC1; p=reject; pc=100", "pct"),
    (K::Dmarc, "v=DMARC1; p=reject; pt=100", "pct"),
    (K::Dmarc, "v=DMARC1; p=reject; ps=y", "psd"),
    (K::Dmarc, "v=DMARC1; p=reject; ps=none", "sp"),
    // `p` is present; `sp` and `np` are equally close, so neither.
    (K::Dmarc, "v=DMARC1; p=reject; pp=reject", ""),
    (K::Dmarc, "v=DMARC1; pp=reject", "p"),
    (K::Dmarc, "v=DMARC1; p=reject; rfu=mailto:a@example.com", "ruf"),
    (K::Dmarc, "v=DMARC1; p=reject; aspf=r; asfp=s", ""),
    (K::Dmarc, "v=DMARC1; policy=reject", "p"),
    (K::Dkim, "v=DKIM1; k=rsa; hh=sha256; p=", "h"),
    (K::Dkim, "v=DKIM1; pk=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC8", "p"),
    (K::Dkim, "v=DKIM1; key=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC8", "p"),
    (
        K::Bimi,
        "v=BIMI1; l=https://example.com/logo.svg; aa=https://example.com/vmc.pem",
        "a",
    ),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; avpp=brand", "avp"),
    (K::Bimi, "v=BIMI1; logo=https://example.com/logo.svg", "l"),
    (K::Sts, "v=STSv1; idd=1", "id"),
    (K::Sts, "v=STSv1; idd=not-an-id", ""),
    (K::TlsRpt, "v=TLSRPTv1; rau=mailto:a@example.com", "rua"),
    (
        K::StsPolicy,
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmaxage: 604800",
        "max_age",
    ),
    (
        K::StsPolicy,
        "version: STSv1\nmode: none\nmax_age: 86400\nmxx: a.example.com",
        "mx",
    ),
];

#[test]
fn suggestions_fit_the_value_and_the_record() {
    let mut failures = Vec::new();
    for (kind, text, meant) in SUGGESTIONS {
        let d = diags(*kind, text);
        let suggested: Vec<&Diagnostic> = d
            .iter()
            .filter(|d| {
                d.message.contains("did you mean")
                    || d.message.contains("misspelling")
                    || d.message.contains("is not a")
            })
            .collect();
        let ok = match *meant {
            "" => suggested.is_empty(),
            tag => {
                suggested.len() == 1
                    && (suggested[0].help.starts_with(&format!("write {tag}="))
                        || suggested[0].help.starts_with(&format!("write {tag}: ")))
            }
        };
        if !ok {
            failures.push(format!(
                "{kind:?} {text:?}: expected {meant:?}, got\n  {}",
                show_help(&d)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn show_help(d: &[Diagnostic]) -> String {
    d.iter()
        .map(|d| format!("{} {}..{} {} / {}", d.code, d.span.start, d.span.end, d.message, d.help))
        .collect::<Vec<_>>()
        .join("\n  ")
}

#[test]
fn one_slip_one_diagnostic() {
    // `fo:1` is a `:` for `=`: reported once, and the tag is still read.
    let parsed = dmarc::parse("v=DMARC1; p=reject; fo:1");
    assert_eq!(
        parsed.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["DMARC004"]
    );
    assert_eq!(parsed.diagnostics[0].span, Span::new(22, 23));
    assert_eq!(parsed.value.fo, vec![dmarc::FailureOption::Any]);
    // A comma between tags: the policy is still read.
    let parsed = dmarc::parse("v=DMARC1, p=quarantine");
    assert_eq!(parsed.value.policy, Some(dmarc::Policy::Quarantine));
    assert_eq!(parsed.diagnostics.len(), 1);
    // `=DMARC1` (the real bongacams.com record): one diagnostic, not also "v missing".
    let d = diags(K::Dmarc, "=DMARC1; p=quarantine");
    assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), vec!["DMARC003"]);
    assert_eq!(d[0].help, "write v=DMARC1");
    // A byte-order mark in front: reported as not ASCII, and `v` is still the first tag.
    let d = diags(K::Dmarc, "\u{feff}v=DMARC1; p=reject");
    assert_eq!(
        d.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["DMARC007"],
        "{}",
        show(&d)
    );
    // Report URIs written with spaces: one finding whose fix puts in every comma.
    let d = diags(
        K::Dmarc,
        "v=DMARC1; p=reject; rua=mailto:a@example.com mailto:b@example.com  https://r.example/x",
    );
    assert_eq!(d.len(), 1, "{}", show(&d));
    assert_eq!(
        d[0].help,
        "write rua=mailto:a@example.com,mailto:b@example.com,https://r.example/x"
    );
    // A DKIM key in quotes, or split into quoted strings without the outer quotes.
    let key = rsa2048_key();
    let d = diags(K::Dkim, &format!("v=DKIM1; k=rsa; p=\"{key}\""));
    assert_eq!(
        d.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["DKIM022"],
        "{}",
        show(&d)
    );
    assert_eq!(d[0].help, format!("remove the quotes: p={key}"));
    let (head, tail) = key.split_at(100);
    let d = diags(K::Dkim, &format!("v=DKIM1; k=rsa; p={head}\" \"{tail}"));
    assert_eq!(
        d.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["DKIM010"],
        "{}",
        show(&d)
    );
    assert!(
        d[0].help.ends_with(&format!("v=DKIM1; k=rsa; p={key}")),
        "{}",
        d[0].help
    );
}

/// One slip, one diagnostic: (kind, record, its one code, its exact help, and the record the help
/// gives, which parsed again must have no warning or error; "" where the help names no whole
/// record). `{key}` is the 2048-bit test key, `{ed}` an Ed25519 key.
const ONE_SLIP: &[(K, &str, &str, &str, &str)] = &[
    // Misspelt tags: the fix is the tag the value fits.
    (
        K::Dmarc,
        "v=DMARC1; p=reject; asfp=r",
        "DMARC015",
        "write aspf=r",
        "v=DMARC1; p=reject; aspf=r",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; spf=r",
        "DMARC015",
        "write aspf=r",
        "v=DMARC1; p=reject; aspf=r",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; ps=y",
        "DMARC015",
        "write psd=y",
        "v=DMARC1; p=reject; psd=y",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; pc=100",
        "DMARC015",
        "write pct=100",
        "v=DMARC1; p=reject; pct=100",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rfu=mailto:a@example.com",
        "DMARC015",
        "write ruf=mailto:a@example.com",
        "v=DMARC1; p=reject; ruf=mailto:a@example.com",
    ),
    (
        K::Bimi,
        "v=BIMI1; l=https://example.com/logo.svg; aa=https://example.com/vmc.pem",
        "BIMI015",
        "write a=https://example.com/vmc.pem",
        "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; foo=bar",
        "DMARC009",
        "remove it unless a receiver you care about documents it",
        "",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; pp=reject",
        "DMARC009",
        "remove it unless a receiver you care about documents it",
        "",
    ),
    // A misspelt required tag is that tag missing, reported at the misspelling.
    (
        K::Dmarc,
        "v=DMARC1; pp=reject",
        "DMARC020",
        "write p=reject",
        "v=DMARC1; p=reject",
    ),
    (
        K::Dkim,
        "v=DKIM1; pk={key}",
        "DKIM020",
        "write p={key}",
        "v=DKIM1; p={key}",
    ),
    (
        K::Dkim,
        "v=DKIM1; key={key}",
        "DKIM020",
        "write p={key}",
        "v=DKIM1; p={key}",
    ),
    (K::Dkim, "v=DKIM1; pp=", "DKIM020", "write p=", ""),
    (
        K::Bimi,
        "v=BIMI1; logo=https://example.com/logo.svg; a=https://example.com/vmc.pem",
        "BIMI020",
        "write l=https://example.com/logo.svg",
        "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem",
    ),
    (K::Sts, "v=STSv1; idd=1", "STS020", "write id=1", "v=STSv1; id=1"),
    (
        K::TlsRpt,
        "v=TLSRPTv1; rau=mailto:a@example.com",
        "TLSRPT020",
        "write rua=mailto:a@example.com",
        "v=TLSRPTv1; rua=mailto:a@example.com",
    ),
    (
        K::StsPolicy,
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmaxage: 604800",
        "STS034",
        "write max_age: 604800",
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800",
    ),
    // A known tag without `=`: the malformed tag, not also the tag missing.
    (
        K::Dmarc,
        "v=DMARC1; p",
        "DMARC003",
        "write p=none, p=quarantine or p=reject",
        "",
    ),
    (
        K::Dkim,
        "v=DKIM1; k=rsa; p",
        "DKIM003",
        "write p= followed by the base64 public key",
        "",
    ),
    // BIMI's avp and lps (draft-10) are tags, not typos.
    (
        K::Bimi,
        "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem; lps=foo",
        "BIMI026",
        "write lps=true to look up local-part selectors, or remove the tag (the default is false)",
        "",
    ),
    (
        K::Bimi,
        "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem; avp=Brand",
        "BIMI026",
        "write avp=brand",
        "",
    ),
    // Upper-case tag names: case-sensitive outside DMARC, so a required one is missing.
    (
        K::Dkim,
        "V=DKIM1; K=rsa; P={key}",
        "DKIM020",
        "write the tag names in lower case: v=DKIM1; k=rsa; p={key}",
        "v=DKIM1; k=rsa; p={key}",
    ),
    (K::Dkim, "v=DKIM1; K=rsa; p={key}", "DKIM006", "write k=rsa", ""),
    (K::Dkim, "v=DKIM1; K=ed25519; p={ed}", "DKIM006", "write k=ed25519", ""),
    (
        K::Bimi,
        "v=BIMI1; L=https://example.com/logo.svg; a=https://example.com/vmc.pem",
        "BIMI020",
        "write l=https://example.com/logo.svg",
        "",
    ),
    (
        K::Bimi,
        "v=BIMI1; l=https://example.com/logo.svg; A=https://example.com/vmc.pem",
        "BIMI006",
        "write a=https://example.com/vmc.pem",
        "",
    ),
    (
        K::Sts,
        "v=STSv1; ID=20240115T120000",
        "STS020",
        "write id=20240115T120000",
        "v=STSv1; id=20240115T120000",
    ),
    (
        K::TlsRpt,
        "v=TLSRPTv1; RUA=mailto:a@example.com",
        "TLSRPT020",
        "write rua=mailto:a@example.com",
        "",
    ),
    (
        K::TlsRpt,
        "V=TLSRPTv1; RUA=mailto:a@example.com",
        "TLSRPT011",
        "write the tag names in lower case: v=TLSRPTv1; rua=mailto:a@example.com",
        "v=TLSRPTv1; rua=mailto:a@example.com",
    ),
    (
        K::Dmarc,
        "V=DMARC1; P=reject",
        "DMARC006",
        "write the tag names in lower case: v=DMARC1; p=reject",
        "v=DMARC1; p=reject",
    ),
    // Non-breaking spaces and typographic quotes: reported once, read as what they stand for.
    (
        K::Dmarc,
        "v=DMARC1; p=reject\u{a0}",
        "DMARC007",
        "retype it in plain ASCII: v=DMARC1; p=reject",
        "v=DMARC1; p=reject",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p\u{a0}=reject",
        "DMARC007",
        "retype it in plain ASCII: v=DMARC1; p =reject",
        "v=DMARC1; p =reject",
    ),
    (
        K::Dmarc,
        "\u{201c}v=DMARC1; p=reject\u{201d}",
        "DMARC007",
        "retype it in plain ASCII: v=DMARC1; p=reject",
        "v=DMARC1; p=reject",
    ),
    (
        K::Dmarc,
        "v=DMARC1;\u{2009}p=reject;\u{200b} adkim=s",
        "DMARC007",
        "retype it in plain ASCII: v=DMARC1; p=reject; adkim=s",
        "v=DMARC1; p=reject; adkim=s",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rua=mailto:a@b\u{fc}cher.de",
        "DMARC007",
        "records are ASCII only: write the internationalised domain in its A-label form (`xn--...`)",
        "",
    ),
    (
        K::Bimi,
        "v=BIMI1; l=https://ex\u{e4}mple.com/logo.svg; a=https://example.com/vmc.pem",
        "BIMI007",
        "records are ASCII only: write the internationalised domain in its A-label form (`xn--...`)",
        "",
    ),
    (
        K::TlsRpt,
        "v=TLSRPTv1; rua=mailto:tls@b\u{fc}cher.de",
        "TLSRPT007",
        "records are ASCII only: write the internationalised domain in its A-label form (`xn--...`)",
        "",
    ),
    // Wrong separators: one diagnostic whose help is the whole record.
    (
        K::Dmarc,
        "v=DMARC1 p=reject sp=none adkim=s",
        "DMARC004",
        "separate the tags with `;`: v=DMARC1; p=reject; sp=none; adkim=s",
        "v=DMARC1; p=reject; sp=none; adkim=s",
    ),
    (
        K::Dmarc,
        "v=DMARC1, p=reject, sp=none, adkim=s",
        "DMARC004",
        "separate the tags with `;`: v=DMARC1; p=reject; sp=none; adkim=s",
        "v=DMARC1; p=reject; sp=none; adkim=s",
    ),
    (
        K::Dmarc,
        "v=DMARC1: p=reject: sp=none: adkim=s",
        "DMARC004",
        "separate the tags with `;`: v=DMARC1; p=reject; sp=none; adkim=s",
        "v=DMARC1; p=reject; sp=none; adkim=s",
    ),
    (
        K::Dmarc,
        "v=DMARC1 p=reject; fo:1",
        "DMARC004",
        "write v=DMARC1; p=reject; fo=1",
        "v=DMARC1; p=reject; fo=1",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; fo:1",
        "DMARC004",
        "write fo=1",
        "v=DMARC1; p=reject; fo=1",
    ),
    // A `;` in a report URI list.
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rua=mailto;a@example.com",
        "DMARC003",
        "write rua=mailto:a@example.com",
        "v=DMARC1; p=reject; rua=mailto:a@example.com",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rua=mailto:a@example.com;mailto:b@example.com",
        "DMARC003",
        "write rua=mailto:a@example.com,mailto:b@example.com",
        "v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@example.com",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rua=mailto:a@example.com; mailto:b@example.com;https://r.example/x",
        "DMARC003",
        "write rua=mailto:a@example.com, mailto:b@example.com,https://r.example/x",
        "v=DMARC1; p=reject; rua=mailto:a@example.com, mailto:b@example.com,https://r.example/x",
    ),
    (
        K::TlsRpt,
        "v=TLSRPTv1; rua=mailto:a@example.com;mailto:b@example.com",
        "TLSRPT003",
        "write rua=mailto:a@example.com,mailto:b@example.com",
        "v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com",
    ),
    // Report URIs whose fix drops what was around them.
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rua=<mailto:a@example.com>",
        "DMARC028",
        "write mailto:a@example.com",
        "v=DMARC1; p=reject; rua=mailto:a@example.com",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rua=\"mailto:a@example.com\"",
        "DMARC028",
        "write mailto:a@example.com",
        "v=DMARC1; p=reject; rua=mailto:a@example.com",
    ),
    (
        K::TlsRpt,
        "v=TLSRPTv1; rua=<mailto:a@example.com>",
        "TLSRPT021",
        "write mailto:a@example.com",
        "v=TLSRPTv1; rua=mailto:a@example.com",
    ),
    (
        K::TlsRpt,
        "v=TLSRPTv1; rua=\"mailto:a@example.com\"",
        "TLSRPT021",
        "write mailto:a@example.com",
        "v=TLSRPTv1; rua=mailto:a@example.com",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rua=mailto:a@@example.com",
        "DMARC029",
        "write mailto:a@example.com",
        "v=DMARC1; p=reject; rua=mailto:a@example.com",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; rua=",
        "DMARC028",
        "remove the empty rua= tag, or write rua=mailto: followed by the address reports go to",
        "",
    ),
    (
        K::TlsRpt,
        "v=TLSRPTv1; rua=",
        "TLSRPT021",
        "write rua=mailto: or rua=https: followed by where reports go",
        "",
    ),
    // pct: the partial or invalid percentage, which also says the tag is obsolete.
    (
        K::Dmarc,
        "v=DMARC1; p=reject; pct=50",
        "DMARC027",
        "remove pct (use t=y for a staged rollout), or set pct=100",
        "",
    ),
    (
        K::Dmarc,
        "v=DMARC1; p=reject; pct=101",
        "DMARC025",
        "remove the pct tag",
        "",
    ),
    // Another kind of record, recognised without its `v=`.
    (
        K::Dmarc,
        "k=rsa; p=MIGf",
        "DMARC014",
        "publish the DKIM key record at its own name, and a record starting with v=DMARC1 here",
        "",
    ),
    (
        K::Bimi,
        "v=DMARC1; p=reject",
        "BIMI014",
        "publish the DMARC record at its own name and a record starting with v=BIMI1 here",
        "",
    ),
    // Text with no tag at all is not a record of the kind.
    (
        K::Dmarc,
        ";",
        "DMARC011",
        "publish a record that starts with v=DMARC1",
        "",
    ),
    (
        K::Dmarc,
        "=",
        "DMARC011",
        "publish a record that starts with v=DMARC1",
        "",
    ),
    (
        K::Dmarc,
        "hello",
        "DMARC011",
        "publish a record that starts with v=DMARC1",
        "",
    ),
    (
        K::TlsRpt,
        "hello world",
        "TLSRPT011",
        "publish a record that starts with v=TLSRPTv1",
        "",
    ),
    // DKIM keys: fixes from the key actually published.
    (
        K::Dkim,
        "v=DKIM1; k=ed25519-sha256; p={key}",
        "DKIM028",
        "write k=rsa: p= holds an rsa key",
        "v=DKIM1; k=rsa; p={key}",
    ),
    (
        K::Dkim,
        "v=DKIM1; k=ed; p={ed}",
        "DKIM028",
        "write k=ed25519: p= holds an ed25519 key",
        "v=DKIM1; k=ed25519; p={ed}",
    ),
    (
        K::Dkim,
        "v=DKIM1; p=-----BEGIN PUBLIC KEY-----{key}-----END PUBLIC KEY-----",
        "DKIM022",
        "remove the header and footer lines: p={key}",
        "v=DKIM1; p={key}",
    ),
    (
        K::Dkim,
        "v=DKIM1; p=-----BEGIN PUBLIC KEY----- {key} -----END PUBLIC KEY-----",
        "DKIM022",
        "remove the header and footer lines: p={key}",
        "v=DKIM1; p={key}",
    ),
    (
        K::Dkim,
        "v=DKIM1; p={key64url}",
        "DKIM022",
        "write it in standard base64: p={key}",
        "v=DKIM1; p={key}",
    ),
    (
        K::Dkim,
        "v=DKIM1; p={key}==",
        "DKIM022",
        "remove the extra `=`: p={key}",
        "v=DKIM1; p={key}",
    ),
    (
        K::Dkim,
        "v=DKIM1; k=ed25519; p={ed}=",
        "DKIM022",
        "remove the extra `=`: p={ed}",
        "v=DKIM1; k=ed25519; p={ed}",
    ),
    // MTA-STS policy lines.
    (
        K::StsPolicy,
        "version: STSv1\nmode=enforce\nmx: a.example.com\nmax_age: 604800",
        "STS031",
        "write mode: enforce",
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800",
    ),
    (
        K::StsPolicy,
        "version: STSv1\nmode enforce\nmx: a.example.com\nmax_age: 604800",
        "STS031",
        "write mode: enforce",
        "",
    ),
    (
        K::StsPolicy,
        "version: STSv1\nmode : enforce\nmx: a.example.com\nmax_age: 604800",
        "STS031",
        "write mode: enforce",
        "",
    ),
    (
        K::StsPolicy,
        " version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800",
        "STS031",
        "write version: STSv1",
        "",
    ),
    (
        K::StsPolicy,
        "version: STSv1\nMode: enforce\nmx: a.example.com\nmax_age: 604800",
        "STS033",
        "write mode: enforce",
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800",
    ),
    (
        K::StsPolicy,
        "Version: STSv1\nMode: enforce\nMX: a.example.com\nmax_age: 604800",
        "STS032",
        "write the keys in lower case: `version:`, `mode:`, `mx:`",
        "",
    ),
    (
        K::StsPolicy,
        "version: STSv1\nmode: Enforce\nmx: a.example.com\nmax_age: 604800",
        "STS033",
        "write mode: enforce",
        "",
    ),
    (
        K::StsPolicy,
        "\u{feff}version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800",
        "STS007",
        "save the policy as plain ASCII text, without a byte-order mark",
        "",
    ),
    (
        K::StsPolicy,
        "v=DMARC1; p=reject",
        "STS041",
        "serve version: STSv1, mode, mx and max_age lines at https://mta-sts.<domain>/.well-known/mta-sts.txt",
        "",
    ),
    (
        K::StsPolicy,
        "v=spf1 -all",
        "STS041",
        "serve version: STSv1, mode, mx and max_age lines at https://mta-sts.<domain>/.well-known/mta-sts.txt",
        "",
    ),
    (
        K::StsPolicy,
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 99999999999999999999999",
        "STS034",
        "write max_age: 31557600 or less",
        "",
    ),
    (
        K::StsPolicy,
        "version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmax_age: 604800",
        "STS037",
        "write the host name the MX record points to, e.g. mx: mail.example.com",
        "",
    ),
];

fn with_keys(text: &str) -> String {
    let key = rsa2048_key();
    let url: String = key
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    text.replace("{key64url}", &url)
        .replace("{key}", &key)
        .replace("{ed}", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
}

#[test]
fn one_slip_gives_one_diagnostic_whose_fix_is_clean() {
    let mut failures = Vec::new();
    for (kind, text, code, help, fixed) in ONE_SLIP {
        let (text, help, fixed) = (with_keys(text), with_keys(help), with_keys(fixed));
        let d = diags(*kind, &text);
        if d.len() != 1 || d[0].code != *code || d[0].help != help {
            failures.push(format!(
                "{kind:?} {text:?}: expected only {code} with help {help:?}, got\n  {}",
                show_help(&d)
            ));
            continue;
        }
        if !fixed.is_empty() {
            let after = diags(*kind, &fixed);
            if after.iter().any(|d| d.severity != Severity::Info) {
                failures.push(format!(
                    "{kind:?} the fix {fixed:?} is not clean:\n  {}",
                    show_help(&after)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn messages_name_the_character_and_the_kind() {
    let d = diags(K::Dmarc, "v=DMARC1; p=reject\u{a0}");
    assert_eq!(d[0].message, "a non-breaking or typographic space `\u{a0}` (U+00A0)");
    assert_eq!(d[0].span, Span::new(18, 20));
    let d = diags(K::Dmarc, "\u{feff}v=DMARC1; p=reject");
    assert_eq!(d[0].message, "an invisible character (U+FEFF)");
    let d = diags(K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@b\u{fc}cher.de");
    assert_eq!(d[0].message, "a non-ASCII letter `\u{fc}` (U+00FC) in a domain name");
    assert_eq!(
        diags(K::Dmarc, "v=spf1 -all")[0].message,
        "this is an SPF record, not a DMARC record"
    );
    assert_eq!(
        diags(K::Sts, "v=DMARC1; p=reject")[0].message,
        "this is a DMARC record, not an MTA-STS record"
    );
    assert_eq!(diags(K::Dkim, "")[0].message, "empty DKIM record");
    assert_eq!(
        diags(K::TlsRpt, "hello")[0].message,
        "no v=TLSRPTv1 tag: this is not a TLS-RPT record"
    );
    // The values are read as meant once the character is reported.
    assert_eq!(
        dmarc::parse("v=DMARC1; p\u{a0}=reject").value.policy,
        Some(dmarc::Policy::Reject)
    );
    assert_eq!(
        dmarc::parse("V=DMARC1; P=reject").value.policy,
        Some(dmarc::Policy::Reject)
    );
    let parsed = dmarc::parse("v=DMARC1; p=reject; rua=mailto;a@example.com");
    assert_eq!(parsed.value.rua[0].address.as_deref(), Some("a@example.com"));
    let parsed = dmarc::parse("v=DMARC1; p=reject; rua=mailto:a@example.com;mailto:b@example.com");
    assert_eq!(parsed.value.rua.len(), 2);
    let policy = mta_sts::parse_policy("version: STSv1\nmode=enforce\nmx: a.example.com\nmax_age: 604800").value;
    assert_eq!(policy.mode, Some(mta_sts::Mode::Enforce));
    let policy =
        mta_sts::parse_policy("\u{feff}version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800").value;
    assert!(policy.version_ok);
    // Where names are case-sensitive, the upper-case tag is not read as the tag.
    assert_eq!(dkim::parse(&with_keys("v=DKIM1; P={key}")).value.key_bits, None);
    assert_eq!(mta_sts::parse("v=STSv1; ID=1").value.id, None);
}

// -----------------------------------------------------------------------------------------------
// Kind-specific rules: (kind, record, code, start, end) that triggers, and close records that do not.

type Case = (K, &'static str, &'static str, usize, usize);

const TRIGGERS: &[Case] = &[
    // DMARC
    (K::Dmarc, "v=dmarc1; p=reject", "DMARC013", 2, 8),
    (K::Dkim, "v=DKIM1: k=rsa; p=", "DKIM004", 7, 9),
    (K::Dmarc, "v=DMARC1; rua=mailto:d@example.com", "DMARC020", 8, 8),
    (K::Dmarc, "v=DMARC1; p=rejct", "DMARC021", 12, 17),
    (K::Dmarc, "v=DMARC1; p=", "DMARC021", 10, 12),
    (K::Dmarc, "v=DMARC1; p=reject; sp=rejected", "DMARC022", 23, 31),
    (K::Dmarc, "v=DMARC1; p=reject; np=block", "DMARC022", 23, 28),
    (K::Dmarc, "v=DMARC1; p=none", "DMARC023", 10, 16),
    (K::Dmarc, "v=DMARC1; p=reject; t=y", "DMARC024", 20, 23),
    (K::Dmarc, "v=DMARC1; p=reject; adkim=strict", "DMARC025", 26, 32),
    (K::Dmarc, "v=DMARC1; p=reject; aspf=x", "DMARC025", 25, 26),
    (K::Dmarc, "v=DMARC1; p=reject; psd=yes", "DMARC025", 24, 27),
    (K::Dmarc, "v=DMARC1; p=reject; t=1", "DMARC025", 22, 23),
    (K::Dmarc, "v=DMARC1; p=reject; fo=1,d", "DMARC025", 23, 26),
    (K::Dmarc, "v=DMARC1; p=reject; pct=101", "DMARC025", 24, 27),
    (K::Dmarc, "v=DMARC1; p=reject; pct=100", "DMARC026", 20, 23),
    (K::Dmarc, "v=DMARC1; p=reject; rf=afrf", "DMARC026", 20, 22),
    (K::Dmarc, "v=DMARC1; p=reject; ri=86400", "DMARC026", 20, 22),
    (K::Dmarc, "v=DMARC1; p=reject; pct=10", "DMARC027", 20, 26),
    (K::Dmarc, "v=DMARC1; p=reject; rua=dmarc@example.com", "DMARC028", 24, 41),
    (K::Dmarc, "v=DMARC1; p=reject; rua=ftp://example.com/r", "DMARC028", 24, 43),
    (K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@example.com,,mailto:b@example.com", "DMARC028", 45, 45),
    (K::Dmarc, "v=DMARC1; p=reject; rua=mailto:dmarc.example.com", "DMARC029", 24, 48),
    (K::Dmarc, "v=DMARC1; p=reject; ruf=mailto:a@b", "DMARC029", 24, 34),
    (K::Dmarc, "v=DMARC1; p=reject; rua=https:///x", "DMARC029", 24, 34),
    (K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@example.com mailto:b@example.com", "DMARC028", 44, 45),
    (K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@example.com!10m", "DMARC030", 44, 48),
    (K::Dmarc, "v=DMARC1; p=reject; asfp=s", "DMARC015", 20, 24),
    (K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@@example.com", "DMARC029", 24, 45),
    (K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@bücher.de, mailto:b@exämple.de", "DMARC029", 45, 65),
    // DKIM
    (K::Dkim, "v=DKIM1; k=rsa", "DKIM020", 0, 14),
    (K::Dkim, "v=DKIM1; k=rsa; p=", "DKIM021", 16, 18),
    (K::Dkim, "v=DKIM1; p=MIGf-MA0G", "DKIM022", 15, 16),
    (K::Dkim, "v=DKIM1; p=MIGfMA0GC", "DKIM022", 19, 20),
    (K::Dkim, "v=DKIM1; p=AB==CD", "DKIM022", 15, 16),
    (K::Dkim, "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEB", "DKIM023", 11, 31),
    (
        K::Dkim,
        "v=DKIM1; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALgSoqXVSEmfcIsOzw7oRuCCOwsmtX/SJnTWxYyj2leFxfS/AVJ+dYfY+hXqMsT7l+MZvvh/R1WzN4MO/kI/7XsCAwEAAQ==",
        "DKIM024",
        11,
        139,
    ),
    (
        K::Dkim,
        "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC848PMQXuR6V4Tbj3Wb2TN/4Qon0v8ch1WoS0v5wC4/2FXHaH5g7xNwtIwgfE7kxkSqv1LnS4tUrpHjWcXJhtCkT9wkI0FOVFzKHRc7Gy7vYSFMUCnojiVVQjxY6bnyPLIIP2l/D++0awe+XCWQsjFZ+CHW5Lo/lQ/bdrUcYEU/QIDAQAB",
        "DKIM025",
        18,
        234,
    ),
    (K::Dkim, RSA_4097_RECORD, "DKIM034", 18, 722),
    (K::Dkim, "v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEA3SUqa9UbfciWkk7tlcJ9P1VD5pXAasg0JUn/OgjVbKE=", "DKIM026", 22, 82),
    (K::Dkim, "v=DKIM1; k=ed25519; p=3SUqa9UbfciWkk7tlcJ9P1VD5pXAasg0JUn/OgjV", "DKIM026", 22, 62),
    (K::Dkim, "v=DKIM1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM027", 11, 55),
    (K::Dkim, "v=DKIM1; k=ed25519-sha256; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM028", 11, 25),
    (K::Dkim, "v=DKIM1; h=sha1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=; k=ed25519", "DKIM029", 9, 15),
    (K::Dkim, "v=DKIM1; h=md5; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM030", 9, 14),
    (K::Dkim, "v=DKIM1; s=chat; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM031", 9, 15),
    (K::Dkim, "v=DKIM1; t=y:s; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM032", 9, 14),
    (K::Dkim, "v=DKIM1; g=*; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM033", 9, 12),
    (K::Dkim, "v=DKIM1; k=ed25519; tt=y; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM015", 20, 22),
    (K::Dkim, "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo==", "DKIM022", 66, 67),
    // BIMI
    (K::Bimi, "v=BIMI1; a=https://example.com/vmc.pem", "BIMI020", 0, 38),
    (K::Bimi, "v=BIMI1; l=http://example.com/logo.svg", "BIMI021", 11, 38),
    (K::Bimi, "v=BIMI1; l=logo.svg", "BIMI021", 11, 19),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.png; a=https://example.com/vmc.pem", "BIMI022", 11, 39),
    (K::Bimi, "v=BIMI1; l=", "BIMI023", 9, 11),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; a=self", "BIMI024", 43, 47),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg", "BIMI025", 0, 39),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; a=", "BIMI025", 0, 43),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; aa=https://example.com/vmc.pem", "BIMI015", 41, 43),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; lps=yes", "BIMI026", 45, 48),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; avp=Brand", "BIMI026", 45, 50),
    // MTA-STS TXT
    (K::Sts, "v=STSv1", "STS020", 0, 7),
    (K::Sts, "v=STSv1; id=2024-01-15T12:00:00Z", "STS021", 12, 32),
    (K::Sts, "v=STSv1; id=", "STS021", 9, 12),
    (K::Sts, "v=STSv1; id=123456789012345678901234567890123", "STS021", 12, 45),
    // MTA-STS policy
    (K::StsPolicy, "", "STS030", 0, 0),
    (K::StsPolicy, "version: STSv1\nmode enforce\nmx: mail.example.com\nmax_age: 604800", "STS031", 15, 27),
    (K::StsPolicy, "version : STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800", "STS031", 0, 8),
    (K::StsPolicy, "mode: enforce\nmx: mail.example.com\nmax_age: 604800", "STS032", 0, 0),
    (K::StsPolicy, "version: STSv2\nmode: enforce\nmx: mail.example.com\nmax_age: 604800", "STS032", 9, 14),
    (K::StsPolicy, "version: STSv1\nmode: enforced\nmx: mail.example.com\nmax_age: 604800", "STS033", 21, 29),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 1w", "STS034", 59, 61),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 31557601", "STS034", 59, 67),
    (K::StsPolicy, "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 3600\r\n", "STS035", 62, 66),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmax_age: 604800", "STS036", 0, 44),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: mail*.example.com\nmax_age: 604800", "STS037", 33, 50),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: mail.*.example.com\nmax_age: 604800", "STS037", 33, 51),
    (K::StsPolicy, "version: STSv1\nmode: testing\nmode: enforce\nmx: a.example.com\nmax_age: 604800", "STS038", 29, 42),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\nnote: 1", "STS039", 66, 70),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmax_age: 604800", "STS037", 33, 42),
    (K::StsPolicy, "version: STSv1\nmode: none\nmax_age: 86400\nmxx: a.example.com", "STS040", 41, 44),
    (K::StsPolicy, "version: STSv1\nmode: none\nmax_age: 86400\nMX: a.example.com", "STS040", 41, 43),
    (K::StsPolicy, "v=STSv1; id=20240115T120000", "STS041", 0, 27),
    (K::StsPolicy, "  v=spf1 -all\n", "STS041", 2, 13),
    // TLS-RPT
    (K::TlsRpt, "v=TLSRPTv1", "TLSRPT020", 0, 10),
    (K::TlsRpt, "v=TLSRPTv1; rua=tlsrpt@example.com", "TLSRPT021", 16, 34),
    (K::TlsRpt, "v=TLSRPTv1; rua=mailto:a@example.com, ftp://x.example", "TLSRPT021", 38, 53),
    (K::TlsRpt, "v=TLSRPTv1; rua=mailto:a@example.com!10m", "TLSRPT021", 16, 40),
    (K::TlsRpt, "v=TLSRPTv1; rua=mailto:a@example.com  https://r.example/x", "TLSRPT021", 36, 38),
];

const CLOSE: &[(K, &str, &str)] = &[
    (K::Dmarc, "v=DMARC1; p=none; rua=mailto:d@example.com", "DMARC020"),
    (K::Dmarc, "v=DMARC1; p=reject", "DMARC021"),
    (K::Dmarc, "V=DMARC1; P=REJECT", "DMARC021"),
    (K::Dmarc, "v=DMARC1; p=reject; sp=reject; np=quarantine", "DMARC022"),
    (K::Dmarc, "v=DMARC1; p=quarantine", "DMARC023"),
    (K::Dmarc, "v=DMARC1; p=reject; t=n", "DMARC024"),
    (K::Dmarc, "v=DMARC1; p=reject; adkim=s; aspf=r; psd=u; t=n; fo=0:1:d:s", "DMARC025"),
    (K::Dmarc, "v=DMARC1; p=reject; fo=1", "DMARC026"),
    (K::Dmarc, "v=DMARC1; p=reject; pct=100", "DMARC027"),
    (K::Dmarc, "v=DMARC1; p=none; pct=0", "DMARC027"),
    (K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@example.com , https://r.example.com/x", "DMARC028"),
    (K::Dmarc, "v=DMARC1; p=reject; rua=MAILTO:A@EXAMPLE.COM", "DMARC029"),
    (K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@example.com", "DMARC030"),
    (K::Dmarc, "v=DMARC1; p=reject; aspf=s", "DMARC015"),
    (K::Dmarc, "v=DMARC1; p=reject; aspf=s; asfp=s", "DMARC015"),
    (K::Dmarc, "v=DMARC1; p=reject; pct=50", "DMARC026"),
    (K::Dmarc, "v=DMARC1; p=reject; pct=101", "DMARC026"),
    (K::Dkim, "v=DKIM1; k=rsa; p=", "DKIM020"),
    (K::Dkim, "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM021"),
    (K::Dkim, "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQH Og7hcvPapiMlrwIaaPcHURo=", "DKIM022"),
    (K::Dkim, "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo", "DKIM023"),
    (
        K::Dkim,
        "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC848PMQXuR6V4Tbj3Wb2TN/4Qon0v8ch1WoS0v5wC4/2FXHaH5g7xNwtIwgfE7kxkSqv1LnS4tUrpHjWcXJhtCkT9wkI0FOVFzKHRc7Gy7vYSFMUCnojiVVQjxY6bnyPLIIP2l/D++0awe+XCWQsjFZ+CHW5Lo/lQ/bdrUcYEU/QIDAQAB",
        "DKIM024",
    ),
    (K::Dkim, "v=DKIM1; k=ed25519; p=pP+YUyRjAvKha4Oc49KAY703oLUS1NLMEuGD3IHMKww=", "DKIM025"),
    (K::Dkim, RSA_4096_RECORD, "DKIM034"),
    (K::Dkim, "v=DKIM1; k=ed25519; p=3SUqa9UbfciWkk7tlcJ9P1VD5pXAasg0JUn/OgjVbKE=", "DKIM026"),
    (K::Dkim, "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM027"),
    (K::Dkim, "k=ed25519; p=yi50DjK5O9pqbFpNHklsv9lqaS0ArSYu02qp1S0DW1Y=", "DKIM028"),
    (K::Dkim, "v=DKIM1; h=sha1:sha256; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM029"),
    (K::Dkim, "v=DKIM1; h=sha256:md5; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM030"),
    (K::Dkim, "v=DKIM1; s=email:web; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM031"),
    (K::Dkim, "v=DKIM1; t=s; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM032"),
    (K::Dkim, "v=DKIM1; n=g; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM033"),
    (K::Dkim, "v=DKIM1; k=ed25519; t=y; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM015"),
    (K::Dkim, "v=DKIM1; k=ed25519; tt=1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM015"),
    (K::Dkim, "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "DKIM022"),
    (K::Bimi, "v=BIMI1; l=", "BIMI020"),
    (K::Bimi, "v=BIMI1; l=HTTPS://example.com/logo.svg", "BIMI021"),
    (K::Bimi, "v=BIMI1; l=https://example.com/LOGO.SVG?v=2", "BIMI022"),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg", "BIMI023"),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; a=", "BIMI024"),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem", "BIMI025"),
    (K::Bimi, "v=BIMI1; l=", "BIMI025"),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem", "BIMI015"),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; lps=true; avp=personal", "BIMI026"),
    (K::Bimi, "v=BIMI1; l=https://example.com/logo.svg; avp=brand", "BIMI009"),
    (K::Sts, "v=STSv1; id=1", "STS020"),
    (K::Sts, "v=STSv1; id=12345678901234567890123456789012", "STS021"),
    (K::Sts, "v=STSv1; id=20240115T120000; ext=1", "STS021"),
    (K::StsPolicy, "version: STSv1\nmode: none\nmax_age: 86400", "STS030"),
    (K::StsPolicy, "version:STSv1\nmode:\tenforce\nmx: a.example.com\nmax_age: 604800\n\n", "STS031"),
    (K::StsPolicy, "version: STSv1\nmode: none\nmax_age: 86400", "STS032"),
    (K::StsPolicy, "version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: 86400", "STS033"),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 31557600", "STS034"),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 86400", "STS035"),
    (K::StsPolicy, "version: STSv1\nmode: none\nmax_age: 86400", "STS036"),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: *.example.com\nmx: mail.example.net\nmax_age: 604800", "STS037"),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: a.example.com\nmx: b.example.com\nmax_age: 604800", "STS038"),
    (K::StsPolicy, "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800", "STS039"),
    (K::StsPolicy, "version: STSv1\nmode: none\nmax_age: 86400\nmx: a.example.com", "STS040"),
    (K::StsPolicy, "version: STSv1\nmode: none\nmax_age: 86400\nnote: v=STSv1", "STS041"),
    (K::TlsRpt, "v=TLSRPTv1; rua=mailto:a@example.com", "TLSRPT020"),
    (K::TlsRpt, "v=TLSRPTv1; rua=mailto:a@example.com, https://r.example.com/tls", "TLSRPT021"),
    (K::TlsRpt, "v=TLSRPTv1; rua=mailto:a@xn--bcher-kva.de", "TLSRPT021"),
];

#[test]
fn every_kind_specific_rule_triggers_at_its_span() {
    // All failures at once, so one wrong span does not hide the next.
    let mut failures = Vec::new();
    for (kind, text, code, start, end) in TRIGGERS {
        let d = diags(*kind, text);
        if !d.iter().any(|d| d.code == *code && d.span == Span::new(*start, *end)) {
            failures.push(format!(
                "{kind:?} {text:?}: expected {code} at {start}..{end}, got\n  {}",
                show(&d)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn close_records_do_not_trigger() {
    for (kind, text, code) in CLOSE {
        absent(*kind, text, code);
    }
}

#[test]
fn every_rule_has_a_trigger_and_a_close_case() {
    let mut triggered: Vec<String> = TRIGGERS.iter().map(|c| c.2.to_string()).collect();
    let mut close: Vec<String> = CLOSE.iter().map(|c| c.2.to_string()).collect();
    // The generated lexer cases cover 001..014 of every tag-list kind (011 is not a DKIM rule).
    for prefix in ["DMARC", "DKIM", "BIMI", "STS", "TLSRPT"] {
        for n in 1..=14 {
            triggered.push(format!("{prefix}{n:03}"));
            close.push(format!("{prefix}{n:03}"));
        }
    }
    let rules = [
        dmarc::TAG_RULES,
        dmarc::RULES,
        dkim::TAG_RULES,
        dkim::RULES,
        bimi::TAG_RULES,
        bimi::RULES,
    ]
    .into_iter()
    .chain([mta_sts::TAG_RULES, mta_sts::RULES, tlsrpt::TAG_RULES, tlsrpt::RULES])
    .flatten();
    for rule in rules {
        assert!(
            triggered.iter().any(|c| c == rule.code),
            "no triggering record for {}",
            rule.code
        );
        assert!(
            close.iter().any(|c| c == rule.code),
            "no close record for {}",
            rule.code
        );
    }
}

// -----------------------------------------------------------------------------------------------
// Typed values.

#[test]
fn dmarc_typed_value() {
    let parsed = dmarc::parse(
        "v=DMARC1; p=reject; sp=quarantine; np=none; psd=n; t=n; adkim=s; aspf=r; \
         rua=mailto:agg@example.com , https://r.example.net/x; ruf=mailto:f@example.org!10m; fo=1:d; pct=50",
    );
    let v = &parsed.value;
    assert!(v.version_ok);
    assert_eq!(v.policy, Some(dmarc::Policy::Reject));
    assert_eq!(v.subdomain_policy, Some(dmarc::Policy::Quarantine));
    assert_eq!(v.nonexistent_policy, Some(dmarc::Policy::None));
    assert_eq!(v.psd, Some(dmarc::Psd::No));
    assert_eq!(v.testing, Some(false));
    assert_eq!(v.adkim, Some(dmarc::Alignment::Strict));
    assert_eq!(v.aspf, Some(dmarc::Alignment::Relaxed));
    assert_eq!(v.rua.len(), 2);
    assert_eq!(v.rua[0].address.as_deref(), Some("agg@example.com"));
    assert_eq!(v.rua[0].domain.as_deref(), Some("example.com"));
    assert_eq!(v.rua[1].scheme.as_deref(), Some("https"));
    assert_eq!(v.rua[1].domain.as_deref(), Some("r.example.net"));
    assert_eq!(v.ruf[0].size_limit.as_deref(), Some("10m"));
    assert_eq!(v.ruf[0].address.as_deref(), Some("f@example.org"));
    assert_eq!(v.fo, vec![dmarc::FailureOption::Any, dmarc::FailureOption::Dkim]);
    assert_eq!(v.pct, Some(50));
    let text = "v=DMARC1; p=reject; rua=mailto:agg@example.com";
    let span = dmarc::parse(text).value.rua[0].span;
    assert_eq!(&text[span.start..span.end], "mailto:agg@example.com");
}

#[test]
fn dmarc_malformed_policy_keeps_a_value() {
    let parsed = dmarc::parse("v=DMARC1; p=bogus; sp=reject");
    assert_eq!(parsed.value.policy, None);
    assert_eq!(parsed.value.subdomain_policy, Some(dmarc::Policy::Reject));
    assert!(parsed.value.version_ok);
    assert_eq!(parsed.value.effective_policy(false, true), None);
}

#[test]
fn dmarc_effective_policy() {
    use dmarc::Policy::*;
    let p = |t: &str| dmarc::parse(t).value;
    // (record, organisational domain, existing subdomain, non-existent subdomain)
    type Expected = Option<dmarc::Policy>;
    let cases: &[(&str, Expected, Expected, Expected)] = &[
        ("v=DMARC1; p=reject", Some(Reject), Some(Reject), Some(Reject)),
        ("v=DMARC1; p=reject; sp=none", Some(Reject), Some(None), Some(None)),
        (
            "v=DMARC1; p=reject; sp=none; np=quarantine",
            Some(Reject),
            Some(None),
            Some(Quarantine),
        ),
        ("v=DMARC1; p=none; np=reject", Some(None), Some(None), Some(Reject)),
        (
            "v=DMARC1; p=reject; t=y",
            Some(Quarantine),
            Some(Quarantine),
            Some(Quarantine),
        ),
        (
            "v=DMARC1; p=quarantine; sp=reject; t=y",
            Some(None),
            Some(Quarantine),
            Some(Quarantine),
        ),
        // RFC 9989 §4.7: no p means none.
        ("v=DMARC1; rua=mailto:d@example.com", Some(None), Some(None), Some(None)),
        ("v=DMARC1; sp=reject", Some(None), Some(Reject), Some(Reject)),
        // A malformed sp is ignored, so subdomains fall back to p.
        ("v=DMARC1; p=reject; sp=bogus", Some(Reject), Some(Reject), Some(Reject)),
        ("v=spf1 -all", Option::None, Option::None, Option::None),
    ];
    for (text, org, sub, nx) in cases {
        let v = p(text);
        assert_eq!(v.effective_policy(false, true), *org, "{text} organisational");
        assert_eq!(v.effective_policy(true, true), *sub, "{text} subdomain");
        assert_eq!(v.effective_policy(true, false), *nx, "{text} non-existent");
    }
}

#[test]
fn tlsrpt_and_sts_and_bimi_typed_values() {
    let t = tlsrpt::parse("v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.com/v1").value;
    assert!(t.version_ok);
    assert_eq!(t.rua.len(), 2);
    assert_eq!(t.rua[0].domain.as_deref(), Some("example.com"));
    let s = mta_sts::parse("v=STSv1; id=20240115T120000;").value;
    assert_eq!(s.id.as_deref(), Some("20240115T120000"));
    let p = mta_sts::parse_policy(
        "version: STSv1\r\nmode: enforce\r\nmx: *.mail.example.com\r\nmx: backup.example.net\r\nmax_age: 1209600\r\n",
    );
    assert!(p.diagnostics.is_empty(), "{}", show(&p.diagnostics));
    assert_eq!(p.value.mode, Some(mta_sts::Mode::Enforce));
    assert_eq!(p.value.max_age, Some(1_209_600));
    assert_eq!(p.value.mx.len(), 2);
    assert!(p.value.mx[0].wildcard);
    let b = bimi::parse("v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem").value;
    assert_eq!(b.logo.as_deref(), Some("https://example.com/logo.svg"));
    assert_eq!(b.authority.as_deref(), Some("https://example.com/vmc.pem"));
    assert!(bimi::parse("v=BIMI1; l=;").value.declined);
}

// -----------------------------------------------------------------------------------------------
// DKIM keys from the test suites, with their sizes.

#[test]
fn dkim_key_sizes_from_the_test_suites() {
    let read = |path: &str| std::fs::read_to_string(format!("{TESTSUITES}/dkim/{path}")).unwrap();
    let fake_dns = read("mail-dkim/FAKE_DNS.dat");
    let record = |selector: &str| -> String {
        let line = fake_dns.lines().find(|l| l.starts_with(selector)).unwrap();
        line.split_once(char::is_whitespace).unwrap().1.trim().to_string()
    };
    let first_record = |path: &str| -> String {
        let text = read(path);
        let line = text.lines().next().unwrap();
        line.split_once(' ').unwrap().1.to_string()
    };
    use dkim::{KeyEncoding::*, KeyType::*};
    let cases: Vec<(String, dkim::KeyType, u32, dkim::KeyEncoding)> = vec![
        // Mail::DKIM test keys: 1024-bit (messiah.edu), 512-bit (test1) and 768-bit (att.net).
        (record("selector1._domainkey.messiah.edu"), Rsa, 1024, Spki),
        (record("test1._domainkey.messiah.edu"), Rsa, 512, Spki),
        (record("foo._domainkey.vmt2.cis.att.net"), Rsa, 768, Spki),
        (record("2023-05-ed25519._domainkey.wander.science"), Ed25519, 256, Raw),
        // dkimpy: a 1024-bit key, and the RFC 8463 ed25519 key.
        (read("dkimpy/test.txt").trim().to_string(), Rsa, 1024, Spki),
        (read("dkimpy/ed25519test.dns").trim().to_string(), Ed25519, 256, Raw),
        // mail-auth 001 (RFC 8463 example: ed25519 first line) and 002 (bare PKCS#1, 1024 bits).
        (first_record("mail-auth/001.txt"), Ed25519, 256, Raw),
        (first_record("mail-auth/002.txt"), Rsa, 1024, Pkcs1),
        // A 2048-bit key (corpus line 38, mail-auth resources/dkim2).
        (rsa2048_record(), Rsa, 2048, Spki),
        // The made-up keys either side of the 4096-bit limit.
        (RSA_4096_RECORD.to_string(), Rsa, 4096, Pkcs1),
        (RSA_4097_RECORD.to_string(), Rsa, 4097, Pkcs1),
    ];
    for (text, key_type, bits, encoding) in cases {
        let parsed = dkim::parse(&text);
        assert_eq!(parsed.value.key_type, Some(key_type), "{text}");
        assert_eq!(parsed.value.key_bits, Some(bits), "{text}");
        assert_eq!(parsed.value.key_encoding, Some(encoding), "{text}");
    }
    // The 2048-bit key has no size diagnostic; the 1024-bit key a warning; 512 an error.
    assert!(dkim::parse(&rsa2048_record()).diagnostics.is_empty());
    // Revoked key.
    let revoked = dkim::parse(&record("testrevoked._domainkey.messiah.edu")).value;
    assert!(revoked.revoked);
    assert!(revoked.testing);
    // The postalsys fixture splits the RSA key over four strings; joined, it is the 1024-bit key.
    let json = read("postalsys-mailauth/ec-dns.json");
    let start = json.find("\"v=DKIM1; k=rsa;").unwrap();
    let end = json[start..].find(']').unwrap() + start;
    let joined: String = json[start..end].split('"').skip(1).step_by(2).collect();
    assert_eq!(dkim::parse(&joined).value.key_bits, Some(1024));
    // Pasted with the zone-file quotes: one quote diagnostic, and the key is still read.
    let quoted = format!(
        "\"{}\"",
        json[start..end]
            .split('"')
            .skip(1)
            .step_by(2)
            .collect::<Vec<_>>()
            .join("\" \"")
    );
    let parsed = dkim::parse(&quoted);
    assert_eq!(parsed.value.key_bits, Some(1024));
    assert_eq!(parsed.diagnostics.iter().filter(|d| d.code == "DKIM010").count(), 1);
}

#[test]
fn dkim_key_bits_ignore_leading_zero_bytes() {
    // A PKCS#1 key whose modulus INTEGER is 0x00 0x00 0x01 (two leading zeros): 1 bit.
    let parsed = dkim::parse("v=DKIM1; p=MAgCAwAAAQIBAw==");
    assert_eq!(parsed.value.key_bits, Some(1));
    assert_eq!(parsed.value.key_encoding, Some(dkim::KeyEncoding::Pkcs1));
    // A DER length that runs past the end of the input does not panic.
    assert!(dkim::parse("v=DKIM1; p=MIQAAAAAAAAAAA==").has_errors());
    assert!(dkim::parse("v=DKIM1; p=MIP/////").has_errors());
}

// -----------------------------------------------------------------------------------------------
// Real records.

/// The `record` column of the Trail of Bits Alexa top-500 CSV (`rank,domain,record`).
fn alexa_records() -> Vec<String> {
    let text = std::fs::read_to_string(format!("{TESTSUITES}/dmarc/trailofbits-alexa-top500-dmarc.csv")).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        let mut parts = line.splitn(3, ',');
        let (_, _, record) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
        let record = record
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .unwrap_or(record);
        if !record.is_empty() {
            out.push(record.replace("\"\"", "\""));
        }
    }
    out
}

/// Codes that real or synthetic records may raise as errors because the record is truly broken,
/// and why. Any other error code on these corpora fails the test.
const DMARC_JUSTIFIED: &[(&str, &str)] = &[
    // 12 of the 91 real Alexa records are SPF records published at _dmarc.
    ("DMARC014", "an SPF record published where DMARC is expected"),
    // google-site-verification=... and `spf2.0/pra -all` (real, Alexa) at _dmarc; `=DMARC1` (real,
    // bongacams.com) with no `v` before the `=`.
    (
        "DMARC003",
        "text that is not a tag list, or `=DMARC1` with the v missing",
    ),
    // A DKIM key record (`t=y; p=MHww...`, real, Alexa) at _dmarc: no v=DMARC1 and p is a key.
    (
        "DMARC011",
        "no v=DMARC1 (a DKIM key record at _dmarc; synthetic records with p before v)",
    ),
    ("DMARC021", "p is not a policy (a DKIM key; synthetic p=bogus...)"),
    // The synthetic part deliberately breaks ~10% of records (corpus README).
    ("DMARC012", "synthetic: p before v"),
    ("DMARC013", "synthetic: v=DMARC2"),
    ("DMARC004", "synthetic: a comma separator"),
    ("DMARC005", "synthetic: pct given twice"),
];

const DKIM_JUSTIFIED: &[(&str, &str)] = &[
    // Mail::DKIM and mail-auth test keys of 512 and 768 bits: RFC 8301 forbids them.
    ("DKIM024", "RSA keys under 1024 bits"),
    // Mail::DKIM badkey_3 (v=DKIM3); synthetic v=DKIM2.
    ("DKIM013", "v=DKIM3 / v=DKIM2"),
    // Mail::DKIM badkey_5 (k=foobar), dkimpy badk.txt (k=ed25519-sha256), synthetic k=foo.
    ("DKIM028", "unknown key type"),
    // Mail::DKIM badkey_6 (s=chat), dkimpy test_tlsrpt.txt (s=tlsrpt).
    ("DKIM031", "service type excludes email"),
    // Mail::DKIM badkey_7 (h=bad) and test2 (h=md5:sha1).
    ("DKIM029", "h= allows sha1 only"),
    ("DKIM030", "h= names no known hash"),
    // Mail::DKIM badkey_4 (`t;`), dkimpy badversion.txt (`v=DKIM1:`).
    ("DKIM003", "a tag with no ="),
    ("DKIM004", "`:` instead of `;`"),
    // Mail::DKIM badkey1_ed25519: an SPKI-wrapped ed25519 key where RFC 8463 wants 32 raw bytes.
    ("DKIM026", "ed25519 key not 32 raw bytes"),
    // Synthetic: truncated p= values (3%), which either fail base64 or DER decoding.
    ("DKIM022", "truncated key (base64)"),
    ("DKIM023", "truncated key (DER)"),
    // Synthetic: `k=foo; k=ed25519` style duplicates.
    ("DKIM005", "duplicate tag"),
    // Synthetic ed25519 keys declared with a mismatching k=.
    ("DKIM027", "key type mismatch"),
];

fn check_corpus(kind: K, records: &[String], justified: &[(&str, &str)]) -> usize {
    let mut broken = 0;
    for record in records {
        let d = diags(kind, record);
        let errors: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
        if !errors.is_empty() {
            broken += 1;
        }
        for e in errors {
            assert!(
                justified.iter().any(|(code, _)| *code == e.code),
                "{kind:?} {record:?}: unjustified error {} {}",
                e.code,
                e.message
            );
        }
        for x in &d {
            assert!(
                x.span.end <= record.len() && x.span.start <= x.span.end,
                "{record:?}: bad span {:?}",
                x.span
            );
            assert!(record.is_char_boundary(x.span.start) && record.is_char_boundary(x.span.end));
        }
    }
    broken
}

#[test]
fn real_dmarc_records() {
    let alexa = alexa_records();
    assert_eq!(alexa.len(), 145);
    // Of the 145 real records exactly 18 have errors, and none of them is a DMARC record a
    // receiver could use: 13 SPF records (`v=spf1 ...`, e.g. rows for rbc.ru, hinet.net) and one
    // Sender ID record (`spf2.0/pra -all`) published at _dmarc, 2 `google-site-verification=`
    // strings, one DKIM key record (`t=y; p=MHww...`), and bongacams.com's `=DMARC1; p=...`
    // whose `v` is missing, so receivers do not recognise it.
    let broken = check_corpus(K::Dmarc, &alexa, &DMARC_JUSTIFIED[..4]);
    assert_eq!(broken, 18, "broken Alexa records");
    let corpus: Vec<String> = std::fs::read_to_string(format!("{TESTSUITES}/corpus/dmarc-records.txt"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    // Lines 1..=91 are the real records; the rest are synthetic, about 10% broken on purpose.
    check_corpus(K::Dmarc, &corpus[..91], &DMARC_JUSTIFIED[..4]);
    let broken = check_corpus(K::Dmarc, &corpus[91..], DMARC_JUSTIFIED);
    assert!(broken < 150, "{broken} broken synthetic records");
}

#[test]
fn real_dkim_records() {
    let corpus: Vec<String> = std::fs::read_to_string(format!("{TESTSUITES}/corpus/dkim-key-records.txt"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(corpus.len(), 500);
    check_corpus(K::Dkim, &corpus, DKIM_JUSTIFIED);
    // Every record with a non-empty, untruncated key decodes to a known type and size.
    let decoded = corpus
        .iter()
        .filter(|r| dkim::parse(r).value.key_bits.is_some())
        .count();
    assert!(decoded > 400, "only {decoded} keys decoded");
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "\u{0}\u{1}\u{7f}",
        ";;;;",
        "=",
        "==;==",
        "v=",
        "v",
        "\"",
        "\"\"",
        "p=\u{e9}",
        "v=DMARC1; rua=mailto:\u{e9}@\u{e9}.com!",
        "v=DKIM1; p=\u{e9}\u{e9}",
        "rua=,,,",
        "mailto:",
        "v=spf1",
        "V=SPF1",
        ":\n:\r\n",
        "mx: *\nmx: *.\nmx: .",
        "max_age: 99999999999999999999999",
    ];
    for s in samples {
        for kind in [K::Dmarc, K::Dkim, K::Bimi, K::Sts, K::StsPolicy, K::TlsRpt] {
            let d = diags(kind, s);
            for x in d {
                assert!(
                    s.is_char_boundary(x.span.start) && s.is_char_boundary(x.span.end),
                    "{s:?} {kind:?}"
                );
            }
        }
    }
}

/// Repeated tags are found once the whole record is read (one sort, so many different tags
/// are no longer quadratic), yet each finding stays where its tag was read among the others,
/// points back at the first one, and a third copy points at the first too.
#[test]
fn duplicate_tags_are_reported_in_reading_order() {
    let text = "v=DMARC1; p=none; zz=1; p=reject; rua=mailto:a@example.com;; pct=5; P=quarantine; yy=2";
    let d = diags(K::Dmarc, text);
    let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
    let first_p = Span::new(10, 16);
    let second_p = text.find("p=reject").unwrap();
    let third_p = text.find("P=quarantine").unwrap();
    let empty = text.find(";;").unwrap() + 1;
    let at = |code: &str, start: usize| {
        d.iter()
            .position(|d| d.code == code && d.span.start == start)
            .unwrap_or_else(|| panic!("no {code} at {start}:\n  {}", show(&d)))
    };
    // The second `p` before the empty tag after it, the third after that empty tag.
    assert!(
        at("DMARC005", second_p) < at("DMARC002", empty),
        "{codes:?}\n  {}",
        show(&d)
    );
    assert!(
        at("DMARC002", empty) < at("DMARC005", third_p),
        "{codes:?}\n  {}",
        show(&d)
    );
    for start in [second_p, third_p] {
        assert_eq!(d[at("DMARC005", start)].related, Some(first_p), "{}", show(&d));
    }
    // The policy is the first `p`, as a receiver reads it.
    assert_eq!(dmarc::parse(text).value.policy, Some(dmarc::Policy::None));

    // Many different unknown tags after a repeated one (quadratic before: 80 000 took 12 s):
    // the repeat is still found at its place, the rest are capped with a closing note.
    let mut big = String::from("v=DMARC1; p=none; t=1; t=2");
    for i in 0..30_000 {
        big.push_str(&format!("; t{i}=1"));
    }
    let d = diags(K::Dmarc, &big);
    let repeat = d
        .iter()
        .find(|d| d.code == "DMARC005")
        .unwrap_or_else(|| panic!("{}", show(&d)));
    assert_eq!(
        (repeat.span, repeat.related),
        (Span::new(23, 26), Some(Span::new(18, 21)))
    );
    assert!(
        d.last().is_some_and(|d| d.message.ends_with("more problems not shown")),
        "{}",
        show(&d)
    );
}

/// A tag name glued to its value (`preject`) is one finding whose fix puts the `=` in, and the
/// tag counts as written, so the record is not also told the tag is missing.
#[test]
fn a_missing_equals_sign_is_one_finding_with_the_fix() {
    for (kind, text, fix) in [
        (K::Dmarc, "v=DMARC1; preject", "write p=reject"),
        (K::Dmarc, "vDMARC1; p=reject", "write v=DMARC1"),
        (
            K::TlsRpt,
            "v=TLSRPTv1; ruamailto:tls@example.com",
            "write rua=mailto:tls@example.com",
        ),
        (K::Sts, "v=STSv1; id20240101T000000", "write id=20240101T000000"),
        (K::Dmarc, "v=DMARC1; p=reject; adkims", "write adkim=s"),
    ] {
        let d = diags(kind, text);
        let errors: Vec<&Diagnostic> = d.iter().filter(|d| d.severity == Severity::Error).collect();
        assert_eq!(errors.len(), 1, "{text}:\n  {}", show(&d));
        assert_eq!(errors[0].help, fix, "{text}");
    }
    // A known tag alone, with nothing glued to it, is still a tag with no value.
    let d = diags(K::Dmarc, "v=DMARC1; p=reject; pct");
    assert!(d.iter().any(|d| d.code == "DMARC003"), "{}", show(&d));
}

/// A slip in the `k` or `p` tag of an ed25519 key is one finding: the key is not also called
/// the wrong type for the default rsa, and `p:` before a key ending in `=` is the `:` slip,
/// not an invalid tag name.
#[test]
fn dkim_tag_slips_do_not_cascade_into_the_key_type() {
    let key = "pP+YUyRjAvKha4Oc49KAY703oLUS1NLMEuGD3IHMKww=";
    for (text, code, fix) in [
        (
            format!("v=DKIM1; k=ed25519; p:{key}"),
            "DKIM004",
            format!("write p={key}"),
        ),
        (
            format!("v=DKIM1; kk=ed25519; p={key}"),
            "DKIM015",
            "write k=ed25519".to_string(),
        ),
        (
            format!("v=DKIM1; k ed25519; p={key}"),
            "DKIM003",
            "write k=ed25519".to_string(),
        ),
        (
            format!("v=DKIM1; ked25519; p={key}"),
            "DKIM004",
            "write k=ed25519".to_string(),
        ),
    ] {
        let d = diags(K::Dkim, &text);
        assert_eq!(d.len(), 1, "{text}:\n  {}", show(&d));
        assert_eq!((d[0].code, d[0].help.as_ref()), (code, fix.as_str()), "{text}");
    }
}

/// A report address whose local part is no dot-string (`mailto::dmarc@`, `.a@`, `a..b@`) is
/// not a mailbox; ordinary ones with `+` and dots are.
#[test]
fn report_addresses_need_a_valid_local_part() {
    for bad in [
        "mailto::dmarc@example.com",
        "mailto:.a@example.com",
        "mailto:a..b@example.com",
        "mailto:a,b@example.com",
    ] {
        let text = format!("v=DMARC1; p=reject; rua={bad}");
        let d = diags(K::Dmarc, &text);
        assert!(d.iter().any(|d| d.code == "DMARC029"), "{text}:\n  {}", show(&d));
    }
    absent(
        K::Dmarc,
        "v=DMARC1; p=reject; rua=mailto:first.last+dmarc@example.com",
        "DMARC029",
    );
}

/// A non-ASCII character before the `@` of a report address is named as such, with advice
/// that fits it (it got "retype the record by hand"); in the domain it gets the A-label advice.
#[test]
fn non_ascii_in_a_report_mailbox_name_gets_its_own_advice() {
    let d = diags(K::Dmarc, "v=DMARC1; p=reject; rua=mailto:日本@例え.jp");
    assert_eq!(d.len(), 1, "{}", show(&d));
    assert!(
        d[0].message.ends_with("in the mailbox name of a report address"),
        "{}",
        show(&d)
    );
    assert!(
        d[0].help.starts_with("use a report address in plain ASCII"),
        "{}",
        d[0].help
    );
    let d = diags(K::Dmarc, "v=DMARC1; p=reject; rua=mailto:a@exämple.com");
    assert!(d[0].help.contains("A-label"), "{}", d[0].help);
}
