# Script mode (cmake -P): fills the page templates. The cache id = git build id + a hash of the
# wasm and data files, so every content change gets a new service-worker cache.
file(SHA256 "${WASM}" wasm_hash)
file(SHA256 "${DATA}" data_hash)
string(SHA256 content_hash "${wasm_hash}${data_hash}")
string(SUBSTRING "${content_hash}" 0 12 content_hash)
set(LAB_BUILD_ID "${BUILD_ID}")
set(LAB_CACHE_ID "${BUILD_ID}-${content_hash}")
set(LAB_VERSION "${VERSION}")
configure_file("${SRC}/index.html.in" "${DST}/index.html" @ONLY)
configure_file("${SRC}/sw.js.in" "${DST}/sw.js" @ONLY)
configure_file("${SRC}/manifest.webmanifest" "${DST}/manifest.webmanifest" COPYONLY)
configure_file("${SRC}/favicon.svg" "${DST}/favicon.svg" COPYONLY)
