// Small text helpers core's readers share (file names, legacy encodings). Lesson text has its own,
// with line:column positions, in runtime/text.h.
#pragma once

#include <string>
#include <string_view>

namespace lab::core {

// True when `s` ends with `suffix`, ignoring ASCII case in `s` (`suffix` is given in lower case):
// ends_with_ci("ML-100K.ZIP", ".zip").
bool ends_with_ci(std::string_view s, std::string_view suffix);

// Latin-1 bytes to UTF-8 (MovieLens titles such as "Misérables, Les (1995)", zip entry names not
// flagged as UTF-8).
std::string latin1_to_utf8(std::string_view s);

}  // namespace lab::core
