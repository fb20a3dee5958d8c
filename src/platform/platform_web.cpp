// Browser platform: Emscripten's GLFW on a WebGL 2 canvas, driven by emscripten_set_main_loop.
// The canvas backing store is sized to CSS size × devicePixelRatio every frame, ImGui lays out in
// those physical pixels, and fonts/style are scaled by the ratio, so text is crisp on HiDPI screens.
// Page integration (window.embedlab, the #route, dropped files, WebGL context loss) lives here and
// in web/index.html; nothing else in the code base knows Emscripten.
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "platform/platform.h"
#include "ui/draw_damage.h"

namespace lab::platform {

namespace {

struct WebState {
  GLFWwindow* window = nullptr;
  AppCallbacks callbacks;
  RunOptions options;
  float scale = 1.0f;
  int width = 0, height = 0;  // canvas backing-store size in pixels
  bool lessons_delivered = false;  // lessons_poll handed the first batch of the site's lessons over (lessons_web.cpp)
  bool lessons_more = true;        // ... and another batch is to come
  bool ready_sent = false;
  bool first_frame_seen = false;
  std::string renderer;  // asked of the context when first wanted (renderer_info)
  // The canvas keeps its pixels between frames (the page asks for preserveDrawingBuffer), so a frame
  // redraws only what changed, and nothing when nothing did (ui/draw_damage.h).
  ui::DrawDamage damage;
  bool preserved = false;  // the context keeps its pixels (else a frame that changed redraws it all)
};

WebState* g_state = nullptr;

}  // namespace

std::string capture_png(float x, float y, float w, float h, int fb_width, int fb_height, const std::string& name);
bool lessons_poll(const AppCallbacks& callbacks, bool* more);  // lessons_web.cpp

namespace {

// Takes the string a Module.lab* function staged (web/lab_pre.js) into a std::string.
std::string take_staged(int len) {
  std::string out(size_t(len), '\0');
  if (len > 0) EM_ASM({ Module.labCopyStaged($0, $1); }, out.data(), len);
  return out;
}

std::string current_hash() { return take_staged(EM_ASM_INT({ return Module.labStage(Module.labHash()); })); }

void poll_page_events() {
  WebState& st = *g_state;
  if (EM_ASM_INT({ return Module.labTakeHashChanged(); })) {
    const std::string hash = current_hash();
    if (st.callbacks.route_changed) st.callbacks.route_changed(hash);
  }
  while (EM_ASM_INT({ return Module.labDropCount(); }) > 0) {
    const std::string name = take_staged(EM_ASM_INT({ return Module.labStage(Module.labDrops[0].name); }));
    const std::string error = take_staged(EM_ASM_INT({ return Module.labStage(Module.labDropError()); }));
    if (!error.empty()) {
      EM_ASM({ Module.labDropPop(); });
      if (st.callbacks.notice) st.callbacks.notice(error);
      continue;
    }
    std::string contents(size_t(EM_ASM_INT({ return Module.labDropSize(); })), '\0');
    if (!contents.empty()) EM_ASM({ Module.labDropCopy($0); }, contents.data());
    EM_ASM({ Module.labDropPop(); });
    if (st.callbacks.file_dropped) st.callbacks.file_dropped(name, contents);
  }
  // Messages from the page (web/lab_pre.js, Module.labInbox): the accessible mirror's knob controls,
  // the theme toggle, the system's colour scheme and the lesson editor's text (web/editor.js). Applied here, between frames, like any input.
  while (EM_ASM_INT({ return Module.labInbox.length; }) > 0) {
    auto field = [](const char* name) {
      return take_staged(EM_ASM_INT({ return Module.labStage(Module.labInbox[0][UTF8ToString($0)]); }, name));
    };
    const std::string type = field("type");
    // The block a knob or run control belongs to: its index, or -1 (then the page is told).
    auto block = [&]() {
      const std::string run = field("run");
      char* end = nullptr;
      const long r = std::strtol(run.c_str(), &end, 10);
      if (end && *end == '\0' && !run.empty() && r >= 0 && r < 1000) return int(r);
      if (st.callbacks.notice) st.callbacks.notice("the page sent a " + type + " message for block '" + run + "', which is not a block number");
      return -1;
    };
    if (type == "knob" && st.callbacks.mirror_knob) {
      if (const int r = block(); r >= 0) st.callbacks.mirror_knob(field("key"), r, field("param"), field("value"));
    } else if (type == "run" && st.callbacks.mirror_run) {
      if (const int r = block(); r >= 0) st.callbacks.mirror_run(field("key"), r, field("action"));
    } else if (type == "theme" && st.callbacks.theme_choice) {
      st.callbacks.theme_choice(field("value"));
    } else if (type == "system-theme" && st.callbacks.system_theme) {
      st.callbacks.system_theme(field("value") == "dark");
    } else if (type == "edit" && st.callbacks.lesson_edited) {
      st.callbacks.lesson_edited(field("path"), field("text"));
    }
    EM_ASM({ Module.labInbox.shift(); });
  }
  // After the inbox: a draft the lesson editor restored at start-up is added while the site's lessons
  // are still loading, so it stays in front when they arrive (session_library_arrived).
  if (st.lessons_more && lessons_poll(st.callbacks, &st.lessons_more)) st.lessons_delivered = true;
  if (EM_ASM_INT({ return Module.labTakeContextRestored(); })) {
    // The WebGL context came back: every GL object is gone, so recreate the renderer's objects.
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplOpenGL3_Init("#version 300 es");
    st.damage.invalidate();
  }
  if (EM_ASM_INT({ return Module.labTakeRedrawAll(); })) st.damage.invalidate();
}

// The canvas's size in device pixels: its CSS box times the device pixel ratio. The page sizes the
// canvas the same way before it creates the WebGL context (web/index.html.in), so that the first
// drawing buffer is already the right size: each resize reallocates it (0.4 s in SwiftShader).
// Returns the scale (the device pixel ratio, within reason).
float canvas_pixel_size(int& w, int& h) {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const float dpr = float(emscripten_get_device_pixel_ratio());
  const float scale = dpr > 0.25f && dpr < 8.0f ? dpr : 1.0f;
  w = std::max(1, int(std::lround(css_w * scale)));
  h = std::max(1, int(std::lround(css_h * scale)));
  return scale;
}

void fit_canvas() {
  WebState& st = *g_state;
  int w = 0, h = 0;
  const float scale = canvas_pixel_size(w, h);
  if (w != st.width || h != st.height) {
    st.width = w;
    st.height = h;
    // Not glfwSetWindowSize: Emscripten's GLFW turns a window the size of the screen into a
    // fullscreen request. Browser.setCanvasSize notifies GLFW through its resize listener.
    EM_ASM({ Browser.setCanvasSize($0, $1); }, w, h);
    st.damage.invalidate();  // a new drawing buffer
  }
  bool fonts_rebuilt = false;
  if (scale != st.scale) {
    st.scale = scale;
    if (st.callbacks.rescale) st.callbacks.rescale(scale);
    fonts_rebuilt = true;
  } else if (st.callbacks.fonts_update) {
    fonts_rebuilt = st.callbacks.fonts_update();
  }
  if (fonts_rebuilt) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    st.damage.invalidate();  // the font texture may have kept its id
  }
}

void main_loop_iteration(void*) {
  WebState& st = *g_state;
  if (!st.first_frame_seen) {  // bench/page.mjs: where the time to ready went
    st.first_frame_seen = true;
    EM_ASM({ Module.labFirstFrame(); });
  }
  if (emscripten_is_webgl_context_lost(emscripten_webgl_get_current_context())) return;  // the page shows a notice; wait for restore
  poll_page_events();
  fit_canvas();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  if (st.callbacks.frame) st.callbacks.frame();
  ImGui::Render();
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(st.window, &fb_w, &fb_h);
  ImDrawData* dd = ImGui::GetDrawData();
  std::vector<ImRect> dirty = st.damage.update(*dd);
  if (!st.preserved && !dirty.empty())
    dirty = {ImRect(dd->DisplayPos.x, dd->DisplayPos.y, dd->DisplayPos.x + dd->DisplaySize.x, dd->DisplayPos.y + dd->DisplaySize.y)};
  if (!dirty.empty()) {
    ui::draw_data_clip(*dd, dirty);
    const ImVec2 s = dd->FramebufferScale, o = dd->DisplayPos;
    glViewport(0, 0, fb_w, fb_h);
    glEnable(GL_SCISSOR_TEST);
    glClearColor(0.97f, 0.97f, 0.96f, 1.0f);
    for (const ImRect& r : dirty) {
      const int x0 = int(std::floor((r.Min.x - o.x) * s.x)), x1 = int(std::ceil((r.Max.x - o.x) * s.x));
      const int y0 = int(std::floor((r.Min.y - o.y) * s.y)), y1 = int(std::ceil((r.Max.y - o.y) * s.y));
      glScissor(x0, fb_h - y1, x1 - x0, y1 - y0);  // GL counts rows from the bottom
      glClear(GL_COLOR_BUFFER_BIT);
    }
    ImGui_ImplOpenGL3_RenderDrawData(dd);
    EM_ASM({ Module.labFramesDrawn++; });
  }
  float cx, cy, cw, ch;
  std::string capture_name;
  if (st.callbacks.capture_request && st.callbacks.capture_request(cx, cy, cw, ch, capture_name)) {
    const std::string msg = capture_png(cx, cy, cw, ch, fb_w, fb_h, capture_name);
    if (st.callbacks.notice) st.callbacks.notice(msg);
  }
  // Ready once a frame with the opening lesson is drawn (tests and the loading overlay wait for it): the
  // lessons are handed over before the frame is built (poll_page_events), and the lab's windows have
  // fixed places, so that frame is the finished picture: natively, frame 1 of a step is pixel for pixel
  // frame 5 (embedlab --frames N --screenshot). The overlay goes in the same task, so the browser
  // shows the two together.
  if (st.lessons_delivered && !st.ready_sent) {
    st.ready_sent = true;
    EM_ASM({ if (Module.labOnReady) Module.labOnReady(); });
    EM_ASM({ Module.labLessonsFetchRest(); });  // the other lessons, now that the first is on screen
  }
}

}  // namespace

int run(const RunOptions& options, const AppCallbacks& callbacks) {
  g_state = new WebState{};  // lives as long as the page
  g_state->callbacks = callbacks;
  g_state->options = options;
  if (!glfwInit()) {
    EM_ASM({ if (Module.labFatal) Module.labFatal('GLFW could not start.'); });
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  // ImGui draws in 2D: no depth or stencil buffer. The page creates the context before the app runs
  // (web/index.html.in, with these attributes); glfwCreateWindow then gets that same context.
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  int w = 0, h = 0;
  canvas_pixel_size(w, h);  // options.width/height are the native window's
  GLFWwindow* window = glfwCreateWindow(w, h, options.title.c_str(), nullptr, nullptr);
  if (!window) {
    EM_ASM({ if (Module.labFatal) Module.labFatal('This browser could not create a WebGL 2 context.'); });
    return 1;
  }
  g_state->window = window;
  glfwMakeContextCurrent(window);
  g_state->preserved = EM_ASM_INT({ var a = GLctx.getContextAttributes(); return a && a.preserveDrawingBuffer ? 1 : 0; });

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  g_state->scale = std::max(0.25f, float(emscripten_get_device_pixel_ratio()));
  // The opening lesson is usually here already (web/lessons_fetch.js: main() waits for it, up to 2 s):
  // handed over before the fonts are built, the atlas holds its characters from the start.
  if (lessons_poll(callbacks, &g_state->lessons_more)) g_state->lessons_delivered = true;
  if (callbacks.post_init) callbacks.post_init(g_state->scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  EM_ASM({ Module.labInstallHooks(); });
  const std::string hash = current_hash();
  if (!hash.empty() && callbacks.route_changed) callbacks.route_changed(hash);
  emscripten_set_main_loop_arg(main_loop_iteration, nullptr, 0, false);
  return 0;
}

void set_route(const std::string& route) { EM_ASM({ Module.labSetRoute(UTF8ToString($0)); }, route.c_str()); }

// Asked of the context the first time it is wanted (the About panel), not at start-up: Chromium
// answers the first query of a string by waiting for the GPU process to finish all it was sent (48 ms
// before the first frame here).
std::string renderer_info() {
  if (!g_state || !g_state->window) return "WebGL 2";
  if (g_state->renderer.empty()) {
    const char* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
    g_state->renderer = version ? version : "WebGL 2";
  }
  return g_state->renderer;
}

void publish_mirror(const std::string& json) { EM_ASM({ Module.labMirror(UTF8ToString($0)); }, json.c_str()); }
void publish_edit(const std::string& json) { EM_ASM({ Module.labEditResult(UTF8ToString($0)); }, json.c_str()); }
bool lesson_editor_available() { return true; }
void lesson_editor_open(const std::string& lesson_id) { EM_ASM({ Module.labEditorOpen(UTF8ToString($0)); }, lesson_id.c_str()); }

void publish_state(const std::string& state_json) {
  EM_ASM({ Module.labPublish(UTF8ToString($0)); }, state_json.c_str());
}

std::string save_file(const std::string& name, const std::string& bytes) {
  EM_ASM({ Module.labDownload(UTF8ToString($0), HEAPU8.slice($1, $1 + $2)); }, name.c_str(), bytes.data(), int(bytes.size()));
  return "downloaded " + name;
}

std::string lessons_dir() { return "lessons"; }  // beside the page on the site, fetched (lessons_web.cpp)
bool lessons_fetched_async() { return true; }
std::string fonts_dir() { return "/fonts"; }
std::string assets_dir() { return "/assets"; }
std::string platform_name() { return "web (Emscripten " + std::to_string(__EMSCRIPTEN_major__) + "." +
                                      std::to_string(__EMSCRIPTEN_minor__) + "." + std::to_string(__EMSCRIPTEN_tiny__) +
                                      ", WebGL 2)"; }

std::string offline_use() {
  switch (EM_ASM_INT({ return Module.labOfflineUse(); })) {
    case 0:
      return "no: this page came over plain http from a network address, and browsers keep a page for offline "
             "use only over https or on localhost (README, \"Offline use needs https or localhost\")";
    case 1: return "no: this browser has no service workers";
    case 2: return "off (?dev in the address)";
    case 3: return "yes: this browser keeps this build (service worker)";
    default: return "from the next visit: this browser is keeping a copy (service worker)";
  }
}

void open_url(const std::string& url) { EM_ASM({ Module.labOpenUrl(UTF8ToString($0)); }, url.c_str()); }

}  // namespace lab::platform
