#!/usr/bin/env bash
# Benchmarks printing every brief of the shipped 2022 returns (both regions) to PDF with
# `scopemap report --all`, which builds the site once and prints through one browser kept
# open. Not a test: it prints figures, and writes them to WORK/briefs-results.md.
#
#   bash scripts/bench-briefs.sh [WORK]     # WORK defaults to a new temporary folder
#   BENCH_RUNS=5 bash scripts/bench-briefs.sh /tmp/briefs
#
# For each run (BENCH_RUNS, 3 by default) it times the whole command, and then once the
# brief of one area printed alone (`--area`, which also builds the site and starts its own
# browser), for comparison. It lists the page count of every PDF (pdfinfo), which must be
# one or two. The target: every brief of both regions in under 60 s on 2 cores.
#
# Needs Chromium and poppler-utils (scripts/test.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
runs="${BENCH_RUNS:-3}"
year="${BENCH_YEAR:-2022}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
if [ -n "${BENCH_BIN:-}" ]; then
  bin="$BENCH_BIN"
else
  cargo build --release --locked --quiet
  bin="$CARGO_TARGET_DIR/release/scopemap"
fi

out="$work/briefs-results.md"
: >"$out"
say() { printf '%s\n' "$*" | tee -a "$out"; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

say "scopemap $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet || echo ' with local changes'); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
say "$(chromium --version 2>/dev/null || echo 'Chromium version unknown')"
times=()
for run in $(seq 1 "$runs"); do
  rm -rf "$work/briefs"
  start=$(date +%s.%N)
  "$bin" report --root "$repo" --all --year "$year" --out "$work/briefs" >"$work/report.log" 2>&1 ||
    { tail -20 "$work/report.log" >&2; exit 1; }
  end=$(date +%s.%N)
  t=$(seconds "$start" "$end")
  times+=("$t")
  say "run $run: $(tail -1 "$work/report.log") in $t s"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
count=$(find "$work/briefs" -name '*.pdf' | wc -l)
say "every brief of $year ($count): median $median s of $runs runs"

one=$("$bin" status --root "$repo" --year "$year" 2>/dev/null |
  grep -o "scoping-data/returns/$year/[^ ]*\.yaml" | head -1 | xargs -r basename -s .yaml)
if [ -n "$one" ]; then
  start=$(date +%s.%N)
  "$bin" report --root "$repo" --area "$one" --year "$year" --pdf "$work/one.pdf" >/dev/null
  end=$(date +%s.%N)
  say "one brief alone ($one, its own build and browser): $(seconds "$start" "$end") s"
fi

say ""
say "Pages per brief:"
for f in "$work"/briefs/*.pdf; do
  pages=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
  say "    $pages  $(basename "$f")"
  [ "$pages" -le 2 ] || { say "more than two pages: $f"; exit 1; }
done
