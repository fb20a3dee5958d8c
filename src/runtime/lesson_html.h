// A lesson as one static HTML fragment, for browsers that cannot run the lab at all (no WebAssembly,
// or no WebGL 2): web/index.html.in shows it under the message that says what is missing, so such a
// student still reads the lesson. The prose is the mirror's (markdown_to_html, the same source the
// canvas draws); each lab block is named, with its knobs, and said to need the lab.
// `embedlab lesson html` writes it; the web build runs that for the shipped lessons (web/lab_web.cmake).
#pragma once

#include <cstdint>
#include <string>

#include "runtime/lesson.h"

namespace lab::runtime {

// <article lang=… data-source-crc32=…> with the lesson title (h2), then per step a <section> with
// "Step k of n: title" (h3), its prose and its blocks. Text is escaped; no scripts, no styles.
// source_crc32: the CRC-32 of the lesson file's bytes, which scripts/lesson-index.mjs compares with the
// file beside it, so a lesson edited on a published site is never shown as its older text.
std::string lesson_static_html(const Lesson& lesson, uint32_t source_crc32);

}  // namespace lab::runtime
