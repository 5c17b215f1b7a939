#!/usr/bin/env bash
# Builds the page (release wasm into www/pkg) and serves www/ on http://127.0.0.1:8080.
# Installs what the build needs first. PORT=... picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
SENDERCHECK_SETUP_MINIMAL=1 scripts/setup.sh
scripts/build-wasm.sh
port=${PORT:-8080}
echo "serving www/ on http://127.0.0.1:$port/ (Ctrl-C stops)" >&2
exec node tests/browser/serve.mjs www "$port"
