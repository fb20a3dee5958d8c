#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp) and runs each for SECONDS (default 60),
# seeded from the shipped files. Fails on any crash, leak, timeout or sanitizer report.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Corpora grow in build/fuzz/corpus/<target>/; crashes land in build/fuzz/artifacts/.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
secs="${1:-60}"; shift || true
cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j "$(nproc)" >/dev/null || { echo "fuzz: build failed"; exit 1; }
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
seed_files() {  # seed corpus per target, from files we ship
  case "$1" in
    fuzz_lesson) ls lessons/*.md ;;
    fuzz_route) printf '01-symbols/2\n01-symbols/1?dim=64\nt/1?dim=3&2.question=x\n' ;;
    fuzz_csv) ls assets/data/*.csv tests/data/*.csv 2>/dev/null ;;
    *) ;;
  esac
}
failed=0
for t in "${targets[@]}"; do
  corpus="build/fuzz/corpus/$t"; art="build/fuzz/artifacts/$t/"
  mkdir -p "$corpus" "$art"
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
  echo "fuzz: $t for ${secs}s"
  if build/fuzz/tests/fuzz/$t "$corpus" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
       -artifact_prefix="$art" -print_final_stats=1 > "build/fuzz/$t.log" 2>&1; then
    echo "fuzz: $t ok — $(grep -E 'stat::number_of_executed_units' "build/fuzz/$t.log" | awk '{print $2}') executions"
  else
    echo "fuzz: $t FAILED (see build/fuzz/$t.log and $art)"; tail -n 30 "build/fuzz/$t.log"; failed=1
  fi
done
exit $failed
