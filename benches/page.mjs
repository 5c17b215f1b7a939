// Time to interactive of the page in headless Chromium, served from loopback: from navigation
// start until the wasm module is loaded and the form works (the page marks that moment with
// <html data-api="ready">). Nothing comes from a cache in either mode:
//   cold (default): each run launches Chromium with a fresh profile, so the run also pays for a
//                   browser that has never rendered a page (first font set-up, a new renderer);
//   warm (--warm):  one Chromium for all runs, each run in a new browser context (an empty HTTP
//                   cache and code cache, as for someone opening the page for the first time in
//                   a browser that is already running); one page is loaded first and discarded.
// Prints one JSON line: { mode, runs, median_ms, min_ms, max_ms }.
//
// Run from the repository root after scripts/build-wasm.sh:
//   node benches/page.mjs [runs=7] [--warm]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/browser/serve.mjs';
import { launch, launchBrowser } from '../tests/browser/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const warm = args.includes('--warm');
const runs = Number(args.find((a) => !a.startsWith('--')) ?? 7);
const server = await serve(path.join(root, 'www'), 0);
const browser = warm ? await launchBrowser() : null;
const newContext = () =>
  warm ? browser.newContext({ serviceWorkers: 'block', viewport: { width: 1100, height: 900 } }) : launch({ serviceWorkers: 'block' });

/** One load of the page in a new context: milliseconds from navigation start to ready. */
async function timeOneLoad() {
  const context = await newContext();
  try {
    await context.addInitScript(() => {
      // Record the moment the attribute appears, not the moment a poll notices it.
      new MutationObserver((_, observer) => {
        if (document.documentElement.dataset.api === 'ready') {
          window.__ready = performance.now();
          observer.disconnect();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-api'] });
    });
    const page = await context.newPage();
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 20000 });
    return await page.evaluate(() => window.__ready);
  } finally {
    await context.close();
  }
}

const times = [];
try {
  if (warm) await timeOneLoad();
  for (let i = 0; i < runs; i++) times.push(await timeOneLoad());
} finally {
  await browser?.close();
  await server.close();
}
times.sort((a, b) => a - b);
const round = (x) => Math.round(x);
console.log(JSON.stringify({ mode: warm ? 'warm' : 'cold', runs, median_ms: round(times[Math.floor(times.length / 2)]), min_ms: round(times[0]), max_ms: round(times[times.length - 1]) }));
