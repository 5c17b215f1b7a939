// The page and the element against the real wasm build (www/pkg, SENDERCHECK_API=pkg) and the
// DoH rig on loopback (SENDERCHECK_RIG=1, tests/rig). Run inside the rig's network namespace:
//   unshare -n bash -c 'ip link set lo up && tests/rig/start.sh && \
//     SENDERCHECK_API=pkg SENDERCHECK_RIG=1 node --test --test-concurrency=1 tests/browser/; tests/rig/stop.sh'
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setup, openPage, assertClean, done, needsPkg, needsRig, RIG_DOH, RIG_DIR, HERE } from './harness.mjs';

const CHECKS = ['mx', 'spf', 'dmarc', 'dkim', 'mta_sts', 'tls_rpt', 'bimi', 'dnssec', 'reputation', 'ip'];
const doh = (url = RIG_DOH) => `doh=${encodeURIComponent(url)}`;
// Chromium itself logs failed requests (refused, HTTP errors, CORS refusals) as console errors.
const NETWORK_NOISE = [/^Failed to load resource/, /blocked by CORS policy/, /net::ERR_/];

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** The bytes a span covers, as the Rust side means it. */
const byteSlice = (text, span) => Buffer.from(text, 'utf8').subarray(span.start, span.end).toString('utf8');

test('the real module loads under the CSP and Trusted Types with no console error', needsPkg, async () => {
  const page = await openPage(env);
  const wasm = page.waitForResponse((r) => r.url().endsWith('/pkg/sendercheck_bg.wasm'));
  await page.goto(env.url('index.html'));
  assert.equal((await wasm).headers()['content-type'], 'application/wasm');
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  const api = await page.evaluate(async () => {
    const { loadApi, apiModuleUrl } = await import('./api.js');
    const mod = await loadApi();
    let thrown = null;
    try {
      mod.normalize_domain('not a domain');
    } catch (err) {
      thrown = [err instanceof Error, err.message];
    }
    return { url: apiModuleUrl, rules: mod.rules().length, thrown, normalized: mod.normalize_domain('You@Bücher.Example') };
  });
  assert.match(api.url, /\/pkg\/sendercheck\.js$/);
  assert.ok(api.rules > 50);
  assert.deepEqual(api.thrown, [true, "' ' cannot appear in a domain name; use letters, digits, hyphens and dots"]);
  assert.equal(api.normalized, 'xn--bcher-kva.example');
  // The page's form shows the normaliser's message inline.
  await page.fill('#q', 'not a domain');
  await page.click('#run');
  await page.waitForSelector('#q-error:not([hidden])');
  assert.match(await page.locator('#q-error').innerText(), /cannot appear in a domain name/);
  await assertClean(assert, page);
  await page.close();
});

test('paste mode parses real records offline, with real rule codes at the right spans', needsPkg, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#paste' }));
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  // The rule documentation (rules.json) is fetched once the page is ready; offline it must come
  // from memory.
  await page.waitForFunction(() => document.documentElement.dataset.ruleDocs === 'ready');
  await env.context.setOffline(true);
  try {
    const text = [
      'example.com. 3600 IN TXT "v=spf1 a mx +all"',
      '_dmarc.example.com. 300 IN TXT "v=DMARC1; p=none; rua=mailto:d@exämple.fr"',
      'nonsense here',
      'sel._domainkey.example.com. 300 IN TXT "v=DKIM1; k=foo; p=abc"',
    ].join('\n');
    await page.fill('#paste', text);
    await page.waitForSelector('#paste-result .sc-parsed[data-kind="dkim"]');
    // Each diagnostic's marks cover exactly the bytes its span names in the record text.
    const seen = await page.$$eval('#paste-result .sc-parsed', (cards) => cards.map((card) => ({
      kind: card.dataset.kind,
      record: card.querySelector('.sc-record-block')?.textContent ?? null,
      findings: [...card.querySelectorAll(':scope > .sc-findings > .sc-finding')].map((li) => ({
        code: li.dataset.code,
        text: [...card.querySelectorAll('.sc-record-block .sc-mark')].filter((m) => m.dataset.findings.split(' ').includes(li.dataset.n)).map((m) => m.textContent).join(''),
      })),
    })));
    const parsed = await page.evaluate(async (t) => (await (await import('./api.js')).loadApi()).parse(t), text);
    const byKind = Object.fromEntries(seen.map((x) => [x.kind, x]));
    for (const rec of parsed.records) {
      const shown = byKind[rec.kind];
      assert.equal(shown.record, rec.text, `${rec.kind} record shown as parsed`);
      for (const d of rec.diagnostics) {
        const f = shown.findings.find((x) => x.code === d.code);
        assert.ok(f, `${d.code} listed`);
        if (d.span.end > d.span.start) assert.equal(f.text, byteSlice(rec.text, d.span), `${d.code} highlight`);
      }
    }
    assert.deepEqual(byKind.spf.findings, [{ code: 'SPF019', text: '+all' }]);
    assert.ok(byKind.dmarc.findings.some((f) => f.code === 'DMARC023' && f.text === 'p=none'));
    // A span after the two-byte "ä": counted in bytes by Rust, in UTF-16 units by the page.
    assert.ok(byKind.dmarc.findings.some((f) => f.code === 'DMARC007' && f.text === 'ä'));
    assert.deepEqual(byKind.dkim.findings, [{ code: 'DKIM028', text: 'foo' }, { code: 'DKIM023', text: 'abc' }]);
    const zone = page.locator('#paste-result .sc-parsed-zone');
    assert.match(await zone.innerText(), /ZONE002[\s\S]*line 3: unknown record type/);
    assert.equal(await zone.locator('.sc-mark').textContent(), 'here');
    // Rule documentation comes from the real catalogue, offline.
    await page.click('#paste-result .sc-parsed[data-kind="spf"] a.sc-rule-link');
    await page.locator('dialog.sc-dialog[open]').waitFor();
    assert.match(await page.locator('dialog.sc-dialog[open]').innerText(), /SPF019[\s\S]*Why it matters[\s\S]*Corrected/);
    await page.keyboard.press('Escape');
    // Printed, paste mode keeps its diagnosis and drops the inputs.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ['paste', 'preflight', 'paste-result'].map((id) => document.getElementById(id).offsetParent !== null));
    assert.deepEqual(printed, [false, false, true], 'printed: textarea, pre-flight button, diagnosis');
    await page.emulateMedia({ media: 'screen' });
  } finally {
    await env.context.setOffline(false);
  }
  await assertClean(assert, page);
  await page.close();
});

test('paste mode marks a duplicated tag at both places: the second as the finding, the first as its related place', needsPkg, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#paste' }));
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  await page.fill('#paste', 'v=DMARC1; p=none; p=reject');
  const card = page.locator('#paste-result .sc-parsed[data-kind="dmarc"]');
  await card.waitFor();
  const item = card.locator('.sc-finding[data-code="DMARC005"]');
  const n = await item.getAttribute('data-n');
  const marks = await card.locator('.sc-record-block .sc-mark').evaluateAll((els, n) => els.map((m) => ({
    text: m.textContent,
    own: m.dataset.findings.split(' ').includes(n),
    related: (m.dataset.related ?? '').split(' ').includes(n),
    cls: m.className,
    title: m.title,
    outline: getComputedStyle(m).outlineStyle,
    background: getComputedStyle(m).backgroundColor,
  })), n);
  const own = marks.filter((m) => m.own);
  const related = marks.filter((m) => m.related);
  assert.deepEqual(own.map((m) => m.text), ['p=reject']);
  assert.deepEqual(related.map((m) => m.text), ['p=none']);
  assert.match(own[0].cls, /\bsc-sev-error\b/);
  assert.doesNotMatch(own[0].cls, /\bsc-related\b/);
  // The related place is drawn apart, with a dashed outline, and says what it is. p=none is
  // also the span of its own warning (DMARC023), whose fill it keeps.
  assert.match(related[0].cls, /\bsc-related\b/);
  assert.match(related[0].cls, /\bsc-sev-warning\b/);
  assert.equal(related[0].outline, 'dashed');
  assert.match(related[0].title, /the first one, for DMARC005: tag `p` appears more than once/);
  assert.equal(await item.locator('.sc-finding-related').innerText(), 'The first one is at column 11.');
  // Pointing at the finding lights up both places.
  await item.hover();
  assert.deepEqual(await card.locator('.sc-record-block .sc-mark.sc-active').allTextContents(), ['p=none', 'p=reject']);

  await page.mouse.move(0, 0);

  // A first occurrence no other finding covers is outlined only: no fill, no underline.
  await page.fill('#paste', 'v=DMARC1; p=reject; adkim=s; adkim=r');
  await card.locator('.sc-finding[data-code="DMARC005"] .sc-finding-related').filter({ hasText: 'column 21' }).waitFor();
  const only = await card.locator('.sc-record-block .sc-mark.sc-related').evaluateAll((els) => els.map((m) => ({
    text: m.textContent, cls: m.className, outline: getComputedStyle(m).outlineStyle,
    background: getComputedStyle(m).backgroundColor, decoration: getComputedStyle(m).textDecorationLine,
  })));
  assert.deepEqual(only, [{ text: 'adkim=s', cls: 'sc-mark sc-related-only sc-related', outline: 'dashed', background: 'rgba(0, 0, 0, 0)', decoration: 'none' }]);
  assert.equal(await card.locator('.sc-record-block .sc-mark.sc-sev-error').textContent(), 'adkim=r');

  // In zone text the two places can be on different lines: each line is shown, in order.
  await page.fill('#paste', 'a.example. 300 IN A 192.0.2.1\nb.example. 300 IN A 192.0.2.9\na.example. 300 IN A 192.0.2.1');
  const zone = page.locator('#paste-result .sc-parsed-zone .sc-finding[data-code="ZONE009"]');
  await zone.waitFor();
  const lines = await zone.locator('.sc-zone-line').evaluateAll((els) => els.map((l) => ({
    line: l.querySelector('.sc-line-no').textContent,
    own: [...l.querySelectorAll('.sc-mark:not(.sc-related)')].map((m) => m.textContent),
    related: [...l.querySelectorAll('.sc-mark.sc-related')].map((m) => m.textContent),
  })));
  assert.deepEqual(lines, [
    { line: 'line 1', own: [], related: ['a.example. 300 IN A 192.0.2.1'] },
    { line: 'line 3', own: ['a.example. 300 IN A 192.0.2.1'], related: [] },
  ]);
  assert.equal(await zone.locator('.sc-finding-related').innerText(), 'The first one is at line 1, column 1.');
  await assertClean(assert, page);
  await page.close();
});

test('paste mode reads records one per line, notes a line that is no record, and joins quoted TXT strings', needsPkg, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#paste' }));
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  await page.fill('#paste', 'v=spf1 ~ all\ngoogle-site-verification=4ebR3X\n"v=DMARC1; " "p=reject"');
  const note = page.locator('#paste-result .sc-parsed-zone .sc-finding[data-code="ZONE020"]');
  await note.waitFor();
  assert.equal(await page.locator('#paste-result .sc-parsed-zone h4').textContent(), 'Pasted text');
  const cards = await page.$$eval('#paste-result .sc-parsed[data-kind]', (els) => els.map((c) => ({
    kind: c.dataset.kind,
    record: c.querySelector('.sc-record-block')?.textContent,
    codes: [...c.querySelectorAll('.sc-finding')].map((f) => f.dataset.code),
  })));
  assert.deepEqual(cards, [
    { kind: 'spf', record: 'v=spf1 ~ all', codes: ['SPF029'] },
    { kind: 'dmarc', record: 'v=DMARC1; p=reject', codes: [] },
  ]);
  await assertClean(assert, page);
  await page.close();
});

test('a full check of example.test over the rig renders every section as checks settle', needsRig, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html'));
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  // Record the report's status whenever findings appear: they must arrive with their check.
  await page.evaluate(() => {
    window.__findingsWhile = [];
    const report = document.getElementById('report');
    new MutationObserver(() => {
      const n = report.querySelectorAll('.sc-card .sc-finding').length;
      if (n) window.__findingsWhile.push(report.dataset.status);
    }).observe(report, { childList: true, subtree: true });
  });
  await page.evaluate((hash) => { location.hash = hash; }, `#example.test&selector=sel1&${doh()}`);
  await done(page);
  const r = page.locator('#report');
  assert.ok(await page.evaluate(() => window.__findingsWhile.includes('running')), 'findings shown before the report is done');
  assert.match(await r.getAttribute('data-score'), /^\d{1,3}$/);
  assert.match(await r.getAttribute('data-grade'), /^[A-F]$/);
  const statuses = await r.locator('.sc-card').evaluateAll((cards) => Object.fromEntries(cards.map((c) => [c.dataset.check, c.dataset.status])));
  assert.deepEqual(Object.keys(statuses), CHECKS);
  assert.ok(Object.values(statuses).every((s) => s !== 'pending'), JSON.stringify(statuses));
  assert.equal(statuses.dmarc, 'pass');
  assert.equal(statuses.ip, 'skipped');
  // Score: grade, number, one bar per area.
  assert.equal(await r.locator('.sc-grade').innerText(), await r.getAttribute('data-grade'));
  assert.ok(await r.locator('.sc-area').count() >= 4);
  // MX table, DMARC details, DKIM given selector, the SPF include tree with its failing include.
  assert.match(await r.locator('#check-mx tbody').innerText(), /mail\.example\.test[\s\S]*192\.0\.2\.25[\s\S]*backup-mx\.example\.net/);
  assert.match(await r.locator('#check-dmarc').innerText(), /reject[\s\S]*mailto:dmarc@example\.test/);
  assert.match(await r.locator('#check-dkim .sc-selector[data-selector="sel1"]').innerText(), /given/);
  assert.equal(await r.locator('#check-spf .sc-record-block').first().textContent(), 'v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all');
  const tree = r.locator('#check-spf details.sc-tree-node');
  assert.equal(await tree.count(), 2);
  assert.equal(await tree.first().locator('.sc-tree-body > .sc-record .sc-mark').textContent(), 'include:_spf.example.net', 'via_span marks the include');
  assert.match(await tree.nth(1).innerText(), /REFUSED/);
  // The check SPF could not finish: unknown, with its cause and a Retry button.
  if (statuses.spf === 'unknown') {
    assert.match(await r.locator('#check-spf .sc-cause').innerText(), /Cause: .*REFUSED/);
    assert.equal(await r.locator('#check-spf button.sc-retry').count(), 1);
  }
  // Findings with copyable fixes and documented codes; the MTA-STS card names the policy URL.
  assert.ok(await r.locator('.sc-finding a.sc-rule-link').count() >= 3);
  assert.match(await r.locator('#check-mta_sts').innerText(), /missing|no MTA-STS/i);
  assert.match(await r.locator('#check-tls_rpt .sc-codeblock code').first().innerText(), /v=TLSRPTv1/);
  // Domain reputation: its own card, one row per domain list with the name asked and a lookup link.
  const lists = r.locator('#check-reputation .sc-blocklists tbody tr');
  assert.equal(await lists.count(), 3);
  assert.match(await lists.first().innerText(), /Spamhaus DBL[\s\S]*example\.test\.dbl\.spamhaus\.org/);
  assert.match(await lists.first().locator('a').getAttribute('href'), /^https:\/\//);
  // The sending-IP section keeps its port-25 statement with no IP given.
  assert.match(await r.locator('#check-ip').innerText(), /No sending IP given[\s\S]*port 25/);
  assert.ok(await r.locator('.sc-requirements-table tbody tr').count() >= 10);
  assert.match(await r.locator('.sc-meta').innerText(), /127\.0\.0\.1:8053/);
  assert.equal(new URL(page.url()).hash, `#example.test&selector=sel1&${doh()}`);
  await assertClean(assert, page);

  const dir = path.join(HERE, 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, 'report.png'), fullPage: true });
  // Dark theme from the system setting: dark page, light text, the report still all there.
  const luminance = (selector) => page.evaluate((sel) => {
    const el = document.querySelector(sel);
    let style = getComputedStyle(el);
    // The first ancestor with a painted background gives the colour behind the element.
    for (let e = el; e && style.backgroundColor === 'rgba(0, 0, 0, 0)'; e = e.parentElement, style = e && getComputedStyle(e));
    const [r, g, b] = (style ? style.backgroundColor : 'rgb(255, 255, 255)').match(/\d+/g).map(Number);
    const [tr, tg, tb] = getComputedStyle(el).color.match(/\d+/g).map(Number);
    return { background: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255, text: (0.2126 * tr + 0.7152 * tg + 0.0722 * tb) / 255 };
  }, selector);
  const light = await luminance('#check-spf');
  assert.ok(light.background > 0.8 && light.text < 0.35, `light theme: ${JSON.stringify(light)}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await luminance('#check-spf');
  assert.ok(dark.background < 0.2 && dark.text > 0.7, `dark theme: ${JSON.stringify(dark)}`);
  await page.screenshot({ path: path.join(dir, 'report-dark.png'), fullPage: true });
  // Print: the report on white without the form, the tabs and the copy and retry buttons; a
  // screenshot with the print styles and a PDF are kept beside the others.
  await page.emulateMedia({ colorScheme: 'dark', media: 'print' });
  const printed = await page.evaluate(() => ({
    form: getComputedStyle(document.getElementById('panel-check')).display,
    report: getComputedStyle(document.getElementById('report')).display,
    copy: [...document.querySelectorAll('#report .sc-copy, #report .sc-retry')].filter((b) => b.offsetParent !== null).length,
    background: getComputedStyle(document.body).backgroundColor,
  }));
  assert.deepEqual(printed, { form: 'none', report: 'block', copy: 0, background: 'rgb(255, 255, 255)' });
  // Printed from a dark system, the cards take the light palette: dark text on light paper.
  const paper = await luminance('#check-spf');
  assert.ok(paper.background > 0.8 && paper.text < 0.35, `print from a dark theme: ${JSON.stringify(paper)}`);
  await page.screenshot({ path: path.join(dir, 'report-print.png'), fullPage: true });
  await page.pdf({ path: path.join(dir, 'report.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ colorScheme: 'light', media: 'screen' });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.waitForTimeout(100);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1], `page is ${widths[0]} px wide in a ${widths[1]} px window`);
  await page.screenshot({ path: path.join(dir, 'report-360.png'), fullPage: true });
  await page.close();
});

const FAULTS = [
  ['SERVFAIL', '#servfail.fault.test', /SERVFAIL/, null],
  ['timeout', '#timeout.fault.test&timeout=700', /no answer before the timeout/, /No DNS answer arrived before the timeout/],
  ['HTTP 500', '#ok.fault.test&http500', /HTTP 500/, /DNS is unreachable/],
  ['CORS refusal', '#ok.fault.test&nocors', /network error/, /DNS is unreachable/],
];

for (const [kind, hash0, cause, banner] of FAULTS) {
  test(`a ${kind} shows unknown checks with the cause and a Retry button`, needsRig, async () => {
    const url = hash0.endsWith('&http500') ? 'http://127.0.0.1:8053/http500/dns-query'
      : hash0.endsWith('&nocors') ? 'http://127.0.0.1:8054/nocors/dns-query' : RIG_DOH;
    const hash = `${hash0.replace(/&(http500|nocors)$/, '')}&${doh(url)}`;
    const page = await openPage(env, { allowConsole: NETWORK_NOISE });
    await page.goto(env.url('index.html', { hash }));
    await done(page);
    const r = page.locator('#report');
    for (const check of ['mx', 'spf', 'dmarc']) {
      assert.equal(await r.locator(`#check-${check}`).getAttribute('data-status'), 'unknown', `${kind}: ${check}`);
      assert.match(await r.locator(`#check-${check} .sc-cause`).innerText(), cause);
      assert.equal(await r.locator(`#check-${check} button.sc-retry`).count(), 1);
    }
    if (banner) assert.match(await r.locator('.sc-notes').innerText(), banner);
    else assert.equal(await r.locator('.sc-unreachable').count(), 0, 'one failing name is not an unreachable resolver');
    // Every check of the domain unknown (with a failing name only the reputation lists
    // answer): no score and no grade, said in words. It was "A, 100" for SERVFAIL.
    assert.equal(await r.getAttribute('data-score'), '');
    assert.equal(await r.getAttribute('data-grade'), '');
    assert.match(await r.locator('.sc-score-number').innerText(), /not judged/);
    // Retry runs the check again and settles again (too fast against the rig to poll for
    // "running", so the status changes are recorded as they happen).
    await page.evaluate(() => {
      window.__statuses = [];
      const report = document.getElementById('report');
      new MutationObserver(() => window.__statuses.push(report.dataset.status)).observe(report, { attributes: true, attributeFilter: ['data-status'] });
    });
    await r.locator('#check-mx button.sc-retry').click();
    await page.waitForFunction(() => window.__statuses.includes('running') && window.__statuses.at(-1) === 'done');
    assert.equal(await r.locator('#check-mx').getAttribute('data-status'), 'unknown');
    await assertClean(assert, page);
    await page.close();
  });
}

test('xss.test: every payload from DNS renders as inert text within the viewport', needsRig, async () => {
  const page = await openPage(env, { allowConsole: NETWORK_NOISE });
  await page.addInitScript(() => {
    // A payload that ran would call one of these.
    window.__ran = [];
    for (const name of ['alert', 'confirm', 'prompt']) window[name] = (...a) => window.__ran.push([name, ...a]);
  });
  await page.goto(env.url('index.html', { hash: `#xss.test&selector=default&${doh()}` }));
  await done(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.__ran), []);
  assert.deepEqual(page.problems.dialogs, []);
  const r = page.locator('#report');
  assert.equal(await r.locator('img, script, iframe, object, embed, [onerror], [onload], svg[onload]').count(), 0, 'no element made from data');
  const text = await r.innerText();
  for (const payload of ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '"><svg onload=alert(1)>', 'l=javascript:alert(1)', 'javascript:alert(1)', 'verylongtokenwithoutanybreak']) {
    assert.ok(text.includes(payload), `payload shown as text: ${payload} in ${text.slice(0, 3000)}`);
  }
  assert.match(await r.locator('#check-mx tbody').innerText(), /<img\\ src=x\\ onerror=alert\(1\)>\.xss\.test/);
  const hrefs = await page.$$eval('#report a[href]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => /^(https?:|#)/.test(h)), `only web and in-page links: ${hrefs.filter((h) => !/^(https?:|#)/.test(h))}`);
  // No layout break: nothing in the report reaches past the viewport, at desktop and phone widths.
  for (const width of [1100, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForTimeout(100);
    const over = await page.evaluate(() => {
      const max = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('#report *')].filter((el) => {
        if (el.closest('.sc-table-wrap') && el !== el.closest('.sc-table-wrap')) return false; // tables scroll in their own box
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > max + 1;
      });
      // A table may scroll in its box, but data must not be what makes it scroll.
      const tables = [...document.querySelectorAll('#report .sc-table-wrap')].filter((t) => t.scrollWidth > t.clientWidth + 1).map((t) => t.getAttribute('aria-label'));
      return { page: document.documentElement.scrollWidth - max, wide: wide.slice(0, 5).map((el) => `${el.tagName}.${el.className?.baseVal ?? el.className}`), tables };
    });
    assert.ok(over.page <= 0, `page scrolls sideways by ${over.page} px at ${width} px`);
    assert.deepEqual(over.wide, [], `elements past the right edge at ${width} px`);
    assert.deepEqual(over.tables, [], `tables scrolling sideways at ${width} px`);
  }
  await page.screenshot({ path: path.join(HERE, 'screenshots', 'report-xss-360.png'), fullPage: true });
  await assertClean(assert, page);
  await page.close();
});

test('the element on the docs page runs two domains at once against the rig, events and re-runs', needsRig, async () => {
  const page = await openPage(env, { allowConsole: NETWORK_NOISE });
  await page.addInitScript(() => {
    window.__events = [];
    for (const type of ['sendercheck-progress', 'sendercheck-done', 'sendercheck-error']) {
      document.addEventListener(type, (e) => window.__events.push({
        type, id: e.target.id, composed: e.composed, check: e.detail.check, findings: e.detail.findings?.length, domain: e.detail.domain, score: e.detail.score,
      }));
    }
  });
  await page.goto(env.url('docs-example.html'));
  const shadowDone = (sel) => page.waitForFunction((s) => document.querySelector(s)?.shadowRoot?.querySelector('.sc-report-container[data-status="done"]'), sel, { timeout: 15_000 });
  // The page's own elements check example.com and example.org through Cloudflare, which the
  // rig's namespace cannot reach: point both at the rig's zones, in one task each (one re-run).
  // (Rewriting the page in flight would not do: Chromium treats a response made up by the test
  // as coming from a public address and refuses its requests to loopback.)
  await page.evaluate((rig) => {
    window.__events = [];
    const [first, second] = ['#first', '#second'].map((s) => document.querySelector(s));
    first.removeAttribute('ip');
    first.setAttribute('resolver', rig);
    first.setAttribute('domain', 'example.test');
    second.setAttribute('resolver', rig);
    second.setAttribute('selectors', 'default');
    second.setAttribute('domain', 'xss.test');
  }, RIG_DOH);
  await page.waitForFunction(() => window.__events.filter((e) => e.type === 'sendercheck-done').length >= 2, null, { timeout: 15_000 });
  await shadowDone('#first');
  await shadowDone('#second');
  assert.equal(await page.locator('#first .sc-domain').innerText(), 'example.test');
  assert.equal(await page.locator('#second .sc-domain').innerText(), 'xss.test');
  // Not mixed: each element shows its own domain's records.
  assert.match(await page.locator('#second #check-spf .sc-record-block').first().textContent(), /onerror=alert/);
  assert.doesNotMatch(await page.locator('#second').innerText(), /example\.test/);
  assert.equal(await page.locator('#first .sc-finding').count(), 0, 'compact: no findings list');
  let events = await page.evaluate(() => window.__events);
  const dones = events.filter((e) => e.type === 'sendercheck-done');
  assert.deepEqual(dones.map((e) => [e.id, e.domain]).sort(), [['first', 'example.test'], ['second', 'xss.test']]);
  assert.ok(dones.every((e) => Number.isInteger(e.score) && e.composed));
  for (const id of ['first', 'second']) {
    const progress = events.filter((e) => e.type === 'sendercheck-progress' && e.id === id);
    assert.deepEqual(progress.map((e) => e.check).sort(), ['bimi', 'dkim', 'dmarc', 'dnssec', 'mta_sts', 'mx', 'reputation', 'spf', 'tls_rpt']);
    assert.ok(progress.every((e) => Number.isInteger(e.findings)), 'progress events carry findings');
  }
  await page.waitForFunction(() => [...document.querySelectorAll('#event-log li')].some((li) => /example\.test/.test(li.textContent)));
  assert.match(await page.locator('#event-log').innerText(), /#first: example\.test: grade [A-F]/);

  // An attribute change re-runs that element alone.
  await page.evaluate(() => { window.__events = []; document.querySelector('#first').setAttribute('domain', 'servfail.fault.test'); });
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'sendercheck-done'));
  await shadowDone('#first');
  events = await page.evaluate(() => window.__events);
  assert.deepEqual(events.filter((e) => e.type === 'sendercheck-done').map((e) => [e.id, e.domain]), [['first', 'servfail.fault.test']]);
  assert.ok(events.every((e) => e.id === 'first'), 'the other element did not re-run');
  assert.equal(await page.locator('#first #check-dmarc').getAttribute('data-status'), 'unknown');
  assert.equal(await page.locator('#second .sc-domain').innerText(), 'xss.test');
  await assertClean(assert, page);
  await page.close();
});

test('after one visit the page works with the rig and the page server both stopped', needsRig, async () => {
  const { execFileSync } = await import('node:child_process');
  const rig = (script) => execFileSync(path.join(RIG_DIR, script), { stdio: 'pipe', timeout: 20_000 });
  const own = await setup({ serviceWorkers: 'allow' });
  const page = await openPage(own, { allowConsole: NETWORK_NOISE });
  let rigStopped = false;
  try {
    await page.goto(own.url('index.html'));
    await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
    const cached = await page.evaluate(async () => {
      const keys = [];
      for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) keys.push(new URL(req.url).pathname);
      return keys;
    });
    for (const file of ['/index.html', '/app.js', '/pkg/sendercheck.js', '/pkg/sendercheck_bg.wasm']) assert.ok(cached.includes(file), `${file} cached`);

    // Both servers gone: nothing answers on loopback but the service worker's cache.
    rig('stop.sh');
    rigStopped = true;
    await own.server.close();
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.api === 'ready', null, { timeout: 10_000 });
    await page.click('#tab-paste');
    await page.fill('#paste', 'v=spf1 a mx +all');
    await page.locator('#paste-result .sc-parsed').waitFor();
    assert.equal(await page.locator('#paste-result .sc-finding').first().getAttribute('data-code'), 'SPF019');
    await page.click('#tab-check');
    await page.evaluate((hash) => { location.hash = hash; }, `#example.test&${doh()}`);
    await done(page);
    assert.match(await page.locator('#report .sc-unreachable').innerText(), /DNS is unreachable: http:\/\/127\.0\.0\.1:8053\/dns-query gave no usable answer \(network error/);
    assert.equal(await page.locator('#check-spf').getAttribute('data-status'), 'unknown');
    await assertClean(assert, page);
  } finally {
    await page.close();
    await own.context.close();
    if (rigStopped) rig('start.sh');
  }
});

test('the form: bad sending IPs and selectors are said at their field, each check is a history entry, Retry keeps focus', needsRig, async () => {
  const page = await openPage(env, { allowConsole: NETWORK_NOISE });
  await page.goto(env.url('index.html', { hash: `#model.test&${doh()}` }));
  await done(page);
  const title = () => page.locator('.sc-report-title .sc-domain').innerText();
  assert.equal(await title(), 'model.test');

  // Sending IPs that are no addresses: every bad one named at the field; nothing runs, the
  // report and the fragment stay as they were (the probe saw the report replaced by an error).
  await page.locator('#options').evaluate((d) => { d.open = true; });
  await page.fill('#ips', '999.1.1.1 hello 192.0.2.1');
  await page.click('#run');
  await page.waitForSelector('#ips-error:not([hidden])');
  assert.match(await page.locator('#ips-error').innerText(), /"999\.1\.1\.1", "hello" are not IP addresses/);
  assert.equal(await page.getAttribute('#ips', 'aria-invalid'), 'true');
  assert.equal(await title(), 'model.test');
  assert.equal(await page.locator('#report').getAttribute('data-status'), 'done');
  assert.match(decodeURIComponent(new URL(page.url()).hash), /^#model\.test&doh=/);
  // A selector that cannot be one, the same way.
  await page.fill('#ips', '');
  await page.fill('#selectors', 'bad selector! s1');
  await page.click('#run');
  await page.waitForSelector('#selectors-error:not([hidden])');
  assert.match(await page.locator('#selectors-error').innerText(), /"selector!" is not a DKIM selector/);
  await page.fill('#selectors', '');

  // A check asked for in the form is a new history entry: Back returns to the one before.
  await page.fill('#q', 'smallbiz.test');
  await page.click('#run');
  await page.waitForFunction(() => location.hash.startsWith('#smallbiz.test'));
  await done(page);
  assert.equal(await page.locator('#ips-error').isHidden(), true);
  await page.goBack();
  await page.waitForFunction(() => location.hash.startsWith('#model.test'));
  await page.waitForFunction(() => document.querySelector('#report .sc-report-title .sc-domain')?.textContent === 'model.test'
    && document.querySelector('#report')?.dataset.status === 'done');

  // An internationalised name typed in Unicode is shown as typed, with its A-label beside it
  // (the A-label goes in the fragment and is what DNS is asked about).
  await page.fill('#q', 'Bücher.Test');
  await page.click('#run');
  await page.waitForFunction(() => location.hash.startsWith('#xn--bcher-kva.test'));
  await done(page);
  assert.equal(await title(), 'bücher.test');
  assert.match(await page.locator('.sc-report-title').innerText(), /\(xn--bcher-kva\.test\)/);

  // Retry from the keyboard: the card is drawn anew and focus stays in it, not at the top.
  await page.goto(env.url('index.html', { hash: `#servfail.fault.test&${doh()}` }));
  await done(page);
  await page.focus('#check-mx button.sc-retry');
  await page.evaluate(() => {
    window.__statuses = [];
    const report = document.getElementById('report');
    new MutationObserver(() => window.__statuses.push(report.dataset.status)).observe(report, { attributes: true, attributeFilter: ['data-status'] });
  });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__statuses.includes('running') && window.__statuses.at(-1) === 'done');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('.sc-card')?.id), 'check-mx');
  await assertClean(assert, page);
  await page.close();
});
