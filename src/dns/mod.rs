//! DNS: the one async interface every lookup goes through, and its answers.
//!
//! Every failure is kept apart from "no such record": a check that meets
//! [`Outcome::Failed`] reports `unknown` with the cause, never `missing`.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::future::LocalBoxFuture;
use serde::Serialize;

/// The record types sendercheck asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordType {
    A,
    Aaaa,
    Mx,
    Txt,
    Cname,
    Ptr,
    Ns,
    Soa,
    /// RR type 99, obsolete (RFC 7208 §3.1); asked only to tell users to remove it.
    Spf,
}

impl RecordType {
    pub fn code(self) -> u16 {
        match self {
            RecordType::A => 1,
            RecordType::Ns => 2,
            RecordType::Cname => 5,
            RecordType::Soa => 6,
            RecordType::Ptr => 12,
            RecordType::Mx => 15,
            RecordType::Txt => 16,
            RecordType::Aaaa => 28,
            RecordType::Spf => 99,
        }
    }

    pub fn from_code(code: u16) -> Option<RecordType> {
        Some(match code {
            1 => RecordType::A,
            2 => RecordType::Ns,
            5 => RecordType::Cname,
            6 => RecordType::Soa,
            12 => RecordType::Ptr,
            15 => RecordType::Mx,
            16 => RecordType::Txt,
            28 => RecordType::Aaaa,
            99 => RecordType::Spf,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Mx => "MX",
            RecordType::Txt => "TXT",
            RecordType::Cname => "CNAME",
            RecordType::Ptr => "PTR",
            RecordType::Ns => "NS",
            RecordType::Soa => "SOA",
            RecordType::Spf => "SPF",
        }
    }

    pub fn parse(text: &str) -> Option<RecordType> {
        Some(match text.to_ascii_uppercase().as_str() {
            "A" => RecordType::A,
            "AAAA" => RecordType::Aaaa,
            "MX" => RecordType::Mx,
            "TXT" => RecordType::Txt,
            "CNAME" => RecordType::Cname,
            "PTR" => RecordType::Ptr,
            "NS" => RecordType::Ns,
            "SOA" => RecordType::Soa,
            "SPF" => RecordType::Spf,
            _ => return None,
        })
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The data of one resource record. Names are lowercase, without the trailing dot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "data", rename_all = "UPPERCASE")]
pub enum RData {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Mx {
        preference: u16,
        exchange: String,
    },
    /// The character-strings of one TXT (or type 99 SPF) record, kept apart so record-size
    /// rules can see them; join them with no separator to get the text (RFC 7208 §3.3).
    Txt(Vec<Vec<u8>>),
    Cname(String),
    Ptr(String),
    Ns(String),
    Soa {
        mname: String,
        rname: String,
        serial: u32,
    },
    Other {
        rtype: u16,
        data: Vec<u8>,
    },
}

impl RData {
    /// The TXT strings joined with no separator, as RFC 7208 §3.3 and RFC 6376 §3.6.2.2 say.
    pub fn txt_joined(&self) -> Option<Vec<u8>> {
        match self {
            RData::Txt(strings) => Some(strings.concat()),
            _ => None,
        }
    }
}

/// Why a lookup gave no usable answer. None of these means "the record does not exist".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// The server answered SERVFAIL (rcode 2).
    ServFail,
    /// The server answered REFUSED (rcode 5).
    Refused,
    /// Another error rcode.
    Rcode { code: u16 },
    /// No answer within the time allowed.
    Timeout,
    /// The DoH server answered with an HTTP error status.
    Http { status: u16 },
    /// The request did not complete: connection refused, DNS of the resolver host, TLS,
    /// or (in a browser) a CORS rejection, which the browser does not tell apart.
    Network { detail: String },
    /// An answer arrived but was not a usable DNS message.
    Malformed { detail: String },
    /// A CNAME chain that loops or is too long.
    CnameLoop,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::ServFail => f.write_str("the resolver answered SERVFAIL"),
            Failure::Refused => f.write_str("the resolver answered REFUSED"),
            Failure::Rcode { code } => write!(f, "the resolver answered with error code {code}"),
            Failure::Timeout => f.write_str("no answer before the timeout"),
            Failure::Http { status } => write!(f, "the DoH server answered HTTP {status}"),
            Failure::Network { detail } => write!(f, "network error: {detail}"),
            Failure::Malformed { detail } => write!(f, "malformed answer: {detail}"),
            Failure::CnameLoop => f.write_str("the CNAME chain loops or is too long"),
        }
    }
}

/// What a lookup found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "records", rename_all = "snake_case")]
pub enum Outcome {
    /// Records of the asked type (after following any CNAMEs).
    Records(Vec<RData>),
    /// The name exists but has no record of this type (NOERROR, empty answer).
    NoData,
    /// The name does not exist (NXDOMAIN).
    NxDomain,
    /// The lookup failed; the record may or may not exist.
    Failed(Failure),
}

impl Outcome {
    /// True for NXDOMAIN and NODATA: the two answers RFC 7208 §4.6.4 counts as void.
    pub fn is_void(&self) -> bool {
        matches!(self, Outcome::NoData | Outcome::NxDomain)
    }

    pub fn records(&self) -> &[RData] {
        match self {
            Outcome::Records(records) => records,
            _ => &[],
        }
    }
}

/// One answered question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lookup {
    /// The name asked, lowercase, no trailing dot.
    pub name: String,
    pub rtype: RecordType,
    pub outcome: Outcome,
    /// CNAME targets followed on the way, in order (empty when the name had none).
    pub cnames: Vec<String>,
    /// The resolver set the AD flag: the answer was DNSSEC-validated.
    pub authenticated: bool,
}

impl Lookup {
    pub fn new(name: &str, rtype: RecordType, outcome: Outcome) -> Lookup {
        Lookup {
            name: normalize_name(name),
            rtype,
            outcome,
            cnames: Vec::new(),
            authenticated: false,
        }
    }
}

/// The one interface every DNS source implements: DoH, zone text, overlays, caches, test
/// resolvers. Futures are not `Send`: the browser is single-threaded, and natively the engine
/// runs on one thread too.
pub trait Resolver {
    /// Asks for the records of `rtype` at `name`. Never panics; every failure is an [`Outcome`].
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup>;
}

impl<R: Resolver + ?Sized> Resolver for &R {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        (**self).lookup(name, rtype)
    }
}

impl<R: Resolver + ?Sized> Resolver for std::rc::Rc<R> {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        (**self).lookup(name, rtype)
    }
}

/// Lowercases ASCII and drops one trailing dot: the form names take everywhere in sendercheck.
pub fn normalize_name(name: &str) -> String {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    trimmed.to_ascii_lowercase()
}

pub mod block;
pub mod cache;
pub mod doh;
pub mod wire;
pub mod zone_resolver;

pub use cache::Cache;
pub use doh::DohResolver;
pub use zone_resolver::{Overlay, ZoneResolver};
