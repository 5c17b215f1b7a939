#!/usr/bin/env bash
# Builds the fuzz seed corpora in fuzz/corpus/<target>/ from ../shared/testsuites beside the repository (or
# $TESTSUITES) and from the project's own fixtures. The corpora are generated, not committed:
# fuzz/corpus is in .gitignore. Run again any time; existing files are kept (libFuzzer adds its
# own finds to the same folders).
set -euo pipefail
cd "$(dirname "$0")"
SUITES="${TESTSUITES:-$(cd "$(dirname "$0")/../.." && pwd)/shared/testsuites}"
export SUITES
python3 - <<'PY'
import hashlib, os, struct, glob, yaml

suites = os.environ["SUITES"]
written = {}

def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join("corpus", target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    written[target] = written.get(target, 0) + 1

def lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [l.rstrip("\n") for l in f if l.strip()]

# Kinds in the order of RecordKind::ALL, for the analyze target's selector byte.
KINDS = ["spf", "dmarc", "dkim", "bimi", "mta-sts", "mta-sts-policy", "tlsrpt", "zone"]
def analyze_seed(kind, text):
    put("analyze", bytes([KINDS.index(kind)]) + text.encode())

# One record per file from the corpora.
for target, kind, name in [("spf", "spf", "spf-records.txt"), ("dmarc", "dmarc", "dmarc-records.txt"),
                           ("dkim", "dkim", "dkim-key-records.txt")]:
    for i, line in enumerate(lines(os.path.join(suites, "corpus", name))):
        put(target, line)
        if i % 10 == 0:
            analyze_seed(kind, line)

# DKIM key records from the DKIM test data (the .dns/.txt files are one record per line).
for path in glob.glob(os.path.join(suites, "dkim", "dkimpy", "*.dns")) + \
        glob.glob(os.path.join(suites, "dkim", "dkimpy", "test*.txt")):
    for line in lines(path):
        if "p=" in line:
            put("dkim", line)

# Small hand-written seeds for the record kinds without a corpus.
HAND = {
    "bimi": ["v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem",
             "v=BIMI1; l=; a=;", "v=BIMI1; l=http://example.com/logo.png", "v=BIMI1;l=https://x.test/a.svg;s=default"],
    "mta_sts_record": ["v=STSv1; id=20240101T000000;", "v=STSv1; id=abc", "v=STSv1;", "v=STSv2; id=1; x=y"],
    "mta_sts_policy": ["version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n",
                       "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n",
                       "version: STSv1\nmode: none\nmax_age: 31557600\n", "mode: enforce\nmx: \nmax_age: -1\n"],
    "tlsrpt": ["v=TLSRPTv1; rua=mailto:tlsrpt@example.com", "v=TLSRPTv1; rua=https://report.example.com/tlsrpt",
               "v=TLSRPTv1;rua=mailto:a@example.com,mailto:b@example.net", "v=TLSRPTv1"],
}
KIND_OF = {"bimi": "bimi", "mta_sts_record": "mta-sts", "mta_sts_policy": "mta-sts-policy", "tlsrpt": "tlsrpt"}
for target, seeds in HAND.items():
    for seed in seeds:
        put(target, seed)
        analyze_seed(KIND_OF[target], seed)

# Zone text: the rig's fixture zones, and every SPF suite scenario's zonedata written as a zone.
def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def zone_of(zonedata):
    out = []
    for name, records in (zonedata or {}).items():
        for record in records or []:
            if not isinstance(record, dict):
                continue  # TIMEOUT and the like
            for rtype, data in record.items():
                if rtype in ("TXT", "SPF"):
                    strings = data if isinstance(data, list) else [data]
                    if strings == ["NONE"]:
                        continue
                    out.append(f"{name}. IN {rtype} " + " ".join(quote(str(s)) for s in strings))
                elif rtype == "MX":
                    out.append(f"{name}. IN MX {data[0]} {data[1]}.")
                elif rtype in ("PTR", "CNAME"):
                    out.append(f"{name}. IN {rtype} {data}.")
                elif rtype in ("A", "AAAA"):
                    out.append(f"{name}. IN {rtype} {data}")
    return "\n".join(out) + "\n"

for path in glob.glob(os.path.join(suites, "spf", "*.yml")):
    with open(path, encoding="utf-8", errors="replace") as f:
        try:
            docs = list(yaml.safe_load_all(f))
        except yaml.YAMLError:
            continue
    for doc in docs:
        if not isinstance(doc, dict) or "zonedata" not in doc:
            continue
        zone = zone_of(doc["zonedata"])
        put("zone", zone)
        for test in (doc.get("tests") or {}).values():
            helo = str(test.get("helo", "mail.example.test"))
            sender = str(test.get("mailfrom", ""))
            domain = sender.rsplit("@", 1)[-1] if "@" in sender else helo
            query = f"{test.get('host', '192.0.2.1')} {domain} {sender or 'postmaster@' + helo} {helo}"
            put("spf_eval", query + "\n" + zone)
for path in glob.glob("../tests/rig/zones/*.zone"):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    put("zone", text)
    analyze_seed("zone", text)
    put("spf_eval", "192.0.2.25 example.test\n" + text)

# DNS answers in wire form: a header, the question, answer records (with name compression).
def name_wire(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.strip(".").split(".") if l) + b"\0"

def answer(qname, qtype, rrs, rcode=0, ident=0x1234, tc=False):
    flags = 0x8180 | rcode | (0x0200 if tc else 0)
    msg = struct.pack(">HHHHHH", ident, flags, 1, len(rrs), 0, 0)
    msg += name_wire(qname) + struct.pack(">HH", qtype, 1)
    for owner, rtype, rdata in rrs:
        owner = b"\xc0\x0c" if owner == qname else name_wire(owner)
        msg += owner + struct.pack(">HHIH", rtype, 1, 300, len(rdata)) + rdata
    return msg

def txt(*strings):
    return b"".join(bytes([len(s)]) + s.encode() for s in strings)

Q = "example.test"
# Selector byte: low nibble = type index (A, AAAA, MX, TXT, CNAME, PTR, NS, SOA, SPF),
# bit 5 = the question name form, top bits 2 = id taken from the message.
SEL = {1: 0x80, 28: 0x81, 15: 0x82, 16: 0x83, 5: 0x84, 12: 0x85, 2: 0x86, 6: 0x87, 99: 0x88}
for qtype, rrs, rcode in [
    (1, [(Q, 1, bytes([192, 0, 2, 10]))], 0),
    (28, [(Q, 28, bytes(16))], 0),
    (15, [(Q, 15, struct.pack(">H", 10) + name_wire("mail.example.test"))], 0),
    (16, [(Q, 16, txt("v=spf1 ip4:192.0.2.0/24 ", "include:_spf.example.net -all"))], 0),
    (16, [(Q, 5, name_wire("web.example.test")), ("web.example.test", 16, txt("v=DMARC1; p=reject"))], 0),
    (5, [(Q, 5, name_wire("web.example.test"))], 0),
    (12, [(Q, 12, name_wire("host.example.test"))], 0),
    (2, [(Q, 2, name_wire("ns1.example.test"))], 0),
    (6, [(Q, 6, name_wire("ns1.example.test") + name_wire("hostmaster.example.test") + struct.pack(">IIIII", 1, 7200, 3600, 1209600, 300))], 0),
    (99, [(Q, 99, txt("v=spf1 -all"))], 0),
    (1, [], 3), (1, [], 2), (16, [], 0),
]:
    put("dns_answer", bytes([SEL[qtype]]) + answer(Q, qtype, rrs, rcode))

for target in sorted(written):
    print(f"seed: {target}: {len(os.listdir(os.path.join('corpus', target)))} files")
PY
