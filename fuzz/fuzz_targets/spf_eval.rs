#![no_main]
//! SPF evaluation over a fuzzed zone: `check_host` through `ZoneResolver`, run to completion
//! with `block_on`. The first line is the query, `<ip> <domain> [<sender> [<helo>]]` (defaults
//! 192.0.2.1, example.test); the rest is zone text with the origin `example.test`.

use std::net::IpAddr;

use libfuzzer_sys::fuzz_target;
use sendercheck::dns::block::block_on;
use sendercheck::dns::zone_resolver::ZoneResolver;
use sendercheck::spf::check_host;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (query, zone) = text.split_once('\n').unwrap_or((&text, ""));
    let mut words = query.split_whitespace();
    let ip: IpAddr = words
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or(IpAddr::from([192, 0, 2, 1]));
    let domain = words.next().unwrap_or("example.test");
    let sender = words.next().unwrap_or("");
    let helo = words.next().unwrap_or("mail.example.test");
    let resolver = ZoneResolver::from_text(zone, Some("example.test"));
    let _ = block_on(check_host(&resolver, ip, domain, sender, helo));
});
