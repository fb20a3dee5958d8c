// What changed on screen since the last frame that was drawn, found from Dear ImGui's draw data, so
// a renderer whose pixels persist between frames redraws only that part (the page: WebGL with
// preserveDrawingBuffer) and nothing at all when nothing changed.
//
// Why: in a browser without a GPU (SwiftShader, software WebGL) every pixel of a frame is shaded on
// the CPU. Redrawing the whole 1280×800 lab took 53-88 ms a frame on an idle lesson step, and the
// training of an experiment only gets a share of what the frames leave (runtime::FrameBudget). Most
// frames change a progress bar and a few numbers, or nothing.
//
//   DrawDamage damage;                             // one per window, kept across frames
//   ImGui::Render();
//   ImDrawData* dd = ImGui::GetDrawData();
//   const std::vector<ImRect> rs = damage.update(*dd);  // in the draw data's coordinates
//   if (!rs.empty()) { draw_data_clip(*dd, rs); /* scissor to each of rs and clear; render dd */ }
//
// The contract: outside the returned rectangles every pixel the draw data would draw equals what the
// last frame passed to update() drew. Each draw list is compared with its copy from that frame as a
// sequence of triangles (three vertices, the command's clip rectangle and texture): the triangles
// before the first difference and after the last are the same, in the same order, so only the
// bounding boxes of the triangles in between (old and new) can differ. When a list has the same
// commands as before (same clip rectangles and textures), each command is compared on its own, so
// one plot that moves does not redraw the still one beside it. Lists that appear or go damage their
// own box; lists that change places with each other, a texture that may have changed under the same
// id (invalidate()), or draw callbacks damage the whole display.
#pragma once

#include <cstdint>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"

namespace lab::ui {

class DrawDamage {
 public:
  // The rectangles to redraw (none: nothing changed): whole pixels within the display, not
  // overlapping, at most six. Remembers dd.
  std::vector<ImRect> update(const ImDrawData& dd);
  // The next update() returns the whole display: the pixels are gone (a new or resized canvas, a
  // lost context) or a texture changed under its old id (the font atlas rebuilt at a new scale).
  void invalidate() { whole_ = true; }

 private:
  struct ListCopy {
    const ImDrawList* list = nullptr;  // identity only (ImGui keeps a window's list across frames)
    ImVector<ImDrawVert> vtx;
    ImVector<ImDrawIdx> idx;
    ImVector<ImDrawCmd> cmds;
  };
  std::vector<ListCopy> last_;
  ImVec2 display_pos_{0, 0}, display_size_{0, 0};
  bool whole_ = true;
};

inline bool damage_empty(const ImRect& r) { return r.Max.x <= r.Min.x || r.Max.y <= r.Min.y; }

// Replaces every draw command by one copy per rectangle it meets, clipped to that rectangle (the
// rectangles must not overlap, so each pixel is still drawn once per command, in order).
void draw_data_clip(ImDrawData& dd, const std::vector<ImRect>& rects);

}  // namespace lab::ui
