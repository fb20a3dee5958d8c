// libFuzzer target: the URL-state decoder and encoder (#lesson/step?knob=value). Any input is applied
// to a session holding a lesson with knobs of every value type (text, number, whole number, choice,
// yes/no); the route it leads to is then a shared link, and must round-trip exactly: applied to a
// second session it gives the same knob values and the same route back. A mismatch traps (crash).
// session_update runs with a zero budget: it still builds the step's blocks from the link's knob
// values (what the round trip needs) and runs one slice of each, but no longer trains for 0.1 ms
// per block per session on every input (tests/fuzz/README.md: that was most of the time per input).
// For the same reason the blocks' sizes that are not knobs are the smallest allowed (a 50-sentence
// corpus, a 2-2-1 network): every input builds a step's blocks at least once, and the route code
// reads only the knobs. random-cosine's `dim` is not a knob here: a link with dim=4096 made each input
// cost ~13 ms of Gaussian draws under the sanitizers (the block's real work, not the route code's), and
// the whole-number knob type is still covered by dropout-mask's `seed`.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "runtime/session.h"

static lab::runtime::Session make_session() {
  lab::runtime::Session s;
  s.library.lessons.push_back(lab::runtime::lesson_parse(
      "---\ntitle: T\n---\n## A\n```lab random-cosine\ndim: 4\npairs: 10\nknob distribution\nknob title\n```\n"
      "```lab dropout-mask\nsamples: 100\ninputs: 2\nhidden: 2\nlayers: 1\noutputs: 1\nknob p\nknob seed\n```\n"
      "## B\n```lab quiz\nchoices: a | b\nanswer: 1\nknob question\n```\n"
      "## C\n```lab embedding-lookup\nknob vocabulary\n```\n"
      "```lab embedding-distances\nsentences: 50\nepochs: 1\ndim: 2\nknob scale\nknob normalize\nknob query\n```\n",
      "lessons/t.md"));
  s.library.mtimes.resize(1);
  if (s.library.lessons.back().has_errors()) {  // a block with errors has no knobs to round-trip
    for (const auto& d : s.library.lessons.back().diagnostics) std::fprintf(stderr, "%s\n", lab::runtime::diagnostic_format(d).c_str());
    __builtin_trap();
  }
  return s;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static lab::runtime::Session session = make_session();
  static lab::runtime::Session again = make_session();
  const std::string route(reinterpret_cast<const char*>(data), size);
  std::string error;
  lab::runtime::session_apply_route(session, route, &error);
  lab::runtime::session_update(session, 0.0);
  const std::string link = lab::runtime::session_route(session);
  const auto values = lab::runtime::session_knob_values(session);

  // The link the page now shows, opened elsewhere: same state, same link.
  std::string error2;
  if (!lab::runtime::session_apply_route(again, link, &error2)) {
    std::fprintf(stderr, "route round-trip: '%s' does not open (%s)\n", link.c_str(), error2.c_str());
    __builtin_trap();
  }
  lab::runtime::session_update(again, 0.0);
  const std::string back = lab::runtime::session_route(again);
  if (back != link || lab::runtime::session_knob_values(again) != values) {
    std::fprintf(stderr, "route round-trip: '%s' came back as '%s'\n", link.c_str(), back.c_str());
    __builtin_trap();
  }
  return 0;
}
