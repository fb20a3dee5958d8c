// DrawDamage (ui/draw_damage.h): its contract checked on pixels. A small software rasteriser (pixel
// centres, the command's clip rectangle, a made-up texture so a glyph change shows, src-over blending)
// draws each frame; outside the rectangle update() returns, the new frame's pixels must equal the old
// frame's, bit for bit. And the rectangle must be small where little changed: empty for the same
// frame, the changed window's part for a changed number, the whole display when windows swap places.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "imgui.h"
#include "ui/draw_damage.h"
#include "ui_test_util.h"

using namespace lab;
using ui::damage_empty;

namespace {

constexpr int kW = 420, kH = 240;

struct Rgba { float r = 0, g = 0, b = 0, a = 0; };
using Picture = std::vector<Rgba>;

// A texture that varies with the coordinates and the texture's id, so a changed glyph changes pixels.
float texel(ImTextureID tex, ImVec2 uv) {
  const double v = std::sin(double(uv.x) * 9173.0 + double(uv.y) * 5711.0 + double(reinterpret_cast<intptr_t>(tex)));
  return float(0.5 + 0.5 * v);
}

Picture rasterise(const ImDrawData& dd) {
  Picture p(size_t(kW) * kH);
  for (int n = 0; n < dd.CmdListsCount; ++n) {
    const ImDrawList& l = *dd.CmdLists[n];
    for (const ImDrawCmd& c : l.CmdBuffer) {
      const int x0 = std::max(0, int(std::floor(c.ClipRect.x))), y0 = std::max(0, int(std::floor(c.ClipRect.y)));
      const int x1 = std::min(kW, int(std::ceil(c.ClipRect.z))), y1 = std::min(kH, int(std::ceil(c.ClipRect.w)));
      for (unsigned i = 0; i < c.ElemCount; i += 3) {
        const ImDrawVert* v[3];
        for (int k = 0; k < 3; ++k) v[k] = &l.VtxBuffer[int(c.VtxOffset + l.IdxBuffer[int(c.IdxOffset + i) + k])];
        const float area = (v[1]->pos.x - v[0]->pos.x) * (v[2]->pos.y - v[0]->pos.y) -
                           (v[2]->pos.x - v[0]->pos.x) * (v[1]->pos.y - v[0]->pos.y);
        if (area == 0) continue;
        const float lo_x = std::min({v[0]->pos.x, v[1]->pos.x, v[2]->pos.x}), hi_x = std::max({v[0]->pos.x, v[1]->pos.x, v[2]->pos.x});
        const float lo_y = std::min({v[0]->pos.y, v[1]->pos.y, v[2]->pos.y}), hi_y = std::max({v[0]->pos.y, v[1]->pos.y, v[2]->pos.y});
        const int tx0 = std::max(x0, int(std::floor(lo_x))), tx1 = std::min(x1, int(std::ceil(hi_x)) + 1);
        const int ty0 = std::max(y0, int(std::floor(lo_y))), ty1 = std::min(y1, int(std::ceil(hi_y)) + 1);
        for (int y = ty0; y < ty1; ++y)
          for (int x = tx0; x < tx1; ++x) {
            const float px = float(x) + 0.5f, py = float(y) + 0.5f;
            float w[3];
            for (int k = 0; k < 3; ++k) {
              const ImVec2 a = v[(k + 1) % 3]->pos, b = v[(k + 2) % 3]->pos;
              w[k] = ((b.x - a.x) * (py - a.y) - (px - a.x) * (b.y - a.y)) / area;
            }
            if (w[0] < 0 || w[1] < 0 || w[2] < 0) continue;
            Rgba src;
            ImVec2 uv(0, 0);
            for (int k = 0; k < 3; ++k) {
              const ImVec4 col = ImGui::ColorConvertU32ToFloat4(v[k]->col);
              src.r += w[k] * col.x, src.g += w[k] * col.y, src.b += w[k] * col.z, src.a += w[k] * col.w;
              uv.x += w[k] * v[k]->uv.x, uv.y += w[k] * v[k]->uv.y;
            }
            const float t = texel(c.TextureId, uv);
            Rgba& d = p[size_t(y) * kW + size_t(x)];
            const float a = src.a * t;
            d.r = src.r * a + d.r * (1 - a), d.g = src.g * a + d.g * (1 - a), d.b = src.b * a + d.b * (1 - a);
            d.a = a + d.a * (1 - a);
          }
      }
    }
  }
  return p;
}

bool inside(const std::vector<ImRect>& rs, int x, int y) {
  for (const ImRect& r : rs)
    if (r.Contains(ImVec2(float(x) + 0.5f, float(y) + 0.5f))) return true;
  return false;
}

// Pixels that differ between two pictures outside rectangles rs.
int differing_outside(const Picture& a, const Picture& b, const std::vector<ImRect>& rs) {
  int n = 0;
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      if (inside(rs, x, y)) continue;
      const Rgba &p = a[size_t(y) * kW + size_t(x)], &q = b[size_t(y) * kW + size_t(x)];
      n += p.r != q.r || p.g != q.g || p.b != q.b || p.a != q.a;
    }
  return n;
}

struct Scene {
  int value = 1;
  bool tooltip = false;
  bool b_in_front = false;
  float dot = 0;  // where the dot in window B's left box is (its right box never changes)
};

// Window B's two boxes, each drawn under its own clip rectangle (as two plots side by side are).
constexpr ImRect kLeftBox(160, 150, 250, 195), kRightBox(270, 150, 360, 195);

// Two windows: A with a changing number and a progress bar, B with fixed text; optionally a tooltip.
const ImDrawData& draw(const Scene& s) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(kW, kH);
  io.DeltaTime = 1.0f / 60.0f;
  ImGui::NewFrame();
  const auto window = [&](const char* name) {
    const bool a = name[0] == 'A';
    ImGui::SetNextWindowPos(a ? ImVec2(10, 10) : ImVec2(150, 60));
    ImGui::SetNextWindowSize(a ? ImVec2(200, 120) : ImVec2(220, 140));
    ImGui::Begin(name, nullptr, ImGuiWindowFlags_NoSavedSettings);
    if (a) {
      ImGui::Text("loss %d", s.value);
      ImGui::ProgressBar(float(s.value % 10) / 10.0f);
    } else {
      ImGui::TextWrapped("Fixed text that overlaps window A.");
      if (s.tooltip) ImGui::SetTooltip("a tooltip");
      ImDrawList* dl = ImGui::GetWindowDrawList();
      for (const ImRect& box : {kLeftBox, kRightBox}) {
        dl->PushClipRect(box.Min, box.Max);
        dl->AddRectFilled(box.Min, box.Max, IM_COL32(230, 230, 240, 255));
        const float x = box.Min.x == kLeftBox.Min.x ? box.Min.x + 10 + s.dot : box.Min.x + 30;
        dl->AddCircleFilled(ImVec2(x, box.Min.y + 20), 6, IM_COL32(200, 40, 40, 255));
        dl->PopClipRect();
      }
    }
    ImGui::End();
  };
  window(s.b_in_front ? "A" : "B");  // the later window is drawn over the earlier
  window(s.b_in_front ? "B" : "A");
  if (s.b_in_front) ImGui::SetWindowFocus("B");
  else ImGui::SetWindowFocus("A");
  ImGui::Render();
  return *ImGui::GetDrawData();
}

}  // namespace

TEST_CASE("draw damage: outside its rectangles the pixels are last frame's, and nothing changed is nothing to draw") {
  test::ImGuiScope imgui;
  unsigned char* pixels = nullptr;
  int tw = 0, th = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
  ui::DrawDamage damage;
  const ImRect display(0, 0, kW, kH);
  const auto is_display = [&](const std::vector<ImRect>& rs) {
    return rs.size() == 1 && rs[0].Min.x == display.Min.x && rs[0].Min.y == display.Min.y && rs[0].Max.x == display.Max.x &&
           rs[0].Max.y == display.Max.y;
  };

  Scene s;
  for (int f = 0; f < 3; ++f) draw(s);  // windows settle (sizes, focus)
  Picture before = rasterise(draw(s));
  std::vector<ImRect> rs = damage.update(*ImGui::GetDrawData());
  CHECK(is_display(rs));  // the first frame: everything

  struct Step { const char* what; Scene scene; bool small; };
  const Step steps[] = {
      {"the same frame", s, true},
      {"a number in window A changes", {2, false, false, 0}, true},
      {"the progress bar moves on", {7, false, false, 0}, true},
      {"the dot in B's left box moves", {7, false, false, 25}, true},
      {"a tooltip appears", {7, true, false, 25}, true},
      {"it goes", {7, false, false, 25}, true},
      {"window B comes to the front", {7, false, true, 25}, false},
      {"(focus moves a frame later)", {7, false, true, 25}, false},
      {"a number under window B changes", {8, false, true, 25}, true},
      {"the dot moves again, with B in front", {8, false, true, 40}, true},
  };
  int wholes = 0;
  for (const Step& st : steps) {
    const std::string what = st.what;
    CAPTURE(what);
    const ImDrawData& dd = draw(st.scene);
    const Picture after = rasterise(dd);
    rs = damage.update(dd);
    wholes += is_display(rs);
    CHECK(differing_outside(before, after, rs) == 0);
    float area = 0;
    for (const ImRect& r : rs) {
      CHECK(!damage_empty(r));
      CHECK((r.Min.x >= 0 && r.Min.y >= 0 && r.Max.x <= kW && r.Max.y <= kH));
      area += r.GetWidth() * r.GetHeight();
      for (const ImRect& q : rs) CHECK((&q == &r || !q.Overlaps(r)));  // each pixel drawn once
    }
    CHECK(rs.size() <= 6);
    if (st.small) CHECK(area < 0.25f * kW * kH);
    if (st.scene.dot != 0 && st.scene.dot != 25 && st.scene.value == 8)  // only the dot moved: the still box beside it is not redrawn
      for (const ImRect& r : rs) CHECK(!r.Overlaps(kRightBox));
    // Redrawing only the damaged parts over the old picture gives the new picture.
    ui::draw_data_clip(*ImGui::GetDrawData(), rs);
    const Picture part = rasterise(*ImGui::GetDrawData());
    int wrong = 0;
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x) {
        const size_t i = size_t(y) * kW + size_t(x);
        const Rgba& want = after[i];
        const Rgba& got = inside(rs, x, y) ? part[i] : before[i];
        wrong += want.r != got.r || want.g != got.g || want.b != got.b || want.a != got.a;
      }
    CHECK(wrong == 0);
    before = after;
  }
  CHECK(wholes == 1);  // windows changing places
  // Same frame: nothing at all.
  CHECK(damage.update(draw({8, false, true, 40})).empty());

  SUBCASE("invalidate() and a new display size mean everything") {
    damage.invalidate();
    CHECK(is_display(damage.update(draw({8, false, true, 40}))));
    CHECK(damage.update(draw({8, false, true, 40})).empty());
    ImGui::GetIO().DisplaySize = ImVec2(kW - 20, kH);
    ImGui::NewFrame();
    ImGui::Render();
    rs = damage.update(*ImGui::GetDrawData());
    REQUIRE(rs.size() == 1);
    CHECK(rs[0].Max.x == doctest::Approx(kW - 20));
  }
}
