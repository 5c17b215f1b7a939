//! The command line: `sendercheck parse`, `sendercheck rules`, `sendercheck check`.

mod render;

use std::io::{IsTerminal, Read, Write};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};

use crate::catalogue;
use crate::check::{self, Options, Report, Status};
use crate::diag::{Diagnostic, Severity, Span};
use crate::dns::{self, Cache, DohResolver, Overlay, RData, ZoneResolver};
use crate::parse::analyze::{analyze, ParseResult, RecordKind};
use crate::parse::zone;
use render::{Source, Style};

const EXIT_HELP: &str = "\
Exit codes:
  0  no error found (warnings and notes may have been printed)
  1  an error-severity problem was found (parse), or a check failed or is missing (check)
  2  the command could not run: bad arguments, unreadable input, a domain that cannot be one";

#[derive(Parser)]
#[command(name = "sendercheck", version, about = "Checks what receiving mail servers verify about a domain: MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, BIMI and sending IPs", after_help = EXIT_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse records or zone-file text offline and print located diagnostics.
    #[command(after_help = EXIT_HELP)]
    Parse(ParseArgs),
    /// Print the rule catalogue.
    #[command(after_help = EXIT_HELP)]
    Rules(RulesArgs),
    /// Check a domain over DNS-over-HTTPS (or a zone file) the way receivers do.
    #[command(after_help = EXIT_HELP)]
    Check(CheckArgs),
}

#[derive(Args)]
struct ParseArgs {
    /// Record kind: spf, dmarc, dkim, bimi, mta-sts, mta-sts-policy, tlsrpt, zone (detected when not given).
    #[arg(long = "type", short = 't', value_name = "KIND")]
    kind: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Colour the output: auto, always, never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    color: String,
    /// The file to read; `-` or nothing reads standard input.
    file: Option<String>,
}

#[derive(Args)]
struct RulesArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Show one rule in full.
    code: Option<String>,
}

#[derive(Args)]
struct CheckArgs {
    /// The domain; an email address or URL works too.
    domain: String,
    /// A sending IP to check (repeatable).
    #[arg(long = "ip", value_name = "ADDR")]
    ips: Vec<String>,
    /// MAIL FROM address for SPF (default postmaster@DOMAIN).
    #[arg(long, value_name = "ADDR")]
    sender: Option<String>,
    /// HELO name for SPF macros (default DOMAIN).
    #[arg(long, value_name = "NAME")]
    helo: Option<String>,
    /// A DKIM selector to check beside the common ones (repeatable).
    #[arg(long = "selector", value_name = "S")]
    selectors: Vec<String>,
    /// Zone-file text laid over live DNS ("pre-flight": the report as it will be once published).
    #[arg(long, value_name = "FILE")]
    zone: Option<String>,
    /// Use only the zone file: no network at all.
    #[arg(long, requires = "zone")]
    offline: bool,
    /// DoH resolver URL (repeatable, in order of preference).
    #[arg(long = "doh", value_name = "URL")]
    doh: Vec<String>,
    /// Time allowed for each DNS answer, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    timeout_ms: u64,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Colour the output: auto, always, never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    color: String,
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { 2 } else { 0 };
            let _ = error.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Parse(args) => run_parse(args),
        Command::Rules(args) => run_rules(args),
        Command::Check(args) => run_check(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("sendercheck: {}", render::terminal_safe(&message.to_string()));
            2
        }
    }
}

fn style(color: &str, stream_is_terminal: bool) -> Result<Style, String> {
    match color {
        "always" => Ok(Style { color: true }),
        "never" => Ok(Style { color: false }),
        "auto" => Ok(Style {
            color: stream_is_terminal && std::env::var_os("NO_COLOR").is_none(),
        }),
        other => Err(format!("--color takes auto, always or never, not {other:?}")),
    }
}

fn read_input(file: Option<&str>) -> Result<(String, String), String> {
    let mut bytes = Vec::new();
    let origin = match file {
        None | Some("-") => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            "stdin".to_string()
        }
        Some(path) => {
            bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            path.to_string()
        }
    };
    // Invalid UTF-8 is kept visible (as U+FFFD) so the parsers can point at it.
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    // A single line ends with line terminators (`echo ... |`, a saved file): they end the line
    // and are not part of the record, where a parser would see a control character. Text of
    // several lines keeps it; each line is read on its own there.
    let body = text.trim_end_matches(['\r', '\n']);
    if !body.contains('\n') {
        text.truncate(body.len());
    }
    Ok((text, origin))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| format!("cannot write JSON: {e}"))?;
    text.push('\n');
    emit(&text)
}

/// Writes the command's output to standard output.
///
/// A reader that stops early (`sendercheck rules | head`) closes the pipe; that is not an
/// error of ours, so the rest of the output is dropped quietly. `print!` would panic there.
fn emit(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {error}"))
        }
        _ => Ok(()),
    }
}

fn run_parse(args: ParseArgs) -> Result<i32, String> {
    let kind = match &args.kind {
        Some(name) => Some(RecordKind::from_name(name).ok_or_else(|| {
            let kinds: Vec<&str> = RecordKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown record kind {name:?}; use one of {}", kinds.join(", "))
        })?),
        None => None,
    };
    let (text, origin) = read_input(args.file.as_deref())?;
    let result = analyze(&text, kind);
    let has_errors = result.all_diagnostics().any(|d| d.severity == Severity::Error);
    if args.json {
        print_json(&result)?;
    } else {
        let style = style(&args.color, std::io::stdout().is_terminal())?;
        emit(&render::terminal_safe(&format_parse(&result, &text, &origin, style)))?;
    }
    Ok(i32::from(has_errors))
}

fn format_parse(result: &ParseResult, source: &str, origin: &str, style: Style) -> String {
    let mut out = String::new();
    // One index of the text for all its diagnostics, so each is located by binary search.
    let text = Source::new(source);
    for diagnostic in &result.diagnostics {
        render::render_source(&mut out, origin, "", &text, diagnostic, style);
    }
    // The records of zone text, read again for where their strings sit in it: a diagnostic
    // of a record is then shown at its line of the text, not in the record's joined strings.
    let zone = (result.kind == RecordKind::Zone).then(|| zone::parse(source, None).value);
    // Where each line starts, for records read one per line: their diagnostics are shown at
    // their place in the pasted text (`file:3:11`, with line 3's number in the gutter).
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    for record in &result.records {
        let place = match (&record.name, record.line) {
            (Some(name), Some(line)) => format!("{origin}:{line} {name}"),
            (None, Some(line)) if result.records.len() > 1 => format!("{origin}:{line}"),
            _ => origin.to_string(),
        };
        let in_zone = zone.as_ref().zip(record.line).and_then(|(zone, line)| {
            let at = zone.records.partition_point(|r| r.line < line);
            zone.records
                .get(at)
                .filter(|r| r.line == line && matches!(r.rdata, RData::Txt(_)) && r.intended.is_none())
        });
        let record_text = Source::new(&record.text);
        // A record pasted on its own line(s) as it is (not unquoted or joined from strings).
        let at_line = record
            .line
            .and_then(|line| line_starts.get(line.checked_sub(1)?))
            .copied()
            .filter(|&start| {
                record.name.is_none()
                    && result.records.len() > 1
                    && source.get(start..start + record.text.len()) == Some(record.text.as_str())
            });
        // A span of the record's text, as a span of the pasted text where it can be shown
        // there: the record on its own line(s), or a zone TXT record's strings at its line.
        let located = |span: Span| match (at_line, in_zone) {
            (Some(start), _) => Some(Span::new(span.start + start, span.end + start)),
            (None, Some(zone_record)) if record.name.is_some() => zone_record.text_span(span),
            _ => None,
        };
        let context = match &record.name {
            Some(name) => format!("{} at {name}", record.kind.as_str()),
            None => record.kind.as_str().to_string(),
        };
        for diagnostic in &record.diagnostics {
            let mapped = located(diagnostic.span).and_then(|span| {
                let related = match diagnostic.related {
                    Some(related) => Some(located(related)?),
                    None => None,
                };
                Some(Diagnostic {
                    span,
                    related,
                    ..diagnostic.clone()
                })
            });
            match mapped {
                Some(mapped) => render::render_source(&mut out, origin, &context, &text, &mapped, style),
                None => render::render_source(
                    &mut out,
                    &format!("{place} ({})", record.kind.as_str()),
                    "",
                    &record_text,
                    diagnostic,
                    style,
                ),
            }
        }
    }
    let count = |severity| result.all_diagnostics().filter(|d| d.severity == severity).count();
    let (errors, warnings, notes) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let records = result.records.len();
    // What was read: zone text, or the kinds of the records pasted, in order.
    let mut kinds: Vec<&str> = Vec::new();
    for record in &result.records {
        if !kinds.contains(&record.kind.as_str()) {
            kinds.push(record.kind.as_str());
        }
    }
    let read = match (result.kind, records) {
        (_, 0) => String::new(),
        (crate::parse::analyze::RecordKind::Zone, _) => " (zone)".to_string(),
        _ => format!(" ({})", kinds.join(", ")),
    };
    if records == 0 && result.diagnostics.is_empty() {
        out.push_str("no records found\n");
    } else {
        out.push_str(&format!(
            "{records} record{}{read}: {errors} error{}, {warnings} warning{}, {notes} note{}\n",
            plural(records),
            plural(errors),
            plural(warnings),
            plural(notes)
        ));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn run_rules(args: RulesArgs) -> Result<i32, String> {
    if let Some(code) = &args.code {
        let rule = catalogue::find(code).ok_or_else(|| format!("no rule has the code {code:?}"))?;
        if args.json {
            print_json(rule)?;
        } else {
            emit(&format!(
                "{} {} ({}, {}, weight {})\n\nWhat it checks\n  {}\n\nWhy it matters\n  {}\n\nProblematic record\n  {}\n\nCorrected record\n  {}\n\nReferences\n  {}\n",
                rule.code,
                rule.name,
                rule.severity.as_str(),
                category_name(rule),
                rule.weight,
                rule.checks,
                rule.why,
                rule.problematic.replace('\n', "\n  "),
                rule.corrected.replace('\n', "\n  "),
                rule.references
            ))?;
        }
        return Ok(0);
    }
    if args.json {
        let rules: Vec<&catalogue::Rule> = catalogue::all().collect();
        print_json(&rules)?;
    } else {
        let mut table = String::new();
        for rule in catalogue::all() {
            table += &format!(
                "{:<10} {:<8} {:<36} {}\n",
                rule.code,
                rule.severity.as_str(),
                rule.name,
                rule.checks.split(". ").next().unwrap_or_default()
            );
        }
        emit(&table)?;
    }
    Ok(0)
}

fn category_name(rule: &catalogue::Rule) -> String {
    format!("{:?}", rule.category).to_lowercase()
}

/// Fetches MTA-STS policy files over HTTPS natively.
struct NativePolicyFetcher {
    timeout: Duration,
}

impl check::PolicyFetcher for NativePolicyFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> futures::future::LocalBoxFuture<'a, check::PolicyFetch> {
        let url = url.to_string();
        let timeout = self.timeout;
        let (sender, receiver) = futures::channel::oneshot::channel();
        std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .timeout_global(Some(timeout))
                .build()
                .into();
            let result = match agent.get(&url).call() {
                Ok(mut response) => match response.body_mut().with_config().limit(64 * 1024).read_to_string() {
                    Ok(body) => check::PolicyFetch::Fetched(body),
                    Err(error) => check::PolicyFetch::Failed(error.to_string()),
                },
                Err(error) => check::PolicyFetch::Failed(error.to_string()),
            };
            let _ = sender.send(result);
        });
        Box::pin(async move {
            receiver
                .await
                .unwrap_or_else(|_| check::PolicyFetch::Failed("the fetch thread stopped".into()))
        })
    }
}

fn run_check(args: CheckArgs) -> Result<i32, String> {
    let domain = check::normalize_domain(&args.domain).map_err(|e| e.to_string())?;
    let mut ips = Vec::new();
    for ip in &args.ips {
        let parsed: IpAddr = ip
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| format!("{ip:?} is not an IP address"))?;
        ips.push(parsed);
    }
    let zone_text = match &args.zone {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?),
        None => None,
    };
    let timeout = Duration::from_millis(args.timeout_ms.max(1));
    let options = Options {
        ips,
        sender: args.sender.clone(),
        helo: args.helo.clone(),
        selectors: args.selectors.clone(),
        resolvers: if args.offline {
            vec!["zone file (offline)".into()]
        } else if args.doh.is_empty() {
            vec![dns::doh::DEFAULT_URL.into()]
        } else {
            args.doh.clone()
        },
    };
    let fetcher = NativePolicyFetcher { timeout };
    let started = Instant::now();
    let now = move || started.elapsed().as_secs_f64() * 1000.0;
    let no_progress = |_: check::Progress<'_>| {};

    let zone = zone_text
        .as_deref()
        .map(|text| ZoneResolver::from_text(text, Some(&domain.ascii)));
    let report = match (zone, args.offline) {
        (Some(zone), true) => {
            let resolver = Cache::new(zone);
            dns::block::block_on(check::check_domain(
                &domain,
                &resolver,
                None,
                &options,
                &no_progress,
                &now,
            ))
        }
        (Some(zone), false) => {
            let resolver = Cache::new(Overlay::new(
                zone,
                DohResolver::new(args.doh.clone()).with_timeout(timeout),
            ));
            dns::block::block_on(check::check_domain(
                &domain,
                &resolver,
                Some(&fetcher),
                &options,
                &no_progress,
                &now,
            ))
        }
        (None, _) => {
            let resolver = Cache::new(DohResolver::new(args.doh.clone()).with_timeout(timeout));
            dns::block::block_on(check::check_domain(
                &domain,
                &resolver,
                Some(&fetcher),
                &options,
                &no_progress,
                &now,
            ))
        }
    };
    if args.json {
        print_json(&report)?;
    } else {
        let style = style(&args.color, std::io::stdout().is_terminal())?;
        emit(&render::terminal_safe(&format_report(&report, style)))?;
    }
    let bad = report.findings.iter().any(|f| f.severity == Severity::Error);
    Ok(i32::from(bad))
}

fn status_word(status: Status, style: Style) -> String {
    let (word, code) = match status {
        Status::Pass => ("pass", "1;32"),
        Status::Warn => ("warn", "1;33"),
        Status::Fail => ("FAIL", "1;31"),
        Status::Missing => ("missing", "1;31"),
        Status::Unknown => ("unknown", "1;35"),
    };
    if style.color {
        format!("\x1b[{code}m{word:<7}\x1b[0m")
    } else {
        format!("{word:<7}")
    }
}

fn format_report(report: &Report, style: Style) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "sendercheck report for {}", report.display_domain);
    if report.display_domain != report.domain {
        let _ = writeln!(out, "  (DNS name {})", report.domain);
    }
    let _ = writeln!(out);
    let checks = &report.checks;
    // Every check object has the same status, summary and cause fields.
    macro_rules! row {
        ($label:expr, $check:expr) => {
            (
                $label,
                $check.status,
                $check.summary.as_str(),
                $check.cause.as_ref(),
            )
        };
    }
    let mut rows: Vec<(&str, Status, &str, Option<&String>)> = vec![
        row!("MX", checks.mx),
        row!("SPF", checks.spf),
        row!("DMARC", checks.dmarc),
        row!("DKIM", checks.dkim),
        row!("MTA-STS", checks.mta_sts),
        row!("TLS-RPT", checks.tls_rpt),
        row!("BIMI", checks.bimi),
        row!("DNSSEC", checks.dnssec),
        row!("LISTS", checks.reputation),
    ];
    // One row per sending IP given: reverse DNS, lists and SPF for that address.
    for ip in checks.ip.iter().flatten() {
        rows.push((&ip.address, ip.status, &ip.summary, ip.cause.as_ref()));
    }
    for (name, status, summary, cause) in rows {
        let _ = writeln!(out, "  {:<8} {} {summary}", name, status_word(status, style));
        if let Some(cause) = cause {
            let _ = writeln!(out, "  {:<8} {:<7} cause: {cause}", "", "");
        }
    }
    if let Some(record) = &checks.spf.record {
        let _ = writeln!(
            out,
            "\nSPF record at {}:\n  {record}\n  {} of 10 DNS lookups, {} void",
            checks.spf.name, checks.spf.lookups, checks.spf.void_lookups
        );
        for ip in checks.ip.iter().flatten() {
            if let Some(result) = ip.spf_result {
                let matched = ip
                    .spf_matched
                    .as_deref()
                    .map(|m| format!(", matched {m}"))
                    .unwrap_or_default();
                let _ = writeln!(out, "  result for {}: {}{matched}", ip.address, result.as_str());
            }
        }
    }
    if let Some(record) = &checks.dmarc.record {
        let _ = writeln!(
            out,
            "\nDMARC record at _dmarc.{}:\n  {record}",
            checks.dmarc.found_at.as_deref().unwrap_or_default()
        );
    }
    let keys: Vec<_> = checks.dkim.selectors.iter().filter(|s| s.record.is_some()).collect();
    if !keys.is_empty() {
        let _ = writeln!(out, "\nDKIM keys:");
        for key in keys {
            let bits = key.key_bits.map(|b| format!(" {b} bits")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<20} {}{bits}{}",
                key.selector,
                key.key_type.as_deref().unwrap_or("?"),
                if key.revoked { " (revoked)" } else { "" }
            );
        }
    }
    if !report.findings.is_empty() {
        let _ = writeln!(out, "\nFindings:\n");
    }
    for finding in &report.findings {
        let diagnostic = crate::diag::Diagnostic {
            code: finding.code,
            severity: finding.severity,
            span: finding.span.unwrap_or_default(),
            related: finding.related,
            related_label: finding.related_label,
            message: finding.message.clone().into(),
            help: finding.help.clone().into(),
        };
        match (&finding.record, finding.span) {
            (Some(record), Some(_)) => render::render(
                &mut out,
                finding.name.as_deref().unwrap_or(""),
                record,
                &diagnostic,
                style,
            ),
            _ => {
                let _ = writeln!(
                    out,
                    "{}[{}]: {}",
                    finding.severity.as_str(),
                    finding.code,
                    finding.message
                );
                if let Some(name) = &finding.name {
                    let _ = writeln!(out, "  --> {name}");
                }
                for (i, line) in finding.help.lines().enumerate() {
                    let _ = writeln!(out, "  {} {line}", if i == 0 { "= help:" } else { "       " });
                }
                let _ = writeln!(out);
            }
        }
    }
    format_score(&mut out, report);
    let _ = writeln!(
        out,
        "{} DNS queries, critical path {} lookups deep, {} ms",
        report.queries, report.critical_path, report.elapsed_ms
    );
    out
}

fn area_name(area: catalogue::Area) -> &'static str {
    match area {
        catalogue::Area::Authentication => "authentication",
        catalogue::Area::Infrastructure => "infrastructure",
        catalogue::Area::Reputation => "reputation",
        catalogue::Area::TransportSecurity => "transport security",
        catalogue::Area::Brand => "brand",
        catalogue::Area::None => "other",
    }
}

/// The score, the grade and where the points went. When most points could not be judged the
/// score means nothing, and saying "0, F" would blame the domain for a resolver's failure.
fn format_score(out: &mut String, report: &Report) {
    use std::fmt::Write as _;
    let (Some(score), Some(grade)) = (report.score, report.grade) else {
        let _ = writeln!(
            out,
            "Score: not judged: too few checks could be completed for a score (see the causes above)\n"
        );
        return;
    };
    let parked = if report.parked {
        " (parked domain: DKIM, MTA-STS, TLS-RPT and BIMI do not apply)"
    } else {
        ""
    };
    let _ = writeln!(out, "Score: {score}/100, grade {grade}{parked}");
    if let Some(cap) = &report.grade_cap {
        let _ = writeln!(out, "  {cap}");
    }
    for area in &report.areas {
        let unknown = if area.unknown > 0.0 {
            format!(", {:.1} not judged", area.unknown)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {:<19} {:>5.1} of {:>5.1}{unknown}",
            area_name(area.area),
            area.earned,
            area.max
        );
    }
    if report.unknown_points > 0.0 {
        let _ = writeln!(
            out,
            "  {:.1} points could not be judged (checks unknown); the score is over the rest",
            report.unknown_points
        );
    }
    let _ = writeln!(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_record_diagnostics_are_shown_at_their_line_of_the_text() {
        let text = "$ORIGIN example.com.\n@ IN TXT ( \"v=spf1 mx \"\n   \"inlcude:_spf.example.net -all\" )\n";
        let out = format_parse(&analyze(text, None), text, "zone.txt", Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "error[SPF005]: unknown mechanism `inlcude`", "{out}");
        assert_eq!(lines[1], "  --> zone.txt:3:5 (spf at example.com)", "{out}");
        assert_eq!(lines[3], "3 |    \"inlcude:_spf.example.net -all\" )", "{out}");
        assert_eq!(lines[4], "  |     ^^^^^^^", "{out}");

        // A record checked as meant (here unquoted) is shown in its own text.
        let text = "example.com. TXT v=spf1 inlcude:_spf.example.net -all\n";
        let out = format_parse(&analyze(text, None), text, "zone.txt", Style { color: false });
        assert!(out.contains("--> zone.txt:1 example.com (spf):1:8"), "{out}");
        assert!(out.contains("1 | v=spf1 inlcude:_spf.example.net -all"), "{out}");
    }
}
