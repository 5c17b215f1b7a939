//! Reverse-DNS names and the "generic PTR" heuristic.
//!
//! Everything here is pure: names are built from the address, and a PTR name is judged by its
//! text. The lookups live in `mod.rs`.

use std::fmt::Write as _;
use std::net::IpAddr;

/// The address as checks see it: an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4
/// address it carries, because that is the address the mail actually came from and the one
/// PTR records and reputation lists are published for.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        IpAddr::V4(v4) => IpAddr::V4(v4),
    }
}

/// The address reversed for DNS: `1.2.0.192` for 192.0.2.1 (RFC 1035 §3.5), and the 32 nibbles
/// reversed and dot-separated for IPv6 (RFC 3596 §2.5). DNS reputation lists use the same
/// form in front of their zone (RFC 5782 §2.1, §2.4).
pub fn reversed_address(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}")
        }
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(63);
            for byte in v6.octets().iter().rev() {
                if !out.is_empty() {
                    out.push('.');
                }
                // Low nibble first: the bytes are reversed, and so are the nibbles in each.
                let _ = write!(out, "{:x}.{:x}", byte & 0x0f, byte >> 4);
            }
            out
        }
    }
}

/// The name a PTR record for the address lives at: `1.2.0.192.in-addr.arpa` or
/// `<32 nibbles>.ip6.arpa`.
pub fn reverse_name(ip: IpAddr) -> String {
    let suffix = match canonical(ip) {
        IpAddr::V4(_) => "in-addr.arpa",
        IpAddr::V6(_) => "ip6.arpa",
    };
    format!("{}.{suffix}", reversed_address(ip))
}

/// Words that mark a reverse name as one an access provider gives its end users' addresses.
///
/// Yahoo's sender requirements ask for reverse DNS that is not generic, and Spamhaus, Gmail and
/// many filters score names like `dsl-192-0-2-1.dynamic.isp.example` as "consumer connection"
/// whatever the PTR resolves back to. The list holds the words access providers actually use
/// for such ranges: dynamic addressing (`dynamic`, `dyn`, `dynip`, `dhcp`, `pool`), access
/// technologies (`dsl`, `adsl`, `vdsl`, `xdsl`, `cable`, `ppp`, `pppoe`, `dialup`, `dial`,
/// `dialin`, `broadband`) and the customer side (`client`, `clients`, `cpe`, `customer`,
/// `cust`, `residential`).
///
/// `static` is deliberately not in the list: a name that says "static" claims the address is
/// not dynamic, and when it is a provider's default name (`static-192-0-2-1.isp.example`) it
/// carries the address, which the address-in-name test already catches. Short or common words
/// (`res`, `home`, `user`, `host`, `ip`) are left out too: they appear in many mail host names
/// that are fine.
pub const GENERIC_WORDS: &[&str] = &[
    "dynamic",
    "dyn",
    "dynip",
    "dhcp",
    "pool",
    "dsl",
    "adsl",
    "vdsl",
    "xdsl",
    "cable",
    "ppp",
    "pppoe",
    "dialup",
    "dial",
    "dialin",
    "broadband",
    "client",
    "clients",
    "cpe",
    "customer",
    "cust",
    "residential",
];

/// Why `name` looks like a provider's generic reverse name for `ip`, or None when it does not.
///
/// Two tests. First, the address itself written in the name in a common form: its octets
/// joined by `-`, `.` or `_`, in address order or reversed (`192-0-2-1`, `1-2-0-192`,
/// `192.0.2.1`), zero-padded (`192000002001`), or as eight hex digits (`c0000201`); for IPv6
/// the 32 hex digits, or the groups joined by `-`. Second, one of [`GENERIC_WORDS`] as a whole
/// word (a run of letters) in any label but the last two: the last two are usually the
/// provider's or owner's own domain, which may contain such a word for other reasons
/// (`mail.dyn.com`).
pub fn generic_ptr_reason(name: &str, ip: IpAddr) -> Option<String> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    for (form, hex) in address_forms(canonical(ip)) {
        if contains_bounded(&name, &form, hex) {
            return Some(format!("it contains the address as {form}"));
        }
    }
    let labels: Vec<&str> = name.split('.').collect();
    let host_labels = labels.len().saturating_sub(2);
    for label in labels.iter().take(host_labels) {
        for word in label.split(|c: char| !c.is_ascii_alphabetic()) {
            if GENERIC_WORDS.contains(&word) {
                return Some(format!("it contains the word {word}"));
            }
        }
    }
    None
}

/// True when [`generic_ptr_reason`] finds a reason.
pub fn is_generic_ptr(name: &str, ip: IpAddr) -> bool {
    generic_ptr_reason(name, ip).is_some()
}

/// The textual forms an address takes inside provider-made names, each with whether it is a
/// hex form (which changes what counts as the edge of the match).
fn address_forms(ip: IpAddr) -> Vec<(String, bool)> {
    let mut forms = Vec::new();
    match ip {
        IpAddr::V4(v4) => {
            let octets = v4.octets();
            let mut reversed = octets;
            reversed.reverse();
            for order in [octets, reversed] {
                for sep in ["-", ".", "_"] {
                    let parts: Vec<String> = order.iter().map(|o| o.to_string()).collect();
                    forms.push((parts.join(sep), false));
                }
                let padded: String = order.iter().map(|o| format!("{o:03}")).collect();
                forms.push((padded, false));
                let hex: String = order.iter().map(|o| format!("{o:02x}")).collect();
                forms.push((hex, true));
            }
        }
        IpAddr::V6(v6) => {
            let hex: String = v6.octets().iter().map(|o| format!("{o:02x}")).collect();
            forms.push((hex, true));
            forms.push((v6.to_string().replace(':', "-"), true));
            let groups: Vec<String> = v6.segments().iter().map(|s| format!("{s:x}")).collect();
            forms.push((groups.join("-"), true));
        }
    }
    forms
}

/// True when `needle` occurs in `haystack` with no digit (or, for hex forms, no hex digit)
/// right before or after it, so 192-0-2-1 does not match inside 192-0-2-10.
fn contains_bounded(haystack: &str, needle: &str, hex: bool) -> bool {
    if needle.is_empty() {
        return false;
    }
    let is_part = |c: char| {
        if hex {
            c.is_ascii_hexdigit()
        } else {
            c.is_ascii_digit()
        }
    };
    let mut start = 0;
    while let Some(found) = haystack.get(start..).and_then(|rest| crate::text::find(rest, needle)) {
        let begin = start + found;
        let end = begin + needle.len();
        let before = haystack.get(..begin).and_then(|s| s.chars().next_back());
        let after = haystack.get(end..).and_then(|s| s.chars().next());
        if !before.is_some_and(is_part) && !after.is_some_and(is_part) {
            return true;
        }
        // Needles are ASCII, so the next char boundary is one byte on.
        start = begin + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    #[test]
    fn reversed_names() {
        assert_eq!(reverse_name(v4(192, 0, 2, 1)), "1.2.0.192.in-addr.arpa");
        assert_eq!(reversed_address(v4(198, 51, 100, 255)), "255.100.51.198");
        let v6: IpAddr = "2001:db8::25".parse().unwrap();
        assert_eq!(
            reverse_name(v6),
            "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
        // RFC 3596 §2.5's own example.
        let rfc: IpAddr = "4321:0:1:2:3:4:567:89ab".parse().unwrap();
        assert_eq!(
            reverse_name(rfc),
            "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa"
        );
        // IPv4-mapped IPv6 is the IPv4 address.
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(canonical(mapped), v4(192, 0, 2, 1));
        assert_eq!(reverse_name(mapped), "1.2.0.192.in-addr.arpa");
        // A plain IPv6 address that merely ends in IPv4-looking bits is not mapped.
        let compat: IpAddr = "::192.0.2.1".parse().unwrap();
        assert!(reverse_name(compat).ends_with(".ip6.arpa"));
        assert_eq!(
            canonical(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        );
    }

    #[test]
    fn generic_names_are_found() {
        let ip = v4(192, 0, 2, 50);
        for (name, why) in [
            ("192-0-2-50.dynamic.isp.example", "192-0-2-50"),
            ("50-2-0-192.static.isp.example", "50-2-0-192"),
            ("host192.0.2.50.isp.example", "192.0.2.50"),
            ("50.2.0.192.rev.isp.example", "50.2.0.192"),
            ("ip_192_0_2_50.isp.example", "192_0_2_50"),
            ("c-192000002050.isp.example", "192000002050"),
            ("ipc0000232.isp.example", "c0000232"),
            ("x320200c0.isp.example", "320200c0"),
            ("ec2-192-0-2-50.compute-1.amazonaws.com", "192-0-2-50"),
        ] {
            let reason = generic_ptr_reason(name, ip);
            assert_eq!(
                reason.as_deref(),
                Some(format!("it contains the address as {why}").as_str()),
                "{name}"
            );
        }
        for (name, word) in [
            ("adsl-line-7.isp.example", "adsl"),
            ("dhcp123.pool.isp.example", "dhcp"),
            ("cpe.customers.isp.example", "cpe"),
            ("client-7.broadband.isp.example", "client"),
            ("ppp12.isp.example", "ppp"),
            ("a.b.dyn.isp.example", "dyn"),
        ] {
            assert_eq!(
                generic_ptr_reason(name, ip).as_deref(),
                Some(format!("it contains the word {word}").as_str()),
                "{name}"
            );
        }
        let v6: IpAddr = "2001:db8::25".parse().unwrap();
        assert!(is_generic_ptr("2001-db8--25.pool.isp.example", v6));
        assert!(is_generic_ptr("x20010db8000000000000000000000025.isp.example", v6));
    }

    #[test]
    fn good_names_are_not_generic() {
        let ip = v4(192, 0, 2, 50);
        for name in [
            "mail.example.com",
            "mx1.sender.test",
            "smtp-out.mail.example.com",
            // Another address's digits are not this address.
            "192-0-2-51.mail.example.com",
            "192-0-2-500.isp.example",
            "1192-0-2-50.isp.example",
            // The words in the registered domain do not count.
            "mail.dyn.com",
            "mx.cablelabs.example",
            "outbound.pool-party.example",
            // Static is not a generic word.
            "static.mail.example.com",
        ] {
            assert_eq!(generic_ptr_reason(name, ip), None, "{name}");
        }
        // Only whole words: "dsl" inside "mydslr" is not a word of its own.
        assert!(!is_generic_ptr("mydslr.mail.example.com", ip));
        // Mapped addresses are judged as their IPv4 address.
        let mapped: IpAddr = "::ffff:192.0.2.50".parse().unwrap();
        assert!(is_generic_ptr("192-0-2-50.isp.example", mapped));
        assert!(!is_generic_ptr("mail.example.com", mapped));
    }
}
