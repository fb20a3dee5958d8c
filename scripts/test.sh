#!/usr/bin/env bash
# Builds everything and runs every test suite; called as `scripts/lab test`. Exit status is non-zero
# if anything failed; the last line is a one-line summary.
#   1. native: doctest suite + CLI and native-window smoke tests (CTest, build/native-release)
#   2. wasm:   the same doctest suite compiled to WebAssembly, run under node (CTest, build/web-release), and
#              again without SIMD (build/web-release-nosimd: the page for browsers without WebAssembly SIMD)
#      server: scripts/serve.mjs on a fixture site: hostile requests, compression, caching (tests/server; no build needed)
#   3. browser: headless Chromium loads the served page and checks it (tests/browser/smoke.mjs, links.mjs,
#      lessons.mjs, a11y.mjs; publish.mjs: a published folder, a lesson added without rebuilding, the service worker;
#      editor.mjs: the lesson editor's round trip; byod.mjs: a dropped Projector TSV pair; assets.mjs: data sets fetched
#      when a step needs them, and the Fashion-MNIST map)
#   4. asan:   the doctest suite again, natively under AddressSanitizer + UndefinedBehaviorSanitizer
#   5. fuzz:   every kept fuzz input replayed, then every libFuzzer target for LAB_FUZZ_SECONDS (default 30) each, one per core
# LAB_TEST_QUICK=1 skips 4 and 5 (for a fast local loop).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NODE_PATH=/usr/share/nodejs
jobs="${LAB_JOBS:-$(nproc 2>/dev/null || echo 2)}"
start=$(date +%s)
logs=build/logs; mkdir -p "$logs"
results=()
failed=0

say() { printf '\033[1m[test]\033[0m %s\n' "$*" >&2; }
stage_start=$(date +%s)
record() {  # record <name> <status> <detail>; the detail gets the seconds since the previous record
  local now; now=$(date +%s)
  results+=("$1: $3 [$((now - stage_start)) s]")
  stage_start=$now
  if [ "$2" != 0 ]; then failed=1; say "FAILED: $1 ($3)"; fi
}
ctest_counts() {  # prints "passed/total" from a ctest log, and the names of the failed tests
  sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1 \2/p' "$1" | tail -1 |
    awk '{printf "%d/%d passed", $2-$1, $2}'
  # ctest ends with "The following tests FAILED:" and a line "<tab>N - name (Failed)" per test
  sed -n '/^The following tests FAILED:/,$ s/^[[:space:]]*[0-9]* - \(.*\) (\(.*\))$/\1 (\2)/p' "$1" |
    awk 'NR == 1 {printf " — FAILED: %s", $0} NR > 1 {printf "; %s", $0}'
}

say "installing what is missing"
scripts/deps.sh packages web native test || { echo "TEST SUMMARY: FAILED — could not install packages"; exit 1; }
scripts/deps.sh sources || { echo "TEST SUMMARY: FAILED — could not fetch pinned sources"; exit 1; }

# 1. native
say "native: configure + build"
if cmake --preset native-release >"$logs/build-native.log" 2>&1 && cmake --build --preset native-release -j "$jobs" >>"$logs/build-native.log" 2>&1; then
  say "native: run tests"
  ctest --preset native-release -j "$jobs" 2>&1 | tee "$logs/ctest-native.log" | tail -n 15
  st=${PIPESTATUS[0]}
  record native "$st" "$(ctest_counts "$logs/ctest-native.log")"
else
  tail -n 40 "$logs/build-native.log"
  record native 1 "build failed (see build/logs/build-native.log)"
fi

# 2. wasm, twice: the page's build (-msimd128) and the one for browsers without WebAssembly SIMD, which
#    the first copies into its site's nosimd/ (so it is built first). Each suite is one node process on
#    one core: the two run side by side.
say "wasm: configure + build (Emscripten; without SIMD, then with)"
# Each suite its own temporary folder (tests/node_env.js): in WebAssembly every process's pid is 42.
nosimd_suite() {
  mkdir -p build/web-release-nosimd/tmp
  TMPDIR="$root/build/web-release-nosimd/tmp" ctest --preset web-release-nosimd >"$logs/ctest-web-nosimd.log" 2>&1
  echo $? >"$logs/ctest-web-nosimd.status"
}
wasm_cases() { node --no-experimental-fetch "$1/tests/lab_tests.js" --count 2>/dev/null | sed -n 's/.*unskipped test cases passing the current filters: \([0-9]*\).*/\1/p'; }
if cmake --preset web-release-nosimd >"$logs/build-web-nosimd.log" 2>&1 &&
   cmake --build --preset web-release-nosimd -j "$jobs" --target embedlab lab_tests lab_site >>"$logs/build-web-nosimd.log" 2>&1; then
  nosimd_built=1
else
  tail -n 40 "$logs/build-web-nosimd.log"
  nosimd_built=0
fi
if cmake --preset web-release -DLAB_BUILD_APP=ON -DLAB_BUILD_TESTS=ON >"$logs/build-web.log" 2>&1 &&
   cmake --build --preset web-release -j "$jobs" >>"$logs/build-web.log" 2>&1; then
  say "wasm: run both suites under node"
  [ "$nosimd_built" = 1 ] && { nosimd_suite & }
  ctest --preset web-release 2>&1 | tee "$logs/ctest-web.log" | tail -n 15
  st=${PIPESTATUS[0]}
  record wasm "$st" "$(ctest_counts "$logs/ctest-web.log") ($(wasm_cases build/web-release) doctest cases)"
  wasm_ok=1
else
  tail -n 40 "$logs/build-web.log"
  record wasm 1 "build failed (see build/logs/build-web.log)"
  wasm_ok=0
fi
if [ "$nosimd_built" = 1 ]; then
  [ "$wasm_ok" = 1 ] && wait || nosimd_suite   # beside the SIMD suite, or alone when that build failed
  tail -n 5 "$logs/ctest-web-nosimd.log"
  record wasm-nosimd "$(cat "$logs/ctest-web-nosimd.status" 2>/dev/null || echo 1)" \
    "$(ctest_counts "$logs/ctest-web-nosimd.log") ($(wasm_cases build/web-release-nosimd) doctest cases, no SIMD)"
else
  record wasm-nosimd 1 "build failed (see build/logs/build-web-nosimd.log)"
fi

# server: needs no build (the tests make a fixture site), and installs the package serve.mjs uses,
# which the browser stage needs too.
say "server: hostile requests, compression and caching (tests/server)"
if (cd scripts && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  node --test --test-reporter=spec tests/server/ >"$logs/server.log" 2>&1
  st=$?
  grep -E '^(✖|ℹ (pass|fail))' "$logs/server.log" | grep -v '^✖ failing tests' | head -n 20
  record server "$st" "$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$logs/server.log")/$(sed -n 's/^ℹ tests \([0-9]*\)$/\1/p' "$logs/server.log") passed (build/logs/server.log)"
else
  record server 1 "npm could not install scripts/package.json's packages"
fi

# 3. browser
if [ "$wasm_ok" = 1 ]; then
  say "browser: headless Chromium smoke test"
  if (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) || (cd tests/browser && npm install --no-audit --no-fund --loglevel=error); then
    node tests/browser/smoke.mjs --site build/web-release/site --out build/screenshots
    st=$?
    record browser "$st" "$([ $st = 0 ] && echo passed || echo failed), screenshots in build/screenshots"
    say "browser: shared links come back exactly"
    node tests/browser/links.mjs --site build/web-release/site --out build/screenshots
    st=$?
    record links "$st" "$([ $st = 0 ] && echo passed || echo failed)"
    say "browser: every step of every lesson"
    node tests/browser/lessons.mjs --site build/web-release/site --out build/screenshots/lessons
    st=$?
    record lessons "$st" "$([ $st = 0 ] && echo 'all steps fine' || echo failed), screenshots in build/screenshots/lessons"
    say "browser: publishing without rebuilding, and the service worker across a redeploy"
    node tests/browser/publish.mjs --site build/web-release/site --out build/screenshots/publish
    st=$?
    record publish "$st" "$([ $st = 0 ] && echo passed || echo failed), screenshots in build/screenshots/publish"
    say "browser: the lesson editor's round trip (type, break, fix, download + lesson check, reload, share link)"
    node tests/browser/editor.mjs --site build/web-release/site --out build/screenshots/editor --embedlab build/native-release/src/embedlab
    st=$?
    record editor "$st" "$([ $st = 0 ] && echo passed || echo failed), screenshots in build/screenshots/editor"
    say "browser: your own vectors (a Projector TSV pair dropped on the page: window.embedlab.data, first metrics vs the CLI)"
    node tests/browser/byod.mjs --site build/web-release/site --out build/screenshots/byod --embedlab build/native-release/src/embedlab
    st=$?
    record byod "$st" "$([ $st = 0 ] && echo passed || echo failed), screenshots in build/screenshots/byod"
    say "browser: data sets fetched only when a step needs them (digits, Fashion-MNIST), a failed fetch, the Fashion-MNIST map"
    node tests/browser/assets.mjs --site build/web-release/site --out build/screenshots/assets
    st=$?
    record assets "$st" "$([ $st = 0 ] && echo passed || echo failed), screenshots in build/screenshots/assets"
    say "browser: accessibility (axe-core, the accessibility tree of every step, the mirror's knobs, themes)"
    node tests/browser/a11y.mjs --site build/web-release/site --out build/screenshots/a11y
    st=$?
    record a11y "$st" "$([ $st = 0 ] && echo passed || echo failed), screenshots in build/screenshots/a11y"
  else
    record browser 1 "npm could not install playwright-core"
  fi
else
  record browser 1 "skipped: the web build failed"
fi

if [ "${LAB_TEST_QUICK:-0}" != 1 ]; then
  # 4. sanitizers
  say "asan: build + run the suite under ASan + UBSan"
  if cmake --preset native-asan >"$logs/build-asan.log" 2>&1 && cmake --build --preset native-asan -j "$jobs" >>"$logs/build-asan.log" 2>&1; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --preset native-asan -j "$jobs" 2>&1 | tee "$logs/ctest-asan.log" | tail -n 5
    st=${PIPESTATUS[0]}
    record asan "$st" "$(ctest_counts "$logs/ctest-asan.log")"
  else
    tail -n 40 "$logs/build-asan.log"
    record asan 1 "build failed (see build/logs/build-asan.log)"
  fi
  # 5. fuzzing, bounded: the kept inputs (tests/fuzz/corpus, tests/fuzz/regressions) replayed, then
  #    every target fuzzed for LAB_FUZZ_SECONDS from them
  say "fuzz: replay kept inputs, then every target for ${LAB_FUZZ_SECONDS:-30}s"
  scripts/fuzz.sh "${LAB_FUZZ_SECONDS:-30}" 2>&1 | tee "$logs/fuzz.log" | grep -E "^fuzz:"
  st=${PIPESTATUS[0]}
  record fuzz "$st" "$(sed -n 's/.* replayed \([0-9]*\) kept inputs: ok/\1/p' "$logs/fuzz.log" | awk '{n+=$1} END {print n+0}') kept inputs replayed, $(grep -c ' ok — ' "$logs/fuzz.log") targets clean"
fi

secs=$(( $(date +%s) - start ))
summary=$(printf '%s; ' "${results[@]}"); summary="${summary%; }"
if [ "$failed" = 0 ]; then
  echo "TEST SUMMARY: PASSED in ${secs}s — $summary"
else
  echo "TEST SUMMARY: FAILED in ${secs}s — $summary"
fi
exit "$failed"
