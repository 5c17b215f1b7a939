#!/usr/bin/env bash
# Runs every test of sendercheck: unit and data tests, the RFC 7208 suite, the DoH tests
# against a real NSD + dnsdist rig on loopback, the wasm tests and the page's end-to-end tests
# in headless Chromium. Installs what is missing first (scripts/setup.sh).
#
# Networked tests run in a private network namespace where loopback is the only interface,
# so nothing can reach the internet. The last line is "N passed, M failed" over all runners.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup.sh

# Everything that needs the network (crates, npm) is fetched and built before entering the
# namespace; inside it, cargo runs --offline.
cargo fetch --quiet
cargo test --no-run --quiet 2>&1 | grep -v '^\s*Executable' || true
cargo build --quiet
scripts/build-wasm.sh
# The npm package is assembled from this build by tests/browser/package.test.mjs itself
# (scripts/build-package.sh --no-wasm copies files; npm pack needs no network), so the test
# always packs the current build script's output.
# Built with SENDERCHECK_RIG set, as test-inner.sh runs it (tests/wasm.rs reads it at compile time).
SENDERCHECK_RIG=1 cargo test --target wasm32-unknown-unknown --test wasm --no-run --quiet 2>&1 | grep -v '^\s*Executable' || true

logs="$root/target/test-logs"
rm -rf "$logs"
mkdir -p "$logs"

inner="$root/scripts/test-inner.sh"
if [ "$(id -u)" = 0 ]; then
  unshare -n bash "$inner" "$logs"
else
  unshare -rn bash "$inner" "$logs"
fi
status=$?

# One summary over every runner, so the last line CI reads counts the real tests.
passed=0
failed=0
for log in "$logs"/*.log; do
  [ -f "$log" ] || continue
  while read -r p f; do
    passed=$((passed + p))
    failed=$((failed + f))
  done < <(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$log")
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p))
  failed=$((failed + f))
done
echo
echo "all runners: $passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
echo "$passed passed, $failed failed"
