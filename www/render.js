// The one renderer, shared by the page (app.js) and the <sender-check> element.
//
// Everything a report carries came out of DNS, which anyone can write to, so data reaches the DOM
// only as text nodes and attribute values set through DOM APIs. Nothing here parses HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

export const CHECK_ORDER = ['mx', 'spf', 'dmarc', 'dkim', 'mta_sts', 'tls_rpt', 'bimi', 'dnssec', 'reputation', 'ip'];

export const CHECK_TITLES = {
  mx: 'MX (mail servers)',
  spf: 'SPF',
  dmarc: 'DMARC',
  dkim: 'DKIM',
  mta_sts: 'MTA-STS',
  tls_rpt: 'TLS-RPT',
  bimi: 'BIMI',
  dnssec: 'DNSSEC',
  reputation: 'Domain reputation',
  ip: 'Sending IPs',
};

const STATUS_LABELS = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  missing: 'Missing',
  unknown: 'Unknown',
  pending: 'Checking…',
  skipped: 'Not checked',
  met: 'Met',
  not_met: 'Not met',
  not_checkable: 'Not checkable',
  listed: 'Listed',
  clear: 'Clear',
  refused: 'Refused',
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

// Which icon and colour family each status word uses; the label always says it in words too.
const STATUS_TONE = {
  pass: 'good', met: 'good', clear: 'good',
  warn: 'warn', warning: 'warn', refused: 'warn',
  fail: 'bad', error: 'bad', not_met: 'bad', listed: 'bad',
  missing: 'missing',
  unknown: 'unknown', not_checkable: 'unknown',
  info: 'info', skipped: 'unknown',
  pending: 'pending',
};

const ICON_PATHS = {
  good: 'M4.5 8.5l2.2 2.2L11.5 5.8',
  warn: 'M8 4.5v4.2M8 11.2v.3',
  bad: 'M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6',
  missing: 'M4.8 8h6.4',
  unknown: 'M6.2 6.3a1.9 1.9 0 1 1 2.6 1.8c-.5.2-.8.6-.8 1.1v.4M8 11.3v.3',
  info: 'M8 7.3v4.2M8 4.8v.3',
  pending: 'M8 2.5a5.5 5.5 0 1 1-5.5 5.5',
};

export const DEFAULT_RESOLVER = 'https://cloudflare-dns.com/dns-query';
export const OFFLINE_MESSAGE = 'DNS is unreachable: you appear to be offline';

/**
 * Whether to refuse a live check at once because the browser says it is offline. navigator.onLine
 * only reflects non-loopback network interfaces, so a resolver on this machine (a local DoH
 * server, the test rig) is still tried; so is a check with no resolver needed.
 */
export function offlineFor(options = {}) {
  if (options.offline || navigator.onLine !== false) return false;
  const urls = options.resolvers?.length ? options.resolvers : [DEFAULT_RESOLVER];
  return !urls.every((u) => {
    try {
      return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(u).hostname);
    } catch {
      return false;
    }
  });
}

export const PORT25_STATEMENT =
  'A sending IP does not need to accept inbound SMTP (port 25). SMTP is push: your server connects to the ' +
  'receiver, and receivers never connect back to the sending address. They check the domain’s MX, ' +
  'SPF, DKIM and DMARC, the IP’s reputation and its reverse DNS. The domain’s MX hosts are what must ' +
  'accept replies and bounces.';

const AREA_TITLES = {
  authentication: 'Authentication',
  infrastructure: 'Infrastructure',
  reputation: 'Reputation',
  transport_security: 'Transport security',
  brand: 'Brand',
  none: 'none (informational)',
};

const SEVERITY_RANK = { error: 3, warning: 2, info: 1 };

// ------------------------------------------------------------------------------ DOM helpers

/**
 * Creates an element. props: class, text, dataset, `on:event` listeners, any attribute.
 * Children: nodes, strings (as text), arrays, null/false (skipped).
 */
export function h(tag, props, ...children) {
  const el = tag.startsWith('svg:') ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    else if (key.startsWith('on:')) el.addEventListener(key.slice(3), value);
    else if (/^on/i.test(key)) throw new Error(`refusing to set event-handler attribute ${key}`);
    else if (key === 'href') el.setAttribute('href', safeHref(value));
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * Text with its `code spans` (how messages and fixes quote record text) as `<code>` elements:
 * the backticks are markup, not something to type. Unbalanced backticks stay as written.
 */
export function inlineCode(text) {
  const parts = String(text ?? '').split('`');
  if (parts.length < 3 || parts.length % 2 === 0) return [String(text ?? '')];
  return parts.map((part, i) => (i % 2 ? h('code', { class: 'sc-inline-code', translate: 'no', text: part }) : part || null));
}

function append(parent, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Only web and in-page links survive; a `javascript:` or `data:` URL from data becomes inert. */
export function safeHref(value) {
  const s = String(value);
  if (s.startsWith('#')) return s;
  try {
    const url = new URL(s);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // fall through
  }
  return '#';
}

function icon(tone) {
  const path = ICON_PATHS[tone] ?? ICON_PATHS.unknown;
  return h('svg:svg', { class: 'sc-icon', viewBox: '0 0 16 16', 'aria-hidden': 'true', focusable: 'false' },
    h('svg:circle', { cx: 8, cy: 8, r: 7, class: 'sc-icon-ring' }),
    h('svg:path', { d: path, class: 'sc-icon-glyph' }));
}

/** A status badge: icon, word and colour, so colour is never the only signal. */
export function badge(status, label) {
  const tone = STATUS_TONE[status] ?? 'unknown';
  return h('span', { class: `sc-badge sc-tone-${tone}`, dataset: { status }, part: 'badge' },
    icon(tone), h('span', { class: 'sc-badge-text', text: label ?? STATUS_LABELS[status] ?? String(status) }));
}

function yesNo(value) {
  return value === true ? 'yes' : value === false ? 'no' : 'unknown';
}

function dl(rows) {
  return h('dl', { class: 'sc-dl' }, rows.filter(Boolean).map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
}

function list(items, empty = 'none') {
  if (!items?.length) return h('span', { class: 'sc-muted', text: empty });
  return h('ul', { class: 'sc-plain-list' }, items.map((x) => h('li', {}, h('code', { text: x }))));
}

function table(caption, headers, rows, cls) {
  return h('div', { class: 'sc-table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 },
    h('table', { class: ['sc-table', cls] },
      h('caption', { class: 'sc-visually-hidden', text: caption }),
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) => h('td', { dataset: { label: headers[i] } }, c)))))));
}

// ------------------------------------------------------------------------------ spans

/**
 * Where the characters of `text` start, in UTF-8 bytes (`bytes`) and UTF-16 code units
 * (`units`), one entry per character plus one for the end, and the code unit where each line
 * starts (`lines`). A lone surrogate counts as the 3 bytes of U+FFFD, as TextEncoder encodes it.
 */
function buildIndex(text) {
  const bytes = [0];
  const units = [0];
  const lines = [0];
  let byte = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i);
    byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
    if (cp === 10) lines.push(i);
    bytes.push(byte);
    units.push(i);
  }
  return { bytes, units, lines };
}

/**
 * The index of a text, kept for the last long one: the diagnostics of one paste are located one
 * after another in the same text, so each is a binary search. (Each used to walk and encode the
 * text from its start, which made a zone of a few thousand diagnostics take minutes.) Short texts,
 * a record or a line, are indexed each time and do not displace it.
 */
let cachedIndex = { text: null, index: null };
function textIndex(text) {
  if (cachedIndex.text === text) return cachedIndex.index;
  const index = buildIndex(text);
  if (text.length > 4096) cachedIndex = { text, index };
  return index;
}

/** The number of entries of the ascending `list` that are at most `value` (or below it with `strict`). */
function countUpTo(list, value, strict = false) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? list[mid] < value : list[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Maps a UTF-8 byte span into `text` to JS string indices (UTF-16 code units). A span edge that
 * falls inside a character widens to the whole character; a span past the end is clamped, and a
 * span that starts past the end gives null.
 */
export function byteSpanToRange(text, span) {
  if (!span || !Number.isFinite(span.start) || !Number.isFinite(span.end)) return null;
  const { bytes, units } = textIndex(text);
  const chars = bytes.length - 1;
  const total = bytes[chars];
  let { start, end } = span;
  if (start < 0 || start > total) return null;
  end = Math.min(Math.max(end, start), total);
  // The character holding `start`; at the very end, the end of the text.
  const first = Math.min(countUpTo(bytes, start) - 1, chars);
  const from = start === total ? text.length : units[first];
  // The first character starting at or after `end`.
  const to = end > start ? units[Math.min(countUpTo(bytes, end, true), chars)] : from;
  return { start: from, end: to };
}

/** The 1-based line of a code unit index, and the index where that line starts. */
function lineAt(text, at) {
  const { lines } = textIndex(text);
  const line = countUpTo(lines, at);
  return { line, start: lines[line - 1] };
}

/** Where a byte span starts in `text`: 1-based line and column, the column in characters. */
export function spanPosition(text, span) {
  const r = byteSpanToRange(text, span);
  if (!r) return null;
  const { units } = textIndex(text);
  const { line, start } = lineAt(text, r.start);
  return { line, column: countUpTo(units, r.start, true) - countUpTo(units, start, true) + 1 };
}

/** What sits at a finding's related span, as the Rust side names it ("the first one"). */
const relatedLabel = (f) => f.related_label ?? 'the other place';

/**
 * A finding's marks: its span and, when it has one, its related place (the first of a
 * duplicated tag), drawn apart from the span itself.
 */
function findingMarks(f, n, label = `${f.code}: ${f.message}`) {
  const marks = [{ span: f.span, severity: f.severity, n, label }];
  if (f.related) marks.push({ span: f.related, severity: f.severity, n, label: `${relatedLabel(f)}, for ${label}`, related: true });
  return marks;
}

/**
 * The record as published, with marks over the spans. marks: [{ span, severity, n, label,
 * related }]. Overlapping spans split into segments; each segment takes the worst severity
 * covering it. A segment a related place covers has the class sc-related, and sc-related-only
 * when no finding's own span covers it too.
 */
export function highlightRecord(text, marks = [], { tag = 'code', cls = 'sc-record' } = {}) {
  const ranges = [];
  for (const m of marks) {
    const r = byteSpanToRange(text, m.span);
    if (r) ranges.push({ ...r, m });
  }
  const el = h(tag, { class: cls, part: 'record', translate: 'no' });
  const cuts = new Set([0, text.length]);
  for (const r of ranges) cuts.add(r.start).add(r.end);
  const points = [...cuts].sort((a, b) => a - b);
  // Zero-width spans (an insertion point, e.g. a missing "-all") are drawn as a caret.
  const carets = (at) => ranges.filter((r) => r.start === r.end && r.start === at).map((r) => markEl('', [r.m], true));
  for (let k = 0; k < points.length; k++) {
    const a = points[k];
    el.append(...carets(a));
    const b = points[k + 1];
    if (b === undefined) break;
    const piece = text.slice(a, b);
    const covering = ranges.filter((r) => r.start < r.end && r.start <= a && r.end >= b);
    if (!covering.length) {
      el.append(piece);
      continue;
    }
    const ending = covering.filter((r) => r.end === b).map((r) => r.m);
    el.append(markEl(piece, covering.map((r) => r.m), false, ending));
  }
  return el;
}

function markEl(text, covering, caret, ending = []) {
  // data-findings lists the findings whose own span covers the segment, data-related those whose
  // related place does; only the former get the finding's number after the mark.
  const own = covering.filter((m) => !m.related);
  const related = covering.filter((m) => m.related);
  const worst = own.reduce((w, m) => (SEVERITY_RANK[m.severity] > SEVERITY_RANK[w] ? m.severity : w), 'info');
  const label = [...own, ...related].map((m) => m.label).filter(Boolean).join('; ');
  const numbers = (caret ? own : ending.filter((m) => !m.related)).map((m) => m.n).filter((n) => n != null);
  return h('mark', {
    class: ['sc-mark', own.length ? `sc-sev-${worst}` : 'sc-related-only', related.length && 'sc-related', caret && 'sc-caret'],
    title: label || null,
    'aria-label': caret ? `insertion point: ${label}` : null,
    dataset: {
      findings: own.map((m) => m.n).join(' '),
      ...(related.length ? { related: related.map((m) => m.n).join(' ') } : {}),
      ...(numbers.length ? { n: numbers.join(',') } : {}),
    },
  }, text);
}

// ------------------------------------------------------------------------------ findings and help

const RECORD_IN_HELP = /\bv=(?:spf1|DMARC1|DKIM1|BIMI1|STSv1|TLSRPTv1)\b/i;

/**
 * Splits a help line into prose and a record to copy. The help is the fix; when it contains a
 * record (or a zone line after "publish"), that part goes in a code block with a copy button.
 */
export function splitHelp(help) {
  const text = String(help ?? '');
  const publish = /^(publish|add)\s+(\S+\s+(?:\d+\s+)?(?:IN\s+)?TXT\s+.+)$/i.exec(text);
  if (publish) return { prose: `${publish[1]}:`, code: publish[2] };
  const m = RECORD_IN_HELP.exec(text);
  if (!m) return { prose: text, code: null };
  let at = m.index;
  // A record quoted inside a zone line ("e.g. @ 3600 IN TXT "v=spf1 -all"") copies as the whole line.
  const zoneLine = /(\S+\s+(?:\d+\s+)?(?:IN\s+)?TXT\s+")$/i.exec(text.slice(0, at));
  if (zoneLine) at = zoneLine.index;
  let prose = text.slice(0, at).trim().replace(/[,:]?\s*(e\.g\.)?$/i, (x) => (x.includes('e.g') ? ', e.g.' : ''));
  let code = text.slice(at).trim();
  if (!zoneLine) code = code.replace(/^["'`]|["'`]$/g, '');
  prose = prose.replace(/["'`]$/, '').trim();
  if (prose && !/[.:]$/.test(prose)) prose = `${prose}:`;
  return { prose, code };
}

export function copyButton(getText, label = 'Copy', name = label === 'Copy' ? 'Copy to clipboard' : label) {
  const btn = h('button', { type: 'button', class: 'sc-copy', part: 'button', 'aria-label': name, text: label });
  btn.addEventListener('click', async () => {
    const text = getText();
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      ok = false;
    }
    btn.textContent = ok ? 'Copied' : 'Select and copy';
    setTimeout(() => { btn.textContent = label; }, 1600);
  });
  return btn;
}

/** A block of record text with a Copy button named for what it copies (`what`). */
function codeBlock(text, what = 'this text') {
  const code = h('code', { translate: 'no', text });
  return h('div', { class: 'sc-codeblock' }, h('pre', { part: 'code' }, code), copyButton(() => code.textContent, 'Copy', `Copy ${what}`));
}

function helpBlock(help, what = 'the fix') {
  const { prose, code } = splitHelp(help);
  return h('div', { class: 'sc-help' },
    h('span', { class: 'sc-help-label', text: 'Fix: ' }),
    prose ? h('span', {}, inlineCode(prose)) : null,
    code ? codeBlock(code, what) : null);
}

/** A rule code as a link to its documentation, or plain text when the catalogue lacks it. */
function ruleLink(code, ctx) {
  const known = ctx.rules?.has(code);
  if (!known) return h('code', { class: 'sc-code', text: code });
  const label = `Documentation for ${code}`;
  if (ctx.ruleHref) {
    return h('a', { class: 'sc-code sc-rule-link', href: ctx.ruleHref(code), 'aria-label': label, 'on:click': (e) => { e.preventDefault(); ctx.onRule?.(code); } }, h('code', { text: code }));
  }
  return h('button', { type: 'button', class: 'sc-code sc-rule-link', 'aria-label': label, 'on:click': () => ctx.onRule?.(code) }, h('code', { text: code }));
}

/** "The first one is at column 11.": where a finding's related place is in `text`. */
function relatedLine(f, text) {
  const at = f.related && text != null ? spanPosition(text, f.related) : null;
  if (!at) return null;
  const label = relatedLabel(f);
  const where = text.includes('\n') ? `line ${at.line}, column ${at.column}` : `column ${at.column}`;
  return h('div', { class: 'sc-finding-related' }, `${label.charAt(0).toUpperCase()}${label.slice(1)} is at ${where}.`);
}

/**
 * One finding (or parse diagnostic): severity, code, message, where, the fix. `text` is what
 * the spans point into: the finding's record unless given (a parse diagnostic has none).
 */
export function findingItem(f, n, ctx, { showRecord = false, text = f.record } = {}) {
  const item = h('li', { class: `sc-finding sc-sev-${f.severity}`, dataset: { n, code: f.code }, part: 'finding' },
    h('div', { class: 'sc-finding-head' },
      h('span', { class: 'sc-finding-n', 'aria-hidden': 'true', text: n }),
      badge(f.severity),
      ruleLink(f.code, ctx),
      h('span', { class: 'sc-finding-msg' }, inlineCode(f.message))),
    f.name ? h('div', { class: 'sc-finding-where' }, 'at ', h('code', { text: f.name })) : null,
    relatedLine(f, text),
    showRecord && f.record != null
      ? highlightRecord(f.record, findingMarks(f, n), { tag: 'code', cls: 'sc-record sc-record-inline' })
      : null,
    f.help ? helpBlock(f.help, `the fix for ${f.code}${f.name ? ` at ${f.name}` : ''}`) : null);
  // Pointing at a finding lights up its marks, and those of its related place, in the records
  // above it.
  const toggle = (on) => {
    const card = item.closest('.sc-card, .sc-parsed');
    for (const mark of card?.querySelectorAll('.sc-mark') ?? []) {
      const ns = `${mark.dataset.findings} ${mark.dataset.related ?? ''}`.split(' ');
      if (ns.includes(String(n))) mark.classList.toggle('sc-active', on);
    }
  };
  item.addEventListener('pointerenter', () => toggle(true));
  item.addEventListener('pointerleave', () => toggle(false));
  item.addEventListener('focusin', () => toggle(true));
  item.addEventListener('focusout', () => toggle(false));
  return item;
}

// ------------------------------------------------------------------------------ rule documentation

function refLinks(refs) {
  const out = [];
  const re = /RFC\s?(\d{3,5})(?:\s*§\s*([\d.]+\d))?/g;
  let last = 0;
  for (const m of String(refs).matchAll(re)) {
    out.push(refs.slice(last, m.index));
    const href = `https://www.rfc-editor.org/rfc/rfc${m[1]}${m[2] ? `#section-${m[2]}` : ''}`;
    out.push(h('a', { href, rel: 'noopener noreferrer', target: '_blank', text: m[0] }));
    last = m.index + m[0].length;
  }
  out.push(String(refs).slice(last));
  return out;
}

/**
 * The documentation of one rule. `rule` comes from rules() (code, name, severity, weight) and,
 * once rules.json has arrived, carries the five sections too; `pending` says what to show in
 * their place until then.
 */
export function ruleDoc(rule, pending = null) {
  const sections = rule.checks === undefined
    ? [h('p', { class: 'sc-muted', text: pending ?? 'The documentation is not available.' })]
    : [
      h('h3', { text: 'What it checks' }), h('p', { text: rule.checks }),
      h('h3', { text: 'Why it matters' }), h('p', { text: rule.why }),
      h('h3', { text: 'Problematic' }), codeBlock(rule.problematic, `the problematic example of ${rule.code}`),
      h('h3', { text: 'Corrected' }), codeBlock(rule.corrected, `the corrected example of ${rule.code}`),
      h('h3', { text: 'References' }), h('p', {}, refLinks(rule.references)),
    ];
  return h('article', { class: 'sc-rule', part: 'rule' },
    h('h2', { class: 'sc-rule-title' }, h('code', { text: rule.code }), ' ', h('span', { text: rule.name })),
    h('p', { class: 'sc-rule-meta' },
      badge(rule.severity),
      h('span', { text: ` ${rule.category} · area: ${AREA_TITLES[rule.area] ?? rule.area} · weight ${rule.weight} point${rule.weight === 1 ? '' : 's'}` })),
    ...sections);
}

/**
 * A modal dialog that shows rule documentation; one per root (document or shadow root).
 * `rules()` gives the catalogue from the wasm module; `loadDocs()` (optional) resolves to a Map
 * of the documented rules, fetched the first time a dialog opens.
 */
export function ruleDialog(root, rules, loadDocs = null) {
  const body = h('div', { class: 'sc-dialog-body', 'aria-live': 'polite' });
  const close = h('button', { type: 'button', class: 'sc-dialog-close', part: 'button', 'aria-label': 'Close', text: 'Close' });
  const dialog = h('dialog', { class: 'sc-dialog', part: 'dialog', 'aria-label': 'Rule documentation' }, close, body);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
  root.append(dialog);
  let showing = null;
  return {
    element: dialog,
    open(code) {
      showing = code;
      const rule = rules().get(code);
      if (!rule) {
        body.replaceChildren(h('p', { text: `No documentation for ${code}.` }));
      } else if (rule.checks !== undefined || !loadDocs) {
        body.replaceChildren(ruleDoc(rule));
      } else {
        body.replaceChildren(ruleDoc(rule, 'Loading the documentation…'));
        loadDocs().then(
          (docs) => {
            const documented = docs.get(code);
            if (documented) rules().set(code, { ...rule, ...documented });
            if (showing === code) body.replaceChildren(ruleDoc(documented ? { ...rule, ...documented } : rule));
          },
          (err) => {
            if (showing === code) {
              body.replaceChildren(ruleDoc(rule, `The documentation could not be loaded (${err?.message ?? err}). Check the connection and open the rule again.`));
            }
          },
        );
      }
      if (!dialog.open) dialog.showModal();
      close.focus();
    },
    close() { if (dialog.open) dialog.close(); },
  };
}

// ------------------------------------------------------------------------------ SPF include tree

function spfTree(node, ctx, depth = 0) {
  const crossed = node.limit_crossed || node.void_limit_crossed;
  const total = node.total_lookups ?? 0;
  const voids = node.total_void_lookups ?? 0;
  const crossedText = [node.limit_crossed && 'lookup limit crossed here', node.void_limit_crossed && 'void-lookup limit crossed here'].filter(Boolean).join('; ');
  const summary = h('summary', { class: 'sc-tree-summary' },
    h('span', { class: 'sc-tree-via' }, h('code', { text: node.via ?? node.domain })),
    node.via ? h('span', { class: 'sc-muted', text: ` → ${node.domain}` }) : null,
    h('span', { class: 'sc-tree-counts' },
      h('span', { text: `+${node.lookups} lookup${node.lookups === 1 ? '' : 's'}` }),
      h('span', { class: ['sc-total', total > 10 && 'sc-over'], text: ` · ${total}/10` }),
      node.void_lookups || voids ? h('span', { class: ['sc-total', voids > 2 && 'sc-over'], text: ` · ${node.void_lookups} void (${voids}/2)` }) : null,
      node.result ? h('span', { text: ` · ${node.result}` }) : null),
    crossed ? h('span', { class: 'sc-crossed', text: crossedText }) : null,
    node.error ? badge('fail', 'error') : null);
  // The terms that lead to a failing or limit-crossing child are marked in this record.
  const marks = (node.children ?? [])
    .filter((c) => c.via_span && (c.error || containsCrossing(c)))
    .map((c) => ({ span: c.via_span, severity: c.error ? 'error' : 'warning', label: c.error ?? 'the lookup limit is crossed below this term' }));
  const body = h('div', { class: 'sc-tree-body' },
    // A node with an error and no record was not read (a loop, a failed lookup): its error
    // says why; "no SPF record" would claim the name has none.
    node.record != null ? highlightRecord(node.record, marks) : node.error ? null : h('p', { class: 'sc-muted', text: 'no SPF record' }),
    node.error ? h('p', { class: 'sc-tree-error', text: node.error }) : null,
    node.children?.length ? h('ul', { class: 'sc-tree' }, node.children.map((c) => h('li', {}, spfTree(c, ctx, depth + 1)))) : null);
  // Open down to where something is wrong: the first two levels, and every branch that holds
  // a crossed limit or an error (a loop two levels down was hidden in a closed branch).
  return h('details', { class: ['sc-tree-node', crossed && 'sc-limit-crossed'], open: depth < 2 || crossed || containsCrossing(node) || containsError(node), dataset: { domain: node.domain } }, summary, body);
}

function containsCrossing(node) {
  return node.limit_crossed || node.void_limit_crossed || (node.children ?? []).some(containsCrossing);
}

function containsError(node) {
  return Boolean(node.error) || (node.children ?? []).some(containsError);
}

// ------------------------------------------------------------------------------ check details

function lookupsMeter(lookups, voids) {
  const over = lookups > 10;
  const scale = Math.max(10, lookups);
  const tone = over ? 'bad' : lookups >= 8 ? 'warn' : 'good';
  const label = `${lookups} of 10 DNS lookups`;
  return h('p', { class: ['sc-lookups', over && 'sc-over'] },
    h('svg:svg', { class: `sc-lookup-bar sc-fill-${tone}`, viewBox: `0 0 ${scale} 10`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${label} against the limit of 10` },
      h('svg:rect', { class: 'sc-bar-bg', x: 0, y: 0, width: scale, height: 10 }),
      h('svg:rect', { class: 'sc-lookup-fill', x: 0, y: 0, width: lookups, height: 10 }),
      h('svg:line', { class: 'sc-limit-tick', x1: 10, x2: 10, y1: 0, y2: 10 })),
    h('span', { text: ` ${label}${over ? ' — over the limit' : ''}; ${voids} void lookup${voids === 1 ? '' : 's'} (limit 2)` }));
}

function recordSection(title, text, findings, ctx, shown) {
  if (text == null) return null;
  shown.add(text);
  const marks = findings
    .filter((f) => f.record === text && f.span)
    .flatMap((f) => findingMarks(f, f._n));
  return h('div', { class: 'sc-record-wrap' },
    h('div', { class: 'sc-record-label', text: title }),
    highlightRecord(text, marks, { tag: 'code', cls: 'sc-record sc-record-block' }));
}

const DETAILS = {
  mx(c) {
    return [
      c.null_mx ? h('p', { text: 'Null MX (preference 0, "."): this domain says it accepts no mail.' }) : null,
      c.implicit ? h('p', { text: 'No MX record: senders fall back to the domain’s own address (implicit MX).' }) : null,
      c.records?.length
        ? table('MX hosts', ['Pref.', 'Host', 'Addresses', 'Status'], c.records.map((r) => [
          String(r.preference), h('code', { text: r.exchange }),
          list(r.addresses, 'no address'), [badge(r.status), r.is_cname ? h('span', { class: 'sc-muted', text: ' CNAME (not allowed)' }) : null],
        ]))
        : null,
    ];
  },
  spf(c, f, ctx, shown) {
    return [
      recordSection(`Published at ${c.name}`, c.record, f, ctx, shown),
      c.record != null ? lookupsMeter(c.lookups, c.void_lookups) : null,
      c.result ? h('p', {}, 'Result for the first sending IP: ', h('strong', { text: c.result }), c.matched ? [' (matched ', h('code', { text: c.matched }), ')'] : null) : null,
      c.tree ? h('div', { class: 'sc-tree-wrap' }, h('h4', { text: 'Include tree' }), h('ul', { class: 'sc-tree sc-tree-root' }, h('li', {}, spfTree(c.tree, ctx)))) : null,
    ];
  },
  dmarc(c, f, ctx, shown) {
    return [
      recordSection(`Published at ${c.found_at ? `_dmarc.${c.found_at}` : '(not found)'}`, c.record, f, ctx, shown),
      c.record != null ? dl([
        ['Policy', c.policy ?? 'none given'],
        c.subdomain_policy ? ['Subdomain policy', c.subdomain_policy] : null,
        c.nonexistent_policy ? ['Non-existent subdomains', c.nonexistent_policy] : null,
        ['Alignment', `DKIM ${c.adkim === 's' ? 'strict' : 'relaxed'}, SPF ${c.aspf === 's' ? 'strict' : 'relaxed'}`],
        c.testing ? ['Testing', 't=y (receivers apply one step weaker)'] : null,
        ['Aggregate reports', list(c.rua)],
        ['Failure reports', list(c.ruf)],
        c.external_reports?.length ? ['External report domains', h('ul', { class: 'sc-plain-list' }, c.external_reports.map((x) => h('li', {},
          h('code', { text: x.uri }), ` — ${x.domain}: authorized ${yesNo(x.authorized)}`)))] : null,
      ]) : null,
      c.walk?.length ? h('p', { class: 'sc-muted sc-walk' }, 'Looked up: ', c.walk.map((n, i) => [i ? ', ' : null, h('code', { text: n })])) : null,
    ];
  },
  dkim(c, f, ctx, shown) {
    return [
      c.selectors?.length
        ? h('ul', { class: 'sc-selectors' }, c.selectors.map((s) => h('li', { class: 'sc-selector', dataset: { selector: s.selector } },
          h('div', { class: 'sc-selector-head' },
            badge(s.status), ' ', h('code', { text: s.selector }),
            h('span', { class: 'sc-muted', text: ` ${[
              s.key_type && `${s.key_type}${s.key_bits ? ` ${s.key_bits}-bit` : ''}`,
              s.testing && 'testing',
              s.revoked && 'revoked',
              s.given ? 'given' : 'probed',
            ].filter(Boolean).join(' · ')}` })),
          s.record != null ? recordSection(s.name, s.record, f, ctx, shown) : h('p', { class: 'sc-muted' }, 'no record at ', h('code', { text: s.name })))))
        : null,
      h('p', { class: 'sc-muted', text: `${c.probed ?? 0} common selectors probed${c.domainkey_absent ? '; no name exists under _domainkey' : ''}.` }),
    ];
  },
  mta_sts(c, f, ctx, shown) {
    const states = {
      fetched: 'Policy fetched.',
      not_checkable_from_browser: 'The policy file cannot be read from a browser (no CORS); the command-line tool can fetch it.',
      failed: 'The policy file could not be fetched.',
      not_fetched: 'The policy file was not fetched.',
    };
    return [
      recordSection('Record', c.record, f, ctx, shown),
      c.id || c.record != null ? dl([
        c.id ? ['Policy id', h('code', { text: c.id })] : null,
        c.policy_url ? ['Policy file', h('a', { href: c.policy_url, rel: 'noopener noreferrer', target: '_blank', class: 'sc-url' }, h('code', { text: c.policy_url }))] : null,
      ]) : null,
      c.record != null ? h('p', { text: states[c.policy_status] ?? c.policy_status ?? '' }) : null,
      c.policy ? [
        dl([['Mode', c.policy.mode ?? '—'], ['Max age', c.policy.max_age != null ? `${c.policy.max_age} s` : '—'], ['MX patterns', list(c.policy.mx)]]),
        h('pre', { class: 'sc-policy' }, h('code', { text: c.policy.text })),
      ] : null,
    ];
  },
  tls_rpt(c, f, ctx, shown) {
    return [recordSection('Record', c.record, f, ctx, shown), c.record != null ? dl([['Reports to', list(c.rua)]]) : null];
  },
  bimi(c, f, ctx, shown) {
    return [
      recordSection('Record', c.record, f, ctx, shown),
      c.record != null ? dl([['Logo', c.logo ? h('code', { text: c.logo }) : 'none'], ['Authority (VMC)', c.authority ? h('code', { text: c.authority }) : 'none']]) : null,
    ];
  },
  dnssec(c) {
    return [h('p', { text: c.validated ? 'Answers were DNSSEC-validated by the resolver.' : 'Answers were not DNSSEC-validated.' })];
  },
  reputation(c) {
    return [
      h('p', { class: 'sc-muted', text: 'Domain lists (Spamhaus DBL, SURBL, URIBL) name domains seen in spam; receivers check the sender’s domain and the links in a message against them.' }),
      c.blocklists?.length ? blocklistTable('Domain reputation lists', c.blocklists) : h('p', { class: 'sc-muted', text: 'No domain list was asked.' }),
    ];
  },
  ip(ips, asked = []) {
    const list2 = Array.isArray(ips) ? ips : ips ? [ips] : [];
    return [
      list2.length === 0 && !asked.length ? h('p', { class: 'sc-muted', text: 'No sending IP given. Add one under Options to check its reverse DNS, SPF result and blocklists.' }) : null,
      list2.length === 0 && asked.length ? h('p', { class: 'sc-muted' }, 'The sending-IP checks did not run for ', asked.map((ip, i) => [i ? ', ' : null, h('code', { text: ip })]), '.') : null,
      list2.map((ip) => h('section', { class: 'sc-ip', dataset: { address: ip.address } },
        h('h4', {}, badge(ip.status), ' ', h('code', { text: ip.address })),
        ip.summary ? h('p', { text: ip.summary }) : null,
        // For an unknown IP the cause is why it could not be judged; for a failing or warned
        // one it is the worst finding, which is no "cause" in that sense.
        ip.cause ? h('p', { class: 'sc-cause', text: `${ip.status === 'unknown' ? 'Cause' : 'Main problem'}: ${ip.cause}` }) : null,
        dl([
          ['Reverse DNS (PTR)', list(ip.ptr, 'no PTR record')],
          ['Forward-confirmed (FCrDNS)', yesNo(ip.fcrdns)],
          ['SPF result', ip.spf_result ? [h('strong', { text: ip.spf_result }), ip.spf_matched ? [' (matched ', h('code', { text: ip.spf_matched }), ')'] : null] : 'not evaluated'],
        ]),
        ip.blocklists?.length ? blocklistTable(`Blocklists for ${ip.address}`, ip.blocklists) : null)),
      h('aside', { class: 'sc-port25', part: 'note', 'aria-label': 'About port 25' }, h('p', { text: PORT25_STATEMENT })),
    ];
  },
};

const LISTING_LABELS = { abuse: 'spam or abuse', policy: 'policy listing', advisory: 'advisory listing' };

/**
 * One row per list: the list and the name asked, the verdict, the answer, what the list says it
 * means (or why nothing could be concluded), and the list's own lookup page.
 */
function blocklistTable(caption, lists) {
  return table(caption, ['List', 'Status', 'Answer', 'Meaning / reason', 'Look up'], lists.map((b) => [
    [h('span', { class: 'sc-list-name', text: b.name || b.zone }), b.query ? [h('br'), h('code', { class: 'sc-muted sc-query', text: b.query })] : null],
    [badge(b.status), b.listing ? h('span', { class: 'sc-muted', text: ` ${LISTING_LABELS[b.listing] ?? b.listing}` }) : null],
    b.answer ? h('code', { class: 'sc-answer', text: b.answer }) : '—',
    [b.meaning, b.reason, b.detail].filter(Boolean).map((text, i) => [i ? h('br') : null, h('span', { class: i ? 'sc-muted' : null, text })]),
    b.lookup ? h('a', { href: b.lookup, rel: 'noopener noreferrer', target: '_blank', class: 'sc-lookup-link', 'aria-label': `Look up on ${b.name || b.zone}`, text: 'Look up' }) : '—',
  ]), 'sc-blocklists');
}

function worstIpStatus(ips) {
  const order = ['fail', 'unknown', 'warn', 'missing', 'pass'];
  for (const s of order) if (ips.some((x) => x.status === s)) return s;
  return 'pass';
}

// ------------------------------------------------------------------------------ score

function areaBar(a) {
  const pct = (x) => (a.max > 0 ? Math.max(0, Math.min(100, (x / a.max) * 100)) : 0);
  const e = pct(a.earned);
  const l = pct(a.lost);
  const u = pct(a.unknown);
  const title = AREA_TITLES[a.area] ?? a.area;
  const label = `${title}: ${a.earned} of ${a.max} points; ${a.lost} lost${a.unknown ? `, ${a.unknown} unknown` : ''}`;
  return h('li', { class: 'sc-area', dataset: { area: a.area } },
    h('span', { class: 'sc-area-name', text: title }),
    h('svg:svg', { class: 'sc-bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': label, part: 'bar' },
      h('svg:rect', { class: 'sc-bar-bg', x: 0, y: 0, width: 100, height: 10 }),
      h('svg:rect', { class: 'sc-bar-earned', x: 0, y: 0, width: e, height: 10 }),
      h('svg:rect', { class: 'sc-bar-lost', x: e, y: 0, width: l, height: 10 }),
      h('svg:rect', { class: 'sc-bar-unknown', x: e + l, y: 0, width: u, height: 10 })),
    h('span', { class: 'sc-area-points', text: `${a.earned}/${a.max}${a.unknown ? ` (${a.unknown}?)` : ''}` }));
}

function requirementsTable(reqs) {
  return table('Mailbox provider requirements', ['Provider', 'Scope', 'Requirement', 'Status', 'Detail', 'Source'], reqs.map((r) => [
    h('strong', { text: r.provider }), r.scope, r.requirement, badge(r.status), r.detail,
    h('a', { href: r.source, rel: 'noopener noreferrer', target: '_blank' }, `${r.provider} guidelines`, h('span', { class: 'sc-muted', text: ` (${r.date})` })),
  ]), 'sc-requirements-table');
}

// ------------------------------------------------------------------------------ the report view

/** Whether a check's cause says the resolver itself could not be reached or used. */
function resolverFault(cause) {
  return /network error|no answer before the timeout|DoH server answered HTTP|malformed answer/i.test(String(cause ?? ''));
}

/**
 * A streaming report. start() lays out every check as pending; progress() fills one in with its
 * findings as it settles; done() settles score and requirements. The container carries
 * data-status and data-score.
 *
 * ctx: { compact, rules: Map<code, Rule>, onRule(code), ruleHref(code)?, onRetry(check), announce(msg) }
 */
export class ReportView {
  constructor(container, ctx = {}) {
    this.container = container;
    this.ctx = ctx;
    this.cards = new Map();
    this.results = new Map();
    this.findings = new Map();
    this.ips = [];
    this.report = null;
  }

  /** ips: the sending IPs asked for; with none the IP card settles at once as "not checked". */
  start(domain, { keep = false, pending = CHECK_ORDER, ips = [] } = {}) {
    const c = this.container;
    c.dataset.status = 'running';
    delete c.dataset.score;
    delete c.dataset.grade;
    c.setAttribute('aria-busy', 'true');
    this.ips = ips;
    if (keep && this.cards.size) {
      for (const name of pending) {
        this.results.delete(name);
        this.setCard(name, null);
      }
      this.notesEl.replaceChildren();
      this.scoreEl.replaceChildren(this.scorePending());
      return;
    }
    this.results.clear();
    this.findings.clear();
    this.report = null;
    this.title = h('h2', { class: 'sc-report-title', part: 'title' }, 'Report for ', h('span', { class: 'sc-domain', text: domain }));
    this.actions = h('div', { class: 'sc-actions' });
    this.notesEl = h('div', { class: 'sc-notes' });
    this.scoreEl = h('section', { class: 'sc-score', part: 'score', 'aria-label': 'Score' }, this.scorePending());
    this.checksEl = h('div', { class: 'sc-checks' });
    this.reqEl = h('section', { class: 'sc-requirements', hidden: true });
    this.metaEl = h('p', { class: 'sc-meta sc-muted' });
    this.cards.clear();
    for (const name of CHECK_ORDER) {
      const card = h('section', { class: 'sc-card', id: `check-${name}`, dataset: { check: name, status: 'pending' }, part: 'card', 'aria-labelledby': `check-${name}-title` });
      this.cards.set(name, card);
      this.checksEl.append(card);
      this.setCard(name, null);
    }
    c.replaceChildren(h('header', { class: 'sc-report-head' }, this.title, this.actions), this.notesEl, this.scoreEl, this.checksEl, this.reqEl, this.metaEl);
    // No sending IP asked for: nothing will come for that card, so it is settled now.
    if (!ips.length) this.settle('ip', [], []);
  }

  scorePending() {
    return h('p', { class: 'sc-score-pending' }, badge('pending'), ' The score settles when every check is done.');
  }

  /** A progress event { check, result, findings }: the check's card with its findings. */
  progress({ check, result, findings }) {
    if (!this.cards.has(check)) return;
    const value = check === 'ip' && result && !Array.isArray(result) ? [result] : result;
    this.settle(check, value, findings ?? []);
    const done = this.results.size;
    this.ctx.announce?.(`${CHECK_TITLES[check]}: ${STATUS_LABELS[this.statusOf(check, value)]}. ${done} of ${CHECK_ORDER.length} checks done.`);
  }

  settle(check, value, findings) {
    this.results.set(check, value);
    this.findings.set(check, findings);
    this.setCard(check, value, findings);
  }

  statusOf(check, value) {
    if (value === null) return 'pending';
    if (check === 'ip') return value?.length ? worstIpStatus(value) : this.ips.length ? 'unknown' : 'skipped';
    return value?.status ?? 'unknown';
  }

  /** Draws one card. value null = pending. */
  setCard(name, value, findings = []) {
    const card = this.cards.get(name);
    // Redrawing a card drops what had focus in it (the Retry button a keyboard user just
    // pressed): focus goes on to the new card's Retry button, or else its title.
    const root = card.getRootNode();
    const hadFocus = card.contains(root.activeElement ?? null);
    if (hadFocus) queueMicrotask(() => {
      const target = card.querySelector('.sc-retry') ?? card.querySelector('.sc-card-title');
      target?.focus();
    });
    const status = this.statusOf(name, value);
    card.dataset.status = status;
    const titleId = `check-${name}-title`;
    const head = h('header', { class: 'sc-card-head' },
      h('h3', { id: titleId, class: 'sc-card-title', tabindex: '-1', text: CHECK_TITLES[name] }),
      badge(status));
    if (value === null) {
      card.setAttribute('aria-busy', 'true');
      card.replaceChildren(head, h('p', { class: 'sc-summary sc-muted', text: name === 'ip' ? 'Checking the sending IPs…' : 'Checking…' }));
      return;
    }
    card.removeAttribute('aria-busy');
    const numbered = findings.map((f, i) => ({ ...f, _n: i + 1 }));
    const summary = name === 'ip'
      ? (value?.length ? `${value.length} sending IP${value.length === 1 ? '' : 's'} checked` : this.ips.length ? 'Sending IPs not checked' : 'No sending IP given')
      : value?.summary ?? '';
    const children = [head, h('p', { class: 'sc-summary', text: summary })];
    const cause = name !== 'ip' ? value?.cause : null;
    if (status === 'unknown' && name !== 'ip') {
      children.push(h('div', { class: 'sc-unknown', role: 'note' },
        h('p', { class: 'sc-cause', text: `Cause: ${cause ?? 'not given'}` }),
        this.ctx.onRetry ? h('button', { type: 'button', class: 'sc-retry', part: 'button', 'on:click': () => this.ctx.onRetry(name), text: 'Retry', 'aria-label': `Retry the ${CHECK_TITLES[name]} check` }) : null));
    }
    if (!this.ctx.compact) {
      const shown = new Set();
      const details = name === 'ip' ? DETAILS.ip(value, this.ips) : DETAILS[name](value, numbered, this.ctx, shown);
      children.push(h('div', { class: 'sc-card-body' }, details));
      if (numbered.length) {
        children.push(h('ol', { class: 'sc-findings', 'aria-label': `${CHECK_TITLES[name]} findings` },
          numbered.map((f) => findingItem(f, f._n, this.ctx, { showRecord: f.record != null && !shown.has(f.record) }))));
      }
    } else if (numbered.length) {
      const worst = numbered.reduce((n, f) => n + (f.severity !== 'info'), 0);
      if (worst) children.push(h('p', { class: 'sc-muted', text: `${worst} finding${worst === 1 ? '' : 's'} to fix` }));
    }
    card.replaceChildren(...children);
  }

  done(report) {
    this.report = report;
    const c = this.container;
    const byCheck = new Map(CHECK_ORDER.map((n) => [n, []]));
    for (const f of report.findings ?? []) byCheck.get(f.check)?.push(f);
    for (const name of CHECK_ORDER) {
      const value = name === 'ip' ? report.checks.ip ?? [] : report.checks[name] ?? { status: 'unknown', summary: 'not reported', cause: 'the report has no result for this check' };
      // Cards already drawn from their progress event stay as they are (open tree nodes,
      // focus); only a check that sent no event, or whose findings differ, is drawn again.
      const same = this.results.has(name) && this.findings.get(name)?.length === byCheck.get(name).length
        && (name !== 'ip' || (this.results.get(name)?.length ?? 0) === value.length);
      if (!same) this.settle(name, value, byCheck.get(name));
    }
    const domain = report.display_domain || report.domain;
    this.title.querySelector('.sc-domain').textContent = domain;
    this.title.querySelector('.sc-alabel')?.remove();
    if (report.display_domain && report.display_domain !== report.domain) {
      this.title.append(h('span', { class: 'sc-muted sc-alabel', text: ` (${report.domain})` }));
    }
    this.notesEl.replaceChildren(...this.notes(report));
    this.scoreEl.replaceChildren(...this.scoreView(report).filter(Boolean));
    if (!this.ctx.compact && report.requirements?.length) {
      this.reqEl.hidden = false;
      this.reqEl.replaceChildren(h('h3', { text: 'Mailbox provider requirements' }), requirementsTable(report.requirements));
    } else {
      this.reqEl.hidden = true;
    }
    const resolvers = (report.resolvers ?? []).join(', ');
    this.metaEl.textContent = `${report.queries} DNS queries (critical path ${report.critical_path}) in ${(report.elapsed_ms / 1000).toFixed(2)} s${resolvers ? ` via ${resolvers}` : ''}.`;
    // Too few checks judged (half the points or more unknown): score and grade are null, and the attributes are empty.
    c.dataset.score = report.score == null ? '' : String(report.score);
    c.dataset.grade = report.grade ?? '';
    c.dataset.status = 'done';
    c.removeAttribute('aria-busy');
    const unreachable = this.unreachable(report);
    const verdict = report.score == null ? 'not judged, too few checks could be completed' : `grade ${report.grade}, ${report.score} of 100`;
    this.ctx.announce?.(unreachable ? `Done, but ${unreachable}` : `Done: ${verdict}.`);
  }

  /**
   * A sentence when no check got an answer because the resolver failed, else null: every check
   * unknown, and the domain's own MX, SPF and DMARC lookups failed at the resolver (DKIM and
   * DNSSEC summarise their failures without naming one cause).
   */
  unreachable(report) {
    const checks = CHECK_ORDER.filter((n) => n !== 'ip').map((n) => report.checks[n]).filter(Boolean);
    const core = ['mx', 'spf', 'dmarc'].map((n) => report.checks[n]);
    if (!checks.length || !checks.every((x) => x.status === 'unknown') || !core.every((x) => x && resolverFault(x.cause))) return null;
    const resolvers = (report.resolvers ?? []).join(', ') || 'the resolver';
    if (core.every((x) => /no answer before the timeout/i.test(x.cause))) {
      return `No DNS answer arrived before the timeout from ${resolvers}. Retry, or choose another resolver under Options.`;
    }
    const cause = String(core[0].cause ?? '').replace(/^[^:]*:\s*/, '');
    return `DNS is unreachable: ${resolvers} gave no usable answer (${cause}). Check your connection, or choose another resolver under Options; a resolver that does not allow browsers (CORS) fails this way too.`;
  }

  notes(report) {
    const notes = [];
    const unreachable = this.unreachable(report);
    if (unreachable) notes.push(h('div', { class: 'sc-error sc-unreachable', role: 'alert', part: 'error' }, badge('unknown', 'Unreachable'), ' ', h('span', { text: unreachable })));
    if (report.parked) {
      notes.push(h('p', { class: 'sc-note sc-parked', part: 'note', text: 'This domain is set up as one that sends no mail (parked: Null MX or no MX, SPF -all, DMARC reject), and is judged as one: DKIM, MTA-STS, TLS-RPT and BIMI do not count.' }));
    }
    return notes;
  }

  scoreView(r) {
    // score and grade are null when half the points or more could not be judged.
    const judged = r.score != null && r.grade != null;
    const grade = judged
      ? h('div', { class: `sc-grade sc-grade-${String(r.grade).toLowerCase()}`, role: 'img', 'aria-label': `Grade ${r.grade}`, part: 'grade' }, h('span', { text: r.grade }))
      : h('div', { class: 'sc-grade sc-grade-none', role: 'img', 'aria-label': 'Not judged', part: 'grade' }, h('span', { text: '–' }));
    const unknown = r.unknown_points;
    return [
      h('div', { class: 'sc-score-main' }, grade,
        h('div', {},
          judged
            ? h('p', { class: 'sc-score-number' }, h('strong', { text: String(r.score) }), ' / 100')
            : h('p', { class: 'sc-score-number sc-not-judged' }, h('strong', { text: 'not judged' }), h('span', { class: 'sc-muted', text: ': too few checks could be completed for a score' })),
          r.grade_cap ? h('p', { class: 'sc-grade-cap', text: `Grade capped: ${r.grade_cap}.` }) : null,
          unknown
            ? h('p', { class: 'sc-muted', text: `${unknown} point${unknown === 1 ? '' : 's'} unknown: checks that could not be completed are neither counted for nor against.` })
            : h('p', { class: 'sc-muted', text: 'Every check completed.' }))),
      this.ctx.compact ? null : h('ul', { class: 'sc-areas', 'aria-label': 'Score by area' }, (r.areas ?? []).map(areaBar)),
      this.ctx.compact ? null : h('p', { class: 'sc-legend sc-muted', 'aria-hidden': 'true' },
        h('span', { class: 'sc-key sc-key-earned' }), ' earned ', h('span', { class: 'sc-key sc-key-lost' }), ' lost ', h('span', { class: 'sc-key sc-key-unknown' }), ' unknown'),
    ];
  }

  fail(message) {
    const c = this.container;
    c.dataset.status = 'error';
    c.removeAttribute('aria-busy');
    c.replaceChildren(h('div', { class: 'sc-error', role: 'alert', part: 'error' }, badge('fail', 'Error'), ' ', h('span', { text: message })));
    this.cards.clear();
  }
}

// ------------------------------------------------------------------------------ paste mode

/** The line of `text` holding a byte span, with the span re-based onto that line. */
function lineOf(text, span) {
  const r = byteSpanToRange(text, span);
  if (!r) return null;
  const start = text.lastIndexOf('\n', r.start - 1) + 1;
  let end = text.indexOf('\n', r.start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end).replace(/\r$/, '');
  const number = lineAt(text, start).line;
  const { bytes, units } = textIndex(text);
  const lineStartBytes = bytes[countUpTo(units, start, true)];
  const rebase = (s) => ({ start: s.start - lineStartBytes, end: s.end - lineStartBytes });
  return { line, number, span: rebase(span), rebase };
}

/**
 * The lines of zone text a diagnostic marks: its span's line and, when its related place is on
 * another line, that line too, in line order.
 */
function zoneLines(text, d, n) {
  const loc = lineOf(text, d.span);
  if (!loc) return [];
  const own = { span: loc.span, severity: d.severity, n, label: d.message };
  const lines = [{ loc, marks: [own] }];
  const rel = d.related ? lineOf(text, d.related) : null;
  if (rel) {
    const mark = { severity: d.severity, n, label: `${relatedLabel(d)}, for ${d.message}`, related: true };
    if (rel.number === loc.number) lines[0].marks.push({ ...mark, span: loc.rebase(d.related) });
    else lines.splice(rel.number < loc.number ? 0 : 1, 0, { loc: rel, marks: [{ ...mark, span: rel.span }] });
  }
  return lines.map(({ loc: l, marks }) => h('div', { class: 'sc-zone-line' },
    h('span', { class: 'sc-line-no', text: `line ${l.number}` }),
    highlightRecord(l.line, marks)));
}

/** Renders parse(text) diagnostics with located highlights. */
export function renderParseResult(result, text, ctx = {}) {
  const records = result.records ?? [];
  const zoneDiags = result.diagnostics ?? [];
  const all = [...zoneDiags, ...records.flatMap((r) => r.diagnostics ?? [])];
  const count = (s) => all.filter((d) => d.severity === s).length;
  const parts = [
    h('p', { class: 'sc-parse-summary' },
      `${records.length} record${records.length === 1 ? '' : 's'}: `,
      `${count('error')} error${count('error') === 1 ? '' : 's'}, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, ${count('info')} note${count('info') === 1 ? '' : 's'}.`),
  ];
  if (zoneDiags.length) {
    parts.push(h('section', { class: 'sc-parsed sc-parsed-zone' },
      h('h4', { text: result.kind === 'zone' && records.length ? 'Zone text' : 'Pasted text' }),
      h('ol', { class: 'sc-findings' }, zoneDiags.map((d, i) => {
        const item = findingItem(d, i + 1, ctx, { text });
        const after = item.children[1] ?? null;
        for (const line of zoneLines(text, d, i + 1)) item.insertBefore(line, after);
        return item;
      }))));
  }
  records.forEach((rec) => {
    const diags = (rec.diagnostics ?? []).map((d, i) => ({ ...d, _n: i + 1 }));
    parts.push(h('section', { class: 'sc-parsed', dataset: { kind: rec.kind }, part: 'card' },
      h('header', { class: 'sc-card-head' },
        h('h4', {},
          rec.line != null ? h('span', { class: 'sc-line-no', text: `line ${rec.line}` }) : null,
          ' ', h('span', { class: 'sc-kind', text: rec.kind.toUpperCase() }),
          rec.name ? [' at ', h('code', { text: rec.name })] : null),
        badge(diags.some((d) => d.severity === 'error') ? 'fail' : diags.some((d) => d.severity === 'warning') ? 'warn' : 'pass')),
      highlightRecord(rec.text, diags.flatMap((d) => findingMarks(d, d._n)), { tag: 'code', cls: 'sc-record sc-record-block' }),
      diags.length
        ? h('ol', { class: 'sc-findings' }, diags.map((d) => findingItem(d, d._n, ctx, { text: rec.text })))
        : h('p', { class: 'sc-muted', text: 'No problems found.' })));
  });
  if (!records.length && !zoneDiags.length && text.trim()) {
    parts.push(h('p', { class: 'sc-muted', text: 'No SPF, DMARC, DKIM, BIMI, MTA-STS or TLS-RPT record recognised yet.' }));
  }
  return parts;
}
