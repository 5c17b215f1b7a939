#![no_main]
//! The DKIM key record parser (with DER key decoding) on arbitrary text.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = sendercheck::parse::dkim::parse(&text);
});
