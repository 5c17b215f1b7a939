//! Macro expansion (RFC 7208 §7.3) for everything but `%{p}`, which needs DNS and lives in
//! the evaluator.

use std::net::IpAddr;

use crate::parse::spf::Macro;

/// The values a macro can expand to, fixed for one evaluation except `d`.
pub(crate) struct MacroValues<'a> {
    pub sender: &'a str,
    pub local: &'a str,
    pub sender_domain: &'a str,
    pub helo: &'a str,
    pub ip: IpAddr,
}

/// §7.3 `i`: dotted decimal for IPv4, dot-separated nibbles for IPv6. The nibbles are upper
/// case, as pyspf writes them and as the RFC 7208 suite's explanations expect; DNS compares
/// names case-insensitively, so lookups are unaffected.
pub(crate) fn ip_dotted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(63);
            for byte in v6.octets() {
                for nibble in [byte >> 4, byte & 0x0f] {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push(
                        char::from_digit(u32::from(nibble), 16)
                            .unwrap_or('0')
                            .to_ascii_uppercase(),
                    );
                }
            }
            out
        }
    }
}

/// The reverse-lookup name of an address (`4.3.2.1.in-addr.arpa`, nibbles `.ip6.arpa`).
pub(crate) fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa")
        }
        IpAddr::V6(_) => {
            let dotted = ip_dotted(ip).to_ascii_lowercase();
            let mut nibbles: Vec<&str> = dotted.split('.').collect();
            nibbles.reverse();
            format!("{}.ip6.arpa", nibbles.join("."))
        }
    }
}

/// The value of a macro letter other than `p`.
pub(crate) fn letter_value(letter: char, values: &MacroValues, domain: &str) -> String {
    match letter {
        's' => values.sender.to_string(),
        'l' => values.local.to_string(),
        'o' => values.sender_domain.to_string(),
        'd' => domain.to_string(),
        'i' => ip_dotted(values.ip),
        'v' => match values.ip {
            IpAddr::V4(_) => "in-addr".to_string(),
            IpAddr::V6(_) => "ip6".to_string(),
        },
        'h' => values.helo.to_string(),
        'c' => values.ip.to_string(),
        // The receiving host is not known to a checker; RFC 7208 §7.3 suggests "unknown".
        'r' => "unknown".to_string(),
        't' => now_seconds().to_string(),
        _ => String::new(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn now_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(target_arch = "wasm32")]
fn now_seconds() -> u64 {
    // `SystemTime::now` panics on wasm32-unknown-unknown; the browser clock is the source.
    (js_sys::Date::now() / 1000.0) as u64
}

/// Applies the transformers of `mac` to `value`: split on the delimiters, reverse, keep the
/// right-hand parts, join with dots, then URL-escape when the letter was upper case.
pub(crate) fn transform(mac: &Macro, value: &str) -> String {
    let delimiters: Vec<char> = if mac.delimiters.is_empty() {
        vec!['.']
    } else {
        mac.delimiters.chars().collect()
    };
    let mut parts: Vec<&str> = value.split(|c| delimiters.contains(&c)).collect();
    if mac.reverse {
        parts.reverse();
    }
    if let Some(keep) = mac.digits {
        let keep = usize::try_from(keep).unwrap_or(usize::MAX);
        if keep < parts.len() {
            parts = parts.split_off(parts.len() - keep);
        }
    }
    let joined = parts.join(".");
    if mac.url_escape {
        url_escape(&joined)
    } else {
        joined
    }
}

/// Percent-encodes every byte outside the URI unreserved set (§7.3, RFC 3986).
pub(crate) fn url_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
