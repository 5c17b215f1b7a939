// <sender-check> on host pages, and the example documentation page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, assertClean, MOCK } from './harness.mjs';

const needsMock = { skip: !MOCK && 'asserts the mock fixtures' };
let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/**
 * Serves a made-up host page at /__host/NAME.html (same origin as www/, so the element's module
 * and API load as they would from a docs site that hosts them). No CSP here on purpose: the
 * hostile page needs its inline <style>.
 */
async function hostPage(name, body, { csp = false } = {}) {
  const meta = csp
    ? `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' https: http://127.0.0.1:* http://localhost:*; img-src 'self' data:; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types sendercheck">`
    : '';
  await env.context.route(`**/__host/${name}.html*`, (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8">${meta}<title>${name}</title>
<script type="module" src="/sender-check.js"></script></head><body>${body}</body></html>`,
  }));
  const page = await openPage(env);
  await page.goto(env.url(`__host/${name}.html`));
  return page;
}

const shadowDone = (page, sel) => page.waitForFunction((s) => document.querySelector(s)?.shadowRoot?.querySelector('.sc-report-container[data-status="done"]'), sel, { timeout: 15_000 });

test('renders on a host page with hostile CSS', needsMock, async () => {
  const page = await hostPage('hostile', `
<style>* { all: unset } div { display: none } body { color: transparent; font-size: 2px } section, p, table { display: none !important }</style>
<div><p>host content</p></div>
<sender-check id="x" domain="example.com" ip="192.0.2.1" readonly></sender-check>`);
  await shadowDone(page, '#x');
  const el = page.locator('#x');
  const grade = el.locator('.sc-grade');
  assert.ok(await grade.isVisible(), 'grade visible');
  assert.equal(await grade.innerText(), 'D');
  const box = await el.locator('.sc-root').boundingBox();
  assert.ok(box && box.height > 400 && box.width > 300, `rendered at a real size: ${JSON.stringify(box)}`);
  const style = await el.locator('.sc-card-title').first().evaluate((n) => [getComputedStyle(n).color, getComputedStyle(n).fontSize]);
  assert.notEqual(style[0], 'rgba(0, 0, 0, 0)', 'text is not transparent');
  assert.notEqual(style[1], '2px');
  assert.ok(await el.locator('#check-spf .sc-record-block').isVisible());
  assert.equal(await el.locator('input').count(), 0, 'readonly: no input box');
  await page.close();
});

test('two elements show different domains and share one API load', needsMock, async () => {
  let fixtureLoads = 0;
  const counter = (req) => { if (req.url().includes('/dev/fixtures/report.json')) fixtureLoads++; };
  env.context.on('request', counter);
  const page = await hostPage('two', `
<sender-check id="a" domain="one.example" readonly mode="compact"></sender-check>
<sender-check id="b" domain="two.example"></sender-check>`, { csp: true });
  await shadowDone(page, '#a');
  await shadowDone(page, '#b');
  env.context.off('request', counter);
  assert.equal(await page.locator('#a .sc-domain').innerText(), 'one.example');
  assert.equal(await page.locator('#b .sc-domain').innerText(), 'two.example');
  assert.equal(fixtureLoads, 1, 'one init for both elements');
  // Compact shows no findings or requirements; full shows both.
  assert.equal(await page.locator('#a .sc-finding').count(), 0);
  assert.ok(await page.locator('#b .sc-finding').count() > 5);
  assert.equal(await page.locator('#b input').count(), 1, 'not readonly: an input box');
  await assertClean(assert, page);
  await page.close();
});

test('events bubble out of the shadow root; attribute changes re-run the check', needsMock, async () => {
  const page = await hostPage('events', '<sender-check id="e" domain="first.example"></sender-check>', { csp: true });
  await page.evaluate(() => {
    window.__events = [];
    for (const type of ['sendercheck-progress', 'sendercheck-done']) {
      window.addEventListener(type, (e) => window.__events.push({ type, composed: e.composed, bubbles: e.bubbles, check: e.detail.check, domain: e.detail.domain, ips: e.detail.checks?.ip?.map((x) => x.address) }));
    }
  });
  await shadowDone(page, '#e');
  // The first run may have finished before the listeners were attached: start a fresh one.
  await page.evaluate(() => { window.__events = []; document.querySelector('#e').setAttribute('domain', 'second.example'); });
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'sendercheck-done'));
  let events = await page.evaluate(() => window.__events);
  const progress = events.filter((e) => e.type === 'sendercheck-progress');
  assert.deepEqual(progress.map((e) => e.check).sort(), ['bimi', 'dkim', 'dmarc', 'dnssec', 'mta_sts', 'mx', 'reputation', 'spf', 'tls_rpt']);
  const doneEvent = events.find((e) => e.type === 'sendercheck-done');
  assert.equal(doneEvent.domain, 'second.example');
  assert.ok(events.every((e) => e.composed && e.bubbles));
  assert.equal(await page.locator('#e .sc-domain').innerText(), 'second.example');

  // Two attributes changed in one task give one re-run with both.
  await page.evaluate(() => {
    window.__events = [];
    const el = document.querySelector('#e');
    el.setAttribute('ip', '203.0.113.5 203.0.113.6');
    el.setAttribute('selectors', 'zz');
  });
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'sendercheck-done'));
  await page.waitForTimeout(200);
  events = await page.evaluate(() => window.__events);
  assert.equal(events.filter((e) => e.type === 'sendercheck-done').length, 1);
  assert.deepEqual(events.find((e) => e.type === 'sendercheck-done').ips, ['203.0.113.5', '203.0.113.6']);
  assert.match(await page.locator('#e #check-dkim').innerText(), /zz/);
  assert.equal(await page.evaluate(() => document.querySelector('#e').report.domain), 'second.example');

  // Typing into the element's own box sets its domain attribute.
  await page.locator('#e input').fill('https://www.third.example/path');
  await page.locator('#e button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('#e').getAttribute('domain') === 'www.third.example');
  await shadowDone(page, '#e');
  await assertClean(assert, page);
  await page.close();
});

test('paste mode is the offline parser alone', async () => {
  const page = await hostPage('paste', '<sender-check id="p" mode="paste"></sender-check>', { csp: true });
  await page.locator('#p textarea').waitFor();
  // The element fetches the rule documentation (rules.json) once it has loaded; offline it must
  // already be in memory, and a fetch cut off by going offline would log an error.
  // (Not the mock API's own fixtures/rules.json, which arrives with its other fixtures.)
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/rules.json') && !e.name.includes('/dev/fixtures/')));
  await env.context.setOffline(true);
  try {
    await page.locator('#p textarea').fill('v=DMARC1; p=none; rua=mailto:d@exämple.fr');
    await page.locator('#p .sc-parsed').waitFor();
    assert.equal(await page.locator('#p .sc-mark').first().textContent(), 'p=none');
    assert.equal(await page.locator('#p .sc-report-container').count(), 0);
  } finally {
    await env.context.setOffline(false);
  }
  await assertClean(assert, page);
  await page.close();
});

test('rule documentation opens inside the shadow root', needsMock, async () => {
  const page = await hostPage('rules', '<sender-check id="r" domain="example.com" readonly></sender-check>', { csp: true });
  await shadowDone(page, '#r');
  await page.locator('#r #check-spf button.sc-rule-link').first().click();
  await page.locator('#r dialog[open]').waitFor();
  assert.match(await page.locator('#r dialog[open]').innerText(), /SpfTooManyLookups/);
  await page.close();
});

test('the example documentation page works under its CSP', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('docs-example.html'));
  await shadowDone(page, '#first');
  await shadowDone(page, '#second');
  await page.waitForFunction(() => document.querySelectorAll('#event-log li').length >= 2);
  assert.match(await page.locator('#event-log').innerText(), /#first: example\.com: grade D/);
  // The themed instance picks up the host's custom properties.
  const [a, b] = await Promise.all(['#first', '#second'].map((s) => page.locator(`${s} .sc-root`).evaluate((n) => getComputedStyle(n).backgroundColor)));
  assert.notEqual(a, b, 'different themes');
  assert.equal(b, 'rgb(255, 253, 247)');
  assert.match(await page.locator('#snippet').innerText(), /<sender-check domain="example.com"/);
  await assertClean(assert, page);
  await page.close();
});
