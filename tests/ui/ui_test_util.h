// Shared by the UI tests: a Dear ImGui context with no graphics backend (ImGui's null pattern) and
// a helper that runs the whole app for a number of frames.
#pragma once

#include "imgui.h"
#include "runtime/session.h"
#include "ui/app_ui.h"

namespace lab::test {

struct ImGuiScope {
  ImGuiScope() {
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
  }
  ~ImGuiScope() { ImGui::DestroyContext(); }
  ImGuiScope(const ImGuiScope&) = delete;
  ImGuiScope& operator=(const ImGuiScope&) = delete;
};

// Loads the app's fonts and style at `scale` and builds the font atlas (what a backend would upload),
// so the app can draw without a window.
inline void app_fonts_ready(ui::LabApp& app, float scale = 1.0f) {
  ui::fonts_load(app, scale);
  ui::style_apply(scale);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
}

// Runs `frames` frames of the app at window size `size` (each: session update with a 2 ms budget,
// fonts_update, NewFrame, show_app, Render). With `press`, the key goes down in frame 1 and up in frame 2.
// Returns the vertex count of the last frame.
inline int render_frames(ui::LabApp& app, ImVec2 size, int frames, ImGuiKey press = ImGuiKey_None) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = size;
  int vertices = 0;
  for (int f = 0; f < frames; ++f) {
    io.DeltaTime = 1.0f / 60.0f;
    if (press != ImGuiKey_None && f == 1) io.AddKeyEvent(press, true);
    if (press != ImGuiKey_None && f == 2) io.AddKeyEvent(press, false);
    runtime::session_update(app.session, 2.0);
    if (ui::fonts_update(app)) {  // as the platforms do before a frame: a new atlas to upload
      unsigned char* pixels = nullptr;
      int w = 0, h = 0;
      io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ImGui::NewFrame();
    ui::show_app(app);
    ImGui::Render();
    vertices = ImGui::GetDrawData()->TotalVtxCount;
  }
  return vertices;
}

// The app with the shipped lessons, our fonts rasterised at scale 1, ready to draw.
inline void app_open_lessons(ui::LabApp& app) {
  app.fonts_dir = LAB_GEN_DIR "/fonts";
  app.platform_name = "test (no backend)";
  runtime::session_init(app.session, LAB_SOURCE_DIR "/lessons");
}

}  // namespace lab::test
