#!/usr/bin/env bash
# Regenerates the lab-block reference at the end of lessons/README.md from the kinds' schemas
# (the test suite fails when the README is out of date). Needs a native build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$root/build/native-release/src/embedlab}"
readme="$root/lessons/README.md"
marker='<!-- generated reference below: scripts/update-lesson-reference.sh -->'
head -n "$(grep -n -F "$marker" "$readme" | cut -d: -f1)" "$readme" > "$readme.tmp"
echo >> "$readme.tmp"
"$bin" lesson kinds --markdown >> "$readme.tmp"
mv "$readme.tmp" "$readme"
echo "updated $readme"
