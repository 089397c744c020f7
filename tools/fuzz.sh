#!/usr/bin/env bash
# Fuzzing orderflow's readers and loaders with libFuzzer (README "Fuzzing").
#
#   tools/fuzz.sh build                 build the libFuzzer binary (.build-fuzz/debug/OrderFuzz)
#   tools/fuzz.sh short [SECONDS]       every target for SECONDS each (default 30); exit 1 on a crash (CI)
#   tools/fuzz.sh long TARGET HOURS     one target for HOURS (decimals allowed), going on past crashes;
#                                       lists what it found at the end
#   tools/fuzz.sh replay                every committed seed and crash reproducer, without libFuzzer
#   tools/fuzz.sh targets               the target names
#
# Targets read the bytes as a file from outside: csv (an orders file through mappings/orders.yaml),
# csv-mappings (through every other CSV mapping), xml (the XML mappings of examples/), rule (a rule
# expression), mapping, rules (rules.yaml), config (orderflow.yaml). Seeds are in
# Tests/Fixtures/fuzz-corpus/TARGET/ (with the tokens of its format in Tests/Fixtures/fuzz-dictionaries/TARGET.dict);
# inputs that once crashed are in Tests/Fixtures/fuzz-crashes/TARGET/
# and are replayed by every run (and by `replay`, which CI runs). What a run learns stays in
# .build-fuzz/runs/ (not committed): corpus/TARGET, logs/, findings/TARGET/crash-* (short runs: findings/short/).
#
# Environment: FUZZ_FLAGS adds libFuzzer flags (e.g. FUZZ_FLAGS=-seed=7); FUZZ_NICE (default 10) is the
# niceness of the fuzzing process, since the machine is usually shared; FUZZ_BINARY runs a libFuzzer
# binary built earlier (a copy, so that a long run is not disturbed by a rebuild) instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(csv csv-mappings xml rule mapping rules config output-mapping)
scratch_path=.build-fuzz
binary=${FUZZ_BINARY:-$scratch_path/debug/OrderFuzz}
# What runs learn, kept apart from SwiftPM's own folders (it empties .build-fuzz/artifacts when it builds).
runs=$scratch_path/runs
nice_level=${FUZZ_NICE:-10}
read -r -a extra_flags <<<"${FUZZ_FLAGS:-}"

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

build() {
  if [ -n "${FUZZ_BINARY:-}" ]; then
    [ -x "$binary" ] || { echo "fuzz.sh: FUZZ_BINARY=$binary is not an executable" >&2; exit 1; }
    return
  fi
  echo "== building the libFuzzer binary ($binary)"
  local status=0
  swift build --scratch-path "$scratch_path" --product OrderFuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >"$scratch/build.log" 2>&1 || status=$?
  grep -v '^\[' "$scratch/build.log" || true
  [ $status -eq 0 ] && [ -x "$binary" ] || { echo "fuzz.sh: the libFuzzer build failed" >&2; exit 1; }
}

known_target() {
  local t
  for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done
  echo "fuzz.sh: unknown target '$1'; targets: ${targets[*]}" >&2
  exit 2
}

# A private scratch folder for the files the targets write (removed at exit, even after a crash).
scratch=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/orderflow-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export ORDERFLOW_FUZZ_SCRATCH=$scratch

# Runs libFuzzer on one target: $1 target, $2 seconds, $3 folder for failing inputs, then extra flags.
run_target() {
  local target=$1 seconds=$2 artifacts=$3
  shift 3
  local corpus=$runs/corpus/$target
  local seeds=Tests/Fixtures/fuzz-corpus/$target crashes=Tests/Fixtures/fuzz-crashes/$target
  mkdir -p "$corpus" "$artifacts" "$runs/logs"
  local dirs=("$corpus" "$seeds") dictionary=Tests/Fixtures/fuzz-dictionaries/$target.dict flags=()
  [ -d "$crashes" ] && dirs+=("$crashes")
  [ -f "$dictionary" ] && flags+=(-dict="$dictionary")
  # Swift's own backtracer would take the crash signal before libFuzzer, which then keeps no reproducer.
  SWIFT_BACKTRACE=enable=no ORDERFLOW_FUZZ_TARGET=$target nice -n "$nice_level" "$binary" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${flags[@]}" "$@" "${extra_flags[@]}" "${dirs[@]}"
}

# Prints a crash file, its stack and how to reproduce it.
report_crash() {
  local target=$1 log=$2 artifacts=$3 file
  echo "!! $target: libFuzzer stopped on a failing input"
  # The error, then the frames in orderflow's own code (the stack top is the first).
  grep -E '^==[0-9]+== ERROR|^SUMMARY|Fatal error' "$log" | head -3 || true
  grep -E '^ +#[0-9]+ .*(Sources|Tests)/' "$log" | head -8 | { swift demangle --simplified 2>/dev/null || cat; } | cut -c1-240 || true
  for file in $(ls -t "$artifacts"/{crash,timeout,oom,leak}-* 2>/dev/null | head -3); do
    echo "   reproducer: $file ($(wc -c <"$file") bytes); first bytes:"
    head -c 400 "$file" | od -c | head -12 | sed 's/^/     /'
    echo "   replay:  swift build --product OrderFuzz && .build/debug/OrderFuzz $target $file"
    echo "   keep it: cp $file Tests/Fixtures/fuzz-crashes/$target/  (with a one-line note in its README)"
  done
}

short() {
  local seconds=${1:-30} failed=() target log status artifacts
  build
  mkdir -p "$runs/logs"
  for target in "${targets[@]}"; do
    log=$runs/logs/short-$target.log
    artifacts=$runs/findings/short/$target
    rm -rf "$artifacts"
    echo "== $target: ${seconds}s"
    set +e
    run_target "$target" "$seconds" "$artifacts" >"$log" 2>&1
    status=$?
    set -e
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)|^Done ' "$log" | sed 's/^/   /' || true
    if [ $status -ne 0 ]; then
      report_crash "$target" "$log" "$artifacts"
      failed+=("$target")
    fi
  done
  if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: failing inputs found by: ${failed[*]} (logs in $runs/logs/)" >&2
    exit 1
  fi
  echo "fuzz.sh short: ${#targets[@]} targets, ${seconds}s each, no failing input"
}

long() {
  local target=$1 hours=$2 seconds log artifacts
  artifacts=$runs/findings/$target
  known_target "$target"
  seconds=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')
  [ "$seconds" -gt 0 ] || { echo "fuzz.sh: HOURS must be above 0" >&2; exit 2; }
  build
  mkdir -p "$runs/logs"
  log=$runs/logs/long-$target-$(date -u +%Y%m%dT%H%M%SZ).log
  echo "== $target for ${seconds}s; log $log"
  # Fork mode goes on after a crash, a timeout or running out of memory, collecting every finding.
  set +e
  run_target "$target" "$seconds" "$artifacts" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 >"$log" 2>&1
  set -e
  grep -E '^INFO: fuzzed for|^#[0-9]+: cov.*exec/s|^stat::' "$log" | tail -3 || true
  local found
  found=$(ls "$artifacts"/{crash,timeout,oom,leak}-* 2>/dev/null || true)
  if [ -n "$found" ]; then
    echo "!! findings in $artifacts/:"
    echo "$found" | sed 's/^/   /'
    echo "   replay each: .build/debug/OrderFuzz $target FILE"
  else
    echo "no failing input"
  fi
}

replay() {
  swift build --product OrderFuzz
  .build/debug/OrderFuzz --all
}

case "${1:-}" in
  build) build ;;
  short) short "${2:-30}" ;;
  long) [ $# -eq 3 ] || usage; long "$2" "$3" ;;
  replay) replay ;;
  targets) printf '%s\n' "${targets[@]}" ;;
  *) usage ;;
esac
