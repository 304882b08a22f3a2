#!/usr/bin/env bash
# Benchmarks the directory search on the national SYNTHETIC data set (made by `scopemap
# fixture`: 42 regions, 5 areas each, 10 years, 20,000 services). Not a test: it prints
# figures, and writes them to WORK/search-results.md.
#
#   bash scripts/bench-search.sh [WORK]            # WORK defaults to a new temporary folder
#   BENCH_PAGEFIND=1 bash scripts/bench-search.sh  # and Pagefind's figures beside ours
#
# With the release binary it generates the set (kept in WORK/site for later runs, with this
# repository's theme copied in afresh each time), builds it into WORK/public and reports:
#   - the largest HTML pages and how many are over 500 KB, and the size of data/directory.json;
#   - the search index: how many files, their total size, the largest of each kind;
#   - in Chromium with the CPU slowed four times (browser-tests/bench/search.mjs), for each
#     query of BENCH_QUERIES (separated by `|`; a default set otherwise): the time from entering the query to the first result drawn
#     (median of BENCH_RUNS fresh pages, 3 by default, and every run), and the bytes the
#     search transferred (as sent, and gzipped), and the bytes of typing it a letter at a
#     time.
# With BENCH_PAGEFIND=1 it also builds scripts/pagefind-compare from scratch with two jobs
# (timed, and counting its crates), indexes the same services with Pagefind into
# WORK/public/pagefind (timed) and measures Pagefind's searches the same way.
#
# Needs the browser suite's packages (scripts/browser-tests.sh installs them) and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
runs="${BENCH_RUNS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
if [ -n "${BENCH_BIN:-}" ]; then
  bin="$BENCH_BIN"
else
  cargo build --release --locked --quiet
  bin="$CARGO_TARGET_DIR/release/scopemap"
fi
[ -d browser-tests/node_modules/playwright-core ] ||
  (cd browser-tests && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

out="$work/search-results.md"
: >"$out"
say() { printf '%s\n' "$*" | tee -a "$out"; }

if [ ! -f "$work/site/scopemap.yaml" ]; then
  "$bin" fixture --root "$repo" --regions 42 --areas-per-region 5 --years 10 --services 20000 \
    --seed 1 --out "$work/site" >/dev/null
fi
# The theme as it is in this repository now (the set keeps a copy of it).
rm -rf "$work/site/themes"
cp -r "$repo/themes" "$work/site/themes"
rm -rf "$work/public"
start=$(date +%s.%N)
"$bin" build --root "$work/site" --out "$work/public" >"$work/build.log" 2>&1 ||
  { tail -20 "$work/build.log" >&2; exit 1; }
end=$(date +%s.%N)
say "scopemap $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet || echo ' with local changes'); $(nproc) cores; $(tail -1 "$work/build.log")"
say "Full build timed here: $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s"
say ""
say "Largest HTML pages (bytes):"
find "$work/public" -name '*.html' -printf '%s %P\n' | sort -rn | awk 'NR <= 5' | sed 's/^/    /' | tee -a "$out"
say "HTML pages over 500 KB: $(find "$work/public" -name '*.html' -size +500k | wc -l)"
say "data/directory.json: $(stat -c %s "$work/public/data/directory.json") bytes (the bulk download; no page fetches it)"
idx="$work/public/directory/search"
say "Search index: $(find "$idx" -type f | wc -l) files, $(du -sb "$idx" | cut -f1) bytes in all; meta.js $(stat -c %s "$idx/meta.js") bytes"
for kind in t d f; do
  say "  largest of $kind/: $(find "$idx/$kind" -type f -printf '%s %P\n' | sort -rn | awk 'NR == 1')"
done

# BENCH_QUERIES: the queries, separated by `|`.
if [ -n "${BENCH_QUERIES:-}" ]; then
  IFS='|' read -r -a queries <<<"$BENCH_QUERIES"
else
  queries=("perinatal" "health visitor" "postnatal depression" "mother and baby unit" "perinatl" "support for parents" "Ashford")
fi
pagefind_flag=()
if [ -n "${BENCH_PAGEFIND:-}" ]; then
  pf="$repo/scripts/pagefind-compare"
  pf_target="$work/pagefind-target"
  rm -rf "$pf_target"
  say ""
  say "Pagefind (scripts/pagefind-compare, pagefind 1.6.0 with default features off):"
  say "  crates built: $(cd "$pf" && cargo tree --prefix none -e normal,build 2>/dev/null | sed 's/ (\*)$//' | sort -u | wc -l)"
  start=$(date +%s.%N)
  (cd "$pf" && CARGO_TARGET_DIR="$pf_target" cargo build --release -j2 --quiet)
  end=$(date +%s.%N)
  say "  first release build with 2 jobs: $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }') s; binary $(stat -c %s "$pf_target/release/pagefind-compare") bytes"
  say "  indexing: $("$pf_target/release/pagefind-compare" "$work/public")"
  say "  bundle: $(find "$work/public/pagefind" -type f | wc -l) files, $(du -sb "$work/public/pagefind" | cut -f1) bytes in all"
  pagefind_flag=(--pagefind)
fi

say ""
(cd browser-tests && SCOPEMAP_SITE="$work/public" node bench/search.mjs "$work/public" --runs "$runs" \
  "${pagefind_flag[@]}" "${queries[@]}") | tee -a "$out"
echo
echo "results: $out"
