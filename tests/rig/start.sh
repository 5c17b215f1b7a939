#!/usr/bin/env bash
# Starts the DoH rig: NSD on 127.0.0.1:5300 serving zones/, dnsdist in front of it with DoH on
# http://127.0.0.1:8053/dns-query (and the fault routes listed in README.md). Prints the PIDs
# and returns once DoH answers from NSD. State and logs live in $SENDERCHECK_RIG_DIR
# (default /tmp/sendercheck-rig); stop.sh stops what this started.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
run=${SENDERCHECK_RIG_DIR:-/tmp/sendercheck-rig}

if [[ -f "$run/nsd.rig.pid" || -f "$run/dnsdist.rig.pid" ]]; then
    echo "rig: already started in $run; stopping it first" >&2
    "$here/stop.sh" || true
fi

rm -rf "$run"
mkdir -p "$run/zones"
cp "$here"/zones/*.zone "$run/zones/"
sed -e "s|@RUN@|$run|g" -e "s|@ZONES@|$run/zones|g" "$here/nsd.conf.in" > "$run/nsd.conf"
cp "$here/dnsdist.conf.in" "$run/dnsdist.conf"

# NSD in the foreground (-d) so $! is its PID; dnsdist supervised (no console on stdin).
nsd -d -c "$run/nsd.conf" > "$run/nsd.out" 2>&1 < /dev/null &
nsd_pid=$!
echo "$nsd_pid" > "$run/nsd.rig.pid"
dnsdist --supervised --disable-syslog -C "$run/dnsdist.conf" > "$run/dnsdist.out" 2>&1 < /dev/null &
dnsdist_pid=$!
echo "$dnsdist_pid" > "$run/dnsdist.rig.pid"

# A query for example.test SOA (id 0, RD): ready when DoH answers it with NOERROR from NSD.
probe="http://127.0.0.1:8053/dns-query?dns=AAABAAABAAAAAAAAB2V4YW1wbGUEdGVzdAAABgAB"
fail() {
    echo "rig: $1" >&2
    echo "--- nsd.out" >&2; cat "$run/nsd.out" "$run/nsd.log" 2>/dev/null >&2 || true
    echo "--- dnsdist.out" >&2; cat "$run/dnsdist.out" >&2 || true
    "$here/stop.sh" >&2 || true
    exit 1
}
start=$(date +%s%N)
while true; do
    kill -0 "$nsd_pid" 2> /dev/null || fail "nsd exited"
    kill -0 "$dnsdist_pid" 2> /dev/null || fail "dnsdist exited"
    # Byte 4 of the answer holds the rcode in its low nibble; 0x80 in byte 3 is QR.
    flags=$(curl -s --noproxy '*' --max-time 1 -H 'accept: application/dns-message' "$probe" 2> /dev/null \
        | od -An -tx1 -N4 | tr -d ' \n' || true)
    if [[ ${#flags} -eq 8 && ${flags:4:1} =~ [89a-f] && ${flags:7:1} == 0 ]]; then
        break
    fi
    if (( ($(date +%s%N) - start) / 1000000 > 5000 )); then
        fail "DoH did not answer within 5 s"
    fi
    sleep 0.02
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
echo "rig: nsd pid $nsd_pid (127.0.0.1:5300), dnsdist pid $dnsdist_pid (DoH http://127.0.0.1:8053/dns-query), ready in ${elapsed} ms"
