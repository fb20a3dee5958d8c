// The only interface between the app and the machine it runs on. Two implementations:
// platform_native.cpp (GLFW + OpenGL 3) and platform_web.cpp (Emscripten + WebGL 2). Nothing else in
// the code base knows GLFW, GL or Emscripten.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace lab::runtime {
struct ProjectionOffload;
}

namespace lab::platform {

// A file the platform fetched for the app (web: a lesson from the site's lessons/ folder).
struct FetchedFile {
  std::string path;   // site-relative, e.g. "lessons/01-symbols.md"
  std::string bytes;  // the contents as sent (empty when `error` is set)
  std::string error;  // why it could not be had, a sentence naming the file; empty on success
};

struct AppCallbacks {
  // Called once after the window and the ImGui context exist. The argument is the display scale.
  std::function<void(float scale)> post_init;
  // Called when the display scale changes (moving to another monitor, browser zoom): rebuild fonts.
  // The platform re-uploads the font texture afterwards.
  std::function<void(float scale)> rescale;
  // Called before each frame: returns true when it rebuilt the fonts (the lab has text with characters
  // the atlas lacked). The platform re-uploads the font texture afterwards.
  std::function<bool()> fonts_update;
  // Called once per frame between ImGui::NewFrame() and ImGui::Render().
  std::function<void()> frame;
  // A file was dropped on the window/page: its name and contents.
  std::function<void(const std::string& name, const std::string& contents)> file_dropped;
  // Something the user should know that is not an error of the app (a file that could not be read).
  std::function<void(const std::string& message)> notice;
  // Web (lessons_fetched_async()): the site's lessons arrived. `files` holds the lessons of this
  // batch; `error` is a sentence when the list itself could not be read (`files` may then be empty).
  // The first batch comes from the main loop before the page reports ready: the lesson the page opens
  // on, alone when the site lists more (`more`: the others follow in a second batch, fetched after
  // the first frame so they are not in its way), or every lesson. Natively never called.
  std::function<void(const std::vector<FetchedFile>& files, const std::string& error, bool more)> lessons_fetched;
  // The URL route changed (web: the #hash; native: --lesson at start-up).
  std::function<void(const std::string& route)> route_changed;
  // Called after each frame is drawn: if it returns true, the platform reads that rectangle of the
  // frame (ImGui coordinates), encodes it as PNG and saves it under `name` (see save_file).
  std::function<bool(float& x, float& y, float& w, float& h, std::string& name)> capture_request;
  // The page's accessible mirror moved a knob (web only): `key` names the step its control was built
  // for (ui::mirror_key), `run` the block, then the parameter and its new value as text.
  std::function<void(const std::string& key, int run, const std::string& param, const std::string& value)> mirror_knob;
  // ... or pressed a block's run control: `action` is "pause", "resume" or "reset".
  std::function<void(const std::string& key, int run, const std::string& action)> mirror_run;
  // The student picked a theme in the page ("light", "dark" or "system"), or the page restored the
  // one picked last time (web only).
  std::function<void(const std::string& choice)> theme_choice;
  // The system's colour scheme (web: prefers-color-scheme), at start and whenever it changes.
  std::function<void(bool dark)> system_theme;
  // The page's lesson editor (web/editor.js) has new text, after a pause in typing: `path` is the
  // file name it edits ("lessons/NAME.md", as diagnostics name it), `text` the whole lesson. The app
  // parses it and answers with publish_edit(). Web only.
  std::function<void(const std::string& path, const std::string& text)> lesson_edited;
  // Called once before the window closes.
  std::function<void()> before_exit;
};

struct RunOptions {
  std::string title = "EmbedLab";
  int width = 1280;
  int height = 800;
  int max_frames = 0;           // > 0: close after this many frames (smoke tests)
  std::string screenshot_path;  // native: write a PNG-less PPM of the last frame here (smoke tests)
};

// Runs the main loop until the window closes. Returns a process exit code.
// On the web this returns immediately after handing the loop to the browser.
int run(const RunOptions& options, const AppCallbacks& callbacks);

// Publishes the current route (web: sets location.hash without adding history entries).
void set_route(const std::string& route);
// The app's renderer, e.g. "OpenGL 3.3 Mesa llvmpipe" or "WebGL 2.0".
std::string renderer_info();
// Tells the page the app is up and which lesson/step it shows (web: window.embedlab; native: no-op).
void publish_state(const std::string& state_json);
// Hands the page the accessible description of what is on screen (ui/mirror.h; web: rendered as DOM
// beside the canvas by web/lab_pre.js; native: no-op).
void publish_mirror(const std::string& json);
// Answers the page's lesson editor: the result of parsing its text (JSON, see app/main.cpp; web:
// web/editor.js shows the problems at their lines; native: no-op).
void publish_edit(const std::string& json);
// True where the page has a lesson editor (web); natively lessons are edited in any text editor and
// hot-reloaded, so there is none.
bool lesson_editor_available();
// Opens the page's lesson editor on the text of the lesson with this id (web only).
void lesson_editor_open(const std::string& lesson_id);
// Where lessons, assets and fonts are read from on this platform.
std::string lessons_dir();
// True where lessons come through AppCallbacks::lessons_fetched (web: fetched from the site at run time,
// so a course site gains a lesson by copying a file); false where lessons_dir() is a folder on disk,
// read at start and hot-reloaded (native).
bool lessons_fetched_async();
std::string fonts_dir();
std::string assets_dir();
// Data sets not packed with the page (runtime/assets.h, lazy_assets): the web build fetches one from
// the site's assets/ folder into assets_dir() when a step first needs it (web/assets_fetch.js).
// Natively they are files on disk and there is nothing to fetch: available() is false.
bool asset_fetch_available();
void asset_fetch_start(const std::string& name, double expected_bytes);
// -1: failed (*error says why, naming the file); 0..1: the share arrived; 2: written to assets_dir()/name.
double asset_fetch_poll(const std::string& name, std::string* error);
// Big projections (PCA, t-SNE) computed away from the frame loop: the page hands them to a Web Worker
// (compute_web.cpp); natively the offload is empty and the experiments compute in their own slices.
runtime::ProjectionOffload projection_offload();
// Uploads an RGBA8 image as a texture for ImGui::Image; nullptr on failure.
void* texture_create(const unsigned char* rgba, int width, int height);
std::string platform_name();
// Whether the lab works without a network, for the About panel: natively always; in the browser when
// a service worker keeps the build, which browsers allow only in a secure context (https, localhost).
std::string offline_use();
// Saves a file for the user: a download in the browser; natively a file in ./embedlab-exports/
// (or $EMBEDLAB_EXPORT_DIR). Returns where it went (or why it failed) as a sentence for a toast.
std::string save_file(const std::string& name, const std::string& bytes);
// Opens a URL in a new browser tab or the system browser.
void open_url(const std::string& url);

}  // namespace lab::platform
