//! Dumps the `Debug` of `spf::parse` (value and diagnostics) and of `spf::parse_txt` for every
//! line of the given files: a before/after check that parser changes keep behaviour.
//!
//!     cargo run --release --example spf_dump FILE... > dump.txt

use sendercheck::parse::spf;

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
        for line in bytes.split(|&b| b == b'\n') {
            let text = String::from_utf8_lossy(line);
            println!("{:?}", spf::parse(&text));
            let chunks: Vec<&[u8]> = line.chunks(40).collect();
            println!("{:?}", spf::parse_txt(&chunks));
        }
    }
}
