// libFuzzer target: the MovieLens-100k loader. The input is split into u.data / u.item / u.user at
// the first two 0x00 bytes (without them, all three files get the same text), then parsed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/recsys/data.h"
#include "core/text.h"

using namespace lab::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  recsys::Ml100kText text;
  const size_t a = all.find('\0');
  const size_t b = a == std::string_view::npos ? a : all.find('\0', a + 1);
  if (b != std::string_view::npos) {
    text.data = all.substr(0, a);
    text.item = all.substr(a + 1, b - a - 1);
    text.user = all.substr(b + 1);
  } else {
    text.data = text.item = text.user = all;
  }
  recsys::RecData d;
  const Status st = recsys::ml100k_parse(text, d);
  if (!st.ok && st.message.empty()) __builtin_trap();
  std::vector<recsys::Rating> ratings;
  const Status st2 = recsys::ml100k_parse_ratings(text.data, "u1.base", ratings);
  if (!st2.ok && st2.message.empty()) __builtin_trap();
  (void)latin1_to_utf8(text.item);
  return 0;
}
