//! The documentation of every parser rule shows a problematic record and its corrected form.
//! Both are parsed here as record data (what a TXT record holds, not how a zone file quotes
//! it): the problematic one must raise the rule, and the corrected one must not raise it nor
//! any error. Examples that only describe a record ("... (40 more ip4 terms)", a key cut
//! short with "...") are listed with the test that covers their rule instead.

use sendercheck::catalogue::{self, Rule};
use sendercheck::diag::{Diagnostic, Severity};
use sendercheck::parse::{analyze, bimi, dkim, dmarc, mta_sts, spf, tlsrpt, zone};

/// The documentation writes keys as a placeholder, since the corrected record carries the
/// reader's own key; here each placeholder becomes a real key of the size it stands for.
const KEY_PLACEHOLDERS: &[(&str, &str)] = &[
    // 2048 bits: the key of corpus/dkim-key-records.txt line 38 (mail-auth's test data).
    ("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...IDAQAB", "corpus:38"),
    // 1024 bits: the key of corpus/dkim-key-records.txt line 1.
    (
        "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC848PMQXuR6V4Tbj3Wb2TN...IDAQAB",
        "corpus:1",
    ),
];

fn corpus_key(line: usize) -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/testsuites/corpus/dkim-key-records.txt"
    );
    let text = std::fs::read_to_string(path).expect("the DKIM corpus");
    let record = text.lines().nth(line - 1).expect("the corpus line");
    let key = record.split("p=").nth(1).expect("a p= tag");
    key.split(';').next().unwrap_or(key).trim().to_string()
}

fn with_real_keys(text: &str) -> String {
    let mut text = text.replace("\\n", "\n");
    // `""` is how the documentation shows an empty TXT string.
    if text == "\"\"" {
        text.clear();
    }
    for (placeholder, source) in KEY_PLACEHOLDERS {
        let line = source.trim_start_matches("corpus:").parse().expect("a line number");
        text = text.replace(placeholder, &corpus_key(line));
    }
    text
}

/// Rules whose examples describe a record rather than give it, and where the rule is tested.
const DESCRIBED: &[(&str, &str)] = &[
    (
        "SPF022",
        "\"(40 more ip4 terms)\"; tests/spf_rules.rs builds the 451-byte record",
    ),
    (
        "SPF023",
        "\"(50 more ip4 terms)\"; tests/spf_rules.rs builds the 513-byte record",
    ),
    (
        "SPF024",
        "\"(a 300-byte record in one string)\"; tests/spf_rules.rs builds it",
    ),
    (
        "SPF027",
        "a zone line of type SPF; the zone reader (tests/zone.rs) and the checks (tests/spf_rules.rs, tests/check.rs) raise it",
    ),
    (
        "DKIM034",
        "a 4097-bit key cut short; tests/tag_records.rs and tests/check.rs use a real one",
    ),
    ("STS030", "\"(an empty response body)\"; tests/tag_records.rs"),
    ("ZONE004", "\"<a 300-character key>\"; tests/zone.rs"),
    ("ZONE021", "\"(300 000 lines of `(`)\"; src/parse/analyze.rs builds such text"),
];

fn diagnostics(rule: &Rule, text: &str) -> Option<Vec<Diagnostic>> {
    let family = rule.code.trim_end_matches(|c: char| c.is_ascii_digit());
    let number: u32 = rule.code.get(family.len()..)?.parse().ok()?;
    // x1xx rules are raised by the checks from DNS answers, not by a parser.
    if number >= 100 {
        return None;
    }
    Some(match family {
        "SPF" => spf::parse(text).diagnostics,
        "DMARC" => dmarc::parse(text).diagnostics,
        "DKIM" => dkim::parse(text).diagnostics,
        "BIMI" => bimi::parse(text).diagnostics,
        "TLSRPT" => tlsrpt::parse(text).diagnostics,
        // The policy file's rules are STS030 to STS049; the TXT record's the rest.
        "STS" if (30..50).contains(&number) => mta_sts::parse_policy(text).diagnostics,
        "STS" => mta_sts::parse(text).diagnostics,
        // Raised for pasted lines, not by the zone reader.
        "ZONE" if rule.code == "ZONE020" => analyze::analyze(text, None).all_diagnostics().cloned().collect(),
        "ZONE" => zone::parse(text, Some("example.com.")).diagnostics,
        _ => return None,
    })
}

#[test]
fn documented_examples_raise_their_rule_and_the_corrections_are_clean() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for rule in catalogue::all() {
        if DESCRIBED.iter().any(|(code, _)| *code == rule.code) {
            continue;
        }
        // Control characters are written as escapes in the documentation.
        let Some(found) = diagnostics(rule, &with_real_keys(rule.problematic)) else {
            continue;
        };
        let Some(after) = diagnostics(rule, &with_real_keys(rule.corrected)) else {
            continue;
        };
        checked += 1;
        if !found.iter().any(|d| d.code == rule.code) {
            problems.push(format!(
                "{}: the problematic example {:?} does not raise it: {:?}",
                rule.code,
                rule.problematic,
                found.iter().map(|d| d.code).collect::<Vec<_>>()
            ));
        }
        let errors: Vec<_> = after
            .iter()
            .filter(|d| d.code == rule.code || d.severity == Severity::Error)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        if !errors.is_empty() {
            problems.push(format!(
                "{}: the corrected example {:?} gives {errors:?}",
                rule.code, rule.corrected
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Most parser rules have literal examples: far fewer would mean the mapping above broke.
    assert!(checked > 120, "only {checked} rules checked");
}
