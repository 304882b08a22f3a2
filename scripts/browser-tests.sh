#!/usr/bin/env bash
# Quality gates in a real browser: builds the shipped site with the release binary, serves
# it on 127.0.0.1 and runs browser-tests/ with node's test runner in Debian's headless
# Chromium: axe-core at WCAG 2.2 A and AA, the Nu HTML checker over every page, keyboard,
# directory search and filters (a table of queries with the services each must find),
# no-JavaScript and print behaviour, the site on a phone (no page wider than 320 px, focus
# contrast, the menu, charts, matrix and maps, titles and index pages), and screenshots of
# the main pages in target/browser-screenshots/. The search on a national-size data set is
# measured, not tested, by scripts/bench-search.sh.
#
# Installs what it needs on a fresh Debian machine (as root, or with sudo): chromium, a
# Java runtime for the checker, Node.js and npm, then `npm ci` of the pinned packages.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages) ..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The pinned packages; --ignore-scripts so vnu-jar does not try to download a Java of its own.
(cd browser-tests && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
cargo build --release --locked --quiet
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$CARGO_TARGET_DIR/release/scopemap" build --out "$tmp/public" >/dev/null

rm -rf target/browser-screenshots
mkdir -p target/browser-screenshots
export SCOPEMAP_SITE="$tmp/public"
export SCOPEMAP_SCREENSHOTS="$repo/target/browser-screenshots"
export SCOPEMAP_CHROMIUM=/usr/bin/chromium

cd browser-tests
# One test file at a time (each starts its own server and Chromium on this 2-core
# machine); TAP output, so node's summary lines close the run.
node --test --test-concurrency=1 --test-reporter=tap \
  tests/html.test.mjs tests/accessibility.test.mjs tests/behaviour.test.mjs tests/phone.test.mjs \
  tests/search.test.mjs tests/compare.test.mjs \
  tests/screenshots.test.mjs
