//! The data of one zone-file record, for the types sendercheck looks up (A, AAAA, MX, CNAME,
//! PTR, NS, SOA); TXT and type 99 SPF are read by the zone reader itself, because the length
//! rules need the span of every string.
//!
//! This is our own small reader rather than the `domain` crate's zone-file scanner: the
//! scanner knows every record type, and with the date parser its RRSIG times need it is a
//! large part of the browser module. The data of other types is kept as written (or, in the
//! RFC 3597 generic form `\# len hex`, as its wire bytes), without being checked.
//!
//! Every read is bounds-checked and returns an error, never panics.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::dns::{normalize_name, RData, RecordType};

/// One field of the data as the zone reader split it.
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    /// A word as written (escapes kept), or the decoded bytes of a quoted string.
    pub bytes: &'a [u8],
    pub quoted: bool,
}

/// Why the data could not be read: `detail` goes after "bad TYPE record: ".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bad {
    pub detail: String,
}

fn bad(detail: impl Into<String>) -> Bad {
    Bad { detail: detail.into() }
}

/// The longest domain name in wire form (RFC 1035 §3.1).
const MAX_NAME: usize = 255;
/// The longest label (RFC 1035 §3.1).
const MAX_LABEL: usize = 63;

/// Record type mnemonics and their numbers (IANA DNS parameters registry). The reader uses
/// this table to tell a known type from a typo such as `DKIM`.
static TYPES: &[(&str, u16)] = &[
    ("A", 1),
    ("NS", 2),
    ("MD", 3),
    ("MF", 4),
    ("CNAME", 5),
    ("SOA", 6),
    ("MB", 7),
    ("MG", 8),
    ("MR", 9),
    ("NULL", 10),
    ("WKS", 11),
    ("PTR", 12),
    ("HINFO", 13),
    ("MINFO", 14),
    ("MX", 15),
    ("TXT", 16),
    ("RP", 17),
    ("AFSDB", 18),
    ("X25", 19),
    ("ISDN", 20),
    ("RT", 21),
    ("NSAP", 22),
    ("NSAP-PTR", 23),
    ("SIG", 24),
    ("KEY", 25),
    ("PX", 26),
    ("GPOS", 27),
    ("AAAA", 28),
    ("LOC", 29),
    ("NXT", 30),
    ("EID", 31),
    ("NIMLOC", 32),
    ("SRV", 33),
    ("ATMA", 34),
    ("NAPTR", 35),
    ("KX", 36),
    ("CERT", 37),
    ("A6", 38),
    ("DNAME", 39),
    ("SINK", 40),
    ("OPT", 41),
    ("APL", 42),
    ("DS", 43),
    ("SSHFP", 44),
    ("IPSECKEY", 45),
    ("RRSIG", 46),
    ("NSEC", 47),
    ("DNSKEY", 48),
    ("DHCID", 49),
    ("NSEC3", 50),
    ("NSEC3PARAM", 51),
    ("TLSA", 52),
    ("SMIMEA", 53),
    ("HIP", 55),
    ("NINFO", 56),
    ("RKEY", 57),
    ("TALINK", 58),
    ("CDS", 59),
    ("CDNSKEY", 60),
    ("OPENPGPKEY", 61),
    ("CSYNC", 62),
    ("ZONEMD", 63),
    ("SVCB", 64),
    ("HTTPS", 65),
    ("DSYNC", 66),
    ("HHIT", 67),
    ("BRID", 68),
    ("SPF", 99),
    ("UINFO", 100),
    ("UID", 101),
    ("GID", 102),
    ("UNSPEC", 103),
    ("NID", 104),
    ("L32", 105),
    ("L64", 106),
    ("LP", 107),
    ("EUI48", 108),
    ("EUI64", 109),
    ("NXNAME", 128),
    ("TKEY", 249),
    ("TSIG", 250),
    ("IXFR", 251),
    ("AXFR", 252),
    ("MAILB", 253),
    ("MAILA", 254),
    ("ANY", 255),
    ("URI", 256),
    ("CAA", 257),
    ("AVC", 258),
    ("DOA", 259),
    ("AMTRELAY", 260),
    ("RESINFO", 261),
    ("WALLET", 262),
    ("CLA", 263),
    ("IPN", 264),
    ("TA", 32768),
    ("DLV", 32769),
];

/// The number of a type written as a mnemonic (any case) or as `TYPEnnn` (RFC 3597 §5).
pub fn type_code(word: &str) -> Option<u16> {
    if let Some((_, code)) = TYPES.iter().find(|(name, _)| name.eq_ignore_ascii_case(word)) {
        return Some(*code);
    }
    let prefix = word.get(..4)?;
    let digits = word.get(4..)?;
    if prefix.eq_ignore_ascii_case("TYPE") && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.parse().ok();
    }
    None
}

/// The mnemonic of a type, or `TYPEnnn` for one without.
pub fn type_name(code: u16) -> String {
    match TYPES.iter().find(|(_, c)| *c == code) {
        Some((name, _)) => (*name).to_string(),
        None => format!("TYPE{code}"),
    }
}

/// An example of the data of a type, for the help of a bad entry.
pub fn example_data(code: u16) -> &'static str {
    match RecordType::from_code(code) {
        Some(RecordType::A) => "192.0.2.1",
        Some(RecordType::Aaaa) => "2001:db8::1",
        Some(RecordType::Mx) => "10 mail.example.com.",
        Some(RecordType::Cname | RecordType::Ns | RecordType::Ptr) => "host.example.com.",
        Some(RecordType::Soa) => "ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600",
        _ => "the data defined for the type",
    }
}

/// The fields of a type's data that are names, for the zone reader's check of names written
/// without their final dot.
pub fn name_fields(code: u16) -> &'static [usize] {
    match RecordType::from_code(code) {
        Some(RecordType::Mx) => &[1],
        Some(RecordType::Cname | RecordType::Ptr | RecordType::Ns) => &[0],
        Some(RecordType::Soa) => &[0, 1],
        _ => &[],
    }
}

/// Reads the data of a record of type `code` (TXT and SPF are read by the zone reader). Names
/// are made absolute under `origin` (lowercase, no trailing dot, empty for the root) by the
/// zone reader's rule for names as written (`bind`: the origin came from a `$ORIGIN`).
pub fn read(code: u16, fields: &[Field], origin: &str, bind: bool) -> Result<RData, Bad> {
    if let Some(first) = fields.first() {
        if !first.quoted && first.bytes == b"\\#" {
            let wire = read_generic(fields.get(1..).unwrap_or_default())?;
            return match RecordType::from_code(code) {
                Some(_) => from_wire(code, &wire),
                None => Ok(RData::Other {
                    rtype: code,
                    data: wire,
                }),
            };
        }
    }
    let Some(known) = RecordType::from_code(code) else {
        return Ok(RData::Other {
            rtype: code,
            data: as_written(fields).into_bytes(),
        });
    };
    let mut reader = Reader {
        fields,
        next: 0,
        origin,
        bind,
    };
    let rdata = match known {
        RecordType::A => {
            let word = reader.word("an IPv4 address")?;
            RData::A(
                word.parse::<Ipv4Addr>()
                    .map_err(|_| bad(format!("`{word}` is not an IPv4 address")))?,
            )
        }
        RecordType::Aaaa => {
            let word = reader.word("an IPv6 address")?;
            RData::Aaaa(
                word.parse::<Ipv6Addr>()
                    .map_err(|_| bad(format!("`{word}` is not an IPv6 address")))?,
            )
        }
        RecordType::Mx => {
            let word = reader.word("a preference")?;
            let preference = word
                .parse::<u16>()
                .map_err(|_| bad(format!("`{word}` is not a preference (0 to 65535)")))?;
            RData::Mx {
                preference,
                exchange: reader.name("the mail server name")?,
            }
        }
        RecordType::Cname => RData::Cname(reader.name("the target name")?),
        RecordType::Ptr => RData::Ptr(reader.name("the target name")?),
        RecordType::Ns => RData::Ns(reader.name("the name server name")?),
        RecordType::Soa => {
            let mname = reader.name("the primary name server")?;
            let rname = reader.name("the mailbox name")?;
            let word = reader.word("the serial number")?;
            let serial = word
                .parse::<u32>()
                .map_err(|_| bad(format!("`{word}` is not a serial number (0 to 4294967295)")))?;
            for what in [
                "the refresh time",
                "the retry time",
                "the expire time",
                "the minimum ttl",
            ] {
                let word = reader.word(what)?;
                if super::parse_ttl(&word).is_none() {
                    return Err(bad(format!("`{word}` is not a time in seconds")));
                }
            }
            RData::Soa { mname, rname, serial }
        }
        RecordType::Txt | RecordType::Spf => {
            // The zone reader reads these itself; as text, the data is kept as written.
            return Ok(RData::Other {
                rtype: code,
                data: as_written(fields).into_bytes(),
            });
        }
    };
    if let Some(extra) = fields.get(reader.next) {
        return Err(bad(format!(
            "unexpected `{}` after the data",
            String::from_utf8_lossy(extra.bytes)
        )));
    }
    Ok(rdata)
}

struct Reader<'a, 'f> {
    fields: &'a [Field<'f>],
    next: usize,
    origin: &'a str,
    bind: bool,
}

impl Reader<'_, '_> {
    /// The next field as text; `what` names the missing field in the error.
    fn word(&mut self, what: &str) -> Result<String, Bad> {
        let field = self
            .fields
            .get(self.next)
            .ok_or_else(|| bad(format!("{what} is missing")))?;
        self.next += 1;
        Ok(String::from_utf8_lossy(field.bytes).into_owned())
    }

    /// The next field as a domain name, absolute, checked and in the form names take
    /// everywhere in sendercheck.
    fn name(&mut self, what: &str) -> Result<String, Bad> {
        let word = self.word(what)?;
        let full = super::absolute(&word, self.origin, self.bind);
        let labels = name_labels(full.as_bytes()).map_err(|why| bad(format!("`{word}` is not a valid name: {why}")))?;
        Ok(normalize_name(&labels_text(&labels)))
    }
}

/// Why a name is not valid, as [`name_labels`] says it.
pub const EMPTY_LABEL: &str = "empty label";
pub const LONG_LABEL: &str = "label longer than 63 bytes";
pub const LONG_NAME: &str = "name longer than 255 bytes";

/// Checks an absolute name as written (ending with an unescaped dot): no empty label, labels of
/// at most 63 bytes, at most 255 bytes in all.
pub fn check_name(text: &[u8]) -> Result<(), &'static str> {
    name_labels(text).map(|_| ())
}

/// The labels of an absolute name as written (ending with an unescaped dot), with `\X` and
/// `\DDD` escapes decoded. The root is no labels.
fn name_labels(text: &[u8]) -> Result<Vec<Vec<u8>>, &'static str> {
    if text == b"." {
        return Ok(Vec::new());
    }
    let mut labels = Vec::new();
    let mut label = Vec::new();
    let mut pos = 0;
    let mut wire_len = 1;
    while let Some(&byte) = text.get(pos) {
        match byte {
            b'.' => {
                if label.is_empty() {
                    return Err(EMPTY_LABEL);
                }
                wire_len += label.len() + 1;
                labels.push(std::mem::take(&mut label));
                pos += 1;
            }
            b'\\' => {
                let digits = text.get(pos + 1..pos + 4).filter(|d| d.iter().all(u8::is_ascii_digit));
                if let Some(digits) = digits {
                    let value = digits.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
                    label.push(u8::try_from(value).map_err(|_| "escape over \\255")?);
                    pos += 4;
                } else {
                    label.push(*text.get(pos + 1).ok_or("backslash at the end")?);
                    pos += 2;
                }
            }
            _ => {
                label.push(byte);
                pos += 1;
            }
        }
        if label.len() > MAX_LABEL {
            return Err(LONG_LABEL);
        }
    }
    if !label.is_empty() {
        // `absolute` always ends a name with a dot; anything after it is a bad escape.
        return Err("name does not end with a dot");
    }
    if wire_len > MAX_NAME {
        return Err(LONG_NAME);
    }
    Ok(labels)
}

/// A name as text the way the `domain` crate shows it: special and non-printable bytes
/// escaped, labels joined by dots, no trailing dot (the root is empty).
fn labels_text(labels: &[Vec<u8>]) -> String {
    let mut out = String::new();
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        for &byte in label {
            match byte {
                b' ' | b'.' | b'\\' => {
                    out.push('\\');
                    out.push(char::from(byte));
                }
                0x21..=0x7e => out.push(char::from(byte)),
                _ => {
                    out.push('\\');
                    out.push(char::from(b'0' + byte / 100));
                    out.push(char::from(b'0' + byte / 10 % 10));
                    out.push(char::from(b'0' + byte % 10));
                }
            }
        }
    }
    out
}

/// The fields as one line of text: words as written, quoted strings quoted again.
fn as_written(fields: &[Field]) -> String {
    let mut out = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if field.quoted {
            out.push('"');
            for &byte in field.bytes {
                match byte {
                    b'"' | b'\\' => {
                        out.push('\\');
                        out.push(char::from(byte));
                    }
                    0x20..=0x7e => out.push(char::from(byte)),
                    _ => {
                        out.push('\\');
                        out.push(char::from(b'0' + byte / 100));
                        out.push(char::from(b'0' + byte / 10 % 10));
                        out.push(char::from(b'0' + byte % 10));
                    }
                }
            }
            out.push('"');
        } else {
            out.push_str(&String::from_utf8_lossy(field.bytes));
        }
    }
    out
}

/// The wire bytes of RFC 3597 generic data: a length, then that many bytes in hex, which may
/// be split into several words.
fn read_generic(fields: &[Field]) -> Result<Vec<u8>, Bad> {
    let Some((len, hex)) = fields.split_first() else {
        return Err(bad("`\\#` without a length"));
    };
    let len_text = String::from_utf8_lossy(len.bytes);
    let len: usize = len_text
        .parse::<u16>()
        .map_err(|_| bad(format!("`{len_text}` is not a data length (0 to 65535)")))?
        .into();
    let mut data = Vec::new();
    for field in hex {
        if field.quoted {
            return Err(bad("quoted text in generic `\\#` data"));
        }
        let mut pairs = field.bytes.chunks(2);
        for pair in &mut pairs {
            match pair {
                [high, low] => match (hex_value(*high), hex_value(*low)) {
                    (Some(high), Some(low)) => data.push(high << 4 | low),
                    _ => return Err(bad("generic `\\#` data is not hexadecimal")),
                },
                _ => return Err(bad("generic `\\#` data has an odd number of hex digits")),
            }
        }
    }
    if data.len() != len {
        return Err(bad(format!(
            "generic `\\#` data is {} bytes, not the {len} announced",
            data.len()
        )));
    }
    Ok(data)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The data of a known type from its wire bytes (generic form); names are not compressed.
fn from_wire(code: u16, wire: &[u8]) -> Result<RData, Bad> {
    let mut reader = WireReader { wire, pos: 0 };
    let rdata = match RecordType::from_code(code) {
        Some(RecordType::A) => RData::A(Ipv4Addr::from(reader.array::<4>()?)),
        Some(RecordType::Aaaa) => RData::Aaaa(Ipv6Addr::from(reader.array::<16>()?)),
        Some(RecordType::Mx) => RData::Mx {
            preference: u16::from_be_bytes(reader.array::<2>()?),
            exchange: reader.name()?,
        },
        Some(RecordType::Cname) => RData::Cname(reader.name()?),
        Some(RecordType::Ptr) => RData::Ptr(reader.name()?),
        Some(RecordType::Ns) => RData::Ns(reader.name()?),
        Some(RecordType::Soa) => {
            let mname = reader.name()?;
            let rname = reader.name()?;
            let serial = u32::from_be_bytes(reader.array::<4>()?);
            // Refresh, retry, expire and minimum.
            reader.array::<16>()?;
            RData::Soa { mname, rname, serial }
        }
        Some(RecordType::Txt | RecordType::Spf) | None => RData::Other {
            rtype: code,
            data: wire.to_vec(),
        },
    };
    if reader.pos != wire.len() {
        return Err(bad("generic `\\#` data is longer than the type's data"));
    }
    Ok(rdata)
}

struct WireReader<'a> {
    wire: &'a [u8],
    pos: usize,
}

impl WireReader<'_> {
    fn array<const N: usize>(&mut self) -> Result<[u8; N], Bad> {
        let bytes = self
            .wire
            .get(self.pos..self.pos + N)
            .ok_or_else(|| bad("generic `\\#` data is too short for the type"))?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        self.pos += N;
        Ok(out)
    }

    /// An uncompressed name (RFC 3597 §4 forbids compression in generic data).
    fn name(&mut self) -> Result<String, Bad> {
        let mut labels = Vec::new();
        let mut wire_len = 1;
        loop {
            let [len] = self.array::<1>()?;
            let len = usize::from(len);
            if len == 0 {
                break;
            }
            if len > MAX_LABEL {
                return Err(bad("generic `\\#` data holds a compressed or bad name"));
            }
            let label = self
                .wire
                .get(self.pos..self.pos + len)
                .ok_or_else(|| bad("generic `\\#` data is too short for the type"))?;
            self.pos += len;
            wire_len += len + 1;
            if wire_len > MAX_NAME {
                return Err(bad("generic `\\#` data holds a name longer than 255 bytes"));
            }
            labels.push(label.to_vec());
        }
        Ok(normalize_name(&labels_text(&labels)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Field<'_>> {
        text.split_whitespace()
            .map(|word| Field {
                bytes: word.as_bytes(),
                quoted: false,
            })
            .collect()
    }

    fn read_text(code: u16, text: &str) -> Result<RData, Bad> {
        read(code, &fields(text), "example.com", false)
    }

    fn err(code: u16, text: &str) -> String {
        match read_text(code, text) {
            Err(bad) => bad.detail,
            Ok(rdata) => panic!("{text:?} read as {rdata:?}"),
        }
    }

    #[test]
    fn types_by_name_and_number() {
        assert_eq!(type_code("a"), Some(1));
        assert_eq!(type_code("CAA"), Some(257));
        assert_eq!(type_code("nsap-ptr"), Some(23));
        assert_eq!(type_code("TYPE65280"), Some(65280));
        assert_eq!(type_code("type1"), Some(1));
        assert_eq!(type_code("TYPE"), None);
        assert_eq!(type_code("TYPE65536"), None);
        assert_eq!(type_code("TYPE-1"), None);
        assert_eq!(type_code("DKIM"), None);
        assert_eq!(type_code("é"), None);
        assert_eq!(type_name(15), "MX");
        assert_eq!(type_name(65280), "TYPE65280");
        assert_eq!(example_data(15), "10 mail.example.com.");
    }

    #[test]
    fn a_and_aaaa() {
        assert_eq!(read_text(1, "192.0.2.1"), Ok(RData::A(Ipv4Addr::new(192, 0, 2, 1))));
        assert_eq!(
            read_text(28, "2001:DB8::1"),
            Ok(RData::Aaaa("2001:db8::1".parse().unwrap()))
        );
        assert_eq!(err(1, "300.1.1.1"), "`300.1.1.1` is not an IPv4 address");
        assert_eq!(err(1, "2001:db8::1"), "`2001:db8::1` is not an IPv4 address");
        assert_eq!(err(1, ""), "an IPv4 address is missing");
        assert_eq!(err(1, "192.0.2.1 192.0.2.2"), "unexpected `192.0.2.2` after the data");
        assert_eq!(err(28, "192.0.2.1"), "`192.0.2.1` is not an IPv6 address");
        assert_eq!(err(28, "2001:db8:::1"), "`2001:db8:::1` is not an IPv6 address");
    }

    #[test]
    fn mx() {
        assert_eq!(
            read_text(15, "10 Mail"),
            Ok(RData::Mx {
                preference: 10,
                exchange: "mail.example.com".into()
            })
        );
        // The null MX of RFC 7505.
        assert_eq!(
            read_text(15, "0 ."),
            Ok(RData::Mx {
                preference: 0,
                exchange: String::new()
            })
        );
        assert_eq!(err(15, "mail.test."), "`mail.test.` is not a preference (0 to 65535)");
        assert_eq!(err(15, "65536 mail.test."), "`65536` is not a preference (0 to 65535)");
        assert_eq!(err(15, "-1 mail.test."), "`-1` is not a preference (0 to 65535)");
        assert_eq!(err(15, "10"), "the mail server name is missing");
        assert_eq!(err(15, "10 a..test."), "`a..test.` is not a valid name: empty label");
    }

    #[test]
    fn cname_ptr_ns() {
        assert_eq!(read_text(5, "@"), Ok(RData::Cname("example.com".into())));
        assert_eq!(read_text(12, "Host.Test."), Ok(RData::Ptr("host.test".into())));
        assert_eq!(read_text(2, "ns1"), Ok(RData::Ns("ns1.example.com".into())));
        assert_eq!(err(5, ""), "the target name is missing");
        assert_eq!(err(2, "a.test. b.test."), "unexpected `b.test.` after the data");
        let long_label = "a".repeat(64);
        assert_eq!(
            err(5, &format!("{long_label}.test.")),
            format!("`{long_label}.test.` is not a valid name: label longer than 63 bytes")
        );
        let long_name = ["abcdefghij"; 24].join(".") + ".";
        assert!(err(5, &long_name).ends_with("name longer than 255 bytes"));
        assert_eq!(read_text(5, &["abcdefghij"; 22].join(".")).map(|_| ()), Ok(()));
    }

    #[test]
    fn name_escapes_shown_like_domain() {
        assert_eq!(read_text(5, r"\065b.test."), Ok(RData::Cname("ab.test".into())));
        assert_eq!(read_text(5, r"a\.b.test."), Ok(RData::Cname(r"a\.b.test".into())));
        assert_eq!(read_text(5, r"a\032b.test."), Ok(RData::Cname(r"a\ b.test".into())));
        assert_eq!(read_text(5, r"a\000.test."), Ok(RData::Cname(r"a\000.test".into())));
        assert_eq!(
            err(5, r"a\256.test."),
            r"`a\256.test.` is not a valid name: escape over \255"
        );
        // Made absolute by appending the origin, a trailing backslash escapes that dot.
        assert!(read_text(5, "a\\").is_ok());
    }

    #[test]
    fn soa() {
        assert_eq!(
            read_text(6, "ns1 hostmaster.example.com. 2024010101 2h 1h 2w 3600"),
            Ok(RData::Soa {
                mname: "ns1.example.com".into(),
                rname: "hostmaster.example.com".into(),
                serial: 2024010101
            })
        );
        assert_eq!(err(6, "ns1 host 1 2 3 4"), "the minimum ttl is missing");
        assert_eq!(
            err(6, "ns1 host x 2 3 4 5"),
            "`x` is not a serial number (0 to 4294967295)"
        );
        assert_eq!(err(6, "ns1 host 1 2 3 x 5"), "`x` is not a time in seconds");
        assert_eq!(err(6, "ns1 host 1 2 3 4 5 6"), "unexpected `6` after the data");
    }

    #[test]
    fn generic_form() {
        assert_eq!(
            read_text(65280, r"\# 2 ab CD"),
            Ok(RData::Other {
                rtype: 65280,
                data: vec![0xab, 0xcd]
            })
        );
        assert_eq!(
            read_text(65280, r"\# 0"),
            Ok(RData::Other {
                rtype: 65280,
                data: vec![]
            })
        );
        assert_eq!(
            read_text(1, r"\# 4 C0000201"),
            Ok(RData::A(Ipv4Addr::new(192, 0, 2, 1)))
        );
        assert_eq!(
            read_text(15, r"\# 8 000a 046d61696c 00"),
            Ok(RData::Mx {
                preference: 10,
                exchange: "mail".into()
            })
        );
        assert_eq!(
            read_text(6, r"\# 26 01610001620000000007 00000001000000020000000300000004"),
            Ok(RData::Soa {
                mname: "a".into(),
                rname: "b".into(),
                serial: 7
            })
        );
        assert_eq!(err(65280, r"\#"), r"`\#` without a length");
        assert_eq!(err(65280, r"\# x"), "`x` is not a data length (0 to 65535)");
        assert_eq!(
            err(65280, r"\# 2 abc"),
            r"generic `\#` data has an odd number of hex digits"
        );
        assert_eq!(err(65280, r"\# 1 zz"), r"generic `\#` data is not hexadecimal");
        assert_eq!(
            err(65280, r"\# 3 abcd"),
            r"generic `\#` data is 2 bytes, not the 3 announced"
        );
        assert_eq!(err(1, r"\# 3 c00002"), r"generic `\#` data is too short for the type");
        assert_eq!(
            err(1, r"\# 5 c000020101"),
            r"generic `\#` data is longer than the type's data"
        );
        assert_eq!(
            err(5, r"\# 2 c00c"),
            r"generic `\#` data holds a compressed or bad name"
        );
        assert_eq!(err(5, r"\# 2 0161"), r"generic `\#` data is too short for the type");
    }

    #[test]
    fn other_types_kept_as_written() {
        let quoted = [
            Field {
                bytes: b"0",
                quoted: false,
            },
            Field {
                bytes: b"issue",
                quoted: false,
            },
            Field {
                bytes: b"ca \"x\"\xff",
                quoted: true,
            },
        ];
        assert_eq!(
            read(257, &quoted, "", false),
            Ok(RData::Other {
                rtype: 257,
                data: br#"0 issue "ca \"x\"\255""#.to_vec()
            })
        );
        assert_eq!(
            read_text(33, "10 5 443 host"),
            Ok(RData::Other {
                rtype: 33,
                data: b"10 5 443 host".to_vec()
            })
        );
    }

    #[test]
    fn never_panics() {
        let words = [
            "",
            "\\",
            "\\#",
            "\\# 1",
            "\\# 65535 ff",
            "@",
            ".",
            "..",
            "a..",
            "\\999",
            "\\25",
            "é",
            "0",
            "-",
            "ff",
            "65536",
            "1.2.3",
            "::",
            "(",
            "\"",
        ];
        let codes = [1, 2, 5, 6, 12, 15, 16, 28, 99, 257, 65535];
        for code in codes {
            for a in words {
                for b in words {
                    let text = [a, b];
                    let fields: Vec<Field> = text
                        .iter()
                        .map(|w| Field {
                            bytes: w.as_bytes(),
                            quoted: false,
                        })
                        .collect();
                    let _ = read(code, &fields, "", false);
                    let _ = read(code, &fields, "example.com", false);
                    let _ = read(code, &fields, "example.com", true);
                }
            }
        }
        let mut seed = 0x9e37_79b9_u32;
        for round in 0..300 {
            let len = round % 40;
            let hex: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    format!("{:02x}", seed as u8)
                })
                .collect();
            for code in codes {
                let _ = read_text(code, &format!("\\# {len} {hex}"));
            }
        }
    }
}
