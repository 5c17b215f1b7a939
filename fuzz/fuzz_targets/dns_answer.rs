#![no_main]
//! DNS answer decoding on arbitrary bytes: what a DoH server (or anything pretending to be one)
//! sends back. The first byte picks the question type, the id check and the question name; the
//! rest is the message.

use libfuzzer_sys::fuzz_target;
use sendercheck::dns::wire::decode_answer;
use sendercheck::dns::RecordType;

const TYPES: [RecordType; 9] = [
    RecordType::A,
    RecordType::Aaaa,
    RecordType::Mx,
    RecordType::Txt,
    RecordType::Cname,
    RecordType::Ptr,
    RecordType::Ns,
    RecordType::Soa,
    RecordType::Spf,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, message)) = data.split_first() else {
        return;
    };
    let rtype = TYPES[usize::from(selector & 0x0f) % TYPES.len()];
    // With an id, the decoder compares it with the message's; take it from the message itself
    // half of the time so that the rest of the decoder is reached.
    let id = match selector >> 6 {
        0 => None,
        1 => Some(0x1234),
        _ => message.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]])),
    };
    let name = if selector & 0x20 == 0 {
        "example.test"
    } else {
        "www.example.test."
    };
    let _ = decode_answer(message, id, name, rtype);
});
