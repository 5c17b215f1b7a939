// The page (www/index.html) against the API selected by SENDERCHECK_API (mock by default).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, readFileSync as read } from 'node:fs';
import path from 'node:path';
import { setup, openPage, assertClean, done, MOCK, WWW, HERE } from './harness.mjs';

const fixture = (name) => JSON.parse(readFileSync(path.join(WWW, 'dev/fixtures', name), 'utf8'));
const needsMock = { skip: !MOCK && 'asserts the mock fixtures' };
const CHECKS = ['mx', 'spf', 'dmarc', 'dkim', 'mta_sts', 'tls_rpt', 'bimi', 'dnssec', 'reputation', 'ip'];
const OFFLINE = 'DNS is unreachable: you appear to be offline';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** The bytes a span covers, as the Rust side means it. */
const byteSlice = (text, span) => Buffer.from(text, 'utf8').subarray(span.start, span.end).toString('utf8');

test('every check is pending at once, then the report settles with score and status', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { query: 'mockdelay=120' }));
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  await page.fill('#q', 'example.com');
  await page.click('#run');
  await page.waitForSelector('#report[data-status="running"]');
  const pending = await page.$$eval('#report .sc-card', (cards) => cards.map((c) => [c.dataset.check, c.dataset.status]));
  assert.deepEqual(pending.map(([c]) => c), CHECKS);
  assert.ok(pending.filter(([, s]) => s === 'pending').length >= 8, `most checks pending at first: ${JSON.stringify(pending)}`);
  assert.deepEqual(pending.at(-1), ['ip', 'skipped'], 'with no sending IP the IP card settles at once');
  assert.equal(await page.$eval('#report', (r) => r.dataset.score), undefined);
  await done(page);
  assert.equal(await page.$eval('#report', (r) => r.dataset.score), '62');
  assert.equal(await page.locator('#report .sc-card[data-status="pending"]').count(), 0);
  assert.equal(page.url().split('#')[1], 'example.com', 'running a check updates the fragment');
  await assertClean(assert, page);
  await page.close();
});

test('renders every section of the rich report', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#example.com&ip=192.0.2.1&selector=s1' }));
  await done(page);
  const r = page.locator('#report');
  assert.equal(await r.getAttribute('data-score'), '62');
  assert.equal(await r.locator('.sc-grade').innerText(), 'D');
  assert.match(await r.locator('.sc-score').innerText(), /5 points unknown/);
  assert.equal(await r.locator('.sc-area').count(), 5);
  const statuses = await r.locator('.sc-card').evaluateAll((cards) => Object.fromEntries(cards.map((c) => [c.dataset.check, c.dataset.status])));
  assert.deepEqual(statuses, { mx: 'pass', spf: 'fail', dmarc: 'warn', dkim: 'warn', mta_sts: 'warn', tls_rpt: 'pass', bimi: 'missing', dnssec: 'unknown', reputation: 'pass', ip: 'fail' });
  // Badges say their status in words, not colour alone.
  assert.equal(await r.locator('#check-spf .sc-card-head .sc-badge').innerText(), 'Fail');
  // SPF include tree: nested, with the crossing node marked.
  assert.equal(await r.locator('#check-spf details.sc-tree-node').count(), 10);
  const crossed = r.locator('#check-spf .sc-limit-crossed');
  assert.equal(await crossed.count(), 1);
  assert.equal(await crossed.getAttribute('data-domain'), '_spf.eu.mailgun.org');
  assert.match(await crossed.locator('summary').innerText(), /11\/10.*limit crossed here/);
  assert.match(await r.locator('#check-spf .sc-lookups').innerText(), /12 of 10 DNS lookups/);
  // Unknown check: cause and Retry.
  assert.match(await r.locator('#check-dnssec .sc-cause').innerText(), /SERVFAIL/);
  assert.equal(await r.locator('#check-dnssec button.sc-retry').count(), 1);
  // DKIM selectors, MX hosts.
  assert.equal(await r.locator('#check-dkim .sc-selector').count(), 4);
  assert.equal(await r.locator('#check-mx tbody tr').count(), 2);
  // Sending IP: PTR, FCrDNS, SPF result, blocklists in every status, and the port 25 statement.
  const ip = r.locator('#check-ip');
  assert.match(await ip.innerText(), /mail\.example\.com/);
  assert.match(await ip.innerText(), /FCrDNS\)\s*yes/);
  const bl = await ip.locator('.sc-blocklists tbody tr .sc-badge').evaluateAll((b) => b.map((x) => x.dataset.status));
  assert.deepEqual(bl, ['listed', 'clear', 'refused', 'unknown']);
  const zen = ip.locator('.sc-blocklists tbody tr').first();
  assert.match(await zen.innerText(), /Spamhaus ZEN[\s\S]*1\.2\.0\.192\.zen\.spamhaus\.org[\s\S]*spam or abuse[\s\S]*127\.0\.0\.3[\s\S]*snowshoe/);
  assert.equal(await zen.locator('a').getAttribute('href'), 'https://check.spamhaus.org/');
  // Domain reputation: its own card with the domain lists, and the refusal's finding.
  const rep = r.locator('#check-reputation');
  assert.equal(await rep.locator('.sc-card-title').innerText(), 'Domain reputation');
  assert.match(await rep.locator('.sc-summary').innerText(), /not listed on the 2 domain lists that answered/);
  assert.deepEqual(await rep.locator('.sc-blocklists tbody tr').evaluateAll((rows) => rows.map((row) => [row.cells[0].innerText.split('\n')[0], row.querySelector('.sc-badge').dataset.status])),
    [['Spamhaus DBL', 'clear'], ['SURBL', 'clear'], ['URIBL', 'refused']]);
  assert.match(await rep.locator('.sc-blocklists tbody tr').nth(2).innerText(), /refused the query: this resolver is blocked/);
  assert.equal(await rep.locator('.sc-blocklists a').nth(2).getAttribute('href'), 'https://admin.uribl.com/');
  assert.equal(await rep.locator('.sc-finding').getAttribute('data-code'), 'BL104');
  // DKIM102: the given selector without a key is a finding of the DKIM card.
  assert.match(await r.locator('#check-dkim .sc-finding[data-code="DKIM102"]').innerText(), /selector old has no key/);
  assert.match(await ip.locator('.sc-port25').innerText(), /does not need to accept inbound SMTP \(port 25\).*never connect back.*MX/s);
  // Requirements table with dated source links.
  const req = r.locator('.sc-requirements-table tbody tr');
  assert.equal(await req.count(), 6);
  assert.match(await req.nth(5).innerText(), /Microsoft[\s\S]*Not met[\s\S]*2025-05-05/);
  assert.match(await req.nth(0).locator('a').getAttribute('href'), /^https:\/\/support\.google\.com\//);
  // Findings: message, copyable fix, link to rule documentation.
  const f = r.locator('#check-dmarc .sc-finding').first();
  assert.match(await f.innerText(), /policy none does not protect the domain/);
  assert.equal(await f.locator('.sc-codeblock code').innerText(), 'v=DMARC1; rua=mailto:rapports@exämple.fr; p=quarantine; fo=1');
  assert.equal(await f.locator('a.sc-rule-link').getAttribute('href'), '#rule/DMARC005');
  await assertClean(assert, page);
  await page.close();
});

test('the ip section and its port 25 statement show even with no sending IP', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#example.com' }));
  await done(page);
  assert.equal(await page.locator('#check-ip').getAttribute('data-status'), 'skipped');
  assert.match(await page.locator('#check-ip').innerText(), /No sending IP given[\s\S]*port 25/);
  await page.close();
});

test('highlights sit on the byte spans, including after non-ASCII text', needsMock, async () => {
  const report = fixture('report.json');
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#example.com&ip=192.0.2.1&selector=s1' }));
  await done(page);
  const seen = await page.$$eval('#report .sc-card', (cards) => cards.flatMap((card) => {
    const items = [...card.querySelectorAll('.sc-finding')].map((li) => ({ n: li.dataset.n, code: li.dataset.code }));
    return items.map(({ n, code }) => {
      const marks = [...card.querySelectorAll('.sc-mark')].filter((m) => m.dataset.findings.split(' ').includes(n));
      return { check: card.dataset.check, code, text: marks.map((m) => m.textContent).join(''), record: marks[0]?.closest('.sc-record')?.textContent ?? null };
    });
  }));
  const withSpans = report.findings.filter((f) => f.span && f.check !== 'ip');
  assert.ok(withSpans.length >= 8);
  for (const f of withSpans) {
    const got = seen.find((s) => s.check === f.check && s.code === f.code);
    assert.ok(got, `finding ${f.code} rendered`);
    assert.equal(got.record, f.record, `${f.code} highlighted in its record`);
    assert.equal(got.text, byteSlice(f.record, f.span), `${f.code} highlight text`);
  }
  // The DMARC record has "ä" (2 bytes) before p=none: byte 43 is JS index 42.
  const dmarc = seen.find((s) => s.code === 'DMARC005');
  assert.equal(dmarc.text, 'p=none');
  await page.close();
});

test('byte spans map to string indices for multi-byte and astral characters', async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html'));
  const out = await page.evaluate(async () => {
    const { byteSpanToRange } = await import('./render.js');
    const cases = [
      ['abc', { start: 1, end: 2 }],
      ['ä=b', { start: 2, end: 3 }], // after a 2-byte char
      ['x😀y', { start: 5, end: 6 }], // after a 4-byte char (2 UTF-16 units)
      ['x😀y', { start: 2, end: 3 }], // inside the emoji: widens to all of it
      ['abc', { start: 3, end: 3 }], // insertion point at the end
      ['abc', { start: 9, end: 12 }], // past the end
      ['abc', { start: 1, end: 99 }], // clamped
    ];
    return cases.map(([t, s]) => {
      const r = byteSpanToRange(t, s);
      return r && [r.start, r.end, t.slice(r.start, r.end)];
    });
  });
  assert.deepEqual(out, [[1, 2, 'b'], [1, 2, '='], [3, 4, 'y'], [1, 3, '😀'], [3, 3, ''], null, [1, 3, 'bc']]);
  // Lines and columns in characters, in a text long enough for its index to be kept.
  const where = await page.evaluate(async () => {
    const { spanPosition } = await import('./render.js');
    const text = `a😀\r\nbä c\n${'x'.repeat(5000)}\nend`;
    const bytes = (s) => new TextEncoder().encode(s).length;
    return [
      spanPosition(text, { start: 1, end: 5 }),
      spanPosition(text, { start: bytes('a😀\r\nbä '), end: bytes('a😀\r\nbä c') }),
      spanPosition(text, { start: bytes(text) - 3, end: bytes(text) }),
      spanPosition(text, { start: bytes(text), end: bytes(text) }),
    ];
  });
  assert.deepEqual(where, [{ line: 1, column: 2 }, { line: 2, column: 4 }, { line: 4, column: 1 }, { line: 4, column: 4 }]);
  await page.close();
});

test('a report finding with a related place marks both places and says where the other one is', async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html'));
  const out = await page.evaluate(async () => {
    const { findingItem } = await import('./render.js');
    // As check() reports a duplicated tag: spans are UTF-8 bytes, and "ä" before them is two.
    const record = 'v=DMARC1; rua=mailto:d@exämple.fr; p=none; p=reject';
    const finding = {
      code: 'DMARC005', severity: 'error', check: 'dmarc', message: 'tag `p` appears more than once', help: 'keep one `p` tag',
      record, span: { start: 44, end: 52 }, related: { start: 36, end: 42 }, related_label: 'the first one', name: '_dmarc.example.com',
    };
    const item = findingItem(finding, 3, {}, { showRecord: true });
    const marks = [...item.querySelectorAll('.sc-record .sc-mark')];
    return {
      record: item.querySelector('.sc-record').textContent,
      marks: marks.map((m) => [m.textContent, m.dataset.findings, m.dataset.related ?? null, m.dataset.n ?? null, m.classList.contains('sc-related')]),
      where: item.querySelector('.sc-finding-related').textContent,
      title: marks.find((m) => m.dataset.related)?.title,
    };
  });
  assert.equal(out.record, 'v=DMARC1; rua=mailto:d@exämple.fr; p=none; p=reject');
  // Only the finding's own mark carries its number; the related one is tied to it by data-related.
  assert.deepEqual(out.marks, [['p=none', '', '3', null, true], ['p=reject', '3', null, '3', false]]);
  assert.equal(out.where, 'The first one is at column 36.', 'columns count characters, not bytes');
  assert.equal(out.title, 'the first one, for DMARC005: tag `p` appears more than once');
  await assertClean(assert, page);
  await page.close();
});

test('help lines split into prose and a record to copy', async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html'));
  const out = await page.evaluate(async () => {
    const { splitHelp } = await import('./render.js');
    return [
      'v=DMARC1; p=reject',
      'remove mechanisms you do not send from, e.g. v=spf1 include:x ~all',
      'write name, ttl, class, type and data, e.g. @ 3600 IN TXT "v=spf1 -all"',
      'publish example.com._report._dmarc.x TXT "v=DMARC1"',
      'replace with `v=spf1 -all`',
      'use -all once every sender is listed',
    ].map(splitHelp);
  });
  assert.deepEqual(out, [
    { prose: '', code: 'v=DMARC1; p=reject' },
    { prose: 'remove mechanisms you do not send from, e.g.', code: 'v=spf1 include:x ~all' },
    { prose: 'write name, ttl, class, type and data, e.g.', code: '@ 3600 IN TXT "v=spf1 -all"' },
    { prose: 'publish:', code: 'example.com._report._dmarc.x TXT "v=DMARC1"' },
    { prose: 'replace with:', code: 'v=spf1 -all' },
    { prose: 'use -all once every sender is listed', code: null },
  ]);
  await page.close();
});

test('hostile DNS data renders as inert text', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#xss.example&ip=192.0.2.1' }));
  await done(page);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no payload ran');
  assert.equal(await page.locator('#report img, #report script, #report svg[onload], #report [onerror]').count(), 0);
  const text = await page.locator('#report').innerText();
  for (const payload of ['<img src=x onerror=', '<script>window.__xss', '"><svg onload=']) {
    assert.ok(text.includes(payload), `payload shown as text: ${payload}`);
  }
  const hrefs = await page.$$eval('#report a[href]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0);
  assert.ok(hrefs.every((h) => !/^\s*javascript:/i.test(h)), `no javascript: links: ${hrefs}`);
  // The unknown rule code is plain text; the known one still links.
  assert.equal(await page.locator('#check-spf a.sc-rule-link').count(), 1);
  // The domain lists carry payloads too: shown as text, their lookup links made inert.
  assert.ok((await page.locator('#check-reputation').innerText()).includes('<img src=x onerror='));
  assert.deepEqual(await page.$$eval('#check-reputation .sc-blocklists a', (as) => [...new Set(as.map((a) => a.getAttribute('href')))]), ['#']);
  await assertClean(assert, page);
  await page.close();
});

test('Retry re-runs the check and the unknown check resolves', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#retry.example' }));
  await done(page);
  assert.equal(await page.locator('#report').getAttribute('data-score'), '62');
  await page.focus('#check-dnssec button.sc-retry');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#report[data-status="running"]');
  await done(page);
  assert.equal(await page.locator('#check-dnssec').getAttribute('data-status'), 'pass');
  // The card was drawn anew; the keyboard user's focus stays in it (its title, as a passing
  // card has no Retry button), not back at the top of the page.
  assert.equal(await page.evaluate(() => document.activeElement?.closest('#check-dnssec')?.id ?? document.activeElement?.tagName), 'check-dnssec');
  assert.equal(await page.locator('#report').getAttribute('data-score'), '67');
  await assertClean(assert, page);
  await page.close();
});

test('a report no check could judge says "not judged", with empty data-score and data-grade', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#unjudged.example' }));
  await done(page);
  const r = page.locator('#report');
  assert.equal(await r.getAttribute('data-score'), '');
  assert.equal(await r.getAttribute('data-grade'), '');
  assert.match(await r.locator('.sc-score-number').innerText(), /^not judged: too few checks could be completed/);
  assert.equal(await r.locator('.sc-grade').getAttribute('aria-label'), 'Not judged');
  assert.doesNotMatch(await r.locator('.sc-score').innerText(), /null|undefined|NaN/);
  assert.match(await page.locator('#status').innerText(), /not judged|unreachable/i);
  const statuses = await r.locator('.sc-card').evaluateAll((cards) => cards.map((c) => c.dataset.status));
  assert.deepEqual(statuses, [...Array(9).fill('unknown'), 'skipped']);
  // Every domain list unknown, each with why.
  assert.deepEqual(await r.locator('#check-reputation .sc-blocklists .sc-badge').evaluateAll((b) => b.map((x) => x.dataset.status)), ['unknown', 'unknown', 'unknown']);
  assert.match(await r.locator('#check-reputation .sc-blocklists').innerText(), /HTTP 500/);
  await assertClean(assert, page);
  await page.close();
});

test('the fragment carries domain and options; the form writes it back', needsMock, async () => {
  const page = await openPage(env);
  const doh = encodeURIComponent('https://dns.google/dns-query');
  await page.goto(env.url('index.html', { hash: `#example.net&ip=192.0.2.1&ip=198.51.100.7&selector=s1&selector=k2&doh=${doh}` }));
  await done(page);
  assert.equal(await page.inputValue('#q'), 'example.net');
  assert.equal(await page.inputValue('#ips'), '192.0.2.1 198.51.100.7');
  assert.equal(await page.inputValue('#selectors'), 's1 k2');
  assert.ok(await page.isChecked('input[name="resolver"][value="https://dns.google/dns-query"]'));
  assert.deepEqual(await page.$$eval('#check-ip .sc-ip', (s) => s.map((x) => x.dataset.address)), ['192.0.2.1', '198.51.100.7']);
  assert.match(await page.locator('.sc-meta').innerText(), /dns\.google/);
  assert.match(await page.locator('#check-dkim').innerText(), /k2/);

  // Typing an address and submitting normalises it and replaces the fragment.
  await page.fill('#q', 'Someone@Example.ORG');
  await page.fill('#ips', '');
  await page.fill('#selectors', '');
  await page.check('input[name="resolver"][value="https://cloudflare-dns.com/dns-query"]');
  await page.click('#run');
  await page.waitForFunction(() => location.hash === '#example.org');
  await done(page);
  assert.equal(await page.locator('.sc-report-title .sc-domain').innerText(), 'example.org');

  // Bad input: the normaliser's message, inline.
  await page.fill('#q', 'not a domain');
  await page.click('#run');
  await page.waitForSelector('#q-error:not([hidden])');
  assert.match(await page.locator('#q-error').innerText(), /space/);
  assert.equal(await page.getAttribute('#q', 'aria-invalid'), 'true');

  // Sending IPs that are no addresses: said at the field, every one, and the report stays.
  await page.fill('#q', 'example.org');
  await page.fill('#ips', '999.1.1.1 hello 192.0.2.1');
  await page.click('#run');
  await page.waitForSelector('#ips-error:not([hidden])');
  assert.match(await page.locator('#ips-error').innerText(), /"999\.1\.1\.1", "hello" are not IP addresses/);
  assert.equal(await page.getAttribute('#ips', 'aria-invalid'), 'true');
  assert.equal(await page.locator('.sc-report-title .sc-domain').innerText(), 'example.org');
  assert.equal(new URL(page.url()).hash, '#example.org', 'the fragment keeps the last good query');

  // Each check asked for in the form is a history entry: Back returns to the one before.
  await page.fill('#ips', '');
  await page.fill('#q', 'example.com');
  await page.click('#run');
  await page.waitForFunction(() => location.hash === '#example.com');
  await done(page);
  await page.goBack();
  await page.waitForFunction(() => location.hash === '#example.org');
  await page.waitForFunction(() => document.querySelector('.sc-report-title .sc-domain')?.textContent === 'example.org');
  await done(page);
  await assertClean(assert, page);
  await page.close();
});

test('rule documentation opens in a dialog from a finding and from #rule/CODE', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#example.com' }));
  await done(page);
  await page.click('#check-spf a.sc-rule-link[href="#rule/SPF010"]');
  const dialog = page.locator('dialog.sc-dialog[open]');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /SPF010\s+SpfTooManyLookups[\s\S]*What it checks[\s\S]*Why it matters[\s\S]*Problematic[\s\S]*Corrected[\s\S]*References/);
  assert.equal(await dialog.locator('a[href^="https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4"]').count(), 1);
  assert.equal(new URL(page.url()).hash, '#example.com', 'the query stays in the fragment');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog.sc-dialog:not([open])', { state: 'attached' });

  await page.goto(env.url('index.html', { hash: '#rule/DMARC005' }));
  await page.locator('dialog.sc-dialog[open]').waitFor();
  assert.match(await page.locator('dialog.sc-dialog').innerText(), /DmarcPolicyNone/);
  await assertClean(assert, page);
  await page.close();
});

test('paste mode diagnoses as you type with the network off, and keeps the text', async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#paste' }));
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  // The rule documentation is fetched once the page is ready; let it arrive before going offline.
  await page.waitForFunction(() => document.documentElement.dataset.ruleDocs === 'ready');
  await page.fill('#paste', '');
  await env.context.setOffline(true);
  try {
    const text = 'example.com. 3600 IN TXT "v=spf1 a mx +all"\n_dmarc.example.com. 300 IN TXT "v=DMARC1; p=none; rua=mailto:d@exämple.fr"\nnonsense here';
    await page.locator('#paste').pressSequentially(text.slice(0, 20));
    await page.locator('#paste').fill(text);
    await page.waitForSelector('#paste-result .sc-parsed');
    const spf = page.locator('#paste-result .sc-parsed[data-kind="spf"]');
    assert.equal(await spf.locator('.sc-mark').first().textContent(), '+all');
    if (MOCK) assert.match(await spf.innerText(), /SPF001/);
    const dmarc = page.locator('#paste-result .sc-parsed[data-kind="dmarc"]');
    assert.equal(await dmarc.locator('.sc-mark').first().textContent(), 'p=none');
    assert.match(await page.locator('#paste-result .sc-parsed-zone').innerText(), /line 3/);
    // The mock marks the whole line; the real parser marks the word where a record type should be.
    assert.equal(await page.locator('#paste-result .sc-parsed-zone .sc-mark').textContent(), MOCK ? 'nonsense here' : 'here');

    // A live check while offline says so plainly.
    await page.click('#tab-check');
    await page.fill('#q', 'example.com');
    await page.click('#run');
    await page.waitForSelector('#report[data-status="error"]');
    assert.match(await page.locator('#report').innerText(), new RegExp(OFFLINE));
  } finally {
    await env.context.setOffline(false);
  }
  await page.reload();
  await page.click('#tab-paste');
  assert.match(await page.inputValue('#paste'), /v=spf1 a mx \+all/, 'the pasted text survives a reload');
  assert.deepEqual(page.problems.errors, []);
  assert.deepEqual(await page.csp(), []);
  await page.close();
});

test('pre-flight runs the check with the pasted records', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#paste' }));
  await page.waitForFunction(() => document.documentElement.dataset.api === 'ready');
  await page.fill('#paste', 'example.com. 3600 IN TXT "v=spf1 a mx +all"');
  await page.fill('#preflight-domain', '');
  await page.$eval('#q', (q) => { q.value = ''; });
  await page.click('#preflight');
  await done(page);
  assert.equal(await page.locator('.sc-report-title .sc-domain').innerText(), 'example.com');
  assert.equal(await page.locator('#check-spf .sc-record-block').first().textContent(), 'v=spf1 a mx +all');
  assert.equal(await page.locator('#check-spf .sc-mark').first().textContent(), '+all');
  await assertClean(assert, page);
  await page.close();
});

test('exports the report as JSON', needsMock, async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#example.com' }));
  await done(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download JSON')]);
  assert.match(download.suggestedFilename(), /^sendercheck-example\.com-\d{4}-\d\d-\d\d\.json$/);
  const json = JSON.parse(read(await download.path(), 'utf8'));
  assert.equal(json.domain, 'example.com');
  assert.equal(json.score, 62);
  await page.close();
});

test('screenshots in light and dark, and no sideways scrolling at 360 px', needsMock, async () => {
  const dir = path.join(HERE, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const page = await openPage(env);
  await page.goto(env.url('index.html', { hash: '#example.com&ip=192.0.2.1&selector=s1' }));
  await done(page);
  // mock-*.png: screenshots/report.png is the real build's report (real.test.mjs).
  await page.screenshot({ path: path.join(dir, 'mock-report.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(dir, 'mock-report-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.waitForTimeout(100);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1], `page is ${widths[0]} px wide in a ${widths[1]} px window`);
  await page.screenshot({ path: path.join(dir, 'mock-report-360.png'), fullPage: true });
  await page.close();
});

test('keyboard: tabs move with arrow keys and focus is visible', async () => {
  const page = await openPage(env);
  await page.goto(env.url('index.html'));
  await page.focus('#tab-check');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-paste');
  assert.equal(await page.getAttribute('#tab-paste', 'aria-selected'), 'true');
  assert.equal(await page.isHidden('#panel-check'), true);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('#tab-check', 'aria-selected'), 'true');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focused control shows an outline');
  await page.close();
});
