#![no_main]
//! The SPF record parser on arbitrary text, and the TXT-strings entry point on the raw bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = sendercheck::parse::spf::parse(&text);
    // The same bytes as TXT character-strings, split where a NUL byte is.
    let strings: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    let _ = sendercheck::parse::spf::parse_txt(&strings);
});
