// The lab's version and build id (`git describe --always --dirty`), shown by the About panel and
// `embedlab version`. They live in one generated file (build_id.cpp.in, filled by CMake at configure
// time) rather than in compile definitions, so that a new build id recompiles that one file instead
// of everything that includes a runtime header.
#pragma once

namespace lab::runtime {

const char* build_version();  // "0.1.0"
const char* build_id();       // "a1b2c3d4e5" or "a1b2c3d4e5-dirty"; "unknown" outside git

}  // namespace lab::runtime
