// A result that is either fine or carries a sentence for the user. Core never throws or aborts on
// bad input: it returns a Status (or an optional plus a Status) and the caller shows the message.
#pragma once

#include <string>
#include <utility>

namespace lab::core {

struct Status {
  bool ok = true;
  std::string message;  // what went wrong and what to change; empty when ok

  static Status success() { return {}; }
  static Status error(std::string msg) { return {false, std::move(msg)}; }
  explicit operator bool() const { return ok; }
};

}  // namespace lab::core
