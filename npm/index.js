// The sendercheck ES module API: thin wrappers over the wasm-bindgen exports of
// ./pkg/sendercheck.js (the same module the <sender-check> element loads through api.js, so a
// page using both compiles the wasm once). Types: index.d.ts.

import initWasm, * as wasm from './pkg/sendercheck.js';
import { loadRuleDocs } from './api.js';

let ready = null;
let loadedOnce = false;
let docs = new Map();

/**
 * Loads and compiles the wasm once. `wasmUrl` is where sendercheck_bg.wasm is served; without it
 * the file next to pkg/sendercheck.js is used (`new URL(..., import.meta.url)`, which bundlers
 * follow). Later calls return the same promise, whatever they pass; a failed load is not kept,
 * so a later call retries.
 */
export function init(wasmUrl) {
  // The rule documentation is not inside the wasm (it would be a tenth of it): it comes from
  // rules.json beside api.js, fetched alongside, so rules() can stay synchronous. Where it
  // cannot be fetched (Node has no fetch for file: URLs) rules() lists the rules without text.
  ready ??= Promise.all([
    initWasm(wasmUrl === undefined ? undefined : { module_or_path: wasmUrl }),
    loadRuleDocs().catch(() => new Map()),
  ]).then(
    ([, documented]) => {
      docs = documented;
      loadedOnce = true;
    },
    (err) => {
      ready = null;
      throw err;
    },
  );
  return ready;
}

/**
 * Checks a domain (or an email address or URL naming one) over DNS-over-HTTPS. `onProgress` is
 * called with `{ check, result, findings }` as each check settles; resolves to the report.
 * Initialises the wasm first if `init()` was not awaited yet.
 */
export async function check(input, options, onProgress) {
  await init();
  return wasm.check(input, options ?? null, onProgress ?? null);
}

// parse, rules and normalizeDomain are synchronous, so they cannot load the wasm themselves.
function loaded(name) {
  if (!loadedOnce) throw new Error(`sendercheck: await init() before calling ${name}()`);
}

/** Parses pasted records or zone-file text offline; `kind` is detected when absent. */
export function parse(text, kind) {
  loaded('parse');
  return wasm.parse(text, kind ?? null);
}

/**
 * The rule catalogue: every rule with its documentation when init() could fetch rules.json
 * (browsers, bundlers), else code, name, category, severity, area and weight alone.
 */
export function rules() {
  loaded('rules');
  return wasm.rules().map((rule) => ({ ...rule, ...docs.get(rule.code) }));
}

/** The A-label domain in what a person typed (domain, email address, URL); throws if none. */
export function normalizeDomain(input) {
  loaded('normalizeDomain');
  return wasm.normalize_domain(input);
}
