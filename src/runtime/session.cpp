#include "runtime/session.h"

#include <algorithm>
#include <charconv>
#include <system_error>

namespace lab::runtime {

namespace fs = std::filesystem;

static bool is_lesson_file(const fs::path& p) {
  return p.extension() == ".md" && p.filename() != "README.md";
}

static void sort_lessons(LessonLibrary& lib) {
  std::vector<size_t> idx(lib.lessons.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    const Lesson& la = lib.lessons[a];
    const Lesson& lb = lib.lessons[b];
    return la.order != lb.order ? la.order < lb.order : la.id < lb.id;
  });
  std::vector<Lesson> lessons;
  std::vector<fs::file_time_type> mtimes;
  for (size_t i : idx) {
    lessons.push_back(std::move(lib.lessons[i]));
    mtimes.push_back(lib.mtimes[i]);
  }
  lib.lessons = std::move(lessons);
  lib.mtimes = std::move(mtimes);
}

LessonLibrary library_load(const std::string& dir) {
  LessonLibrary lib;
  lib.dir = dir;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    lib.error = "lesson folder '" + dir + "' does not exist";
    return lib;
  }
  if (!fs::is_directory(dir, ec)) {
    lib.error = "'" + dir + "' is not a folder";
    return lib;
  }
  fs::directory_iterator it(dir, ec);
  if (ec) {
    lib.error = "cannot read lesson folder '" + dir + "': " + ec.message();
    return lib;
  }
  std::vector<fs::path> files;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (is_lesson_file(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    lib.lessons.push_back(lesson_load(p.string()));
    lib.mtimes.push_back(fs::last_write_time(p, ec));
  }
  if (lib.lessons.empty()) lib.error = "no lesson files (*.md) in '" + dir + "'";
  sort_lessons(lib);
  return lib;
}

bool library_reload_changed(LessonLibrary& lib) {
  std::error_code ec;
  if (!fs::is_directory(lib.dir, ec)) return false;
  bool changed = false;
  std::vector<fs::path> present;
  for (fs::directory_iterator it(lib.dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (is_lesson_file(it->path())) present.push_back(it->path());
  for (size_t i = 0; i < lib.lessons.size();) {
    const fs::path p = lib.lessons[i].path;
    if (!lib.lessons[i].path.starts_with(lib.dir)) { ++i; continue; }  // dropped-in lesson
    if (std::find(present.begin(), present.end(), p) == present.end()) {
      lib.lessons.erase(lib.lessons.begin() + i);
      lib.mtimes.erase(lib.mtimes.begin() + i);
      changed = true;
      continue;
    }
    const auto t = fs::last_write_time(p, ec);
    if (!ec && t != lib.mtimes[i]) {
      lib.lessons[i] = lesson_load(p.string());
      lib.mtimes[i] = t;
      changed = true;
    }
    ++i;
  }
  for (const fs::path& p : present) {
    const bool known = std::any_of(lib.lessons.begin(), lib.lessons.end(),
                                   [&](const Lesson& l) { return fs::path(l.path) == p; });
    if (!known) {
      lib.lessons.push_back(lesson_load(p.string()));
      lib.mtimes.push_back(fs::last_write_time(p, ec));
      changed = true;
    }
  }
  if (changed) {
    sort_lessons(lib);
    lib.error = lib.lessons.empty() ? "no lesson files (*.md) in '" + lib.dir + "'" : "";
  }
  return changed;
}

void session_init(Session& s, const std::string& lessons_dir) {
  s.library = library_load(lessons_dir);
  s.lesson = 0;
  s.step = 0;
}

const Lesson* session_lesson(const Session& s) {
  if (s.lesson < 0 || s.lesson >= int(s.library.lessons.size())) return nullptr;
  return &s.library.lessons[s.lesson];
}

int session_step_count(const Session& s) {
  const Lesson* l = session_lesson(s);
  return l ? int(l->steps.size()) : 0;
}

bool session_next(Session& s) {
  if (s.step + 1 < session_step_count(s)) {
    ++s.step;
    return true;
  }
  if (s.lesson + 1 < int(s.library.lessons.size())) {
    ++s.lesson;
    s.step = 0;
    return true;
  }
  return false;
}

bool session_prev(Session& s) {
  if (s.step > 0) {
    --s.step;
    return true;
  }
  if (s.lesson > 0) {
    --s.lesson;
    s.step = std::max(0, session_step_count(s) - 1);
    return true;
  }
  return false;
}

void session_select(Session& s, int lesson, int step) {
  const int n = int(s.library.lessons.size());
  s.lesson = n == 0 ? 0 : std::clamp(lesson, 0, n - 1);
  s.step = std::clamp(step, 0, std::max(0, session_step_count(s) - 1));
}

void session_add_lesson(Session& s, Lesson lesson) {
  auto& lessons = s.library.lessons;
  for (size_t i = 0; i < lessons.size(); ++i) {
    if (lessons[i].id == lesson.id) {
      lessons[i] = std::move(lesson);
      session_select(s, int(i), s.lesson == int(i) ? s.step : 0);
      return;
    }
  }
  lessons.push_back(std::move(lesson));
  s.library.mtimes.push_back({});
  s.library.error.clear();
  session_select(s, int(lessons.size()) - 1, 0);
}

std::string session_route(const Session& s) {
  const Lesson* l = session_lesson(s);
  if (!l) return "";
  return l->id + "/" + std::to_string(s.step + 1);
}

bool session_apply_route(Session& s, std::string_view route, std::string* error) {
  while (!route.empty() && (route.front() == '#' || route.front() == '/')) route.remove_prefix(1);
  if (route.empty()) return true;
  const size_t slash = route.find('/');
  const std::string_view id = route.substr(0, slash);
  int step = 1;
  if (slash != std::string_view::npos) {
    const std::string_view num = route.substr(slash + 1);
    const auto r = std::from_chars(num.data(), num.data() + num.size(), step);
    if (r.ec != std::errc() || step < 1) {
      if (error) *error = "link '" + std::string(route) + "': step must be a number from 1";
      return false;
    }
  }
  for (size_t i = 0; i < s.library.lessons.size(); ++i) {
    if (s.library.lessons[i].id == id) {
      const int count = int(s.library.lessons[i].steps.size());
      if (step > count) {
        if (error) *error = "link '" + std::string(route) + "': lesson has " + std::to_string(count) + " steps";
        step = count;
      }
      session_select(s, int(i), step - 1);
      return true;
    }
  }
  if (error) {
    std::string valid;
    for (const Lesson& l : s.library.lessons) valid += (valid.empty() ? "" : ", ") + l.id;
    *error = "link '" + std::string(route) + "' names no lesson (lessons: " + valid + ")";
  }
  return false;
}

}  // namespace lab::runtime
