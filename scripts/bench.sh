#!/usr/bin/env bash
# Prints one table of figures (markdown) for docs/benchmarks.md:
#   (a) native parse throughput, records/s, SPF / DMARC / DKIM corpora, diagnostics included,
#       in the shipped release profile (opt-level 3) and at opt-level "z" (what the wasm uses);
#   (b) the same inside wasm under node (release profile, the page's build settings, plus the
#       `bench-wasm` export), built with wasm-bindgen --target nodejs into target/bench-wasm/;
#   (c) a full `sendercheck check example.test` against the DoH rig's 50 ms route, in a private
#       network namespace: wall time, queries, critical path depth, wall / (depth x 50 ms);
#   (d) peak memory (maximum resident set size) of that check, from /usr/bin/time -v.
# Then the machine. Needs root (unshare -n), nsd and dnsdist (tests/rig), node, wasm-bindgen,
# /usr/bin/time. Each parse figure is one timed run of SECONDS_PER_KIND (default 2) seconds
# after a warm-up round, on one thread.
#
#   scripts/bench.sh [SECONDS_PER_KIND]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_KIND="${1:-2}"
CORPUS="${SENDERCHECK_CORPUS:-$(pwd)/../shared/testsuites/corpus}"
OUT=target/bench-out
mkdir -p "$OUT"

# What the tests need (rig, browser, wasm-bindgen), and GNU time for the peak memory.
scripts/setup.sh
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq --no-install-recommends time >/dev/null; else sudo apt-get install -y -qq --no-install-recommends time >/dev/null; fi
fi

echo "bench: building (release, opt-level z, wasm, CLI)" >&2
cargo build --quiet --release --example parse_bench
CARGO_PROFILE_RELEASE_OPT_LEVEL=z cargo build --quiet --release --example parse_bench --target-dir target/bench-oz
CARGO_PROFILE_RELEASE_OPT_LEVEL=z cargo build --quiet --release --lib --target wasm32-unknown-unknown --features bench-wasm \
    --target-dir target/bench-wasm/cargo
wasm-bindgen --target nodejs --out-dir target/bench-wasm/pkg --out-name sendercheck_bench \
    target/bench-wasm/cargo/wasm32-unknown-unknown/release/sendercheck.wasm
cargo build --quiet --release --bin sendercheck

echo "bench: native parse (opt-level 3, then z)" >&2
target/release/examples/parse_bench "$CORPUS" "$SECONDS_PER_KIND" >"$OUT/native-3.txt"
target/bench-oz/release/examples/parse_bench "$CORPUS" "$SECONDS_PER_KIND" >"$OUT/native-z.txt"

echo "bench: wasm parse under node" >&2
node - "$CORPUS" "$SECONDS_PER_KIND" >"$OUT/wasm.txt" <<'JS'
const fs = require("fs");
const { bench_parse } = require(process.cwd() + "/target/bench-wasm/pkg/sendercheck_bench.js");
const [dir, seconds] = [process.argv[2], Number(process.argv[3])];
for (const [kind, file] of [["spf", "spf-records.txt"], ["dmarc", "dmarc-records.txt"], ["dkim", "dkim-key-records.txt"]]) {
  const text = fs.readFileSync(`${dir}/${file}`, "utf8");
  const records = text.split("\n").filter((l) => l.length > 0).length;
  const diagnostics = bench_parse(kind, text, 1);
  // Warm up (the JIT tiers the module up over the first calls), then time batches of rounds
  // until the budget is spent. CPU time is the process's user+system time (one thread).
  const run = (budget) => {
    let rounds = 0;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < budget) {
      bench_parse(kind, text, 5);
      rounds += 5;
      elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    }
    const cpu = process.cpuUsage(cpu0);
    return { rounds, elapsed, cpu: (cpu.user + cpu.system) / 1e6 };
  };
  run(Math.min(1, seconds / 2));
  const { rounds, elapsed, cpu } = run(seconds);
  const parsed = records * rounds;
  console.log(`${kind} ${Math.round(parsed / elapsed)} ${Math.round(parsed / cpu)} ${records} ${rounds} ${elapsed.toFixed(3)} ${diagnostics}`);
}
JS

echo "bench: full check through the rig's /delay50 route" >&2
# A rig directory of our own: the default one may belong to a test run in another namespace,
# and start.sh stops whatever PIDs it finds recorded there.
SENDERCHECK_RIG_DIR="$(mktemp -d /tmp/sendercheck-bench-rig.XXXXXX)"
export SENDERCHECK_RIG_DIR
unshare -n bash -c '
    set -uo pipefail
    ip link set lo up
    tests/rig/start.sh >/dev/null || exit 1
    /usr/bin/time -v -o "$1/time.txt" target/release/sendercheck check example.test \
        --doh http://127.0.0.1:8053/delay50/dns-query --json >"$1/report.json"
    status=$?
    tests/rig/stop.sh >/dev/null 2>&1
    # 0 = all good; other codes say how the domain scored, which is not a failure here.
    [ -s "$1/report.json" ]
' bench "$OUT"
rm -rf "$SENDERCHECK_RIG_DIR"

python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]

def rates(name):
    rows = {}
    for line in open(f"{out}/{name}"):
        kind, wall_rate, cpu_rate, records, rounds, seconds, diags = line.split()
        rows[kind] = (int(wall_rate), int(cpu_rate), int(records), int(rounds), float(seconds), int(diags))
    return rows

nz, n3, wasm = rates("native-z.txt"), rates("native-3.txt"), rates("wasm.txt")
report = json.load(open(f"{out}/report.json"))
time_txt = open(f"{out}/time.txt").read()
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_txt).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", time_txt).group(1)
parts = [float(p) for p in wall.split(":")]
process_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
depth, queries, elapsed = report["critical_path"], report["queries"], report["elapsed_ms"]

def fmt(n):
    return f"{n:,}".replace(",", " ")

print("| parse throughput, records/s, diagnostics included (per CPU second / per wall second) | SPF | DMARC | DKIM |")
print("|---|---:|---:|---:|")
for label, rows in [("(a) native, release profile (opt-level 3, as shipped)", n3),
                    ("(a) native, opt-level z", nz),
                    ("(b) wasm under node, release profile (opt-level z)", wasm)]:
    print(f"| {label} | " + " | ".join(f"{fmt(rows[k][1])} / {fmt(rows[k][0])}" for k in ("spf", "dmarc", "dkim")) + " |")
print(f"| records in the corpus / diagnostics per pass (native = wasm: {all(nz[k][5] == wasm[k][5] for k in nz)}) | " + " | ".join(
    f"{nz[k][2]} / {nz[k][5]}" for k in ("spf", "dmarc", "dkim")) + " |")
print()
print("| (c), (d) full check of `example.test` through `/delay50/dns-query` (50 ms per answer) | value |")
print("|---|---:|")
print(f"| wall time of the check (report `elapsed_ms`) | {elapsed} ms |")
print(f"| wall time of the process (`/usr/bin/time`) | {process_s * 1000:.0f} ms |")
print(f"| DNS queries sent | {queries} |")
print(f"| critical path depth (queries in sequence) | {depth} |")
ratio = elapsed / (depth * 50) if depth else float("nan")
print(f"| wall / (depth x 50 ms) | {ratio:.2f} |")
print(f"| peak memory (maximum resident set size) | {rss_kb / 1024:.1f} MiB |")
print(f"| report: score / grade | {report['score']} / {report['grade']} |")
PY

# (e) What the page downloads, gzipped (scripts/size.sh), and its time to interactive in headless
# Chromium from loopback (benches/page.mjs: navigation start to the wasm module ready).
echo
if [ -d tests/browser/node_modules ]; then
  scripts/size.sh 2>/dev/null | grep -E '^(wasm  |wasm-bindgen JS|checker page|embedding|rules.json)' > "$OUT/size.txt" || true
  page_cold=$(node benches/page.mjs 7)
  page_warm=$(node benches/page.mjs 7 --warm)
  python3 - "$OUT/size.txt" "$page_cold" "$page_warm" <<'PY'
import json, sys
sizes = [line.rsplit("  ", 1) for line in open(sys.argv[1]).read().splitlines()]
pages = [json.loads(arg) for arg in sys.argv[2:4]]
print("| (e) the page | value |")
print("|---|---:|")
for name, value in sizes:
    name = name.strip()
    if name.startswith(("checker", "embedding")):
        name += ": wasm + JS"
    print(f"| {name} (gzipped) | {' '.join(value.split()[-3:])} |")
for page in pages:
    browser = "a browser started for the run" if page["mode"] == "cold" else "a running browser, new context"
    print(f"| time to interactive, headless Chromium, loopback, {browser} (median of {page['runs']}; min-max) | {page['median_ms']} ms ({page['min_ms']}-{page['max_ms']}) |")
PY
else
  echo "(e) skipped: run scripts/setup.sh first (the page benchmark needs tests/browser/node_modules)"
fi

echo
echo "Machine: $(nproc) CPUs available ($(grep -c ^processor /proc/cpuinfo) in /proc/cpuinfo)," \
    "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory;" \
    "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
