// A message about a place in a file: what is wrong and, where possible, what is valid.
#pragma once

#include <string>

namespace lab::runtime {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;     // path as given to the parser
  int line = 0;         // 1-based; 0 when the problem is the whole file
  std::string message;
};

// "lessons/01-x.md:12: error: ..." — the format the headless runner prints and editors understand.
std::string diagnostic_format(const Diagnostic& d);

}  // namespace lab::runtime
