// Shared set-up for the browser tests: a static server over www/, Chromium with a fresh profile,
// and pages that record console errors, uncaught exceptions, dialogs and CSP violations.
//
// SENDERCHECK_API=mock (default) runs the page against www/dev/mock-pkg.js (?mock);
// SENDERCHECK_API=pkg runs it against the real www/pkg build. Tests that assert fixture
// contents are skipped against pkg.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch } from './browser.mjs';

export const API = process.env.SENDERCHECK_API ?? 'mock';
export const MOCK = API === 'mock';
// The DoH rig (tests/rig) on loopback: tests that query it skip unless SENDERCHECK_RIG is set.
export const RIG = !!process.env.SENDERCHECK_RIG;
export const RIG_DOH = 'http://127.0.0.1:8053/dns-query';
export const RIG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../rig');
/** Skip reasons: the real build only; the real build and the rig. */
export const needsPkg = { skip: MOCK && 'needs the real build: SENDERCHECK_API=pkg (after scripts/build-wasm.sh)' };
export const needsRig = {
  skip: (MOCK && 'needs the real build: SENDERCHECK_API=pkg') || (!RIG && 'needs the DoH rig: run inside tests/rig (see tests/rig/README.md) with SENDERCHECK_RIG=1'),
};
export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WWW = path.resolve(HERE, '../../www');

/** Starts the server and a browser. serviceWorkers: 'block' unless a test is about the worker. */
export async function setup({ serviceWorkers = 'block', ...options } = {}) {
  const server = await serve(WWW, 0);
  const context = await launch({ serviceWorkers, ...options });
  await context.addInitScript(() => {
    window.__csp = [];
    const record = (e) => window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    document.addEventListener('securitypolicyviolation', record, true);
  });
  return {
    server,
    context,
    /** Address of a page under www/ with the API switch applied. */
    url(file = 'index.html', { hash = '', query = '' } = {}) {
      const params = new URLSearchParams(query);
      if (MOCK) params.set('mock', '');
      const search = params.toString().replace(/=(&|$)/g, '$1');
      return `${server.url}${file}${search ? `?${search}` : ''}${hash}`;
    },
    async close() {
      await context.close();
      await server.close();
    },
  };
}

/** A new page that collects what must never happen. */
export async function openPage(env, { allowConsole = [] } = {}) {
  const page = await env.context.newPage();
  const problems = { console: [], errors: [], dialogs: [] };
  // allowConsole: patterns of browser-made messages a test expects (a refused connection, an
  // HTTP 500 or a CORS refusal is logged by Chromium itself, not by the page).
  page.on('console', (m) => { if (m.type() === 'error' && !allowConsole.some((re) => re.test(m.text()))) problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.errors.push(e.message));
  page.on('dialog', (d) => { problems.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.problems = problems;
  page.csp = () => page.evaluate(() => window.__csp ?? []);
  return page;
}

/** Fails on console errors, uncaught exceptions, dialogs and CSP violations. */
export async function assertClean(assert, page) {
  const csp = await page.csp();
  assert.deepEqual(csp, [], 'CSP violations');
  assert.deepEqual(page.problems.errors, [], 'uncaught exceptions');
  assert.deepEqual(page.problems.console, [], 'console errors');
  assert.deepEqual(page.problems.dialogs, [], 'dialogs');
}

export const done = (page, selector = '#report') => page.waitForSelector(`${selector}[data-status="done"]`, { timeout: 15_000 });
