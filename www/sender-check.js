// <sender-check>: the checker as an embeddable custom element, for documentation pages.
//
//   <script type="module" src="https://…/sender-check.js"></script>
//   <sender-check domain="example.com" ip="192.0.2.1" selectors="s1 s2"
//                 resolver="https://dns.google/dns-query" timeout="5000" mode="full|compact|paste" readonly></sender-check>
//
// Attributes are live: changing one re-runs the check. Events (bubbling, composed):
//   sendercheck-progress  detail = { check, result, findings } as each check settles
//   sendercheck-done      detail = the whole report
//   sendercheck-error     detail = { message }
// Theming: the --sendercheck-* custom properties listed in render.css, and ::part() on
// root, form, input, button, textarea, report, score, grade, card, badge, record, finding, note.
// Every instance on a page shares one API load and one wasm init (api.js).

import { loadApi, loadRuleDocs } from './api.js';
import { ReportView, renderParseResult, ruleDialog, h, DEFAULT_RESOLVER, OFFLINE_MESSAGE, offlineFor } from './render.js';

const STYLES = ['./render.css', './sender-check.css'].map((p) => new URL(p, import.meta.url).href);
const MODES = new Set(['full', 'compact', 'paste']);
const words = (s) => String(s ?? '').split(/[\s,;]+/).filter(Boolean);

let rulesPromise = null;
function rulesMap(api) {
  rulesPromise ??= Promise.resolve(new Map(api.rules().map((r) => [r.code, r])));
  return rulesPromise;
}

export class SenderCheckElement extends HTMLElement {
  static observedAttributes = ['domain', 'ip', 'selectors', 'resolver', 'timeout', 'mode', 'readonly'];

  #shadow;
  #layoutKey = null;
  #els = {};
  #view = null;
  #rules = new Map();
  #dialog = null;
  #scheduled = false;
  #runId = 0;
  #report = null;
  #lastQuery = null;
  #pasteTimer = 0;

  constructor() {
    super();
    this.#shadow = this.attachShadow({ mode: 'open' });
  }

  /** The last finished report, or null. */
  get report() {
    return this.#report;
  }

  get mode() {
    const m = this.getAttribute('mode');
    return MODES.has(m) ? m : 'full';
  }

  connectedCallback() {
    this.#schedule(true);
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue !== newValue && this.isConnected) this.#schedule(false);
  }

  /** Re-runs the check with the current attributes. */
  refresh() {
    this.#lastQuery = null;
    this.#schedule(false);
  }

  // Attribute changes arrive one by one; batch them into one update per task.
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#update();
    });
  }

  async #update() {
    const key = `${this.mode}|${this.hasAttribute('readonly')}`;
    if (key !== this.#layoutKey) {
      this.#layoutKey = key;
      this.#lastQuery = null;
      this.#layout();
    }
    if (this.#els.input && document.activeElement !== this) this.#els.input.value = this.getAttribute('domain') ?? '';
    let api;
    try {
      api = await loadApi();
    } catch (err) {
      this.#fail(navigator.onLine === false ? OFFLINE_MESSAGE : `The checker could not be loaded: ${message(err)}`);
      return;
    }
    if (!this.#dialog) {
      for (const [code, rule] of await rulesMap(api)) this.#rules.set(code, rule);
      this.#dialog = ruleDialog(this.#els.root, () => this.#rules, loadRuleDocs);
      // Fetched while the page is idle, so the first rule opened shows at once.
      setTimeout(() => loadRuleDocs().catch(() => {}), 0);
    }
    if (this.mode === 'paste') {
      this.#diagnose(api);
      return;
    }
    const domain = (this.getAttribute('domain') ?? '').trim();
    if (!domain) return;
    const options = this.#options();
    const query = JSON.stringify([domain, options]);
    if (query === this.#lastQuery) return;
    this.#lastQuery = query;
    this.#run(api, domain, options);
  }

  #options() {
    const options = { resolvers: [this.getAttribute('resolver')?.trim() || DEFAULT_RESOLVER] };
    const ips = words(this.getAttribute('ip'));
    const selectors = words(this.getAttribute('selectors'));
    if (ips.length) options.ips = ips;
    if (selectors.length) options.selectors = selectors;
    const timeout = Number(this.getAttribute('timeout'));
    if (Number.isInteger(timeout) && timeout > 0) options.timeout_ms = timeout;
    return options;
  }

  #layout() {
    const mode = this.mode;
    const readonly = this.hasAttribute('readonly');
    const root = h('div', { class: 'sc sc-root', part: 'root', dataset: { mode } });
    const status = h('p', { class: 'sc-visually-hidden', role: 'status', 'aria-live': 'polite' });
    const report = h('div', { class: 'sc-report-container', part: 'report', 'aria-label': 'Report', dataset: { status: 'idle' } });
    this.#els = { root, status, report };
    if (mode === 'paste') {
      const textarea = h('textarea', { class: 'sc-input', part: 'textarea', rows: 6, spellcheck: 'false', 'aria-label': 'Records or zone-file lines to diagnose', placeholder: 'v=spf1 include:_spf.google.com -all' });
      const result = h('div', { class: 'sc-paste-result' });
      textarea.addEventListener('input', () => {
        clearTimeout(this.#pasteTimer);
        this.#pasteTimer = setTimeout(() => loadApi().then((api) => this.#diagnose(api)), 200);
      });
      root.append(h('label', { class: 'sc-label', text: 'Paste records to diagnose them (offline)' }), textarea, result);
      Object.assign(this.#els, { textarea, result });
    } else {
      if (!readonly) {
        const input = h('input', { class: 'sc-input', part: 'input', type: 'text', inputmode: 'url', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', placeholder: 'example.com', 'aria-label': 'Domain, email address or URL' });
        const error = h('p', { class: 'sc-field-error', hidden: true });
        const form = h('form', { class: 'sc-form', part: 'form', role: 'search' },
          input, h('button', { type: 'submit', class: 'sc-submit', part: 'button', text: 'Check' }));
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          this.#submit();
        });
        root.append(form, error);
        Object.assign(this.#els, { input, error });
      }
      root.append(report);
      this.#view = new ReportView(report, {
        compact: mode === 'compact',
        rules: this.#rules,
        onRule: (code) => this.#dialog?.open(code),
        onRetry: (check) => this.#retry(check),
        announce: (msg) => { status.textContent = msg; },
      });
    }
    root.append(status);
    this.#shadow.replaceChildren(...STYLES.map((href) => h('link', { rel: 'stylesheet', href })), root);
    this.#dialog = null;
  }

  async #submit() {
    const api = await loadApi();
    const { input, error } = this.#els;
    try {
      const domain = api.normalize_domain(input.value);
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      if (domain === this.getAttribute('domain')) this.refresh();
      else this.setAttribute('domain', domain);
    } catch (err) {
      error.textContent = message(err);
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }

  async #retry(check) {
    const api = await loadApi();
    const domain = (this.getAttribute('domain') ?? '').trim();
    if (domain) this.#run(api, domain, this.#options(), check);
  }

  async #run(api, domain, options, retry = null) {
    const id = ++this.#runId;
    let normalized;
    try {
      normalized = api.normalize_domain(domain);
    } catch (err) {
      this.#fail(message(err));
      return;
    }
    if (offlineFor(options)) {
      this.#fail(OFFLINE_MESSAGE);
      return;
    }
    this.#report = null;
    this.dataset.status = 'running';
    this.#view.start(normalized, { ips: options.ips ?? [], ...(retry ? { keep: true, pending: [retry] } : {}) });
    try {
      const report = await api.check(normalized, options, (e) => {
        if (id !== this.#runId) return;
        this.#view.progress(e);
        this.#emit('sendercheck-progress', e);
      });
      if (id !== this.#runId) return;
      this.#report = report;
      this.#view.done(report);
      this.dataset.status = 'done';
      this.#emit('sendercheck-done', report);
    } catch (err) {
      if (id !== this.#runId) return;
      this.#fail(offlineFor(options) ? OFFLINE_MESSAGE : `The check failed: ${message(err)}`);
    }
  }

  #fail(text) {
    this.dataset.status = 'error';
    if (this.#view) this.#view.fail(text);
    else this.#els.root?.append(h('p', { class: 'sc-error', role: 'alert', text }));
    this.#emit('sendercheck-error', { message: text });
  }

  #diagnose(api) {
    const { textarea, result } = this.#els;
    if (!textarea) return;
    const text = textarea.value;
    if (!text.trim()) {
      result.replaceChildren();
      return;
    }
    try {
      result.replaceChildren(...renderParseResult(api.parse(text), text, { rules: this.#rules, onRule: (code) => this.#dialog?.open(code) }));
    } catch (err) {
      result.replaceChildren(h('p', { class: 'sc-error', text: `The parser failed: ${message(err)}` }));
    }
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

function message(err) {
  return (err instanceof Error ? err.message : String(err)).replace(/^Error:\s*/, '');
}

if (!customElements.get('sender-check')) customElements.define('sender-check', SenderCheckElement);
