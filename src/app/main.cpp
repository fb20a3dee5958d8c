// Composition root: parse the command line, then either run a headless command or wire the
// lesson session, the UI and the platform's window together. Nothing else lives here.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "core/data/projector_tsv.h"
#include "platform/platform.h"
#include "runtime/assets.h"
#include "runtime/blocks/projection.h"
#include "runtime/blocks/rec_user_data.h"
#include "runtime/lesson.h"
#include "runtime/text.h"
#include "ui/app_ui.h"
#include "ui/mirror.h"

namespace {

// The data set the current step's first block with one uses (Experiment::data_set), as JSON:
//   {"name","ratings","users","items"} or {"name","points","dims"}; null when no block has one yet.
std::string data_json(const lab::runtime::Session& s) {
  for (const lab::runtime::BlockRun& run : s.runs) {
    if (!run.experiment) continue;
    const lab::runtime::DataSetInfo d = run.experiment->data_set();
    if (d.name.empty()) continue;
    std::string json = "{\"name\":" + lab::runtime::json_quote(d.name);
    if (d.ratings >= 0)
      json += ",\"ratings\":" + std::to_string(d.ratings) + ",\"users\":" + std::to_string(d.users) + ",\"items\":" + std::to_string(d.items);
    if (d.points >= 0) json += ",\"points\":" + std::to_string(d.points) + ",\"dims\":" + std::to_string(d.dims);
    return json + "}";
  }
  return "null";
}

// Keep the page's window.embedlab in sync (the browser tests read it) and the URL #route. `knobs`
// holds the current step's knob values as the blocks have them, by route key ("dim", "2.pairs").
// `lessonsError` is the library's one message (a missing lesson list), `lessonErrors` the first
// error of each lesson that has one, as FILE:LINE text. Not ready while the lessons are loading.
void publish(lab::ui::LabApp& app, std::string& last_route, std::string& last_key) {
  const lab::runtime::LessonLibrary& lib = app.session.library;
  const std::string route = lab::runtime::session_route(app.session);
  const std::string data = data_json(app.session);
  // The student's MovieLens data in use, whatever the step: web/byod.js stores it in the browser while
  // it is in use and deletes it when it goes.
  const auto rec = lab::runtime::rec_user_data();
  const std::string rec_data = rec ? "{\"name\":" + lab::runtime::json_quote(rec->name) + ",\"drop\":" + std::to_string(rec->drop) + "}"
                                   : std::string("null");
  const std::string key = route + '\n' + std::to_string(lib.revision) + '/' + std::to_string(lib.lessons.size()) + '\n' + lib.error +
                          (lib.loading ? "\nloading" : "") + data + rec_data;
  if (key == last_key) return;
  last_key = key;
  if (route != last_route && !route.empty()) lab::platform::set_route(route);
  last_route = route;
  std::string json = std::string("{\"ready\":") + (lib.loading ? "false" : "true") + ",\"route\":" + lab::runtime::json_quote(route);
  json += ",\"lessonsError\":" + lab::runtime::json_quote(lib.loading ? "" : lib.error) + ",\"lessonErrors\":{";
  bool first_error = true;
  for (const lab::runtime::Lesson& l : lib.lessons) {
    for (const lab::runtime::Diagnostic& d : l.diagnostics) {
      if (d.severity != lab::runtime::Severity::Error) continue;
      json += (first_error ? "" : ",") + lab::runtime::json_quote(l.id) + ":" + lab::runtime::json_quote(lab::runtime::diagnostic_format(d));
      first_error = false;
      break;
    }
  }
  json += "}";
  json += ",\"lesson\":" + std::to_string(app.session.lesson) + ",\"step\":" + std::to_string(app.session.step) +
          ",\"lessons\":" + std::to_string(app.session.library.lessons.size()) + ",\"lessonsMore\":" + (lib.more ? "true" : "false");
  if (const lab::runtime::Lesson* l = lab::runtime::session_lesson(app.session)) json += ",\"title\":" + lab::runtime::json_quote(l->title);
  json += ",\"knobs\":{";
  bool first = true;
  for (const auto& [key, value] : lab::runtime::session_knob_values(app.session)) {
    json += (first ? "" : ",") + lab::runtime::json_quote(key) + ":" + lab::runtime::json_quote(value);
    first = false;
  }
  json += "},\"data\":" + data + ",\"recData\":" + rec_data + "}";
  lab::platform::publish_state(json);
}

// The answer to the page's lesson editor (web/editor.js) after it handed over new text: where the
// problems are, so it can mark their lines, and how long parsing took.
//   {"path","id","title","steps","blocks","parseMs","diagnostics":[{"line","severity","message","text"}]}
std::string edit_result_json(const lab::runtime::Lesson& l, double parse_ms) {
  using lab::runtime::json_quote;
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", parse_ms);
  std::string json = "{\"path\":" + json_quote(l.path) + ",\"id\":" + json_quote(l.id) + ",\"title\":" + json_quote(l.title) +
                     ",\"steps\":" + std::to_string(l.steps.size()) + ",\"blocks\":" + std::to_string(l.lab_block_count()) +
                     ",\"parseMs\":" + ms + ",\"diagnostics\":[";
  for (size_t i = 0; i < l.diagnostics.size(); ++i) {
    const lab::runtime::Diagnostic& d = l.diagnostics[i];
    json += (i ? ",{" : "{") + std::string("\"line\":") + std::to_string(d.line) + ",\"severity\":" +
            (d.severity == lab::runtime::Severity::Error ? "\"error\"" : "\"warning\"") + ",\"message\":" + json_quote(d.message) +
            ",\"text\":" + json_quote(lab::runtime::diagnostic_format(d)) + "}";
  }
  return json + "]}";
}

}  // namespace

int main(int argc, char** argv) {
  lab::runtime::assets_dir_set(lab::platform::assets_dir());  // headless commands read data too
  lab::runtime::projection_offload_set(lab::platform::projection_offload());
  if (lab::platform::asset_fetch_available()) {  // the page: data sets come from the site when a step needs them
    lab::runtime::asset_fetcher_set({
        [](const std::string& name) {
          const lab::runtime::LazyAsset* a = lab::runtime::lazy_asset_find(name);
          lab::platform::asset_fetch_start(name, a ? a->bytes : 0);
        },
        [](const std::string& name) {
          lab::runtime::AssetStatus st;
          const double p = lab::platform::asset_fetch_poll(name, &st.error);
          st.state = p < 0 ? lab::runtime::AssetState::Failed : p > 1 ? lab::runtime::AssetState::Ready : lab::runtime::AssetState::Loading;
          st.fraction = p < 0 ? 0 : std::min(p, 1.0);
          return st;
        }});
  }
  lab::cli::GuiOptions gui;
#ifdef LAB_APP_NO_CLI  // the page (src/CMakeLists.txt says why)
  (void)argc, (void)argv;
#else
  const int rc = lab::cli::cli_main(argc, argv, gui);
  if (rc != lab::cli::kRunGui) return rc;
#endif

  static lab::ui::LabApp app;  // outlives main() on the web, where the browser owns the loop
  static std::string last_route, last_publish_key;
  static lab::ui::MirrorThrottle mirror;  // the page's accessible mirror: on a step change, else at most 4 Hz
  app.fonts_dir = lab::platform::fonts_dir();
  app.assets_dir = lab::runtime::assets_dir();
  app.open_url = [](const std::string& url) { lab::platform::open_url(url); };
  app.create_texture = [](const unsigned char* rgba, int w, int h) { return lab::platform::texture_create(rgba, w, h); };
  app.platform_name = lab::platform::platform_name();
  app.save_file = [](const std::string& name, const std::string& bytes) { return lab::platform::save_file(name, bytes); };
  if (lab::platform::lesson_editor_available())
    app.edit_lesson = [](const std::string& id) { lab::platform::lesson_editor_open(id); };
  if (lab::platform::lessons_fetched_async())
    lab::runtime::session_init_loading(app.session, lab::platform::lessons_dir());  // cb.lessons_fetched ends it
  else
    lab::runtime::session_init(app.session, gui.lessons_dir.empty() ? lab::platform::lessons_dir() : gui.lessons_dir);
  if (!app.session.library.error.empty() && !app.session.library.loading)
    std::fprintf(stderr, "embedlab: %s\n", app.session.library.error.c_str());
  for (const lab::runtime::Lesson& l : app.session.library.lessons)
    for (const lab::runtime::Diagnostic& d : l.diagnostics)
      std::fprintf(stderr, "%s\n", lab::runtime::diagnostic_format(d).c_str());
  std::string route_error;
  if (!gui.route.empty() && !lab::runtime::session_apply_route(app.session, gui.route, &route_error))
    std::fprintf(stderr, "embedlab: %s\n", route_error.c_str());

  lab::platform::AppCallbacks cb;
  cb.post_init = [](float scale) {
    lab::ui::fonts_load(app, scale);
    lab::ui::style_apply(scale, lab::ui::theme_is_dark(app));
    app.ui.style_dark = lab::ui::theme_is_dark(app);
    app.gl_info = "starting";
  };
  cb.rescale = [](float scale) {
    lab::ui::fonts_load(app, scale);
    lab::ui::style_apply(scale, app.ui.style_dark);
  };
  cb.fonts_update = [] { return lab::ui::fonts_update(app); };
  // A file dropped on the window or page, or named by --open (handled on the first frame, once the
  // UI that shows its message exists).
  static const auto file_dropped = [](const std::string& name, const std::string& contents) {
    // Data for the projection blocks: vectors / metadata .tsv (Embedding Projector), labelled .csv.
    if (lab::core::projector_is_tsv_name(name) || lab::core::projector_is_csv_name(name)) {
      std::string message;
      const lab::core::Status st = lab::runtime::projection_file_dropped(app.session, name, contents, message);
      std::fprintf(stderr, "embedlab: %s\n", st ? message.c_str() : st.message.c_str());
      lab::ui::show_toast(app, st ? message : st.message, st ? 8.0 : 15.0);
      return;
    }
    // MovieLens-100k for the recommender blocks: ml-100k.zip, or u.data, u.item, u.user.
    if (lab::runtime::rec_is_movielens_name(name)) {
      std::string message;
      const lab::core::Status st = lab::runtime::rec_file_dropped(app.session, name, contents, message);
      std::fprintf(stderr, "embedlab: %s\n", st ? message.c_str() : st.message.c_str());
      lab::ui::show_toast(app, st ? message : st.message, st ? 8.0 : 15.0);
      return;
    }
    lab::runtime::Lesson lesson = lab::runtime::lesson_parse(contents, name);
    if (!lesson.has_errors()) lab::ui::show_toast(app, "Opened lesson file '" + name + "' (" + lesson.title + ")");
    else lab::ui::show_toast(app, "Lesson file '" + name + "' has errors; they are shown in the lesson");
    lab::runtime::session_add_lesson(app.session, std::move(lesson));
    app.ui.scroll_to_top = true;
  };
  // --open FILE: as if dropped on the window (read whole, up to the lab's file limit).
  static std::vector<std::pair<std::string, std::string>> opened;
  for (const std::string& path : gui.open) {
    std::string error;
    if (auto text = lab::runtime::read_text_file(path, &error)) opened.emplace_back(path, std::move(*text));
    else std::fprintf(stderr, "embedlab: %s\n", error.c_str());
  }
  cb.frame = [] {
    for (const auto& [path, text] : opened) file_dropped(path, text);
    opened.clear();
    // Hot reload: lesson files edited on disk show up within half a second.
    static auto last_check = std::chrono::steady_clock::now();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_check > std::chrono::milliseconds(500)) {
      last_check = now;
      if (lab::runtime::library_reload_changed(app.session.library)) lab::runtime::session_select(app.session, app.session.lesson, app.session.step);
    }
    if (app.ui.show_about) {
      app.gl_info = lab::platform::renderer_info();
      app.offline_use = lab::platform::offline_use();
    }
    lab::runtime::rec_user_data_update(app.session);  // "back to the generated data", asked by a widget
    static lab::runtime::FrameBudget budget;  // experiments get 8-50 ms per frame (session.h)
    const auto train_start = std::chrono::steady_clock::now();
    lab::runtime::session_update(
        app.session, budget.frame_start(std::chrono::duration<double, std::milli>(train_start.time_since_epoch()).count()));
    budget.trained(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - train_start).count());
    lab::ui::show_app(app);
    publish(app, last_route, last_publish_key);
    const double now_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (const auto json = lab::ui::mirror_update(mirror, app, now_ms)) lab::platform::publish_mirror(*json);
  };
  cb.mirror_knob = [](const std::string& key, int run, const std::string& param, const std::string& value) {
    lab::ui::mirror_knob(app, key, run, param, value);
  };
  cb.mirror_run = [](const std::string& key, int run, const std::string& action) { lab::ui::mirror_run(app, key, run, action); };
  cb.theme_choice = [](const std::string& choice) {
    if (!lab::ui::theme_choice_parse(choice, &app.ui.theme)) lab::ui::show_toast(app, "unknown theme '" + choice + "' (light, dark or system)");
  };
  cb.system_theme = [](bool dark) { app.ui.system_dark = dark; };
  cb.route_changed = [](const std::string& route) {
    std::string error;
    if (!lab::runtime::session_apply_route(app.session, route, &error)) lab::ui::show_toast(app, error);
    app.ui.scroll_to_top = true;
  };
  cb.lessons_fetched = [](const std::vector<lab::platform::FetchedFile>& files, const std::string& error, bool more) {
    std::vector<lab::runtime::LessonSource> sources;
    for (const lab::platform::FetchedFile& f : files) sources.push_back({f.path, f.bytes, f.error});
    lab::runtime::LessonLibrary lib = lab::runtime::library_from_sources(app.session.library.dir, sources, error);
    std::string route_error;
    bool route_ok = true;
    if (app.session.library.loading) {  // the first lesson (or all of them)
      lib.more = more;
      route_ok = lab::runtime::session_library_arrived(app.session, std::move(lib), &route_error);
      app.ui.scroll_to_top = true;
    } else {  // the others, while the first is on screen: it stays as the student has it
      route_ok = lab::runtime::session_library_more(app.session, std::move(lib), &route_error);
    }
    if (!route_ok) lab::ui::show_toast(app, route_error);
    if (!error.empty()) {
      std::fprintf(stderr, "embedlab: %s\n", error.c_str());
      lab::ui::show_toast(app, error, 15.0);
    }
  };
  cb.notice = [](const std::string& message) {
    std::fprintf(stderr, "embedlab: %s\n", message.c_str());
    lab::ui::show_toast(app, message, 10.0);
  };
  cb.file_dropped = file_dropped;
  cb.lesson_edited = [](const std::string& path, const std::string& text) {
    const auto t0 = std::chrono::steady_clock::now();
    lab::runtime::Lesson lesson = lab::runtime::lesson_parse(text, path);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const std::string json = edit_result_json(lesson, ms);
    lab::runtime::session_edit_lesson(app.session, std::move(lesson));
    lab::platform::publish_edit(json);
  };

  cb.capture_request = [](float& x, float& y, float& w, float& h, std::string& name) {
    if (!app.capture.pending) return false;
    app.capture.pending = false;
    x = app.capture.x, y = app.capture.y, w = app.capture.w, h = app.capture.h;
    name = app.capture.name;
    return true;
  };

  lab::platform::RunOptions opts;
  opts.max_frames = gui.frames;
  opts.screenshot_path = gui.screenshot;
  return lab::platform::run(opts, cb);
}
