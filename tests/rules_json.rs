//! `www/rules.json` is the rule documentation the page shows: the wasm build leaves the text out
//! of the module (see `Rule::for_target`), so the page reads it from this file instead. This test
//! keeps the file equal to the catalogue, byte for byte, so the two can never drift apart.
//!
//! After changing a rule, rewrite the file with
//! `SENDERCHECK_BLESS=1 cargo test --test rules_json` (or `sendercheck rules --json > www/rules.json`).

use std::path::Path;

#[test]
fn www_rules_json_is_the_catalogue() {
    let rules: Vec<&sendercheck::catalogue::Rule> = sendercheck::catalogue::all().collect();
    let expected = serde_json::to_string_pretty(&rules).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/rules.json");
    if std::env::var_os("SENDERCHECK_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .map_or(0, |n| n + 1);
        panic!(
            "www/rules.json differs from the rule catalogue (first difference near line {line}).\n\
             Rewrite it with: SENDERCHECK_BLESS=1 cargo test --test rules_json"
        );
    }
}

#[test]
fn every_rule_in_www_rules_json_is_documented() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/rules.json");
    let rules: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(rules.len() > 100, "{} rules", rules.len());
    for rule in rules {
        for field in [
            "code",
            "name",
            "category",
            "severity",
            "area",
            "checks",
            "why",
            "problematic",
            "corrected",
            "references",
        ] {
            assert!(
                rule[field].as_str().is_some_and(|text| !text.trim().is_empty()),
                "{} lacks {field}",
                rule["code"]
            );
        }
    }
}
