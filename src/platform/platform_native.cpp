// Desktop platform: GLFW window, OpenGL 3.3 core context, Dear ImGui GLFW + OpenGL3 backends.
// Lessons are read from the source tree (so instructors get hot reload) or from a folder next to
// the executable; fonts from the build tree or the system's DejaVu folder.
#include <GLFW/glfw3.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "core/memory_budget.h"
#include "core/text.h"
#include "platform/platform.h"
#include "runtime/blocks/projection.h"

#ifndef GL_RENDERER
#define GL_RENDERER 0x1F01
#endif

namespace lab::platform {

namespace {

const AppCallbacks* g_callbacks = nullptr;

void glfw_error(int code, const char* description) {
  std::fprintf(stderr, "embedlab: GLFW error %d: %s\n", code, description);
}

// A dropped folder: the MovieLens-100k files in it (the unzipped ml-100k), as if dropped one by one.
bool drop_folder(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return false;
  int found = 0;
  for (const char* name : {"u.data", "u.item", "u.user"}) {
    const std::filesystem::path p = std::filesystem::path(path) / name;
    const auto size = std::filesystem::file_size(p, ec);
    if (ec) continue;
    if (size > uintmax_t(lab::core::kFileBytesMax)) {
      if (g_callbacks->notice) g_callbacks->notice(p.string() + " is larger than 64 MiB, the lab's limit for a file read whole");
      return true;
    }
    std::ifstream in(p, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    g_callbacks->file_dropped(p.string(), buf.str());
    ++found;
  }
  if (!found && g_callbacks->notice)
    g_callbacks->notice(path + ": a folder without u.data, u.item or u.user (drop the unzipped ml-100k folder, or ml-100k.zip)");
  return true;
}

void on_drop(GLFWwindow*, int count, const char** paths) {
  if (!g_callbacks || !g_callbacks->file_dropped) return;
  for (int i = 0; i < count; ++i) {
    if (drop_folder(paths[i])) continue;
    // Dropped files are lessons, or data: .tsv, .csv for the projection blocks, MovieLens (u.data,
    // u.item, u.user, or ml-100k.zip) for the recommender blocks. Refuse a large one before reading
    // it, as the web page does (web/lab_pre.js: lessons 4 MiB; web/byod.js: data 64 MiB, the lab's
    // limit for a file read whole, core/memory_budget.h), rather than reading any file whole.
    const std::string_view p = paths[i];
    auto ends = [&](std::string_view sfx) { return lab::core::ends_with_ci(p, sfx); };
    const bool data =
        ends(".tsv") || ends(".csv") || ends("u.data") || ends("u.item") || ends("u.user") || ends(".zip");
    const uintmax_t limit = data ? uintmax_t(lab::core::kFileBytesMax) : uintmax_t(4u << 20);
    std::error_code ec;
    const auto size = std::filesystem::file_size(paths[i], ec);
    if (ec || size > limit) {
      if (g_callbacks->notice)
        g_callbacks->notice(std::string(paths[i]) +
                            (ec     ? ": cannot read it"
                             : data ? " is larger than 64 MiB, the lab's limit for a file read whole (its memory budget: "
                                      "256 MiB per data set); use a sample of the points"
                                    : " is larger than 4 MiB; lessons are small text files"));
      continue;
    }
    std::ifstream in(paths[i], std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    g_callbacks->file_dropped(paths[i], buf.str());
  }
}

float window_scale(GLFWwindow* w) {
  float sx = 1, sy = 1;
  glfwGetWindowContentScale(w, &sx, &sy);
  return sx > 0.5f && sx < 8.0f ? sx : 1.0f;
}

bool write_ppm(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(size_t(w) * h * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, px.data());
  std::ofstream out(path, std::ios::binary);
  if (!out) return false;
  out << "P6\n" << w << " " << h << "\n255\n";
  for (int y = h - 1; y >= 0; --y) out.write(reinterpret_cast<const char*>(&px[size_t(y) * w * 3]), w * 3);
  return bool(out);
}

std::string g_renderer = "OpenGL (not started)";

}  // namespace

std::string capture_png(float x, float y, float w, float h, int fb_width, int fb_height, const std::string& name);

std::string save_file(const std::string& name, const std::string& bytes) {
  namespace fs = std::filesystem;
  const char* env = std::getenv("EMBEDLAB_EXPORT_DIR");
  const fs::path dir = env && *env ? fs::path(env) : fs::path("embedlab-exports");
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string safe;
  for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  if (safe.empty() || safe[0] == '.') safe = "export" + safe;
  const fs::path path = dir / safe;
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) return "could not write " + path.string();
  return "saved " + fs::absolute(path, ec).string();
}

int run(const RunOptions& options, const AppCallbacks& callbacks) {
  g_callbacks = &callbacks;
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::fprintf(stderr, "embedlab: cannot open a window (is there a display? $DISPLAY is '%s').\n"
                         "  Headless commands work without one: embedlab --help\n",
                 std::getenv("DISPLAY") ? std::getenv("DISPLAY") : "");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "embedlab: could not create an OpenGL 3.3 window (driver too old?)\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  glfwSetDropCallback(window, on_drop);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  float scale = window_scale(window);
  if (callbacks.post_init) callbacks.post_init(scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  const char* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
  g_renderer = std::string("OpenGL ") + (version ? version : "?") + " — " + (renderer ? renderer : "?");

  int frame = 0;
  std::string last_notice;
  while (!glfwWindowShouldClose(window)) {
    glfwPollEvents();
    const float s = window_scale(window);
    bool fonts_rebuilt = false;
    if (s != scale && callbacks.rescale) {
      scale = s;
      callbacks.rescale(scale);
      fonts_rebuilt = true;
    } else if (callbacks.fonts_update) {
      fonts_rebuilt = callbacks.fonts_update();
    }
    if (fonts_rebuilt) {
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Fonts and style are scaled by the monitor's content scale (post_init/rescale), so text is
    // rasterised at the real resolution rather than magnified.
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    ImGui::NewFrame();
    if (callbacks.frame) callbacks.frame();
    ImGui::Render();
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0.97f, 0.97f, 0.96f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    float cx, cy, cw, ch;
    std::string capture_name;
    if (callbacks.capture_request && callbacks.capture_request(cx, cy, cw, ch, capture_name))
      last_notice = capture_png(cx, cy, cw, ch, fb_w, fb_h, capture_name);
    if (!last_notice.empty() && callbacks.notice) {
      callbacks.notice(last_notice);
      last_notice.clear();
    }
    ++frame;
    if (options.max_frames > 0 && frame >= options.max_frames) {
      if (!options.screenshot_path.empty() && !write_ppm(options.screenshot_path, fb_w, fb_h))
        std::fprintf(stderr, "embedlab: could not write screenshot '%s'\n", options.screenshot_path.c_str());
      glfwSetWindowShouldClose(window, GLFW_TRUE);
    }
    glfwSwapBuffers(window);
  }
  if (callbacks.before_exit) callbacks.before_exit();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  g_callbacks = nullptr;
  return 0;
}

void set_route(const std::string&) {}
std::string renderer_info() { return g_renderer; }
void publish_state(const std::string&) {}
void publish_mirror(const std::string&) {}
void publish_edit(const std::string&) {}
bool lesson_editor_available() { return false; }  // natively: any text editor, and hot reload
void lesson_editor_open(const std::string&) {}  // no DOM natively; a screen-reader bridge (AccessKit) would take this
std::string platform_name() { return "native (GLFW " + std::string(glfwGetVersionString()) + " + OpenGL 3.3)"; }

std::string offline_use() { return "yes: the app and its lessons are on this computer"; }

std::string lessons_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  // A source checkout (developer build): read lessons where instructors edit them, for hot reload.
  if (fs::is_directory(LAB_SOURCE_DIR "/lessons", ec)) return LAB_SOURCE_DIR "/lessons";
  return "lessons";  // a packaged install: next to the working directory
}

bool lessons_fetched_async() { return false; }
runtime::ProjectionOffload projection_offload() { return {}; }  // the desktop draws on the GPU: t-SNE's share is ample
bool asset_fetch_available() { return false; }
void asset_fetch_start(const std::string&, double) {}
double asset_fetch_poll(const std::string&, std::string* error) {
  if (error) *error = "nothing is fetched natively";
  return -1;
}

std::string assets_dir() {
  std::error_code ec;
  if (std::filesystem::is_directory(LAB_SOURCE_DIR "/assets", ec)) return LAB_SOURCE_DIR "/assets";
  return "assets";
}

std::string fonts_dir() {
  std::error_code ec;
  if (std::filesystem::exists(LAB_GEN_DIR "/fonts/DejaVuSans.ttf", ec)) return LAB_GEN_DIR "/fonts";
  return "/usr/share/fonts/truetype/dejavu";
}

void open_url(const std::string& url) {
  // No shell: xdg-open gets the URL as a single argument via posix_spawnp.
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return;
  std::string cmd = "xdg-open '";
  for (char c : url) {
    if (c == '\'') cmd += "'\\''";
    else cmd += c;
  }
  cmd += "' >/dev/null 2>&1 &";
  if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "embedlab: could not open %s\n", url.c_str());
}

}  // namespace lab::platform
