// The npm package (scripts/build-package.sh -> target/npm/): `npm pack` ships exactly what
// package.json declares, and the unpacked tarball works in Chromium both ways a developer uses
// it: `import { init, ... } from 'sendercheck'` and the README's two-line embed snippet.
//
// The test assembles the package itself from the wasm build in www/pkg/ (build-package.sh
// --no-wasm: a copy, no network), so it needs scripts/build-wasm.sh run first, as
// scripts/test.sh does; without www/pkg it skips.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';
import { launch } from './browser.mjs';
import { HERE } from './harness.mjs';

const ROOT = path.resolve(HERE, '../..');
const BUILT = existsSync(path.join(ROOT, 'www/pkg/sendercheck_bg.wasm'));
const needsBuild = { skip: !BUILT && 'needs the wasm build in www/pkg: run scripts/build-wasm.sh' };
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

let tmp;
let site; // the static site: sendercheck/ (the unpacked tarball), node_modules/sendercheck -> it
let pkg; // package.json as packed
let packed; // the tarball's file list, package/ prefix removed
let server;
let context;

before(async () => {
  if (!BUILT) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sendercheck-package-'));
  const npmEnv = {
    ...process.env,
    npm_config_cache: path.join(tmp, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_loglevel: 'error',
  };
  execFileSync(path.join(ROOT, 'scripts/build-package.sh'), ['--no-wasm'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const npmDir = path.join(ROOT, 'target/npm');
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: npmDir, env: npmEnv, encoding: 'utf8' }));
  const tarball = path.join(tmp, report.filename);
  // What is really in the tarball, as tar sees it (not npm's own account of it).
  packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n').filter((p) => p && !p.endsWith('/')).map((p) => p.replace(/^package\//, '')).sort();
  site = path.join(tmp, 'site');
  mkdirSync(path.join(site, 'node_modules'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', site]);
  renameSync(path.join(site, 'package'), path.join(site, 'sendercheck'));
  symlinkSync('../sendercheck', path.join(site, 'node_modules', 'sendercheck'));
  pkg = JSON.parse(readFileSync(path.join(site, 'sendercheck/package.json'), 'utf8'));
  server = await serve(site, 0);
  context = await launch();
});

after(async () => {
  await context?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Where a specifier lands through the package's `exports`, relative to the site root. */
function resolveFromSite(specifier) {
  const require = createRequire(path.join(site, 'page.js'));
  return path.relative(site, require.resolve(specifier)).split(path.sep).join('/');
}

/** A page that records every request and every error. */
async function openPage() {
  const page = await context.newPage();
  const seen = { requests: [], errors: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('response', (r) => { if (r.status() !== 200) seen.errors.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => seen.errors.push(`failed ${r.url()}`));
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.errors.push(`console: ${m.text()}`); });
  page.seen = seen;
  return page;
}

test('npm pack ships exactly what package.json declares', needsBuild, () => {
  const cargo = readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  const field = (key) => new RegExp(`^\\[package\\][\\s\\S]*?^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(cargo)?.[1];
  assert.equal(pkg.name, 'sendercheck');
  assert.equal(pkg.version, field('version'));
  assert.equal(pkg.license, field('license'));
  assert.equal(pkg.type, 'module');
  assert.deepEqual(packed, [...pkg.files, 'package.json', 'README.md', 'LICENSE'].sort(), 'the tarball holds files + package.json + README.md + LICENSE and nothing else');
  assert.equal(new Set(pkg.files).size, pkg.files.length, 'no file listed twice');
  // Every export, and the types, point at a file that is shipped.
  const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  for (const t of [...targets, pkg.types, ...pkg.sideEffects.filter((s) => !s.includes('*'))]) {
    assert.ok(packed.includes(t.replace(/^\.\//, '')), `${t} is in the tarball`);
  }
  // Node resolves the public specifiers through `exports` to those files.
  assert.equal(resolveFromSite('sendercheck'), 'sendercheck/index.js');
  assert.equal(resolveFromSite('sendercheck/element'), 'sendercheck/sender-check.js');
  assert.equal(resolveFromSite('sendercheck/sendercheck_bg.wasm'), 'sendercheck/pkg/sendercheck_bg.wasm');
  assert.equal(resolveFromSite('sendercheck/render.css'), 'sendercheck/render.css');
  assert.throws(() => resolveFromSite('sendercheck/api.js'), /ERR_PACKAGE_PATH_NOT_EXPORTED|not defined by "exports"/);
  // One source for the report types: the shipped module types are www/sendercheck.d.ts.
  assert.equal(readFileSync(path.join(site, 'sendercheck/pkg/sendercheck.d.ts'), 'utf8'), readFileSync(path.join(ROOT, 'www/sendercheck.d.ts'), 'utf8'));
  assert.match(readFileSync(path.join(site, 'sendercheck/index.d.ts'), 'utf8'), /from '\.\/pkg\/sendercheck\.js'/);
});

test('`import ... from "sendercheck"` works from the unpacked package', needsBuild, async () => {
  // A plain HTML page; the import map sends the bare specifier where Node's resolution of the
  // package's exports sends it.
  const imports = { sendercheck: `/${resolveFromSite('sendercheck')}` };
  writeFileSync(path.join(site, 'api.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>api</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
import { init, check, parse, rules, normalizeDomain } from 'sendercheck';
const out = {};
try { parse('v=spf1 -all'); out.early = 'no error'; } catch (e) { out.early = e.message; }
const first = init();
out.samePromise = first === init();
await first;
await init();
const parsed = parse('v=spf1 include=_spf.example.com +all');
out.parsed = { kind: parsed.kind, codes: parsed.records.flatMap((r) => r.diagnostics.map((d) => d.code)) };
out.rules = rules().map((r) => ({ code: r.code, name: r.name, documented: [r.checks, r.why, r.problematic, r.corrected, r.references].every((s) => s.length > 0) }));
out.domain = normalizeDomain('Postmaster@Example.TEST');
try { normalizeDomain('not a domain'); } catch (e) { out.badDomain = e.message; }
const zone = ['$ORIGIN example.test.', '@ 3600 IN MX 10 mail', '@ 3600 IN TXT "v=spf1 mx -all"', '_dmarc 3600 IN TXT "v=DMARC1; p=reject"', 'mail 3600 IN A 192.0.2.25'].join('\\n');
const events = [];
const report = await check('example.test', { offline: true, zone }, (e) => events.push(e.check));
out.report = { domain: report.domain, spf: report.checks.spf.record, dmarc: report.checks.dmarc.policy, events, reputation: report.checks.reputation.status };
window.__out = out;
</script></head><body></body></html>`);
  const page = await openPage();
  await page.goto(`${server.url}api.html`);
  const out = await (await page.waitForFunction(() => window.__out, null, { timeout: 15_000 })).jsonValue();
  assert.match(out.early, /await init\(\) before calling parse\(\)/);
  assert.equal(out.samePromise, true, 'init() is idempotent');
  assert.equal(out.parsed.kind, 'spf');
  // The catalogue: every rule documented, codes unique, the families all there.
  const codes = out.rules.map((r) => r.code);
  const plusAll = out.rules.find((r) => r.name === 'SpfPlusAll')?.code;
  assert.ok(plusAll && out.parsed.codes.includes(plusAll), `+all is flagged (${plusAll}): ${out.parsed.codes}`);
  assert.ok(out.parsed.codes.length >= 2, `include= is flagged too: ${out.parsed.codes}`);
  assert.ok(codes.length >= 50, `${codes.length} rules`);
  assert.equal(new Set(codes).size, codes.length);
  assert.ok(out.rules.every((r) => r.documented));
  for (const code of ['SPF001', 'DMARC001', 'DKIM102', 'BL101', 'IP101', 'ZONE001']) assert.ok(codes.includes(code), code);
  assert.equal(out.domain, 'example.test');
  assert.ok(out.badDomain?.length > 0, 'a bad domain throws an Error with a message');
  assert.equal(out.report.domain, 'example.test');
  assert.equal(out.report.spf, 'v=spf1 mx -all');
  assert.equal(out.report.dmarc, 'reject');
  assert.ok(['mx', 'spf', 'dmarc', 'dkim', 'reputation'].every((c) => out.report.events.includes(c)), `progress events: ${out.report.events}`);
  // The wasm came from the package, and nothing else was asked for.
  assert.ok(page.seen.requests.some((u) => u.endsWith('/sendercheck/pkg/sendercheck_bg.wasm')));
  assert.ok(page.seen.requests.every((u) => u.startsWith(server.url)), `only the site: ${page.seen.requests}`);
  assert.deepEqual(page.seen.errors, []);
  await page.close();
});

test('the README embed snippet runs the element from the unpacked package, in paste mode', needsBuild, async () => {
  const readme = readFileSync(path.join(site, 'sendercheck/README.md'), 'utf8');
  const snippet = /## The element[\s\S]*?```html\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(snippet, 'the README has an html snippet under "The element"');
  assert.equal(snippet.trim().split('\n').length, 2, 'two lines of HTML');
  assert.match(snippet, /<script type="module" src="\/sendercheck\/sender-check\.js"><\/script>/);
  // Paste mode needs no network: the snippet as given, with mode="paste" added.
  const body = snippet.replace('<sender-check ', '<sender-check id="el" mode="paste" ');
  writeFileSync(path.join(site, 'element.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}"><link rel="icon" href="data:,"><title>element</title></head><body>
${body}</body></html>`);
  const page = await openPage();
  await page.goto(`${server.url}element.html`);
  const textarea = page.locator('#el textarea');
  await textarea.waitFor({ timeout: 15_000 });
  await textarea.fill('v=DMARC1; p=none; rua=mailto:d@example.test');
  await page.locator('#el .sc-parsed').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('#el .sc-parsed').getAttribute('data-kind'), 'dmarc');
  assert.equal(await page.locator('#el .sc-mark').first().textContent(), 'p=none');
  assert.match(await page.locator('#el .sc-finding').first().getAttribute('data-code'), /^DMARC\d{3}$/);
  // The rule catalogue loaded: the finding's code opens its documentation.
  await page.locator('#el .sc-finding button.sc-rule-link').first().click();
  await page.locator('#el dialog[open]').waitFor();
  // Styles, API glue and wasm all came from the package folder, and the page stayed on its origin.
  const paths = page.seen.requests.map((u) => new URL(u).pathname);
  for (const p of ['/sendercheck/render.css', '/sendercheck/sender-check.css', '/sendercheck/api.js', '/sendercheck/pkg/sendercheck_bg.wasm']) {
    assert.ok(paths.includes(p), `${p} loaded`);
  }
  assert.ok(page.seen.requests.every((u) => u.startsWith(server.url)), `only the site: ${page.seen.requests}`);
  const styled = await page.locator('#el .sc-root').evaluate((n) => getComputedStyle(n).fontFamily);
  assert.ok(styled.length > 0);
  assert.deepEqual(page.seen.errors, []);
  await page.close();
});
