#![no_main]
//! The BIMI record parser on arbitrary text.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = sendercheck::parse::bimi::parse(&text);
});
