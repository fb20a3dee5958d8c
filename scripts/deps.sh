#!/usr/bin/env bash
# Installs what EmbedLab needs on Debian/Ubuntu and fetches pinned upstream sources.
#   scripts/deps.sh packages [web|native|test]...   install missing Debian packages
#   scripts/deps.sh sources                         fetch + verify Dear ImGui and md4c into .cache/
# Upstream C sources come from Debian's source archive (the .orig tarballs), pinned by version and
# sha256. Override the mirror with LAB_DEBIAN_MIRROR, or point CMake at your own checkout with
# -DIMGUI_DIR=... / -DMD4C_DIR=....
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache"
mirror="${LAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

say() { printf '\033[1m[deps]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[deps] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

packages_for() {
  case "$1" in
    base)   echo "cmake ninja-build g++ libeigen3-dev doctest-dev fonts-dejavu-core fonts-dejavu-extra fonttools libstb-dev zlib1g-dev curl xz-utils ca-certificates nodejs npm" ;;
    web)    echo "emscripten" ;;
    native) echo "libglfw3-dev libgl-dev" ;;
    test)   echo "chromium xvfb imagemagick clang-14 libclang-rt-14-dev pyflakes3 dataset-fashion-mnist" ;;
    *) die "unknown package set '$1' (valid: base web native test)" ;;
  esac
}

install_packages() {
  local want=() missing=()
  for set in base "$@"; do want+=($(packages_for "$set")); done
  for p in "${want[@]}"; do
    # node/npm may come from NodeSource or nvm rather than Debian: accept any working binary.
    case "$p" in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  say "installing Debian packages: ${missing[*]}"
  command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} by hand"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# fetch NAME POOL_PATH SHA256 DIRNAME_IN_TARBALL
fetch() {
  local name="$1" path="$2" sum="$3" inner="$4"
  local dest="$cache/$inner" file="$cache/$(basename "$path")"
  [ -f "$dest/.verified" ] && return 0
  mkdir -p "$cache"
  if [ ! -f "$file" ] || ! echo "$sum  $file" | sha256sum -c --status; then
    say "fetching $name from $mirror/pool/main/$path"
    curl -fsSL --retry 3 -o "$file.part" "$mirror/pool/main/$path" || die "could not download $name ($mirror/pool/main/$path)"
    mv "$file.part" "$file"
  fi
  echo "$sum  $file" | sha256sum -c --status || die "checksum mismatch for $file (expected $sum)"
  rm -rf "$dest" && tar -xf "$file" -C "$cache"
  [ -d "$dest" ] || die "$file did not unpack to $inner"
  touch "$dest/.verified"
}

fetch_sources() {
  fetch "Dear ImGui 1.90.1" i/imgui/imgui_1.90.1+ds.orig.tar.xz \
    ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c imgui-1.90.1
  fetch "md4c 0.4.8" m/md4c/md4c_0.4.8.orig.tar.gz \
    4a457df853425b6bb6e3457aa1d1a13bccec587a04c38c622b1013a0da41439f md4c-release-0.4.8
}

cmd="${1:-}"; shift || true
case "$cmd" in
  packages) install_packages "$@" ;;
  sources)  fetch_sources ;;
  *) echo "usage: scripts/deps.sh packages [web|native|test]... | sources" >&2; exit 2 ;;
esac
