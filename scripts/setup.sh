#!/usr/bin/env bash
# Installs what building and testing sendercheck needs on a fresh Debian machine, and nothing
# that is already there: Debian packages (DNS rig and headless browser), the wasm32 target,
# wasm-bindgen-cli of exactly the version in Cargo.lock, and the browser tests' npm packages.
# Safe to run again; each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

need_apt=()
# SENDERCHECK_SETUP_MINIMAL=1 (used by scripts/serve.sh) skips what only the tests need.
minimal=${SENDERCHECK_SETUP_MINIMAL:-0}
if [ "$minimal" != 1 ]; then
command -v nsd >/dev/null 2>&1 || [ -x /usr/sbin/nsd ] || need_apt+=(nsd)
command -v dnsdist >/dev/null 2>&1 || need_apt+=(dnsdist)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v unshare >/dev/null 2>&1 || need_apt+=(util-linux)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
fi
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# NSD and dnsdist start as system services when installed; the tests run their own copies.
for service in nsd dnsdist; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    as_root systemctl stop "$service" || true
  fi
done

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen crate version exactly, or the generated JS breaks.
# Cargo.lock is committed; `cargo generate-lockfile` would re-resolve every dependency to the
# newest version in the local registry cache (it rewrote the lock file on a warm machine), so it runs
# only when the file is missing.
[ -f Cargo.lock ] || cargo generate-lockfile
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then
  log "cannot read the wasm-bindgen version from Cargo.lock"
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  log "installing wasm-bindgen-cli $wb_version (a few minutes on 2 cores)"
  # Not --locked: the CLI's own lock file pins a crate version the registry mirror lacks.
  cargo install -q wasm-bindgen-cli --version "$wb_version"
fi

if [ "$minimal" != 1 ] && [ -f tests/browser/package-lock.json ] && [ ! -d tests/browser/node_modules ]; then
  log "installing the browser tests' npm packages"
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi
log "ready"
