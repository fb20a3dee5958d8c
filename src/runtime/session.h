// What the student is looking at: the lesson library (every *.md in the lessons folder except
// README.md, sorted by 'order' then id), the current lesson and step, and deep-link routes
// ("lesson-id/step", 1-based step). No UI here: the app shell reads and changes this state.
// The library is read from a folder on disk (library_load, hot-reloaded natively), or handed over
// later as files read elsewhere (library_from_sources: the web page fetches its site's lessons/).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/lesson.h"

namespace lab::runtime {

struct LessonLibrary {
  std::string dir;
  std::string error;           // set when the folder itself is missing or unreadable
  std::vector<Lesson> lessons;
  std::vector<std::filesystem::file_time_type> mtimes;  // for hot reload, parallel to lessons
  int revision = 0;            // bumped whenever a lesson is (re)loaded, added or removed
  bool loading = false;        // the lessons are on their way (session_library_arrived ends it)
  bool more = false;           // the first lesson came ahead of the others (web), which are still on
                               // their way (session_library_more ends it)
  int site_lessons = 0;        // lessons[0, site_lessons) came from the site (web), sorted; lessons
                               // added on the page (dropped, edited) follow them
};

LessonLibrary library_load(const std::string& dir);

// A lesson file read by someone else (web: fetched from the site's lessons/ folder).
struct LessonSource {
  std::string path;   // as diagnostics name it, e.g. "lessons/01-symbols.md"
  std::string text;   // the bytes as read (validated as UTF-8 by the parser)
  std::string error;  // why it could not be read; then the lesson holds this one diagnostic
};
// A library of such files, each parsed as library_load parses one from disk (same parser, same
// FILE:LINE diagnostics, same order). `error` (the list itself could not be read) becomes lib.error;
// with no lessons and no error, lib.error says the list was empty.
LessonLibrary library_from_sources(const std::string& dir, const std::vector<LessonSource>& files, std::string error);
// Re-reads files whose modification time changed, and picks up added or removed files.
// Returns true if anything changed.
bool library_reload_changed(LessonLibrary& lib);

// A lab block of the current step, live: its knob values and its running experiment.
struct BlockRun {
  int part = 0;                 // index into the step's parts
  BlockConfig config;           // the lesson's values, changed by knobs
  std::unique_ptr<Experiment> experiment;
  uint64_t experiment_id = 0;   // new for every experiment built (the UI keeps its view state per id)
  bool paused = false;
  double elapsed_ms = 0;        // time spent in step() so far
};

struct Session {
  LessonLibrary library;
  int lesson = 0;  // index into library.lessons (0 when empty)
  int step = 0;    // index into the lesson's steps
  std::vector<BlockRun> runs;   // the current step's lab blocks (rebuilt when the step changes)
  std::string runs_key;         // which lesson/step/revision `runs` belongs to
  std::map<std::string, std::string> pending_knobs;  // from a deep link, applied when runs are built
  std::string pending_route;    // a deep link given while the library was loading, applied when it arrives
  uint64_t experiments_built = 0;  // numbers the experiments (BlockRun::experiment_id)
};

void session_init(Session& s, const std::string& lessons_dir);
// Starts with an empty library marked loading: routes given meanwhile wait (session_apply_route).
void session_init_loading(Session& s, const std::string& lessons_dir);
// The library that was loading arrived: it replaces the empty one, lessons added meanwhile (a file
// dropped on the page, a draft of the page's lesson editor) are kept and stay selected, and a route
// given meanwhile is applied (when lessons were added: only a route to a step of the one in front). Returns
// false with *error set if that route names no lesson of the library.
bool session_library_arrived(Session& s, LessonLibrary lib, std::string* error);
// The rest of the site's lessons arrived (lib.more was set when the first came ahead of them): each
// one not in the library yet joins the site's lessons in their order. What is on screen stays: the
// same lesson and step, and the step's running experiments (the library's revision, which keys them,
// does not change: no lesson already there changed). A route given meanwhile to a lesson that was not
// there yet is applied now; returns false with *error set if it names none of these either.
bool session_library_more(Session& s, LessonLibrary lib, std::string* error);
const Lesson* session_lesson(const Session& s);
int  session_step_count(const Session& s);
bool session_next(Session& s);
bool session_prev(Session& s);
void session_select(Session& s, int lesson, int step = 0);
// Adds (or replaces, by id) a lesson that did not come from the folder, e.g. a file dropped on the page.
void session_add_lesson(Session& s, Lesson lesson);
// The page's lesson editor re-parsed its text: replaces the lesson with the same id (or adds it) as
// session_add_lesson does, keeping the step on screen when it is the current lesson. A lab block of
// that step whose definition did not change (same kind, same parameter values, same knobs) keeps its
// running experiment, its knob values and its view state; only changed or new blocks start again.
void session_edit_lesson(Session& s, Lesson lesson);

// Makes sure `runs` matches the current step, then advances the running experiments, sharing
// budget_ms between them. Called once per frame by the app and in a loop by the headless runner.
void session_update(Session& s, double budget_ms);

// How long a frame lets the experiments train: half of what the rest of a frame takes (drawing,
// and waiting for the display), so a frame that trains takes at most 1.5x one that does not (the
// frames target of bench/page.mjs), and at least kMinMs, at most kMaxMs. On a fast screen that is
// the floor, 8 ms of a 16.7 ms frame; on a slow one (software GL, an old laptop: 50-100 ms to draw)
// training keeps a third of the time instead of a fixed 8 ms of a long frame. "The rest" is the
// median over the last frames, so one slow frame (a hidden tab, a paused loop) does not move it.
class FrameBudget {
 public:
  static constexpr double kMinMs = 8, kMaxMs = 50;
  // At the start of each frame: the budget for this frame's training.
  double frame_start(double now_ms);
  // After it: how long the training took.
  void trained(double ms) { last_train_ms_ = ms; }

 private:
  static constexpr int kFrames = 15;
  double last_start_ms_ = -1, last_train_ms_ = 0;
  double other_[kFrames] = {};
  int count_ = 0, next_ = 0;
};
const LabBlock* session_run_block(const Session& s, const BlockRun& run);
// Rebuilds a block's experiment from its current config (after a knob moved, or "Reset").
void session_restart(Session& s, int run_index);
// Sets a knob value with validation. Only parameters the lesson declares a knob for can be set.
core::Status session_set_knob(Session& s, int run_index, const std::string& param, std::string_view value);
// True while every parameter of the run has the value the lesson gave it: its expects then judge the
// lesson's claim. After a student moves a knob they describe the lesson's values, not the student's.
bool session_run_at_lesson_values(const Session& s, const BlockRun& run);

// Route: "01-symbols/3", plus "?dim=64&2.pairs=100" for knob values that differ from the lesson's
// (a bare name for the step's first block, "N.name" for block N). The route is the link's exact
// encoding of the state: the lesson id, every key and every value are percent-encoded with
// route_escape (so text with & = # ? % + , spaces or non-ASCII comes back byte for byte), numbers
// are written at full precision (route_format_value), and session_apply_route(session_route(s))
// restores every knob value exactly. The page passes the raw #fragment in and out untouched.
std::string session_route(const Session& s);
// Applies a route; returns false (and leaves the session unchanged) with *error set if it names no lesson.
// While the library is loading, or while more lessons are on their way and the route names none of
// those there, the route is kept (pending_route) and applied when they arrive.
bool session_apply_route(Session& s, std::string_view route, std::string* error);

// The current step's knob values, decoded, in route order and with route keys ("name" for the first
// block, "N.name" for block N): what the student sees on the knobs. All knobs, not only changed ones.
std::vector<std::pair<std::string, std::string>> session_knob_values(const Session& s);

// Percent-encodes every byte except A-Z a-z 0-9 - _ . ! ~ * ' ( ) — the set JavaScript's
// encodeURIComponent leaves alone, so a link a page script builds is already in this form.
std::string route_escape(std::string_view s);
// Decodes %XX (either case) to its byte; everything else, '+' and a '%' not followed by two hex
// digits included, stays as written. route_unescape(route_escape(x)) == x for any bytes x.
std::string route_unescape(std::string_view s);
// A value as a link writes it: Int as its digits, Float as the shortest decimal that reads back to
// the same double ("0.1", "3e-5"), Bool as yes/no, Choice and Text as the text itself.
std::string route_format_value(const ParamSpec& spec, const ParamValue& v);

}  // namespace lab::runtime
