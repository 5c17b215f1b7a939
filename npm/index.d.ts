// Types of the sendercheck ES module API (index.js). The report types are those of the wasm
// module, pkg/sendercheck.d.ts, which the build copies from www/sendercheck.d.ts: one source.
import type { CheckOptions, ParseResult, ProgressEvent, RecordKind, Report, Rule } from './pkg/sendercheck.js';

export type * from './pkg/sendercheck.js';

/**
 * Loads and compiles the wasm once; later calls return the same promise. `wasmUrl`: where
 * sendercheck_bg.wasm is served (default: next to pkg/sendercheck.js), or its bytes or compiled
 * module (wasm-bindgen's init takes those too, e.g. from readFile in Node).
 */
export function init(wasmUrl?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

/**
 * Checks a domain (or an email address or URL naming one). `onProgress` gets each check as it
 * settles, with its findings. Rejects with an Error whose message says what to fix when the
 * input is not a domain.
 */
export function check(input: string, options?: CheckOptions | null, onProgress?: ((event: ProgressEvent) => void) | null): Promise<Report>;

/** Parses records or zone-file text offline (at most 1 MiB). Needs `await init()` first. */
export function parse(text: string, kind?: RecordKind | null): ParseResult;

/** The rule catalogue, with documentation when init() could fetch rules.json. Needs `await init()` first. */
export function rules(): Rule[];

/** The A-label domain in what a person typed; throws an Error saying what is wrong. Needs `await init()` first. */
export function normalizeDomain(input: string): string;
