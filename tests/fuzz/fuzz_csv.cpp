// libFuzzer target: the labelled-CSV parser behind `embedlab tsne|pca --input` and the digits loader.
// digits_parse is labeled_csv_parse plus the digits checks, so it runs only on inputs that parse:
// on the others it would repeat the same failing parse (half the time per input, no new code).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/data/labeled_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  lab::core::LabeledData out;
  lab::core::CsvError where;
  const lab::core::Status st = lab::core::labeled_csv_parse(text, out, &where);
  if (st.ok) {
    // A successful parse must be self-consistent.
    if (out.x.rows() != lab::core::Index(out.labels.size()) || out.label_text.size() != out.labels.size()) __builtin_trap();
    for (lab::core::Index i = 0; i < out.x.size(); ++i)
      if (!(out.x.data()[i] == out.x.data()[i])) __builtin_trap();  // no NaN gets through
  } else if (st.message.empty()) {
    __builtin_trap();  // every failure says why
  }
  if (st.ok) {
    lab::core::LabeledData digits;
    const lab::core::Status dst = lab::core::digits_parse(text, digits, &where);
    if (!dst.ok && dst.message.empty()) __builtin_trap();
  }
  return 0;
}
