//! The include/redirect tree of a domain without a client IP, counted the way record checkers
//! count: every DNS-querying term is counted ("worst case"), include and redirect targets
//! are fetched, sibling lookups run concurrently.

use crate::future::FutureExt;
use crate::future::{join, join_all, LocalBoxFuture};

use super::{SpfNode, SpfTree, LOOKUP_LIMIT, VOID_LOOKUP_LIMIT};
use crate::diag::Span;
use crate::dns::{normalize_name, Outcome, RData, RecordType, Resolver};
use crate::parse::spf::{is_spf_bytes, parse_txt, MacroString, Mechanism, Modifier, TermKind};

/// Fetches the SPF record of `domain` and everything it includes or redirects to, and counts
/// DNS-querying terms and void lookups per record and as running totals in evaluation order.
pub async fn expand(resolver: &dyn Resolver, domain: &str) -> SpfTree {
    let domain = normalize_name(domain);
    let fetched = fetch(resolver, domain, None, Vec::new()).await;
    let mut counters = Counters::default();
    let root = finish(fetched, &mut counters);
    SpfTree {
        root,
        lookups: counters.lookups,
        void_lookups: counters.voids,
        limit_exceeded: counters.lookups > LOOKUP_LIMIT,
        void_limit_exceeded: counters.voids > VOID_LOOKUP_LIMIT,
        loops: counters.loops,
    }
}

/// A record and what its terms found, before the running totals are known.
struct Fetched {
    node: SpfNode,
    steps: Vec<Step>,
}

enum Step {
    /// A DNS-querying term that is not include or redirect; `void` when its probe found nothing.
    Term { void: bool },
    /// An include or redirect target.
    Child(Box<Fetched>),
}

#[derive(Default)]
struct Counters {
    lookups: u32,
    voids: u32,
    crossed: bool,
    void_crossed: bool,
    loops: Vec<String>,
}

/// Walks the fetched tree in evaluation order (terms in record order, an include's subtree at
/// its place, redirect last) to give each node its own counts and running totals.
fn finish(fetched: Fetched, counters: &mut Counters) -> SpfNode {
    let mut node = fetched.node;
    let mut own = 0;
    let mut own_voids = 0;
    if let Some(error) = node.error.as_ref().filter(|e| e.starts_with("loop: ")) {
        counters
            .loops
            .push(crate::text::trim_start_matches(error, "loop: ").to_string());
    }
    for step in fetched.steps {
        own += 1;
        counters.lookups += 1;
        if counters.lookups > LOOKUP_LIMIT && !counters.crossed {
            counters.crossed = true;
            node.limit_crossed = true;
        }
        match step {
            Step::Term { void } => {
                if void {
                    own_voids += 1;
                    counters.voids += 1;
                    if counters.voids > VOID_LOOKUP_LIMIT && !counters.void_crossed {
                        counters.void_crossed = true;
                        node.void_limit_crossed = true;
                    }
                }
            }
            Step::Child(child) => {
                let child = finish(*child, counters);
                node.children.push(child);
            }
        }
    }
    node.lookups = own;
    node.void_lookups = own_voids;
    node.total_lookups = counters.lookups;
    node.total_void_lookups = counters.voids;
    node
}

/// A literal target name (no macros), without a trailing dot.
fn literal(spec: &MacroString, source: &[u8]) -> Option<String> {
    if !spec.is_literal() {
        return None;
    }
    let name = normalize_name(&spec.text(source));
    super::valid_query_name(&name).then_some(name)
}

enum Plan<'a> {
    Probe(LocalBoxFuture<'a, bool>),
    Fixed(Step),
    Child(LocalBoxFuture<'a, Fetched>),
}

fn fetch<'a>(
    resolver: &'a dyn Resolver,
    domain: String,
    via: Option<(String, Span)>,
    chain: Vec<String>,
) -> LocalBoxFuture<'a, Fetched> {
    async move {
        let mut node = SpfNode::reached(&domain, via.as_ref());
        if let Some(text) = super::loop_error(&chain, &domain) {
            node.error = Some(text);
            return Fetched {
                node,
                steps: Vec::new(),
            };
        }
        let lookup = resolver.lookup(&domain, RecordType::Txt).await;
        let records: Vec<Vec<Vec<u8>>> = match &lookup.outcome {
            Outcome::Failed(failure) => {
                node.error = Some(format!("TXT lookup failed: {failure} (temperror)"));
                return Fetched {
                    node,
                    steps: Vec::new(),
                };
            }
            outcome => outcome
                .records()
                .iter()
                .filter_map(|r| match r {
                    RData::Txt(strings) if is_spf_bytes(&strings.concat()) => Some(strings.clone()),
                    _ => None,
                })
                .collect(),
        };
        let strings = match records.as_slice() {
            [] => {
                node.error = Some("no SPF record".to_string());
                return Fetched {
                    node,
                    steps: Vec::new(),
                };
            }
            [one] => one,
            more => {
                node.error = Some(format!("{} SPF records; one is allowed (permerror)", more.len()));
                return Fetched {
                    node,
                    steps: Vec::new(),
                };
            }
        };
        let slices: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
        let record = parse_txt(&slices).value;
        node.record = Some(String::from_utf8_lossy(&strings.concat()).into_owned());
        if let Some(perm) = &record.permerror {
            node.error = Some(format!("syntax error: {} (permerror)", perm.message));
        }

        let mut chain = chain;
        chain.push(domain.clone());
        let has_all = record
            .terms
            .iter()
            .any(|t| matches!(&t.kind, TermKind::Directive(d) if d.mechanism == Mechanism::All));
        let mut plans: Vec<Plan<'a>> = Vec::new();
        let child = |spec: &MacroString, text: &str, span: Span, chain: &Vec<String>| -> Plan<'a> {
            match literal(spec, record.bytes()) {
                Some(target) => Plan::Child(fetch(resolver, target, Some((text.to_string(), span)), chain.clone())),
                None => Plan::Fixed(Step::Child(Box::new(Fetched {
                    node: SpfNode {
                        domain: spec.text(record.bytes()).into_owned(),
                        via: Some(text.to_string()),
                        via_span: Some(span),
                        error: Some("target has macros: known only for a given sender".to_string()),
                        ..SpfNode::default()
                    },
                    steps: Vec::new(),
                }))),
            }
        };
        let mut redirect = None;
        for term in &record.terms {
            match &term.kind {
                TermKind::Directive(d) => match &d.mechanism {
                    Mechanism::Include { domain: spec } => {
                        plans.push(child(spec, &record.term_text(term), term.span, &chain))
                    }
                    Mechanism::A { domain: spec, .. } | Mechanism::Mx { domain: spec, .. } => {
                        let target = match spec {
                            None => Some(domain.clone()),
                            Some(spec) => literal(spec, record.bytes()),
                        };
                        let is_mx = matches!(d.mechanism, Mechanism::Mx { .. });
                        match target {
                            Some(target) => plans.push(Plan::Probe(probe(resolver, target, is_mx))),
                            None => plans.push(Plan::Fixed(Step::Term { void: false })),
                        }
                    }
                    Mechanism::Exists { domain: spec } => match literal(spec, record.bytes()) {
                        Some(target) => plans.push(Plan::Probe(
                            async move { resolver.lookup(&target, RecordType::A).await.outcome.is_void() }
                                .boxed_local(),
                        )),
                        None => plans.push(Plan::Fixed(Step::Term { void: false })),
                    },
                    Mechanism::Ptr { .. } => plans.push(Plan::Fixed(Step::Term { void: false })),
                    _ => {}
                },
                TermKind::Modifier(Modifier::Redirect { domain: spec }) if redirect.is_none() => {
                    redirect = Some((spec, term));
                }
                _ => {}
            }
        }
        // §6.1: redirect is used only when no mechanism matches, and `all` always matches.
        if let (Some((spec, term)), false) = (redirect, has_all) {
            plans.push(child(spec, &record.term_text(term), term.span, &chain));
        }

        // Run every probe and child fetch of this record at once, then restore record order.
        let mut pending = Vec::new();
        let mut slots: Vec<Option<Step>> = Vec::new();
        for plan in plans {
            match plan {
                Plan::Fixed(step) => slots.push(Some(step)),
                Plan::Probe(f) => {
                    slots.push(None);
                    pending.push(async move { Step::Term { void: f.await } }.boxed_local());
                }
                Plan::Child(f) => {
                    slots.push(None);
                    pending.push(async move { Step::Child(Box::new(f.await)) }.boxed_local());
                }
            }
        }
        let mut done = join_all(pending).await.into_iter();
        let steps = slots
            .into_iter()
            .filter_map(|slot| slot.or_else(|| done.next()))
            .collect();
        Fetched { node, steps }
    }
    .boxed_local()
}

/// Whether an `a` or `mx` target gives nothing: for `a`, neither A nor AAAA records.
fn probe<'a>(resolver: &'a dyn Resolver, target: String, is_mx: bool) -> LocalBoxFuture<'a, bool> {
    async move {
        if is_mx {
            resolver.lookup(&target, RecordType::Mx).await.outcome.is_void()
        } else {
            join!(let (a, aaaa) = (
                resolver.lookup(&target, RecordType::A),
                resolver.lookup(&target, RecordType::Aaaa),
            ));
            a.outcome.is_void() && aaaa.outcome.is_void()
        }
    }
    .boxed_local()
}
