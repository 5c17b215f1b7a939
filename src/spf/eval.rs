//! `check_host()` (RFC 7208 §4): one client IP against one domain's policy.

use std::cell::{Cell, RefCell};
use std::net::IpAddr;

use crate::future::FutureExt;
use crate::future::LocalBoxFuture;

use super::macros::{letter_value, reverse_name, transform, MacroValues};
use super::{
    truncate_name, valid_query_name, MatchedTerm, SpfEvaluation, SpfNode, SpfResult, LOOKUP_LIMIT, RR_LIMIT,
    VOID_LOOKUP_LIMIT,
};
use crate::diag::Span;
use crate::dns::{normalize_name, Outcome, RData, RecordType, Resolver};
use crate::parse::spf::{
    is_spf_bytes, parse_explain_string, parse_txt, DualCidr, MacroPart, MacroString, Mechanism, Modifier, Qualifier,
    SpfRecord, TermKind,
};

/// Evaluates the SPF policy of `domain` for a message from `ip` (RFC 7208 §4).
///
/// `sender` is the MAIL FROM address, or `postmaster@<helo>` when checking the HELO identity;
/// `helo` is the HELO/EHLO name, used for `%{h}`. An IPv4-mapped IPv6 client is treated as
/// IPv4 (§5.6).
pub async fn check_host(resolver: &dyn Resolver, ip: IpAddr, domain: &str, sender: &str, helo: &str) -> SpfEvaluation {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    let sender = if sender.is_empty() {
        format!("postmaster@{domain}")
    } else {
        sender.to_string()
    };
    let (local, sender_domain) = match sender.rsplit_once('@') {
        Some((local, dom)) => (
            if local.is_empty() {
                "postmaster".to_string()
            } else {
                local.to_string()
            },
            dom.to_string(),
        ),
        None => ("postmaster".to_string(), sender.clone()),
    };
    let eval = Eval {
        resolver,
        ip,
        sender,
        local,
        sender_domain,
        helo: helo.to_string(),
        lookups: Cell::new(0),
        voids: Cell::new(0),
        loop_seen: RefCell::new(None),
    };

    let domain = domain.strip_suffix('.').unwrap_or(domain);
    // §4.3: a malformed or single-label domain gives none before any DNS query.
    if let Some(problem) = initial_domain_problem(domain) {
        return SpfEvaluation {
            result: SpfResult::None,
            matched: None,
            explanation: None,
            problem: Some(problem),
            lookups: 0,
            void_lookups: 0,
            tree: SpfNode {
                domain: domain.to_string(),
                ..SpfNode::default()
            },
        };
    }

    let (res, tree) = eval.check(domain.to_string(), Vec::new(), None, true).await;
    SpfEvaluation {
        result: res.result,
        matched: res.matched,
        explanation: res.explanation,
        problem: res.problem,
        lookups: eval.lookups.get(),
        void_lookups: eval.voids.get(),
        tree,
    }
}

fn initial_domain_problem(domain: &str) -> Option<String> {
    if domain.starts_with('[') {
        return Some(format!("`{domain}` is an address literal, not a domain"));
    }
    if !valid_query_name(domain) {
        return Some(format!(
            "`{domain}` is not a valid domain name (empty label, label over 63 bytes, or over 253 bytes)"
        ));
    }
    if !domain.contains('.') {
        return Some(format!("`{domain}` is not a fully qualified domain name"));
    }
    None
}

struct Eval<'r> {
    resolver: &'r dyn Resolver,
    ip: IpAddr,
    sender: String,
    local: String,
    sender_domain: String,
    helo: String,
    lookups: Cell<u32>,
    voids: Cell<u32>,
    /// The first include/redirect loop met, to name it when the limit stops it.
    loop_seen: RefCell<Option<String>>,
}

/// The outcome of one record.
struct Res {
    result: SpfResult,
    matched: Option<MatchedTerm>,
    explanation: Option<String>,
    problem: Option<String>,
}

impl Res {
    fn bare(result: SpfResult, problem: impl Into<String>) -> Res {
        Res {
            result,
            matched: None,
            explanation: None,
            problem: Some(problem.into()),
        }
    }
}

/// Why a mechanism stopped the evaluation.
struct Stop {
    result: SpfResult,
    problem: String,
}

fn stop(result: SpfResult, problem: impl Into<String>) -> Stop {
    Stop {
        result,
        problem: problem.into(),
    }
}

impl<'r> Eval<'r> {
    fn values(&self) -> MacroValues<'_> {
        MacroValues {
            sender: &self.sender,
            local: &self.local,
            sender_domain: &self.sender_domain,
            helo: &self.helo,
            ip: self.ip,
        }
    }

    fn check<'a>(
        &'a self,
        domain: String,
        chain: Vec<String>,
        via: Option<(String, Span)>,
        want_exp: bool,
    ) -> LocalBoxFuture<'a, (Res, SpfNode)> {
        async move {
            let mut node = SpfNode::reached(&domain, via.as_ref());
            let key = normalize_name(&domain);
            if let Some(text) = super::loop_error(&chain, &key) {
                node.error = Some(text.clone());
                self.loop_seen.borrow_mut().get_or_insert(text);
            }
            let mut chain = chain;
            chain.push(key);

            let res = self.check_record(&domain, &chain, &mut node, want_exp).await;
            node.total_lookups = self.lookups.get();
            node.total_void_lookups = self.voids.get();
            node.result = Some(res.result);
            if node.error.is_none()
                && matches!(
                    res.result,
                    SpfResult::Permerror | SpfResult::Temperror | SpfResult::None
                )
            {
                node.error = res.problem.clone();
            }
            (res, node)
        }
        .boxed_local()
    }

    async fn check_record(&self, domain: &str, chain: &[String], node: &mut SpfNode, want_exp: bool) -> Res {
        if !valid_query_name(domain) {
            return Res::bare(SpfResult::None, format!("`{domain}` is not a valid domain name"));
        }
        let lookup = self.resolver.lookup(domain, RecordType::Txt).await;
        let records: Vec<Vec<u8>> = match &lookup.outcome {
            Outcome::Failed(failure) => {
                return Res::bare(
                    SpfResult::Temperror,
                    format!("TXT lookup for {domain} failed: {failure}"),
                );
            }
            Outcome::NxDomain => return Res::bare(SpfResult::None, format!("{domain} does not exist")),
            Outcome::NoData => return Res::bare(SpfResult::None, format!("{domain} has no TXT records")),
            Outcome::Records(records) => records
                .iter()
                .filter_map(|r| match r {
                    RData::Txt(strings) => Some(strings.clone()),
                    _ => None,
                })
                .filter(|strings| is_spf_bytes(&strings.concat()))
                .map(|strings| strings.concat())
                .collect(),
        };
        let strings_of_one = match &lookup.outcome {
            Outcome::Records(records) => records.iter().find_map(|r| match r {
                RData::Txt(strings) if is_spf_bytes(&strings.concat()) => Some(strings.clone()),
                _ => None,
            }),
            _ => None,
        };
        match records.len() {
            0 => return Res::bare(SpfResult::None, format!("{domain} has no SPF record")),
            1 => {}
            n => {
                return Res::bare(
                    SpfResult::Permerror,
                    format!("{domain} has {n} SPF records; one is allowed"),
                )
            }
        }
        let strings = strings_of_one.unwrap_or_default();
        let slices: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
        let parsed = parse_txt(&slices);
        node.record = Some(String::from_utf8_lossy(&strings.concat()).into_owned());
        let record = parsed.value;
        if let Some(perm) = &record.permerror {
            return Res::bare(
                SpfResult::Permerror,
                format!("syntax error in the record of {domain}: {}", perm.message),
            );
        }
        self.evaluate(domain, chain, &record, node, want_exp).await
    }

    async fn evaluate(
        &self,
        domain: &str,
        chain: &[String],
        record: &SpfRecord,
        node: &mut SpfNode,
        want_exp: bool,
    ) -> Res {
        let mut own_lookups = 0u32;
        let mut own_voids = 0u32;
        let mut outcome: Option<Result<(Qualifier, &crate::parse::spf::Term), Stop>> = None;
        for term in &record.terms {
            let TermKind::Directive(directive) = &term.kind else {
                continue;
            };
            if directive.mechanism.causes_lookup() {
                own_lookups += 1;
                node.lookups = own_lookups;
                if let Err(s) = self.count_lookup(node) {
                    outcome = Some(Err(s));
                    break;
                }
            }
            let voids_before = self.voids.get();
            let matched = self
                .mechanism(domain, chain, &directive.mechanism, record, term, node)
                .await;
            own_voids += self.voids.get() - voids_before;
            node.void_lookups = own_voids;
            match matched {
                Ok(true) => {
                    outcome = Some(Ok((directive.qualifier, term)));
                    break;
                }
                Ok(false) => {}
                Err(s) => {
                    outcome = Some(Err(s));
                    break;
                }
            }
        }

        match outcome {
            Some(Err(s)) => Res::bare(s.result, s.problem),
            Some(Ok((qualifier, term))) => {
                let result = match qualifier {
                    Qualifier::Pass => SpfResult::Pass,
                    Qualifier::Fail => SpfResult::Fail,
                    Qualifier::SoftFail => SpfResult::Softfail,
                    Qualifier::Neutral => SpfResult::Neutral,
                };
                let explanation = if result == SpfResult::Fail && want_exp {
                    self.explanation(record, domain).await
                } else {
                    None
                };
                Res {
                    result,
                    matched: Some(MatchedTerm {
                        domain: domain.to_string(),
                        term: record.term_text(term).into_owned(),
                        span: term.span,
                    }),
                    explanation,
                    problem: None,
                }
            }
            None => {
                // §6.1: redirect applies only when no mechanism matched.
                let redirect = record.terms.iter().find_map(|t| match &t.kind {
                    TermKind::Modifier(Modifier::Redirect { domain }) => Some((t, domain)),
                    _ => None,
                });
                let Some((term, target_spec)) = redirect else {
                    return Res {
                        result: SpfResult::Neutral,
                        matched: None,
                        explanation: None,
                        problem: None,
                    };
                };
                node.lookups = own_lookups + 1;
                if let Err(s) = self.count_lookup(node) {
                    return Res::bare(s.result, s.problem);
                }
                let target = truncate_name(&self.expand(target_spec, record.bytes(), domain, false).await);
                let target = target.strip_suffix('.').unwrap_or(&target).to_string();
                if !valid_query_name(&target) {
                    return Res::bare(
                        SpfResult::Permerror,
                        format!("redirect target `{target}` is not a valid domain"),
                    );
                }
                let (res, child) = self
                    .check(
                        target.clone(),
                        chain.to_vec(),
                        Some((record.term_text(term).into_owned(), term.span)),
                        want_exp,
                    )
                    .await;
                node.children.push(child);
                match res.result {
                    SpfResult::None => Res::bare(
                        SpfResult::Permerror,
                        format!("redirect target {target} has no SPF record"),
                    ),
                    _ => res,
                }
            }
        }
    }

    /// Counts one DNS-querying term; crossing the limit is a permerror (§4.6.4).
    fn count_lookup(&self, node: &mut SpfNode) -> Result<(), Stop> {
        let n = self.lookups.get() + 1;
        self.lookups.set(n);
        if n > LOOKUP_LIMIT {
            node.limit_crossed = true;
            let mut problem = format!("more than {LOOKUP_LIMIT} DNS-querying terms");
            if let Some(loop_text) = self.loop_seen.borrow().as_ref() {
                problem.push_str(&format!(" because of an include/redirect {loop_text}"));
            }
            return Err(stop(SpfResult::Permerror, problem));
        }
        Ok(())
    }

    /// Counts a void answer; more than two is a permerror (§4.6.4).
    fn count_void(&self, outcome: &Outcome, name: &str) -> Result<(), Stop> {
        if outcome.is_void() {
            let n = self.voids.get() + 1;
            self.voids.set(n);
            if n > VOID_LOOKUP_LIMIT {
                return Err(stop(
                    SpfResult::Permerror,
                    format!("more than {VOID_LOOKUP_LIMIT} void lookups (the last for {name})"),
                ));
            }
        }
        Ok(())
    }

    /// The target of a mechanism: its expanded domain-spec, or the current domain. `None`
    /// when the expansion is not a name a query can be made for (treated as no match, as the
    /// suite prefers for RFC 7208 §4.3 and §4.8).
    async fn target(&self, spec: Option<&MacroString>, source: &[u8], domain: &str) -> Option<String> {
        let name = match spec {
            Some(spec) => truncate_name(&self.expand(spec, source, domain, false).await),
            None => domain.to_string(),
        };
        let name = name.strip_suffix('.').unwrap_or(&name).to_string();
        valid_query_name(&name).then_some(name)
    }

    fn addr_type(&self) -> RecordType {
        match self.ip {
            IpAddr::V4(_) => RecordType::A,
            IpAddr::V6(_) => RecordType::Aaaa,
        }
    }

    fn cidr_match(&self, record: &RData, cidr: DualCidr) -> bool {
        match (self.ip, record) {
            (IpAddr::V4(ip), RData::A(net)) => prefix_match(&ip.octets(), &net.octets(), cidr.ip4.unwrap_or(32)),
            (IpAddr::V6(ip), RData::Aaaa(net)) => prefix_match(&ip.octets(), &net.octets(), cidr.ip6.unwrap_or(128)),
            _ => false,
        }
    }

    async fn mechanism(
        &self,
        domain: &str,
        chain: &[String],
        mechanism: &Mechanism,
        record: &SpfRecord,
        term: &crate::parse::spf::Term,
        node: &mut SpfNode,
    ) -> Result<bool, Stop> {
        match mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip4 { addr, prefix } => Ok(match self.ip {
                IpAddr::V4(ip) => prefix_match(&ip.octets(), &addr.octets(), prefix.unwrap_or(32)),
                IpAddr::V6(_) => false,
            }),
            Mechanism::Ip6 { addr, prefix } => Ok(match self.ip {
                IpAddr::V6(ip) => prefix_match(&ip.octets(), &addr.octets(), prefix.unwrap_or(128)),
                IpAddr::V4(_) => false,
            }),
            Mechanism::A { domain: spec, cidr } => {
                let Some(target) = self.target(spec.as_ref(), record.bytes(), domain).await else {
                    return Ok(false);
                };
                let lookup = self.resolver.lookup(&target, self.addr_type()).await;
                if let Outcome::Failed(f) = &lookup.outcome {
                    return Err(stop(
                        SpfResult::Temperror,
                        format!("{} lookup for {target} failed: {f}", self.addr_type()),
                    ));
                }
                self.count_void(&lookup.outcome, &target)?;
                Ok(lookup.outcome.records().iter().any(|r| self.cidr_match(r, *cidr)))
            }
            Mechanism::Mx { domain: spec, cidr } => {
                let Some(target) = self.target(spec.as_ref(), record.bytes(), domain).await else {
                    return Ok(false);
                };
                let lookup = self.resolver.lookup(&target, RecordType::Mx).await;
                if let Outcome::Failed(f) = &lookup.outcome {
                    return Err(stop(
                        SpfResult::Temperror,
                        format!("MX lookup for {target} failed: {f}"),
                    ));
                }
                self.count_void(&lookup.outcome, &target)?;
                let hosts: Vec<(u16, &str)> = lookup
                    .outcome
                    .records()
                    .iter()
                    .filter_map(|r| match r {
                        RData::Mx { preference, exchange } => Some((*preference, exchange.as_str())),
                        _ => None,
                    })
                    .collect();
                if hosts.len() > RR_LIMIT {
                    return Err(stop(
                        SpfResult::Permerror,
                        format!(
                            "{target} has {} MX records; an mx term may look at {RR_LIMIT}",
                            hosts.len()
                        ),
                    ));
                }
                // By preference, in answer order for equal ones (a stable sort).
                let order = crate::vec_map::sort_positions(hosts.len(), &|a, b| hosts[a].0 <= hosts[b].0);
                for host in order.into_iter().filter_map(|i| hosts.get(i).map(|(_, host)| *host)) {
                    let host = host.strip_suffix('.').unwrap_or(host);
                    if host.is_empty() || !valid_query_name(host) {
                        continue;
                    }
                    let lookup = self.resolver.lookup(host, self.addr_type()).await;
                    if let Outcome::Failed(f) = &lookup.outcome {
                        return Err(stop(
                            SpfResult::Temperror,
                            format!("{} lookup for MX host {host} failed: {f}", self.addr_type()),
                        ));
                    }
                    if lookup.outcome.records().iter().any(|r| self.cidr_match(r, *cidr)) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr { domain: spec } => {
                let Some(target) = self.target(spec.as_ref(), record.bytes(), domain).await else {
                    return Ok(false);
                };
                let names = self.validated_names(true).await?;
                let target = target.to_ascii_lowercase();
                Ok(names.iter().any(|n| is_same_or_subdomain(n, &target)))
            }
            Mechanism::Exists { domain: spec } => {
                let Some(target) = self.target(Some(spec), record.bytes(), domain).await else {
                    return Ok(false);
                };
                // §5.7: always an A query, whatever the client's address family.
                let lookup = self.resolver.lookup(&target, RecordType::A).await;
                if let Outcome::Failed(f) = &lookup.outcome {
                    return Err(stop(SpfResult::Temperror, format!("A lookup for {target} failed: {f}")));
                }
                self.count_void(&lookup.outcome, &target)?;
                Ok(lookup.outcome.records().iter().any(|r| matches!(r, RData::A(_))))
            }
            Mechanism::Include { domain: spec } => {
                let target = truncate_name(&self.expand(spec, record.bytes(), domain, false).await);
                let target = target.strip_suffix('.').unwrap_or(&target).to_string();
                let (res, child) = if valid_query_name(&target) {
                    self.check(
                        target.clone(),
                        chain.to_vec(),
                        Some((record.term_text(term).into_owned(), term.span)),
                        false,
                    )
                    .await
                } else {
                    let res = Res::bare(SpfResult::None, format!("`{target}` is not a valid domain"));
                    (
                        res,
                        SpfNode {
                            domain: target.clone(),
                            ..SpfNode::default()
                        },
                    )
                };
                node.children.push(child);
                // §5.2: the table of include results.
                match res.result {
                    SpfResult::Pass => Ok(true),
                    SpfResult::Fail | SpfResult::Softfail | SpfResult::Neutral => Ok(false),
                    SpfResult::Temperror => Err(stop(
                        SpfResult::Temperror,
                        res.problem
                            .unwrap_or_else(|| format!("include:{target} gave temperror")),
                    )),
                    SpfResult::Permerror => Err(stop(
                        SpfResult::Permerror,
                        res.problem
                            .unwrap_or_else(|| format!("include:{target} gave permerror")),
                    )),
                    SpfResult::None => Err(stop(
                        SpfResult::Permerror,
                        format!("include:{target} has no SPF record"),
                    )),
                }
            }
        }
    }

    /// The names of the client's PTR records that resolve back to its address (§5.5), at
    /// most the first 10. ``count_void` counts a void PTR answer (for the mechanism, not for `%{p}`); a failed
    /// PTR lookup gives no names, and a failed address lookup skips that name.
    async fn validated_names(&self, count_void: bool) -> Result<Vec<String>, Stop> {
        let reverse = reverse_name(self.ip);
        let lookup = self.resolver.lookup(&reverse, RecordType::Ptr).await;
        if count_void {
            self.count_void(&lookup.outcome, &reverse)?;
        }
        let names: Vec<String> = lookup
            .outcome
            .records()
            .iter()
            .filter_map(|r| match r {
                RData::Ptr(name) => Some(normalize_name(name)),
                _ => None,
            })
            .take(RR_LIMIT)
            .collect();
        let mut validated = Vec::new();
        for name in names {
            if !valid_query_name(&name) {
                continue;
            }
            let lookup = self.resolver.lookup(&name, self.addr_type()).await;
            let back = lookup.outcome.records().iter().any(|r| match (r, self.ip) {
                (RData::A(a), IpAddr::V4(ip)) => *a == ip,
                (RData::Aaaa(a), IpAddr::V6(ip)) => *a == ip,
                _ => false,
            });
            if back {
                validated.push(name);
            }
        }
        Ok(validated)
    }

    /// `%{p}`: a validated name, preferring the domain itself, then a subdomain (§7.3).
    async fn p_value(&self, domain: &str) -> String {
        let names = self.validated_names(false).await.unwrap_or_default();
        let domain = normalize_name(domain);
        names
            .iter()
            .find(|n| **n == domain)
            .or_else(|| names.iter().find(|n| is_same_or_subdomain(n, &domain)))
            .or_else(|| names.first())
            .cloned()
            .unwrap_or_else(|| "unknown".to_string())
    }

    /// Expands a macro-string (§7.3) parsed from `source`. `explain` marks explanation text.
    async fn expand(&self, ms: &MacroString, source: &[u8], domain: &str, _explain: bool) -> String {
        let mut out = String::new();
        for part in ms.parts(source) {
            match part {
                MacroPart::Literal(text) => out.push_str(text),
                MacroPart::Percent => out.push('%'),
                MacroPart::Space => out.push(' '),
                MacroPart::UrlSpace => out.push_str("%20"),
                MacroPart::Macro(mac) => {
                    let value = if mac.letter == 'p' {
                        self.p_value(domain).await
                    } else {
                        letter_value(mac.letter, &self.values(), domain)
                    };
                    out.push_str(&transform(&mac, &value));
                }
            }
        }
        out
    }

    /// The explanation for a fail result (§6.2); any problem means no explanation.
    async fn explanation(&self, record: &SpfRecord, domain: &str) -> Option<String> {
        let spec = record.terms.iter().find_map(|t| match &t.kind {
            TermKind::Modifier(Modifier::Exp { domain }) => Some(domain),
            _ => None,
        })?;
        let target = truncate_name(&self.expand(spec, record.bytes(), domain, false).await);
        let target = target.strip_suffix('.').unwrap_or(&target).to_string();
        if !valid_query_name(&target) {
            return None;
        }
        let lookup = self.resolver.lookup(&target, RecordType::Txt).await;
        let txts: Vec<Vec<u8>> = lookup
            .outcome
            .records()
            .iter()
            .filter_map(|r| match r {
                RData::Txt(strings) => Some(strings.concat()),
                _ => None,
            })
            .collect();
        let [text] = txts.as_slice() else { return None };
        if !text.is_ascii() {
            return None;
        }
        let ms = parse_explain_string(text).ok()?;
        Some(self.expand(&ms, text, domain, true).await)
    }
}

/// Whether the first `prefix` bits of two addresses of the same family agree.
fn prefix_match(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let mut bits = u32::from(prefix);
    for (x, y) in a.iter().zip(b) {
        if bits == 0 {
            return true;
        }
        let take = bits.min(8);
        let mask: u8 = if take == 8 { 0xff } else { !(0xffu8 >> take) };
        if x & mask != y & mask {
            return false;
        }
        bits -= take;
    }
    true
}

fn is_same_or_subdomain(name: &str, domain: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let domain = domain.strip_suffix('.').unwrap_or(domain).to_ascii_lowercase();
    name == domain || name.ends_with(&format!(".{domain}"))
}
