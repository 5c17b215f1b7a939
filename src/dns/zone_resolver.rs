//! Resolvers over pasted zone text: [`ZoneResolver`] answers offline from a [`Zone`], and
//! [`Overlay`] puts a zone in front of live DNS ("pre-flight": check records before
//! publishing them).

use crate::future::FutureExt;
use crate::future::LocalBoxFuture;

use super::wire::MAX_CNAME_CHAIN;
use super::{normalize_name, Failure, Lookup, Outcome, RData, RecordType, Resolver};
use crate::parse::zone::{Zone, ZoneType};
use crate::vec_map::VecMap;

/// Answers from a parsed zone, offline. A name not in the zone is NXDOMAIN; a name with
/// records of other types, or one that exists only as the parent of another name (an empty
/// non-terminal, RFC 8020), is NODATA. CNAMEs inside the zone are followed; a CNAME whose
/// target is not in the zone ends in NXDOMAIN for that target.
#[derive(Clone, Debug, Default)]
pub struct ZoneResolver {
    /// Records by owner name.
    names: VecMap<String, Vec<(ZoneType, RData)>>,
}

impl ZoneResolver {
    pub fn new(zone: &Zone) -> ZoneResolver {
        let names = crate::parse::zone::by_owner(&zone.records)
            .iter()
            .map(|(owner, group)| {
                (
                    owner.to_string(),
                    group.iter().map(|r| (r.rtype, r.rdata.clone())).collect(),
                )
            })
            .collect();
        ZoneResolver {
            names: VecMap::from_sorted(names),
        }
    }

    /// True when `name` exists: it owns records, or it is an ancestor of a name that does (an
    /// empty non-terminal), or it is the root of a zone with records. A scan of the owners, run
    /// only for a lookup that found no records.
    fn exists(&self, name: &str) -> bool {
        self.names.iter().any(|(owner, _)| {
            name.is_empty()
                || owner.as_str() == name
                || owner.strip_suffix(name).is_some_and(|head| head.ends_with('.'))
        })
    }

    /// Reads zone text and answers from the records that could be read.
    pub fn from_text(text: &str, default_origin: Option<&str>) -> ZoneResolver {
        ZoneResolver::new(&crate::parse::zone::parse(text, default_origin).value)
    }

    /// True when `name` owns at least one record in the zone.
    pub fn has_name(&self, name: &str) -> bool {
        self.names.contains_key(normalize_name(name).as_str())
    }

    /// True when `name` owns records of `rtype` in the zone.
    pub fn has(&self, name: &str, rtype: RecordType) -> bool {
        self.records_at(&normalize_name(name), rtype).next().is_some()
    }

    fn records_at<'a>(&'a self, name: &str, rtype: RecordType) -> impl Iterator<Item = &'a RData> + 'a {
        self.names
            .get(name)
            .into_iter()
            .flatten()
            .filter(move |(t, _)| *t == ZoneType::Known(rtype))
            .map(|(_, data)| data)
    }

    /// The answer, computed at once.
    pub fn answer(&self, name: &str, rtype: RecordType) -> Lookup {
        let mut lookup = Lookup::new(name, rtype, Outcome::NxDomain);
        let mut current = lookup.name.clone();
        loop {
            let found: Vec<RData> = self.records_at(&current, rtype).cloned().collect();
            if !found.is_empty() {
                lookup.outcome = Outcome::Records(found);
                return lookup;
            }
            if rtype != RecordType::Cname {
                if let Some(RData::Cname(target)) = self.records_at(&current, RecordType::Cname).next() {
                    let target = target.clone();
                    // The names seen so far are the question and the chain.
                    let looped = target == lookup.name
                        || lookup.cnames.contains(&target)
                        || lookup.cnames.len() >= MAX_CNAME_CHAIN;
                    lookup.cnames.push(target.clone());
                    if looped {
                        lookup.outcome = Outcome::Failed(Failure::CnameLoop);
                        return lookup;
                    }
                    current = target;
                    continue;
                }
            }
            lookup.outcome = if self.exists(&current) {
                Outcome::NoData
            } else {
                Outcome::NxDomain
            };
            return lookup;
        }
    }
}

impl Resolver for ZoneResolver {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        let lookup = self.answer(name, rtype);
        async move { lookup }.boxed_local()
    }
}

/// A pasted zone in front of live DNS.
///
/// The rule: a (name, type) the zone has records for is answered from the zone, and so is a
/// name whose CNAME is in the zone (the chain is followed in the zone, and continues in live
/// DNS when it leaves the zone). Everything else goes to `back`, including a type the zone does
/// not have at a name it does have: a pasted fragment rarely holds every record of a name,
/// so "the paste has no MX here" must not hide the live MX.
pub struct Overlay<R> {
    pub front: ZoneResolver,
    pub back: R,
}

impl<R: Resolver> Overlay<R> {
    pub fn new(front: ZoneResolver, back: R) -> Overlay<R> {
        Overlay { front, back }
    }
}

impl<R: Resolver> Resolver for Overlay<R> {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        async move {
            let normalized = normalize_name(name);
            let follows_cname = rtype != RecordType::Cname && self.front.has(&normalized, RecordType::Cname);
            if !self.front.has(&normalized, rtype) && !follows_cname {
                return self.back.lookup(name, rtype).await;
            }
            let front = self.front.answer(&normalized, rtype);
            let last = front.cnames.last().cloned();
            match (&front.outcome, last) {
                // The chain left the zone: ask live DNS for where it ended.
                (Outcome::NxDomain | Outcome::NoData, Some(target)) if !self.front.has_name(&target) => {
                    let mut live = self.back.lookup(&target, rtype).await;
                    let mut cnames = front.cnames.clone();
                    cnames.append(&mut live.cnames);
                    live.cnames = cnames;
                    live.name = front.name;
                    live
                }
                _ => front,
            }
        }
        .boxed_local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::block::block_on;
    use std::cell::RefCell;
    use std::net::Ipv4Addr;

    const ZONE: &str = "$ORIGIN example.test.\n\
        @ MX 10 mail\n\
        @ TXT \"v=spf1 -all\"\n\
        mail A 192.0.2.1\n\
        www CNAME mail\n\
        out CNAME elsewhere.test.\n\
        loop1 CNAME loop2\n\
        loop2 CNAME loop1\n\
        sel._domainkey TXT \"v=DKIM1; p=\"\n";

    fn zone() -> ZoneResolver {
        ZoneResolver::from_text(ZONE, None)
    }

    #[test]
    fn zone_answers() {
        let z = zone();
        assert_eq!(
            z.answer("MAIL.example.test.", RecordType::A).outcome,
            Outcome::Records(vec![RData::A(Ipv4Addr::new(192, 0, 2, 1))])
        );
        assert_eq!(z.answer("mail.example.test", RecordType::Txt).outcome, Outcome::NoData);
        assert_eq!(
            z.answer("nothere.example.test", RecordType::A).outcome,
            Outcome::NxDomain
        );
        // Empty non-terminal: exists only as the parent of sel._domainkey.
        assert_eq!(
            z.answer("_domainkey.example.test", RecordType::Txt).outcome,
            Outcome::NoData
        );
        assert_eq!(z.answer("test", RecordType::Txt).outcome, Outcome::NoData);
        let www = z.answer("www.example.test", RecordType::A);
        assert_eq!(www.cnames, ["mail.example.test"]);
        assert_eq!(
            www.outcome,
            Outcome::Records(vec![RData::A(Ipv4Addr::new(192, 0, 2, 1))])
        );
        assert_eq!(
            z.answer("www.example.test", RecordType::Cname).outcome,
            Outcome::Records(vec![RData::Cname("mail.example.test".into())])
        );
        assert_eq!(
            z.answer("loop1.example.test", RecordType::A).outcome,
            Outcome::Failed(Failure::CnameLoop)
        );
        let out = z.answer("out.example.test", RecordType::A);
        assert_eq!(out.outcome, Outcome::NxDomain);
        assert_eq!(out.cnames, ["elsewhere.test"]);
        assert_eq!(
            block_on(z.lookup("example.test", RecordType::Mx))
                .outcome
                .records()
                .len(),
            1
        );
    }

    /// A back end that records what it was asked and answers a fixed A record.
    struct Recorder(RefCell<Vec<(String, RecordType)>>);

    impl Resolver for Recorder {
        fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
            self.0.borrow_mut().push((normalize_name(name), rtype));
            let lookup = Lookup::new(
                name,
                rtype,
                Outcome::Records(vec![RData::A(Ipv4Addr::new(198, 51, 100, 9))]),
            );
            async move { lookup }.boxed_local()
        }
    }

    #[test]
    fn overlay_rule() {
        let overlay = Overlay::new(zone(), Recorder(RefCell::new(Vec::new())));
        // In the zone: from the zone, back end not asked.
        let txt = block_on(overlay.lookup("example.test", RecordType::Txt));
        assert_eq!(txt.outcome.records().len(), 1);
        assert!(matches!(txt.outcome.records()[0], RData::Txt(_)));
        // Name in the zone, type not: live.
        let a = block_on(overlay.lookup("example.test", RecordType::A));
        assert_eq!(
            a.outcome,
            Outcome::Records(vec![RData::A(Ipv4Addr::new(198, 51, 100, 9))])
        );
        // Name not in the zone: live.
        block_on(overlay.lookup("other.test", RecordType::Mx));
        // CNAME in the zone pointing inside: from the zone.
        let www = block_on(overlay.lookup("www.example.test", RecordType::A));
        assert_eq!(
            www.outcome,
            Outcome::Records(vec![RData::A(Ipv4Addr::new(192, 0, 2, 1))])
        );
        // CNAME leaving the zone: the chain goes on live.
        let out = block_on(overlay.lookup("out.example.test", RecordType::A));
        assert_eq!(out.name, "out.example.test");
        assert_eq!(out.cnames, ["elsewhere.test"]);
        assert_eq!(out.outcome.records().len(), 1);
        assert_eq!(
            *overlay.back.0.borrow(),
            [
                ("example.test".to_string(), RecordType::A),
                ("other.test".to_string(), RecordType::Mx),
                ("elsewhere.test".to_string(), RecordType::A),
            ]
        );
    }
}
