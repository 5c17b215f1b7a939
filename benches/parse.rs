//! Parse throughput over the record corpora (records per second, diagnostics included).
//!
//!     cargo bench --bench parse
//!
//! The corpora are read from ../shared/testsuites/corpus beside the repository, or $SENDERCHECK_CORPUS.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sendercheck::parse::{dkim, dmarc, spf};

fn load(file: &str) -> Vec<String> {
    let dir = std::env::var("SENDERCHECK_CORPUS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/testsuites/corpus").to_string());
    let path = format!("{dir}/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn bench_kind(c: &mut Criterion, name: &str, file: &str, parse: fn(&str) -> usize) {
    let records = load(file);
    let mut group = c.benchmark_group("parse");
    // One iteration parses the whole corpus, so throughput is in records.
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function(name, |b| {
        b.iter(|| records.iter().map(|r| parse(black_box(r))).sum::<usize>())
    });
    group.finish();
}

fn parse_corpora(c: &mut Criterion) {
    bench_kind(c, "spf", "spf-records.txt", |r| spf::parse(r).diagnostics.len());
    bench_kind(c, "dmarc", "dmarc-records.txt", |r| dmarc::parse(r).diagnostics.len());
    bench_kind(c, "dkim", "dkim-key-records.txt", |r| dkim::parse(r).diagnostics.len());
}

criterion_group!(benches, parse_corpora);
criterion_main!(benches);
