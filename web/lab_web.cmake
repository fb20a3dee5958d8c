# Emscripten-only build settings: the only CMake that knows Emscripten flags. Included from the root
# CMakeLists.txt when EMSCRIPTEN. Produces a folder of static files, build/<preset>/site/:
#   index.html  index.js  index.wasm  index.data  sw.js  manifest.webmanifest  favicon.svg
#   (and in release builds their .br/.gz siblings, scripts/precompress.mjs)
#   lessons/  (the lessons as files, and lessons/index.json listing them: read by the page at run time)
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
  target_link_options(embedlab PRIVATE
    -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=1073741824 -sINITIAL_MEMORY=67108864
    -sENVIRONMENT=web -sEXIT_RUNTIME=0
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/lab_pre.js"
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/lessons_fetch.js"
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/editor.js"
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/byod.js"
    "SHELL:--preload-file ${PROJECT_SOURCE_DIR}/assets@/assets"
    "SHELL:--preload-file ${LAB_GEN_DIR}/fonts@/fonts"
    "$<$<CONFIG:Debug>:-sASSERTIONS=1>")
  # Relink (and repack index.data) when an asset or the page glue changes; a lesson edit does not relink.
  file(GLOB_RECURSE LAB_PACKED_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/assets/*)
  file(GLOB_RECURSE LAB_LESSON_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/lessons/*)
  set_property(TARGET embedlab APPEND PROPERTY LINK_DEPENDS ${LAB_PACKED_FILES} ${LAB_FONT_FILES}
               ${PROJECT_SOURCE_DIR}/web/lab_pre.js ${PROJECT_SOURCE_DIR}/web/lessons_fetch.js ${PROJECT_SOURCE_DIR}/web/editor.js
               ${PROJECT_SOURCE_DIR}/web/byod.js)
  find_program(LAB_NODE node REQUIRED)  # Emscripten itself runs on node

  # Page shell and service worker. The cache id (git build id + a hash of index.js, .wasm and .data)
  # names the service worker's cache and is the ?v= of every build file the page asks for, so a
  # redeploy is never answered with the previous build's files (web/sw.js.in says how).
  set(LAB_WEB_FILES index.html sw.js manifest.webmanifest favicon.svg)
  add_custom_command(
    OUTPUT ${LAB_SITE_DIR}/index.html ${LAB_SITE_DIR}/sw.js
           ${LAB_SITE_DIR}/manifest.webmanifest ${LAB_SITE_DIR}/favicon.svg
    COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR}/web -DDST=${LAB_SITE_DIR}
            -DBUILD_ID=${LAB_BUILD_ID} -DVERSION=${PROJECT_VERSION}
            -DJS=${LAB_SITE_DIR}/index.js -DWASM=${LAB_SITE_DIR}/index.wasm -DDATA=${LAB_SITE_DIR}/index.data
            -P ${PROJECT_SOURCE_DIR}/web/configure_site.cmake
    DEPENDS embedlab ${PROJECT_SOURCE_DIR}/web/index.html.in ${PROJECT_SOURCE_DIR}/web/sw.js.in
            ${PROJECT_SOURCE_DIR}/web/manifest.webmanifest ${PROJECT_SOURCE_DIR}/web/favicon.svg
            ${PROJECT_SOURCE_DIR}/web/configure_site.cmake
    COMMENT "Writing the page shell and service worker")
  # The lessons as files beside the page, and their list (the command an instructor runs after
  # copying a lesson into a built site). Rewritten whole, so a deleted lesson goes too.
  add_custom_command(
    OUTPUT ${LAB_SITE_DIR}/lessons/index.json
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${LAB_SITE_DIR}/lessons
    COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/lessons ${LAB_SITE_DIR}/lessons
    COMMAND ${LAB_NODE} ${PROJECT_SOURCE_DIR}/scripts/lesson-index.mjs ${LAB_SITE_DIR}/lessons --quiet
    DEPENDS ${LAB_LESSON_FILES} ${PROJECT_SOURCE_DIR}/scripts/lesson-index.mjs
    COMMENT "Copying the lessons beside the page and writing lessons/index.json")
  add_custom_target(lab_site ALL DEPENDS ${LAB_SITE_DIR}/index.html ${LAB_SITE_DIR}/sw.js ${LAB_SITE_DIR}/lessons/index.json)
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
