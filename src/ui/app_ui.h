// The app's single root state (LabApp) and the one per-frame entry point, ui::show_app().
// Platform code owns the window and the loop; it calls ui::fonts_load() when the display scale
// changes, ui::fonts_update() before each frame and ui::show_app() once per frame. No GLFW, GL or Emscripten here.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "imgui.h"

#include "runtime/session.h"
#include "ui/block_view_state.h"


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
  ImVector<ImWchar> ranges, ranges_every_face;  // what the atlas was built from (ImGui reads them while building)
  bool has_box = false;        // the fonts draw a missing character as a box (U+FFFD) ...
  ImVec4 box_uv;               // ... from this rectangle of the atlas: u0, v0, u1, v1
};

// Which characters the font atlas holds (ui/fonts.cpp says why not all of them): besides Basic
// Latin, Latin-1 and the UI's own, those of the session's lessons, or, once the lab drew text with a
// character outside those, every character of runtime/glyph_ranges.inc.
struct FontCover {
  std::u32string chars;  // the lessons' characters beyond those always held: sorted, each once
  bool every = false;
  std::tuple<int, size_t, const void*> lessons_seen{-1, 0, nullptr};  // the library as last read
};
bool font_cover_holds(const FontCover& cover, char32_t c);

// Light or dark: the student's choice, or the system's (the page's prefers-color-scheme).
enum class ThemeChoice { System, Light, Dark };

struct UiState {
  bool show_about = false;
  float scale = 1.0f;         // display scale (device pixel ratio / monitor content scale)
  float base_font_px = 17.0f; // body text size at scale 1
  std::string toast;          // a short message shown at the bottom (e.g. a bad deep link)
  double toast_until = 0;     // ImGui time until which the toast is shown
  bool scroll_to_top = false; // set when the step changes
  BlockViewStates block_views; // what the student hovers or picks in each block (block_view_state.h)
  ThemeChoice theme = ThemeChoice::System;
  bool system_dark = false;   // the platform's colour-scheme preference (web: prefers-color-scheme)
  bool style_dark = false;    // what style_apply last set (show_app re-applies when the theme changes)
  // The plots each block drew (or refreshed out of view) last, by run index: their text alternatives
  // go to the page's accessible mirror. Cleared when the step's runs are rebuilt.
  std::map<int, std::vector<ImGuiID>> block_plots;
  std::string block_plots_key;  // Session::runs_key that block_plots belongs to
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
  FontCover font_cover;
  std::string fonts_dir;      // folder holding DejaVuSans.ttf and DejaVuSansMono.ttf
  std::string platform_name;  // "native (GLFW + OpenGL 3)" or "web (Emscripten + WebGL 2)"
  std::string gl_info;        // renderer string, for the About panel
  std::string offline_use;    // platform::offline_use(), for the About panel (while it is open)
  std::string assets_dir = "assets";
  bool hot_reload = false;    // re-read lesson files when they change on disk (native dev builds)
  // Provided by the platform: open a link (new tab / system browser), upload an RGBA image.
  std::function<void(const std::string& url)> open_url;
  std::function<ImTextureID(const unsigned char* rgba, int width, int height)> create_texture;
  std::map<std::string, Texture> textures;  // by path
  // Provided by the platform: save a file for the user (a download on the web). Returns a sentence.
  std::function<std::string(const std::string& name, const std::string& bytes)> save_file;
  // Provided by the web platform only: open the page's lesson editor on the lesson with this id.
  std::function<void(const std::string& lesson_id)> edit_lesson;
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

// (Re)builds the font atlas for the given display scale, holding app.font_cover and the characters
// of the session's lessons. The caller re-uploads the atlas texture.
void fonts_load(LabApp& app, float scale);
// Before a frame (the last frame's draw data is still there): rebuilds the atlas if the session's
// lessons need characters it lacks, or if the last frame drew the box glyph (then with every
// character). Returns whether it did; the caller then re-uploads the atlas texture.
bool fonts_update(LabApp& app);
// Sets the style (colours, spacing) scaled to the display, light or dark; also the plots' theme.
void style_apply(float scale, bool dark = false);

// Colours the app draws with besides ImGui's style, for the current theme (set by style_apply).
struct UiColors {
  ImVec4 error, warning, muted, good;  // message text: ✗ and errors, warnings, secondary, ✓
  ImVec4 link, code_bg, image_note;    // prose: link text, code background, "[image not shown]"
  ImVec4 block_bg, block_border;       // a lab block's box
  ImVec4 quote_bar;                    // the bar left of a block quote
};
const UiColors& ui_colors();

bool theme_is_dark(const LabApp& app);
// The name a link or the page uses: "system", "light", "dark"; parse returns false for anything else.
const char* theme_choice_name(ThemeChoice t);
bool theme_choice_parse(std::string_view name, ThemeChoice* out);

// Sets a knob of the current step's block `run_index` — the one path for every control that moves a
// knob (the ImGui slider and the page's accessible mirror): validates, re-runs the block, and the
// next frame publishes the new route. On failure shows the message as a toast and returns it.
core::Status knob_set(LabApp& app, int run_index, const std::string& param, std::string_view value);

void show_app(LabApp& app);
void show_toast(LabApp& app, std::string message, double seconds = 6.0);

}  // namespace lab::ui
