// What the student is looking at: the lesson library (every *.md in the lessons folder except
// README.md, sorted by 'order' then id), the current lesson and step, and deep-link routes
// ("lesson-id/step", 1-based step). No UI here: the app shell reads and changes this state.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/lesson.h"

namespace lab::runtime {

struct LessonLibrary {
  std::string dir;
  std::string error;           // set when the folder itself is missing or unreadable
  std::vector<Lesson> lessons;
  std::vector<std::filesystem::file_time_type> mtimes;  // for hot reload, parallel to lessons
};

LessonLibrary library_load(const std::string& dir);
// Re-reads files whose modification time changed, and picks up added or removed files.
// Returns true if anything changed.
bool library_reload_changed(LessonLibrary& lib);

struct Session {
  LessonLibrary library;
  int lesson = 0;  // index into library.lessons (0 when empty)
  int step = 0;    // index into the lesson's steps
};

void session_init(Session& s, const std::string& lessons_dir);
const Lesson* session_lesson(const Session& s);
int  session_step_count(const Session& s);
bool session_next(Session& s);
bool session_prev(Session& s);
void session_select(Session& s, int lesson, int step = 0);
// Adds (or replaces, by id) a lesson that did not come from the folder, e.g. a file dropped on the page.
void session_add_lesson(Session& s, Lesson lesson);

std::string session_route(const Session& s);  // e.g. "01-symbols/3"
// Applies a route; returns false (and leaves the session unchanged) with *error set if it names no lesson.
bool session_apply_route(Session& s, std::string_view route, std::string* error);

}  // namespace lab::runtime
