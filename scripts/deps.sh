#!/usr/bin/env bash
# Installs what EmbedLab needs on Debian and fetches pinned upstream sources.
#   scripts/deps.sh packages [web|native|test]...   install the missing Debian packages of these groups (+ base)
#   scripts/deps.sh sources                         fetch + verify Dear ImGui, md4c and zlib into .cache/
#   scripts/deps.sh list                            print every package group and every pinned source
# Upstream C sources come from Debian's source archive (the .orig tarballs), pinned by version and
# sha256. Debian's pool drops a version once no Debian release ships it, so each project has a short
# ordered list of pinned versions (all built and tested here) and `sources` falls back through it.
# Override the mirror with LAB_DEBIAN_MIRROR, or point CMake at your own checkout with
# -DIMGUI_DIR=... / -DMD4C_DIR=... / -DZLIB_SRC_DIR=....
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

package_sets="base web native test"
packages_for() {  # the Debian packages of one group; README's "What gets installed" says what each is for
  case "$1" in
    base)   echo "cmake ninja-build g++ libeigen3-dev doctest-dev fonts-dejavu-core fonts-dejavu-extra fonttools libstb-dev zlib1g-dev curl xz-utils ca-certificates nodejs npm" ;;
    web)    echo "emscripten dataset-fashion-mnist" ;;
    native) echo "libglfw3-dev libgl-dev" ;;
    test)   echo "chromium xvfb imagemagick clang-14 libclang-rt-14-dev pyflakes3" ;;
    *) die "unknown package set '$1' (valid: $package_sets)" ;;
  esac
}

install_packages() {
  local want=() missing=()
  for set in base "$@"; do want+=($(packages_for "$set")); done
  for p in "${want[@]}"; do
    # node/npm may come from NodeSource or nvm, and Emscripten from an active emsdk, rather than
    # Debian: accept those (cmake/emscripten_toolchain.cmake finds emsdk the same way).
    case "$p" in
      nodejs) command -v node >/dev/null && continue ;;
      npm) command -v npm >/dev/null && continue ;;
      emscripten) [ -n "${EMSDK:-}" ] && command -v em++ >/dev/null && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  say "installing Debian packages: ${missing[*]}"
  command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} by hand"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Pinned upstream sources, one line each: VERSION POOL_PATH SHA256 FOLDER_IN_TARBALL.
# In order of preference. `sources` uses the first entry already verified in .cache/ (no network
# needed), else downloads the first one the mirror still serves (an HTTP 404 means the pool has
# dropped it: try the next). The sha256 of each is the one in Debian's signed Sources index of the
# suites named, and was checked again on download. Add a version only after building the lab and
# passing its tests with it (README, "What gets installed").
IMGUI_PINS=(
  "1.90.1 i/imgui/imgui_1.90.1+ds.orig.tar.xz ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c imgui-1.90.1"   # Debian 13 trixie
)
# Not pinned (December 2026), as the lab does not build with them: 1.86 (bookworm) lacks APIs of
# 1.89+ that src/ui uses (ImGui::SetItemKeyOwner, ImGuiKey_MouseWheelY); 1.92.2b (forky, sid) changed
# APIs src/ui uses (ImTextureID is an integer, PushFont takes a size, ImGuiChildFlags_Borders, no
# GetContentRegionMax). Port src/ui to 1.92 first, then pin it here:
#   "1.92.2b i/imgui/imgui_1.92.2b+ds.orig.tar.xz e7bd201d56b5ee90d24d5dac85e5c12f98bdb95410252a62d27b7f89e4566d48 imgui-1.92.2b"
MD4C_PINS=(
  "0.4.8 m/md4c/md4c_0.4.8.orig.tar.gz 4a457df853425b6bb6e3457aa1d1a13bccec587a04c38c622b1013a0da41439f md4c-release-0.4.8"    # Debian 12 bookworm
  "0.5.2 m/md4c/md4c_0.5.2.orig.tar.gz 55d0111d48fb11883aaee91465e642b8b640775a4d6993c2d0e7a8092758ef21 md4c-release-0.5.2"    # Debian 13 trixie
  "0.5.3 m/md4c/md4c_0.5.3.orig.tar.gz bc2e3bf85e5e6235ee5246778d608048e0a572d9d84538e5ef9e7d4b59a28ad6 mity-md4c-093c3f4"     # forky (testing), sid
)
# zlib's sources, for the web build only (natively the lab links Debian's zlib1g-dev): its inflate
# reads zip archives and gzip'd files in the page (core/data/zip.h, core/data/gzip.h). Emscripten's
# own -sUSE_ZLIB port is downloaded from GitHub at build time, which a machine without internet cannot
# do. Next to try when bookworm leaves the pool: trixie's 1:1.3.dfsg+really1.3.1-1,
#   "1.3.1 z/zlib/zlib_1.3.dfsg+really1.3.1.orig.tar.gz 60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb zlib-1.3.1"
# (build the web suite with it first).
ZLIB_PINS=(
  "1.2.13 z/zlib/zlib_1.2.13.dfsg.orig.tar.bz2 71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1 zlib-1.2.13.dfsg"    # Debian 12 bookworm
)

# is_verified FOLDER: unpacked earlier from a tarball whose checksum matched
is_verified() { [ -f "$cache/$1/.verified" ]; }

# fetch NAME VERSION POOL_PATH SHA256 FOLDER: download (unless a verified tarball is cached), check
# the checksum, unpack. Returns 3 if the mirror answers 404 (the pool no longer has this version).
fetch() {
  local name="$1" version="$2" path="$3" sum="$4" inner="$5"
  local url="$mirror/pool/main/$path" file="$cache/$(basename "$path")"
  mkdir -p "$cache"
  if [ ! -f "$file" ] || ! echo "$sum  $file" | sha256sum -c --status; then
    say "fetching $name $version from $url"
    local code
    code=$(curl -sSL --retry 3 -w '%{http_code}' -o "$file.part" "$url") || code="${code:-000}"
    if [ "$code" = 404 ]; then rm -f "$file.part"; return 3; fi
    if [ "$code" != 200 ]; then
      rm -f "$file.part"
      [ "$code" = 000 ] && code="no answer" || code="HTTP $code"
      die "could not download $name $version: $code from $url (set LAB_DEBIAN_MIRROR to use another Debian mirror)"
    fi
    mv "$file.part" "$file"
  fi
  if ! echo "$sum  $file" | sha256sum -c --status; then
    local got; got=$(sha256sum "$file" | cut -d' ' -f1)
    mv -f "$file" "$file.rejected"
    die "checksum mismatch for $url: expected sha256 $sum (pinned in scripts/deps.sh), got $got (kept as $file.rejected)"
  fi
  rm -rf "${cache:?}/$inner"
  tar -xf "$file" -C "$cache" || die "could not unpack $file into $cache"
  [ -d "$cache/$inner" ] || die "$file did not unpack to $cache/$inner (scripts/deps.sh pins that folder name)"
  touch "$cache/$inner/.verified"
}

# pick NAME VAR PINS...: sets VAR to "VERSION FOLDER" of the entry to use (see the list above)
pick() {
  local name="$1" var="$2"; shift 2
  local pin version path sum inner tried=()
  for pin in "$@"; do
    read -r version path sum inner <<<"$pin"
    if is_verified "$inner"; then printf -v "$var" '%s %s' "$version" "$inner"; return 0; fi
  done
  for pin in "$@"; do
    read -r version path sum inner <<<"$pin"
    local rc=0
    fetch "$name" "$version" "$path" "$sum" "$inner" || rc=$?
    if [ "$rc" = 0 ]; then printf -v "$var" '%s %s' "$version" "$inner"; return 0; fi
    [ "$rc" = 3 ] || die "could not fetch $name $version into $cache (see above)"
    tried+=("$version")
    say "$name $version is no longer in Debian's pool ($mirror/pool/main/$path: 404); trying the next pinned version"
  done
  die "no pinned version of $name is left in Debian's pool (tried ${tried[*]} at $mirror): pin one Debian ships in scripts/deps.sh after building and testing with it, or pass -D${var%_CHOICE}_DIR=/path/to/your/checkout to cmake"
}

fetch_sources() {
  local IMGUI_CHOICE MD4C_CHOICE ZLIB_CHOICE
  pick "Dear ImGui" IMGUI_CHOICE "${IMGUI_PINS[@]}"
  pick "md4c" MD4C_CHOICE "${MD4C_PINS[@]}"
  pick "zlib" ZLIB_CHOICE "${ZLIB_PINS[@]}"
  # The one file CMake reads to find them (CMakeLists.txt); rewritten only when the choice changes,
  # so a rerun of this script does not make CMake configure again.
  local out="$cache/sources.cmake" text
  text="# Written by scripts/deps.sh sources: the pinned, verified upstream sources CMake builds with.
# Do not edit: rerun scripts/deps.sh sources, or pass -DIMGUI_DIR=... / -DMD4C_DIR=... / -DZLIB_SRC_DIR=... to cmake.
set(LAB_FETCHED_IMGUI_VERSION \"${IMGUI_CHOICE%% *}\")
set(LAB_FETCHED_IMGUI_DIR \"\${CMAKE_CURRENT_LIST_DIR}/${IMGUI_CHOICE#* }\")
set(LAB_FETCHED_MD4C_VERSION \"${MD4C_CHOICE%% *}\")
set(LAB_FETCHED_MD4C_DIR \"\${CMAKE_CURRENT_LIST_DIR}/${MD4C_CHOICE#* }\")
set(LAB_FETCHED_ZLIB_VERSION \"${ZLIB_CHOICE%% *}\")
set(LAB_FETCHED_ZLIB_DIR \"\${CMAKE_CURRENT_LIST_DIR}/${ZLIB_CHOICE#* }\")"
  if [ "$(cat "$out" 2>/dev/null)" != "$text" ]; then
    printf '%s\n' "$text" > "$out.part" && mv "$out.part" "$out"
    say "using Dear ImGui ${IMGUI_CHOICE%% *}, md4c ${MD4C_CHOICE%% *} and zlib ${ZLIB_CHOICE%% *} (.cache/sources.cmake)"
  fi
}

# Everything this script installs or fetches, for README's "What gets installed" (a test compares them).
list_all() {
  local set pin version path sum inner
  for set in $package_sets; do echo "packages $set: $(packages_for "$set")"; done
  for pin in "${IMGUI_PINS[@]}"; do read -r version path sum inner <<<"$pin"; echo "source imgui $version $(basename "$path") $sum"; done
  for pin in "${MD4C_PINS[@]}"; do read -r version path sum inner <<<"$pin"; echo "source md4c $version $(basename "$path") $sum"; done
  for pin in "${ZLIB_PINS[@]}"; do read -r version path sum inner <<<"$pin"; echo "source zlib $version $(basename "$path") $sum"; done
}

cmd="${1:-}"; shift || true
case "$cmd" in
  packages) install_packages "$@" ;;
  sources)  fetch_sources ;;
  list)     list_all ;;
  *) echo "usage: scripts/deps.sh packages [web|native|test]... | sources | list" >&2; exit 2 ;;
esac
