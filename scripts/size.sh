#!/usr/bin/env bash
# Prints what the browser page downloads, gzipped (gzip -9, close to what a static host
# serves): the wasm module, the wasm-bindgen JS glue, and the page's own JS and CSS.
# Exits 1 when a page's wasm + JS (the wasm, its glue and the scripts that page loads) is over
# the budget, 150 KB gzipped. rules.json (rule documentation, fetched after the page is ready)
# is shown apart.
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

# The scripts a page loads: its entry module and, transitively, every module it imports
# statically from www/ (the wasm glue is counted apart; api.js imports it dynamically).
page_scripts() {
  local queue=("$@") seen=() f dep
  while [ "${#queue[@]}" -gt 0 ]; do
    f=${queue[0]}; queue=("${queue[@]:1}")
    [[ " ${seen[*]} " == *" $f "* ]] && continue
    seen+=("$f")
    for dep in $(grep -oE "^import [^;]* from '\./[a-z0-9-]+\.js'" "www/$f" | grep -oE "[a-z0-9-]+\.js'$" | tr -d "'"); do
      queue+=("$dep")
    done
  done
  echo "${seen[@]}"
}

# What each page needs before it works: the wasm, its glue and the page's own scripts. The
# service worker is registered by the checker page, so it counts there.
over=0
page_total() {
  local label=$1; shift
  local files total=$((w + g)) f
  files=$(page_scripts "$@")
  for f in $files; do total=$((total + $(gz "www/$f"))); done
  [ -f www/sw.js ] && [ "$label" = "checker page (index.html)" ] && { files="$files sw.js"; total=$((total + $(gz www/sw.js))); }
  row "$label" "" "$total ($(kb "$total") KB)"
  echo "    = wasm + glue + $files"
  [ "$total" -gt "$budget" ] && over=1
  return 0
}

code=$((w + g + js_total))
all=$((code + css_total))
echo
row "wasm" "" "$w ($(kb "$w") KB)"
row "wasm-bindgen JS" "" "$g ($(kb "$g") KB)"
row "all page JS (www/*.js)" "" "$js_total ($(kb "$js_total") KB)"
row "page CSS (www/*.css)" "" "$css_total ($(kb "$css_total") KB)"
if [ -f www/rules.json ]; then
  r=$(gz www/rules.json)
  row "rules.json (after ready)" "$(wc -c < www/rules.json)" "$r ($(kb "$r") KB)"
fi
row "total with CSS" "$raw_total" "$all ($(kb "$all") KB)"
echo
echo "wasm + JS, per page (the budget, 150 KB gzipped, holds for each):"
page_total "checker page (index.html)" app.js
page_total "embedding (docs-example)" docs-example.js sender-check.js

if [ "$over" -ne 0 ]; then
  echo "size: a page's wasm + JS is over the 150 KB gzipped budget" >&2
  exit 1
fi
echo "size: every page's wasm + JS is within the 150 KB gzipped budget" >&2
