// The page: the form, the URL fragment, paste mode, export and the service worker.
// Rendering lives in render.js, shared with <sender-check>.

import { loadApi, loadRuleDocs } from './api.js';
import { ReportView, renderParseResult, ruleDialog, h, DEFAULT_RESOLVER, OFFLINE_MESSAGE, offlineFor } from './render.js';
import { trustedScriptURL } from './trusted.js';

const PASTE_KEY = 'sendercheck.paste';
const PREFLIGHT_KEY = 'sendercheck.preflight-domain';

const $ = (id) => document.getElementById(id);
const els = {
  form: $('check-form'), q: $('q'), qError: $('q-error'), ips: $('ips'), selectors: $('selectors'),
  options: $('options'), doh: $('doh'), dohError: $('doh-error'), ipsError: $('ips-error'), selectorsError: $('selectors-error'), status: $('status'), report: $('report'),
  paste: $('paste'), pasteResult: $('paste-result'), preflight: $('preflight'),
  preflightDomain: $('preflight-domain'), preflightError: $('preflight-error'),
  tabs: [$('tab-check'), $('tab-paste')],
};

let api = null;
let rulesMap = new Map();
let dialog = null;
let runId = 0;
let last = null; // { domain, options } of the last run, for Retry and export
let lastHash = null;
// Time allowed per DNS answer, from the fragment's `timeout=` (milliseconds); the API's default otherwise.
let timeoutMs = null;

const announce = (msg) => { els.status.textContent = msg; };

const view = new ReportView(els.report, {
  rules: rulesMap,
  ruleHref: (code) => `#rule/${encodeURIComponent(code)}`,
  onRule: (code) => dialog?.open(code),
  onRetry: (check) => { if (last) run(last.domain, last.options, { retry: check, input: last.input }); },
  announce,
});

// ------------------------------------------------------------------------------ fields

function showError(el, input, message) {
  el.textContent = message ?? '';
  el.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

const words = (s) => String(s ?? '').split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

function resolverFromForm() {
  const choice = els.form.querySelector('input[name="resolver"]:checked')?.value ?? DEFAULT_RESOLVER;
  if (choice !== 'custom') return choice;
  const raw = els.doh.value.trim();
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new FieldError(els.dohError, els.doh, 'enter the full URL of a DNS-over-HTTPS resolver, e.g. https://resolver.example/dns-query');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new FieldError(els.dohError, els.doh, 'the resolver URL must start with https:// (http:// only for a resolver on this machine)');
  }
  return url.href;
}

class FieldError extends Error {
  constructor(el, input, message) {
    super(message);
    this.el = el;
    this.input = input;
  }
}

/** An IPv4 address in dotted-quad form, or an IPv6 address (the URL parser reads those). */
function isIpAddress(text) {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text.split('.').every((n) => Number(n) <= 255 && !/^0\d/.test(n));
  if (!text.includes(':') || /[^0-9a-f:.]/i.test(text)) return false;
  try {
    return new URL(`http://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

function optionsFromForm() {
  showError(els.dohError, els.doh, null);
  showError(els.ipsError, els.ips, null);
  showError(els.selectorsError, els.selectors, null);
  const options = {};
  const ips = words(els.ips.value);
  // Said at the field, every bad one at once, and before anything runs: the report shown
  // stays as it is.
  const bad = ips.filter((ip) => !isIpAddress(ip));
  if (bad.length) {
    const list = bad.map((ip) => `"${ip}"`).join(', ');
    throw new FieldError(els.ipsError, els.ips, `${list} ${bad.length === 1 ? 'is not an IP address' : 'are not IP addresses'}; enter addresses like 192.0.2.1 or 2001:db8::1`);
  }
  const selectors = words(els.selectors.value);
  // A selector is one or more DNS labels (`s1`, `2024._brand`): letters, digits, `-` and `_`.
  const badSelectors = selectors.filter((s) => !/^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i.test(s));
  if (badSelectors.length) {
    const list = badSelectors.map((s) => `"${s}"`).join(', ');
    throw new FieldError(els.selectorsError, els.selectors, `${list} ${badSelectors.length === 1 ? 'is not a DKIM selector' : 'are not DKIM selectors'}; a selector has letters, digits, hyphens and dots, as in the s= tag of a DKIM-Signature header`);
  }
  if (ips.length) options.ips = ips;
  if (selectors.length) options.selectors = selectors;
  options.resolvers = [resolverFromForm()];
  if (timeoutMs) options.timeout_ms = timeoutMs;
  return options;
}

function setResolver(url) {
  const radios = [...els.form.querySelectorAll('input[name="resolver"]')];
  const match = radios.find((r) => r.value === url);
  if (match) {
    match.checked = true;
    els.doh.disabled = true;
  } else {
    $('resolver-custom').checked = true;
    els.doh.disabled = false;
    els.doh.value = url;
  }
}

els.form.addEventListener('change', (e) => {
  if (e.target.name === 'resolver') {
    els.doh.disabled = e.target.value !== 'custom';
    if (!els.doh.disabled) els.doh.focus();
  }
});

// ------------------------------------------------------------------------------ the fragment

/**
 * `#example.com&ip=192.0.2.1&selector=s1&doh=<url-encoded>&timeout=<ms>`, or `#rule/SPF010`, or
 * `#paste`.
 */
export function parseFragment(hash) {
  const raw = String(hash ?? '').replace(/^#/, '');
  if (!raw) return null;
  if (raw.startsWith('rule/')) return { rule: decodeURIComponent(raw.slice(5)) };
  if (raw === 'paste') return { paste: true };
  const q = { domain: '', ips: [], selectors: [], doh: null, timeout: null };
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    let key = eq < 0 ? null : part.slice(0, eq);
    let value = eq < 0 ? part : part.slice(eq + 1);
    try {
      value = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      // A malformed escape stays as typed; normalize_domain will say what is wrong with it.
    }
    if (key === null) key = q.domain ? 'unknown' : 'domain';
    if (key === 'domain') q.domain = value;
    else if (key === 'ip') q.ips.push(...words(value));
    else if (key === 'selector') q.selectors.push(...words(value));
    else if (key === 'doh') q.doh = value;
    else if (key === 'timeout' && /^\d{1,5}$/.test(value)) q.timeout = Number(value);
  }
  return q.domain ? q : null;
}

export function buildFragment(domain, options) {
  const parts = [encodeURIComponent(domain).replace(/%40/g, '@')];
  for (const ip of options.ips ?? []) parts.push(`ip=${encodeURIComponent(ip).replace(/%3A/gi, ':')}`);
  for (const s of options.selectors ?? []) parts.push(`selector=${encodeURIComponent(s)}`);
  const doh = options.resolvers?.[0];
  if (doh && doh !== DEFAULT_RESOLVER) parts.push(`doh=${encodeURIComponent(doh)}`);
  if (options.timeout_ms) parts.push(`timeout=${options.timeout_ms}`);
  return `#${parts.join('&')}`;
}

/**
 * Puts the query in the fragment. A check asked for in the form is a new history entry, so
 * Back returns to the report before it; a check opened from the fragment only tidies it.
 */
function setFragment(hash, { push = false } = {}) {
  lastHash = hash;
  if (location.hash === hash) return;
  if (push) history.pushState(null, '', hash);
  else history.replaceState(null, '', hash);
}

async function handleFragment() {
  if (location.hash === lastHash) return;
  lastHash = location.hash;
  const f = parseFragment(location.hash);
  if (!f) return;
  if (f.rule) {
    await ready;
    dialog?.open(f.rule);
    return;
  }
  if (f.paste) {
    selectTab(els.tabs[1]);
    return;
  }
  selectTab(els.tabs[0]);
  els.q.value = f.domain;
  els.ips.value = f.ips.join(' ');
  els.selectors.value = f.selectors.join(' ');
  setResolver(f.doh ?? DEFAULT_RESOLVER);
  timeoutMs = f.timeout;
  if (f.ips.length || f.selectors.length || f.doh) els.options.open = true;
  await submit();
}

window.addEventListener('hashchange', handleFragment);

// ------------------------------------------------------------------------------ running a check

async function submit({ push = false } = {}) {
  showError(els.qError, els.q, null);
  if (!(await ready)) return;
  let domain;
  try {
    domain = api.normalize_domain(els.q.value);
  } catch (err) {
    showError(els.qError, els.q, errorText(err));
    els.q.focus();
    return;
  }
  let options;
  try {
    options = optionsFromForm();
  } catch (err) {
    if (err instanceof FieldError) {
      els.options.open = true;
      showError(err.el, err.input, err.message);
      err.input.focus();
      return;
    }
    throw err;
  }
  setFragment(buildFragment(domain, options), { push });
  // An internationalised name typed in Unicode is checked as typed, so the report can show it
  // as the person wrote it beside its A-label (the browser has no A-label-to-Unicode API).
  const typed = els.q.value.trim();
  await run(domain, options, { input: /[^\x00-\x7f]/.test(typed) ? typed : domain });
}

els.form.addEventListener('submit', (e) => {
  e.preventDefault();
  submit({ push: true });
});

function errorText(err) {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^Error:\s*/, '');
}

function looksLikeNetworkFailure(err) {
  return err instanceof TypeError || /network|fetch|offline|unreachable/i.test(errorText(err));
}

/** Runs a check and streams it into the report. retry: the one check whose card goes pending. */
async function run(domain, options, { retry = null, input = domain } = {}) {
  const id = ++runId;
  last = { domain, options, input };
  if (offlineFor(options)) {
    view.fail(OFFLINE_MESSAGE);
    announce(OFFLINE_MESSAGE);
    return;
  }
  view.start(domain, { ips: options.ips ?? [], ...(retry ? { keep: true, pending: [retry] } : {}) });
  announce(`Checking ${domain}…`);
  try {
    const report = await api.check(input, options, (e) => {
      if (id === runId) view.progress(e);
    });
    if (id !== runId) return;
    view.done(report);
    addReportActions(report);
    if (view.unreachable(report)) announce(view.unreachable(report));
  } catch (err) {
    if (id !== runId) return;
    const message = looksLikeNetworkFailure(err)
      ? (offlineFor(options) ? OFFLINE_MESSAGE : `DNS is unreachable: ${errorText(err)}`)
      : `The check failed: ${errorText(err)}`;
    view.fail(message);
    announce(message);
  }
}

function addReportActions(report) {
  const download = h('button', { type: 'button', class: 'sc-button', 'on:click': () => exportJson(report), text: 'Download JSON' });
  const print = h('button', { type: 'button', class: 'sc-button', 'on:click': () => window.print(), text: 'Print' });
  view.actions.replaceChildren(download, print);
}

function exportJson(report) {
  const blob = new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const stamp = new Date().toISOString().slice(0, 10);
  const a = h('a', { download: `sendercheck-${report.domain}-${stamp}.json` });
  a.href = url;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Closed <details> do not print; open them all for the printout and restore afterwards.
let openedForPrint = [];
window.addEventListener('beforeprint', () => {
  openedForPrint = [...document.querySelectorAll('details:not([open])')];
  for (const d of openedForPrint) d.open = true;
});
window.addEventListener('afterprint', () => {
  for (const d of openedForPrint) d.open = false;
  openedForPrint = [];
});

// ------------------------------------------------------------------------------ tabs

function selectTab(tab) {
  for (const t of els.tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !on;
  }
  if (tab === els.tabs[1]) diagnosePaste();
}

for (const tab of els.tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (e) => {
    const i = els.tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: els.tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const target = els.tabs[(next + els.tabs.length) % els.tabs.length];
    selectTab(target);
    target.focus();
  });
}

// ------------------------------------------------------------------------------ paste mode

const store = (() => {
  for (const name of ['localStorage', 'sessionStorage']) {
    try {
      const s = window[name];
      s.setItem('sendercheck.probe', '1');
      s.removeItem('sendercheck.probe');
      return s;
    } catch {
      // Storage can be disabled; try the next one.
    }
  }
  return null;
})();

function save(key, value) {
  try {
    store?.setItem(key, value);
  } catch {
    // Quota exceeded: the text stays in the textarea, which is all we can do.
  }
}

let pasteTimer = 0;
let lastParsed = null;
// How long the last diagnosis took to parse and draw: a large paste (a thousand records) takes
// a few hundred milliseconds, and redrawing it at every pause in typing made typing stutter,
// so the wait before the next one grows with it.
let lastDiagnosisMs = 0;

function diagnosePaste() {
  clearTimeout(pasteTimer);
  if (!api) return;
  const text = els.paste.value;
  if (text === lastParsed) return;
  lastParsed = text;
  const started = performance.now();
  try {
    drawPasteDiagnosis(text);
  } finally {
    lastDiagnosisMs = performance.now() - started;
  }
}

function drawPasteDiagnosis(text) {
  if (!text.trim()) {
    els.pasteResult.replaceChildren();
    return;
  }
  let result;
  try {
    result = api.parse(text);
  } catch (err) {
    els.pasteResult.replaceChildren(h('p', { class: 'sc-error', text: errorText(err) }));
    return;
  }
  els.pasteResult.replaceChildren(...renderParseResult(result, text, {
    rules: rulesMap, ruleHref: (code) => `#rule/${encodeURIComponent(code)}`, onRule: (code) => dialog?.open(code),
  }));
  els.pasteResult.dataset.records = String(result.records?.length ?? 0);
}

els.paste.addEventListener('input', () => {
  save(PASTE_KEY, els.paste.value);
  clearTimeout(pasteTimer);
  pasteTimer = setTimeout(diagnosePaste, 200 + Math.min(3 * lastDiagnosisMs, 1300));
});
els.preflightDomain.addEventListener('input', () => save(PREFLIGHT_KEY, els.preflightDomain.value));

/** The domain the pasted records are for: typed, or the shortest owner name among them. */
function preflightDomain() {
  const typed = els.preflightDomain.value.trim() || els.q.value.trim();
  if (typed) return typed;
  const names = (api.parse(els.paste.value).records ?? [])
    .map((r) => r.name?.replace(/^(_dmarc|[^.]+\._domainkey|default\._bimi|_mta-sts|_smtp\._tls)\./i, ''))
    .filter(Boolean)
    .sort((a, b) => a.length - b.length);
  return names[0] ?? '';
}

els.preflight.addEventListener('click', async () => {
  showError(els.preflightError, els.preflightDomain, null);
  if (!(await ready)) return;
  const zone = els.paste.value;
  if (!zone.trim()) {
    showError(els.preflightError, els.paste, 'paste the records to try first');
    els.paste.focus();
    return;
  }
  let domain;
  try {
    domain = api.normalize_domain(preflightDomain());
  } catch (err) {
    showError(els.preflightError, els.preflightDomain, errorText(err));
    els.preflightDomain.focus();
    return;
  }
  let options;
  try {
    options = optionsFromForm();
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    showError(els.preflightError, els.preflightDomain, `resolver: ${err.message}`);
    return;
  }
  options.zone = zone;
  await run(domain, options);
  els.report.scrollIntoView({ block: 'start' });
});

// ------------------------------------------------------------------------------ start

function restore() {
  const text = store?.getItem(PASTE_KEY);
  if (text && !els.paste.value) els.paste.value = text;
  const d = store?.getItem(PREFLIGHT_KEY);
  if (d && !els.preflightDomain.value) els.preflightDomain.value = d;
}

const whenIdle = (fn) => (window.requestIdleCallback ? requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(fn, 200));

const ready = loadApi().then((mod) => {
  api = mod;
  for (const r of api.rules()) rulesMap.set(r.code, r);
  dialog = ruleDialog(document.body, () => rulesMap, loadRuleDocs);
  document.documentElement.dataset.api = 'ready';
  // The rule documentation is fetched once the page is usable, not before, so a rule opened
  // later (even after the connection drops) shows at once.
  whenIdle(() => loadRuleDocs().then(
    () => { document.documentElement.dataset.ruleDocs = 'ready'; },
    () => { document.documentElement.dataset.ruleDocs = 'failed'; },
  ));
  return true;
}).catch((err) => {
  const message = navigator.onLine === false
    ? `${OFFLINE_MESSAGE}, and the checker is not stored on this device yet.`
    : `The checker could not be loaded: ${errorText(err)}`;
  view.fail(message);
  announce(message);
  document.documentElement.dataset.api = 'failed';
  return false;
});

restore();
ready.then((ok) => {
  if (!ok) return;
  if (!$('panel-paste').hidden) diagnosePaste();
  handleFragment();
});

if ('serviceWorker' in navigator && !new URLSearchParams(location.search).has('nosw')) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(trustedScriptURL('./sw.js')).catch((err) => {
      // Offline use is a bonus; the page works without it.
      console.warn('service worker not registered:', errorText(err));
    });
  });
}
