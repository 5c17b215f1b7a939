#!/usr/bin/env bash
# The part of scripts/test.sh that runs inside the network namespace: loopback only.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$1
ip link set lo up

failed=0
run() {
  local name=$1
  shift
  echo "== $name"
  if "$@" > >(tee "$logs/$name.log") 2>&1; then
    :
  else
    echo "!! $name failed"
    failed=1
  fi
}

tests/rig/start.sh || { echo "!! the DoH rig did not start"; exit 1; }
trap 'tests/rig/stop.sh' EXIT

export SENDERCHECK_RIG=1
run cargo-test cargo test --offline
run wasm-test env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_TIMEOUT=120 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --offline --target wasm32-unknown-unknown --test wasm
# The page and the element against the real build in www/pkg (built by test.sh) and the rig;
# run from tests/browser so node --test finds the *.test.mjs files there and only those.
if [ -d tests/browser/node_modules ]; then
  run browser-test env -C tests/browser SENDERCHECK_API=pkg node --test --test-concurrency=1
fi
exit $failed
