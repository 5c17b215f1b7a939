//! Offline parsing of whatever a person pastes: one record of any kind, several records one per
//! line, or zone-file text. Used by `sendercheck parse` and by the page's paste mode.

use serde::Serialize;

use super::{bimi, dkim, dmarc, mta_sts, spf, tlsrpt, zone};
use crate::diag::{Diagnostic, Parsed};
use crate::dns::RData;

/// The record kinds sendercheck parses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum RecordKind {
    #[serde(rename = "spf")]
    Spf,
    #[serde(rename = "dmarc")]
    Dmarc,
    #[serde(rename = "dkim")]
    Dkim,
    #[serde(rename = "bimi")]
    Bimi,
    #[serde(rename = "mta-sts")]
    MtaSts,
    #[serde(rename = "mta-sts-policy")]
    MtaStsPolicy,
    #[serde(rename = "tlsrpt")]
    TlsRpt,
    #[serde(rename = "zone")]
    Zone,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Spf,
        RecordKind::Dmarc,
        RecordKind::Dkim,
        RecordKind::Bimi,
        RecordKind::MtaSts,
        RecordKind::MtaStsPolicy,
        RecordKind::TlsRpt,
        RecordKind::Zone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Spf => "spf",
            RecordKind::Dmarc => "dmarc",
            RecordKind::Dkim => "dkim",
            RecordKind::Bimi => "bimi",
            RecordKind::MtaSts => "mta-sts",
            RecordKind::MtaStsPolicy => "mta-sts-policy",
            RecordKind::TlsRpt => "tlsrpt",
            RecordKind::Zone => "zone",
        }
    }

    pub fn from_name(name: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// The typed value of any parsed record.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RecordValue {
    Spf(spf::SpfRecord),
    Dmarc(dmarc::Dmarc),
    Dkim(dkim::DkimKey),
    Bimi(bimi::Bimi),
    MtaSts(mta_sts::StsRecord),
    MtaStsPolicy(mta_sts::StsPolicy),
    TlsRpt(tlsrpt::TlsRpt),
}

/// One record found in the pasted text, with its diagnostics.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParsedRecord {
    pub kind: RecordKind,
    /// The DNS name it was published at, when the text said (zone-file input).
    pub name: Option<String>,
    /// The 1-based line of the pasted text where it starts.
    pub line: Option<usize>,
    /// The record text the spans point into.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    pub value: RecordValue,
}

/// Everything found in a paste.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParseResult {
    pub kind: RecordKind,
    pub records: Vec<ParsedRecord>,
    /// Diagnostics about the text as a whole (zone-file lines, "line N: ...").
    pub diagnostics: Vec<Diagnostic>,
}

impl ParseResult {
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .chain(self.records.iter().flat_map(|r| r.diagnostics.iter()))
    }
}

/// The character-strings of TXT data pasted as dig and zone files show it (`"v=spf1 ..."
/// "~all"`, with `\"` and `\DDD` escapes), or `None` when the text is not only quoted strings.
fn quoted_strings(text: &str) -> Option<Vec<Vec<u8>>> {
    let bytes = text.trim().as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut strings = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes.get(at) {
            Some(b' ' | b'\t') => at += 1,
            Some(b'"') => {
                let mut string = Vec::new();
                at += 1;
                loop {
                    match bytes.get(at) {
                        None => return None,
                        Some(b'"') => break,
                        Some(b'\\') => at = zone::decode_escape(bytes, at, &mut string),
                        Some(&b) => {
                            string.push(b);
                            at += 1;
                        }
                    }
                }
                strings.push(string);
                at += 1;
            }
            _ => return None,
        }
    }
    Some(strings)
}

/// Parses one pasted record of `kind`. Quoted character-strings are joined the way DNS joins
/// them, with no separator (an SPF record gets its per-string checks too), and the spans point
/// into the joined text, which is returned with the result.
fn parse_pasted(kind: RecordKind, text: &str) -> Option<(String, Vec<Diagnostic>, RecordValue)> {
    if kind == RecordKind::MtaStsPolicy {
        return parse_one(kind, text).map(|(diagnostics, value)| (text.to_string(), diagnostics, value));
    }
    let Some(strings) = quoted_strings(text) else {
        let record = unquote(text);
        return parse_one(kind, record).map(|(diagnostics, value)| (record.to_string(), diagnostics, value));
    };
    let joined = String::from_utf8_lossy(&strings.concat()).into_owned();
    if kind == RecordKind::Spf {
        let parts: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
        let parsed = spf::parse_txt(&parts);
        return Some((joined, parsed.diagnostics, RecordValue::Spf(parsed.value)));
    }
    parse_one(kind, &joined).map(|(diagnostics, value)| (joined, diagnostics, value))
}

/// Strips one pair of surrounding double quotes, as when a record is copied with its quotes.
fn unquote(text: &str) -> &str {
    let trimmed = text.trim();
    if trimmed.len() >= 2
        && trimmed.starts_with('"')
        && trimmed.ends_with('"')
        && !trimmed[1..trimmed.len() - 1].contains('"')
    {
        &trimmed[1..trimmed.len() - 1]
    } else {
        text
    }
}

/// Guesses the kind of a single record from its first tag.
pub fn detect(text: &str) -> RecordKind {
    let joined;
    let text = match quoted_strings(text) {
        Some(strings) => {
            joined = String::from_utf8_lossy(&strings.concat()).into_owned();
            joined.as_str()
        }
        None => text,
    };
    // Invisible characters pasted in front (a byte-order mark, a zero-width space) do not hide
    // the kind: the record's own parser reports them.
    let head: String = unquote(text)
        .trim_start_matches(|c: char| c.is_ascii_whitespace() || crate::text::is_invisible(c) || c == '"')
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase()
        .replace(' ', "");
    if head.starts_with("v=spf1") || head.starts_with("v=spf") {
        RecordKind::Spf
    } else if head.starts_with("v=dmarc") {
        RecordKind::Dmarc
    } else if head.starts_with("v=dkim")
        || head.starts_with("k=")
        || head.starts_with("p=")
        || head.starts_with("h=")
        || (head.starts_with("t=") && crate::text::contains(text, "p="))
    {
        RecordKind::Dkim
    } else if head.starts_with("v=bimi") {
        RecordKind::Bimi
    } else if head.starts_with("v=stsv") {
        RecordKind::MtaSts
    } else if head.starts_with("version:") || head.starts_with("mode:") {
        RecordKind::MtaStsPolicy
    } else if head.starts_with("v=tlsrpt") {
        RecordKind::TlsRpt
    } else {
        RecordKind::Zone
    }
}

/// The kind of a TXT record published at `owner`, from the name first and the text second.
fn kind_at(owner: &str, text: &str) -> Option<RecordKind> {
    let first = owner.split('.').next().unwrap_or_default();
    if first == "_dmarc" {
        return Some(RecordKind::Dmarc);
    }
    if crate::text::contains(owner, "._domainkey.")
        || owner.starts_with("_domainkey.") && detect(text) == RecordKind::Dkim
    {
        return Some(RecordKind::Dkim);
    }
    if crate::text::contains(owner, "._bimi.") {
        return Some(RecordKind::Bimi);
    }
    if first == "_mta-sts" {
        return Some(RecordKind::MtaSts);
    }
    if owner.starts_with("_smtp._tls.") {
        return Some(RecordKind::TlsRpt);
    }
    match detect(text) {
        RecordKind::Zone | RecordKind::MtaStsPolicy => None,
        kind => Some(kind),
    }
}

fn parse_one(kind: RecordKind, text: &str) -> Option<(Vec<Diagnostic>, RecordValue)> {
    fn take<T>(parsed: Parsed<T>, wrap: impl FnOnce(T) -> RecordValue) -> Option<(Vec<Diagnostic>, RecordValue)> {
        Some((parsed.diagnostics, wrap(parsed.value)))
    }
    match kind {
        RecordKind::Spf => take(spf::parse(text), RecordValue::Spf),
        RecordKind::Dmarc => take(dmarc::parse(text), RecordValue::Dmarc),
        RecordKind::Dkim => take(dkim::parse(text), RecordValue::Dkim),
        RecordKind::Bimi => take(bimi::parse(text), RecordValue::Bimi),
        RecordKind::MtaSts => take(mta_sts::parse(text), RecordValue::MtaSts),
        RecordKind::MtaStsPolicy => take(mta_sts::parse_policy(text), RecordValue::MtaStsPolicy),
        RecordKind::TlsRpt => take(tlsrpt::parse(text), RecordValue::TlsRpt),
        RecordKind::Zone => None,
    }
}

/// Parses pasted text. With `kind` given, the text is one record of that kind (or zone text);
/// otherwise the kind is detected: a record, several records one per line, or zone-file text.
pub fn analyze(text: &str, kind: Option<RecordKind>) -> ParseResult {
    let kind = kind.unwrap_or_else(|| detect_paste(text));
    match kind {
        RecordKind::Zone => analyze_zone(text),
        RecordKind::MtaStsPolicy => single(kind, text),
        _ => {
            let lines: Vec<(usize, &str)> = text
                .lines()
                .enumerate()
                .filter(|(_, line)| !line.trim().is_empty())
                .collect();
            // Several records one per line, each of a known kind: parse each on its own.
            if lines.len() > 1 && lines.iter().all(|(_, line)| detect(line) != RecordKind::Zone) {
                let records = lines
                    .iter()
                    .filter_map(|(index, line)| {
                        let line_kind = detect(line);
                        parse_pasted(line_kind, line).map(|(text, diagnostics, value)| ParsedRecord {
                            kind: line_kind,
                            name: None,
                            line: Some(index + 1),
                            text,
                            diagnostics,
                            value,
                        })
                    })
                    .collect();
                return ParseResult {
                    kind,
                    records,
                    diagnostics: Vec::new(),
                };
            }
            single(kind, text)
        }
    }
}

fn detect_paste(text: &str) -> RecordKind {
    // The first line decides: a policy file's is `version: STSv1`, which no other kind shares.
    let first_line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
    detect(first_line)
}

fn single(kind: RecordKind, text: &str) -> ParseResult {
    // One record pasted or piped usually ends with a line break that is not part of it.
    let text = if kind == RecordKind::MtaStsPolicy {
        text
    } else {
        text.trim_end_matches(['\r', '\n'])
    };
    // A record copied with its surrounding quotes, or as several quoted strings, is read
    // without them; spans then point into the text read, which is what `text` holds.
    let records = parse_pasted(kind, text)
        .map(|(text, diagnostics, value)| ParsedRecord {
            kind,
            name: None,
            line: Some(1),
            text,
            diagnostics,
            value,
        })
        .into_iter()
        .collect();
    ParseResult {
        kind,
        records,
        diagnostics: Vec::new(),
    }
}

fn analyze_zone(text: &str) -> ParseResult {
    let parsed = zone::parse(text, None);
    let mut records = Vec::new();
    for record in &parsed.value.records {
        let RData::Txt(strings) = &record.rdata else { continue };
        let joined = String::from_utf8_lossy(&strings.concat()).into_owned();
        let Some(kind) = kind_at(&record.owner, &joined) else {
            continue;
        };
        let parsed_record = if kind == RecordKind::Spf {
            let parts: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
            let parsed = spf::parse_txt(&parts);
            Some((parsed.diagnostics, RecordValue::Spf(parsed.value)))
        } else {
            parse_one(kind, &joined)
        };
        if let Some((diagnostics, value)) = parsed_record {
            records.push(ParsedRecord {
                kind,
                name: Some(record.owner.clone()),
                line: Some(record.line),
                text: joined,
                diagnostics,
                value,
            });
        }
    }
    ParseResult {
        kind: RecordKind::Zone,
        records,
        diagnostics: parsed.diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_kind() {
        for (text, kind) in [
            ("v=spf1 -all", RecordKind::Spf),
            ("\"v=spf1 mx -all\"", RecordKind::Spf),
            ("v=DMARC1; p=reject", RecordKind::Dmarc),
            ("v=DKIM1; k=rsa; p=MIIB", RecordKind::Dkim),
            ("k=rsa; p=MIIB", RecordKind::Dkim),
            ("v=BIMI1; l=https://x.example/l.svg", RecordKind::Bimi),
            ("v=STSv1; id=1", RecordKind::MtaSts),
            ("version: STSv1\nmode: enforce", RecordKind::MtaStsPolicy),
            ("v=TLSRPTv1; rua=mailto:a@b.example", RecordKind::TlsRpt),
            ("example.com. 300 IN TXT \"v=spf1 -all\"", RecordKind::Zone),
        ] {
            assert_eq!(detect_paste(text), kind, "{text}");
        }
    }

    #[test]
    fn quoted_strings_are_joined_as_dns_joins_them() {
        // As dig and zone files show TXT data: several strings, no separator when joined.
        let result = analyze("\"v=spf1 include:_spf.google\" \".com ~all\"", None);
        assert_eq!(result.kind, RecordKind::Spf);
        assert_eq!(result.records.len(), 1);
        assert_eq!(result.records[0].text, "v=spf1 include:_spf.google.com ~all");
        assert!(
            result.records[0].diagnostics.is_empty(),
            "{:#?}",
            result.records[0].diagnostics
        );
        let result = analyze("\"v=DMARC1; \" \"p=reject\"\n\"v=spf1 \\\"a\\\" -all\"\n", None);
        assert_eq!(result.records.len(), 2);
        assert_eq!(result.records[0].kind, RecordKind::Dmarc);
        assert!(result.records[0].diagnostics.is_empty());
        // An escaped quote stays in the string, where SPF reports it.
        assert_eq!(result.records[1].text, "v=spf1 \"a\" -all");
        assert_eq!(result.records[1].diagnostics[0].code, "SPF004");
        // A string over 255 bytes is checked as a string.
        let long = format!("\"v=spf1 {}-all\"", "ip4:192.0.2.1 ".repeat(20));
        let result = analyze(&long, None);
        assert_eq!(result.records[0].diagnostics[0].code, "SPF024");
        // A quote left open is not taken for zone text.
        let result = analyze("\"v=spf1 -all", None);
        assert_eq!(result.kind, RecordKind::Spf);
        assert_eq!(result.records[0].diagnostics[0].code, "SPF001");
    }

    #[test]
    fn several_records_one_per_line() {
        let result = analyze("v=spf1 -all\nv=DMARC1; p=reject\n", None);
        assert_eq!(result.records.len(), 2);
        assert_eq!(result.records[0].kind, RecordKind::Spf);
        assert_eq!(result.records[1].kind, RecordKind::Dmarc);
        assert_eq!(result.records[1].line, Some(2));
    }

    #[test]
    fn zone_text_routes_records_by_name() {
        let zone = "$ORIGIN example.com.\n@ 300 IN TXT \"v=spf1 mx -all\"\n_dmarc 300 IN TXT \"v=DMARC1; p=reject\"\n_dmarc.sub 300 IN TXT \"v=spf1 -all\"\nwww 300 IN A 192.0.2.1\n";
        let result = analyze(zone, None);
        assert_eq!(result.kind, RecordKind::Zone);
        let kinds: Vec<(RecordKind, Option<String>)> =
            result.records.iter().map(|r| (r.kind, r.name.clone())).collect();
        assert_eq!(
            kinds,
            [
                (RecordKind::Spf, Some("example.com".into())),
                (RecordKind::Dmarc, Some("_dmarc.example.com".into())),
                (RecordKind::Dmarc, Some("_dmarc.sub.example.com".into())),
            ]
        );
        // An SPF record at _dmarc is diagnosed by the DMARC parser.
        assert!(!result.records[2].diagnostics.is_empty());
    }

    #[test]
    fn nothing_pasted_panics() {
        for text in ["", " ", "\"", "\"\"", "v=", "\n\n", "$ORIGIN", "( ( (", "\u{0}\u{1}"] {
            let _ = analyze(text, None);
            for kind in RecordKind::ALL {
                let _ = analyze(text, Some(kind));
            }
        }
    }
}
