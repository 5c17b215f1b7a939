#![no_main]
//! The zone-file parser on arbitrary text, with and without a default origin.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = sendercheck::parse::zone::parse(&text, None);
    let _ = sendercheck::parse::zone::parse(&text, Some("example.test"));
});
