// The app's single root state (LabApp) and the one per-frame entry point, ui::show_app().
// Platform code owns the window and the loop; it calls ui::fonts_load() when the display scale
// changes and ui::show_app() once per frame. No GLFW, GL or Emscripten here.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "runtime/session.h"
#include "ui/block_view_state.h"

struct ImFont;
typedef void* ImTextureID;

namespace lab::ui {

struct Fonts {
  ImFont* body = nullptr;
  ImFont* bold = nullptr;
  ImFont* italic = nullptr;
  ImFont* heading = nullptr;
  ImFont* title = nullptr;
  ImFont* mono = nullptr;
  bool fallback = false;   // true when the DejaVu files were missing and ImGui's default font is used
  std::string source;      // where the body font came from, for the About panel
};

struct UiState {
  bool show_about = false;
  float scale = 1.0f;         // display scale (device pixel ratio / monitor content scale)
  float base_font_px = 17.0f; // body text size at scale 1
  std::string toast;          // a short message shown at the bottom (e.g. a bad deep link)
  double toast_until = 0;     // ImGui time until which the toast is shown
  bool scroll_to_top = false; // set when the step changes
  BlockViewStates block_views; // what the student hovers or picks in each block (block_view_state.h)
};

// An image from the assets folder, decoded and uploaded once.
struct Texture {
  ImTextureID id = nullptr;
  int width = 0, height = 0;
  std::string error;  // why it could not be shown
};

struct LabApp {
  runtime::Session session;
  UiState ui;
  Fonts fonts;
  std::string fonts_dir;      // folder holding DejaVuSans.ttf and DejaVuSansMono.ttf
  std::string platform_name;  // "native (GLFW + OpenGL 3)" or "web (Emscripten + WebGL 2)"
  std::string gl_info;        // renderer string, for the About panel
  std::string assets_dir = "assets";
  bool hot_reload = false;    // re-read lesson files when they change on disk (native dev builds)
  // Provided by the platform: open a link (new tab / system browser), upload an RGBA image.
  std::function<void(const std::string& url)> open_url;
  std::function<ImTextureID(const unsigned char* rgba, int width, int height)> create_texture;
  std::map<std::string, Texture> textures;  // by path
  // Provided by the platform: save a file for the user (a download on the web). Returns a sentence.
  std::function<std::string(const std::string& name, const std::string& bytes)> save_file;
  // A plot the student asked to save as PNG; the platform reads it after the frame is drawn.
  struct Capture {
    bool pending = false;
    float x = 0, y = 0, w = 0, h = 0;
    std::string name;
  } capture;
};

// "↓ CSV" and "↓ PNG" buttons for the plot drawn just before (inside BeginGroup/EndGroup or as the
// last item): CSV from the plot's data, PNG from the screen. `plot_id` is the id given to plot_begin.
void export_buttons(LabApp& app, const char* plot_id, const std::string& file_stem);
// Saves a file through the platform and shows where it went.
void export_file(LabApp& app, const std::string& name, const std::string& bytes);

// (Re)builds the font atlas for the given display scale. The caller re-uploads the atlas texture.
void fonts_load(LabApp& app, float scale);
// Sets the style (colours, spacing) scaled to the display.
void style_apply(float scale);

void show_app(LabApp& app);
void show_toast(LabApp& app, std::string message, double seconds = 6.0);

}  // namespace lab::ui
