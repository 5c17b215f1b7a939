// The service worker: after one visit the page and the offline parser work with no network,
// and a live check offline says plainly that DNS is unreachable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, assertClean } from './harness.mjs';

let env;
before(async () => { env = await setup({ serviceWorkers: 'allow' }); });
after(async () => { await env?.close(); });

test('works offline from the cache after one visit', async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html'));
  await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true));
  // A second load runs under the worker, which stores what the page fetched (mock and fixtures too).
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  const cached = await page.evaluate(async () => {
    const keys = [];
    for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) keys.push(new URL(req.url).pathname);
    return keys;
  });
  for (const file of ['/index.html', '/app.js', '/render.js', '/render.css', '/sender-check.js', '/rules.json', '/icons/icon-192.png']) {
    assert.ok(cached.includes(file), `${file} cached (have ${cached.join(' ')})`);
  }
  assert.ok(!cached.some((k) => k.includes('dns-query')), 'no DNS answer cached');

  await env.context.setOffline(true);
  try {
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.api === 'ready', null, { timeout: 10_000 });
    await page.click('#tab-paste');
    await page.fill('#paste', 'v=spf1 include=_spf.example.net ~all');
    await page.locator('#paste-result .sc-parsed').waitFor();
    assert.ok(await page.locator('#paste-result .sc-finding').count() >= 1, 'the typo is diagnosed');
    await page.click('#tab-check');
    await page.fill('#q', 'example.com');
    await page.click('#run');
    await page.waitForSelector('#report[data-status="error"]');
    assert.match(await page.locator('#report').innerText(), /DNS is unreachable: you appear to be offline/);
  } finally {
    await env.context.setOffline(false);
  }
  await assertClean(assert, page);
  await page.close();
});
