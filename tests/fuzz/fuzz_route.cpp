// libFuzzer target: the URL-state decoder (#lesson/step?knob=value), applied to a session holding a
// lesson with knobs, then the session is advanced and its route re-encoded.
#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/session.h"

static lab::runtime::Session make_session() {
  lab::runtime::Session s;
  s.library.lessons.push_back(lab::runtime::lesson_parse(
      "---\ntitle: T\n---\n## A\n```lab random-cosine\ndim: 4\npairs: 10\nknob dim\nknob distribution\n```\n"
      "## B\n```lab quiz\nchoices: a | b\nanswer: 1\nknob question\n```\n",
      "lessons/t.md"));
  s.library.mtimes.resize(1);
  return s;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static lab::runtime::Session session = make_session();
  const std::string route(reinterpret_cast<const char*>(data), size);
  std::string error;
  lab::runtime::session_apply_route(session, route, &error);
  lab::runtime::session_update(session, 0.1);
  const std::string back = lab::runtime::session_route(session);
  return back.empty() && error.empty() && size == size_t(-1);
}
