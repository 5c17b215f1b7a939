#![no_main]
//! The `domain` crate's zone-file scanner by itself, used the way `parse::zone` uses it: one
//! entry read from one line, `allow_invalid`, origin `example.test.`, and only on lines that
//! pass the guard `parse::zone::scanner_line_is_terminated`. Without the guard the scanner
//! panics within seconds (index out of bounds when the text ends inside a token, quote or
//! group: docs/fuzzing.md); with it, a crash here means the guard lets a panicking line through.

use std::str::FromStr;

use domain::base::name::Name;
use domain::zonefile::inplace::Zonefile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if !sendercheck::parse::zone::scanner_line_is_terminated(data) {
        return;
    }
    let mut zonefile = Zonefile::from(data).allow_invalid();
    if let Ok(origin) = Name::from_str("example.test.") {
        zonefile.set_origin(origin);
    }
    let _ = zonefile.next_entry();
});
