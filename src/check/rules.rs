//! Rules raised by the domain checks (as opposed to the record parsers): what DNS shows about
//! the domain as a whole. Codes in the x1xx range of each family belong here; parser rules use
//! x0xx.

use crate::catalogue::{Area, Category, Rule};
use crate::diag::Severity;

macro_rules! rule {
    ($const:ident, $code:literal, $name:literal, $category:ident, $severity:ident, $area:ident, $weight:literal,
     checks: $checks:literal, why: $why:literal, problematic: $bad:literal, corrected: $good:literal, references: $refs:literal) => {
        pub const $const: Rule = Rule {
            code: $code,
            name: $name,
            category: Category::$category,
            severity: Severity::$severity,
            area: Area::$area,
            weight: $weight,
            checks: $checks,
            why: $why,
            problematic: $bad,
            corrected: $good,
            references: $refs,
        }
        .for_target();
    };
}

rule!(DNS_LOOKUP_FAILED, "DNS101", "DnsLookupFailed", Dns, Warning, None, 0,
    checks: "A DNS question needed by a check got no usable answer: SERVFAIL, REFUSED, a timeout, an HTTP error from the DoH server, a network or CORS failure, or a malformed answer.",
    why: "A failed lookup says nothing about whether the record exists. sendercheck reports the check as unknown instead of guessing; receivers that meet the same failure usually retry later (SPF temperror, RFC 7208 §2.6.6) or defer the message.",
    problematic: "_dmarc.example.com TXT -> SERVFAIL (for example a broken DNSSEC signature or an unreachable name server)",
    corrected: "_dmarc.example.com TXT -> \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\" (the name servers answer)",
    references: "RFC 1035 §4.1.1 (RCODE); RFC 8484 (DNS over HTTPS); RFC 7208 §2.6.6 (temperror)");

rule!(MX_MISSING, "MX101", "MxNoMailReceiver", Mx, Error, Infrastructure, 12,
    checks: "The domain has no MX record and no A or AAAA record to fall back to, so no server accepts mail for it.",
    why: "Replies and bounces to an address at this domain cannot be delivered. Receivers treat a sender domain that cannot receive mail as suspect (Microsoft asks that the sender address can receive replies; internet.nl warns).",
    problematic: "example.com. (no MX, no A, no AAAA)",
    corrected: "example.com. 3600 IN MX 10 mx1.example.com.",
    references: "RFC 5321 §5.1; RFC 7505 §3 (publish Null MX if the domain takes no mail)");

rule!(MX_IMPLICIT, "MX102", "MxImplicitFromAddress", Mx, Warning, Infrastructure, 4,
    checks: "The domain has no MX record, so mail falls back to its A/AAAA address (implicit MX).",
    why: "The fallback works but is rarely intended: the web server usually does not accept mail, and some receivers score a sender domain without MX lower.",
    problematic: "example.com. IN A 192.0.2.10 (no MX)",
    corrected: "example.com. IN MX 10 mx1.example.com.\nor, if the domain takes no mail: example.com. IN MX 0 .",
    references: "RFC 5321 §5.1 (implicit MX); RFC 7505 (Null MX)");

rule!(MX_NULL, "MX103", "MxNullMx", Mx, Info, None, 0,
    checks: "The domain publishes a Null MX (`MX 0 .`): it says it accepts no mail.",
    why: "Right for a domain that neither sends nor receives mail (a parked domain). For a domain that sends, replies and bounces are refused.",
    problematic: "example.com. IN MX 0 . (on a domain that sends newsletters)",
    corrected: "example.com. IN MX 10 mx1.example.com.",
    references: "RFC 7505 §3");

rule!(MX_NULL_CONFLICT, "MX104", "MxNullMxWithOtherMx", Mx, Error, Infrastructure, 10,
    checks: "A Null MX (`MX 0 .`) is published beside other MX records.",
    why: "RFC 7505 says a Null MX must be the only MX record; senders meeting both behave differently, some refusing all mail.",
    problematic: "example.com. IN MX 0 .\nexample.com. IN MX 10 mx1.example.com.",
    corrected: "example.com. IN MX 10 mx1.example.com.",
    references: "RFC 7505 §3");

rule!(MX_TARGET_CNAME, "MX105", "MxTargetIsCname", Mx, Warning, Infrastructure, 3,
    checks: "An MX host name is an alias (CNAME) rather than a name with its own A/AAAA records.",
    why: "RFC 5321 forbids MX targets that are aliases; most senders follow them anyway, some do not, and the extra lookup slows delivery.",
    problematic: "example.com. IN MX 10 mail.example.com.\nmail.example.com. IN CNAME mx.provider.example.",
    corrected: "example.com. IN MX 10 mx.provider.example.",
    references: "RFC 5321 §5.1; RFC 2181 §10.3");

rule!(MX_TARGET_IP, "MX106", "MxTargetIsIpLiteral", Mx, Error, Infrastructure, 8,
    checks: "An MX record points at an IP address written as a name, e.g. `MX 10 192.0.2.25.`.",
    why: "MX targets must be host names. A sender looks the text up as a name, finds nothing, and cannot deliver.",
    problematic: "example.com. IN MX 10 192.0.2.25.",
    corrected: "example.com. IN MX 10 mx1.example.com.\nmx1.example.com. IN A 192.0.2.25",
    references: "RFC 5321 §5.1; RFC 7505 §2");

rule!(MX_HOST_NO_ADDRESS, "MX107", "MxHostWithoutAddress", Mx, Error, Infrastructure, 8,
    checks: "An MX host name has no A or AAAA record.",
    why: "Senders cannot connect to a host without an address; if every MX host is like this the domain receives no mail.",
    problematic: "example.com. IN MX 10 mx1.example.com. (mx1.example.com has no A/AAAA)",
    corrected: "mx1.example.com. IN A 192.0.2.25",
    references: "RFC 5321 §5.1");

rule!(MX_DUPLICATE, "MX108", "MxDuplicateHost", Mx, Warning, Infrastructure, 1,
    checks: "The same MX host appears more than once.",
    why: "Duplicates add nothing and usually show a copy-paste mistake; they may hide a missing backup host.",
    problematic: "example.com. IN MX 10 mx1.example.com.\nexample.com. IN MX 20 mx1.example.com.",
    corrected: "example.com. IN MX 10 mx1.example.com.\nexample.com. IN MX 20 mx2.example.com.",
    references: "RFC 5321 §5.1");

rule!(MX_PRIVATE_ADDRESS, "MX109", "MxHostPrivateAddress", Mx, Warning, Infrastructure, 4,
    checks: "An MX host resolves to a loopback, private or otherwise non-public address.",
    why: "Senders on the internet cannot reach a private address, so mail to that host fails.",
    problematic: "mx1.example.com. IN A 10.0.0.25",
    corrected: "mx1.example.com. IN A 192.0.2.25 (a public address)",
    references: "RFC 1918; RFC 6890");

rule!(DOMAIN_NOT_FOUND, "MX110", "DomainDoesNotExist", Mx, Error, Infrastructure, 20,
    checks: "The domain itself does not exist in DNS (NXDOMAIN).",
    why: "Mail from a domain that does not exist is rejected by most receivers before any other check.",
    problematic: "exmaple.com -> NXDOMAIN",
    corrected: "check the spelling of the domain, or register and delegate it",
    references: "RFC 8020; RFC 5321 §3.6.2");

rule!(SPF_MISSING, "SPF101", "SpfRecordMissing", Spf, Error, Authentication, 25,
    checks: "No SPF record (a TXT record starting with `v=spf1`) is published at the domain.",
    why: "Without SPF, receivers cannot tell which servers may send for the domain. Google and Yahoo require SPF or DKIM for all senders and both for bulk senders; mail without it is often filtered as spam.",
    problematic: "example.com. IN TXT \"google-site-verification=...\" (no v=spf1 record)",
    corrected: "example.com. IN TXT \"v=spf1 include:_spf.google.com -all\"",
    references: "RFC 7208 §4.5; Google Email sender guidelines");

rule!(SPF_MULTIPLE, "SPF102", "SpfMultipleRecords", Spf, Error, Authentication, 25,
    checks: "More than one TXT record at the domain starts with `v=spf1`.",
    why: "RFC 7208 makes this a permerror: receivers ignore all of them, as if the domain had broken SPF. Merge them into one record.",
    problematic: "example.com. IN TXT \"v=spf1 include:_spf.google.com -all\"\nexample.com. IN TXT \"v=spf1 include:servers.mcsv.net -all\"",
    corrected: "example.com. IN TXT \"v=spf1 include:_spf.google.com include:servers.mcsv.net -all\"",
    references: "RFC 7208 §4.5");

rule!(SPF_LOOKUP_LIMIT, "SPF103", "SpfIncludeTreeTooManyLookups", Spf, Error, Authentication, 25,
    checks: "Evaluating the SPF record needs more than 10 DNS lookups (include, a, mx, ptr, exists, redirect), counted over the whole include tree.",
    why: "RFC 7208 makes the 11th lookup a permerror: receivers then treat the domain as having broken SPF and DMARC cannot pass through SPF.",
    problematic: "v=spf1 include:a.example include:b.example include:c.example ... (11 lookups in the tree)",
    corrected: "v=spf1 ip4:192.0.2.0/24 include:_spf.provider.example -all (flatten rarely changing includes into ip4/ip6, drop unused ones)",
    references: "RFC 7208 §4.6.4");

rule!(SPF_VOID_LIMIT, "SPF104", "SpfIncludeTreeTooManyVoidLookups", Spf, Error, Authentication, 20,
    checks: "More than 2 of the SPF record's lookups return no data (NXDOMAIN or an empty answer).",
    why: "RFC 7208 makes the third void lookup a permerror. Void lookups usually mean an include or a/mx pointing at a name that no longer exists.",
    problematic: "v=spf1 include:old-provider.example a:gone.example.com mx:none.example.com -all",
    corrected: "v=spf1 include:_spf.current-provider.example -all",
    references: "RFC 7208 §4.6.4");

rule!(SPF_EVAL_ERROR, "SPF105", "SpfEvaluationError", Spf, Error, Authentication, 20,
    checks: "Evaluating the SPF record ends in permerror somewhere in its include tree (a broken included record, a loop, a missing include target).",
    why: "A permerror anywhere in the tree makes the whole evaluation permerror for mail that reaches that point, so receivers see broken SPF.",
    problematic: "v=spf1 include:spf.vendor.example -all (spf.vendor.example publishes no SPF record)",
    corrected: "v=spf1 include:_spf.vendor.example -all (the name the vendor documents)",
    references: "RFC 7208 §5.2, §4.6.4");

rule!(SPF_IP_NOT_AUTHORIZED, "SPF106", "SpfSendingIpNotAuthorized", Spf, Error, Authentication, 15,
    checks: "The SPF record does not give `pass` for the sending IP that was given.",
    why: "Mail from this IP fails SPF; unless DKIM passes and aligns, DMARC fails too and the mail is quarantined or rejected under an enforcing policy.",
    problematic: "v=spf1 include:_spf.google.com -all (mail sent from 192.0.2.1)",
    corrected: "v=spf1 ip4:192.0.2.1 include:_spf.google.com -all",
    references: "RFC 7208 §2.6; RFC 9989 §4.4");

rule!(DMARC_MISSING, "DMARC101", "DmarcRecordMissing", Dmarc, Error, Authentication, 30,
    checks: "No DMARC record was found for the domain: none at `_dmarc.<domain>` nor at any parent name the DNS tree walk visits.",
    why: "Without DMARC, receivers have no policy for mail that fails SPF and DKIM and anyone can spoof the domain in the From header. Google and Yahoo require a DMARC record (p=none at least) from bulk senders, Microsoft from 2025 too.",
    problematic: "_dmarc.example.com -> NXDOMAIN",
    corrected: "_dmarc.example.com. IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\" (then move to quarantine and reject)",
    references: "RFC 9989 §4.10 (DNS tree walk), §5; Google and Yahoo sender requirements (2024)");

rule!(DMARC_MULTIPLE, "DMARC102", "DmarcMultipleRecords", Dmarc, Error, Authentication, 30,
    checks: "More than one DMARC record (TXT starting `v=DMARC1`) is published at the same `_dmarc` name.",
    why: "With more than one record no policy applies: receivers act as if the domain had no DMARC.",
    problematic: "_dmarc.example.com. IN TXT \"v=DMARC1; p=none\"\n_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"",
    corrected: "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"",
    references: "RFC 9989 §4.10");

rule!(DMARC_POLICY_NONE, "DMARC103", "DmarcPolicyNotEnforced", Dmarc, Warning, Authentication, 10,
    checks: "The effective DMARC policy for the domain is `none` (or is lowered to none by `t=y`).",
    why: "p=none asks receivers to take no action on mail that fails authentication: spoofed mail is delivered. It is right while reading reports, not as an end state.",
    problematic: "v=DMARC1; p=none; rua=mailto:dmarc@example.com",
    corrected: "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com (then p=reject)",
    references: "RFC 9989 §5.3, §8");

rule!(DMARC_INHERITED, "DMARC104", "DmarcPolicyInherited", Dmarc, Info, None, 0,
    checks: "The domain has no DMARC record of its own; the policy comes from a parent domain found by the DNS tree walk.",
    why: "That is how subdomains are meant to be covered; the parent's `sp` (or `np` for names that do not exist) applies rather than `p`.",
    problematic: "_dmarc.mail.example.com -> NXDOMAIN; _dmarc.example.com -> \"v=DMARC1; p=reject; sp=none\"",
    corrected: "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\" (sp defaults to p)",
    references: "RFC 9989 §4.10, §5.3 (sp, np)");

rule!(DMARC_REPORT_NOT_AUTHORIZED, "DMARC105", "DmarcExternalReportNotAuthorized", Dmarc, Warning, Authentication, 3,
    checks: "A `rua`/`ruf` address is in another organisation's domain, and that domain does not publish `<your-domain>._report._dmarc.<their-domain>` to accept the reports.",
    why: "Receivers must not send reports to an external destination that has not agreed, so the reports you asked for never arrive.",
    problematic: "_dmarc.example.com TXT \"v=DMARC1; p=none; rua=mailto:reports@dmarc-vendor.example\" (no example.com._report._dmarc.dmarc-vendor.example)",
    corrected: "example.com._report._dmarc.dmarc-vendor.example. IN TXT \"v=DMARC1\" (published by the vendor)",
    references: "RFC 9990 §4; RFC 9991");

rule!(DKIM_NONE_FOUND, "DKIM101", "DkimNoKeyFound", Dkim, Warning, Authentication, 10,
    checks: "No DKIM key was found at the selectors given or probed.",
    why: "Selectors cannot be listed through DNS, so this is not proof that none exists; but if the domain signs with none of these selectors, give yours. Without DKIM, DMARC rests on SPF alone, which breaks when mail is forwarded; Google and Yahoo require DKIM from bulk senders.",
    problematic: "google._domainkey.example.com, selector1._domainkey.example.com, ... -> NXDOMAIN",
    corrected: "s1._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=MIIBIjANBgkq...\" (the key your mail service gives you)",
    references: "RFC 6376 §3.6.2.1; RFC 8020");

rule!(DKIM_SELECTOR_NOT_FOUND, "DKIM102", "DkimGivenSelectorHasNoKey", Dkim, Error, Authentication, 15,
    checks: "A DKIM selector given to the check (the s= of your DKIM-Signature headers) has no key record at <selector>._domainkey.<domain>.",
    why: "Receivers look the key up at exactly that name; without it every signature made with the selector fails (RFC 6376 §6.1.2, permfail: no key for signature), so DMARC can pass only through SPF alignment.",
    problematic: "s1._domainkey.example.com. (no TXT record; mail is signed with d=example.com; s=s1)",
    corrected: "s1._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...\"",
    references: "RFC 6376 §3.6.2.1 (the key's name), §6.1.2 (no key: PERMFAIL)");

rule!(STS_MISSING, "STS101", "MtaStsRecordMissing", MtaSts, Info, TransportSecurity, 3,
    checks: "No MTA-STS record (`v=STSv1`) at `_mta-sts.<domain>`.",
    why: "Without MTA-STS, senders deliver to your MX over TLS only opportunistically, so an attacker on the path can downgrade or redirect the connection. It protects mail you receive; Gmail and Outlook honour it.",
    problematic: "_mta-sts.example.com -> NXDOMAIN",
    corrected: "_mta-sts.example.com. IN TXT \"v=STSv1; id=20260101T000000\" and a policy at https://mta-sts.example.com/.well-known/mta-sts.txt",
    references: "RFC 8461 §3");

rule!(STS_POLICY_UNREACHABLE, "STS102", "MtaStsPolicyUnavailable", MtaSts, Warning, TransportSecurity, 5,
    checks: "The MTA-STS TXT record exists but the policy file at `https://mta-sts.<domain>/.well-known/mta-sts.txt` could not be fetched.",
    why: "Senders need the policy file; without it the TXT record does nothing, and a record that promises a policy no one can fetch looks broken.",
    problematic: "_mta-sts.example.com TXT \"v=STSv1; id=1\" but https://mta-sts.example.com/.well-known/mta-sts.txt fails",
    corrected: "serve the policy over HTTPS with a valid certificate for mta-sts.example.com",
    references: "RFC 8461 §3.3");

rule!(STS_MX_NOT_COVERED, "STS103", "MtaStsPolicyMissesMx", MtaSts, Error, TransportSecurity, 6,
    checks: "An MX host of the domain matches none of the `mx:` patterns of an MTA-STS policy in enforce or testing mode.",
    why: "In enforce mode, senders refuse to deliver to an MX host the policy does not list: mail to that host bounces or is delayed.",
    problematic: "MX 10 mx1.example.com; policy: mode: enforce, mx: mail.example.com",
    corrected: "policy: mode: enforce\nmx: mx1.example.com",
    references: "RFC 8461 §4.1");

rule!(TLSRPT_MISSING, "TLSRPT101", "TlsRptRecordMissing", TlsRpt, Info, TransportSecurity, 2,
    checks: "No TLS-RPT record (`v=TLSRPTv1`) at `_smtp._tls.<domain>`.",
    why: "Without TLS reporting you do not learn when senders fail to reach your MX over TLS or when MTA-STS blocks delivery.",
    problematic: "_smtp._tls.example.com -> NXDOMAIN",
    corrected: "_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"",
    references: "RFC 8460 §3");

rule!(BIMI_MISSING, "BIMI101", "BimiRecordMissing", Bimi, Info, Brand, 2,
    checks: "No BIMI record at `default._bimi.<domain>`.",
    why: "BIMI lets supporting mailbox providers show your logo beside authenticated mail. It is optional and only matters once DMARC is enforced.",
    problematic: "default._bimi.example.com -> NXDOMAIN",
    corrected: "default._bimi.example.com. IN TXT \"v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem\"",
    references: "draft-brand-indicators-for-message-identification §4");

rule!(BIMI_DMARC_NOT_ENFORCED, "BIMI102", "BimiWithoutEnforcedDmarc", Bimi, Warning, Brand, 4,
    checks: "A BIMI record is published but the domain's DMARC policy is not quarantine or reject (or is weakened by t=y, pct below 100 or sp=none).",
    why: "Mailbox providers show a BIMI logo only for domains whose DMARC policy is enforced, so the record has no effect.",
    problematic: "_dmarc.example.com TXT \"v=DMARC1; p=none\" with default._bimi.example.com TXT \"v=BIMI1; l=https://example.com/logo.svg\"",
    corrected: "_dmarc.example.com. IN TXT \"v=DMARC1; p=quarantine\"",
    references: "draft-brand-indicators-for-message-identification §3; RFC 9989 §5.3");

rule!(DNSSEC_NOT_VALIDATED, "DNSSEC101", "DnssecNotValidated", Dnssec, Warning, Infrastructure, 2,
    checks: "The resolver did not mark the domain's answers as DNSSEC-validated (no AD flag).",
    why: "Without DNSSEC, answers about your MX and policy records can be forged on the path; DANE for SMTP needs it. Many domains go without; it is a hardening step, not a requirement of the big mailbox providers.",
    problematic: "example.com (unsigned zone)",
    corrected: "sign the zone at your DNS provider and publish the DS record at your registrar",
    references: "RFC 4033; RFC 6840 §5.7 (AD bit); RFC 7672 (DANE for SMTP)");

/// Every check-level rule, for the catalogue.
pub static RULES: &[&Rule] = &[
    &DNS_LOOKUP_FAILED,
    &MX_MISSING,
    &MX_IMPLICIT,
    &MX_NULL,
    &MX_NULL_CONFLICT,
    &MX_TARGET_CNAME,
    &MX_TARGET_IP,
    &MX_HOST_NO_ADDRESS,
    &MX_DUPLICATE,
    &MX_PRIVATE_ADDRESS,
    &DOMAIN_NOT_FOUND,
    &SPF_MISSING,
    &SPF_MULTIPLE,
    &SPF_LOOKUP_LIMIT,
    &SPF_VOID_LIMIT,
    &SPF_EVAL_ERROR,
    &SPF_IP_NOT_AUTHORIZED,
    &DMARC_MISSING,
    &DMARC_MULTIPLE,
    &DMARC_POLICY_NONE,
    &DMARC_INHERITED,
    &DMARC_REPORT_NOT_AUTHORIZED,
    &DKIM_NONE_FOUND,
    &DKIM_SELECTOR_NOT_FOUND,
    &STS_MISSING,
    &STS_POLICY_UNREACHABLE,
    &STS_MX_NOT_COVERED,
    &TLSRPT_MISSING,
    &BIMI_MISSING,
    &BIMI_DMARC_NOT_ENFORCED,
    &DNSSEC_NOT_VALIDATED,
];
