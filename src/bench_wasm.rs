//! A wasm export for `scripts/bench.sh`: parses a corpus of records (one a line) `rounds` times
//! inside wasm, so that node can time the parsers without a JS/wasm crossing per record.
//! Built only with the `bench-wasm` feature for wasm32; the page's build never contains it.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::parse::{dkim, dmarc, spf};

/// Parses every line of `records` as `kind` ("spf", "dmarc" or "dkim") `rounds` times and
/// returns the number of diagnostics of one round (so the work cannot be optimised away, and
/// so the caller can compare it with the native run). An unknown kind parses nothing.
#[wasm_bindgen]
pub fn bench_parse(kind: &str, records: &str, rounds: u32) -> u32 {
    let parse: fn(&str) -> usize = match kind {
        "spf" => |r| spf::parse(r).diagnostics.len(),
        "dmarc" => |r| dmarc::parse(r).diagnostics.len(),
        "dkim" => |r| dkim::parse(r).diagnostics.len(),
        _ => return 0,
    };
    let lines: Vec<&str> = records.lines().filter(|l| !l.is_empty()).collect();
    let mut diagnostics = 0usize;
    for round in 0..rounds {
        let count: usize = lines.iter().map(|line| parse(std::hint::black_box(line))).sum();
        std::hint::black_box(count);
        if round == 0 {
            diagnostics = count;
        }
    }
    u32::try_from(diagnostics).unwrap_or(u32::MAX)
}
