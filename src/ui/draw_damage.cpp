#include "ui/draw_damage.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lab::ui {

namespace {

// One draw list as a sequence of triangles: triangle t is indices 3t..3t+2 of command cmd_of[t].
struct TriangleSeq {
  const ImDrawVert* vtx;
  const ImDrawIdx* idx;
  const ImDrawCmd* cmds;
  std::vector<int> cmd_of;
  bool plain = true;  // no draw callbacks, and the commands cover the indices in order

  TriangleSeq(const ImVector<ImDrawVert>& v, const ImVector<ImDrawIdx>& i, const ImVector<ImDrawCmd>& c)
      : vtx(v.Data), idx(i.Data), cmds(c.Data) {
    cmd_of.reserve(size_t(i.Size / 3));
    unsigned next = 0;
    for (int k = 0; k < c.Size; ++k) {
      const ImDrawCmd& cmd = c[k];
      if (cmd.UserCallback || cmd.IdxOffset != next || cmd.ElemCount % 3 || size_t(next) + cmd.ElemCount > size_t(i.Size)) {
        plain = false;  // (only the triangles before it are listed: each names indices that exist)
        break;
      }
      next += cmd.ElemCount;
      cmd_of.insert(cmd_of.end(), cmd.ElemCount / 3, k);
    }
    if (int(next) != i.Size) plain = false;
  }
  int size() const { return int(cmd_of.size()); }
  const ImDrawVert& vertex(int t, int k) const {
    const ImDrawCmd& c = cmds[cmd_of[size_t(t)]];
    return vtx[c.VtxOffset + idx[3 * t + k]];
  }
  // Where triangle t can draw: its vertices' box within its command's clip rectangle.
  ImRect box(int t) const {
    const ImDrawCmd& c = cmds[cmd_of[size_t(t)]];
    ImRect r(vertex(t, 0).pos, vertex(t, 0).pos);
    r.Add(vertex(t, 1).pos);
    r.Add(vertex(t, 2).pos);
    r.ClipWithFull(ImRect(c.ClipRect.x, c.ClipRect.y, c.ClipRect.z, c.ClipRect.w));
    return r;
  }
};

bool same_triangle(const TriangleSeq& a, int ta, const TriangleSeq& b, int tb) {
  const ImDrawCmd& ca = a.cmds[a.cmd_of[size_t(ta)]];
  const ImDrawCmd& cb = b.cmds[b.cmd_of[size_t(tb)]];
  if (std::memcmp(&ca.ClipRect, &cb.ClipRect, sizeof ca.ClipRect) || ca.TextureId != cb.TextureId) return false;
  for (int k = 0; k < 3; ++k)
    if (std::memcmp(&a.vertex(ta, k), &b.vertex(tb, k), sizeof(ImDrawVert))) return false;
  return true;
}

template <typename T>
bool same_bytes(const ImVector<T>& a, const ImVector<T>& b) {
  return a.Size == b.Size && (a.Size == 0 || std::memcmp(a.Data, b.Data, size_t(a.Size) * sizeof(T)) == 0);
}

// Union, where an empty rectangle adds nothing.
void grow(ImRect& into, const ImRect& r) {
  if (damage_empty(r)) return;
  if (damage_empty(into)) into = r;
  else into.Add(r);
}

ImRect bounds_of(const TriangleSeq& s, int from, int to) {
  ImRect r(0, 0, 0, 0);
  for (int t = from; t < to; ++t) grow(r, s.box(t));
  return r;
}

// Adds the boxes of what differs between triangles [a0, a1) of `before` and [b0, b1) of `now`: the
// triangles after the common head and before the common tail.
void diff_range(const TriangleSeq& before, int a0, int a1, const TriangleSeq& now, int b0, int b1, std::vector<ImRect>& out) {
  int head = 0, tail = 0;
  while (a0 + head < a1 && b0 + head < b1 && same_triangle(before, a0 + head, now, b0 + head)) ++head;
  while (a1 - tail > a0 + head && b1 - tail > b0 + head && same_triangle(before, a1 - 1 - tail, now, b1 - 1 - tail)) ++tail;
  if (const ImRect r = bounds_of(before, a0 + head, a1 - tail); !damage_empty(r)) out.push_back(r);
  if (const ImRect r = bounds_of(now, b0 + head, b1 - tail); !damage_empty(r)) out.push_back(r);
}

bool overlap(const ImRect& a, const ImRect& b) {
  return a.Min.x < b.Max.x && b.Min.x < a.Max.x && a.Min.y < b.Max.y && b.Min.y < a.Max.y;
}

float area(const ImRect& r) { return r.GetWidth() * r.GetHeight(); }

// Whole pixels (and one more on each side: anti-aliased edges reach half a pixel past a triangle's
// vertices), within the display, none overlapping another (each pixel is drawn once per command), at
// most kMaxRects of them (of up to 32, the pair whose union adds least area merged first).
std::vector<ImRect> tidy(std::vector<ImRect> rs, const ImRect& display) {
  constexpr size_t kMaxRects = 6;
  for (ImRect& r : rs) {
    r = ImRect(std::floor(r.Min.x) - 1, std::floor(r.Min.y) - 1, std::ceil(r.Max.x) + 1, std::ceil(r.Max.y) + 1);
    r.ClipWithFull(display);
  }
  rs.erase(std::remove_if(rs.begin(), rs.end(), damage_empty), rs.end());
  if (rs.size() > 32) {  // many small changes: their bounding box (the merging below is cubic)
    for (size_t k = 1; k < rs.size(); ++k) rs[0].Add(rs[k]);
    rs.resize(1);
  }
  // Merges rs[j] into rs[i].
  const auto merge = [&](size_t i, size_t j) {
    rs[i].Add(rs[j]);
    rs.erase(rs.begin() + std::ptrdiff_t(j));
  };
  for (;;) {
    bool merged = false;  // first every overlapping pair (a union can overlap a third: start again)
    for (size_t i = 0; i < rs.size() && !merged; ++i)
      for (size_t j = i + 1; j < rs.size() && !merged; ++j)
        if (overlap(rs[i], rs[j])) merge(i, j), merged = true;
    if (merged) continue;
    if (rs.size() <= kMaxRects) break;
    size_t bi = 0, bj = 1;  // then, while too many, the pair whose union adds least area
    float best = INFINITY;
    for (size_t a = 0; a < rs.size(); ++a)
      for (size_t b = a + 1; b < rs.size(); ++b) {
        ImRect u = rs[a];
        u.Add(rs[b]);
        if (const float extra = area(u) - area(rs[a]) - area(rs[b]); extra < best) best = extra, bi = a, bj = b;
      }
    merge(bi, bj);
  }
  return rs;
}

}  // namespace

std::vector<ImRect> DrawDamage::update(const ImDrawData& dd) {
  const ImRect display(dd.DisplayPos, ImVec2(dd.DisplayPos.x + dd.DisplaySize.x, dd.DisplayPos.y + dd.DisplaySize.y));
  bool whole = whole_ || dd.DisplayPos.x != display_pos_.x || dd.DisplayPos.y != display_pos_.y ||
               dd.DisplaySize.x != display_size_.x || dd.DisplaySize.y != display_size_.y;
  std::vector<ImRect> damage;
  std::vector<ListCopy> now(size_t(dd.CmdListsCount));
  std::vector<char> kept(last_.size(), 0);
  int last_seen = -1;  // the lists both frames draw must keep their order
  for (int n = 0; n < dd.CmdListsCount; ++n) {
    const ImDrawList& l = *dd.CmdLists[n];
    ListCopy& c = now[size_t(n)];
    c.list = &l;
    c.vtx = l.VtxBuffer;
    c.idx = l.IdxBuffer;
    c.cmds = l.CmdBuffer;
    for (const ImDrawCmd& k : c.cmds)
      if (k.UserCallback) whole = true;  // it may draw anything, changed or not
    if (whole) continue;
    int old = -1;
    for (int k = 0; k < int(last_.size()); ++k)
      if (last_[size_t(k)].list == &l) old = k;
    if (old >= 0) {
      if (old < last_seen) whole = true;  // two windows changed places
      last_seen = old;
      kept[size_t(old)] = 1;
      const ListCopy& o = last_[size_t(old)];
      if (same_bytes(c.vtx, o.vtx) && same_bytes(c.idx, o.idx) && same_bytes(c.cmds, o.cmds)) continue;
    }
    const TriangleSeq seq(c.vtx, c.idx, c.cmds);
    if (!seq.plain) whole = true;
    if (whole) continue;
    if (old < 0) {  // a list that was not drawn last frame (a tooltip, a popup)
      damage.push_back(bounds_of(seq, 0, seq.size()));
      continue;
    }
    const ListCopy& o = last_[size_t(old)];
    const TriangleSeq before(o.vtx, o.idx, o.cmds);
    // The same commands (clip rectangles and textures) in the same order: compare command by
    // command, so an unchanged plot beside a changing one is not redrawn. Else the list as a whole.
    bool paired = c.cmds.Size == o.cmds.Size;
    for (int k = 0; k < c.cmds.Size && paired; ++k)
      paired = std::memcmp(&c.cmds[k].ClipRect, &o.cmds[k].ClipRect, sizeof(ImVec4)) == 0 &&
               c.cmds[k].TextureId == o.cmds[k].TextureId;
    if (!paired) {
      diff_range(before, 0, before.size(), seq, 0, seq.size(), damage);
      continue;
    }
    for (int k = 0; k < c.cmds.Size; ++k) {
      const int a0 = int(o.cmds[k].IdxOffset / 3), b0 = int(c.cmds[k].IdxOffset / 3);
      diff_range(before, a0, a0 + int(o.cmds[k].ElemCount / 3), seq, b0, b0 + int(c.cmds[k].ElemCount / 3), damage);
    }
  }
  for (size_t k = 0; k < last_.size() && !whole; ++k)
    if (!kept[k]) {  // a list that went away (it was drawn, so its triangles are plain)
      const TriangleSeq gone(last_[k].vtx, last_[k].idx, last_[k].cmds);
      damage.push_back(bounds_of(gone, 0, gone.size()));
    }
  last_ = std::move(now);
  display_pos_ = dd.DisplayPos;
  display_size_ = dd.DisplaySize;
  whole_ = false;
  if (whole) return {display};
  return tidy(std::move(damage), display);
}

void draw_data_clip(ImDrawData& dd, const std::vector<ImRect>& rects) {
  for (int n = 0; n < dd.CmdListsCount; ++n) {
    ImVector<ImDrawCmd>& cmds = dd.CmdLists[n]->CmdBuffer;
    ImVector<ImDrawCmd> out;
    for (const ImDrawCmd& c : cmds)
      for (const ImRect& r : rects) {
        ImDrawCmd d = c;
        d.ClipRect = ImVec4(std::max(c.ClipRect.x, r.Min.x), std::max(c.ClipRect.y, r.Min.y), std::min(c.ClipRect.z, r.Max.x),
                            std::min(c.ClipRect.w, r.Max.y));
        if (d.ClipRect.z > d.ClipRect.x && d.ClipRect.w > d.ClipRect.y) out.push_back(d);
      }
    cmds.swap(out);
  }
}

}  // namespace lab::ui
