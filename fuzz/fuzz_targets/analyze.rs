#![no_main]
//! The parse dispatcher: kind detection on the text, then once more with the kind forced by the
//! first byte, so that every parser also sees text meant for another one.

use libfuzzer_sys::fuzz_target;
use sendercheck::parse::analyze::{analyze, RecordKind};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let _ = analyze(&text, None);
    let kinds = RecordKind::ALL;
    let kind = kinds[usize::from(selector) % kinds.len()];
    let _ = analyze(&text, Some(kind));
});
