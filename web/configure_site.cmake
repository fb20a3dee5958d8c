# Script mode (cmake -P): fills the page templates. The cache id = git build id + a hash of the
# js, wasm and data files (and the no-SIMD build's wasm), so every content change gets a new service-worker cache and new ?v= URLs.
# (Lessons are not in it: the page fetches them fresh, and the service worker keeps the last copy.)
file(SHA256 "${JS}" js_hash)
file(SHA256 "${WASM}" wasm_hash)
file(SHA256 "${DATA}" data_hash)
# The no-SIMD build in nosimd/ (web/copy_fallback.cmake), when there is one, is asked for with the same ?v=.
set(fallback_hash "")
if(FALLBACK AND EXISTS "${FALLBACK}/index.wasm")
  file(SHA256 "${FALLBACK}/index.wasm" fallback_hash)
endif()
string(SHA256 content_hash "${js_hash}${wasm_hash}${data_hash}${fallback_hash}")
string(SUBSTRING "${content_hash}" 0 12 content_hash)
set(LAB_BUILD_ID "${BUILD_ID}")
set(LAB_CACHE_ID "${BUILD_ID}-${content_hash}")
set(LAB_VERSION "${VERSION}")
# The icon inline (a data: URI), so the page asks for one file fewer before its first frame.
file(READ "${SRC}/favicon.svg" favicon)
string(STRIP "${favicon}" favicon)
string(REPLACE "%" "%25" favicon "${favicon}")
string(REPLACE "#" "%23" favicon "${favicon}")
string(REPLACE "\"" "'" favicon "${favicon}")
string(REPLACE "<" "%3C" favicon "${favicon}")
string(REPLACE ">" "%3E" favicon "${favicon}")
set(LAB_FAVICON_URI "data:image/svg+xml,${favicon}")
# What the page's first load carries, smaller: lines that are only a // comment, and indentation, go
# (the source keeps them). Every line of index.html.in's scripts ends its statement or continues an
# expression, so no line break or comment line is load-bearing. Written only when it changed, as
# configure_file does (so the compressed siblings are not made again).
file(READ "${SRC}/index.html.in" page)
string(CONFIGURE "${page}" page @ONLY)
string(REGEX REPLACE "\n[ \t]*//[^\n]*" "" page "${page}")
string(REGEX REPLACE "\n[ \t]+" "\n" page "${page}")
set(old_page "")
if(EXISTS "${DST}/index.html")
  file(READ "${DST}/index.html" old_page)
endif()
if(NOT old_page STREQUAL page)
  file(WRITE "${DST}/index.html" "${page}")
endif()
configure_file("${SRC}/sw.js.in" "${DST}/sw.js" @ONLY)
configure_file("${SRC}/manifest.webmanifest" "${DST}/manifest.webmanifest" COPYONLY)
configure_file("${SRC}/favicon.svg" "${DST}/favicon.svg" COPYONLY)
configure_file("${SRC}/reader.js" "${DST}/reader.js" COPYONLY)
