// The sendercheck ES module API: thin wrappers over the wasm-bindgen exports of
// ./pkg/sendercheck.js (the same module the <sender-check> element loads through api.js, so a
// page using both compiles the wasm once). Types: index.d.ts.

import initWasm, * as wasm from './pkg/sendercheck.js';

let ready = null;
let loadedOnce = false;

/**
 * Loads and compiles the wasm once. `wasmUrl` is where sendercheck_bg.wasm is served; without it
 * the file next to pkg/sendercheck.js is used (`new URL(..., import.meta.url)`, which bundlers
 * follow). Later calls return the same promise, whatever they pass; a failed load is not kept,
 * so a later call retries.
 */
export function init(wasmUrl) {
  ready ??= initWasm(wasmUrl === undefined ? undefined : { module_or_path: wasmUrl }).then(
    () => {
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

/** The rule catalogue, every rule with its documentation. */
export function rules() {
  loaded('rules');
  return wasm.rules();
}

/** The A-label domain in what a person typed (domain, email address, URL); throws if none. */
export function normalizeDomain(input) {
  loaded('normalizeDomain');
  return wasm.normalize_domain(input);
}
