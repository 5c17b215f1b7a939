//! Parse throughput over the record corpora, diagnostics included: a plain timing loop for
//! `scripts/bench.sh` (the criterion version is `benches/parse.rs`).
//!
//!     cargo run --release --example parse_bench [CORPUS_DIR] [SECONDS_PER_KIND] [KINDS]
//!
//! CORPUS_DIR holds spf-records.txt, dmarc-records.txt and dkim-key-records.txt, one record a
//! line (default ../shared/testsuites/corpus beside the repository, or $SENDERCHECK_CORPUS). KINDS is a comma list
//! (default `spf,dmarc,dkim`). Prints one line per kind:
//! `<kind> <records/s by wall time> <records/s by CPU time> <records> <rounds> <seconds> <diagnostics per round>`.
//!
//! The CPU-time rate divides by the thread's own user+system time (from /proc, Linux only;
//! else it repeats the wall rate), so it stays meaningful on a machine shared with other work.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sendercheck::parse::{dkim, dmarc, spf};

fn load(dir: &str, file: &str) -> Vec<String> {
    let path = format!("{dir}/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// This thread's user+system CPU time in seconds, from /proc/thread-self/stat (clock ticks of
/// 1/100 s, the Linux USER_HZ).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after its `)` are plain numbers.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Parses every record once per round until `budget` has passed; prints records per second.
fn measure(kind: &str, records: &[String], budget: Duration, parse: impl Fn(&str) -> usize) {
    // One untimed round to warm caches and the allocator.
    let diagnostics: usize = records.iter().map(|r| parse(black_box(r))).sum();
    let cpu_start = thread_cpu_seconds();
    let start = Instant::now();
    let mut rounds = 0u64;
    while start.elapsed() < budget {
        for record in records {
            black_box(parse(black_box(record)));
        }
        rounds += 1;
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, thread_cpu_seconds()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => seconds,
    };
    let parsed = rounds as f64 * records.len() as f64;
    println!(
        "{kind} {:.0} {:.0} {} {rounds} {seconds:.3} {diagnostics}",
        parsed / seconds,
        parsed / cpu,
        records.len()
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .or_else(|| std::env::var("SENDERCHECK_CORPUS").ok())
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/testsuites/corpus").to_string());
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let budget = Duration::from_secs_f64(seconds);
    let kinds = args.next().unwrap_or_else(|| "spf,dmarc,dkim".to_string());
    let wanted = |kind: &str| kinds.split(',').any(|k| k == kind);
    let spf_records = load(&dir, "spf-records.txt");
    let dmarc_records = load(&dir, "dmarc-records.txt");
    let dkim_records = load(&dir, "dkim-key-records.txt");
    if wanted("spf") {
        measure("spf", &spf_records, budget, |r| spf::parse(r).diagnostics.len());
    }
    if wanted("dmarc") {
        measure("dmarc", &dmarc_records, budget, |r| dmarc::parse(r).diagnostics.len());
    }
    if wanted("dkim") {
        measure("dkim", &dkim_records, budget, |r| dkim::parse(r).diagnostics.len());
    }
}
