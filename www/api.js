// The one place that names the API module and the rule documentation file. Switching builds is a change to API_MODULE alone.
//
// Everything else (the page, the <sender-check> element) calls loadApi(), which imports the module
// and runs its wasm init exactly once per document, however many callers ask at once.

const API_MODULE = './pkg/sendercheck.js';

// Development only: `?mock` (or `?api=mock`) in the page address selects the fixture-backed mock.
// It is honoured on loopback hosts alone, so a shared link can never show fixture data as if it
// were a real report on a deployed page.
const MOCK_MODULE = './dev/mock-pkg.js';

function wantsMock() {
  const { hostname, search } = globalThis.location ?? {};
  const loopback = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname);
  if (!loopback) return false;
  const params = new URLSearchParams(search ?? '');
  return params.has('mock') || params.get('api') === 'mock';
}

/** The module specifier in use, resolved against this file. */
export const apiModuleUrl = new URL(wantsMock() ? MOCK_MODULE : API_MODULE, import.meta.url).href;

let ready = null;
let docs = null;

/**
 * The rule documentation (www/rules.json, beside this file), fetched once, when first needed.
 * The wasm module carries each rule's code, name, severity and weight but not its text, which
 * would be a tenth of the module; a test keeps rules.json equal to the crate's catalogue.
 * Resolves to a Map from rule code to the documented rule. A failed fetch is not kept.
 */
export function loadRuleDocs() {
  docs ??= fetch(new URL('./rules.json', import.meta.url))
    .then((response) => {
      if (!response.ok) throw new Error(`rules.json: HTTP ${response.status}`);
      return response.json();
    })
    .then((rules) => new Map(rules.map((rule) => [rule.code, rule])))
    .catch((err) => {
      docs = null;
      throw err;
    });
  return docs;
}

/**
 * Imports the API module and initialises its wasm once. Resolves to the module namespace
 * ({ check, parse, rules, normalize_domain }). A failed load is not cached, so a later call retries.
 */
export function loadApi() {
  ready ??= (async () => {
    const mod = await import(apiModuleUrl);
    // wasm-bindgen's init finds sendercheck_bg.wasm next to its own JS when given no argument.
    await mod.default();
    return mod;
  })().catch((err) => {
    ready = null;
    throw err;
  });
  return ready;
}
