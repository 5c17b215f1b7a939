// Time to interactive of the page in headless Chromium, served from loopback: from navigation
// start until the wasm module is loaded and the form works (the page marks that moment with
// <html data-api="ready">). Each run uses a fresh profile, so nothing comes from a cache.
// Prints one JSON line: { runs, median_ms, min_ms, max_ms }.
//
// Run from the repository root after scripts/build-wasm.sh:
//   node benches/page.mjs [runs=7]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/browser/serve.mjs';
import { launch } from '../tests/browser/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 7);
const server = await serve(path.join(root, 'www'), 0);
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await launch({ serviceWorkers: 'block' });
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
      times.push(await page.evaluate(() => window.__ready));
    } finally {
      await context.close();
    }
  }
} finally {
  await server.close();
}
times.sort((a, b) => a - b);
const round = (x) => Math.round(x);
console.log(JSON.stringify({ runs, median_ms: round(times[Math.floor(times.length / 2)]), min_ms: round(times[0]), max_ms: round(times[times.length - 1]) }));
