// The accessible mirror: what the canvas shows, described for the page's DOM (the approach of
// Flutter web's semantics tree and egui's AccessKit). C++ keeps the truth; this builds one JSON
// document per state — the lesson and step, the prose as HTML (md4c-html, the same Markdown the
// canvas draws), every lab block with its knobs (type, range, value), progress, status, numbers,
// expectations with ✓ / ✗ and the text alternative of each plot — and the page (web/lab_pre.js)
// renders it as headings, paragraphs, labelled native controls and a polite live region.
// A control in the page moves a knob through mirror_knob(), i.e. through knob_set(), the path the
// ImGui slider takes. Platform-free: the native build compiles it and tests/ui/test_mirror.cpp runs it.
//
// JSON shape (keys in this order; strings UTF-8):
//   { "key": "01-symbols/3@4",                 step route + "@" + library revision: names this step
//     "lang": "en", "theme": "system", "dark": false,
//     "lesson": {"id","title","index","count"}, "lessons": [{"title","route"}],
//     "step": {"index","count","title","route","prev","next"}, "steps": [{"title","route"}],
//     "diagnostics": ["file:line: message"],
//     "parts": [ {"type":"prose","html":"<p>…</p>"},
//                {"type":"block","run":0,"kind","title","ok","errors":[…],"ready",
//                 "knobs":[{"name","doc","control":"range|checkbox|select|text","min","max","step","log",
//                           "value","choices":[…]}],
//                 "progress":0..1 or null,"progress_text","status","note",
//                 "controls":{"pause","reset","paused"} (booleans: which run controls it has now),
//                 "expects":[{"mark","state":"pending|holds|fails|student","text"}],
//                 "metrics":[{"name","value","doc"}], "plots":["Plot: …"],
//                 "code":[{"title","params","keras","pytorch"}] } ] }   one per model (runtime/model_code.h)
#pragma once

#include <optional>
#include <string>

#include "ui/app_ui.h"

namespace lab::ui {

// The key of the step on screen ("" without lessons): a knob message for another key is refused.
std::string mirror_key(const runtime::Session& s);

// The whole description of the current state (see above).
std::string mirror_json(const LabApp& app);

// A knob change from the page. `key` is the mirror key the control was built for: when the step
// changed in between, the change is refused (returned, and shown as a toast) instead of moving a
// knob of another block. Otherwise this is knob_set(app, run, param, value).
core::Status mirror_knob(LabApp& app, const std::string& key, int run, const std::string& param, const std::string& value);

// A run control from the page: "pause", "resume" or "reset" of block `run`, as the canvas's buttons do
// (ui/block_text.h, run_controls). Refused like a knob change when `key` is not the step on screen,
// and when the block has no such control now.
core::Status mirror_run(LabApp& app, const std::string& key, int run, const std::string& action);

// When to hand the page a new description: at once when the step (the key) changes, otherwise at
// most every `interval_ms` (4 Hz by default) and only when something in it changed.
struct MirrorThrottle {
  std::string last_json;
  std::string last_key;
  double last_ms = -1e300;
  double interval_ms = 250;
};
// Returns the JSON to publish now, or nothing (not due, or unchanged).
std::optional<std::string> mirror_update(MirrorThrottle& t, const LabApp& app, double now_ms);

}  // namespace lab::ui
