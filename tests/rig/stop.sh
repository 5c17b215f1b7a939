#!/usr/bin/env bash
# Stops the rig started by start.sh: TERM to each PID it recorded, in parallel, then waits
# (dnsdist takes about 1.3 s to exit, NSD about 2 s); KILL after 5 s.
set -uo pipefail

run=${SENDERCHECK_RIG_DIR:-/tmp/sendercheck-rig}
pids=()
for name in nsd dnsdist; do
    file="$run/$name.rig.pid"
    [[ -f "$file" ]] || continue
    pid=$(cat "$file")
    rm -f "$file"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2> /dev/null; then
        kill -TERM "$pid" 2> /dev/null && pids+=("$pid")
    fi
done
for _ in $(seq 100); do
    alive=()
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2> /dev/null && alive+=("$pid")
    done
    pids=("${alive[@]}")
    (( ${#pids[@]} == 0 )) && break
    sleep 0.05
done
for pid in "${pids[@]}"; do
    echo "rig: pid $pid still running after 5 s, killing it" >&2
    kill -KILL "$pid" 2> /dev/null
done
echo "rig: stopped"
