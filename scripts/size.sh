#!/usr/bin/env bash
# Prints what the browser page downloads, gzipped (gzip -9, close to what a static host
# serves): the wasm module, the wasm-bindgen JS glue, and the page's own JS and CSS.
# Exits 1 when wasm + JS (glue and page scripts) is over the budget, 150 KB gzipped.
#
#   scripts/size.sh            reuse www/pkg when it is newer than the sources, else build it
#   scripts/size.sh --build    always build www/pkg first (scripts/build-wasm.sh)
#   scripts/size.sh --no-build never build; fail when www/pkg is missing
set -euo pipefail
cd "$(dirname "$0")/.."

budget=$((150 * 1024))
wasm=www/pkg/sendercheck_bg.wasm
glue=www/pkg/sendercheck.js

mode=auto
case "${1:-}" in
  --build) mode=build ;;
  --no-build) mode=never ;;
  "") ;;
  *) echo "usage: scripts/size.sh [--build|--no-build]" >&2; exit 2 ;;
esac

stale() {
  [ -f "$wasm" ] && [ -f "$glue" ] || return 0
  # A source newer than the built module means the module is out of date.
  [ -n "$(find src Cargo.toml Cargo.lock scripts/build-wasm.sh -newer "$wasm" -print -quit 2>/dev/null)" ]
}

if [ "$mode" = build ] || { [ "$mode" = auto ] && stale; }; then
  scripts/build-wasm.sh >&2
elif [ ! -f "$wasm" ] || [ ! -f "$glue" ]; then
  echo "size: $wasm or $glue missing (run scripts/build-wasm.sh)" >&2
  exit 2
fi

gz() { gzip -9c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

row() { printf '%-28s %10s %10s\n' "$1" "$2" "$3"; }

row "file" "bytes" "gzipped"
js_total=0
css_total=0
raw_total=0
w=$(gz "$wasm")
row "$wasm" "$(wc -c < "$wasm")" "$w"
raw_total=$((raw_total + $(wc -c < "$wasm")))
g=$(gz "$glue")
row "$glue" "$(wc -c < "$glue")" "$g"
raw_total=$((raw_total + $(wc -c < "$glue")))
for f in www/*.js; do
  n=$(gz "$f")
  js_total=$((js_total + n))
  raw_total=$((raw_total + $(wc -c < "$f")))
  row "$f" "$(wc -c < "$f")" "$n"
done
for f in www/*.css; do
  n=$(gz "$f")
  css_total=$((css_total + n))
  raw_total=$((raw_total + $(wc -c < "$f")))
  row "$f" "$(wc -c < "$f")" "$n"
done

code=$((w + g + js_total))
all=$((code + css_total))
echo
row "wasm" "" "$w ($(kb "$w") KB)"
row "wasm-bindgen JS" "" "$g ($(kb "$g") KB)"
row "page JS (www/*.js)" "" "$js_total ($(kb "$js_total") KB)"
row "page CSS (www/*.css)" "" "$css_total ($(kb "$css_total") KB)"
row "wasm + JS" "" "$code ($(kb "$code") KB)"
row "total with CSS" "$raw_total" "$all ($(kb "$all") KB)"

if [ "$code" -gt "$budget" ]; then
  echo "size: wasm + JS is $(kb "$code") KB gzipped, over the 150 KB budget" >&2
  exit 1
fi
echo "size: wasm + JS is $(kb "$code") KB gzipped, within the 150 KB budget" >&2
