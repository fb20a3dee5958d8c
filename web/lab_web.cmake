# Emscripten-only build settings: the only CMake that knows Emscripten flags. Included from the root
# CMakeLists.txt when EMSCRIPTEN. Produces a folder of static files, build/<preset>/site/:
#   index.html  index.js  index.wasm  index.data  sw.js  manifest.webmanifest  favicon.svg
#   compute_worker.js  compute.js  compute.wasm  (the Web Worker for big projections; see below)
#   reader.js  (the lessons' text, for browsers that cannot run the lab)
#   nosimd/  (index.js, .wasm, .data of the build without -msimd128, for browsers without WASM SIMD)
#   (and in release builds their .br/.gz siblings, scripts/precompress.mjs)
#   lessons/  (the lessons as files, and lessons/index.json listing them: read by the page at run time)
#   assets/data/  (the data sets, fetched by the page when a step needs them: web/assets_fetch.js)
# `scripts/lab site [DIR]` copies it into a folder to publish (scripts/site.mjs).

if(TARGET embedlab)
  set(LAB_SITE_DIR "${CMAKE_BINARY_DIR}/site")
  file(MAKE_DIRECTORY "${LAB_SITE_DIR}")
  set_target_properties(embedlab PROPERTIES
    OUTPUT_NAME index SUFFIX ".js" RUNTIME_OUTPUT_DIRECTORY "${LAB_SITE_DIR}")
  # Assets and fonts (subset to runtime/glyph_ranges.inc by src/CMakeLists.txt) are packed into
  # index.data and mounted at /assets, /fonts. Lessons are not: the page fetches them from lessons/
  # beside it (web/lessons_fetch.js), so a course site gains a lesson by copying a file there and
  # updating lessons/index.json, without Emscripten.
  # GL_SUPPORT_AUTOMATIC_ENABLE_EXTENSIONS=0: the lab uses no WebGL extension, and enabling every one
  # the browser offers cost 100-160 ms of the page's start (bench/README.md, "Ready").
  # --one-caller-inline-max-function-size=200: wasm-opt inlines a function called from one place into
  # that place however big it is (its default), which made the frame's two functions 67-68 KB each.
  # The browser compiles a function the first time it runs, on the page's thread (Liftoff), and
  # again in the background once it is hot (TurboFan): both paid for all of each giant before the
  # first frame, on a 2-core machine 0.37 s and 1.2 s of the start-up. Capped at 200 expressions, the
  # first lesson was on screen 0.13 s sooner (bench/README.md, "Time to the first lesson").
  target_link_options(embedlab PRIVATE
    -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sGL_SUPPORT_AUTOMATIC_ENABLE_EXTENSIONS=0
    -sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=200
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=1073741824 -sINITIAL_MEMORY=67108864
    -sENVIRONMENT=web -sEXIT_RUNTIME=0
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/lab_pre.js"
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/lessons_fetch.js"
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/editor.js"
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/byod.js"
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/assets_fetch.js"
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/compute_client.js"
    "SHELL:--preload-file ${PROJECT_SOURCE_DIR}/assets@/assets"
    "SHELL:--exclude-file */assets/data/*.csv" "SHELL:--exclude-file */assets/data/*LICENSE*"
    "SHELL:--preload-file ${LAB_GEN_DIR}/fonts@/fonts"
    "$<$<CONFIG:Debug>:-sASSERTIONS=1>")
  # Relink (and repack index.data) when an asset or the page glue changes; a lesson edit does not relink.
  file(GLOB_RECURSE LAB_PACKED_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/assets/*)
  file(GLOB_RECURSE LAB_LESSON_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/lessons/*)
  set_property(TARGET embedlab APPEND PROPERTY LINK_DEPENDS ${LAB_PACKED_FILES} ${LAB_FONT_FILES}
               ${PROJECT_SOURCE_DIR}/web/lab_pre.js ${PROJECT_SOURCE_DIR}/web/lessons_fetch.js ${PROJECT_SOURCE_DIR}/web/editor.js
               ${PROJECT_SOURCE_DIR}/web/byod.js ${PROJECT_SOURCE_DIR}/web/assets_fetch.js ${PROJECT_SOURCE_DIR}/web/compute_client.js)
  find_program(LAB_NODE node REQUIRED)  # Emscripten itself runs on node

  # The compute worker: core's PCA and t-SNE in a WebAssembly instance of their own, which
  # web/compute_worker.js runs on a Web Worker's thread for big projections (src/platform/
  # compute_worker.cpp; runtime/blocks/projection.h, ProjectionOffload), so t-SNE of 10,000 images gets
  # a core to itself. Only core: 1/10 of index.wasm, fetched the first time a step needs it. Built for
  # node too, so the WebAssembly tests can hold it to the bits of the page's own computation.
  add_executable(lab_compute ${PROJECT_SOURCE_DIR}/src/platform/compute_worker.cpp)
  target_link_libraries(lab_compute PRIVATE lab_core)
  set_target_properties(lab_compute PROPERTIES OUTPUT_NAME compute SUFFIX ".js" RUNTIME_OUTPUT_DIRECTORY "${LAB_SITE_DIR}")
  target_link_options(lab_compute PRIVATE --no-entry -sENVIRONMENT=worker,node -sMODULARIZE=1 -sEXPORT_NAME=createLabCompute
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=1073741824 -sEXPORTED_FUNCTIONS=_malloc,_free
    -sEXPORTED_RUNTIME_METHODS=UTF8ToString)

  # Data sets, fetched by the page when a step needs them (src/runtime/assets.h, lazy_assets), so the
  # first lesson's page does not carry them: left out of index.data above and put in site/assets/data/.
  # Fashion-MNIST's 10,000 test images come from Debian's dataset-fashion-mnist, decompressed
  # (scripts/fmnist-asset.mjs): a site built without them would break its lesson, so the build stops.
  set(LAB_FMNIST_DIR /usr/share/datasets/fashion-mnist CACHE PATH "Debian's dataset-fashion-mnist files (t10k-*-ubyte.gz)")
  foreach(f t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
    if(NOT EXISTS ${LAB_FMNIST_DIR}/${f}.gz)
      message(FATAL_ERROR "${LAB_FMNIST_DIR}/${f}.gz is missing: the site's Fashion-MNIST asset is built from the "
                          "Debian package dataset-fashion-mnist (install it: scripts/deps.sh packages web), or set "
                          "-DLAB_FMNIST_DIR= to a folder holding t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.")
    endif()
  endforeach()
  set(LAB_SITE_DATA ${LAB_SITE_DIR}/assets/data)
  add_custom_command(
    OUTPUT ${LAB_SITE_DATA}/fashion-mnist/t10k-images-idx3-ubyte ${LAB_SITE_DATA}/fashion-mnist/t10k-labels-idx1-ubyte
    COMMAND ${LAB_NODE} ${PROJECT_SOURCE_DIR}/scripts/fmnist-asset.mjs ${LAB_FMNIST_DIR} ${LAB_SITE_DATA}/fashion-mnist
    DEPENDS ${PROJECT_SOURCE_DIR}/scripts/fmnist-asset.mjs ${LAB_FMNIST_DIR}/t10k-images-idx3-ubyte.gz
            ${LAB_FMNIST_DIR}/t10k-labels-idx1-ubyte.gz
    COMMENT "Building the Fashion-MNIST asset from dataset-fashion-mnist")
  add_custom_command(
    OUTPUT ${LAB_SITE_DATA}/digits.csv ${LAB_SITE_DATA}/fashion-mnist-LICENSE.txt
    COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/assets/data/digits.csv
            ${PROJECT_SOURCE_DIR}/assets/data/fashion-mnist-LICENSE.txt ${LAB_SITE_DATA}/
    DEPENDS ${PROJECT_SOURCE_DIR}/assets/data/digits.csv ${PROJECT_SOURCE_DIR}/assets/data/fashion-mnist-LICENSE.txt
    COMMENT "Copying the data sets beside the page")
  set(LAB_SITE_DATA_FILES ${LAB_SITE_DATA}/digits.csv ${LAB_SITE_DATA}/fashion-mnist-LICENSE.txt
      ${LAB_SITE_DATA}/fashion-mnist/t10k-images-idx3-ubyte ${LAB_SITE_DATA}/fashion-mnist/t10k-labels-idx1-ubyte)

  # The page for browsers without WebAssembly SIMD (Safari before 16.4, Chrome before 91, Firefox
  # before 89): the web-release-nosimd build's index.js/.wasm/.data, copied into site/nosimd/, which
  # index.html loads when its feature test fails. `scripts/lab` builds that tree first; a site built
  # without it tells such a browser so (web/copy_fallback.cmake warns at build time).
  set(LAB_WEB_FALLBACK_SITE "" CACHE PATH "A no-SIMD web build's site folder, copied into site/nosimd/ (empty: none)")
  set(LAB_FALLBACK_DEPS "")
  if(LAB_WEB_SIMD)
    set(LAB_FALLBACK_STAMP ${LAB_SITE_DIR}/nosimd/.copied)
    add_custom_target(lab_site_fallback
      COMMAND ${CMAKE_COMMAND} -DFROM=${LAB_WEB_FALLBACK_SITE} -DTO=${LAB_SITE_DIR}/nosimd -DSTAMP=${LAB_FALLBACK_STAMP}
              -P ${PROJECT_SOURCE_DIR}/web/copy_fallback.cmake
      BYPRODUCTS ${LAB_FALLBACK_STAMP}
      COMMENT "Copying the no-SIMD build into site/nosimd/" VERBATIM)
    set(LAB_FALLBACK_DEPS lab_site_fallback ${LAB_FALLBACK_STAMP})
  endif()

  # Page shell and service worker. The cache id (git build id + a hash of index.js, .wasm and .data)
  # names the service worker's cache and is the ?v= of every build file the page asks for, so a
  # redeploy is never answered with the previous build's files (web/sw.js.in says how).
  set(LAB_WEB_FILES index.html sw.js manifest.webmanifest favicon.svg reader.js compute_worker.js)
  add_custom_command(
    OUTPUT ${LAB_SITE_DIR}/index.html ${LAB_SITE_DIR}/sw.js
           ${LAB_SITE_DIR}/manifest.webmanifest ${LAB_SITE_DIR}/favicon.svg ${LAB_SITE_DIR}/reader.js
           ${LAB_SITE_DIR}/compute_worker.js
    COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR}/web -DDST=${LAB_SITE_DIR}
            -DBUILD_ID=${LAB_BUILD_ID} -DVERSION=${PROJECT_VERSION}
            -DJS=${LAB_SITE_DIR}/index.js -DWASM=${LAB_SITE_DIR}/index.wasm -DDATA=${LAB_SITE_DIR}/index.data
            -DFALLBACK=${LAB_SITE_DIR}/nosimd
            -P ${PROJECT_SOURCE_DIR}/web/configure_site.cmake
    DEPENDS embedlab lab_compute ${LAB_FALLBACK_DEPS} ${PROJECT_SOURCE_DIR}/web/index.html.in ${PROJECT_SOURCE_DIR}/web/sw.js.in
            ${PROJECT_SOURCE_DIR}/web/compute_worker.js
            ${PROJECT_SOURCE_DIR}/web/manifest.webmanifest ${PROJECT_SOURCE_DIR}/web/favicon.svg ${PROJECT_SOURCE_DIR}/web/reader.js
            ${PROJECT_SOURCE_DIR}/web/configure_site.cmake
    COMMENT "Writing the page shell and service worker")
  # The lessons as files beside the page, and their list (the command an instructor runs after
  # copying a lesson into a built site). Rewritten whole, so a deleted lesson goes too.
  # Beside each shipped lesson, its text as static HTML (NAME.html, `embedlab lesson html`, run by the
  # CLI built for node): what a browser without WebAssembly or WebGL 2 shows (web/index.html.in).
  set(LAB_LESSON_HTML_COMMAND "")
  set(LAB_LESSON_HTML_DEPENDS "")
  if(LAB_WEB_SIMD)
    file(GLOB LAB_LESSON_MD CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/lessons/*.md)
    list(FILTER LAB_LESSON_MD EXCLUDE REGEX "/README\\.md$")
    set(LAB_LESSON_HTML_COMMAND COMMAND ${LAB_NODE} --no-experimental-fetch $<TARGET_FILE:embedlab_node> lesson html --out ${LAB_SITE_DIR}/lessons ${LAB_LESSON_MD})
    set(LAB_LESSON_HTML_DEPENDS embedlab_node)
  endif()
  add_custom_command(
    OUTPUT ${LAB_SITE_DIR}/lessons/index.json
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${LAB_SITE_DIR}/lessons
    COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/lessons ${LAB_SITE_DIR}/lessons
    ${LAB_LESSON_HTML_COMMAND}
    COMMAND ${LAB_NODE} ${PROJECT_SOURCE_DIR}/scripts/lesson-index.mjs ${LAB_SITE_DIR}/lessons --quiet
    DEPENDS ${LAB_LESSON_FILES} ${PROJECT_SOURCE_DIR}/scripts/lesson-index.mjs ${LAB_LESSON_HTML_DEPENDS}
    COMMENT "Copying the lessons beside the page (with their text as HTML) and writing lessons/index.json")
  add_custom_target(lab_site ALL DEPENDS ${LAB_SITE_DIR}/index.html ${LAB_SITE_DIR}/sw.js ${LAB_SITE_DIR}/lessons/index.json
                    ${LAB_SITE_DATA_FILES})
  # Pre-compressed siblings (NAME.br at brotli 11, NAME.gz), which scripts/serve.mjs and static hosts
  # that know them send to browsers accepting them: Chromium takes br from https and localhost, gzip
  # elsewhere. Brotli 11 rather than `scripts/lab run`'s --fast 5: on index.wasm 665 KB against 771 KB,
  # for about 10 s per relink. Only files newer than their siblings are compressed again; not in Debug.
  if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
    add_custom_target(lab_site_compressed ALL
      COMMAND ${LAB_NODE} ${PROJECT_SOURCE_DIR}/scripts/precompress.mjs ${LAB_SITE_DIR} --quiet
      COMMENT "Pre-compressing the site (brotli, gzip)" VERBATIM)
    add_dependencies(lab_site_compressed lab_site)
  endif()
endif()
