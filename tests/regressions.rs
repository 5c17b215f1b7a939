//! Inputs found by fuzzing (scripts/fuzz.sh, docs/fuzzing.md), kept as tests so the fixes stay.

use sendercheck::dns::RecordType;
use sendercheck::parse::zone::parse;

/// Zone text shaped like the inputs that made the `domain` crate's zone-file scanner panic (the
/// text ends inside a token, a quoted string, a comment or a parenthesised group). sendercheck
/// reads record data itself now, without that scanner, and must still read these without a
/// panic and keep the good entries around a broken one.
#[test]
fn zone_text_shaped_like_the_scanner_crashes_parses() {
    let texts = [
        "e IN TXT t;",
        "e IN TXT \"t\"",
        "e IN TXT t\\",
        "txton1y IN TXT  \"*(\"\\(`*(on\"e\"l2y.1\n\n",
        "sel1._ey IN TXT(\"v=DKdomainkey IN TXT \"v=DKIM1; k=r\"\n",
    ];
    for text in texts {
        let _ = parse(text, Some("example.test"));
    }
    let parsed = parse("a IN TXT \"one\"\nb IN TXT t\\", Some("example.test"));
    assert_eq!(parsed.value.records_of("a.example.test", RecordType::Txt).count(), 1);
    let parsed = parse("e IN TXT t;", Some("example.test"));
    assert_eq!(parsed.value.records_of("e.example.test", RecordType::Txt).count(), 1);
}

/// Found while looking at the zone target's slow runs: every entry counted the line feeds from
/// the start of the text to find its line number, so reading a zone took time quadratic in its
/// length (8 000 records: 0.8 s in release; a pasted zone of 30 000, seconds in the browser).
/// Speed is measured by the benchmarks, not here; this keeps the line numbers right at the end
/// of a long zone, which is where the binary search over line feeds could go wrong.
#[test]
fn zone_reading_is_linear_and_line_numbers_stay_right() {
    let mut text = String::from("$ORIGIN example.test.\n");
    for i in 0..20_000 {
        text.push_str(&format!("h{i} 300 IN A 192.0.2.{}\n", i % 250));
    }
    text.push_str("bad 300 IN A not-an-address\n");
    let parsed = parse(&text, None);
    assert_eq!(parsed.value.records.len(), 20_000);
    let bad: Vec<&str> = parsed.diagnostics.iter().map(|d| d.message.as_ref()).collect();
    assert!(bad.iter().any(|m| m.starts_with("line 20002:")), "{bad:?}");
}
