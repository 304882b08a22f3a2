#!/usr/bin/env bash
# Runs every check scopemap has, on a fresh machine: formatting, lints, the test suite, and
# validation and a build of the shipped data.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs) and run this again" >&2
  exit 2
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
cargo run --locked --quiet -- validate
site="$(mktemp -d)/public"
cargo run --locked --quiet -- build --out "$site"
cargo run --locked --quiet -- check --out "$site"
