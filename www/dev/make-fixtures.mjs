// Writes the mock's fixture JSON. Spans are computed here as UTF-8 byte offsets, exactly as the
// Rust side reports them, so the fixtures cannot drift from their records by hand-counting.
// Run: node www/dev/make-fixtures.mjs
import { writeFileSync } from 'node:fs';

const enc = new TextEncoder();
const bytes = (s) => enc.encode(s).length;

/** Byte span of the nth occurrence of `needle` in `text`. */
function span(text, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not in ${text}`);
  }
  const start = bytes(text.slice(0, at));
  return { start, end: start + bytes(needle) };
}

const out = new URL('./fixtures/', import.meta.url);
const write = (name, value) => writeFileSync(new URL(name, out), JSON.stringify(value, null, 2) + '\n');

// ---------------------------------------------------------------- the rich report
const SPF = 'v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net include:mailgun.org ptr ~all';
const DMARC = 'v=DMARC1; rua=mailto:rapports@exämple.fr; p=none; fo=2';
const DKIM_GOOGLE = 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr8VfDkVh3pQ2ZbZc1kLzRk8yYqGf0w3IDAQAB';
const DKIM_S1 = 'v=DKIM1; k=rsa; t=y; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC3xq9w0CwIDAQAB';
const DKIM_REV = 'v=DKIM1; k=rsa; p=';
const STS = 'v=STSv1; id=20240101T000000;';
const TLSRPT = 'v=TLSRPTv1; rua=mailto:tlsrpt@example.com';

// SpfNode as the Rust side emits it; via_span is filled in by withViaSpans() from the parent.
const node = (domain, record, via, lookups, total, children = [], extra = {}) => ({
  domain, record, via, via_span: null, lookups, total_lookups: total, void_lookups: 0, total_void_lookups: 0, result: null,
  children, error: null, limit_crossed: false, void_limit_crossed: false, ...extra,
});
function withViaSpans(n) {
  for (const c of n.children) {
    if (c.via && n.record?.includes(c.via)) c.via_span = span(n.record, c.via);
    withViaSpans(c);
  }
  return n;
}

const spfTree = withViaSpans(node('example.com', SPF, null, 7, 12, [
  node('_spf.google.com', 'v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all',
    'include:_spf.google.com', 3, 6, [
      node('_netblocks.google.com', 'v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ~all', 'include:_netblocks.google.com', 0, 4),
      node('_netblocks2.google.com', 'v=spf1 ip6:2001:4860:4000::/36 ~all', 'include:_netblocks2.google.com', 0, 5),
      node('_netblocks3.google.com', 'v=spf1 ip4:172.217.0.0/19 ~all', 'include:_netblocks3.google.com', 0, 6),
    ]),
  node('spf.protection.outlook.com', 'v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 -all', 'include:spf.protection.outlook.com', 0, 7),
  node('sendgrid.net', 'v=spf1 ip4:167.89.0.0/17 ip4:208.117.48.0/20 ~all', 'include:sendgrid.net', 0, 8),
  node('mailgun.org', 'v=spf1 include:_spf.mailgun.org include:_spf.eu.mailgun.org ~all', 'include:mailgun.org', 2, 11, [
    node('_spf.mailgun.org', 'v=spf1 ip4:209.61.151.0/24 ip4:166.78.68.0/22 ~all', 'include:_spf.mailgun.org', 0, 10),
    node('_spf.eu.mailgun.org', 'v=spf1 ip4:141.193.32.0/23 ~all', 'include:_spf.eu.mailgun.org', 0, 11, [], { limit_crossed: true }),
  ]),
]));

// Blocklist as the Rust side emits it (src/ip/lists.rs): every field present, null when empty.
const list = (zone, name, kind, query, status, lookup, extra = {}) => ({
  zone, name, kind, query, status, listing: null, answer: null, meaning: null, reason: null, detail: null, lookup, ...extra,
});
const blocklists = [
  list('zen.spamhaus.org', 'Spamhaus ZEN', 'ip', '1.2.0.192.zen.spamhaus.org', 'listed', 'https://check.spamhaus.org/', {
    listing: 'abuse', answer: '127.0.0.3', meaning: 'Spamhaus CSS: snowshoe spam', reason: 'https://check.spamhaus.org/listed/?searchterm=192.0.2.1',
  }),
  list('bl.spamcop.net', 'SpamCop', 'ip', '1.2.0.192.bl.spamcop.net', 'clear', 'https://www.spamcop.net/bl.shtml'),
  list('b.barracudacentral.org', 'Barracuda Reputation Block List', 'ip', '1.2.0.192.b.barracudacentral.org', 'refused', 'https://www.barracudacentral.org/lookups', {
    answer: '127.255.255.254', detail: 'the list refuses queries through public resolvers: query it from your own resolver',
  }),
  list('psbl.surriel.com', 'PSBL', 'ip', '1.2.0.192.psbl.surriel.com', 'unknown', 'https://psbl.org/', { detail: 'no answer before the timeout' }),
];
// The domain's own reputation lists: clear, clear and refused (the rich report passes).
const domainLists = [
  list('dbl.spamhaus.org', 'Spamhaus DBL', 'domain', 'example.com.dbl.spamhaus.org', 'clear', 'https://check.spamhaus.org/'),
  list('multi.surbl.org', 'SURBL', 'domain', 'example.com.multi.surbl.org', 'clear', 'https://www.surbl.org/surbl-analysis'),
  list('multi.uribl.com', 'URIBL', 'domain', 'example.com.multi.uribl.com', 'refused', 'https://admin.uribl.com/', {
    answer: '127.0.0.1', detail: 'URIBL refused the query: this resolver is blocked (public resolver or too many queries)',
  }),
];


const findings = [
  { code: 'SPF010', severity: 'error', check: 'spf', message: 'more than 10 DNS lookups (12): receivers return permerror', help: 'remove mechanisms you do not send from, e.g. v=spf1 include:_spf.google.com include:spf.protection.outlook.com include:mailgun.org ~all', record: SPF, span: span(SPF, 'include:mailgun.org'), name: 'example.com' },
  { code: 'SPF007', severity: 'warning', check: 'spf', message: 'ptr mechanism is slow and deprecated', help: 'remove ptr and list the sending addresses with ip4: or ip6:', record: SPF, span: span(SPF, 'ptr'), name: 'example.com' },
  { code: 'SPF012', severity: 'info', check: 'spf', message: 'softfail all leaves failing mail to the receiver\'s judgement', help: 'use -all once every sender is listed', record: SPF, span: span(SPF, '~all'), name: 'example.com' },
  { code: 'DMARC005', severity: 'warning', check: 'dmarc', message: 'policy none does not protect the domain', help: 'v=DMARC1; rua=mailto:rapports@exämple.fr; p=quarantine; fo=1', record: DMARC, span: span(DMARC, 'p=none'), name: '_dmarc.example.com' },
  { code: 'DMARC011', severity: 'error', check: 'dmarc', message: 'fo value 2 is not one of 0, 1, d, s', help: 'v=DMARC1; rua=mailto:rapports@exämple.fr; p=none; fo=1', record: DMARC, span: span(DMARC, '2'), name: '_dmarc.example.com' },
  { code: 'DMARC020', severity: 'warning', check: 'dmarc', message: 'exämple.fr does not authorize reports for example.com', help: 'publish example.com._report._dmarc.xn--exmple-cua.fr TXT "v=DMARC1"', record: DMARC, span: span(DMARC, 'mailto:rapports@exämple.fr'), name: '_dmarc.example.com' },
  { code: 'DKIM004', severity: 'warning', check: 'dkim', message: '1024-bit RSA key is weak', help: 'publish a 2048-bit key under a new selector and rotate', record: DKIM_S1, span: span(DKIM_S1, 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC3xq9w0CwIDAQAB'), name: 's1._domainkey.example.com' },
  { code: 'DKIM006', severity: 'info', check: 'dkim', message: 'testing flag t=y is set', help: 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC3xq9w0CwIDAQAB', record: DKIM_S1, span: span(DKIM_S1, 't=y'), name: 's1._domainkey.example.com' },
  { code: 'DKIM007', severity: 'info', check: 'dkim', message: 'key is revoked (empty p=)', help: 'remove the record once no mail signed with it is in flight', record: DKIM_REV, span: span(DKIM_REV, 'p='), name: 'rev._domainkey.example.com' },
  { code: 'STS003', severity: 'info', check: 'mta_sts', message: 'the policy file cannot be fetched from a browser', help: 'run the command-line tool to fetch https://mta-sts.example.com/.well-known/mta-sts.txt' },
  { code: 'BIMI001', severity: 'info', check: 'bimi', message: 'no BIMI record at default._bimi.example.com', help: 'v=BIMI1; l=https://example.com/logo.svg; a=', name: 'default._bimi.example.com' },
  { code: 'DKIM102', severity: 'error', check: 'dkim', message: 'selector old has no key at old._domainkey.example.com', help: 'publish the key your mail service gives you at old._domainkey.example.com, or sign with a selector that has one', name: 'old._domainkey.example.com' },
  { code: 'BL104', severity: 'info', check: 'reputation', message: 'URIBL refused the query through this resolver', help: 'ask the list through a resolver of your own: https://admin.uribl.com/', name: 'example.com.multi.uribl.com' },
  { code: 'BL101', severity: 'error', check: 'ip', message: '192.0.2.1 is listed on Spamhaus ZEN (127.0.0.3)', help: 'find the cause with the list\'s lookup page, fix it, then request delisting: https://check.spamhaus.org/', name: '1.2.0.192.zen.spamhaus.org' },
];

const report = {
  domain: 'example.com',
  display_domain: 'example.com',
  checks: {
    mx: {
      status: 'pass', summary: '2 MX hosts, all resolve',
      records: [
        { preference: 10, exchange: 'mx1.example.com', addresses: ['192.0.2.10', '2001:db8::10'], is_cname: false, status: 'pass' },
        { preference: 20, exchange: 'mx2.example.com', addresses: ['192.0.2.11'], is_cname: false, status: 'pass' },
      ],
      null_mx: false, implicit: false,
    },
    spf: {
      status: 'fail', summary: 'SPF exceeds the 10-lookup limit (12): permerror',
      record: SPF, name: 'example.com', lookups: 12, void_lookups: 0, tree: spfTree,
      result: 'pass', matched: 'mx',
    },
    dmarc: {
      status: 'warn', summary: 'DMARC published with p=none',
      record: DMARC, found_at: '_dmarc.example.com', policy: 'none', subdomain_policy: null, nonexistent_policy: null,
      testing: false, adkim: 'r', aspf: 'r', rua: ['mailto:rapports@exämple.fr'], ruf: [],
      external_reports: [{ uri: 'mailto:rapports@exämple.fr', domain: 'xn--exmple-cua.fr', authorized: false }],
    },
    dkim: {
      status: 'warn', summary: '1 good key, 1 weak key, 1 revoked, 1 selector not found',
      selectors: [
        { selector: 'google', name: 'google._domainkey.example.com', status: 'pass', record: DKIM_GOOGLE, key_type: 'rsa', key_bits: 2048, testing: false, revoked: false, given: false },
        { selector: 's1', name: 's1._domainkey.example.com', status: 'warn', record: DKIM_S1, key_type: 'rsa', key_bits: 1024, testing: true, revoked: false, given: true },
        { selector: 'rev', name: 'rev._domainkey.example.com', status: 'warn', record: DKIM_REV, key_type: 'rsa', key_bits: null, testing: false, revoked: true, given: false },
        { selector: 'old', name: 'old._domainkey.example.com', status: 'missing', record: null, key_type: null, key_bits: null, testing: false, revoked: false, given: true },
      ],
      probed: 14,
    },
    mta_sts: {
      status: 'warn', summary: 'MTA-STS record found; the policy cannot be fetched from a browser',
      record: STS, id: '20240101T000000', policy_status: 'not_checkable_from_browser',
      policy_url: 'https://mta-sts.example.com/.well-known/mta-sts.txt', policy: null,
    },
    tls_rpt: { status: 'pass', summary: 'TLS reporting to 1 address', record: TLSRPT, rua: ['mailto:tlsrpt@example.com'] },
    bimi: { status: 'missing', summary: 'no BIMI record', record: null, logo: null, authority: null },
    dnssec: { status: 'unknown', summary: 'DNSSEC could not be determined', cause: 'the resolver answered SERVFAIL for example.com DNSKEY', validated: false },
    reputation: { status: 'pass', summary: 'not listed on the 2 domain lists that answered', blocklists: domainLists },
    ip: [{
      status: 'fail', summary: '192.0.2.1 is listed on 1 of 4 blocklists',
      address: '192.0.2.1', ptr: ['mail.example.com'], fcrdns: true, spf_result: 'pass', spf_matched: 'mx',
      blocklists,
    }],
  },
  findings,
  queries: 43, critical_path: 4, elapsed_ms: 812,
  resolvers: ['https://cloudflare-dns.com/dns-query'],
  score: 62, grade: 'D', unknown_points: 5, parked: false,
  areas: [
    { area: 'authentication', max: 60, earned: 38, lost: 22, unknown: 0 },
    { area: 'infrastructure', max: 15, earned: 10, lost: 0, unknown: 5 },
    { area: 'reputation', max: 10, earned: 6, lost: 4, unknown: 0 },
    { area: 'transport_security', max: 10, earned: 8, lost: 2, unknown: 0 },
    { area: 'brand', max: 5, earned: 0, lost: 5, unknown: 0 },
  ],
  requirements: [
    { provider: 'Google', scope: 'all senders', requirement: 'SPF or DKIM passes', status: 'met', detail: 'DKIM selector google passes', source: 'https://support.google.com/a/answer/81126', date: '2024-02-01' },
    { provider: 'Google', scope: 'bulk senders (5,000+ a day)', requirement: 'DMARC record, p=none or stronger', status: 'met', detail: 'p=none at _dmarc.example.com', source: 'https://support.google.com/a/answer/81126', date: '2024-02-01' },
    { provider: 'Google', scope: 'bulk senders (5,000+ a day)', requirement: 'one-click unsubscribe', status: 'not_checkable', detail: 'a property of the messages, not of DNS', source: 'https://support.google.com/a/answer/81126', date: '2024-02-01' },
    { provider: 'Yahoo', scope: 'all senders', requirement: 'valid forward and reverse DNS for sending IPs', status: 'met', detail: '192.0.2.1 ↔ mail.example.com', source: 'https://senders.yahooinc.com/best-practices/', date: '2024-02-01' },
    { provider: 'Yahoo', scope: 'bulk senders', requirement: 'DMARC passes with alignment', status: 'unknown', detail: 'alignment depends on the message headers', source: 'https://senders.yahooinc.com/best-practices/', date: '2024-02-01' },
    { provider: 'Microsoft', scope: 'high-volume senders (5,000+ a day)', requirement: 'SPF passes', status: 'not_met', detail: 'SPF returns permerror (12 lookups)', source: 'https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730', date: '2025-05-05' },
  ],
};
write('report.json', report);

// ---------------------------------------------------------------- the hostile report
// Every string a DNS answer or a rule could carry is a payload; the page must show them as text.
const P = {
  img: '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  script: '<script>window.__xss=(window.__xss||0)+1</script>',
  svg: '"><svg onload="window.__xss=(window.__xss||0)+1">',
};
const XSPF = `v=spf1 include:${P.img} ${P.script} -all`;
const XDMARC = `v=DMARC1; p=none; rua=mailto:${P.svg}`;
const xss = structuredClone(report);
xss.domain = 'xss.example';
xss.display_domain = `xss.example${P.img}`;
Object.assign(xss.checks.mx.records[0], { exchange: `mx.${P.script}`, addresses: [P.img] });
Object.assign(xss.checks.spf, { record: XSPF, summary: `summary ${P.svg}`, name: P.img });
xss.checks.spf.tree = node('xss.example', XSPF, null, 1, 1, [
  node(P.img, P.script, `include:${P.img}`, 0, 1, [], { error: `error ${P.svg}` }),
]);
Object.assign(xss.checks.dmarc, { record: XDMARC, found_at: `_dmarc.${P.img}`, rua: [`mailto:${P.svg}`], external_reports: [{ uri: `mailto:${P.svg}`, domain: P.img, authorized: null }] });
xss.checks.dkim.selectors[0] = { ...xss.checks.dkim.selectors[0], selector: P.script, name: P.img, record: `v=DKIM1; p=${P.svg}` };
xss.checks.dnssec.cause = `cause ${P.script}`;
Object.assign(xss.checks.ip[0], { ptr: [P.img, `javascript:alert(1)`], summary: P.svg });
const hostileList = (b) => ({ ...b, zone: `${b.zone}${P.img}`, name: `${b.name}${P.svg}`, query: P.img, meaning: b.meaning && P.script, reason: 'javascript:window.__xss=9', detail: P.img, lookup: 'javascript:window.__xss=8' });
xss.checks.ip[0].blocklists = xss.checks.ip[0].blocklists.map(hostileList);
xss.checks.reputation = { status: 'fail', summary: `listed ${P.img}`, blocklists: xss.checks.reputation.blocklists.map((b) => hostileList({ ...b, status: 'listed', listing: 'abuse', answer: '127.0.1.2', meaning: 'Spamhaus DBL: a spam domain' })) };
xss.findings = [
  { code: 'SPF010', severity: 'error', check: 'spf', message: `message ${P.img}`, help: `v=spf1 ${P.script} -all`, record: XSPF, span: span(XSPF, P.img), name: P.svg },
  { code: `X${P.img}`, severity: 'warning', check: 'spf', message: P.script, help: P.svg, record: XSPF, span: span(XSPF, P.script), name: P.img },
  { code: 'DMARC005', severity: 'warning', check: 'dmarc', message: P.svg, help: `v=DMARC1; p=reject; rua=mailto:${P.img}`, record: XDMARC, span: span(XDMARC, P.svg) },
];
xss.requirements = xss.requirements.map((r) => ({ ...r, detail: P.img, source: 'javascript:window.__xss=7', requirement: `${r.requirement} ${P.script}` }));
write('report-xss.json', xss);

// ---------------------------------------------------------------- a report no check could judge
// Every lookup failed at the resolver: every check unknown, and score and grade are null.
const CAUSE = 'the DoH server answered HTTP 500';
const unjudged = structuredClone(report);
unjudged.domain = 'unjudged.example';
unjudged.display_domain = 'unjudged.example';
for (const [name, c] of Object.entries(unjudged.checks)) {
  if (name === 'ip') continue;
  unjudged.checks[name] = { ...c, status: 'unknown', summary: 'could not be checked', cause: `${name}: ${CAUSE}` };
}
delete unjudged.checks.ip;
Object.assign(unjudged.checks.spf, { record: null, tree: null, lookups: 0, void_lookups: 0 });
Object.assign(unjudged.checks.dmarc, { record: null, found_at: null, policy: null, rua: [], external_reports: [] });
Object.assign(unjudged.checks.dkim, { selectors: [] });
Object.assign(unjudged.checks.mx, { records: [] });
Object.assign(unjudged.checks.mta_sts, { record: null, id: null, policy_status: 'not_fetched' });
Object.assign(unjudged.checks.tls_rpt, { record: null, rua: [] });
unjudged.checks.reputation.blocklists = unjudged.checks.reputation.blocklists.map((b) => ({ ...b, status: 'unknown', answer: null, detail: CAUSE }));
Object.assign(unjudged, { findings: [], score: null, grade: null, unknown_points: 100, parked: false });
unjudged.areas = unjudged.areas.map((a) => ({ ...a, earned: 0, lost: 0, unknown: a.max }));
unjudged.requirements = unjudged.requirements.map((r) => ({ ...r, status: r.status === 'not_checkable' ? r.status : 'unknown', detail: 'could not be checked' }));
write('report-unjudged.json', unjudged);

// ---------------------------------------------------------------- the rule catalogue
const rule = (code, name, category, severity, area, weight, checks, why, problematic, corrected, references) =>
  ({ code, name, category, severity, area, weight, checks, why, problematic, corrected, references });
write('rules.json', [
  rule('SPF001', 'SpfPlusAll', 'spf', 'error', 'authentication', 30, 'The record ends in +all (or a bare all).', '+all authorizes every host on the internet to send as the domain, so SPF proves nothing and DMARC passes for forged mail aligned on SPF.', 'v=spf1 a mx +all', 'v=spf1 a mx -all', 'RFC 7208 §5.1'),
  rule('SPF003', 'SpfMechanismSeparator', 'spf', 'error', 'authentication', 20, 'A mechanism is written with = instead of :, e.g. include=.', 'Receivers read include=x as an unknown modifier and skip it, so the included senders fail SPF.', 'v=spf1 include=_spf.google.com -all', 'v=spf1 include:_spf.google.com -all', 'RFC 7208 §4.6.1'),
  rule('SPF005', 'SpfNoAll', 'spf', 'warning', 'authentication', 6, 'The record has neither an all mechanism nor a redirect.', 'Without all the default result is neutral, so forged mail is not failed by SPF.', 'v=spf1 include:_spf.google.com', 'v=spf1 include:_spf.google.com -all', 'RFC 7208 §4.7'),
  rule('DMARC001', 'DmarcNoPolicy', 'dmarc', 'error', 'authentication', 30, 'The record has no p= tag right after v=DMARC1.', 'A DMARC record without a policy is invalid and receivers ignore it.', 'v=DMARC1; rua=mailto:d@example.com', 'v=DMARC1; p=none; rua=mailto:d@example.com', 'RFC 7489 §6.3'),
  rule('ZONE001', 'ZoneNotARecord', 'zone', 'error', 'infrastructure', 0, 'A line of pasted zone text is not a resource record.', 'The line is ignored, so the record you meant to check is not checked.', 'bad line', '@ 3600 IN TXT "v=spf1 -all"', 'RFC 1035 §5.1'),
  rule('SPF007', 'SpfPtrMechanism', 'spf', 'warning', 'authentication', 4, 'An SPF record uses the ptr mechanism.', 'ptr costs a reverse lookup plus forward lookups per name, is unreliable, and RFC 7208 says it should not be used; some receivers treat it as a sign of a stale record.', 'v=spf1 ptr -all', 'v=spf1 ip4:192.0.2.0/24 -all', 'RFC 7208 §5.5'),
  rule('SPF010', 'SpfTooManyLookups', 'spf', 'error', 'authentication', 30, 'Evaluating the SPF record, with every include and redirect, needs more than 10 DNS lookups.', 'Receivers stop after 10 lookups and return permerror, which DMARC treats as an SPF failure: mail from every sender then depends on DKIM alone.', 'v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net include:mailgun.org ptr ~all', 'v=spf1 include:_spf.google.com include:spf.protection.outlook.com include:mailgun.org ~all', 'RFC 7208 §4.6.4'),
  rule('SPF012', 'SpfSoftfailAll', 'spf', 'info', 'none', 0, 'The record ends in ~all.', 'A softfail leaves failing mail to the receiver\'s judgement; with DMARC enforcing, -all and ~all behave alike, so this is informational.', 'v=spf1 include:_spf.google.com ~all', 'v=spf1 include:_spf.google.com -all', 'RFC 7208 §8.5'),
  rule('DMARC005', 'DmarcPolicyNone', 'dmarc', 'warning', 'authentication', 10, 'The DMARC policy is p=none.', 'p=none asks receivers to deliver mail that fails DMARC as usual, so spoofed mail is not stopped; it is a monitoring stage, not protection.', 'v=DMARC1; p=none; rua=mailto:dmarc@example.com', 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com', 'RFC 7489 §6.3'),
  rule('DMARC011', 'DmarcInvalidFo', 'dmarc', 'error', 'authentication', 4, 'The fo tag has a value other than 0, 1, d or s.', 'Receivers ignore an invalid fo value, and strict parsers reject the whole record.', 'v=DMARC1; p=reject; fo=2', 'v=DMARC1; p=reject; fo=1', 'RFC 7489 §6.3'),
  rule('DMARC020', 'DmarcExternalReportsUnauthorized', 'dmarc', 'warning', 'authentication', 4, 'A rua or ruf address is in another domain that has not published an authorization record.', 'Receivers send no reports to an external domain that has not agreed to take them, so the reports are silently lost.', 'v=DMARC1; p=reject; rua=mailto:d@reports.example.net', 'v=DMARC1; p=reject; rua=mailto:d@reports.example.net  (and example.com._report._dmarc.reports.example.net TXT "v=DMARC1")', 'RFC 7489 §7.1'),
  rule('DKIM004', 'DkimWeakKey', 'dkim', 'warning', 'authentication', 8, 'An RSA key is shorter than 2048 bits.', '1024-bit keys are within reach of well-funded attackers and some receivers score them down.', 'v=DKIM1; k=rsa; p=MIGfMA0G…', 'v=DKIM1; k=rsa; p=MIIBIjAN… (2048-bit)', 'RFC 8301 §3.2'),
  rule('DKIM006', 'DkimTestingFlag', 'dkim', 'info', 'none', 0, 'The key carries t=y.', 'Verifiers must not treat signatures from a testing key differently from unsigned mail.', 'v=DKIM1; k=rsa; t=y; p=MIIB…', 'v=DKIM1; k=rsa; p=MIIB…', 'RFC 6376 §3.6.1'),
  rule('DKIM007', 'DkimKeyRevoked', 'dkim', 'info', 'none', 0, 'The p= tag is empty.', 'An empty key revokes the selector; signatures made with it fail.', 'v=DKIM1; k=rsa; p=', '(remove the record when nothing signs with it)', 'RFC 6376 §3.6.1'),
  rule('STS003', 'StsPolicyNotCheckable', 'mta-sts', 'info', 'none', 0, 'The MTA-STS policy file could not be fetched from the browser.', 'Policy files are served without CORS headers, so a page cannot read them; the command-line tool can.', 'v=STSv1; id=20240101T000000;', 'v=STSv1; id=20240101T000000;', 'RFC 8461 §3.3'),
  rule('BIMI001', 'BimiMissing', 'bimi', 'info', 'brand', 5, 'No BIMI record at default._bimi.', 'Without BIMI no logo is shown next to the domain\'s mail in clients that support it.', '(no record)', 'v=BIMI1; l=https://example.com/logo.svg; a=', 'draft-brand-indicators-for-message-identification §4'),
  rule('DKIM102', 'DkimGivenSelectorHasNoKey', 'dkim', 'error', 'authentication', 15, 'A DKIM selector given to the check has no key record at <selector>._domainkey.<domain>.', 'Receivers look the key up at exactly that name; without it every signature made with the selector fails, so DMARC can pass only through SPF alignment.', 's1._domainkey.example.com. (no TXT record; mail is signed with d=example.com; s=s1)', 's1._domainkey.example.com. IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA..."', 'RFC 6376 §3.6.2.1, §6.1.2'),
  rule('BL101', 'BlocklistListed', 'reputation', 'error', 'reputation', 10, 'The sending IP (or the domain) is not on a reputation list for spam, abuse, phishing, malware or compromise.', 'Receivers that use the list reject or junk mail from the address or with the domain.', '1.2.0.192.zen.spamhaus.org. IN A 127.0.0.3', '1.2.0.192.zen.spamhaus.org. IN A ; (no such name)', 'RFC 5782 §2'),
  rule('BL104', 'BlocklistRefused', 'reputation', 'info', 'none', 0, 'The list answered the query rather than refusing it.', 'A refusal says nothing about the address or domain: the list will not serve this resolver, so the verdict is unknown.', 'example.com.multi.uribl.com. IN A 127.0.0.1', 'example.com.multi.uribl.com. IN A ; (no such name)', 'RFC 5782 §2; https://uribl.com/refused.shtml'),
]);

// ---------------------------------------------------------------- a parse result
const ZONE = [
  '$ORIGIN example.com.',
  '@       3600 IN TXT "v=spf1 a mx +all"',
  '_dmarc  3600 IN TXT "v=DMARC1; p=none; rua=mailto:d@exämple.fr"',
  'bad line',
].join('\n');
const spfText = 'v=spf1 a mx +all';
const dmarcText = 'v=DMARC1; p=none; rua=mailto:d@exämple.fr';
write('parse-result.json', {
  input: ZONE,
  result: {
    kind: 'zone',
    records: [
      { kind: 'spf', name: 'example.com', line: 2, text: spfText, value: null, diagnostics: [
        { code: 'SPF001', severity: 'error', span: span(spfText, '+all'), message: '+all lets any host on the internet pass SPF', help: 'v=spf1 a mx -all' },
      ] },
      { kind: 'dmarc', name: '_dmarc.example.com', line: 3, text: dmarcText, value: null, diagnostics: [
        { code: 'DMARC005', severity: 'warning', span: span(dmarcText, 'p=none'), message: 'policy none does not protect the domain', help: 'v=DMARC1; p=quarantine; rua=mailto:d@exämple.fr' },
        { code: 'DMARC020', severity: 'warning', span: span(dmarcText, 'mailto:d@exämple.fr'), message: 'external report address', help: 'publish the authorization record at the report domain' },
      ] },
    ],
    diagnostics: [
      { code: 'ZONE001', severity: 'error', span: span(ZONE, 'bad line'), message: 'line 4: not a resource record', help: 'write name, ttl, class, type and data, e.g. @ 3600 IN TXT "v=spf1 -all"' },
    ],
  },
});
console.log('fixtures written');
