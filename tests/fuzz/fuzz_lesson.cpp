// libFuzzer target: the lesson parser + validator + Markdown model, on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/lesson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const lab::runtime::Lesson lesson = lab::runtime::lesson_parse(text, "fuzz.md");
  // Touch what the UI would read, so anything the parser left inconsistent shows up under ASan.
  size_t n = 0;
  for (const auto& step : lesson.steps)
    for (const auto& part : step.parts) {
      n += part.doc.blocks.size() + part.block.knobs.size() + part.block.expects.size();
      for (const auto& b : part.doc.blocks) n += lab::runtime::md_plain_text(b.spans).size();
    }
  for (const auto& d : lesson.diagnostics) n += lab::runtime::diagnostic_format(d).size();
  return n == size_t(-1);  // never true; keeps the work observable
}
