//! Parses the SPF corpus a fixed number of times, for exact instruction counts:
//!
//!     valgrind --tool=cachegrind --cache-sim=no target/release/examples/spf_count [CORPUS_DIR] [ROUNDS]
//!
//! Run with 0 and N rounds; the difference of `I refs` divided by N * records is the cost of
//! one record, diagnostics included.

use std::hint::black_box;

use sendercheck::parse::spf;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/testsuites/corpus").to_string());
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let path = format!("{dir}/spf-records.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let records: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let mut diagnostics = 0;
    for _ in 0..rounds {
        for record in &records {
            diagnostics += black_box(spf::parse(black_box(record))).diagnostics.len();
        }
    }
    println!("{} records x {rounds} rounds, {diagnostics} diagnostics", records.len());
}
