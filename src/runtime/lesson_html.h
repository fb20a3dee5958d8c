// A lesson as one static HTML fragment, for browsers that cannot run the lab at all (no WebAssembly,
// or no WebGL 2): web/index.html.in shows it under the message that says what is missing, so such a
// student still reads the lesson. The prose is the mirror's (markdown_to_html, the same source the
// canvas draws); each lab block is named, with its knobs, and said to need the lab.
// `embedlab lesson html` writes it; the web build runs that for the shipped lessons (web/lab_web.cmake).
#pragma once

#include <string>

#include "runtime/lesson.h"

namespace lab::runtime {

// <article lang=…> with the lesson title (h2), then per step a <section> with
// "Step k of n: title" (h3), its prose and its blocks. Text is escaped; no scripts, no styles.
std::string lesson_static_html(const Lesson& lesson);

}  // namespace lab::runtime
