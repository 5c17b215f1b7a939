//! The wasm boundary (src/wasm.rs) in headless Chromium, through wasm-bindgen-test-runner:
//!
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
//!     cargo test --target wasm32-unknown-unknown --test wasm
//!
//! Chromium's flags come from webdriver.json at the crate root. The live check of example.test
//! needs the DoH rig (tests/rig): it skips when the rig does not answer, and fails instead when
//! the build was made with SENDERCHECK_RIG set (scripts/test-inner.sh sets it).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use sendercheck::wasm;

wasm_bindgen_test_configure!(run_in_browser);

const RIG: &str = "http://127.0.0.1:8053/dns-query";

fn json(value: JsValue) -> Value {
    serde_wasm_bindgen::from_value(value).expect("the API returns JSON-like data")
}

/// The message of a thrown JS Error.
fn message(err: JsError) -> String {
    let value = JsValue::from(err);
    assert!(value.is_instance_of::<js_sys::Error>(), "thrown value is a JS Error");
    String::from(value.unchecked_into::<js_sys::Error>().message())
}

fn options(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("test options are JSON")
}

/// (code, text under the span) of every diagnostic of the only record.
fn diagnostics(result: &Value) -> Vec<(String, String)> {
    let records = result["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "one record in {result}");
    let text = records[0]["text"].as_str().unwrap();
    records[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let (start, end) = (
                d["span"]["start"].as_u64().unwrap() as usize,
                d["span"]["end"].as_u64().unwrap() as usize,
            );
            (d["code"].as_str().unwrap().to_string(), text[start..end].to_string())
        })
        .collect()
}

#[wasm_bindgen_test]
fn normalize_domain_accepts_domains_addresses_and_urls() {
    for (input, expected) in [
        ("example.com", "example.com"),
        ("Someone@Example.ORG", "example.org"),
        ("https://www.example.net/path?q=1", "www.example.net"),
        ("  example.com.  ", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
    ] {
        assert_eq!(
            wasm::normalize_domain(input).map_err(message).as_deref(),
            Ok(expected),
            "{input:?}"
        );
    }
}

#[wasm_bindgen_test]
fn normalize_domain_throws_an_error_with_a_message() {
    for input in ["", "not a domain", "exa..com", "localhost"] {
        let err = message(wasm::normalize_domain(input).expect_err(input));
        assert!(!err.is_empty(), "{input:?} gives a message");
        assert!(!err.contains("JsValue"), "{input:?}: {err}");
    }
    let said = |input: &str| message(wasm::normalize_domain(input).unwrap_err());
    assert_eq!(said(""), "enter a domain, an email address or a URL");
    assert_eq!(
        said("not a domain"),
        "' ' cannot appear in a domain name; use letters, digits, hyphens and dots"
    );
    assert!(said("localhost").contains("has no dot"));
    assert!(said("exa..com").contains("empty part"));
    assert!(said("192.0.2.1").contains("is an IP address"));
}

#[wasm_bindgen_test]
fn parse_each_kind_gives_codes_at_their_spans() {
    let cases: &[(&str, &str, &[(&str, &str)])] = &[
        ("spf", "v=spf1 a mx +all", &[("SPF019", "+all")]),
        ("dmarc", "v=DMARC1; p=none", &[("DMARC023", "p=none")]),
        (
            "dkim",
            "v=DKIM1; k=foo; p=abc",
            &[("DKIM028", "foo"), ("DKIM023", "abc")],
        ),
        (
            "bimi",
            "v=BIMI1; l=javascript:alert(1)",
            &[("BIMI021", "javascript:alert(1)")],
        ),
        ("mta-sts", "v=STSv1; id=bad id!", &[("STS021", "bad id!")]),
        (
            "mta-sts-policy",
            "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 10\n",
            &[("STS035", "10")],
        ),
        (
            "tlsrpt",
            "v=TLSRPTv1; rua=http://x.example/",
            &[("TLSRPT021", "http://x.example/")],
        ),
    ];
    for (kind, text, expected) in cases {
        let result = json(wasm::parse(text, Some(kind.to_string())).map_err(message).unwrap());
        assert_eq!(result["kind"], *kind);
        let got = diagnostics(&result);
        let want: Vec<(String, String)> = expected.iter().map(|(c, t)| (c.to_string(), t.to_string())).collect();
        assert_eq!(got, want, "{kind}: {text:?}");
    }
    // A record with nothing wrong has no diagnostics.
    let clean = json(wasm::parse("v=spf1 ip4:192.0.2.0/24 -all", Some("spf".into())).unwrap());
    assert_eq!(diagnostics(&clean), vec![]);
}

#[wasm_bindgen_test]
fn parse_detects_zone_text_and_locates_lines() {
    let text = "example.com. 3600 IN TXT \"v=spf1 +all\"\nbogus line here\n";
    let result = json(wasm::parse(text, None).unwrap());
    assert_eq!(result["kind"], "zone");
    let record = &result["records"][0];
    assert_eq!(record["kind"], "spf");
    assert_eq!(record["name"], "example.com");
    assert_eq!(record["line"], 1);
    assert_eq!(diagnostics(&result), vec![("SPF019".to_string(), "+all".to_string())]);
    let zone = result["diagnostics"].as_array().unwrap();
    assert_eq!(zone.len(), 1);
    assert_eq!(zone[0]["code"], "ZONE002");
    let span = &zone[0]["span"];
    // "bogus" is the owner name, so "line" stands where the record type should be.
    assert_eq!(
        &text[span["start"].as_u64().unwrap() as usize..span["end"].as_u64().unwrap() as usize],
        "line"
    );
}

#[wasm_bindgen_test]
fn parse_refuses_unknown_kinds_and_huge_pastes() {
    assert!(message(wasm::parse("v=spf1 -all", Some("spff".into())).unwrap_err()).contains("unknown record kind"));
    let huge = "x".repeat(wasm::PASTE_LIMIT + 1);
    assert!(message(wasm::parse(&huge, None).unwrap_err()).contains("KiB"));
}

#[wasm_bindgen_test]
fn rules_is_the_catalogue_without_its_documentation_text() {
    let rules = json(wasm::rules().unwrap());
    let rules = rules.as_array().unwrap();
    assert!(rules.len() > 100, "{} rules", rules.len());
    for rule in rules {
        for field in ["code", "name", "category", "severity", "area"] {
            let value = rule[field].as_str().unwrap_or_default();
            assert!(!value.is_empty(), "{} has {field}", rule["code"]);
        }
        assert!(rule["weight"].is_u64(), "{} has a weight", rule["code"]);
        // The text lives in www/rules.json (tests/rules_json.rs keeps it equal to the catalogue).
        for field in ["checks", "why", "problematic", "corrected", "references"] {
            assert!(
                rule.get(field).is_none(),
                "{} carries {field} in the wasm build",
                rule["code"]
            );
        }
    }
    assert!(rules.iter().any(|r| r["code"] == "SPF019"));
}

/// Runs check() and returns (report, progress events).
async fn run_check(domain: &str, opts: &str) -> Result<(Value, Vec<Value>), String> {
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| sink.borrow_mut().push(json(event)));
    let function: js_sys::Function = callback.as_ref().clone().unchecked_into();
    let report = wasm::check(domain.to_string(), options(opts), Some(function))
        .await
        .map_err(message)?;
    drop(callback);
    let events = events.borrow().clone();
    Ok((json(report), events))
}

#[wasm_bindgen_test]
async fn check_offline_runs_on_a_pasted_zone() {
    let zone = r#"$ORIGIN example.com.
@        3600 IN MX  10 mail
mail     3600 IN A   192.0.2.25
@        3600 IN TXT "v=spf1 ip4:192.0.2.0/24 +all"
_dmarc   3600 IN TXT "v=DMARC1; p=reject; rua=mailto:d@example.com"
"#;
    let opts = serde_json::json!({ "zone": zone, "offline": true, "selectors": ["s1"] }).to_string();
    let (report, events) = run_check("example.com", &opts).await.unwrap();
    assert_eq!(report["domain"], "example.com");
    assert_eq!(report["checks"]["dmarc"]["policy"], "reject");
    assert_eq!(report["checks"]["mx"]["records"][0]["exchange"], "mail.example.com");
    let spf = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SPF019")
        .expect("SPF019 found");
    let record = spf["record"].as_str().unwrap();
    assert_eq!(
        &record[spf["span"]["start"].as_u64().unwrap() as usize..spf["span"]["end"].as_u64().unwrap() as usize],
        "+all"
    );
    assert!(report["score"].is_u64());
    assert_eq!(report["grade"].as_str().map(str::len), Some(1));
    // One event per check, each with its own findings.
    let mut checks: Vec<&str> = events.iter().map(|e| e["check"].as_str().unwrap()).collect();
    checks.sort_unstable();
    assert_eq!(
        checks,
        [
            "bimi",
            "dkim",
            "dmarc",
            "dnssec",
            "mta_sts",
            "mx",
            "reputation",
            "spf",
            "tls_rpt"
        ]
    );
    let spf_event = events.iter().find(|e| e["check"] == "spf").unwrap();
    assert_eq!(spf_event["result"]["record"], "v=spf1 ip4:192.0.2.0/24 +all");
    assert!(spf_event["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "SPF019"));
    assert!(events.iter().all(|e| e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["check"] == e["check"])));
}

#[wasm_bindgen_test]
async fn check_rejects_bad_options_with_messages() {
    assert!(run_check("example.com", r#"{"offline": true}"#)
        .await
        .unwrap_err()
        .contains("pasted zone"));
    assert!(run_check("example.com", r#"{"ips": ["not-an-ip"]}"#)
        .await
        .unwrap_err()
        .contains("not an IP address"));
    assert!(run_check("example.com", r#"{"resolvers": ["ftp://x"]}"#)
        .await
        .unwrap_err()
        .contains("http(s)"));
    assert!(run_check("not a domain", "{}")
        .await
        .unwrap_err()
        .contains("cannot appear in a domain name"));
}

/// Whether the rig's DoH endpoint answers a query from this page.
async fn rig_up() -> bool {
    // example.test SOA, id 0, RD: the probe scripts/rig/start.sh uses.
    let url = format!("{RIG}?dns=AAABAAABAAAAAAAAB2V4YW1wbGUEdGVzdAAABgAB");
    let window = web_sys::window().expect("a window");
    match JsFuture::from(window.fetch_with_str(&url)).await {
        Ok(response) => response.unchecked_into::<web_sys::Response>().ok(),
        Err(_) => false,
    }
}

#[wasm_bindgen_test]
async fn check_example_test_through_the_rig() {
    if !rig_up().await {
        assert!(
            option_env!("SENDERCHECK_RIG").is_none(),
            "SENDERCHECK_RIG is set but the DoH rig at {RIG} does not answer"
        );
        console_log!("skipped: the DoH rig at {RIG} does not answer (start tests/rig/start.sh)");
        return;
    }
    let opts = serde_json::json!({ "resolvers": [RIG], "selectors": ["sel1"], "timeout_ms": 3000 }).to_string();
    let (report, events) = run_check("example.test", &opts).await.unwrap();
    assert_eq!(report["resolvers"][0], RIG);
    let checks = &report["checks"];
    assert_eq!(
        checks["spf"]["record"],
        "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all"
    );
    assert_eq!(checks["spf"]["tree"]["children"][0]["via"], "include:_spf.example.net");
    assert_eq!(checks["dmarc"]["policy"], "reject");
    assert_eq!(checks["mx"]["records"][0]["exchange"], "mail.example.test");
    assert_eq!(checks["mx"]["records"][0]["addresses"][0], "192.0.2.25");
    let sel1 = checks["dkim"]["selectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["selector"] == "sel1")
        .expect("sel1 reported");
    assert_eq!(sel1["given"], true);
    assert!(report["queries"].as_u64().unwrap() > 5);
    assert!(report["score"].as_u64().unwrap() <= 100);
    // One event per check: the eight record checks and the domain's reputation lists.
    assert_eq!(events.len(), 9);
}
