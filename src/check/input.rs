//! What people paste into the domain field, turned into a domain name or a clear refusal.
//!
//! Accepted: a bare domain, an email address, a `mailto:` link, a URL with scheme, port, path,
//! query or fragment; any case; a trailing dot; surrounding spaces; Unicode (IDN), converted to
//! A-labels (natively with the `idna` crate, in the browser with the browser's own URL parser,
//! which costs the wasm nothing).

use std::fmt;
use std::net::IpAddr;

/// A domain ready for DNS: ASCII (A-labels), lowercase, no trailing dot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    pub ascii: String,
    /// The form to show people: Unicode when the input was Unicode.
    pub display: String,
}

/// Why an input cannot be a domain. Messages are short and name the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    Empty,
    ControlCharacter,
    IpAddress(String),
    TooLong(usize),
    LabelTooLong(String),
    EmptyLabel,
    SingleLabel(String),
    BadCharacter(char),
    HyphenAtEdge(String),
    Idna(String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => f.write_str("enter a domain, an email address or a URL"),
            InputError::ControlCharacter => f.write_str("the input contains control characters; type the domain again"),
            InputError::IpAddress(ip) => write!(
                f,
                "{ip} is an IP address, not a domain; enter the domain you send from, and give the IP as a sending IP"
            ),
            InputError::TooLong(len) => write!(f, "the name is {len} bytes long; a domain name has at most 253"),
            InputError::LabelTooLong(label) => write!(
                f,
                "the label \"{}\" is {} bytes long; each part between dots has at most 63",
                shorten(label),
                label.len()
            ),
            InputError::EmptyLabel => {
                f.write_str("the name has an empty part (\"..\" or a leading dot); remove the extra dot")
            }
            InputError::SingleLabel(name) => {
                write!(f, "\"{name}\" has no dot; enter a full domain such as example.com")
            }
            InputError::BadCharacter(c) => write!(
                f,
                "{c:?} cannot appear in a domain name; use letters, digits, hyphens and dots"
            ),
            InputError::HyphenAtEdge(label) => write!(
                f,
                "the part \"{}\" starts or ends with a hyphen, which a host name cannot; check the name",
                shorten(label)
            ),
            InputError::Idna(detail) => write!(f, "not a valid internationalised domain name: {detail}"),
        }
    }
}

impl std::error::Error for InputError {}

fn shorten(text: &str) -> String {
    if text.chars().count() > 20 {
        let head: String = text.chars().take(17).collect();
        format!("{head}...")
    } else {
        text.to_string()
    }
}

/// Extracts the domain from what a person pasted and checks it can be a domain name.
pub fn normalize_domain(input: &str) -> Result<Domain, InputError> {
    if input.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(InputError::ControlCharacter);
    }
    let host = extract_host(input.trim());
    if host.chars().any(char::is_control) {
        return Err(InputError::ControlCharacter);
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return Err(InputError::Empty);
    }
    let unbracketed = host.trim_start_matches('[').trim_end_matches(']');
    if unbracketed.parse::<IpAddr>().is_ok() {
        return Err(InputError::IpAddress(unbracketed.to_string()));
    }
    if let Some(c) = host.chars().find(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '/' | '\\'
                    | '@'
                    | ':'
                    | '?'
                    | '#'
                    | '<'
                    | '>'
                    | '"'
                    | ','
                    | ';'
                    | '['
                    | ']'
                    | '%'
                    | '*'
                    | '!'
                    | '='
                    | '+'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '{'
                    | '}'
                    | '|'
                    | '^'
                    | '`'
                    | '~'
                    | '$'
            )
    }) {
        return Err(InputError::BadCharacter(c));
    }
    if host.split('.').any(str::is_empty) {
        return Err(InputError::EmptyLabel);
    }
    let ascii = if host.is_ascii() {
        host.to_ascii_lowercase()
    } else {
        to_ascii(host)?
    };
    validate_ascii(&ascii)?;
    let display = if host.is_ascii() {
        ascii.clone()
    } else {
        lowercase(host)
    };
    Ok(Domain { ascii, display })
}

/// Unicode lowercase for display. In the browser, JavaScript's own `toLowerCase` does it: Rust's
/// brings a case table of about 12 KB into the wasm for this one call.
#[cfg(not(target_arch = "wasm32"))]
fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(target_arch = "wasm32")]
fn lowercase(text: &str) -> String {
    js_sys::JsString::from(text)
        .to_lower_case()
        .as_string()
        .unwrap_or_else(|| text.to_string())
}

/// The host part of an email address, `mailto:` link or URL; the input itself otherwise.
fn extract_host(input: &str) -> &str {
    let mut rest = input;
    // A From header's address as mail programs show it: `Name <user@example.com>`.
    if let (Some(open), true) = (rest.rfind('<'), rest.ends_with('>')) {
        rest = rest.get(open + 1..rest.len() - 1).unwrap_or(rest).trim();
    }
    if let Some(stripped) = strip_prefix_ignore_case(rest, "mailto:") {
        rest = stripped;
    }
    if let Some(index) = crate::text::find(rest, "://") {
        rest = &rest[index + 3..];
        // A URL: the authority ends at the first '/', '?' or '#'.
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        rest = &rest[..end];
        // Drop user information.
        if let Some(at) = rest.rfind('@') {
            rest = &rest[at + 1..];
        }
        // Drop the port, but not the colons of an IPv6 literal.
        if !rest.starts_with('[') {
            if let Some(colon) = rest.rfind(':') {
                if rest[colon + 1..].chars().all(|c| c.is_ascii_digit()) {
                    rest = &rest[..colon];
                }
            }
        } else if let Some(close) = rest.find(']') {
            rest = &rest[..=close];
        }
        return rest;
    }
    // `mailto:` links may carry `?subject=...`.
    let rest = match rest.find('?') {
        Some(index) if input.len() != rest.len() => &rest[..index],
        _ => rest,
    };
    // An email address: the domain follows the last '@' (local parts may be quoted).
    let rest = match rest.rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    // A bare host with a path, e.g. "example.com/contact".
    let end = rest.find(['/', '#']).unwrap_or(rest.len());
    let rest = &rest[..end];
    // "example.com:443" without a scheme.
    match rest.rfind(':') {
        Some(colon)
            if !rest[colon + 1..].is_empty()
                && rest[colon + 1..].chars().all(|c| c.is_ascii_digit())
                && rest[..colon].contains('.') =>
        {
            &rest[..colon]
        }
        _ => rest,
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

fn validate_ascii(ascii: &str) -> Result<(), InputError> {
    if ascii.len() > 253 {
        return Err(InputError::TooLong(ascii.len()));
    }
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err(InputError::EmptyLabel);
        }
        if label.len() > 63 {
            return Err(InputError::LabelTooLong(label.to_string()));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(InputError::BadCharacter(c));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(InputError::HyphenAtEdge(label.to_string()));
        }
    }
    if !ascii.contains('.') {
        return Err(InputError::SingleLabel(ascii.to_string()));
    }
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
fn to_ascii(host: &str) -> Result<String, InputError> {
    idna::domain_to_ascii(host).map_err(|error| InputError::Idna(error.to_string()))
}

/// The browser's URL parser applies UTS #46 to the host, as `idna` does natively.
#[cfg(target_arch = "wasm32")]
fn to_ascii(host: &str) -> Result<String, InputError> {
    let url = web_sys::Url::new(&format!("http://{host}/"))
        .map_err(|_| InputError::Idna(format!("the browser cannot read \"{host}\" as a domain")))?;
    Ok(url.hostname())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_people_paste() {
        for (input, expected) in [
            ("example.com", "example.com"),
            ("  Example.COM.  ", "example.com"),
            ("alice@example.com", "alice@example.com"),
            ("mailto:alice@Example.com?subject=hi", "example.com"),
            ("MAILTO:bob@example.org", "example.org"),
            ("https://www.example.com:8443/path?q=1#frag", "www.example.com"),
            ("http://user:pw@example.net/", "example.net"),
            ("example.com/contact", "example.com"),
            ("example.com:443", "example.com"),
            ("\"odd@local\"@example.com", "example.com"),
            ("bücher.example", "xn--bcher-kva.example"),
            ("https://BÜCHER.example/", "xn--bcher-kva.example"),
            ("_dmarc.example.com", "_dmarc.example.com"),
            // A From header's address, as mail programs show it.
            ("Alice Example <alice@Example.com>", "example.com"),
            ("<bob@example.org>", "example.org"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ] {
            let expected = if expected.contains('@') {
                "example.com"
            } else {
                expected
            };
            assert_eq!(
                normalize_domain(input).map(|d| d.ascii),
                Ok(expected.to_string()),
                "input {input:?}"
            );
        }
        assert_eq!(normalize_domain("bücher.example").unwrap().display, "bücher.example");
    }

    #[test]
    fn refuses_what_cannot_be_a_domain() {
        let long_label = format!("{}.com", "a".repeat(64));
        let long_name = format!("{}com", "abcdefghi.".repeat(26));
        for (input, expected) in [
            ("", InputError::Empty),
            ("   ", InputError::Empty),
            ("alice@", InputError::Empty),
            ("example..com", InputError::EmptyLabel),
            (".example.com", InputError::EmptyLabel),
            ("192.0.2.1", InputError::IpAddress("192.0.2.1".into())),
            ("2001:db8::1", InputError::IpAddress("2001:db8::1".into())),
            ("http://[2001:db8::1]:25/", InputError::IpAddress("2001:db8::1".into())),
            ("exa\u{7}mple.com", InputError::ControlCharacter),
            ("exa mple.com", InputError::BadCharacter(' ')),
            ("localhost", InputError::SingleLabel("localhost".into())),
            ("-example.test", InputError::HyphenAtEdge("-example".into())),
            ("example-.test", InputError::HyphenAtEdge("example-".into())),
        ] {
            assert_eq!(normalize_domain(input), Err(expected), "input {input:?}");
        }
        assert!(matches!(
            normalize_domain(&long_label),
            Err(InputError::LabelTooLong(_))
        ));
        assert!(matches!(normalize_domain(&long_name), Err(InputError::TooLong(_))));
    }
}
