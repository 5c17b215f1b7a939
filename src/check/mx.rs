//! MX: can the domain receive replies and bounces?

use std::net::IpAddr;

use crate::future::{join, join_all};
use serde::Serialize;

use super::{cause_of, lookup_failed, rules, status_from, CheckName, Finding, Status};
use crate::dns::{Lookup, Outcome, RData, RecordType, Resolver};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MxHost {
    pub preference: u16,
    pub exchange: String,
    pub addresses: Vec<String>,
    pub is_cname: bool,
    pub status: Status,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MxCheck {
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub records: Vec<MxHost>,
    pub null_mx: bool,
    /// No MX: mail falls back to the domain's A/AAAA.
    pub implicit: bool,
    /// The domain name exists (false on NXDOMAIN); DMARC's `np` depends on it.
    pub domain_exists: Option<bool>,
}

impl MxCheck {
    fn unknown(cause: Option<String>) -> MxCheck {
        MxCheck {
            status: Status::Unknown,
            summary: "the MX records could not be looked up".into(),
            cause,
            records: Vec::new(),
            null_mx: false,
            implicit: false,
            domain_exists: None,
        }
    }
}

const CHECK: CheckName = CheckName::Mx;

pub async fn check(resolver: &dyn Resolver, domain: &str) -> (MxCheck, Vec<Finding>) {
    // The domain's own addresses are needed only without MX, but asking at once costs no time.
    join!(let (mx, a, aaaa) = (
        resolver.lookup(domain, RecordType::Mx),
        resolver.lookup(domain, RecordType::A),
        resolver.lookup(domain, RecordType::Aaaa),
    ));
    let mut findings = Vec::new();
    match &mx.outcome {
        Outcome::Failed(failure) => {
            findings.push(lookup_failed(CHECK, &mx, failure));
            return (MxCheck::unknown(cause_of(&mx)), findings);
        }
        Outcome::NxDomain => {
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::DOMAIN_NOT_FOUND,
                    format!("{domain} does not exist in DNS"),
                    "check the spelling; a domain that does not exist can neither send nor receive mail",
                )
                .at_name(domain),
            );
            let mut check = MxCheck::unknown(None);
            check.status = Status::Fail;
            check.summary = format!("{domain} does not exist (NXDOMAIN)");
            check.domain_exists = Some(false);
            return (check, findings);
        }
        Outcome::NoData => return no_mx(domain, &a, &aaaa, findings),
        Outcome::Records(_) => {}
    }

    let answered: Vec<(u16, String)> = mx
        .outcome
        .records()
        .iter()
        .filter_map(|rdata| match rdata {
            RData::Mx { preference, exchange } => Some((*preference, exchange.clone())),
            _ => None,
        })
        .collect();
    // Sorted by preference, then name.
    let order = crate::vec_map::sort_positions(answered.len(), &|a, b| answered[a] <= answered[b]);
    let hosts: Vec<(u16, String)> = order.into_iter().filter_map(|i| answered.get(i).cloned()).collect();
    if hosts.is_empty() {
        return no_mx(domain, &a, &aaaa, findings);
    }

    let null_mx = hosts.iter().any(|(_, exchange)| exchange.is_empty() || exchange == ".");
    if null_mx {
        if hosts.len() > 1 {
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::MX_NULL_CONFLICT,
                    "a Null MX is published beside other MX records",
                    "remove `MX 0 .` if the domain receives mail, or remove the other MX records if it does not",
                )
                .at_name(domain),
            );
        } else {
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::MX_NULL,
                    format!("{domain} publishes a Null MX: it accepts no mail"),
                    "right for a domain that sends no mail; a domain that sends needs an MX that accepts replies and bounces",
                )
                .at_name(domain),
            );
            let records = vec![MxHost {
                preference: hosts[0].0,
                exchange: ".".into(),
                addresses: Vec::new(),
                is_cname: false,
                status: Status::Pass,
            }];
            let check = MxCheck {
                status: Status::Pass,
                summary: "Null MX: the domain declares that it accepts no mail".into(),
                cause: None,
                records,
                null_mx: true,
                implicit: false,
                domain_exists: Some(true),
            };
            return (check, findings);
        }
    }

    let mut seen = Vec::new();
    for (_, exchange) in &hosts {
        if seen.contains(exchange) {
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::MX_DUPLICATE,
                    format!("{exchange} is listed more than once"),
                    "list each mail host once; use a second, different host as backup",
                )
                .at_name(domain),
            );
        }
        seen.push(exchange.clone());
    }

    let host_checks = join_all(
        hosts
            .iter()
            .map(|(preference, exchange)| check_host(resolver, domain, *preference, exchange)),
    )
    .await;
    let mut records = Vec::new();
    let mut unknown_hosts = 0;
    for (host, mut host_findings) in host_checks {
        if host.status == Status::Unknown {
            unknown_hosts += 1;
        }
        records.push(host);
        findings.append(&mut host_findings);
    }
    let usable = records
        .iter()
        .filter(|host| host.status == Status::Pass || host.status == Status::Warn)
        .count();
    let mut status = status_from(&findings);
    let summary;
    if usable == 0 && unknown_hosts > 0 {
        status = Status::Unknown;
        summary = "the addresses of the MX hosts could not be looked up".to_string();
    } else if usable == 0 {
        status = Status::Fail;
        summary = "no MX host has a usable address: the domain cannot receive mail".to_string();
    } else {
        summary = format!(
            "{} MX host{}, {usable} with a usable address",
            records.len(),
            if records.len() == 1 { "" } else { "s" }
        );
    }
    let cause = if status == Status::Unknown {
        Some("MX host address lookups failed".into())
    } else {
        None
    };
    (
        MxCheck {
            status,
            summary,
            cause,
            records,
            null_mx,
            implicit: false,
            domain_exists: Some(true),
        },
        findings,
    )
}

async fn check_host(resolver: &dyn Resolver, domain: &str, preference: u16, exchange: &str) -> (MxHost, Vec<Finding>) {
    let mut findings = Vec::new();
    let literal = exchange.trim_start_matches('[').trim_end_matches(']');
    if literal.parse::<IpAddr>().is_ok() || looks_like_ipv4(exchange) {
        findings.push(
            Finding::new(
                CHECK,
                &rules::MX_TARGET_IP,
                format!("the MX target {exchange} is an IP address, not a host name"),
                format!("publish a host name with an A record instead:\n{domain}. IN MX {preference} mx1.{domain}.\nmx1.{domain}. IN A {literal}"),
            )
            .at_name(domain),
        );
        let host = MxHost {
            preference,
            exchange: exchange.into(),
            addresses: Vec::new(),
            is_cname: false,
            status: Status::Fail,
        };
        return (host, findings);
    }
    join!(let (a, aaaa) = (
        resolver.lookup(exchange, RecordType::A),
        resolver.lookup(exchange, RecordType::Aaaa)
    ));
    // A CNAME chain that loops is in the domain's own data, not a passing failure: the host
    // can never be reached, so it is reported as a host without an address.
    let looped = [&a, &aaaa]
        .iter()
        .any(|l| l.outcome == Outcome::Failed(crate::dns::Failure::CnameLoop));
    if looped {
        findings.push(
            Finding::new(
                CHECK,
                &rules::MX_HOST_NO_ADDRESS,
                format!("the MX host {exchange} is a CNAME chain that loops: it has no address"),
                format!("point the MX at a host name with an address record, e.g.\n{domain}. IN MX {preference} mx1.{domain}.\nmx1.{domain}. IN A 192.0.2.25"),
            )
            .at_name(exchange),
        );
        let host = MxHost {
            preference,
            exchange: exchange.to_string(),
            addresses: Vec::new(),
            is_cname: true,
            status: Status::Fail,
        };
        return (host, findings);
    }
    let is_cname = !a.cnames.is_empty() || !aaaa.cnames.is_empty();
    if is_cname {
        let target = a.cnames.last().or(aaaa.cnames.last()).cloned().unwrap_or_default();
        findings.push(
            Finding::new(
                CHECK,
                &rules::MX_TARGET_CNAME,
                format!("the MX host {exchange} is an alias (CNAME) for {target}"),
                format!("point the MX at the canonical name:\n{domain}. IN MX {preference} {target}."),
            )
            .at_name(exchange),
        );
    }
    let mut addresses = Vec::new();
    for lookup in [&a, &aaaa] {
        for rdata in lookup.outcome.records() {
            match rdata {
                RData::A(ip) => addresses.push(IpAddr::V4(*ip)),
                RData::Aaaa(ip) => addresses.push(IpAddr::V6(*ip)),
                _ => {}
            }
        }
    }
    let failed: Vec<&Lookup> = [&a, &aaaa]
        .into_iter()
        .filter(|l| matches!(l.outcome, Outcome::Failed(_)))
        .collect();
    let status = if !addresses.is_empty() {
        if let Some(private) = addresses.iter().find(|ip| !is_public(ip)) {
            findings.push(
                Finding::new(
                    CHECK,
                    &rules::MX_PRIVATE_ADDRESS,
                    format!("the MX host {exchange} resolves to {private}, which is not reachable from the internet"),
                    format!("give {exchange} a public address"),
                )
                .at_name(exchange),
            );
            Status::Warn
        } else if is_cname {
            Status::Warn
        } else {
            Status::Pass
        }
    } else if let Some(lookup) = failed.first() {
        if let Outcome::Failed(failure) = &lookup.outcome {
            findings.push(lookup_failed(CHECK, lookup, failure));
        }
        Status::Unknown
    } else {
        findings.push(
            Finding::new(
                CHECK,
                &rules::MX_HOST_NO_ADDRESS,
                format!("the MX host {exchange} has no A or AAAA record"),
                format!("publish an address for it, e.g.\n{exchange}. IN A 192.0.2.25"),
            )
            .at_name(exchange),
        );
        Status::Fail
    };
    let host = MxHost {
        preference,
        exchange: exchange.to_string(),
        addresses: addresses.iter().map(ToString::to_string).collect(),
        is_cname,
        status,
    };
    (host, findings)
}

fn no_mx(domain: &str, a: &Lookup, aaaa: &Lookup, mut findings: Vec<Finding>) -> (MxCheck, Vec<Finding>) {
    let has_address = !a.outcome.records().is_empty() || !aaaa.outcome.records().is_empty();
    let failed = [a, aaaa].into_iter().find(|l| matches!(l.outcome, Outcome::Failed(_)));
    if has_address {
        findings.push(
            Finding::new(
                CHECK,
                &rules::MX_IMPLICIT,
                format!("{domain} has no MX record; mail falls back to its A/AAAA address"),
                format!("publish an MX record for the server that receives mail:\n{domain}. IN MX 10 mx1.{domain}.\nor, if the domain takes no mail:\n{domain}. IN MX 0 ."),
            )
            .at_name(domain),
        );
        let check = MxCheck {
            status: Status::Warn,
            summary: "no MX record: mail falls back to the domain's address (implicit MX)".into(),
            cause: None,
            records: Vec::new(),
            null_mx: false,
            implicit: true,
            domain_exists: Some(true),
        };
        return (check, findings);
    }
    if let Some(lookup) = failed {
        if let Outcome::Failed(failure) = &lookup.outcome {
            findings.push(lookup_failed(CHECK, lookup, failure));
        }
        let mut check = MxCheck::unknown(cause_of(lookup));
        check.summary = "no MX record, and the fallback address could not be looked up".into();
        check.domain_exists = Some(true);
        return (check, findings);
    }
    findings.push(
        Finding::new(
            CHECK,
            &rules::MX_MISSING,
            format!("{domain} has no MX record and no address: it cannot receive replies or bounces"),
            format!("publish an MX record:\n{domain}. IN MX 10 mx1.{domain}.\nor, if the domain neither sends nor receives mail:\n{domain}. IN MX 0 ."),
        )
        .at_name(domain),
    );
    let check = MxCheck {
        status: Status::Missing,
        summary: "no MX record and no address: the domain cannot receive mail".into(),
        cause: None,
        records: Vec::new(),
        null_mx: false,
        implicit: false,
        domain_exists: Some(true),
    };
    (check, findings)
}

fn looks_like_ipv4(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
}

/// Whether an address is reachable from the public internet (not loopback, private, shared,
/// link-local or otherwise reserved). Documentation ranges (192.0.2.0/24, 2001:db8::/32) count
/// as public on purpose: they stand for public addresses in examples and test fixtures.
pub(crate) fn is_public(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            !(v6.is_loopback() || v6.is_unspecified() || (s[0] & 0xfe00) == 0xfc00 || (s[0] & 0xffc0) == 0xfe80)
        }
    }
}
