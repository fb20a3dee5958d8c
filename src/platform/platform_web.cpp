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
#include <string>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "platform/platform.h"

namespace lab::platform {

namespace {

struct WebState {
  GLFWwindow* window = nullptr;
  AppCallbacks callbacks;
  RunOptions options;
  float scale = 1.0f;
  int width = 0, height = 0;  // canvas backing-store size in pixels
  int frame = 0;
  std::string renderer = "WebGL 2";
};

WebState* g_state = nullptr;

// Reads a JS string produced by `expr` into a std::string (empty if null/undefined).
#define LAB_JS_STRING(out, js_expr)                                                               \
  do {                                                                                            \
    int len_ = EM_ASM_INT({                                                                       \
      var s = (js_expr);                                                                          \
      Module.labTmp = (s === undefined || s === null) ? "" : String(s);                           \
      return lengthBytesUTF8(Module.labTmp);                                                      \
    });                                                                                           \
    (out).assign(size_t(len_), '\0');                                                             \
    if (len_ > 0) EM_ASM({ stringToUTF8(Module.labTmp, $0, $1 + 1); }, (out).data(), len_);      \
  } while (0)

void install_page_hooks() {
  EM_ASM({
    Module.labHashChanged = false;
    Module.labDrops = [];
    Module.labContextRestored = false;
    window.addEventListener('hashchange', function() { Module.labHashChanged = true; });
    var canvas = Module['canvas'];
    canvas.addEventListener('webglcontextrestored', function() { Module.labContextRestored = true; });
    var stop = function(e) { e.preventDefault(); e.stopPropagation(); };
    document.addEventListener('dragover', stop);
    document.addEventListener('drop', function(e) {
      stop(e);
      var files = e.dataTransfer ? e.dataTransfer.files : [];
      for (var i = 0; i < files.length; ++i) {
        (function(f) {
          if (f.size > 4 * 1024 * 1024) {
            Module.labDrops.push({name: f.name, text: '', error: 'file is larger than 4 MiB'});
            return;
          }
          var reader = new FileReader();
          reader.onload = function() { Module.labDrops.push({name: f.name, bytes: new Uint8Array(reader.result)}); };
          reader.onerror = function() { Module.labDrops.push({name: f.name, text: '', error: 'could not read the file'}); };
          reader.readAsArrayBuffer(f);
        })(files[i]);
      }
    });
  });
}

void poll_page_events() {
  WebState& st = *g_state;
  if (EM_ASM_INT({ var c = Module.labHashChanged; Module.labHashChanged = false; return c ? 1 : 0; })) {
    std::string hash;
    LAB_JS_STRING(hash, decodeURIComponent(window.location.hash.replace(/^#/, '')));
    if (st.callbacks.route_changed) st.callbacks.route_changed(hash);
  }
  while (EM_ASM_INT({ return Module.labDrops.length; }) > 0) {
    std::string name;
    LAB_JS_STRING(name, Module.labDrops[0].name);
    const int n = EM_ASM_INT({ var d = Module.labDrops[0]; return d.bytes ? d.bytes.length : 0; });
    std::string contents(size_t(n), '\0');
    if (n > 0) EM_ASM({ HEAPU8.set(Module.labDrops[0].bytes, $0); }, contents.data());
    EM_ASM({ Module.labDrops.shift(); });
    if (st.callbacks.file_dropped) st.callbacks.file_dropped(name, contents);
  }
  if (EM_ASM_INT({ var c = Module.labContextRestored; Module.labContextRestored = false; return c ? 1 : 0; })) {
    // The WebGL context came back: every GL object is gone, so recreate the renderer's objects.
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplOpenGL3_Init("#version 300 es");
  }
}

void fit_canvas() {
  WebState& st = *g_state;
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const float dpr = float(emscripten_get_device_pixel_ratio());
  const float scale = dpr > 0.25f && dpr < 8.0f ? dpr : 1.0f;
  const int w = std::max(1, int(std::lround(css_w * scale)));
  const int h = std::max(1, int(std::lround(css_h * scale)));
  if (w != st.width || h != st.height) {
    st.width = w;
    st.height = h;
    glfwSetWindowSize(st.window, w, h);
  }
  if (scale != st.scale) {
    st.scale = scale;
    if (st.callbacks.rescale) st.callbacks.rescale(scale);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

void main_loop_iteration(void*) {
  WebState& st = *g_state;
  if (emscripten_is_webgl_context_lost(0)) return;  // the page shows a notice; wait for restore
  poll_page_events();
  fit_canvas();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  if (st.callbacks.frame) st.callbacks.frame();
  ImGui::Render();
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(st.window, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0.97f, 0.97f, 0.96f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (++st.frame == 3) EM_ASM({ if (Module.labOnReady) Module.labOnReady(); });
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
  GLFWwindow* window = glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!window) {
    EM_ASM({ if (Module.labFatal) Module.labFatal('This browser could not create a WebGL 2 context.'); });
    return 1;
  }
  g_state->window = window;
  glfwMakeContextCurrent(window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  g_state->scale = std::max(0.25f, float(emscripten_get_device_pixel_ratio()));
  if (callbacks.post_init) callbacks.post_init(g_state->scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  const char* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
  g_state->renderer = version ? version : "WebGL 2";
  install_page_hooks();
  std::string hash;
  LAB_JS_STRING(hash, decodeURIComponent(window.location.hash.replace(/^#/, '')));
  if (!hash.empty() && callbacks.route_changed) callbacks.route_changed(hash);
  emscripten_set_main_loop_arg(main_loop_iteration, nullptr, 0, false);
  return 0;
}

void set_route(const std::string& route) {
  EM_ASM({
    var r = UTF8ToString($0);
    var want = '#' + encodeURI(r);
    if (window.location.hash !== want) history.replaceState(null, '', want);
  }, route.c_str());
}

std::string renderer_info() { return g_state ? g_state->renderer : "WebGL 2"; }

void publish_state(const std::string& state_json) {
  EM_ASM({
    try {
      var s = JSON.parse(UTF8ToString($0));
      window.embedlab = Object.assign(window.embedlab || {}, s);
    } catch (e) { console.error('embedlab: bad state json', e); }
  }, state_json.c_str());
}

std::string lessons_dir() { return "/lessons"; }
std::string fonts_dir() { return "/fonts"; }
std::string platform_name() { return "web (Emscripten " + std::to_string(__EMSCRIPTEN_major__) + "." +
                                      std::to_string(__EMSCRIPTEN_minor__) + "." + std::to_string(__EMSCRIPTEN_tiny__) +
                                      ", WebGL 2)"; }

void open_url(const std::string& url) {
  EM_ASM({
    var u = UTF8ToString($0);
    if (/^https?:\/\//.test(u)) window.open(u, '_blank', 'noopener,noreferrer');
  }, url.c_str());
}

}  // namespace lab::platform
