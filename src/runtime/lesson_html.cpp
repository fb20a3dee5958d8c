#include "runtime/lesson_html.h"

#include <cstdio>

#include "runtime/markdown_html.h"

namespace lab::runtime {

std::string lesson_static_html(const Lesson& lesson, uint32_t source_crc32) {
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", unsigned(source_crc32));
  std::string h = "<article class=\"lesson-text\" lang=\"" + html_escape(lesson.lang) + "\" data-lesson=\"" +
                  html_escape(lesson.id) + "\" data-source-crc32=\"" + crc + "\">\n<h2>" + html_escape(lesson.title) + "</h2>\n";
  if (!lesson.summary.empty()) h += "<p>" + html_escape(lesson.summary) + "</p>\n";
  const size_t count = lesson.steps.size();
  for (size_t k = 0; k < count; ++k) {
    const LessonStep& step = lesson.steps[k];
    h += "<section>\n<h3>Step " + std::to_string(k + 1) + " of " + std::to_string(count) + ": " + html_escape(step.title) + "</h3>\n";
    for (const StepPart& part : step.parts) {
      if (part.kind == StepPart::Kind::Prose) {
        h += markdown_to_html(part.text);
        continue;
      }
      const LabBlock& b = part.block;
      std::string knobs;
      for (const Knob& knob : b.knobs) knobs += (knobs.empty() ? "" : ", ") + knob.param;
      h += "<p class=\"lab-block\"><strong>Lab: " + html_escape(b.title()) + "</strong> (" + html_escape(b.kind_name) +
           (knobs.empty() ? "" : "; knobs: " + html_escape(knobs)) +
           "). This experiment runs in the lab itself, which needs WebAssembly and WebGL 2.</p>\n";
    }
    h += "</section>\n";
  }
  return h + "</article>\n";
}

}  // namespace lab::runtime
