//! Inputs found by fuzzing (scripts/fuzz.sh, docs/fuzzing.md), kept as tests so the fixes stay.

use sendercheck::dns::RecordType;
use sendercheck::parse::zone::{parse, scanner_line_is_terminated};

/// Lines minimised from what the `domain` zone-file scanner panicked on (index out of bounds in
/// `convert_charstr`, domain 0.12.3): the text ends inside a token, a quoted string, a comment or
/// a parenthesised group. The guard must turn every one of them away.
#[test]
fn scanner_guard_rejects_the_lines_the_scanner_panicked_on() {
    let crashing: [&[u8]; 7] = [
        b"e IN TXT t;",
        b"e IN TXT \"t\"",
        b"e IN TXT t",
        b"txton1y IN TXT  \"*(\"\\(`*(on\"e\"l2y.1\n\n",
        b"sel1._ey IN TXT(\"v=DKdomainkey IN TXT \"v=DKIM1; k=r\"\n",
        b"e IN TXT \"a\nb\"\n",
        b"e IN TXT t\\",
    ];
    for line in crashing {
        assert!(!scanner_line_is_terminated(line), "{:?}", String::from_utf8_lossy(line));
    }
}

/// The lines `parse::zone` builds for ordinary records pass the guard, so the guard costs no
/// good record.
#[test]
fn scanner_guard_accepts_well_formed_lines() {
    let good: [&[u8]; 7] = [
        b"example.test. 300 IN TXT \"v=spf1 -all\"\n",
        b"example.test. 300 IN TXT \"a \\\"quoted\\\" \\\\ word\" \"two\"\n",
        b"example.test. 300 IN MX 10 mail.example.test.\n",
        b"example.test. 300 IN SOA ns1 host ( 1 2 3 4 5 )\n",
        b"example.test. 300 IN TXT \"semi;colon\" ; a comment\n",
        b"a\\ b.example.test. 300 IN A 192.0.2.1\n",
        b"example.test. 300 IN TXT \"\\255\\000\"\n",
    ];
    for line in good {
        assert!(scanner_line_is_terminated(line), "{:?}", String::from_utf8_lossy(line));
    }
}

/// The same shapes as zone text given to the parser: no panic, and the good entries around a
/// broken one are still read.
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
/// 20 000 records now take a fraction of a second even in a debug build; the bound is loose so
/// that a busy machine does not fail it, and tight enough that the quadratic version did.
#[test]
fn zone_reading_is_linear_and_line_numbers_stay_right() {
    let mut text = String::from("$ORIGIN example.test.\n");
    for i in 0..20_000 {
        text.push_str(&format!("h{i} 300 IN A 192.0.2.{}\n", i % 250));
    }
    text.push_str("bad 300 IN A not-an-address\n");
    let started = std::time::Instant::now();
    let parsed = parse(&text, None);
    let elapsed = started.elapsed();
    assert_eq!(parsed.value.records.len(), 20_000);
    let bad: Vec<&str> = parsed.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(bad.iter().any(|m| m.starts_with("line 20002:")), "{bad:?}");
    assert!(elapsed.as_secs() < 20, "reading 20 000 records took {elapsed:?}");
}
