#!/usr/bin/env bash
# Runs the DoH and sending-IP integration tests against the rig inside a private network
# namespace, where loopback is the only interface, so nothing can leak out. Needs root (for unshare -n).
# Extra arguments go to `cargo test`, e.g. `tests/rig/run-tests.sh -- --nocapture`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# Build first, outside the timing of the rig.
cargo test --offline --test doh --test ip --no-run
exec unshare -n bash -c '
    set -uo pipefail
    ip link set lo up
    tests/rig/start.sh || exit 1
    SENDERCHECK_RIG=1 cargo test --offline --test doh --test ip "$@"
    status=$?
    tests/rig/stop.sh
    exit $status
' run-tests "$@"
