//! Zone text in, records and diagnostic codes out.

use std::net::Ipv4Addr;

use sendercheck::diag::{Severity, Span};
use sendercheck::dns::{RData, RecordType};
use sendercheck::parse::zone::{parse, Zone, ZoneType};

fn codes(text: &str, origin: Option<&str>) -> Vec<&'static str> {
    parse(text, origin).diagnostics.iter().map(|d| d.code).collect()
}

fn txt(zone: &Zone, name: &str) -> Vec<Vec<Vec<u8>>> {
    zone.records_of(name, RecordType::Txt)
        .map(|r| match &r.rdata {
            RData::Txt(strings) => strings.clone(),
            other => panic!("not txt: {other:?}"),
        })
        .collect()
}

#[test]
fn bind_file_with_origin_ttl_at_blank_owner_and_parentheses() {
    let text = "$ORIGIN Example.COM.\n$TTL 300\n@ IN SOA ns1 hostmaster (\n  2024010101 ; serial\n  7200 3600 1209600 3600 )\n  IN MX 10 mail\n  IN MX 20 mail.backup.net.\nmail 60 IN A 192.0.2.1\nwww CNAME @\n_dmarc IN TXT \"v=DMARC1; \" \"p=reject\"\n";
    let parsed = parse(text, None);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let zone = parsed.value;
    assert_eq!(zone.origin.as_deref(), Some("example.com"));
    assert_eq!(zone.records.len(), 6);
    let soa = &zone.records[0];
    assert_eq!(soa.owner, "example.com");
    assert_eq!(soa.ttl, 300);
    assert_eq!(
        soa.rdata,
        RData::Soa {
            mname: "ns1.example.com".into(),
            rname: "hostmaster.example.com".into(),
            serial: 2024010101
        }
    );
    assert_eq!(soa.line, 3);
    let mx: Vec<_> = zone
        .records_of("example.com.", RecordType::Mx)
        .map(|r| r.rdata.clone())
        .collect();
    assert_eq!(
        mx,
        vec![
            RData::Mx {
                preference: 10,
                exchange: "mail.example.com".into()
            },
            RData::Mx {
                preference: 20,
                exchange: "mail.backup.net".into()
            },
        ]
    );
    let a: Vec<_> = zone.records_of("MAIL.example.com", RecordType::A).collect();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].ttl, 60);
    assert_eq!(a[0].rdata, RData::A(Ipv4Addr::new(192, 0, 2, 1)));
    assert_eq!(
        zone.records_of("www.example.com", RecordType::Cname)
            .next()
            .unwrap()
            .rdata,
        RData::Cname("example.com".into())
    );
    assert_eq!(
        txt(&zone, "_dmarc.example.com"),
        vec![vec![b"v=DMARC1; ".to_vec(), b"p=reject".to_vec()]]
    );
}

#[test]
fn provider_forms() {
    // Trailing dot or not, IN left out, TTL after class, tabs, no origin at all.
    let text = "example.com\t3600\tIN\tMX\t10 mx.example.net\nexample.com. IN 300 TXT \"v=spf1 -all\"\nwww.example.com A 192.0.2.7\n";
    let parsed = parse(text, None);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let zone = parsed.value;
    assert_eq!(zone.records.len(), 3);
    assert_eq!(zone.records[0].owner, "example.com");
    assert_eq!(
        zone.records[0].rdata,
        RData::Mx {
            preference: 10,
            exchange: "mx.example.net".into()
        }
    );
    assert_eq!(zone.records[1].ttl, 300);
    assert_eq!(zone.records[2].owner, "www.example.com");
}

#[test]
fn default_origin_and_full_names_without_dot() {
    let text =
        "@ TXT \"a\"\nselector._domainkey TXT \"b\"\nexample.org TXT \"c\"\nmail.example.org MX 5 mail.example.org\n";
    let zone = parse(text, Some("example.org.")).value;
    let owners: Vec<_> = zone.records.iter().map(|r| r.owner.as_str()).collect();
    assert_eq!(
        owners,
        [
            "example.org",
            "selector._domainkey.example.org",
            "example.org",
            "mail.example.org"
        ]
    );
    assert_eq!(
        zone.records[3].rdata,
        RData::Mx {
            preference: 5,
            exchange: "mail.example.org".into()
        }
    );
}

#[test]
fn txt_escapes_and_unquoted_single_word() {
    let text = r#"a.test. TXT "say \"hi\" \\ \065\066" plain"#;
    let parsed = parse(text, None);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(
        txt(&parsed.value, "a.test"),
        vec![vec![br#"say "hi" \ AB"#.to_vec(), b"plain".to_vec()]]
    );
}

#[test]
fn zone001_bad_entry_reports_line_and_keeps_good_entries() {
    let text = "a.test. A 192.0.2.1\nb.test. A 300.1.1.1\nc.test. MX mail.test.\nd.test. A 192.0.2.4\n";
    let parsed = parse(text, None);
    let bad: Vec<_> = parsed.diagnostics.iter().filter(|d| d.code == "ZONE001").collect();
    assert_eq!(bad.len(), 2, "{:?}", parsed.diagnostics);
    assert!(bad[0].message.starts_with("line 2: "), "{}", bad[0].message);
    assert_eq!(&text[bad[0].span.start..bad[0].span.end], "b.test. A 300.1.1.1");
    assert!(bad[1].message.starts_with("line 3: "), "{}", bad[1].message);
    assert_eq!(&text[bad[1].span.start..bad[1].span.end], "c.test. MX mail.test.");
    let owners: Vec<_> = parsed.value.records.iter().map(|r| r.owner.as_str()).collect();
    assert_eq!(owners, ["a.test", "d.test"]);
    assert!(codes("c.test. MX 10 mail.test.", None).is_empty());
}

#[test]
fn zone002_unknown_type() {
    let text = "sel._domainkey.example.com. 3600 IN DKIM \"v=DKIM1; p=abc\"";
    let parsed = parse(text, None);
    assert_eq!(parsed.diagnostics.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.code, "ZONE002");
    assert_eq!(&text[d.span.start..d.span.end], "DKIM");
    assert!(d.help.contains("TXT"));
    assert!(parsed.value.records.is_empty());
    assert!(codes("sel._domainkey.example.com. 3600 IN TXT \"v=DKIM1; p=abc\"", None).is_empty());
    // Generic and less common types are known.
    let other = parse("x.test. TYPE65280 \\# 2 abcd\nx.test. CAA 0 issue \"ca.test\"", None);
    assert!(other.diagnostics.is_empty(), "{:?}", other.diagnostics);
    assert_eq!(other.value.records[0].rtype, ZoneType::Other(65280));
    assert_eq!(
        other.value.records[0].rdata,
        RData::Other {
            rtype: 65280,
            data: vec![0xab, 0xcd]
        }
    );
    assert_eq!(other.value.records[1].rtype, ZoneType::Other(257));
}

#[test]
fn zone003_cname_and_other_data() {
    let text = "mail.example.com. CNAME mail.provider.test.\nmail.example.com. TXT \"v=spf1 -all\"\n";
    let parsed = parse(text, None);
    let d: Vec<_> = parsed.diagnostics.iter().filter(|d| d.code == "ZONE003").collect();
    assert_eq!(d.len(), 1);
    assert_eq!(parsed.value.records.len(), 2);
    assert_eq!(
        &text[d[0].span.start..d[0].span.end],
        "mail.example.com. TXT \"v=spf1 -all\""
    );
    assert!(codes(
        "mail.example.com. CNAME mail.provider.test.\nexample.com. TXT \"v=spf1 -all\"\n",
        None
    )
    .is_empty());
    assert_eq!(codes("a.test. CNAME b.test.\na.test. CNAME c.test.", None), ["ZONE003"]);
}

#[test]
fn zone004_txt_string_too_long() {
    let long = "a".repeat(300);
    let text = format!("k.test. TXT \"{long}\"");
    let parsed = parse(&text, None);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, "ZONE004");
    assert_eq!(parsed.diagnostics[0].span.start, 12);
    assert_eq!(parsed.diagnostics[0].span.end, text.len());
    // Kept, split the way providers publish it.
    assert_eq!(
        txt(&parsed.value, "k.test"),
        vec![vec![vec![b'a'; 255], vec![b'a'; 45]]]
    );
    let ok = format!("k.test. TXT \"{}\" \"{}\"", &long[..255], &long[255..]);
    assert!(codes(&ok, None).is_empty());
}

#[test]
fn zone005_unquoted_txt_with_spaces() {
    let text = "example.com. 3600 IN TXT v=spf1 include:_spf.example.net  -all\n";
    let parsed = parse(text, None);
    assert_eq!(parsed.diagnostics.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.code, "ZONE005");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(&text[d.span.start..d.span.end], "v=spf1 include:_spf.example.net  -all");
    // What BIND publishes: one string per word, joined with nothing between.
    assert!(
        d.message.ends_with("published as `v=spf1include:_spf.example.net-all`"),
        "{}",
        d.message
    );
    assert_eq!(
        d.help,
        "quote it: `example.com. 3600 IN TXT \"v=spf1 include:_spf.example.net  -all\"`"
    );
    assert_eq!(
        txt(&parsed.value, "example.com"),
        vec![vec![
            b"v=spf1".to_vec(),
            b"include:_spf.example.net".to_vec(),
            b"-all".to_vec()
        ]]
    );
    // The value meant, which the record's own checks read.
    assert_eq!(
        parsed.value.records[0].intended,
        Some(vec![b"v=spf1 include:_spf.example.net  -all".to_vec()])
    );
    let quoted = parse(
        "example.com. 3600 IN TXT \"v=spf1 include:_spf.example.net -all\"",
        None,
    );
    assert!(quoted.diagnostics.is_empty());
    assert_eq!(quoted.value.records[0].intended, None);
    // One unquoted word is one string, as meant.
    assert!(codes("example.com. TXT v=spf1", None).is_empty());
}

#[test]
fn zone006_unterminated_quote_and_parenthesis() {
    let text = "a.test. TXT \"v=spf1 -all\nb.test. A 192.0.2.2\n";
    let parsed = parse(text, None);
    assert_eq!(
        parsed.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["ZONE006"]
    );
    assert_eq!(parsed.value.records.len(), 2, "the next line is still read");

    let text = "a.test. TXT ( \"x\"\nb.test. A 192.0.2.2\nc.test. A 192.0.2.3\n";
    let parsed = parse(text, None);
    assert_eq!(parsed.diagnostics[0].code, "ZONE006");
    assert_eq!(parsed.diagnostics[0].span.start, 12);
    let owners: Vec<_> = parsed.value.records.iter().map(|r| r.owner.as_str()).collect();
    assert_eq!(owners, ["a.test", "b.test", "c.test"]);

    assert_eq!(codes("a.test. A 192.0.2.1 )", None), ["ZONE006"]);
    assert!(codes("a.test. TXT ( \"x\"\n \"y\" )\n", None).is_empty());
}

#[test]
fn zone007_unsupported_directive() {
    assert_eq!(codes("$INCLUDE other.zone\na.test. A 192.0.2.1", None), ["ZONE007"]);
    assert_eq!(codes("$ORIGNI a.test.", None), ["ZONE007"]);
    assert!(codes("$ORIGIN a.test.\n$TTL 1h\n@ A 192.0.2.1", None).is_empty());
    assert_eq!(
        parse("$TTL 1h30m\na.test. A 192.0.2.1", None).value.records[0].ttl,
        5400
    );
}

#[test]
fn zone008_ttl_mismatch_and_zone009_duplicate() {
    assert_eq!(
        codes("a.test. 300 MX 10 m1.test.\na.test. 3600 MX 20 m2.test.", None),
        ["ZONE008"]
    );
    assert!(codes("a.test. 300 MX 10 m1.test.\na.test. 300 MX 20 m2.test.", None).is_empty());
    assert_eq!(codes("a.test. TXT \"x\"\na.test. TXT \"x\"", None), ["ZONE009"]);
    assert!(codes("a.test. TXT \"x\"\na.test. TXT \"y\"", None).is_empty());
}

#[test]
fn zone010_class_not_in() {
    assert_eq!(codes("a.test. 60 CH TXT \"x\"", None), ["ZONE010"]);
    assert!(codes("a.test. 60 in TXT \"x\"", None).is_empty());
}

#[test]
fn indented_line_without_owner() {
    let parsed = parse("  IN A 192.0.2.1", None);
    assert_eq!(parsed.diagnostics[0].code, "ZONE001");
    assert!(parsed.diagnostics[0].message.starts_with("line 1: "));
}

#[test]
fn never_panics_on_odd_input() {
    let samples = [
        "",
        "\n\n",
        "(",
        ")",
        "\"",
        "\\",
        "a.test. TXT \"\\",
        "a.test. TXT \\999",
        "é TXT é",
        "a.test. MX 99999 x.",
        "$ORIGIN",
        "$TTL",
        "@ A 1.2.3.4",
        "a.test. A\n",
        "a.test. TXT ( ( ) ",
        ";only comment",
        "a.test.. A 1.2.3.4",
        "a\\",
        "a.test. SOA ( a b 1 2 3 4 5 ) ( )",
        "a.test. 99999999999 A 1.2.3.4",
        "\u{feff}a.test. A 1.2.3.4",
    ];
    for sample in samples {
        let _ = parse(sample, None);
        let _ = parse(sample, Some("example.com"));
    }
    let bytes: Vec<u8> = (0u32..4000).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let text = String::from_utf8_lossy(&bytes);
    let _ = parse(&text, None);
}

/// The diagnostics of `text` as (code, text under the span).
fn located(text: &str, origin: Option<&str>) -> Vec<(&'static str, String)> {
    parse(text, origin)
        .diagnostics
        .iter()
        .map(|d| (d.code, text.get(d.span.start..d.span.end).unwrap_or("?").to_string()))
        .collect()
}

fn owners(text: &str) -> Vec<String> {
    parse(text, None)
        .value
        .records
        .iter()
        .map(|r| r.owner.clone())
        .collect()
}

#[test]
fn zone011_name_without_final_dot_under_origin() {
    // Read as BIND reads it, with a warning that the final dot is missing.
    let text = "$ORIGIN example.com.\n_dmarc.example.com IN TXT \"v=DMARC1; p=reject\"\n";
    let parsed = parse(text, None);
    assert_eq!(parsed.value.records[0].owner, "_dmarc.example.com.example.com");
    assert_eq!(located(text, None), [("ZONE011", "_dmarc.example.com".to_string())]);
    let d = &parsed.diagnostics[0];
    assert!(
        d.message
            .ends_with("BIND reads it as `_dmarc.example.com.example.com.`"),
        "{}",
        d.message
    );
    assert_eq!(
        d.help,
        "add the final dot: `_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"`"
    );
    // Relative, or with its dot: no warning. Case does not matter.
    for good in [
        "$ORIGIN example.com.\n_dmarc IN TXT \"v=DMARC1; p=reject\"\n",
        "$ORIGIN example.com.\n_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"\n",
        "$ORIGIN Example.COM.\n_DMARC.example.com. IN TXT \"v=DMARC1; p=reject\"\n",
    ] {
        assert!(codes(good, None).is_empty(), "{good}");
        assert_eq!(owners(good), ["_dmarc.example.com"]);
    }
    assert_eq!(
        located("$ORIGIN example.com.\nEXAMPLE.COM TXT \"x\"", None),
        [("ZONE011", "EXAMPLE.COM".to_string())]
    );
    // Names in the data: MX, CNAME, NS targets, the SOA names.
    let text = "$ORIGIN example.com.\n@ MX 10 mail.example.com\nwww CNAME web.example.com\n@ NS ns1.example.com.\n";
    assert_eq!(
        located(text, None),
        [
            ("ZONE011", "mail.example.com".to_string()),
            ("ZONE011", "web.example.com".to_string())
        ]
    );
    assert_eq!(
        parse(text, None).value.records[0].rdata,
        RData::Mx {
            preference: 10,
            exchange: "mail.example.com.example.com".into()
        }
    );
    assert!(codes("$ORIGIN example.com.\n@ MX 10 mail\nwww CNAME web.example.net.\n", None).is_empty());
    // Without a `$ORIGIN`, a provider's full names without the dot are read as full names.
    assert!(codes("_dmarc.example.com TXT \"v=DMARC1; p=reject\"", Some("example.com.")).is_empty());
    assert_eq!(
        owners("_dmarc.example.com TXT \"v=DMARC1; p=reject\""),
        ["_dmarc.example.com"]
    );
}

#[test]
fn zone011_origin_without_final_dot() {
    let text = "$ORIGIN example.com\nwww A 192.0.2.1\n";
    let parsed = parse(text, None);
    assert_eq!(located(text, None), [("ZONE011", "example.com".to_string())]);
    assert_eq!(parsed.diagnostics[0].help, "add the final dot: `$ORIGIN example.com.`");
    // Read as meant.
    assert_eq!(parsed.value.origin.as_deref(), Some("example.com"));
    assert_eq!(parsed.value.records[0].owner, "www.example.com");
    assert!(codes("$ORIGIN example.com.\nwww A 192.0.2.1\n", None).is_empty());
    // A relative `$ORIGIN` under an earlier one is BIND's way to write a subdomain.
    let text = "$ORIGIN example.com.\n$ORIGIN mail\n@ A 192.0.2.1\n";
    assert!(codes(text, None).is_empty());
    assert_eq!(owners(text), ["mail.example.com"]);
    // Under a default origin (the domain checked), it is relative to that.
    let zone = parse("$ORIGIN mail\n@ A 192.0.2.1\n", Some("example.com.")).value;
    assert_eq!(zone.records[0].owner, "mail.example.com");
    // Ending with the origin in force: the dot is missing.
    assert_eq!(
        codes("$ORIGIN example.com.\n$ORIGIN mail.example.com\n", None),
        ["ZONE011"]
    );
}

#[test]
fn zone001_owner_with_an_empty_label() {
    let text = "example.com.. IN TXT \"v=spf1 -all\"\nwww.example.com. A 192.0.2.1\n";
    let parsed = parse(text, None);
    assert_eq!(located(text, None), [("ZONE001", "example.com..".to_string())]);
    assert!(parsed.diagnostics[0].message.ends_with("empty label"));
    assert_eq!(
        parsed.diagnostics[0].help,
        "remove the extra dot: `example.com. IN TXT \"v=spf1 -all\"`"
    );
    assert_eq!(owners(text), ["www.example.com"]);
    assert_eq!(codes("a..example.com. A 192.0.2.1", None), ["ZONE001"]);
    assert_eq!(codes("$ORIGIN example..com.", None), ["ZONE001"]);
    assert!(codes("example.com. IN TXT \"v=spf1 -all\"", None).is_empty());
}

#[test]
fn zone012_txt_value_cut_by_a_comment() {
    let text = "_dmarc.example.com. TXT v=DMARC1; p=none\n";
    let parsed = parse(text, None);
    assert_eq!(located(text, None), [("ZONE012", "; p=none".to_string())]);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.ends_with("the txt value ends at `v=DMARC1`"), "{}", d.message);
    assert_eq!(
        d.help,
        "put the whole value in quotes: `_dmarc.example.com. TXT \"v=DMARC1; p=none\"`"
    );
    // Published as cut; meant as the whole line.
    assert_eq!(
        txt(&parsed.value, "_dmarc.example.com"),
        vec![vec![b"v=DMARC1".to_vec()]]
    );
    assert_eq!(
        parsed.value.records[0].intended,
        Some(vec![b"v=DMARC1; p=none".to_vec()])
    );
    // The closing quote in the wrong place.
    let text = "_dmarc.example.com. TXT \"v=DMARC1\"; p=reject\n";
    assert_eq!(located(text, None), [("ZONE012", "; p=reject".to_string())]);
    assert_eq!(
        parse(text, None).value.records[0].intended,
        Some(vec![b"v=DMARC1; p=reject".to_vec()])
    );
    // A `;` touching an unquoted value.
    assert_eq!(codes("example.com. TXT v=spf1;-all", None), ["ZONE012"]);
    // Comments that are comments.
    for good in [
        "_dmarc.example.com. TXT \"v=DMARC1; p=none\" ; reports go to the team",
        "_dmarc.example.com. TXT \"v=DMARC1; p=none\"; changed 2024-01-01",
        "example.com. TXT verification-token ; added by the CMS",
        "example.com. MX 10 mail.example.com. ; p=x",
        "example.com. TXT \"v=spf1 -all\" ; note=moved to the new provider",
        "example.com. TXT v=spf1 ; updated=2024",
    ] {
        assert!(codes(good, None).is_empty(), "{good}");
    }
}

#[test]
fn txt_mistakes_are_checked_as_meant_not_as_a_cascade() {
    use sendercheck::parse::analyze::{analyze, RecordKind};
    // Cut by the comment, the DMARC record would have no policy (DMARC020): it is read as meant.
    let result = analyze("_dmarc TXT v=DMARC1; p=reject", None);
    let all: Vec<&str> = result.all_diagnostics().map(|d| d.code).collect();
    assert_eq!(all, ["ZONE012"]);
    assert_eq!(result.records[0].kind, RecordKind::Dmarc);
    assert_eq!(result.records[0].text, "v=DMARC1; p=reject");
    // Unquoted with spaces: an error saying what is published; the record meant is checked.
    let result = analyze("example.com. IN TXT v=spf1 inlcude:x.example -all", None);
    let all: Vec<&str> = result.all_diagnostics().map(|d| d.code).collect();
    assert_eq!(all, ["ZONE005", "SPF005"]);
    // A join without its space: no SPF021 for the `all` that the join swallowed.
    let result = analyze("example.com. IN TXT \"v=spf1 include:_spf.google.com\" \"-all\"", None);
    let all: Vec<&str> = result.all_diagnostics().map(|d| d.code).collect();
    assert_eq!(all, ["ZONE015"]);
    assert_eq!(result.records[0].text, "v=spf1 include:_spf.google.com -all");
}

#[test]
fn zone015_txt_join_without_separator() {
    let text = "example.com. IN TXT \"v=spf1 include:_spf.google.com\" \"-all\"\n";
    let parsed = parse(text, None);
    assert_eq!(located(text, None), [("ZONE015", "\" \"".to_string())]);
    let d = &parsed.diagnostics[0];
    assert!(
        d.message.contains("`include:_spf.google.com-all` is one term"),
        "{}",
        d.message
    );
    assert_eq!(
        d.help,
        "end the first string with a space: `example.com. IN TXT \"v=spf1 include:_spf.google.com \" \"-all\"`"
    );
    // Published as written, meant with the space.
    assert_eq!(
        parsed.value.records[0].intended,
        Some(vec![b"v=spf1 include:_spf.google.com ".to_vec(), b"-all".to_vec()])
    );
    // DMARC and DKIM joins miss a `;`.
    let text = "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\" \"rua=mailto:d@example.com\"";
    let parsed = parse(text, None);
    assert_eq!(codes(text, None), ["ZONE015"]);
    assert!(parsed.diagnostics[0]
        .message
        .contains("`p=rejectrua=mailto:d@example.com`"));
    assert!(parsed.diagnostics[0].help.contains("\"v=DMARC1; p=reject; \" \"rua="));
    assert_eq!(codes("x.example.com. TXT \"v=spf1\" \"mx -all\"", None), ["ZONE015"]);
    assert_eq!(
        codes("_dmarc.example.com. TXT \"v=DMARC1\" \"p=none\"", None),
        ["ZONE015"]
    );
    // On the line of the join, in a record over several lines.
    let text = "sel._domainkey.example.com. TXT ( \"v=DKIM1; k=ed25519\"\n  \"p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\" )";
    let parsed = parse(text, None);
    assert_eq!(codes(text, None), ["ZONE015"]);
    assert!(parsed.diagnostics[0].message.starts_with("line 1: "));
    // Joins that are right as they are.
    for good in [
        "example.com. IN TXT \"v=spf1 include:_spf.google.com \" \"-all\"",
        "example.com. IN TXT \"v=spf1 include:_spf.goo\" \"gle.com -all\"",
        "_dmarc.example.com. IN TXT \"v=DMARC1; \" \"p=reject\"",
        "_dmarc.example.com. IN TXT \"v=DMARC1;\" \"p=reject\"",
        "sel._domainkey.example.com. TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyW\" \"QHOg7hcvPapiMlrwIaaPcHURo=\"",
        // A problem a separator would not fix is not blamed on the join.
        "example.com. IN TXT \"v=spf1 inlcude:_spf.goo\" \"gle.com -all\"",
        "example.com. IN TXT \"some\" \"verification\"",
    ] {
        assert!(codes(good, None).is_empty(), "{good}: {:?}", codes(good, None));
    }
}

#[test]
fn several_spf_or_dmarc_records_at_one_name() {
    // Names differ only in case: one name.
    let text = "example.com. IN TXT \"v=spf1 -all\"\nEXAMPLE.COM. IN TXT \"v=spf1 mx -all\"\n";
    let parsed = parse(text, None);
    assert_eq!(codes(text, None), ["SPF102"]);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(
        &text[d.span.start..d.span.end],
        "EXAMPLE.COM. IN TXT \"v=spf1 mx -all\""
    );
    assert_eq!(
        d.related.map(|r| &text[r.start..r.end]),
        Some("example.com. IN TXT \"v=spf1 -all\"")
    );
    assert!(d.message.starts_with("line 2: "));
    let text = "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"\n_dmarc.example.com. IN TXT \"v=dmarc1; p=none\"\n";
    assert_eq!(codes(text, None), ["DMARC102"]);
    assert!(parse(text, None).diagnostics[0].related.is_some());
    for good in [
        // One SPF record beside other TXT records; SPF records at two names.
        "example.com. IN TXT \"v=spf1 -all\"\nexample.com. IN TXT \"google-site-verification=abc\"\n",
        "example.com. IN TXT \"v=spf1 -all\"\nwww.example.com. IN TXT \"v=spf1 -all\"\n",
        // `v=spf10` is not SPF.
        "example.com. IN TXT \"v=spf1 -all\"\nexample.com. IN TXT \"v=spf10 -all\"\n",
        "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"\n_dmarc.example.com. IN TXT \"some-verification=abc123\"\n",
    ] {
        assert!(codes(good, None).is_empty(), "{good}: {:?}", codes(good, None));
    }
    // A copy is a duplicate that DNS drops, not a second record.
    assert_eq!(
        codes(
            "example.com. TXT \"v=spf1 -all\"\nexample.com. TXT \"v=spf1 -all\"",
            None
        ),
        ["ZONE009"]
    );
    // The obsolete type 99 is not one of the TXT records receivers read.
    assert_eq!(
        codes(
            "example.com. TXT \"v=spf1 -all\"\nexample.com. SPF \"v=spf1 mx -all\"",
            None
        ),
        ["SPF027"]
    );
}

#[test]
fn spf027_obsolete_type_99() {
    let text = "example.com. IN SPF \"v=spf1 -all\"";
    let parsed = parse(text, None);
    assert_eq!(located(text, None), [("SPF027", "SPF".to_string())]);
    assert!(parsed.diagnostics[0]
        .help
        .ends_with("`example.com. IN TXT \"v=spf1 -all\"`"));
    assert_eq!(parsed.value.records[0].rtype, ZoneType::Known(RecordType::Spf));
    assert!(codes("example.com. IN TXT \"v=spf1 -all\"", None).is_empty());
}

#[test]
fn zone013_dmarc_and_zone014_dkim_key_at_the_wrong_name() {
    let text = "example.com. IN TXT \"v=DMARC1; p=reject\"";
    let parsed = parse(text, None);
    assert_eq!(codes(text, None), ["ZONE013"]);
    assert_eq!(
        parsed.diagnostics[0].help,
        "publish it at `_dmarc.example.com.`: `_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"`"
    );
    assert_eq!(codes("dmarc.example.com. TXT \"v=DMARC1; p=none\"", None), ["ZONE013"]);
    let key = "\"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"";
    for bad in [
        "example.com.",
        "_domainkey.example.com.",
        "selector1.domainkey.example.com.",
    ] {
        assert_eq!(codes(&format!("{bad} TXT {key}"), None), ["ZONE014"], "{bad}");
    }
    let parsed = parse(&format!("$ORIGIN example.com.\n@ 300 TXT {key}"), None);
    assert!(
        parsed.diagnostics[0]
            .help
            .ends_with(&format!("`selector1._domainkey.example.com. 300 TXT {key}`")),
        "{}",
        parsed.diagnostics[0].help
    );
    for good in [
        "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"".to_string(),
        "_dmarc.sub.example.com. IN TXT \"v=DMARC1; p=reject\"".to_string(),
        // A report authorization (RFC 9990) lives under `_report._dmarc`.
        "example.com._report._dmarc.example.net. IN TXT \"v=DMARC1\"".to_string(),
        format!("selector1._domainkey.example.com. TXT {key}"),
        format!("a.b._domainkey.example.com. TXT {key}"),
        "example.com. IN TXT \"v=spf1 -all\"".to_string(),
    ] {
        assert!(codes(&good, None).is_empty(), "{good}: {:?}", codes(&good, None));
    }
}

#[test]
fn unrelated_txt_at_dmarc_is_not_a_dmarc_record() {
    use sendercheck::parse::analyze::{analyze, RecordKind};
    let text =
        "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"\n_dmarc.example.com. IN TXT \"some-verification=abc123\"\n";
    let result = analyze(text, None);
    assert_eq!(result.all_diagnostics().count(), 0, "{:?}", result.records);
    assert_eq!(result.records.len(), 1);
    // Broken DMARC records are still DMARC: a version typo, a policy without `v=`, SPF there.
    for attempt in ["v=DMRAC1; p=reject", "p=reject", "v=spf1 -all", "DMARC1; p=reject"] {
        let result = analyze(&format!("_dmarc.example.com. IN TXT \"{attempt}\""), None);
        assert_eq!(result.records.len(), 1, "{attempt}");
        assert_eq!(result.records[0].kind, RecordKind::Dmarc);
        assert!(
            result.records[0]
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error),
            "{attempt}"
        );
    }
}

#[test]
fn record_spans_map_back_to_the_text() {
    let text = "sel._domainkey.example.com. TXT ( \"v=DKIM1; \"\n  \"k=rsa\" \"\" \"\\065\" )";
    let zone = parse(text, None).value;
    let record = &zone.records[0];
    let joined = "v=DKIM1; k=rsa".len();
    let map = |start, end| record.text_span(Span::new(start, end)).map(|s| &text[s.start..s.end]);
    assert_eq!(map(0, 7), Some("v=DKIM1"));
    // A span over a join maps from its start to its end, across the quotes.
    assert_eq!(map(3, 11), Some("KIM1; \"\n  \"k="));
    assert_eq!(map(9, joined), Some("k=rsa"));
    // At a join, a start belongs to the second string and an end to the first.
    assert_eq!(map(9, 9), Some(""));
    assert_eq!(record.text_span(Span::point(9)).map(|s| s.start), text.find("k=rsa"));
    // A string written with an escape is not mapped.
    assert_eq!(map(joined, joined + 1), None);
}

/// A byte-order mark in front of a zone file (an editor's encoding mark) is not part of its
/// first line: `$ORIGIN` after it still sets the origin (it was "not a ttl, class or record
/// type" and every name lost its origin).
#[test]
fn a_byte_order_mark_before_the_first_line_is_skipped() {
    let text = "\u{feff}$ORIGIN example.com.\n@ IN TXT \"v=spf1 -all\"\n_dmarc IN TXT \"v=DMARC1; p=reject\"\n";
    let parsed = sendercheck::parse::zone::parse(text, None);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let owners: Vec<&str> = parsed.value.records.iter().map(|r| r.owner.as_str()).collect();
    assert_eq!(owners, ["example.com", "_dmarc.example.com"]);
}
