#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS_PER_TARGET seconds (default 20) and prints a table
# target / executions / exec/s / crashes. Needs nightly and cargo-fuzz (`cargo install cargo-fuzz`).
# Seeds come from fuzz/seed.sh (run here when fuzz/corpus is missing); crashing inputs land in
# fuzz/artifacts/<target>/. Exit status 1 when any target crashed.
#
#   scripts/fuzz.sh            # 20 s per target
#   scripts/fuzz.sh 60         # longer
#   TARGETS="spf zone" scripts/fuzz.sh 30
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_PER_TARGET="${1:-20}"
# No sanitizer: the crate has no unsafe code, and without ASan libFuzzer runs about twice as
# many inputs. Debug assertions and overflow checks stay on (cargo-fuzz's default).
FUZZ_FLAGS=(-s none)
TARGETS="${TARGETS:-$(cargo +nightly fuzz list)}"
[ -d corpus ] || ./seed.sh
cargo +nightly fuzz build "${FUZZ_FLAGS[@]}" >&2 || exit 2
LOGS=target/fuzz-logs
mkdir -p "$LOGS"
declare -a ROWS
failed=0
for target in $TARGETS; do
    mkdir -p "artifacts/$target" "corpus/$target"
    before=$(find "artifacts/$target" -type f | wc -l)
    log="$LOGS/$target.log"
    echo "fuzz: $target for ${SECONDS_PER_TARGET}s" >&2
    cargo +nightly fuzz run "${FUZZ_FLAGS[@]}" "$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1
    status=$?
    after=$(find "artifacts/$target" -type f | wc -l)
    crashes=$((after - before))
    # "stat::number_of_executed_units: N" from -print_final_stats; after a crash, the last "#N" line.
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    rate=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    ROWS+=("$(printf '%-16s %12s %8s %8s' "$target" "${execs:-?}" "${rate:-?}" "$crashes")")
    # A run that ends in error without leaving a crashing input did not fuzz at all (the
    # target failed to build or start): that is a failure too, not "0 crashes".
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        failed=1
        echo "fuzz: $target did not run (exit $status); log fuzz/$log" >&2
        tail -20 "$log" >&2
    fi
    if [ "$crashes" -gt 0 ]; then
        failed=1
        echo "fuzz: $target crashed; inputs in fuzz/artifacts/$target/, log fuzz/$log" >&2
        grep -m1 -A3 "panicked at" "$log" >&2 || tail -20 "$log" >&2
    fi
done
printf '%-16s %12s %8s %8s\n' target executions exec/s crashes
printf '%s\n' "${ROWS[@]}"
exit $failed
