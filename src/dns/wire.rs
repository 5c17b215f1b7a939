//! DNS wire format: the query sendercheck sends and the decoding of an answer into a
//! [`Lookup`]. Decoding never panics, whatever the bytes.

use std::str::FromStr;

use domain::base::iana::{Rcode, Rtype};
use domain::base::message_builder::MessageBuilder;
use domain::base::name::{Name, ParsedName};
use domain::base::rdata::{ParseRecordData, UnknownRecordData};
use domain::base::record::ParsedRecord;
use domain::base::Message;
use domain::rdata::{Aaaa, Cname, Mx, Ns, Ptr, Soa, A};

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

/// A record type as text: its name for the types sendercheck asks, else `TYPEnnn` (RFC 3597).
/// Not `Rtype`'s Display, whose table of every mnemonic would be linked for one message.
fn type_label(code: u16) -> String {
    match RecordType::from_code(code) {
        Some(known) => known.as_str().to_string(),
        None => format!("TYPE{code}"),
    }
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
                    format!(
                        "the answer is for {asked} {}, not {qname} {rtype}",
                        type_label(question.qtype().to_int())
                    ),
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
    let records = match answer_records(&message, rtype) {
        Ok(records) => records,
        Err(detail) => {
            lookup.outcome = Outcome::Failed(Failure::Malformed { detail });
            return lookup;
        }
    };
    // Follow the CNAME chain inside the answer.
    let mut current = qname.clone();
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
        // The names seen so far are the question and the chain: a short list, no set needed.
        if target == qname || lookup.cnames.contains(&target) || lookup.cnames.len() >= MAX_CNAME_CHAIN {
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

/// The answer records of type `rtype` or CNAME (the only ones the CNAME walk looks at),
/// each decoded by its own type's parser: decoding every type the `domain` crate knows would
/// put all of their parsers into the browser module.
fn answer_records(message: &Message<&[u8]>, rtype: RecordType) -> Result<Vec<AnswerRecord>, String> {
    let section = message.answer().map_err(|err| format!("bad question section: {err}"))?;
    let mut records = Vec::new();
    for record in section {
        let record = record.map_err(|err| format!("bad answer record: {err}"))?;
        let code = record.rtype().to_int();
        if code != rtype.code() && code != RecordType::Cname.code() {
            continue;
        }
        let owner = normalize_name(&record.owner().to_string());
        let data = RecordType::from_code(code).and_then(|known| decode_data(record, known));
        records.push(AnswerRecord {
            owner,
            rtype: code,
            data,
        });
    }
    Ok(records)
}

type Parsed<'a> = ParsedRecord<'a, &'a [u8]>;
type PName<'a> = ParsedName<&'a [u8]>;

/// The data of one record of a known type; None when it does not parse.
fn decode_data(record: Parsed<'_>, rtype: RecordType) -> Option<RData> {
    fn data<'a, D: ParseRecordData<'a, &'a [u8]>>(record: Parsed<'a>) -> Option<D> {
        Some(record.into_record::<D>().ok()??.into_data())
    }
    fn name(name: &PName<'_>) -> String {
        normalize_name(&name.to_string())
    }
    Some(match rtype {
        RecordType::A => RData::A(data::<A>(record)?.addr()),
        RecordType::Aaaa => RData::Aaaa(data::<Aaaa>(record)?.addr()),
        RecordType::Mx => {
            let mx = data::<Mx<PName>>(record)?;
            RData::Mx {
                preference: mx.preference(),
                exchange: name(mx.exchange()),
            }
        }
        RecordType::Cname => RData::Cname(name(data::<Cname<PName>>(record)?.cname())),
        RecordType::Ptr => RData::Ptr(name(data::<Ptr<PName>>(record)?.ptrdname())),
        RecordType::Ns => RData::Ns(name(data::<Ns<PName>>(record)?.nsdname())),
        RecordType::Soa => {
            let soa = data::<Soa<PName>>(record)?;
            RData::Soa {
                mname: name(soa.mname()),
                rname: name(soa.rname()),
                serial: soa.serial().into_int(),
            }
        }
        RecordType::Txt | RecordType::Spf => {
            let raw = data::<UnknownRecordData<&[u8]>>(record)?;
            RData::Txt(split_character_strings(raw.data())?)
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
    fn spf_type_99_soa_and_records_of_other_types() {
        use domain::base::rdata::UnknownRecordData;
        use domain::rdata::Soa;
        let query = build_query(6, "s.test", RecordType::Spf).unwrap();
        let spf = UnknownRecordData::from_octets(Rtype::SPF, b"\x0bv=spf1 -all".to_vec()).unwrap();
        let junk = UnknownRecordData::from_octets(Rtype::from_int(65280), vec![1, 2, 3]).unwrap();
        let bytes = answer(&query, Rcode::NOERROR, |b| {
            b.push((name("s.test."), 60, junk)).unwrap();
            b.push((name("s.test."), 60, A::new(Ipv4Addr::new(192, 0, 2, 9))))
                .unwrap();
            b.push((name("s.test."), 60, spf)).unwrap();
        });
        assert_eq!(
            decode_answer(&bytes, Some(6), "s.test", RecordType::Spf).outcome,
            Outcome::Records(vec![RData::Txt(vec![b"v=spf1 -all".to_vec()])])
        );
        let query = build_query(7, "z.test", RecordType::Soa).unwrap();
        let soa = Soa::new(
            name("ns1.z.test."),
            name("Host.Z.test."),
            domain::base::Serial(42),
            domain::base::Ttl::from_secs(1),
            domain::base::Ttl::from_secs(2),
            domain::base::Ttl::from_secs(3),
            domain::base::Ttl::from_secs(4),
        );
        let bytes = answer(&query, Rcode::NOERROR, |b| b.push((name("z.test."), 60, soa)).unwrap());
        assert_eq!(
            decode_answer(&bytes, Some(7), "z.test", RecordType::Soa).outcome,
            Outcome::Records(vec![RData::Soa {
                mname: "ns1.z.test".into(),
                rname: "host.z.test".into(),
                serial: 42
            }])
        );
        // A record of the asked type whose data does not parse makes the answer malformed.
        let query = build_query(8, "b.test", RecordType::A).unwrap();
        let short = UnknownRecordData::from_octets(Rtype::A, vec![192, 0, 2]).unwrap();
        let bytes = answer(&query, Rcode::NOERROR, |b| {
            b.push((name("b.test."), 60, short)).unwrap()
        });
        assert!(matches!(
            decode_answer(&bytes, Some(8), "b.test", RecordType::A).outcome,
            Outcome::Failed(Failure::Malformed { .. })
        ));
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
