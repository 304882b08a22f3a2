#!/usr/bin/env bash
# Runs every check scopemap has, on a fresh machine: installs what the tests need
# (Chromium and Poppler for the printed report), then formatting, lints, the test suite,
# and validation, a build and a check of the shipped site.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs) and run this again" >&2
  exit 2
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages) ..."
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
cargo run --locked --quiet -- validate
site="$(mktemp -d)/public"
cargo run --locked --quiet -- build --out "$site"
cargo run --locked --quiet -- check --out "$site"
echo "screenshots of printed report pages: target/test-artifacts/"
bash scripts/browser-tests.sh
