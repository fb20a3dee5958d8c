# Toolchain file of the web presets: finds the Emscripten that is installed and chain-loads that
# Emscripten's own toolchain file, so one CMakePresets.json serves Debian's package and emsdk alike.
# Emscripten: the first of $EMSDK/upstream/emscripten (emsdk_env.sh sets EMSDK), $EMSCRIPTEN, the
# folder of the em++ found on PATH, /usr/share/emscripten (Debian's emscripten package) that holds
# cmake/Modules/Platform/Emscripten.cmake. Test emulator: $EMSDK_NODE, else node on PATH.
# CMake reads this file again for every try_compile, so it only looks things up (no cache writes
# beyond the emulator, which it sets once).

set(_lab_em_roots)
if(DEFINED ENV{EMSDK})
  list(APPEND _lab_em_roots "$ENV{EMSDK}/upstream/emscripten")
endif()
if(DEFINED ENV{EMSCRIPTEN})
  list(APPEND _lab_em_roots "$ENV{EMSCRIPTEN}")
endif()
find_program(_lab_empp em++ NO_CACHE)
if(_lab_empp)
  file(REAL_PATH "${_lab_empp}" _lab_empp)  # Debian: /usr/bin/em++ -> /usr/share/emscripten/wrapper
  get_filename_component(_lab_empp_dir "${_lab_empp}" DIRECTORY)
  list(APPEND _lab_em_roots "${_lab_empp_dir}")
endif()
list(APPEND _lab_em_roots /usr/share/emscripten)

set(_lab_em_toolchain "")
foreach(_lab_root IN LISTS _lab_em_roots)
  if(EXISTS "${_lab_root}/cmake/Modules/Platform/Emscripten.cmake")
    set(_lab_em_toolchain "${_lab_root}/cmake/Modules/Platform/Emscripten.cmake")
    break()
  endif()
endforeach()
if(NOT _lab_em_toolchain)
  list(JOIN _lab_em_roots "\n  " _lab_tried)
  message(FATAL_ERROR "Emscripten not found: none of these folders has cmake/Modules/Platform/Emscripten.cmake:\n  ${_lab_tried}\n"
                      "Install it (Debian: scripts/deps.sh packages web) or activate emsdk (source emsdk_env.sh) before cmake --preset web-release.")
endif()

# Test emulator. Emscripten's toolchain file would pick node too, but Debian's Emscripten 3.1.6
# output only runs on node 18+ with --no-experimental-fetch (else "Failed to parse URL"), and emsdk's
# own node is in $EMSDK_NODE. The flag is added only if this node accepts it.
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  if(DEFINED ENV{EMSDK_NODE} AND EXISTS "$ENV{EMSDK_NODE}")
    set(_lab_node "$ENV{EMSDK_NODE}")
  else()
    find_program(_lab_node NAMES node nodejs NO_CACHE)
  endif()
  if(_lab_node)
    execute_process(COMMAND "${_lab_node}" --no-experimental-fetch -e 0 RESULT_VARIABLE _lab_rc OUTPUT_QUIET ERROR_QUIET)
    if(_lab_rc EQUAL 0)
      set(_lab_node "${_lab_node};--no-experimental-fetch")
    endif()
    set(CMAKE_CROSSCOMPILING_EMULATOR "${_lab_node}" CACHE STRING "Runs the wasm tests (node)")
  endif()
endif()

if(NOT _lab_em_reported)  # once per configure, not per try_compile
  set(_lab_em_reported ON)
  message(STATUS "Emscripten toolchain: ${_lab_em_toolchain}")
endif()
include("${_lab_em_toolchain}")
