#!/usr/bin/env bash
# Assembles the npm package in target/npm/ from the wasm build (www/pkg/), the element's files
# (www/) and the package's own files (npm/): `npm pack target/npm` makes the tarball.
#
#   scripts/build-package.sh            builds the wasm first (scripts/build-wasm.sh)
#   scripts/build-package.sh --no-wasm  packs the www/pkg/ already built
#
# The layout keeps www/'s relative paths (sender-check.js -> api.js -> pkg/sendercheck.js), so
# the element works from the package folder exactly as from www/. name, version, license and
# description come from Cargo.toml; `files` lists exactly what is copied here.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--no-wasm" ]]; then
  scripts/build-wasm.sh
fi
for f in www/pkg/sendercheck.js www/pkg/sendercheck_bg.wasm; do
  [[ -f "$f" ]] || { echo "build-package: $f is missing: run scripts/build-wasm.sh first" >&2; exit 1; }
done

out=target/npm
rm -rf "$out"
mkdir -p "$out/pkg"

# source -> path in the package. pkg/sendercheck.d.ts is www/sendercheck.d.ts (the typed API of
# the wasm module, the one source of the report types), not wasm-bindgen's `any`-typed one.
files=(
  npm/index.js:index.js
  npm/index.d.ts:index.d.ts
  npm/element.d.ts:element.d.ts
  www/sender-check.js:sender-check.js
  www/api.js:api.js
  www/rules.json:rules.json
  www/render.js:render.js
  www/render.css:render.css
  www/sender-check.css:sender-check.css
  www/pkg/sendercheck.js:pkg/sendercheck.js
  www/pkg/sendercheck_bg.wasm:pkg/sendercheck_bg.wasm
  www/sendercheck.d.ts:pkg/sendercheck.d.ts
)
shipped=()
for pair in "${files[@]}"; do
  cp "${pair%%:*}" "$out/${pair#*:}"
  shipped+=("${pair#*:}")
done
# npm always packs README.md; it is the package's own, with the embed snippet.
cp npm/README.md "$out/README.md"
# npm always packs LICENSE too; the package carries the project's.
cp LICENSE "$out/LICENSE"

node - "$out" "${shipped[@]}" <<'NODE'
const { readFileSync, writeFileSync } = require('node:fs');
const [out, ...files] = process.argv.slice(2);

// The [package] table's string keys: enough TOML for `key = "value"` lines.
const cargo = {};
let section = null;
for (const line of readFileSync('Cargo.toml', 'utf8').split('\n')) {
  const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
  if (header) section = header[1].trim();
  const kv = /^\s*([A-Za-z0-9_-]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(line);
  if (section === 'package' && kv) cargo[kv[1]] = JSON.parse(`"${kv[2]}"`);
}
for (const key of ['name', 'version', 'license', 'description']) {
  if (!cargo[key]) throw new Error(`build-package: Cargo.toml [package] has no ${key}`);
}

const pkg = {
  name: cargo.name,
  version: cargo.version,
  description: cargo.description,
  license: cargo.license,
  keywords: ['email', 'deliverability', 'spf', 'dkim', 'dmarc', 'mta-sts', 'bimi', 'dns-over-https', 'webassembly', 'custom-element'],
  type: 'module',
  exports: {
    '.': { types: './index.d.ts', default: './index.js' },
    './element': { types: './element.d.ts', default: './sender-check.js' },
    './sendercheck_bg.wasm': './pkg/sendercheck_bg.wasm',
    './rules.json': './rules.json',
    './render.css': './render.css',
    './sender-check.css': './sender-check.css',
    './package.json': './package.json',
  },
  types: './index.d.ts',
  files,
  // Importing the element module defines <sender-check>; the style sheets are side effects too.
  sideEffects: ['./sender-check.js', '*.css'],
};
writeFileSync(`${out}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
console.error(`build-package: ${out}/ ${pkg.name}@${pkg.version}, ${files.length} files + package.json, README.md`);
NODE
