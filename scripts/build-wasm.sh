#!/usr/bin/env bash
# Builds the browser module: release wasm (size-optimised profile) and the wasm-bindgen ES
# module glue into www/pkg/. The result, www/, is a folder any static host can serve as is.
set -euo pipefail
cd "$(dirname "$0")/.."
# Size first: opt-level "z" for the module the page downloads (the release profile itself is
# opt-level 3, for native builds).
CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}" \
  cargo build --release --lib --target wasm32-unknown-unknown "$@"
rm -rf www/pkg
# The name section (function names, ~330 KB) and the producers section are only for
# debuggers and tooling; the page does not need them.
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir www/pkg --out-name sendercheck \
  target/wasm32-unknown-unknown/release/sendercheck.wasm
echo "build-wasm: www/pkg/sendercheck_bg.wasm $(wc -c < www/pkg/sendercheck_bg.wasm) bytes, $(gzip -9c www/pkg/sendercheck_bg.wasm | wc -c) gzipped" >&2
