#include "runtime/session.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

LessonLibrary library_from_sources(const std::string& dir, const std::vector<LessonSource>& files, std::string error) {
  LessonLibrary lib;
  lib.dir = dir;
  lib.error = std::move(error);
  for (const LessonSource& f : files) {
    if (f.error.empty()) {
      lib.lessons.push_back(lesson_parse(f.text, f.path));
    } else {
      Lesson lesson;  // as lesson_load reports a file it cannot read
      lesson.path = f.path;
      lesson.id = lesson_id_from_path(f.path);
      lesson.title = lesson.id;
      lesson.diagnostics.push_back({Severity::Error, f.path, 0, f.error});
      lib.lessons.push_back(std::move(lesson));
    }
    lib.mtimes.push_back({});
  }
  if (lib.lessons.empty() && lib.error.empty()) lib.error = "no lessons are listed in '" + dir + "'";
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
    ++lib.revision;
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

void session_init_loading(Session& s, const std::string& lessons_dir) {
  s.library = LessonLibrary{};
  s.library.dir = lessons_dir;
  s.library.loading = true;
  s.library.error = "loading the lessons…";
  s.lesson = 0;
  s.step = 0;
}

bool session_library_arrived(Session& s, LessonLibrary lib, std::string* error) {
  std::vector<Lesson> added = std::move(s.library.lessons);  // dropped on the page while loading
  lib.revision = s.library.revision + 1;  // never reuse a revision: runs are keyed by it
  lib.loading = false;
  lib.site_lessons = int(lib.lessons.size());
  s.library = std::move(lib);
  session_select(s, 0, 0);
  for (Lesson& l : added) session_add_lesson(s, std::move(l));
  const std::string route = std::exchange(s.pending_route, std::string());
  if (route.empty()) return true;
  if (!added.empty()) {  // a dropped (or edited) lesson stays in front; a route to a step of it applies
    const Lesson* front = session_lesson(s);
    const std::string prefix = front ? route_escape(front->id) + "/" : std::string();
    if (front && route.starts_with(prefix)) session_apply_route(s, route, nullptr);
    return true;
  }
  return session_apply_route(s, route, error);
}

bool session_library_more(Session& s, LessonLibrary lib, std::string* error) {
  LessonLibrary& have = s.library;
  const Lesson* current = session_lesson(s);
  const std::string current_id = current ? current->id : std::string();
  // The site's part: what it had, and the newcomers, sorted as library_from_sources sorts.
  LessonLibrary site;
  const size_t split = size_t(std::clamp(have.site_lessons, 0, int(have.lessons.size())));
  for (size_t i = 0; i < split; ++i) {
    site.lessons.push_back(std::move(have.lessons[i]));
    site.mtimes.push_back(have.mtimes[i]);
  }
  for (size_t i = 0; i < lib.lessons.size(); ++i) {
    const std::string& id = lib.lessons[i].id;
    const auto same = [&](const Lesson& l) { return l.id == id; };
    if (std::any_of(site.lessons.begin(), site.lessons.end(), same) ||
        std::any_of(have.lessons.begin() + std::ptrdiff_t(split), have.lessons.end(), same))
      continue;  // came first, or was dropped on the page meanwhile: that one stays
    site.lessons.push_back(std::move(lib.lessons[i]));
    site.mtimes.push_back(lib.mtimes[i]);
  }
  sort_lessons(site);
  have.site_lessons = int(site.lessons.size());
  for (size_t i = split; i < have.lessons.size(); ++i) {
    site.lessons.push_back(std::move(have.lessons[i]));
    site.mtimes.push_back(have.mtimes[i]);
  }
  have.lessons = std::move(site.lessons);
  have.mtimes = std::move(site.mtimes);
  have.more = false;
  for (size_t i = 0; i < have.lessons.size(); ++i)
    if (have.lessons[i].id == current_id) s.lesson = int(i);  // the step, and so the runs' key, stay
  const std::string route = std::exchange(s.pending_route, std::string());
  return route.empty() || session_apply_route(s, route, error);
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
      ++s.library.revision;
      lessons[i] = std::move(lesson);
      session_select(s, int(i), s.lesson == int(i) ? s.step : 0);
      return;
    }
  }
  ++s.library.revision;
  lessons.push_back(std::move(lesson));
  s.library.mtimes.push_back({});
  s.library.error.clear();
  session_select(s, int(lessons.size()) - 1, 0);
}

namespace {

const LessonStep* current_step(const Session& s) {
  const Lesson* l = session_lesson(s);
  if (!l || s.step < 0 || s.step >= int(l->steps.size())) return nullptr;
  return &l->steps[size_t(s.step)];
}

std::string make_runs_key(const Session& s) {
  const Lesson* l = session_lesson(s);
  return l ? l->path + "#" + std::to_string(s.step) + "@" + std::to_string(s.library.revision) : "";
}

const Knob* find_knob(const LabBlock& b, std::string_view param) {
  for (const Knob& k : b.knobs)
    if (k.param == param) return &k;
  return nullptr;
}

void build_runs(Session& s) {
  s.runs.clear();
  s.runs_key = make_runs_key(s);
  const LessonStep* step = current_step(s);
  if (!step) return;
  int block_no = 0;
  for (int i = 0; i < int(step->parts.size()); ++i) {
    const StepPart& part = step->parts[size_t(i)];
    if (part.kind != StepPart::Kind::Lab) continue;
    ++block_no;
    BlockRun run;
    run.part = i;
    run.config = part.block.config;
    s.runs.push_back(std::move(run));
    BlockRun& r = s.runs.back();
    if (!part.block.ok()) continue;
    // Knob values from a deep link: "name" for the first block, "N.name" for block N.
    for (const Knob& k : part.block.knobs) {
      const std::string keys[2] = {std::to_string(block_no) + "." + k.param, block_no == 1 ? k.param : std::string()};
      for (const std::string& key : keys) {
        if (key.empty()) continue;
        const auto it = s.pending_knobs.find(key);
        if (it == s.pending_knobs.end()) continue;
        if (const ParamSpec* spec = block_param_find(*part.block.kind, k.param)) {
          BlockConfig trial = r.config;
          if (block_set_value(trial, *spec, it->second).ok) r.config = std::move(trial);
        }
      }
    }
    r.experiment = part.block.kind->make(r.config);
    r.experiment_id = ++s.experiments_built;
  }
  s.pending_knobs.clear();
}

// Two lab blocks that would build the same experiment and offer the same knobs. Expects, title and
// line do not matter: an experiment is judged by the block's current expects each frame.
bool same_block_setup(const LabBlock& a, const LabBlock& b) {
  if (a.kind != b.kind || !a.kind || !a.ok() || !b.ok()) return false;
  for (const ParamSpec& spec : a.kind->params) {
    if (spec.name == "title") continue;
    const auto va = a.config.values.find(spec.name);
    const auto vb = b.config.values.find(spec.name);
    if ((va == a.config.values.end()) != (vb == b.config.values.end())) return false;
    if (va != a.config.values.end() && route_format_value(spec, va->second) != route_format_value(spec, vb->second)) return false;
  }
  if (a.knobs.size() != b.knobs.size()) return false;
  for (size_t i = 0; i < a.knobs.size(); ++i) {
    const Knob& x = a.knobs[i];
    const Knob& y = b.knobs[i];
    if (x.param != y.param || x.min != y.min || x.max != y.max || x.step != y.step || x.log_scale != y.log_scale) return false;
  }
  return true;
}

}  // namespace

void session_edit_lesson(Session& s, Lesson lesson) {
  const Lesson* current = session_lesson(s);
  if (!current || current->id != lesson.id || s.runs_key != make_runs_key(s)) {
    session_add_lesson(s, std::move(lesson));
    return;
  }
  // The running blocks of the step on screen, with the definitions they were built from.
  struct Old {
    LabBlock block;
    BlockRun run;
    bool taken = false;
  };
  std::vector<Old> old;
  for (BlockRun& r : s.runs)
    if (const LabBlock* b = session_run_block(s, r); b && r.experiment) old.push_back({*b, std::move(r)});
  session_add_lesson(s, std::move(lesson));  // same id: replaces it, keeps the step (clamped)
  build_runs(s);
  for (BlockRun& r : s.runs) {
    const LabBlock* b = session_run_block(s, r);
    if (!b) continue;
    for (Old& o : old) {
      if (o.taken || !same_block_setup(o.block, *b)) continue;
      o.taken = true;
      const int part = r.part;
      r = std::move(o.run);
      r.part = part;
      if (const auto t = b->config.values.find("title"); t != b->config.values.end()) r.config.values["title"] = t->second;
      break;
    }
  }
}

const LabBlock* session_run_block(const Session& s, const BlockRun& run) {
  const LessonStep* step = current_step(s);
  if (!step || run.part < 0 || run.part >= int(step->parts.size())) return nullptr;
  const StepPart& part = step->parts[size_t(run.part)];
  return part.kind == StepPart::Kind::Lab ? &part.block : nullptr;
}

void session_update(Session& s, double budget_ms) {
  if (s.runs_key != make_runs_key(s)) build_runs(s);
  std::vector<BlockRun*> active;
  for (BlockRun& r : s.runs)
    if (r.experiment && !r.paused && !r.experiment->done() && r.experiment->status().ok) active.push_back(&r);
  if (active.empty()) return;
  const double share = budget_ms / double(active.size());
  for (BlockRun* r : active) {
    const auto t0 = std::chrono::steady_clock::now();
    r->experiment->step(share);
    r->elapsed_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
}

double FrameBudget::frame_start(double now_ms) {
  if (last_start_ms_ >= 0) {
    other_[next_] = std::max(0.0, now_ms - last_start_ms_ - last_train_ms_);
    next_ = (next_ + 1) % kFrames;
    count_ = std::min(count_ + 1, kFrames);
  }
  last_start_ms_ = now_ms;
  last_train_ms_ = 0;
  if (count_ == 0) return kMinMs;
  double sorted[kFrames];
  std::copy(other_, other_ + count_, sorted);
  std::nth_element(sorted, sorted + count_ / 2, sorted + count_);
  return std::clamp(0.5 * sorted[count_ / 2], kMinMs, kMaxMs);
}

void session_restart(Session& s, int run_index) {
  if (run_index < 0 || run_index >= int(s.runs.size())) return;
  BlockRun& r = s.runs[size_t(run_index)];
  const LabBlock* b = session_run_block(s, r);
  if (!b || !b->ok()) return;
  r.experiment = b->kind->make(r.config);
  r.experiment_id = ++s.experiments_built;
  r.paused = false;
  r.elapsed_ms = 0;
}

core::Status session_set_knob(Session& s, int run_index, const std::string& param, std::string_view value) {
  if (run_index < 0 || run_index >= int(s.runs.size())) return core::Status::error("no such lab block");
  BlockRun& r = s.runs[size_t(run_index)];
  const LabBlock* b = session_run_block(s, r);
  if (!b || !b->ok()) return core::Status::error("this lab block has errors");
  if (!find_knob(*b, param)) return core::Status::error("'" + param + "' is not a knob of this block");
  const ParamSpec* spec = block_param_find(*b->kind, param);
  BlockConfig trial = r.config;
  core::Status st = block_set_value(trial, *spec, value);
  if (!st) return st;
  r.config = std::move(trial);
  session_restart(s, run_index);
  return {};
}

std::string route_escape(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' || c == ')';
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string route_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out += char(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The shortest "%.Ng" that strtod reads back as the same double, with a tidy exponent ("1e6", "3e-5":
// no '+' to escape, no leading zeros). strtod is correctly rounded, so at most 17 digits are needed.
static std::string shortest_double(double x) {
  char buf[48];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  std::string out = buf;
  const size_t e = out.find('e');
  if (e == std::string::npos) return out;
  std::string mantissa = out.substr(0, e), exponent = out.substr(e + 1);
  std::string sign;
  if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) {
    if (exponent[0] == '-') sign = "-";
    exponent.erase(0, 1);
  }
  while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
  return mantissa + "e" + sign + exponent;
}

std::string route_format_value(const ParamSpec& spec, const ParamValue& v) {
  switch (spec.type) {
    case ParamType::Int: {
      char buf[400];  // "%.0f" of any finite double fits
      std::snprintf(buf, sizeof buf, "%.0f", v.number);
      return buf;
    }
    case ParamType::Float: return shortest_double(v.number);
    case ParamType::Bool: return v.number != 0 ? "yes" : "no";
    case ParamType::Choice:
    case ParamType::Text: return v.text;
  }
  return v.text;
}

namespace {

// Calls f(key, spec, current value, lesson's value) for every knob of the current step's blocks.
template <class F>
void for_each_knob(const Session& s, F&& f) {
  int block_no = 0;
  for (const BlockRun& r : s.runs) {
    ++block_no;
    const LabBlock* b = session_run_block(s, r);
    if (!b || !b->ok()) continue;
    for (const Knob& k : b->knobs) {
      const ParamSpec* spec = block_param_find(*b->kind, k.param);
      const auto now = r.config.values.find(k.param);
      const auto orig = b->config.values.find(k.param);
      if (!spec || now == r.config.values.end() || orig == b->config.values.end()) continue;
      f(block_no == 1 ? k.param : std::to_string(block_no) + "." + k.param, *spec, now->second, orig->second);
    }
  }
}

}  // namespace

bool session_run_at_lesson_values(const Session& s, const BlockRun& run) {
  const LabBlock* b = session_run_block(s, run);
  if (!b || !b->ok()) return true;
  for (const ParamSpec& spec : b->kind->params) {
    const auto now = run.config.values.find(spec.name);
    const auto orig = b->config.values.find(spec.name);
    if ((now == run.config.values.end()) != (orig == b->config.values.end())) return false;
    if (now != run.config.values.end() && route_format_value(spec, now->second) != route_format_value(spec, orig->second))
      return false;
  }
  return true;
}

std::string session_route(const Session& s) {
  const Lesson* l = session_lesson(s);
  if (!l) return "";
  std::string route = route_escape(l->id) + "/" + std::to_string(s.step + 1);
  if (s.runs_key != make_runs_key(s)) return route;
  std::string query;
  for_each_knob(s, [&](const std::string& key, const ParamSpec& spec, const ParamValue& now, const ParamValue& orig) {
    const std::string v = route_format_value(spec, now);
    if (v == route_format_value(spec, orig)) return;
    query += (query.empty() ? "?" : "&") + route_escape(key) + "=" + route_escape(v);
  });
  return route + query;
}

std::vector<std::pair<std::string, std::string>> session_knob_values(const Session& s) {
  std::vector<std::pair<std::string, std::string>> out;
  if (s.runs_key != make_runs_key(s)) return out;
  for_each_knob(s, [&](const std::string& key, const ParamSpec& spec, const ParamValue& now, const ParamValue&) {
    out.emplace_back(key, route_format_value(spec, now));
  });
  return out;
}

bool session_apply_route(Session& s, std::string_view route, std::string* error) {
  while (!route.empty() && (route.front() == '#' || route.front() == '/')) route.remove_prefix(1);
  if (route.empty()) return true;
  if (s.library.loading) {
    s.pending_route = std::string(route);
    return true;
  }
  const std::string_view whole = route;
  std::map<std::string, std::string> knobs;
  if (const size_t q = route.find('?'); q != std::string_view::npos) {
    std::string_view query = route.substr(q + 1);
    route = route.substr(0, q);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const size_t eq = pair.find('=');
      // Split first, then decode: an encoded '&' or '=' inside a value stays part of it.
      if (eq != std::string_view::npos && eq > 0) knobs[route_unescape(pair.substr(0, eq))] = route_unescape(pair.substr(eq + 1));
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
  }
  const size_t slash = route.find('/');
  const std::string id = route_unescape(route.substr(0, slash));
  int step = 1;
  if (slash != std::string_view::npos) {
    const std::string_view num = route.substr(slash + 1);  // digits only: nothing to decode
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
      s.pending_knobs = std::move(knobs);
      s.runs_key.clear();  // rebuild the step's blocks with the link's knob values
      return true;
    }
  }
  if (s.library.more) {  // perhaps one of those still on their way
    s.pending_route = std::string(whole);
    return true;
  }
  if (error) {
    std::string valid;
    for (const Lesson& l : s.library.lessons) valid += (valid.empty() ? "" : ", ") + l.id;
    *error = "link '" + std::string(route) + "' names no lesson (lessons: " + valid + ")";
  }
  return false;
}

}  // namespace lab::runtime
