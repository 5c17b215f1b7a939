//! The rules of the sending-IP checks: `IP1xx` for reverse DNS and the inbound-SMTP statement,
//! `BL1xx` for reputation lists.

use crate::catalogue::{Area, Category, Rule};
use crate::diag::Severity;

pub const IP_NO_PTR: Rule = Rule {
    code: "IP101",
    name: "IpNoPtr",
    category: Category::SendingIp,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 5,
    checks: "The sending IP address has a PTR record at its reverse name (`<reversed address>.in-addr.arpa` for IPv4, the nibble name under `ip6.arpa` for IPv6).",
    why: "Gmail requires every sender's IP to have reverse DNS and Yahoo requires it too; many receivers reject or heavily score mail from an address with no PTR, because unnamed addresses are typically infected end-user machines.",
    problematic: "; no record at 10.2.0.192.in-addr.arpa",
    corrected: "10.2.0.192.in-addr.arpa. 3600 IN PTR mail.example.com.\nmail.example.com. 3600 IN A 192.0.2.10",
    references: "RFC 1035 §3.5 (IN-ADDR.ARPA); RFC 3596 §2.5 (IP6.ARPA); Google Email sender guidelines (\"set up valid forward and reverse DNS records\"); Yahoo Sender Best Practices",
}.for_target();

pub const IP_FCRDNS_MISMATCH: Rule = Rule {
    code: "IP102",
    name: "IpFcrdnsMismatch",
    category: Category::SendingIp,
    severity: Severity::Error,
    area: Area::Infrastructure,
    weight: 5,
    checks: "Forward-confirmed reverse DNS: at least one PTR name of the sending IP has an A record (AAAA for IPv6) equal to that IP.",
    why: "Anyone who controls a reverse zone can make a PTR claim any name; only the forward lookup, made in the name owner's zone, confirms it. Gmail and Yahoo require the PTR name to resolve back to the sending IP, and receivers that do not see a match treat the reverse name as absent.",
    problematic: "20.2.0.192.in-addr.arpa. 3600 IN PTR mail.example.com.\nmail.example.com. 3600 IN A 192.0.2.99",
    corrected: "20.2.0.192.in-addr.arpa. 3600 IN PTR mail.example.com.\nmail.example.com. 3600 IN A 192.0.2.20",
    references: "RFC 8601 §3 (iprev); RFC 1912 §2.1; Google Email sender guidelines; Yahoo Sender Best Practices",
}.for_target();

pub const IP_GENERIC_PTR: Rule = Rule {
    code: "IP103",
    name: "IpGenericPtr",
    category: Category::SendingIp,
    severity: Severity::Warning,
    area: Area::Infrastructure,
    weight: 2,
    checks: "The PTR name does not look like an access provider's generic name: it does not contain the address itself (`192-0-2-50`, `50-2-0-192`, `192.0.2.50`, `c0000232`, ...) or words such as dynamic, dhcp, pool, dsl, cable, ppp, dialup, client, broadband in its host labels.",
    why: "Generic names are what providers give end-user and dynamic ranges. Yahoo asks senders for non-generic reverse DNS, and filters (Spamhaus, SpamAssassin's RDNS rules, many receivers' own) score such names as consumer connections, even when they resolve back.",
    problematic: "50.2.0.192.in-addr.arpa. 3600 IN PTR 192-0-2-50.dynamic.isp.example.",
    corrected: "50.2.0.192.in-addr.arpa. 3600 IN PTR mail.example.com.\nmail.example.com. 3600 IN A 192.0.2.50",
    references: "Yahoo Sender Best Practices (\"reverse DNS ... not generic\"); RFC 8601 §3; M3AAWG Best Common Practices for the Use of rDNS for ISP Customer Facing IP Addresses",
}.for_target();

pub const IP_SEVERAL_PTR: Rule = Rule {
    code: "IP104",
    name: "IpSeveralPtr",
    category: Category::SendingIp,
    severity: Severity::Warning,
    area: Area::Infrastructure,
    weight: 1,
    checks: "The sending IP has exactly one PTR record.",
    why: "Receivers usually look at one PTR name, and which one a resolver returns first changes from query to query; a reverse name that changes makes the HELO name and reverse name disagree some of the time, and some checks stop at the first name.",
    problematic: "30.2.0.192.in-addr.arpa. 3600 IN PTR mail.example.com.\n30.2.0.192.in-addr.arpa. 3600 IN PTR www.example.com.",
    corrected: "30.2.0.192.in-addr.arpa. 3600 IN PTR mail.example.com.",
    references: "RFC 1912 §2.1; RFC 8601 §3",
}.for_target();

pub const IP_INBOUND_SMTP_NOT_NEEDED: Rule = Rule {
    code: "IP105",
    name: "IpInboundSmtpNotNeeded",
    category: Category::SendingIp,
    severity: Severity::Info,
    area: Area::Infrastructure,
    weight: 0,
    checks: "Nothing: it states that the sending IP does not need to accept connections on port 25, and that this checker deliberately does not connect to it.",
    why: "SMTP is a push protocol: the sender opens the connection to the receiver's MX (RFC 5321). Receivers judge a sender by the domain's MX (can it receive replies and bounces?), SPF, DKIM and DMARC, reputation and reverse DNS; no published rule of Google, Yahoo or Microsoft asks the sending IP to accept connections. A check that connects back to the sending IP tests nothing receivers care about.",
    problematic: "; an outbound-only relay with port 25 closed to the internet (this is fine)\n10.2.0.192.in-addr.arpa. 3600 IN PTR mail.example.com.",
    corrected: "; nothing to change: the domain's MX, not the sending IP, must accept mail\nexample.com. 3600 IN MX 10 mx.example.com.",
    references: "RFC 5321 §2.1, §3 (the client opens the connection), §5 (the MX receives); Google Email sender guidelines; Yahoo Sender Best Practices; Microsoft Outlook.com sender requirements",
}.for_target();

pub const IP_REVERSE_UNKNOWN: Rule = Rule {
    code: "IP106",
    name: "IpReverseDnsUnknown",
    category: Category::SendingIp,
    severity: Severity::Info,
    area: Area::Infrastructure,
    weight: 0,
    checks: "The PTR lookup, or the forward lookup of a PTR name, gave an answer (records, NXDOMAIN or NODATA) rather than failing.",
    why: "A failed lookup (SERVFAIL, timeout, a refused query) says nothing about the records: the reverse DNS may be fine or missing. Receivers that meet the same failure usually defer or score the mail as if reverse DNS were absent, so a broken reverse zone is worth fixing.",
    problematic: "; the reverse zone's name servers answer SERVFAIL for 10.2.0.192.in-addr.arpa",
    corrected: "10.2.0.192.in-addr.arpa. 3600 IN PTR mail.example.com.",
    references: "RFC 8601 §3 (iprev temperror); RFC 2308 (negative answers)",
}.for_target();

pub const BL_LISTED: Rule = Rule {
    code: "BL101",
    name: "BlocklistListed",
    category: Category::Reputation,
    severity: Severity::Error,
    area: Area::Reputation,
    weight: 15,
    checks: "The sending IP (or the domain) is not on a reputation list for spam, abuse, phishing, malware or compromise (Spamhaus SBL, CSS, XBL, DROP, DBL; Barracuda; SpamCop; UCEPROTECT level 1; PSBL; Mailspike; SURBL; URIBL black).",
    why: "Receivers query these lists while the sender is still connected and reject or junk mail from listed addresses and mail that names listed domains; one major listing can stop delivery to a large share of mailboxes.",
    problematic: "70.2.0.192.zen.spamhaus.org. IN A 127.0.0.2\n70.2.0.192.zen.spamhaus.org. IN TXT \"https://check.spamhaus.org/sbl/query/SBL000001\"",
    corrected: "; after the cause is fixed and removal requested: NXDOMAIN\n70.2.0.192.zen.spamhaus.org. IN A ; (no such name)",
    references: "RFC 5782 §2 (DNSBL queries and answers); Spamhaus DNSBL usage documentation; each list's own code documentation",
}.for_target();

pub const BL_POLICY_LISTED: Rule = Rule {
    code: "BL102",
    name: "BlocklistPolicyListed",
    category: Category::Reputation,
    severity: Severity::Warning,
    area: Area::Reputation,
    weight: 5,
    checks: "The sending IP is not on the Spamhaus PBL (ZEN answers 127.0.0.10 or 127.0.0.11).",
    why: "The PBL is not a spam listing: it lists end-user and dynamic ranges whose owners say they should not send mail straight to MX hosts. Receivers using ZEN reject direct mail from them; such a host must send through its provider's authenticated relay (smarthost), or, if it is a real mail server on a static address, be removed from the PBL.",
    problematic: "50.2.0.192.zen.spamhaus.org. IN A 127.0.0.11",
    corrected: "; mail relayed through the provider's smarthost (port 587, authenticated), or the address removed from the PBL\n50.2.0.192.zen.spamhaus.org. IN A ; (no such name)",
    references: "Spamhaus PBL documentation (https://www.spamhaus.org/blocklists/policy-blocklist/); RFC 6409 (message submission)",
}.for_target();

pub const BL_ADVISORY_LISTED: Rule = Rule {
    code: "BL103",
    name: "BlocklistAdvisoryListed",
    category: Category::Reputation,
    severity: Severity::Warning,
    area: Area::Reputation,
    weight: 0,
    checks: "The domain is not on a lower-confidence list that its operator says may hold legitimate senders (URIBL grey and red).",
    why: "These listings rarely block mail on their own, but filters add them to a message's spam score; a domain there is one more strike against mail that is already borderline.",
    problematic: "example.com.multi.uribl.com. IN A 127.0.0.4",
    corrected: "example.com.multi.uribl.com. IN A ; (no such name)",
    references: "https://uribl.com/about.shtml; RFC 5782 §2",
}.for_target();

pub const BL_REFUSED: Rule = Rule {
    code: "BL104",
    name: "BlocklistRefused",
    category: Category::Reputation,
    severity: Severity::Info,
    area: Area::Reputation,
    weight: 0,
    checks: "The list answered the query rather than refusing it (Spamhaus 127.255.255.252, .254, .255; URIBL and SURBL 127.0.0.1; rcode REFUSED).",
    why: "Several lists refuse queries that come through public resolvers (Google, Cloudflare and other DoH services) or from resolvers that send too many. A refusal is neither a listing nor a clean bill: nothing about the address or domain was learned.",
    problematic: "10.2.0.192.zen.spamhaus.org. IN A 127.255.255.254",
    corrected: "; asked through a resolver the list serves: NXDOMAIN or a listing code\n10.2.0.192.zen.spamhaus.org. IN A ; (no such name)",
    references: "Spamhaus \"Using our public mirrors\" (error return codes); https://uribl.com/refused.shtml; SURBL implementation guidelines",
}.for_target();

pub const BL_UNKNOWN: Rule = Rule {
    code: "BL105",
    name: "BlocklistUnknown",
    category: Category::Reputation,
    severity: Severity::Info,
    area: Area::Reputation,
    weight: 0,
    checks: "The list could be queried: its always-listed test entry (`2.0.0.127.<zone>`, or the list's test domain) came back listed, and the real query gave an answer rather than failing.",
    why: "Some lists answer NXDOMAIN to resolvers they do not serve (Barracuda to unregistered resolvers, Spamhaus sometimes through Google), which looks exactly like \"not listed\". Without a working test entry a clean answer would be a false all-clear, so the list is reported as unknown.",
    problematic: "2.0.0.127.b.barracudacentral.org. IN A ; NXDOMAIN: the test entry is missing",
    corrected: "2.0.0.127.b.barracudacentral.org. IN A 127.0.0.2",
    references: "RFC 5782 §5 (test entries); the lists' usage pages",
}.for_target();

/// Every rule of the sending-IP checks.
pub static RULES: &[&Rule] = &[
    &IP_NO_PTR,
    &IP_FCRDNS_MISMATCH,
    &IP_GENERIC_PTR,
    &IP_SEVERAL_PTR,
    &IP_INBOUND_SMTP_NOT_NEEDED,
    &IP_REVERSE_UNKNOWN,
    &BL_LISTED,
    &BL_POLICY_LISTED,
    &BL_ADVISORY_LISTED,
    &BL_REFUSED,
    &BL_UNKNOWN,
];
