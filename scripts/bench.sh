#!/usr/bin/env bash
# Benchmarks `scopemap build` on SYNTHETIC data (made by `scopemap fixture`) at 1×, 4× and
# 16× size, where 16× is the national set: 42 regions, 5 areas per region, 10 years and
# 20,000 services. For each size it measures, with the release binary:
#   - a full build into an empty output folder: wall time (median of BENCH_RUNS runs), CPU
#     use of the last run (200% = both of two cores busy) and peak memory (maximum resident
#     set size, from /usr/bin/time -v);
#   - a no-op rebuild (nothing changed), a rebuild after editing one return, and one after
#     editing one content page (rebuilds are full builds today);
#   - a build with one rendering thread (RAYON_NUM_THREADS=1), and whether its output is
#     byte-for-byte identical to the default multi-threaded build (diff -r);
#   - the size of directory/search-index.js and directory/search-index.json.
# Every timed build starts after `sync`. Other work on the machine skews the figures: run it
# on an otherwise idle machine (the last column is the 1-minute load average before each size).
# Results go to stdout and to WORKDIR/results.md as a Markdown table.
#
# Usage: bash scripts/bench.sh [WORKDIR]
#   BENCH_SIZES="1 4 16"  sizes to run (multiples of the 1× set)
#   BENCH_RUNS=3          full builds per size (the median is reported)
#   BENCH_SEED=1          fixture seed
#   BENCH_OUT=DIR         where the built sites go (default: WORKDIR); a RAM disk such as
#                         /dev/shm/bench takes the disk out of the figures
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
sizes="${BENCH_SIZES:-1 4 16}"
runs="${BENCH_RUNS:-3}"
seed="${BENCH_SEED:-1}"
outs="${BENCH_OUT:-$work}"
mkdir -p "$outs"

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package \`time\`) ..." >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  fi
fi

cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-$repo/target}/release/scopemap"
case "$bin" in /*) ;; *) bin="$repo/$bin" ;; esac

# run_build LABEL SITE OUT [ENV…]: one build; sets WALL (s), CPU_PCT, RSS_MIB, PAGES, FILES.
run_build() {
  local label="$1" site="$2" out="$3"
  shift 3
  local tv="$work/time.txt" log="$work/build-$label.log"
  # Flush what earlier runs wrote, so their disk writeback is not timed as part of this one.
  sync
  env "$@" /usr/bin/time -v -o "$tv" "$bin" build --root "$site" --out "$out" >"$log" 2>&1 || {
    echo "build failed ($label); see $log" >&2
    tail -20 "$log" >&2
    exit 1
  }
  WALL="$(awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$tv")"
  CPU_PCT="$(awk -F': ' '/Percent of CPU/ { print $2 }' "$tv")"
  RSS_MIB="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tv")"
  PAGES="$(sed -n 's/^built \([0-9]*\) pages (\([0-9]*\) files).*/\1/p' "$log" | tail -1)"
  FILES="$(sed -n 's/^built \([0-9]*\) pages (\([0-9]*\) files).*/\2/p' "$log" | tail -1)"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
size_of() { if [ -f "$1" ]; then stat -c %s "$1"; else echo "-"; fi; }

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
{
  echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory"
  echo "scopemap $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo ' (with local changes)'), $(rustc --version)"
  echo "Full build: median of $runs runs into an empty folder. Rebuilds are full builds. Output under $outs ($(df -T "$outs" | awk 'NR == 2 { print $2 }'))."
  echo
  echo "| size | regions | services | returns | pages | files | full build (s) | CPU use | peak memory (MiB) | pages/s | no-op rebuild (s) | after editing a return (s) | after editing a page (s) | 1 thread (s) | 1 thread output identical | search-index.js (bytes) | search-index.json (bytes) | load before |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} | tee "$work/results.md"

for x in $sizes; do
  regions=$(((42 * x + 8) / 16))
  services=$((1250 * x))
  dir="$work/x$x"
  site="$dir/site"
  rm -rf "$dir"
  mkdir -p "$dir"
  "$bin" fixture --root "$repo" --regions "$regions" --areas-per-region 5 --years 10 \
    --services "$services" --seed "$seed" --out "$site" >"$dir/fixture.log"
  returns="$(find "$site/scoping-data/returns" -name '*.yaml' | wc -l)"
  load="$(cut -d' ' -f1 /proc/loadavg)"

  built="$outs/built-x$x"
  rm -rf "$built"
  mkdir -p "$built"
  walls=""
  rss_max=0
  for _ in $(seq "$runs"); do
    rm -rf "$built/out"
    run_build "x$x-full" "$site" "$built/out"
    walls="$walls $WALL"
    [ "$RSS_MIB" -gt "$rss_max" ] && rss_max="$RSS_MIB"
  done
  full="$(echo "$walls" | tr ' ' '\n' | sed '/^$/d' | median)"
  pages="$PAGES"
  files="$FILES"
  cpu_use="$CPU_PCT"
  rate="$(awk -v p="$pages" -v s="$full" 'BEGIN { if (s > 0) printf "%.0f", p / s; else print "-" }')"

  run_build "x$x-noop" "$site" "$built/out"
  noop="$WALL"

  ret="$(find "$site/scoping-data/returns" -name '*.yaml' | sort | tail -1)"
  if grep -q ': G$' "$ret"; then
    sed -i '0,/: G$/s//: A/' "$ret"
  else
    sed -i '0,/: [ARB]$/s//: G/' "$ret"
  fi
  run_build "x$x-return" "$site" "$built/out"
  after_return="$WALL"

  printf '\nEdited by scripts/bench.sh.\n' >>"$site/content/method.md"
  run_build "x$x-page" "$site" "$built/out"
  after_page="$WALL"

  rm -rf "$built/out-1"
  run_build "x$x-one-thread" "$site" "$built/out-1" RAYON_NUM_THREADS=1
  one="$WALL"
  if diff -r "$built/out" "$built/out-1" >"$dir/threads.diff" 2>&1; then same=yes; else same="NO (see $dir/threads.diff)"; fi

  js="$(size_of "$built/out/directory/search-index.js")"
  json="$(size_of "$built/out/directory/search-index.json")"
  # Built sites on a RAM disk hold memory: drop them once measured.
  [ -n "${BENCH_OUT:-}" ] && rm -rf "$built"
  echo "| ${x}× | $regions | $services | $returns | $pages | $files | $full | $cpu_use | $rss_max | $rate | $noop | $after_return | $after_page | $one | $same | $js | $json | $load |" |
    tee -a "$work/results.md"
done
echo
echo "results: $work/results.md"
