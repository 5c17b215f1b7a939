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
  # The page against the fixture-backed mock API (www/dev/mock-pkg.js): layout, streaming,
  # the form and the fragment, with reports no rig zone gives. The mock, like the page, takes
  # navigator.onLine === false for "offline", and Chromium reports that while loopback is the
  # only interface; a veth pair whose both ends stay in this namespace gives it a network that
  # leads nowhere, so the page behaves as online and still nothing leaves the namespace.
  if ip link add sc-veth0 type veth peer name sc-veth1 \
    && ip addr add 10.255.255.1/24 dev sc-veth0 && ip link set sc-veth0 up && ip link set sc-veth1 up \
    && ip route add default dev sc-veth0; then
    run browser-mock-test env -C tests/browser SENDERCHECK_API=mock node --test --test-concurrency=1
  else
    echo "!! browser-mock-test: could not give the namespace a veth pair; the mock-mode page tests did not run"
    failed=1
  fi
fi
exit $failed
