//! Every SPF rule: a record that triggers it (code and span), and a close record that does not.
//! Then the record corpus: nothing panics, and error-level findings only on broken records.

use std::collections::BTreeMap;

use sendercheck::diag::{Severity, Span};
use sendercheck::parse::spf::{is_spf_record, parse, parse_txt, type_record_diagnostic, RULES};

/// (code, triggering record, spanned text, span start, close record that must not trigger).
fn cases() -> Vec<(&'static str, String, &'static str, usize, String)> {
    let ips = |n: usize| -> String {
        let mut s = String::from("v=spf1");
        for i in 0..n {
            s.push_str(&format!(" ip4:192.0.2.{}", i % 250));
        }
        s.push_str(" -all");
        s
    };
    // The shortest ip4-only record over `limit` bytes, and the one just under it.
    let over = |limit: usize| -> (String, String) {
        let n = (1..200).find(|&n| ips(n).len() > limit).unwrap_or(1);
        (ips(n), ips(n - 1))
    };
    let (over450, under450) = over(450);
    let (over512, under512) = over(512);
    let (over255, under255) = over(255);
    let r = |s: &str| s.to_string();
    vec![
        ("SPF001", r("v=spf1mx -all"), "v=spf1mx", 0, r("v=spf1 mx -all")),
        ("SPF002", r(" v=spf1 mx -all"), " ", 0, r("v=spf1 mx -all")),
        ("SPF003", r("v=spf1"), "v=spf1", 0, r("v=spf1 -all")),
        ("SPF004", r("v=spf1 -all:foobar"), ":foobar", 11, r("v=spf1 -all")),
        (
            "SPF005",
            r("v=spf1 inlcude:_spf.example.com -all"),
            "inlcude",
            7,
            r("v=spf1 include:_spf.example.com -all"),
        ),
        (
            "SPF006",
            r("v=spf1 include=_spf.example.com -all"),
            "=",
            14,
            r("v=spf1 include:_spf.example.com -all"),
        ),
        (
            "SPF007",
            r("v=spf1 ip4:192.0.2.1, -all"),
            ",",
            20,
            r("v=spf1 ip4:192.0.2.1 -all"),
        ),
        (
            "SPF008",
            r("v=spf1 exists:%(ir).bl.example.com -all"),
            "%(",
            14,
            r("v=spf1 exists:%{ir}.bl.example.com -all"),
        ),
        (
            "SPF009",
            r("v=spf1 ip4:192.0.2.0/33 -all"),
            "/33",
            20,
            r("v=spf1 ip4:192.0.2.0/24 -all"),
        ),
        (
            "SPF010",
            r("v=spf1 ip4:192.0.2 -all"),
            "192.0.2",
            11,
            r("v=spf1 ip4:192.0.2.0 -all"),
        ),
        (
            "SPF011",
            r("v=spf1 ip4:%{i} -all"),
            "%{i}",
            11,
            r("v=spf1 exists:%{i}.allow.example.com -all"),
        ),
        (
            "SPF012",
            r("v=spf1 a:192.0.2.1 -all"),
            "192.0.2.1",
            9,
            r("v=spf1 a:mail.example.com -all"),
        ),
        (
            "SPF013",
            r("v=spf1 a:mail.example.com \u{2013}all"),
            "\u{2013}",
            26,
            r("v=spf1 a:mail.example.com -all"),
        ),
        (
            "SPF014",
            r("v=spf1 ip4:192.0.2.5\n include:_spf.example.com ~all"),
            "\n",
            20,
            r("v=spf1 ip4:192.0.2.5 include:_spf.example.com ~all"),
        ),
        (
            "SPF015",
            r("v=spf1 mx redirect=a.example.com redirect=b.example.com"),
            "redirect=b.example.com",
            33,
            r("v=spf1 mx redirect=a.example.com"),
        ),
        (
            "SPF016",
            r("v=spf1 -all include:_spf.example.com"),
            "include:_spf.example.com",
            12,
            r("v=spf1 include:_spf.example.com -all"),
        ),
        (
            "SPF017",
            r("v=spf1 mx redirect=_spf.example.com ~all"),
            "redirect=_spf.example.com",
            10,
            r("v=spf1 mx redirect=_spf.example.com"),
        ),
        (
            "SPF018",
            r("v=spf1 ptr:example.com -all"),
            "ptr:example.com",
            7,
            r("v=spf1 ip4:192.0.2.0/24 -all"),
        ),
        ("SPF019", r("v=spf1 mx +all"), "+all", 10, r("v=spf1 mx -all")),
        ("SPF019", r("v=spf1 mx all"), "all", 10, r("v=spf1 mx ~all")),
        // A pass for every address, written as a zero-length prefix.
        (
            "SPF019",
            r("v=spf1 ip4:0.0.0.0/0 -all"),
            "ip4:0.0.0.0/0",
            7,
            r("v=spf1 -ip4:0.0.0.0/0 ip4:192.0.2.0/24 -all"),
        ),
        (
            "SPF019",
            r("v=spf1 ip6:::/0 -all"),
            "ip6:::/0",
            7,
            r("v=spf1 ip6:2001:db8::/32 -all"),
        ),
        ("SPF019", r("v=spf1 a/0 -all"), "a/0", 7, r("v=spf1 a/32 -all")),
        ("SPF019", r("v=spf1 mx//0 -all"), "mx//0", 7, r("v=spf1 ~mx//0 -all")),
        ("SPF020", r("v=spf1 mx ?all"), "?all", 10, r("v=spf1 mx ~all")),
        ("SPF021", r("v=spf1 mx"), "", 9, r("v=spf1 mx -all")),
        ("SPF022", over450, "", 0, under450),
        ("SPF023", over512, "", 0, under512),
        ("SPF024", over255, "", 0, under255),
        (
            "SPF025",
            r("v=spf1 mx default=deny -all"),
            "default",
            10,
            r("v=spf1 mx -all"),
        ),
        (
            "SPF026",
            r(&format!("v=spf1{} -all", " a".repeat(11))),
            "",
            7,
            r(&format!("v=spf1{} -all", " a".repeat(10))),
        ),
        (
            "SPF028",
            r("v=spf1 mx:example..com -all"),
            "..",
            17,
            r("v=spf1 mx:example.com. -all"),
        ),
        ("SPF029", r("v=spf1 mx ~ all"), " ", 11, r("v=spf1 mx ~all")),
    ]
}

/// A space inside a term is one problem at the space, however many pieces it makes; pieces
/// that are each valid terms are left as the separate terms they are.
#[test]
fn a_space_inside_a_term_is_one_diagnostic_at_the_space() {
    for (record, gap, fix) in [
        ("v=spf1 ~ all", " ", "~all"),
        ("v=spf1 - all", " ", "-all"),
        ("v=spf1 include: _spf.example.com -all", " ", "include:_spf.example.com"),
        (
            "v=spf1 include : _spf.example.com -all",
            " : ",
            "include:_spf.example.com",
        ),
        ("v=spf1 ip4 :192.0.2.1 -all", " ", "ip4:192.0.2.1"),
        ("v=spf1 a /24 -all", " ", "a/24"),
        ("v=spf1 ip4:192.0.2.0/ 24 -all", " ", "ip4:192.0.2.0/24"),
        ("v=spf1 mx redirect= _spf.example.com", " ", "redirect=_spf.example.com"),
        ("v=spf1 exp= explain.example.com -all", " ", "exp=explain.example.com"),
    ] {
        let parsed = parse(record);
        assert_eq!(parsed.diagnostics.len(), 1, "{record}: {:#?}", parsed.diagnostics);
        let d = &parsed.diagnostics[0];
        assert_eq!(d.code, "SPF029", "{record}: {d:#?}");
        assert_eq!(record.get(d.span.start..d.span.end), Some(gap), "{record}: {d:#?}");
        assert_eq!(d.help, format!("remove the space: `{fix}`"), "{record}");
        assert!(parsed.value.permerror.is_some(), "{record}: receivers see a permerror");
    }
    // Each piece valid as it stands: an empty unknown modifier, then `-all`.
    let parsed = parse("v=spf1 foo= -all");
    assert!(
        parsed.diagnostics.iter().all(|d| d.code != "SPF029"),
        "{:#?}",
        parsed.diagnostics
    );
    assert!(parsed.value.permerror.is_none());
    // Pieces that do not make a term when joined keep their own diagnostics.
    let parsed = parse("v=spf1 include: bad..name/% -all");
    assert!(
        parsed.diagnostics.iter().all(|d| d.code != "SPF029"),
        "{:#?}",
        parsed.diagnostics
    );
}

/// Non-ASCII characters are named, and the help gives the term as it was meant.
#[test]
fn non_ascii_characters_are_named_with_the_intended_term() {
    for (record, message, help) in [
        (
            "v=spf1 a:mail.example.com \u{2013}all",
            "a typographic dash `\u{2013}` (U+2013) in term",
            "retype it in plain ASCII: `-all`",
        ),
        (
            "v=spf1 ip4:192.0.2.1\u{a0}-all",
            "a non-breaking or typographic space `\u{a0}` (U+00A0) in term",
            "retype it in plain ASCII: `ip4:192.0.2.1 -all`",
        ),
        (
            "v=spf1 \u{ef}nclude:_spf.example.com -all",
            "a non-ASCII letter `\u{ef}` (U+00EF) in term",
            "retype it in plain ASCII: `include:_spf.example.com`",
        ),
        (
            "v=spf1 a:\u{201c}mail.example.com\u{201d} -all",
            "a typographic quote `\u{201c}` (U+201C) in term",
            "retype it in plain ASCII: `a:mail.example.com`",
        ),
        (
            "v=spf1 include:ex\u{e4}mple.com -all",
            "a non-ASCII letter `\u{e4}` (U+00E4) in term",
            "SPF records are ASCII only: write the internationalised domain in its A-label form (`xn--...`)",
        ),
        (
            "\u{feff}v=spf1 -all",
            "an invisible character (U+FEFF) before v=spf1",
            "remove it: receivers skip a record that does not begin with v=spf1",
        ),
    ] {
        let parsed = parse(record);
        assert_eq!(parsed.diagnostics.len(), 1, "{record}: {:#?}", parsed.diagnostics);
        let d = &parsed.diagnostics[0];
        assert_eq!(
            (d.code, d.message.as_ref(), d.help.as_ref()),
            ("SPF013", message, help),
            "{record}"
        );
    }
}

#[test]
fn target_names_dns_cannot_ask_for_are_flagged_where_they_break() {
    let long = "a".repeat(64);
    let cases = [
        (
            "v=spf1 include:.example.com -all",
            15,
            16,
            "remove the extra dot: `example.com`",
        ),
        (
            "v=spf1 a:mail.example...com/24 -all",
            21,
            23,
            "remove the extra dot: `mail.example.com`",
        ),
        (
            "v=spf1 redirect=_spf..example.com",
            20,
            22,
            "remove the extra dot: `_spf.example.com`",
        ),
    ];
    for (record, start, end, help) in cases {
        let parsed = parse(record);
        assert_eq!(parsed.diagnostics.len(), 1, "{record}: {:#?}", parsed.diagnostics);
        let d = &parsed.diagnostics[0];
        assert_eq!(
            (d.code, d.span, d.help.as_ref()),
            ("SPF028", Span::new(start, end), help),
            "{record}"
        );
        // Valid syntax: the record still evaluates (RFC 7208 leaves the result open).
        assert!(parsed.value.permerror.is_none(), "{record}");
    }
    let record = format!("v=spf1 exists:{long}.example.com -all");
    let parsed = parse(&record);
    assert_eq!(parsed.diagnostics.len(), 1, "{:#?}", parsed.diagnostics);
    assert_eq!(
        (parsed.diagnostics[0].code, parsed.diagnostics[0].span),
        ("SPF028", Span::new(14, 78))
    );
    let name = vec!["abcdefghi"; 26].join(".") + ".com";
    assert!(name.len() > 253);
    let parsed = parse_txt(&[
        b"v=spf1 include:",
        &name.as_bytes()[..200],
        &name.as_bytes()[200..],
        b" -all",
    ]);
    assert_eq!(
        parsed.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["SPF028"]
    );
    // Names at the limits, and macros (checked only after expansion), are fine.
    let name = vec!["abcdefghi"; 24].join(".") + ".example.com";
    for record in [
        format!("v=spf1 include:{}.example.com -all", "a".repeat(63)),
        format!("v=spf1 include:{name}. -all"),
        "v=spf1 exists:%{i}._spf.%{d} -all".to_string(),
    ] {
        let parsed = parse(&record);
        assert!(
            parsed.diagnostics.iter().all(|d| d.code != "SPF028"),
            "{record}: {:#?}",
            parsed.diagnostics
        );
    }
}

/// Records over 255 bytes are given as TXT strings of at most 255 bytes, as DNS delivers
/// them, except for the rule about the string length itself.
fn parse_as_published(code: &str, record: &str) -> sendercheck::diag::Parsed<sendercheck::parse::spf::SpfRecord> {
    if code == "SPF024" {
        return parse(record);
    }
    let chunks: Vec<&[u8]> = record.as_bytes().chunks(255).collect();
    parse_txt(&chunks)
}

#[test]
fn every_rule_has_a_triggering_and_a_close_record() {
    let mut covered: Vec<&str> = Vec::new();
    for (code, record, text, start, close) in cases() {
        let parsed = parse_as_published(code, &record);
        let found: Vec<_> = parsed.diagnostics.iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "{code} on {record:?}: {:#?}", parsed.diagnostics);
        // Only the one finding: one problem gives one diagnostic.
        assert_eq!(
            parsed.diagnostics.len(),
            1,
            "{code} on {record:?}: {:#?}",
            parsed.diagnostics
        );
        let span = found[0].span;
        match (code, text) {
            // Size and lookup-count rules span the whole record or all its terms.
            ("SPF022" | "SPF023" | "SPF024", _) => {
                assert_eq!(span, Span::new(0, record.len()), "{code}")
            }
            ("SPF026", _) => assert_eq!(span, Span::new(start, record.len()), "{code}"),
            _ => {
                assert_eq!(span, Span::new(start, start + text.len()), "{code} on {record:?}");
                assert_eq!(record.get(span.start..span.end), Some(text), "{code}");
            }
        }
        assert!(!found[0].message.ends_with('.'), "{code}: message ends with a period");
        assert!(!found[0].help.is_empty(), "{code}: no help");
        let close_parsed = parse_as_published(code, &close);
        assert!(
            close_parsed.diagnostics.iter().all(|d| d.code != code),
            "{code} fires on the close record {close:?}: {:#?}",
            close_parsed.diagnostics
        );
        covered.push(code);
    }

    // SPF027 is raised by checks that find a type-99 record, never by the parser.
    let d = type_record_diagnostic("v=spf1 mx -all");
    assert_eq!((d.code, d.span), ("SPF027", Span::new(0, 14)));
    covered.push("SPF027");

    for rule in RULES {
        assert!(covered.contains(&rule.code), "rule {} has no fixture", rule.code);
    }
}

#[test]
fn typo_suggestions_name_the_fix() {
    for (record, fix) in [
        ("v=spf1 inlcude:_spf.example.com -all", "include:_spf.example.com"),
        ("v=spf1 ip:192.0.2.1 -all", "ip4:192.0.2.1"),
        ("v=spf1 ipv4:192.0.2.1 -all", "ip4:192.0.2.1"),
        ("v=spf1 ipv6:2001:db8::1 -all", "ip6:2001:db8::1"),
        ("v=spf1 ip4=192.0.2.1 -all", "ip4:192.0.2.1"),
        ("v=spf1 mx redirect:_spf.example.com", "redirect=_spf.example.com"),
        ("v=spf1 ip4:192.0.2.1:25 -all", "ip4:192.0.2.1"),
        ("v=spf1 a:192.0.2.1 -all", "ip4:192.0.2.1"),
        (
            "v=spf1 ip4:192.0.2.1;include:_spf.example.com -all",
            "ip4:192.0.2.1 include:_spf.example.com",
        ),
        // The qualifier stays in the fix.
        ("v=spf1 mx -al", "write `-all`"),
        ("v=spf1 mx ~alll", "write `~all`"),
        // Quotes left over from a zone file or dig's output.
        ("v=spf1 mx -all\"", "remove the quote: `-all`"),
        (
            "\"v=spf1 mx -all",
            "remove the quotes, which are not part of the record: `v=spf1 mx -all`",
        ),
        // A space or a wrong separator where the `:` of a mechanism belongs: one finding.
        (
            "v=spf1 include _spf.example.com -all",
            "write `include:_spf.example.com`",
        ),
        ("v=spf1 ip4 192.0.2.0/24 -all", "write `ip4:192.0.2.0/24`"),
        ("v=spf1 ~ip6 2001:db8::/32 -all", "write `~ip6:2001:db8::/32`"),
        ("v=spf1 include;amazonses.com -all", "write `include:amazonses.com`"),
        ("v=spf1 include.amazonses.com -all", "write `include:amazonses.com`"),
        // Both cidr lengths with one `/`: the IPv6 one takes `//`.
        (
            "v=spf1 mx:mail.example.com/24/64 -all",
            "write `mx:mail.example.com/24//64`",
        ),
        ("v=spf1 a/24/64 -all", "write `a/24//64`"),
        // Stray characters around `all`, and doubled qualifiers: never `+all` as the fix.
        ("v=spf1 mx *all", "write `-all`"),
        ("v=spf1 mx all-", "write `-all`"),
        ("v=spf1 mx +-all", "keep one: `-all`"),
        ("v=spf1 mx --all", "keep one: `-all`"),
        // Separators between several terms: one finding, the whole record as the fix.
        ("v=spf1 mx; a; ip4:192.0.2.1; -all", "`v=spf1 mx a ip4:192.0.2.1 -all`"),
        (
            "v=spf1 ip4:192.0.2.1,192.0.2.2 -all",
            "`v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 -all`",
        ),
        ("v=spf1 mx \t -all", "`v=spf1 mx -all`"),
        ("v=spf1\tmx -all", "write `v=spf1 mx -all`"),
        ("v=spf1\u{a0}mx -all", "write `v=spf1 mx -all`"),
        // Names that are no host names, and ports.
        (
            "v=spf1 include:_spf.example.com,include:_spf.example.net -all",
            "`include:_spf.example.com include:_spf.example.net`",
        ),
        (
            "v=spf1 include:_spf.example.com;_spf.example.net -all",
            "`include:_spf.example.com include:_spf.example.net`",
        ),
        (
            "v=spf1 include:postmaster@example.com -all",
            "write `include:example.com`",
        ),
        (
            "v=spf1 include:https://example.com/spf -all",
            "write `include:example.com`",
        ),
        ("v=spf1 a:mail.example.com:25 -all", "write `a:mail.example.com`"),
        // A misspelt redirect loses the policy: a warning that names it, nothing more.
        ("v=spf1 redirec=_spf.example.com", "write `redirect=_spf.example.com`"),
        // The version missing, or another kind of record.
        (
            "include:_spf.example.com ~all",
            "write `v=spf1 include:_spf.example.com ~all`",
        ),
        ("v=DMARC1; p=reject", "an SPF record starts with `v=spf1 `"),
        // DMARC-style separators after the version.
        ("v=spf1; mx; -all", "write `v=spf1 mx -all`"),
        ("v=spf1,mx,-all", "write `v=spf1 mx -all`"),
    ] {
        let parsed = parse(record);
        assert_eq!(parsed.diagnostics.len(), 1, "{record}: {:#?}", parsed.diagnostics);
        assert!(
            parsed.diagnostics[0].help.contains(fix),
            "{record}: help {:?}",
            parsed.diagnostics[0].help
        );
    }
}

#[test]
fn case_and_spacing_are_fine() {
    for record in ["V=SPF1 MX -ALL", "v=spf1  mx   -all", "v=spf1 mx -all ", "v=SpF1 ~all"] {
        let parsed = parse(record);
        assert!(parsed.diagnostics.is_empty(), "{record}: {:#?}", parsed.diagnostics);
    }
}

#[test]
fn record_detection_follows_rfc_7208_4_5() {
    assert!(is_spf_record("v=spf1"));
    assert!(is_spf_record("V=SPF1 -all"));
    assert!(!is_spf_record("v=spf1x -all"));
    assert!(!is_spf_record("v=spf10"));
    assert!(!is_spf_record(" v=spf1 -all"));
    assert!(!is_spf_record("spf1 -all"));
}

#[test]
fn txt_strings_are_joined_and_checked() {
    let long = vec![b'a'; 256];
    let parsed = parse_txt(&[b"v=spf1 ip4:", b"192.0.2.5 -all"]);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let parsed = parse_txt(&[b"v=spf1 ", &long]);
    let d = parsed.diagnostics.iter().find(|d| d.code == "SPF024").unwrap();
    assert_eq!((d.span, d.severity), (Span::new(7, 263), Severity::Error));
    let parsed = parse_txt(&[b"v=spf1 a:\xff\xfe.example.com -all"]);
    assert_eq!(parsed.diagnostics[0].code, "SPF013");
    assert_eq!(parsed.diagnostics[0].span, Span::new(9, 11));
}

#[test]
fn corpus_parses_without_panics_and_errors_only_on_broken_records() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/testsuites/corpus/spf-records.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut by_code: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut permerrors = 0;
    let mut lines = 0;
    for line in text.lines() {
        lines += 1;
        let parsed = parse(line);
        if parsed.value.permerror.is_some() || !is_spf_record(line) {
            permerrors += 1;
        }
        for d in parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            // An error finding must mean a record receivers reject or ignore (permerror, not
            // SPF), or a policy that is broken by intent though valid to the grammar: `+all`
            // authorises everyone, `include=` is silently ignored, more than 10 lookups in
            // one record always ends in permerror. Inspected (SPF_CORPUS_ALL=1 prints them):
            // the permerror records are the suites' deliberate errors, blitirispf's and
            // mail-auth's dotless names (`include:d11`, `mx:domain`, which the domain-spec
            // grammar rejects), and the synthetic broken ones (`ip4:999.…`, `/33/16`, `~al`,
            // `include;`, duplicate redirect). SPF028 flags the suite's `a:mail.example...com`,
            // valid to the grammar but no name DNS can ask for.
            let broken = parsed.value.permerror.is_some()
                || !is_spf_record(line)
                || matches!(d.code, "SPF019" | "SPF006" | "SPF026" | "SPF028");
            assert!(broken, "error {} on a sound record {line:?}: {}", d.code, d.message);
            by_code.entry(d.code).or_default().push(line.to_string());
        }
    }
    for (code, records) in &by_code {
        println!("{code}: {} records, e.g. {:?}", records.len(), records.first());
        if std::env::var_os("SPF_CORPUS_ALL").is_some() {
            for r in records {
                println!("    {r}");
            }
        }
    }
    println!("{permerrors} of {lines} records are permerror or not SPF");
    assert_eq!(lines, 1000);
    // The corpus has the suites' deliberately broken records and about 3% broken synthetic
    // ones; far more would mean the parser rejects sound records.
    assert!(permerrors < 150, "{permerrors} records rejected");
}

#[test]
fn mutated_records_never_panic() {
    // Deterministic byte mutations of tricky records, through both entry points.
    let seeds: [&[u8]; 6] = [
        b"v=spf1 a:%{ir}.%{l1r+-}._spf.%{d2} mx/24//64 ip6:2001:db8::/32 redirect=x.example -all",
        b"v=spf1 include:_spf.example.com exp=%{s}%%%_%- ip4:192.0.2.0/24 ~all",
        b"v=spf1 ptr:example.com exists:%{i}.%{v}.arpa ?all foo=bar",
        b"v=spf1 a:\xef\xbb\xbf.example.com \x96all\x00",
        b" v=spf1x",
        b"v=spf1 %{ %{z} %{d0} %{d99999999999r,} a//999 ip4:1.2.3.4/ ip6:/",
    ];
    let mut state: u64 = 7208;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut runs = 0;
    for seed in seeds {
        for _ in 0..300 {
            let mut bytes = seed.to_vec();
            for _ in 0..(next() % 4 + 1) {
                let at = next() % bytes.len().max(1);
                match next() % 3 {
                    0 if !bytes.is_empty() => {
                        bytes.remove(at);
                    }
                    1 => bytes.insert(at.min(bytes.len()), b"%{}:/=.- \xff"[next() % 10]),
                    _ => {
                        if let Some(b) = bytes.get_mut(at) {
                            *b = (next() % 256) as u8;
                        }
                    }
                }
            }
            let _ = parse_txt(&[&bytes]);
            let _ = parse(&String::from_utf8_lossy(&bytes));
            for cut in 0..bytes.len() {
                let _ = parse_txt(&[&bytes[..cut], &bytes[cut..]]);
            }
            runs += 1;
        }
    }
    assert_eq!(runs, 1800);
}

/// SPF026 counts the lookups a receiver makes: terms after `all` are never evaluated, and a
/// `redirect=` beside `all` is ignored (RFC 7208 §6.1), so neither counts toward the 10.
#[test]
fn lookup_count_leaves_out_terms_that_are_never_evaluated() {
    let includes: String = (b'a'..=b'i')
        .map(|c| format!(" include:{}.example", c as char))
        .collect();
    let count = |record: &str| parse(record).diagnostics.iter().filter(|d| d.code == "SPF026").count();
    // Nine includes and a: ten lookups, at the limit.
    assert_eq!(count(&format!("v=spf1 a{includes} -all")), 0);
    assert_eq!(count(&format!("v=spf1 a{includes} redirect=_spf.example.com -all")), 0);
    assert_eq!(count(&format!("v=spf1 a{includes} -all mx")), 0);
    // The same redirect without `all` is followed: eleven.
    assert_eq!(count(&format!("v=spf1 a{includes} redirect=_spf.example.com")), 1);
    assert_eq!(count(&format!("v=spf1 a mx{includes} -all")), 1);
}
