#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp), then for each target:
#   1. replays every kept input once — tests/fuzz/corpus/<target>/ (inputs that reached new coverage
#      in the long runs) and tests/fuzz/regressions/<target>/ (minimised inputs of fixed bugs);
#   2. fuzzes it for SECONDS (default 60), seeded from the kept corpus and from the shipped files.
# Fails on any crash, leak, timeout or sanitizer report. SECONDS=0 replays only.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# New inputs grow in build/fuzz/corpus/<target>/ (the kept corpus is only read); crashes land in
# build/fuzz/artifacts/<target>/. tests/fuzz/README.md has the long runs and their commands.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
secs="${1:-60}"; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]}" >/dev/null ||
  { echo "fuzz: build failed"; exit 1; }
seed_files() {  # seed corpus per target, from files we ship
  case "$1" in
    fuzz_lesson) ls lessons/*.md ;;
    fuzz_route) printf '01-symbols/2\n01-symbols/1?dim=64\nt/1?seed=3&2.p=0.25&title=x\n' ;;
    fuzz_csv) ls assets/data/*.csv tests/data/*.csv 2>/dev/null ;;
    *) ;;
  esac
}
# Per-target libFuzzer flags, chosen from measurements (tests/fuzz/README.md, "Speed"):
#   -max_len=1024 for CSV (its bugs show in a few lines; ~2x the executions of 4 KiB), routes (one
#   line; 1 KiB holds every knob changed, percent-encoded) and model files (the harness's valid model
#   is ~600 bytes; at 4 KiB the inputs grew and the rate fell from 12k to 2.3k/s); 4 KiB for lessons
#   (several steps and blocks) and MovieLens (lines of all three files in one input).
#   -entropic=0 for lessons: ~12k coverage features per input made libFuzzer's feature-frequency
#   bookkeeping half of all CPU time (perf); the plain schedule runs ~2.5x the inputs.
fuzz_flags() {
  case "$1" in
    fuzz_csv | fuzz_route | fuzz_model_load) echo "-max_len=1024" ;;
    fuzz_lesson) echo "-max_len=4096 -entropic=0" ;;
    *) echo "-max_len=4096" ;;
  esac
}
# Each input allocates kilobytes: a 16 MB quarantine still holds every free of thousands of inputs
# (use-after-free is caught), and keeps ASan from paging in ~400 MB of fresh memory (RSS 430 -> 80 MB).
export ASAN_OPTIONS="quarantine_size_mb=16${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
fuzz_target() {  # fuzz_target TARGET: replay, then fuzz; prints its lines, returns non-zero on any finding
  local t="$1" failed=0
  bin="build/fuzz/tests/fuzz/$t"
  corpus="build/fuzz/corpus/$t"; art="build/fuzz/artifacts/$t/"; kept="tests/fuzz/corpus/$t"
  mkdir -p "$corpus" "$art"
  # 1. replay: each kept file run once, whole (no -max_len: a file is never cut)
  mapfile -t replay < <(find "$kept" "tests/fuzz/regressions/$t" -type f 2>/dev/null | sort)
  if [ ${#replay[@]} -gt 0 ]; then
    if "$bin" -timeout=10 -rss_limit_mb=2048 "${replay[@]}" > "build/fuzz/$t.replay.log" 2>&1; then
      echo "fuzz: $t replayed ${#replay[@]} kept inputs: ok"
    else
      echo "fuzz: $t replay FAILED (see build/fuzz/$t.replay.log)"; grep -E "Running:|ERROR|SUMMARY|runtime error" "build/fuzz/$t.replay.log" | tail -n 20
      return 1
    fi
  fi
  [ "$secs" = 0 ] && return 0
  # 2. fuzz, seeded from the shipped files and the kept corpus (read only: new inputs go to $corpus)
  if [ "$t" = fuzz_model_load ]; then
    printf '\377' > "$corpus/seed-valid-model"; printf '\377\001\002' > "$corpus/seed-valid-model-flipped"
  elif [ "$t" = fuzz_movielens ]; then
    fx=tests/data/ml100k-fixture
    { head -c 1500 $fx/u.data; printf '\0'; head -c 1500 $fx/u.item; printf '\0'; head -c 1000 $fx/u.user; } > "$corpus/seed-fixture"
    head -c 2000 $fx/u.data > "$corpus/seed-udata"
  elif [ "$t" = fuzz_route ]; then
    i=0; seed_files "$t" | while read -r line; do printf '%s' "$line" > "$corpus/seed$i"; i=$((i+1)); done
  else
    for f in $(seed_files "$t"); do head -c 4096 "$f" > "$corpus/seed-$(basename "$f")"; done
  fi
  dirs=("$corpus"); [ -d "$kept" ] && dirs+=("$kept")
  echo "fuzz: $t for ${secs}s"
  if "$bin" "${dirs[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 $(fuzz_flags "$t") \
       -artifact_prefix="$art" -print_final_stats=1 > "build/fuzz/$t.log" 2>&1; then
    echo "fuzz: $t ok — $(grep -E 'stat::number_of_executed_units' "build/fuzz/$t.log" | awk '{print $2}') executions"
  else
    echo "fuzz: $t FAILED (see build/fuzz/$t.log and $art)"; tail -n 30 "build/fuzz/$t.log"; failed=1
  fi
  return $failed
}

# The targets run side by side, one per core (each libFuzzer process is single-threaded); their lines
# are printed in order when all are done.
parallel="${LAB_FUZZ_JOBS:-$(nproc)}"
pids=()
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n; done
  fuzz_target "$t" > "build/fuzz/$t.summary" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!targets[@]}"; do
  wait "${pids[$i]}" || failed=1
  cat "build/fuzz/${targets[$i]}.summary"
done
exit $failed
