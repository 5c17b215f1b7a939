#!/usr/bin/env bash
# Builds the browser module: release wasm (size-optimised profile) and the wasm-bindgen ES
# module glue into www/pkg/. The result, www/, is a folder any static host can serve as is.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --lib --target wasm32-unknown-unknown "$@"
rm -rf www/pkg
wasm-bindgen --target web --out-dir www/pkg --out-name sendercheck \
  target/wasm32-unknown-unknown/release/sendercheck.wasm
echo "build-wasm: www/pkg/sendercheck_bg.wasm $(wc -c < www/pkg/sendercheck_bg.wasm) bytes, $(gzip -9c www/pkg/sendercheck_bg.wasm | wc -c) gzipped" >&2
