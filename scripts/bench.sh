#!/usr/bin/env bash
# Benchmarks `scopemap build` and `scopemap serve` on SYNTHETIC data (made by
# `scopemap fixture`) at 1×, 4× and 16× size, where 16× is the national set: 42 regions,
# 5 areas per region, 10 years and 20,000 services. For each size it measures, with the
# release binary:
#   - a full build into an empty output folder: wall time (median of BENCH_RUNS runs, and
#     every run, fastest first), CPU
#     use of the last run (200% = both of two cores busy) and peak memory (maximum resident
#     set size, from /usr/bin/time -v);
#   - a full build from a cold cache, made after everything else at that size: one build
#     into an empty folder after `sync` and dropping the system's page cache
#     (`echo 3 > /proc/sys/vm/drop_caches`), so every data file is read from the disk, as
#     in the first build after a restart. Needs root; `-` otherwise;
#   - `build` rebuilds: `scopemap build` again into the folder it has just built, which is
#     an incremental build (it re-reads all the data from disk but renders and rewrites only
#     the files whose inputs changed): with nothing changed (no-op), after changing one rating in
#     the last return file, and after adding a line to content/method.md. Wall time of one
#     run each, from /usr/bin/time;
#   - a build with one rendering thread (RAYON_NUM_THREADS=1) into an empty folder, and
#     whether its output is byte-for-byte identical to the multi-threaded (incrementally
#     rebuilt) output (diff -r);
#   - the size of the search index (directory/search/): how many files, and their bytes;
#   - `serve` rebuilds, the live-editing case (the data stays loaded in memory between
#     rebuilds): `scopemap serve` is started on the built folder on a free port (18000 +
#     size, or the next free one), and once its status endpoint (/__scopemap/status) reports
#     the first build, each of three edits is made BENCH_EDITS times, one second apart so the
#     200 ms debounce does not merge them: toggling one `rating: G` line of a return between
#     G and A, appending a sentence to content/method.md, and rewriting the `summary:` line of
#     one service file (scoping-data/directory/). After each edit the status is polled every
#     20 ms (120 s timeout) until its build number goes up. Two figures per edit, each the
#     median over the BENCH_EDITS edits: the rebuild time serve itself reports for that build
#     (the `built ... in X.XXs` line of its log), and the wall time from the saved file to
#     the status change, which adds the 200 ms debounce, the file watcher and up to 20 ms of
#     polling. There is no no-op rebuild under serve (nothing changed, nothing is rebuilt).
#     serve is then stopped (Ctrl+C, i.e. SIGINT); it is also stopped if the script fails.
# Every timed `build` starts after `sync`. Other work on the machine skews the figures: run
# it on an otherwise idle machine (the last column is the 1-minute load average before each
# size). Results go to stdout and to WORKDIR/results.md as a Markdown table; the logs, and
# every serve edit's figures (x<size>/serve-edits.tsv), stay in WORKDIR.
#
# Usage: bash scripts/bench.sh [WORKDIR]
#   BENCH_SIZES="1 4 16"  sizes to run (multiples of the 1× set)
#   BENCH_RUNS=3          full builds per size (the median is reported)
#   BENCH_EDITS=5         edits of each kind under serve (the median is reported)
#   BENCH_SEED=1          fixture seed
#   BENCH_OUT=DIR         where the built sites go (default: WORKDIR); a RAM disk such as
#                         /dev/shm/bench takes the disk out of the figures
#   BENCH_BIN=PATH        use this scopemap binary instead of building the release binary
#                         with cargo (then nothing is compiled)
# Needs GNU time and curl (installed with apt-get if missing), and room for every output
# until the end: about (BENCH_RUNS + 3) × 56 MiB × size under BENCH_OUT (6.9 GiB for the
# default sizes and runs); it checks before it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
sizes="${BENCH_SIZES:-1 4 16}"
runs="${BENCH_RUNS:-3}"
edits="${BENCH_EDITS:-5}"
seed="${BENCH_SEED:-1}"
outs="${BENCH_OUT:-$work}"
mkdir -p "$outs"

# Every output folder stays until the script ends (see `discard` below): BENCH_RUNS + 3 of
# them per size, each about 56 MiB per 1× on disk. Stop now, saying so, rather than with
# "No space left on device" minutes into the runs.
need_mib=0
for x in $sizes; do need_mib=$((need_mib + (runs + 3) * 56 * x)); done
free_mib="$(df -Pm "$outs" | awk 'NR == 2 { print $4 }')"
if [ -n "$free_mib" ] && [ "$free_mib" -lt "$need_mib" ]; then
  echo "bench.sh: $outs has $free_mib MiB free, and the outputs of sizes '$sizes' with" \
    "BENCH_RUNS=$runs need about $need_mib MiB there until the script ends;" \
    "free some space, or run fewer sizes or runs" >&2
  exit 1
fi

# The serve process, while one runs: stopped on any exit, including a failure under set -e.
serve_pid=""
stop_serve() {
  local pid="$serve_pid" i
  serve_pid=""
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    # serve stops cleanly on Ctrl+C (SIGINT); fall back to SIGTERM, then SIGKILL.
    kill -INT "$pid" 2>/dev/null || true
    for i in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      [ "$i" -ne 50 ] || kill -TERM "$pid" 2>/dev/null || true
      sleep 0.1
    done
    ! kill -0 "$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
# ext4, when it creates a file, passes over inodes freed in the last few minutes, so
# creating 40,000 files just after deleting as many takes several times longer than on a
# disk that saw no such deletion (a user's first build, or a build some minutes after the
# last). So nothing is deleted while timing: old outputs are moved into a trash folder
# beside them, emptied when the script ends.
trash_dirs=()
discard() {
  [ -e "$1" ] || return 0
  local trash
  trash="$(dirname "$1")/.bench-trash-$$"
  mkdir -p "$trash"
  mv "$1" "$trash/$(date +%s%N)"
  trash_dirs+=("$trash")
}
empty_trash() {
  local t
  for t in "${trash_dirs[@]}"; do rm -rf "$t"; done
  trash_dirs=()
}
trap 'stop_serve; empty_trash' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

apt_install() {
  echo "installing $* with apt-get ..." >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}
missing=""
[ -x /usr/bin/time ] || missing="$missing time"
command -v curl >/dev/null || missing="$missing curl"
# shellcheck disable=SC2086 # one package name per word
[ -z "$missing" ] || apt_install $missing

if [ -n "${BENCH_BIN:-}" ]; then
  bin="$BENCH_BIN"
  [ -x "$bin" ] || { echo "BENCH_BIN=$bin is not an executable file" >&2; exit 1; }
  case "$bin" in /*) ;; *) bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" ;; esac
  binary="binary $bin (BENCH_BIN), repository at"
else
  cargo build --release --locked --quiet
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/scopemap"
  case "$bin" in /*) ;; *) bin="$repo/$bin" ;; esac
  binary="release build of"
fi

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
  # `built N pages (M files) into …`, or after an incremental build
  # `built N pages (M files: W written, U unchanged) into …`.
  PAGES="$(sed -n 's/^built \([0-9]*\) pages (\([0-9]*\) files[^)]*).*/\1/p' "$log" | tail -1)"
  FILES="$(sed -n 's/^built \([0-9]*\) pages (\([0-9]*\) files[^)]*).*/\2/p' "$log" | tail -1)"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }
now_ns() { date +%s%N; }

# port_in_use PORT: whether something listens on 127.0.0.1:PORT.
port_in_use() { (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# serve_status: serve's current build number, or empty if it does not answer (yet).
# Fails the script if serve reports a failed build or has exited.
serve_status() {
  local json k
  json="$(curl -s --max-time 2 "http://127.0.0.1:$serve_port/__scopemap/status" 2>/dev/null || true)"
  if ! kill -0 "$serve_pid" 2>/dev/null; then
    echo "scopemap serve exited; see $serve_log" >&2
    tail -20 "$serve_log" >&2
    exit 1
  fi
  k="$(printf '%s\n' "$json" | sed -n 's/.*"build":[[:space:]]*\([0-9][0-9]*\).*/\1/p')"
  # Before the first build has finished, "ok" is false too.
  case "$json" in
    *'"ok":false'* | *'"ok": false'*)
      if [ -n "$k" ] && [ "$k" -gt 0 ]; then
        echo "scopemap serve reports a failed build ($k); see $serve_log" >&2
        tail -20 "$serve_log" >&2
        exit 1
      fi
      ;;
  esac
  printf '%s\n' "$k"
}

# wait_for_build AFTER TIMEOUT_S: poll every 20 ms until the build number exceeds AFTER;
# sets BUILD to the new number.
wait_for_build() {
  local after="$1" deadline=$(($(date +%s) + $2)) k
  while :; do
    k="$(serve_status)"
    if [ -n "$k" ] && [ "$k" -gt "$after" ]; then
      BUILD="$k"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "scopemap serve: no build after #$after within $2 s; see $serve_log" >&2
      tail -20 "$serve_log" >&2
      exit 1
    fi
    sleep 0.02
  done
}

# serve_seconds K: the time serve reports for build K (its `built … in X.XXs` line, the last
# one before `build K ready in …`). The status changes just before that line is logged.
serve_seconds() {
  local k="$1" i line
  for i in $(seq 500); do
    grep -q "^build $k ready in " "$serve_log" && break
    [ "$i" -eq 500 ] && { echo "no 'build $k ready' line in $serve_log" >&2; exit 1; }
    sleep 0.02
  done
  line="$(awk -v k="$k" '/^built / { last = $0 } index($0, "build " k " ready in ") == 1 { print last; exit }' "$serve_log")"
  printf '%s\n' "$line" | sed -n 's/.* in \([0-9.]*\)s; .*/\1/p'
}

# serve_edit KIND N: make the Nth edit of one kind to the site under serve.
serve_edit() {
  case "$1" in
    return)
      # Toggle one rating line between G and A, so every edit is a real change.
      local line
      line="$(sed -n "${rating_line}p" "$rating_file")"
      if [ "${line%rating: G}" != "$line" ]; then
        sed -i "${rating_line}s/rating: G\$/rating: A/" "$rating_file"
      else
        sed -i "${rating_line}s/rating: A\$/rating: G/" "$rating_file"
      fi
      ;;
    page) printf '\nServe edit %s by scripts/bench.sh.\n' "$2" >>"$site/content/method.md" ;;
    service)
      sed -i "0,/^summary: .*/s//summary: \"Invented service for testing only, edited by scripts\/bench.sh ($2).\"/" \
        "$service_file"
      ;;
  esac
}

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
{
  echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory"
  echo "scopemap: $binary $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo ' with local changes'), $(rustc --version 2>/dev/null || echo 'rustc unknown')"
  echo "Full build: median of $runs runs into an empty folder. \`build\` rebuilds: one incremental \`scopemap build\` into the built folder each (all data read again from disk). \`serve\` rebuilds: median of $edits edits each, the rebuild time serve logs, and the wall time from saving the file to the new build in /__scopemap/status (with the 200 ms debounce). Output under $outs ($(df -T "$outs" | awk 'NR == 2 { print $2 }'))."
  echo
  echo "| size | regions | services | returns | pages | files | full build (s) | every full build (s) | full build, cold cache (s) | CPU use | peak memory (MiB) | pages/s | build: no-op rebuild (s) | build: after editing a return (s) | build: after editing a page (s) | serve: after editing a return (s) | serve: after editing a page (s) | serve: after editing a service (s) | serve: save to reload, return (s) | serve: save to reload, page (s) | serve: save to reload, service (s) | 1 thread (s) | 1 thread output identical | search index (files) | search index (bytes) | load before |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} | tee "$work/results.md"

for x in $sizes; do
  regions=$(((42 * x + 8) / 16))
  services=$((1250 * x))
  dir="$work/x$x"
  site="$dir/site"
  discard "$dir"
  mkdir -p "$dir"
  "$bin" fixture --root "$repo" --regions "$regions" --areas-per-region 5 --years 10 \
    --services "$services" --seed "$seed" --out "$site" >"$dir/fixture.log"
  returns="$(find "$site/scoping-data/returns" -name '*.yaml' | wc -l)"
  load="$(cut -d' ' -f1 /proc/loadavg)"

  built="$outs/built-x$x"
  discard "$built"
  mkdir -p "$built"
  walls=""
  rss_max=0
  for _ in $(seq "$runs"); do
    discard "$built/out"
    run_build "x$x-full" "$site" "$built/out"
    walls="$walls $WALL"
    [ "$RSS_MIB" -gt "$rss_max" ] && rss_max="$RSS_MIB"
  done
  full="$(echo "$walls" | tr ' ' '\n' | sed '/^$/d' | median)"
  # Every run, fastest first: on a shared machine the spread says as much as the median.
  every="$(echo "$walls" | tr ' ' '\n' | sed '/^$/d' | sort -n | tr '\n' ' ' | sed 's/ $//')"
  pages="$PAGES"
  files="$FILES"
  cpu_use="$CPU_PCT"
  rate="$(awk -v p="$pages" -v s="$full" 'BEGIN { if (s > 0) printf "%.0f", p / s; else print "-" }')"

  # `build` rebuilds: incremental CLI builds into the folder just built.
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

  discard "$built/out-1"
  run_build "x$x-one-thread" "$site" "$built/out-1" RAYON_NUM_THREADS=1
  one="$WALL"
  if diff -r "$built/out" "$built/out-1" >"$dir/threads.diff" 2>&1; then same=yes; else same="NO (see $dir/threads.diff)"; fi
  discard "$built/out-1"

  js="$(find "$built/out/directory/search" -type f | wc -l)"
  json="$(du -sb "$built/out/directory/search" | cut -f1)"

  # `serve` rebuilds. What each edit touches: one `rating: G` line of a return (the last
  # return file that has one), content/method.md, and the first service file.
  rating_file="$(grep -rl --include='*.yaml' '^[[:space:]]*rating: G$' "$site/scoping-data/returns" | sort | tail -1)"
  [ -n "$rating_file" ] || { echo "no return with a 'rating: G' line in $site" >&2; exit 1; }
  rating_line="$(grep -n -m 1 '^[[:space:]]*rating: G$' "$rating_file" | cut -d: -f1)"
  # (awk, not head, reads all of sort's output: an early close would fail the pipe.)
  service_file="$(find "$site/scoping-data/directory" -name '*.yaml' | sort | awk 'NR == 1')"
  if [ -z "$service_file" ] || ! grep -q '^summary: "' "$service_file"; then
    echo "no service file with a one-line 'summary:' in $site/scoping-data/directory" >&2
    exit 1
  fi

  serve_port=$((18000 + x))
  while port_in_use "$serve_port"; do serve_port=$((serve_port + 1)); done
  serve_log="$dir/serve.log"
  "$bin" serve --root "$site" --out "$built/out" --port "$serve_port" >"$serve_log" 2>&1 &
  serve_pid=$!
  # The first build (all data loaded) may take a while at 16×.
  wait_for_build 0 600
  build_no="$BUILD"
  declare -A serve_s=() wall_s=()
  printf 'edit\tn\tbuild\tserve_s\twall_s\tbuilt_line\n' >"$dir/serve-edits.tsv"
  sleep 1
  for kind in return page service; do
    serve_times=""
    wall_times=""
    for n in $(seq "$edits"); do
      before="$(serve_status)"
      [ -n "$before" ] || before="$build_no"
      serve_edit "$kind" "$n"
      t0="$(now_ns)"
      wait_for_build "$before" 120
      t1="$(now_ns)"
      build_no="$BUILD"
      [ "$build_no" -eq $((before + 1)) ] ||
        echo "warning: $kind edit $n under serve at ${x}×: build went from $before to $build_no" >&2
      secs="$(serve_seconds "$((before + 1))")"
      [ -n "$secs" ] || { echo "cannot read the time of build $((before + 1)) from $serve_log" >&2; exit 1; }
      wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
      serve_times="$serve_times $secs"
      wall_times="$wall_times $wall"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$n" "$((before + 1))" "$secs" "$wall" \
        "$(awk -v k="$((before + 1))" '/^built / { last = $0 } index($0, "build " k " ready in ") == 1 { print last; exit }' "$serve_log")" \
        >>"$dir/serve-edits.tsv"
      # Let the 200 ms debounce pass, so the next edit is a rebuild of its own.
      sleep 1
    done
    serve_s[$kind]="$(echo "$serve_times" | tr ' ' '\n' | sed '/^$/d' | median)"
    wall_s[$kind]="$(echo "$wall_times" | tr ' ' '\n' | sed '/^$/d' | median | awk '{ printf "%.2f", $1 }')"
  done
  stop_serve

  # Last, since it empties the cache the other measurements ran with: a full build with
  # nothing in the page cache, as after a restart (needs root).
  cold="-"
  if [ -w /proc/sys/vm/drop_caches ]; then
    discard "$built/out-cold"
    sync
    echo 3 >/proc/sys/vm/drop_caches
    run_build "x$x-cold" "$site" "$built/out-cold"
    cold="$WALL"
    discard "$built/out-cold"
  fi

  # Built sites on a RAM disk hold memory: drop them once measured.
  if [ -n "${BENCH_OUT:-}" ]; then rm -rf "$built"; empty_trash; fi
  echo "| ${x}× | $regions | $services | $returns | $pages | $files | $full | $every | $cold | $cpu_use | $rss_max | $rate | $noop | $after_return | $after_page | ${serve_s[return]} | ${serve_s[page]} | ${serve_s[service]} | ${wall_s[return]} | ${wall_s[page]} | ${wall_s[service]} | $one | $same | $js | $json | $load |" |
    tee -a "$work/results.md"
done
echo
echo "results: $work/results.md"
