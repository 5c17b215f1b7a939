//! DNS wire format: the query sendercheck sends and the decoding of an answer into a
//! [`Lookup`]. Decoding never panics, whatever the bytes.

use std::collections::HashSet;
use std::str::FromStr;

use domain::base::iana::{Rcode, Rtype};
use domain::base::message_builder::MessageBuilder;
use domain::base::name::{Name, ParsedName};
use domain::base::rdata::ComposeRecordData;
use domain::base::Message;
use domain::rdata::AllRecordData;

use super::{normalize_name, Failure, Lookup, Outcome, RData, RecordType};

/// The EDNS0 UDP payload size advertised (the DNS flag day 2020 value).
pub const EDNS_PAYLOAD: u16 = 1232;

/// The longest CNAME chain followed inside one answer.
pub const MAX_CNAME_CHAIN: usize = 16;

/// Builds a query for `name`/`rtype` with the given id: RD set, AD set (RFC 6840 §5.7, so a
/// validating resolver reports whether the answer was validated), EDNS0 with DO off.
pub fn build_query(id: u16, name: &str, rtype: RecordType) -> Result<Vec<u8>, Failure> {
    let name = normalize_name(name);
    let qname: Name<Vec<u8>> = Name::from_str(&format!("{name}.")).map_err(|err| Failure::Malformed {
        detail: format!("cannot encode the name `{name}` in a query: {err}"),
    })?;
    let mut builder = MessageBuilder::new_vec();
    {
        let header = builder.header_mut();
        header.set_id(id);
        header.set_rd(true);
        header.set_ad(true);
    }
    let mut question = builder.question();
    question
        .push((&qname, Rtype::from_int(rtype.code())))
        .map_err(|err| Failure::Malformed {
            detail: format!("cannot build the query: {err}"),
        })?;
    let mut additional = question.additional();
    additional
        .opt(|opt| {
            opt.set_udp_payload_size(EDNS_PAYLOAD);
            opt.set_dnssec_ok(false);
            Ok(())
        })
        .map_err(|err| Failure::Malformed {
            detail: format!("cannot build the query: {err}"),
        })?;
    Ok(additional.finish())
}

fn malformed(name: &str, rtype: RecordType, detail: impl Into<String>) -> Lookup {
    Lookup::new(
        name,
        rtype,
        Outcome::Failed(Failure::Malformed { detail: detail.into() }),
    )
}

/// One answer-section record, decoded as far as sendercheck needs it.
struct AnswerRecord {
    owner: String,
    rtype: u16,
    /// None when the data of a type we need could not be decoded.
    data: Option<RData>,
}

/// Decodes an answer to the question (`name`, `rtype`). With `id`, an answer with another id
/// is malformed. CNAMEs in the answer are followed (unless CNAME itself was asked).
pub fn decode_answer(bytes: &[u8], id: Option<u16>, name: &str, rtype: RecordType) -> Lookup {
    let qname = normalize_name(name);
    let Ok(message) = Message::from_octets(bytes) else {
        return malformed(&qname, rtype, "shorter than a DNS header");
    };
    let header = message.header();
    if !header.qr() {
        return malformed(&qname, rtype, "the message is a query, not an answer");
    }
    if let Some(id) = id {
        if header.id() != id {
            return malformed(
                &qname,
                rtype,
                format!("answer id {} does not match query id {id}", header.id()),
            );
        }
    }
    match message.first_question() {
        Some(question) => {
            let asked = normalize_name(&question.qname().to_string());
            if asked != qname || question.qtype().to_int() != rtype.code() {
                return malformed(
                    &qname,
                    rtype,
                    format!("the answer is for {asked} {}, not {qname} {rtype}", question.qtype()),
                );
            }
        }
        None => return malformed(&qname, rtype, "the answer has no question section"),
    }
    let mut lookup = Lookup::new(&qname, rtype, Outcome::NoData);
    lookup.authenticated = header.ad();
    if header.tc() {
        lookup.outcome = Outcome::Failed(Failure::Malformed {
            detail: "the answer is truncated (TC flag)".into(),
        });
        return lookup;
    }
    let rcode = header.rcode();
    let failure = match rcode {
        Rcode::NOERROR | Rcode::NXDOMAIN => None,
        Rcode::SERVFAIL => Some(Failure::ServFail),
        Rcode::REFUSED => Some(Failure::Refused),
        other => Some(Failure::Rcode {
            code: u16::from(other.to_int()),
        }),
    };
    if let Some(failure) = failure {
        lookup.outcome = Outcome::Failed(failure);
        return lookup;
    }
    let records = match answer_records(&message) {
        Ok(records) => records,
        Err(detail) => {
            lookup.outcome = Outcome::Failed(Failure::Malformed { detail });
            return lookup;
        }
    };
    // Follow the CNAME chain inside the answer.
    let mut current = qname.clone();
    let mut seen = HashSet::new();
    seen.insert(current.clone());
    loop {
        let mut found = Vec::new();
        for record in records.iter().filter(|r| r.owner == current && r.rtype == rtype.code()) {
            match &record.data {
                Some(data) => found.push(data.clone()),
                None => {
                    lookup.outcome = Outcome::Failed(Failure::Malformed {
                        detail: format!("undecodable {rtype} record for {current}"),
                    });
                    return lookup;
                }
            }
        }
        if !found.is_empty() {
            lookup.outcome = Outcome::Records(found);
            return lookup;
        }
        if rtype == RecordType::Cname {
            break;
        }
        let target = records.iter().find_map(|r| match (&r.data, r.owner == current) {
            (Some(RData::Cname(target)), true) => Some(target.clone()),
            _ => None,
        });
        let Some(target) = target else { break };
        if !seen.insert(target.clone()) || lookup.cnames.len() >= MAX_CNAME_CHAIN {
            lookup.cnames.push(target);
            lookup.outcome = Outcome::Failed(Failure::CnameLoop);
            return lookup;
        }
        lookup.cnames.push(target.clone());
        current = target;
    }
    lookup.outcome = if rcode == Rcode::NXDOMAIN {
        Outcome::NxDomain
    } else {
        Outcome::NoData
    };
    lookup
}

fn answer_records(message: &Message<&[u8]>) -> Result<Vec<AnswerRecord>, String> {
    let section = message.answer().map_err(|err| format!("bad question section: {err}"))?;
    let mut records = Vec::new();
    for record in section {
        let record = record.map_err(|err| format!("bad answer record: {err}"))?;
        let owner = normalize_name(&record.owner().to_string());
        let rtype = record.rtype().to_int();
        let data = match record.into_any_record::<AllRecordData<&[u8], ParsedName<&[u8]>>>() {
            Ok(parsed) => convert(parsed.data(), rtype),
            Err(_) => None,
        };
        records.push(AnswerRecord { owner, rtype, data });
    }
    Ok(records)
}

fn convert(data: &AllRecordData<&[u8], ParsedName<&[u8]>>, rtype: u16) -> Option<RData> {
    Some(match data {
        AllRecordData::A(a) => RData::A(a.addr()),
        AllRecordData::Aaaa(a) => RData::Aaaa(a.addr()),
        AllRecordData::Mx(mx) => RData::Mx {
            preference: mx.preference(),
            exchange: normalize_name(&mx.exchange().to_string()),
        },
        AllRecordData::Cname(c) => RData::Cname(normalize_name(&c.cname().to_string())),
        AllRecordData::Ptr(p) => RData::Ptr(normalize_name(&p.ptrdname().to_string())),
        AllRecordData::Ns(n) => RData::Ns(normalize_name(&n.nsdname().to_string())),
        AllRecordData::Soa(s) => RData::Soa {
            mname: normalize_name(&s.mname().to_string()),
            rname: normalize_name(&s.rname().to_string()),
            serial: s.serial().into_int(),
        },
        AllRecordData::Txt(txt) => {
            let mut raw = Vec::new();
            txt.compose_rdata(&mut raw).ok()?;
            RData::Txt(split_character_strings(&raw)?)
        }
        other => {
            let mut raw = Vec::new();
            other.compose_rdata(&mut raw).ok()?;
            if rtype == RecordType::Spf.code() {
                RData::Txt(split_character_strings(&raw)?)
            } else {
                RData::Other { rtype, data: raw }
            }
        }
    })
}

/// Splits TXT rdata into its character-strings; None when a length runs past the end.
pub fn split_character_strings(mut raw: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut strings = Vec::new();
    while let Some((&len, rest)) = raw.split_first() {
        let len = usize::from(len);
        let string = rest.get(..len)?;
        strings.push(string.to_vec());
        raw = rest.get(len..)?;
    }
    Some(strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_has_rd_ad_and_edns() {
        let query = build_query(0x1234, "Example.COM.", RecordType::Txt).unwrap();
        let message = Message::from_octets(query.as_slice()).unwrap();
        let header = message.header();
        assert_eq!(header.id(), 0x1234);
        assert!(header.rd() && header.ad() && !header.qr());
        let question = message.first_question().unwrap();
        assert_eq!(question.qname().to_string(), "example.com");
        assert_eq!(question.qtype(), Rtype::TXT);
        let opt = message.opt().unwrap();
        assert_eq!(opt.udp_payload_size(), EDNS_PAYLOAD);
        assert!(!opt.dnssec_ok());
    }

    #[test]
    fn split_strings() {
        assert_eq!(
            split_character_strings(b"\x02ab\x00\x01c"),
            Some(vec![b"ab".to_vec(), vec![], b"c".to_vec()])
        );
        assert_eq!(split_character_strings(b"\x05ab"), None);
        assert_eq!(split_character_strings(b""), Some(vec![]));
    }

    use domain::base::iana::Rcode;
    use domain::rdata::{Aaaa, Cname, Mx, Txt, A};
    use std::net::Ipv4Addr;

    /// Builds an answer to the query with the given rcode and answer records.
    fn answer(
        query: &[u8],
        rcode: Rcode,
        push: impl FnOnce(&mut domain::base::message_builder::AnswerBuilder<Vec<u8>>),
    ) -> Vec<u8> {
        let query = Message::from_octets(query).unwrap();
        let mut builder = MessageBuilder::new_vec().start_answer(&query, rcode).unwrap();
        push(&mut builder);
        builder.finish()
    }

    fn name(text: &str) -> Name<Vec<u8>> {
        Name::from_str(text).unwrap()
    }

    #[test]
    fn a_records_and_ad_flag() {
        let query = build_query(7, "a.test", RecordType::A).unwrap();
        let mut bytes = answer(&query, Rcode::NOERROR, |b| {
            b.push((name("a.test."), 60, A::new(Ipv4Addr::new(192, 0, 2, 1))))
                .unwrap();
            b.push((name("a.test."), 60, A::new(Ipv4Addr::new(192, 0, 2, 2))))
                .unwrap();
        });
        let lookup = decode_answer(&bytes, Some(7), "A.TEST.", RecordType::A);
        assert_eq!(
            lookup.outcome,
            Outcome::Records(vec![
                RData::A(Ipv4Addr::new(192, 0, 2, 1)),
                RData::A(Ipv4Addr::new(192, 0, 2, 2))
            ])
        );
        assert!(!lookup.authenticated);
        bytes[3] |= 0x20; // AD
        assert!(decode_answer(&bytes, Some(7), "a.test", RecordType::A).authenticated);
    }

    #[test]
    fn txt_strings_kept_apart() {
        let query = build_query(1, "t.test", RecordType::Txt).unwrap();
        let txt = Txt::<Vec<u8>>::build_from_slice(&[b'x'; 300]).unwrap();
        let bytes = answer(&query, Rcode::NOERROR, |b| b.push((name("t.test."), 60, txt)).unwrap());
        let lookup = decode_answer(&bytes, Some(1), "t.test", RecordType::Txt);
        assert_eq!(
            lookup.outcome,
            Outcome::Records(vec![RData::Txt(vec![vec![b'x'; 255], vec![b'x'; 45]])])
        );
    }

    #[test]
    fn cname_chain_followed_and_loop_detected() {
        let query = build_query(2, "www.test", RecordType::Mx).unwrap();
        let bytes = answer(&query, Rcode::NOERROR, |b| {
            b.push((name("www.test."), 60, Cname::new(name("b.test.")))).unwrap();
            b.push((name("b.test."), 60, Cname::new(name("c.test.")))).unwrap();
            b.push((name("c.test."), 60, Mx::new(10, name("mx.test.")))).unwrap();
        });
        let lookup = decode_answer(&bytes, Some(2), "www.test", RecordType::Mx);
        assert_eq!(lookup.cnames, ["b.test", "c.test"]);
        assert_eq!(
            lookup.outcome,
            Outcome::Records(vec![RData::Mx {
                preference: 10,
                exchange: "mx.test".into()
            }])
        );
        // Asked for the CNAME itself: not followed.
        let query = build_query(2, "www.test", RecordType::Cname).unwrap();
        let bytes = answer(&query, Rcode::NOERROR, |b| {
            b.push((name("www.test."), 60, Cname::new(name("b.test.")))).unwrap()
        });
        let lookup = decode_answer(&bytes, Some(2), "www.test", RecordType::Cname);
        assert_eq!(lookup.outcome, Outcome::Records(vec![RData::Cname("b.test".into())]));
        assert!(lookup.cnames.is_empty());
        // A loop.
        let query = build_query(3, "l.test", RecordType::A).unwrap();
        let bytes = answer(&query, Rcode::NOERROR, |b| {
            b.push((name("l.test."), 60, Cname::new(name("m.test.")))).unwrap();
            b.push((name("m.test."), 60, Cname::new(name("l.test.")))).unwrap();
        });
        assert_eq!(
            decode_answer(&bytes, Some(3), "l.test", RecordType::A).outcome,
            Outcome::Failed(Failure::CnameLoop)
        );
        // A chain ending nowhere is NODATA, with the chain recorded.
        let query = build_query(4, "d.test", RecordType::Aaaa).unwrap();
        let bytes = answer(&query, Rcode::NOERROR, |b| {
            b.push((name("d.test."), 60, Cname::new(name("e.test.")))).unwrap()
        });
        let lookup = decode_answer(&bytes, Some(4), "d.test", RecordType::Aaaa);
        assert_eq!(lookup.outcome, Outcome::NoData);
        assert_eq!(lookup.cnames, ["e.test"]);
        let _ = Aaaa::new("::1".parse().unwrap());
    }

    #[test]
    fn rcodes() {
        let query = build_query(9, "x.test", RecordType::A).unwrap();
        let cases = [
            (Rcode::NXDOMAIN, Outcome::NxDomain),
            (Rcode::NOERROR, Outcome::NoData),
            (Rcode::SERVFAIL, Outcome::Failed(Failure::ServFail)),
            (Rcode::REFUSED, Outcome::Failed(Failure::Refused)),
            (Rcode::NOTIMP, Outcome::Failed(Failure::Rcode { code: 4 })),
        ];
        for (rcode, outcome) in cases {
            let bytes = answer(&query, rcode, |_| {});
            assert_eq!(
                decode_answer(&bytes, Some(9), "x.test", RecordType::A).outcome,
                outcome,
                "{rcode}"
            );
        }
    }

    #[test]
    fn mismatches_and_truncation_are_failures() {
        let query = build_query(9, "x.test", RecordType::A).unwrap();
        let bytes = answer(&query, Rcode::NOERROR, |_| {});
        let is_malformed = |l: Lookup| matches!(l.outcome, Outcome::Failed(Failure::Malformed { .. }));
        assert!(is_malformed(decode_answer(&bytes, Some(10), "x.test", RecordType::A)));
        assert!(is_malformed(decode_answer(&bytes, Some(9), "y.test", RecordType::A)));
        assert!(is_malformed(decode_answer(&bytes, Some(9), "x.test", RecordType::Txt)));
        assert!(
            is_malformed(decode_answer(&query, Some(9), "x.test", RecordType::A)),
            "a query is not an answer"
        );
        let mut truncated = bytes.clone();
        truncated[2] |= 0x02; // TC
        assert!(is_malformed(decode_answer(
            &truncated,
            Some(9),
            "x.test",
            RecordType::A
        )));
    }

    #[test]
    fn never_panics_on_bad_bytes() {
        let query = build_query(5, "a.test", RecordType::Txt).unwrap();
        let good = answer(&query, Rcode::NOERROR, |b| {
            b.push((
                name("a.test."),
                60,
                Txt::<Vec<u8>>::build_from_slice(b"v=spf1 -all").unwrap(),
            ))
            .unwrap();
            b.push((name("a.test."), 60, Cname::new(name("b.test.")))).unwrap();
        });
        // Every truncation of a good answer.
        for len in 0..good.len() {
            let lookup = decode_answer(&good[..len], Some(5), "a.test", RecordType::Txt);
            assert!(
                matches!(lookup.outcome, Outcome::Failed(_)),
                "length {len}: {:?}",
                lookup.outcome
            );
        }
        // Every single-byte corruption, and pseudo-random garbage.
        for at in 0..good.len() {
            for value in [0u8, 0xff, 0xc0, 0x3f, 0x01] {
                let mut bad = good.clone();
                bad[at] = value;
                let _ = decode_answer(&bad, Some(5), "a.test", RecordType::Txt);
                let _ = decode_answer(&bad, None, "a.test", RecordType::Cname);
            }
        }
        let mut seed = 0x2545_f491_u32;
        for round in 0..500 {
            let len = round % 80;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            let _ = decode_answer(&bytes, None, "a.test", RecordType::A);
            let mut prefixed = good[..12].to_vec();
            prefixed.extend_from_slice(&bytes);
            let _ = decode_answer(&prefixed, None, "a.test", RecordType::Txt);
        }
    }
}
