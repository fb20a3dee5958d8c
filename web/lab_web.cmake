# Emscripten-only build settings: the only CMake that knows Emscripten flags. Included from the root
# CMakeLists.txt when EMSCRIPTEN. Produces a folder of static files, build/<preset>/site/:
#   index.html  index.js  index.wasm  index.data  sw.js  manifest.webmanifest  favicon.svg

if(TARGET embedlab)
  set(LAB_SITE_DIR "${CMAKE_BINARY_DIR}/site")
  file(MAKE_DIRECTORY "${LAB_SITE_DIR}")
  set_target_properties(embedlab PROPERTIES
    OUTPUT_NAME index SUFFIX ".js" RUNTIME_OUTPUT_DIRECTORY "${LAB_SITE_DIR}")
  # Lessons, assets and fonts are packed into index.data and mounted at /lessons, /assets, /fonts.
  target_link_options(embedlab PRIVATE
    -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=1073741824 -sINITIAL_MEMORY=67108864
    -sENVIRONMENT=web -sEXIT_RUNTIME=0
    "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/web/lab_pre.js"
    "SHELL:--preload-file ${PROJECT_SOURCE_DIR}/lessons@/lessons"
    "SHELL:--preload-file ${PROJECT_SOURCE_DIR}/assets@/assets"
    "SHELL:--preload-file ${LAB_GEN_DIR}/fonts@/fonts"
    "$<$<CONFIG:Debug>:-sASSERTIONS=1>")
  # Relink (and repack index.data) when a lesson or asset changes.
  file(GLOB_RECURSE LAB_PACKED_FILES CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/lessons/* ${PROJECT_SOURCE_DIR}/assets/*)
  set_property(TARGET embedlab APPEND PROPERTY LINK_DEPENDS ${LAB_PACKED_FILES} ${PROJECT_SOURCE_DIR}/web/lab_pre.js)

  # Page shell and service worker. The build id in the cache name makes a redeploy replace old caches.
  # The id includes a hash of the packed lessons so a lesson edit also refreshes offline copies.
  set(LAB_WEB_FILES index.html sw.js manifest.webmanifest favicon.svg)
  add_custom_command(
    OUTPUT ${LAB_SITE_DIR}/index.html ${LAB_SITE_DIR}/sw.js
           ${LAB_SITE_DIR}/manifest.webmanifest ${LAB_SITE_DIR}/favicon.svg
    COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR}/web -DDST=${LAB_SITE_DIR}
            -DBUILD_ID=${LAB_BUILD_ID} -DVERSION=${PROJECT_VERSION}
            -DWASM=${LAB_SITE_DIR}/index.wasm -DDATA=${LAB_SITE_DIR}/index.data
            -P ${PROJECT_SOURCE_DIR}/web/configure_site.cmake
    # The lesson sources too, so `?lesson=lessons/NAME.md` works on the served site.
    COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/lessons ${LAB_SITE_DIR}/lessons
    DEPENDS embedlab ${PROJECT_SOURCE_DIR}/web/index.html.in ${PROJECT_SOURCE_DIR}/web/sw.js.in
            ${PROJECT_SOURCE_DIR}/web/manifest.webmanifest ${PROJECT_SOURCE_DIR}/web/favicon.svg
            ${PROJECT_SOURCE_DIR}/web/configure_site.cmake ${LAB_PACKED_FILES}
    COMMENT "Writing the page shell and service worker")
  add_custom_target(lab_site ALL DEPENDS ${LAB_SITE_DIR}/index.html ${LAB_SITE_DIR}/sw.js)
endif()
