// A stand-in for pkg/sendercheck.js (wasm-bindgen --target web) while the wasm build does not
// exist. Same exports, same shapes (see ../sendercheck.d.ts), data from fixtures/*.json.
// Development and tests only: api.js selects it with ?mock on loopback hosts.

const enc = new TextEncoder();
const bytes = (s) => enc.encode(s).length;
let fixtures = null;
// How often each domain was checked in this document: the second check of a domain answers the
// DNSSEC check that the first left unknown, which is how Retry can be seen to work.
const runs = new Map();

/** Loads the fixtures; the real init loads and compiles the wasm. */
export default async function init() {
  if (fixtures) return;
  const load = async (name) => {
    const res = await fetch(new URL(`./fixtures/${name}`, import.meta.url));
    if (!res.ok) throw new Error(`mock fixture ${name}: HTTP ${res.status}`);
    return res.json();
  };
  const [report, xss, unjudged, rulesList, parsed] = await Promise.all(
    ['report.json', 'report-xss.json', 'report-unjudged.json', 'rules.json', 'parse-result.json'].map(load),
  );
  fixtures = { report, xss, unjudged, rules: rulesList, parsed };
}

function ready() {
  if (!fixtures) throw new Error('sendercheck is not initialised: await init() first');
  return fixtures;
}

export function rules() {
  return structuredClone(ready().rules);
}

export function normalize_domain(input) {
  let s = String(input ?? '').trim();
  if (!s) throw new Error('enter a domain, an email address or a URL');
  if (/^mailto:/i.test(s)) s = s.slice(7);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    try {
      s = new URL(s).hostname;
    } catch {
      throw new Error('not a valid URL');
    }
  } else if (s.includes('@')) {
    s = s.slice(s.lastIndexOf('@') + 1);
  }
  s = s.replace(/\.$/, '');
  if (/\s/.test(s)) throw new Error('a domain cannot contain spaces');
  if (/^\d+(\.\d+){3}$/.test(s) || s.includes(':')) throw new Error('that is an IP address: enter the domain that sends the mail');
  let host;
  try {
    host = new URL(`http://${s}/`).hostname;
  } catch {
    throw new Error(`not a domain name: ${s}`);
  }
  if (!host.includes('.')) throw new Error(`${host} has no dot: enter a full domain such as example.com`);
  if (host.split('.').some((l) => l.length > 63)) throw new Error('a label is longer than 63 characters');
  if (host.length > 253) throw new Error('the name is longer than 253 characters');
  return host;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function check(input, options = {}, onProgress) {
  const f = ready();
  const domain = normalize_domain(input);
  if (!options.offline && globalThis.navigator && navigator.onLine === false) {
    throw new TypeError('Failed to fetch');
  }
  // Two fixed domains: xss.example (hostile data) and unjudged.example (every check unknown,
  // score and grade null); every other domain gets the rich report under its own name.
  const hostile = domain === 'xss.example';
  const unjudged = domain === 'unjudged.example';
  const report = structuredClone(hostile ? f.xss : unjudged ? f.unjudged : f.report);
  if (!hostile) {
    report.domain = domain;
    report.display_domain = displayName(domain);
  }
  if (options.resolvers?.length) report.resolvers = [...options.resolvers];

  const n = (runs.get(domain) ?? 0) + 1;
  runs.set(domain, n);
  if (n > 1 && report.score != null) {
    report.checks.dnssec = { status: 'pass', summary: 'the resolver validated the answers (AD flag)', validated: true };
    const infra = report.areas.find((a) => a.area === 'infrastructure');
    infra.earned += infra.unknown;
    report.score += infra.unknown;
    infra.unknown = 0;
    report.unknown_points = 0;
  }

  const template = report.checks.ip?.[0];
  const ips = options.ips ?? [];
  if (template && ips.length) {
    report.checks.ip = ips.map((address) => ({ ...structuredClone(template), address }));
  } else if (!hostile) {
    delete report.checks.ip;
    report.findings = report.findings.filter((x) => x.check !== 'ip');
  }

  const wanted = options.selectors ?? [];
  for (const sel of wanted) {
    if (!report.checks.dkim.selectors.some((s) => s.selector === sel)) {
      report.checks.dkim.selectors.push({ selector: sel, name: `${sel}._domainkey.${domain}`, status: 'missing', record: null, key_type: null, key_bits: null, testing: false, revoked: false, given: true });
    }
  }

  if (options.zone) overlayZone(report, options.zone);

  // Settle in a fixed order that is not the display order, as a real run would.
  const order = ['mx', 'dmarc', 'spf', 'tls_rpt', 'reputation', 'bimi', 'dkim', 'mta_sts', 'ip', 'dnssec'];
  const delay = Number(new URLSearchParams(globalThis.location?.search ?? '').get('mockdelay') ?? 25);
  for (const name of order) {
    if (!(name in report.checks)) continue;
    await sleep(delay);
    // As the real build does: each event carries that check's findings.
    onProgress?.({ check: name, result: structuredClone(report.checks[name]), findings: structuredClone(report.findings.filter((x) => x.check === name)) });
  }
  await sleep(delay);
  return report;
}

function displayName(domain) {
  // The mock decodes nothing: the real build returns the Unicode form of an IDN here.
  return domain;
}

/** Pre-flight: pasted SPF and DMARC records replace the published ones. */
function overlayZone(report, zone) {
  const parsed = parse(zone);
  for (const rec of parsed.records) {
    const check = rec.kind === 'spf' ? 'spf' : rec.kind === 'dmarc' ? 'dmarc' : null;
    if (!check) continue;
    const c = report.checks[check];
    c.record = rec.text;
    const errors = rec.diagnostics.filter((d) => d.severity === 'error').length;
    c.status = errors ? 'fail' : rec.diagnostics.some((d) => d.severity === 'warning') ? 'warn' : 'pass';
    c.summary = `pre-flight: the pasted ${check.toUpperCase()} record`;
    if (check === 'spf') c.tree = null;
    report.findings = report.findings
      .filter((x) => x.check !== check)
      .concat(rec.diagnostics.map((d) => ({ code: d.code, severity: d.severity, check, message: d.message, help: d.help, record: rec.text, span: d.span, name: rec.name ?? undefined })));
  }
}

// ------------------------------------------------------------------ a toy parser for paste mode

const KINDS = [
  [/^v=spf1(\s|$)/i, 'spf'],
  [/^v=DMARC1\s*(;|$)/i, 'dmarc'],
  [/^v=DKIM1\s*(;|$)/i, 'dkim'],
  [/^v=BIMI1\s*(;|$)/i, 'bimi'],
  [/^v=STSv1\s*(;|$)/i, 'mta-sts'],
  [/^v=TLSRPTv1\s*(;|$)/i, 'tlsrpt'],
];

/** Byte span of a JS string range [from, to) of `text`. */
function bspan(text, from, to) {
  const start = bytes(text.slice(0, from));
  return { start, end: start + bytes(text.slice(from, to)) };
}

function lint(kind, text) {
  const out = [];
  const add = (re, code, severity, message, help) => {
    const m = re.exec(text);
    if (m) out.push({ code, severity, span: bspan(text, m.index, m.index + m[0].length), message, help: typeof help === 'function' ? help(m) : help });
  };
  if (kind === 'spf') {
    add(/(?<=\s)\+?all$/i, 'SPF001', 'error', '+all lets any host on the internet pass SPF', text.replace(/\+?all$/i, '-all'));
    add(/\b(include|a|mx|exists|redirect)=/i, 'SPF003', 'error', 'mechanism written with = instead of :', (m) => text.replace(m[0], `${m[1]}:`));
    add(/\bptr(:\S*)?/i, 'SPF007', 'warning', 'ptr mechanism is slow and deprecated', 'remove ptr and list the sending addresses with ip4: or ip6:');
    add(/~all$/i, 'SPF012', 'info', 'softfail all leaves failing mail to the receiver\'s judgement', text.replace(/~all$/i, '-all'));
    if (!/\ball$/i.test(text) && !/\bredirect=/i.test(text)) {
      out.push({ code: 'SPF005', severity: 'warning', span: bspan(text, text.length, text.length), message: 'no all mechanism at the end', help: `${text.trimEnd()} -all` });
    }
    const lookups = (text.match(/(^|\s)[-~?+]?(include:|a\b|mx\b|exists:|ptr\b|redirect=)/gi) ?? []).length;
    if (lookups > 10) out.push({ code: 'SPF010', severity: 'error', span: bspan(text, 0, text.length), message: `more than 10 DNS lookups (${lookups}) in this record alone`, help: 'remove mechanisms you do not send from' });
  } else if (kind === 'dmarc') {
    if (!/^v=DMARC1\s*;\s*p=/i.test(text)) {
      out.push({ code: 'DMARC001', severity: 'error', span: bspan(text, 0, Math.min(text.length, 8)), message: 'no p= tag after v=DMARC1', help: text.replace(/^v=DMARC1\s*;?\s*/i, 'v=DMARC1; p=none; ') });
    }
    add(/\bp=none\b/i, 'DMARC005', 'warning', 'policy none does not protect the domain', text.replace(/\bp=none\b/i, 'p=quarantine'));
    add(/(?<=\bfo=)[^;\s]*[^01ds:;\s][^;\s]*/i, 'DMARC011', 'error', 'fo value is not one of 0, 1, d, s', (m) => text.replace(`fo=${m[0]}`, 'fo=1'));
  } else if (kind === 'dkim') {
    add(/\bt=y\b/i, 'DKIM006', 'info', 'testing flag t=y is set', text.replace(/\s*t=y\s*;?/i, ' '));
    add(/\bp=\s*(;|$)/i, 'DKIM007', 'info', 'key is revoked (empty p=)', 'remove the record once no mail signed with it is in flight');
  }
  return out;
}

const RR = /^(\S+)\s+(?:(\d+)\s+)?(?:IN\s+)?(TXT|SPF|MX|A|AAAA|CNAME|NS|SOA|CAA)\s+(.*)$/i;

function txtData(data) {
  const parts = [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
  return parts.length ? parts.join('') : data.trim();
}

function kindOf(text) {
  for (const [re, kind] of KINDS) if (re.test(text)) return kind;
  return null;
}

function stripComment(line) {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ';' && !quoted) return line.slice(0, i).trim();
  }
  return line;
}

export function parse(text, kind) {
  const f = ready();
  text = String(text ?? '');
  if (text === f.parsed.input && !kind) return structuredClone(f.parsed.result);

  const records = [];
  const diagnostics = [];
  let origin = null;
  let zoneForm = false;
  let offset = 0; // JS string index of the current line's start
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const start = offset;
    offset += raw.length + 1;
    // A bare record keeps its semicolons; in zone lines a ; outside quotes starts a comment.
    const trimmed = line.trim();
    const body = /^"?v=/i.test(trimmed) ? trimmed : stripComment(trimmed);
    if (!body) return;
    const o = /^\$ORIGIN\s+(\S+)/i.exec(body);
    if (o) {
      origin = o[1].replace(/\.$/, '');
      zoneForm = true;
      return;
    }
    if (/^\$TTL\b/i.test(body)) return;
    const bare = body.replace(/^"|"$/g, '');
    let name = null;
    let recText;
    const rr = RR.exec(body);
    if (rr && !kindOf(bare)) {
      zoneForm = true;
      if (!/^(TXT|SPF)$/i.test(rr[3])) return;
      name = rr[1] === '@' ? origin : rr[1].endsWith('.') ? rr[1].slice(0, -1) : origin ? `${rr[1]}.${origin}` : rr[1];
      recText = txtData(rr[4]);
    } else if (kindOf(bare)) {
      recText = /^"/.test(body) ? txtData(body) : body;
    } else {
      const lead = line.length - line.trimStart().length;
      diagnostics.push({ code: 'ZONE001', severity: 'error', span: bspan(text, start + lead, start + line.trimEnd().length), message: `line ${i + 1}: not a resource record`, help: 'write name, ttl, class, type and data, e.g. @ 3600 IN TXT "v=spf1 -all"' });
      return;
    }
    const k = kind && kind !== 'zone' ? kind : kindOf(recText);
    if (!k) return;
    records.push({ kind: k, name, line: i + 1, text: recText, diagnostics: lint(k, recText), value: null });
  });
  const resultKind = kind ?? (zoneForm || records.length !== 1 || diagnostics.length ? 'zone' : records[0].kind);
  return { kind: resultKind, records, diagnostics };
}
