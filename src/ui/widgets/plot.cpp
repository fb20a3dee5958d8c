// The plotting module (see plot.h). plot_* calls copy their data into the plot's state; plot_end()
// fits the limits, lays out title / axes / legend / colour bar, handles the mouse and draws.
// It does no file I/O and keeps no app data: per-plot UI state (view, hidden series, last frame's
// series) lives in a table owned by the current ImGui context and freed with it.
//
// Index
// [SECTION] State: per-context table, per-plot state, series
// [SECTION] Helpers: reading strided data, axes and transforms, vertex budget
// [SECTION] Limits: fitting data, home view, equal aspect
// [SECTION] Drawing series: lines, markers, bars, reference lines, heatmaps, text
// [SECTION] Layout and decorations: ticks, legend, colour bar, labels
// [SECTION] Public API: begin / series / end / queries / CSV / text alternative
#include "ui/widgets/plot.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <vector>

#include "imgui_internal.h"  // ImGui::SetItemKeyOwner (wheel over a plot zooms instead of scrolling), AddContextHook
#include "ui/widgets/plot_ticks.h"

namespace lab::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

//-----------------------------------------------------------------------------------------------
// [SECTION] State: per-context table, per-plot state, series
//-----------------------------------------------------------------------------------------------

enum class Kind { Line, Scatter, Bars, HLine, VLine, Heatmap, Text, Images };

struct Series {
  Kind kind = Kind::Line;
  std::string label;  // as given ("name##id")
  std::string name;   // the part before "##": legend and tooltip text; empty = not in the legend
  ImGuiID key = 0;    // hash of label: key of the hidden flag
  ImU32 color = 0;
  float weight = 2.0f;   // line width at scale 1
  float radius = 0.0f;   // marker radius at scale 1 (0 = auto)
  bool from_double = false;
  std::vector<double> xs, ys;
  std::vector<int> groups;
  int group_count = 0;
  std::vector<std::string> group_names;
  const char* const* point_labels = nullptr;  // valid during the frame only
  PlotPointLabelFn label_fn = nullptr;
  const void* label_user = nullptr;
  double bar_width = 0.67;
  bool histogram = false;
  std::vector<double> values;  // heatmap, row-major
  int rows = 0, cols = 0;
  double v_min = 0, v_max = 1;
  Colormap colormap = Colormap::Viridis;
  std::vector<std::string> row_labels, col_labels;
  std::string text;
  ImTextureID texture = 0;  // images: one texture holding them all, ...
  std::vector<float> uvs;   // ... each point's (u0, v0, u1, v1) in it
  float image_px = 0;       // ... drawn this wide at scale 1
};

struct NextStyle {
  bool has_color = false;
  ImU32 color = 0;
  float weight = 0;
  const char* const* group_names = nullptr;
  int group_name_count = 0;
  const char* const* point_labels = nullptr;
  PlotPointLabelFn label_fn = nullptr;
  const void* label_user = nullptr;
  Colormap colormap = Colormap::Viridis;
};

struct PlotState {
  ImGuiID id = 0;
  std::string id_str;
  int last_frame = -1;
  PlotSpec spec;
  std::string title, x_label, y_label;  // copies of spec's strings
  ImVec2 pos, size;
  bool user_view = false;     // zoomed or panned: the view no longer follows the data
  PlotLimits view;            // what was shown last frame
  bool has_view = false;
  std::vector<ImGuiID> hidden;
  std::vector<Series> series;  // slots reused across frames; the first series_count are current
  int series_count = 0;
  int palette_next = 0;
  PlotHover hover;
  bool offscreen = false;      // begun out of view only to refresh its data (plot_end draws nothing)
  bool drag_on_legend = false;
  int drag_axes = 3;           // 1 = x, 2 = y, 3 = both
};

struct Mark {
  ImVec2 pos;
  ImU32 col;
  int shape = 0;  // marker_shape() index
};

struct PlotContext {
  std::vector<Mark> marks;  // scratch for markers
  std::unordered_map<ImGuiID, std::unique_ptr<PlotState>> plots;
  PlotState* current = nullptr;
  NextStyle next;
  ImVector<ImVec2> path;  // scratch for lines
  int log_frame = -1;          // the frame `log` belongs to
  std::vector<ImGuiID> log;    // plots begun this frame, in order (plot_log_mark / plot_log_since)
};

// One PlotContext per ImGui context, created on first use and erased by a shutdown hook when the
// ImGui context is destroyed (ImPlot keeps a global context pointer instead; this way tests that
// create and destroy contexts never see stale plot state).
std::unordered_map<ImGuiContext*, std::unique_ptr<PlotContext>>& context_table() {
  static std::unordered_map<ImGuiContext*, std::unique_ptr<PlotContext>> table;
  return table;
}

PlotContext& plot_context() {
  ImGuiContext* g = ImGui::GetCurrentContext();
  auto& table = context_table();
  auto it = table.find(g);
  if (it != table.end()) return *it->second;
  std::unique_ptr<PlotContext>& slot = table[g];
  slot = std::make_unique<PlotContext>();
  ImGuiContextHook hook;
  hook.Type = ImGuiContextHookType_Shutdown;
  hook.Callback = [](ImGuiContext* ctx, ImGuiContextHook*) { context_table().erase(ctx); };
  ImGui::AddContextHook(g, &hook);
  return *slot;
}

PlotState* plot_find(ImGuiID id) {
  if (!ImGui::GetCurrentContext()) return nullptr;
  PlotContext& c = plot_context();
  auto it = c.plots.find(id);
  return it == c.plots.end() ? nullptr : it->second.get();
}

ImGuiID hash_str(const std::string& s, ImGuiID seed = 2166136261u) {
  ImGuiID h = seed;
  for (unsigned char ch : s) h = (h ^ ch) * 16777619u;
  return h;
}

ImGuiID group_key(const Series& s, int g) { return hash_str(std::to_string(g), s.key ^ 0x9E3779B9u); }

bool is_hidden(const PlotState& p, ImGuiID key) {
  return std::find(p.hidden.begin(), p.hidden.end(), key) != p.hidden.end();
}

void toggle_hidden(PlotState& p, ImGuiID key) {
  auto it = std::find(p.hidden.begin(), p.hidden.end(), key);
  if (it == p.hidden.end()) p.hidden.push_back(key);
  else p.hidden.erase(it);
}

// Hidden flag of every group of a scatter, computed once per series (not per point).
std::vector<char> groups_hidden(const PlotState& p, const Series& s) {
  std::vector<char> out(size_t(std::max(0, s.group_count)), 0);
  if (!p.hidden.empty())
    for (int g = 0; g < s.group_count; ++g) out[size_t(g)] = is_hidden(p, group_key(s, g)) ? 1 : 0;
  return out;
}

bool group_is_hidden(const std::vector<char>& flags, int g) { return g >= 0 && g < int(flags.size()) && flags[size_t(g)]; }

std::string display_name(const char* label) {
  if (!label) return {};
  const char* hash = std::strstr(label, "##");
  return hash ? std::string(label, hash) : std::string(label);
}

Series* series_add(Kind kind, const char* label) {
  PlotContext& c = plot_context();
  PlotState* p = c.current;
  if (!p) {
    IM_ASSERT(false && "plot_*() called outside plot_begin()/plot_end()");
    c.next = {};
    return nullptr;
  }
  if (p->series_count == int(p->series.size())) p->series.emplace_back();
  Series& s = p->series[p->series_count++];
  s.kind = kind;
  s.label = label ? label : "";
  s.name = display_name(label);
  s.key = hash_str(s.label);
  s.xs.clear();
  s.ys.clear();
  s.groups.clear();
  s.group_count = 0;
  s.group_names.clear();
  s.values.clear();
  s.row_labels.clear();
  s.col_labels.clear();
  s.text.clear();
  s.histogram = false;
  s.from_double = false;
  s.radius = 0;
  s.bar_width = 0.67;
  const NextStyle& n = c.next;
  if (n.has_color) s.color = n.color;
  else if (kind == Kind::Heatmap || kind == Kind::Text) s.color = ImGui::GetColorU32(ImGuiCol_Text);
  else s.color = palette_color(p->palette_next++);
  s.weight = n.weight > 0 ? n.weight : 2.0f;
  for (int g = 0; n.group_names && g < n.group_name_count; ++g)
    s.group_names.push_back(n.group_names[g] ? n.group_names[g] : "");
  s.point_labels = n.point_labels;
  s.label_fn = n.label_fn;
  s.label_user = n.label_user;
  s.colormap = n.colormap == Colormap::Auto ? Colormap::Viridis : n.colormap;
  c.next = {};
  return &s;
}

//-----------------------------------------------------------------------------------------------
// [SECTION] Helpers: reading strided data, axes and transforms, vertex budget
//-----------------------------------------------------------------------------------------------

template <typename T>
double read_at(const T* base, int i, int stride_bytes) {
  return double(*reinterpret_cast<const T*>(reinterpret_cast<const char*>(base) + size_t(i) * size_t(stride_bytes)));
}

template <typename T>
void copy_strided(std::vector<double>& out, const T* data, int count, int stride_bytes) {
  out.resize(size_t(count));
  if (stride_bytes <= 0) stride_bytes = int(sizeof(T));
  for (int i = 0; i < count; ++i) out[size_t(i)] = read_at(data, i, stride_bytes);
}

bool usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }

// One axis: data limits and the pixel span they map to (for y, p0 is the bottom edge).
struct Axis {
  double lo = 0, hi = 1;  // data units
  bool log = false;
  double p0 = 0, p1 = 1;  // pixels
  double t(double v) const { return log ? (v > 0 ? std::log10(v) : kNaN) : v; }
  double inv(double tv) const { return log ? std::pow(10.0, tv) : tv; }
  double tlo() const { return t(lo); }
  double thi() const { return t(hi); }
  double to_px(double v) const { return p0 + (t(v) - tlo()) / (thi() - tlo()) * (p1 - p0); }
  double from_px(double px) const { return inv(tlo() + (px - p0) / (p1 - p0) * (thi() - tlo())); }
};

// Vertices this draw list can still take. With 16-bit indices and no ImDrawCmd::VtxOffset support in
// the renderer (WebGL's backend has none), one window's draw list holds at most 64K vertices; past
// that ImGui asserts and the indices wrap into garbage. Keep 4K back for the rest of the window.
int vtx_room(const ImDrawList* dl) {
  if (sizeof(ImDrawIdx) >= 4 || (dl->Flags & ImDrawListFlags_AllowVtxOffset)) return INT_MAX;
  return std::max(0, 65535 - 4096 - int(dl->_VtxCurrentIdx));
}

// Liang–Barsky: clips the segment to the rectangle; false if nothing is left.
bool clip_segment(double& x0, double& y0, double& x1, double& y1, const ImRect& r) {
  double t0 = 0, t1 = 1;
  const double dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - r.Min.x, r.Max.x - x0, y0 - r.Min.y, r.Max.y - y0};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
    } else {
      const double u = q[i] / p[i];
      if (p[i] < 0) t0 = std::max(t0, u);
      else t1 = std::min(t1, u);
    }
  }
  if (t0 > t1) return false;
  const double ax = x0 + t0 * dx, ay = y0 + t0 * dy;
  x1 = x0 + t1 * dx;
  y1 = y0 + t1 * dy;
  x0 = ax;
  y0 = ay;
  return true;
}

//-----------------------------------------------------------------------------------------------
// [SECTION] Limits: fitting data, home view, equal aspect
//-----------------------------------------------------------------------------------------------

struct Extent {
  double lo = INFINITY, hi = -INFINITY;
  std::vector<double> hard;  // extents that get no padding (a bar's base at 0, a heatmap's edge)
  void add(double v, bool log) {
    if (!usable(v, log)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool valid() const { return lo <= hi; }
  bool is_hard(double v) const { return std::find(hard.begin(), hard.end(), v) != hard.end(); }
};

void fit_series(const PlotState& p, Extent& ex, Extent& ey) {
  const bool lx = p.spec.log_x, ly = p.spec.log_y;
  for (int i = 0; i < p.series_count; ++i) {
    const Series& s = p.series[size_t(i)];
    if (!s.name.empty() && is_hidden(p, s.key)) continue;
    switch (s.kind) {
      case Kind::Line:
      case Kind::Scatter: {
        const std::vector<char> gh = groups_hidden(p, s);
        for (size_t k = 0; k < s.xs.size(); ++k) {
          if (!usable(s.xs[k], lx) || !usable(s.ys[k], ly)) continue;
          if (!s.groups.empty() && group_is_hidden(gh, s.groups[k])) continue;
          ex.add(s.xs[k], lx);
          ey.add(s.ys[k], ly);
        }
        break;
      }
      case Kind::Bars:
        for (size_t k = 0; k < s.xs.size(); ++k) {
          if (!usable(s.xs[k], lx) || !usable(s.ys[k], ly)) continue;
          ex.add(s.xs[k] - s.bar_width * 0.5, lx);
          ex.add(s.xs[k] + s.bar_width * 0.5, lx);
          ey.add(s.ys[k], ly);
          if (!ly) {
            ey.add(0.0, ly);
            ey.hard.push_back(0.0);
          }
          if (s.histogram) {
            ex.hard.push_back(s.xs[k] - s.bar_width * 0.5);
            ex.hard.push_back(s.xs[k] + s.bar_width * 0.5);
          }
        }
        break;
      case Kind::HLine:
        if (!s.ys.empty()) ey.add(s.ys[0], ly);
        break;
      case Kind::VLine:
        if (!s.xs.empty()) ex.add(s.xs[0], lx);
        break;
      case Kind::Heatmap:
        ex.add(0.0, lx), ex.add(double(s.cols), lx), ey.add(0.0, ly), ey.add(double(s.rows), ly);
        ex.hard.insert(ex.hard.end(), {0.0, double(s.cols)});
        ey.hard.insert(ey.hard.end(), {0.0, double(s.rows)});
        break;
      case Kind::Text:
        ex.add(s.xs[0], lx);
        ey.add(s.ys[0], ly);
        break;
      case Kind::Images:
        for (size_t k = 0; k < s.xs.size(); ++k)
          if (usable(s.xs[k], lx) && usable(s.ys[k], ly)) ex.add(s.xs[k], lx), ey.add(s.ys[k], ly);
        break;
    }
  }
}

// Makes [lo, hi] a finite, non-empty range that the transform and the tick maths can handle.
void range_sanitize(double& lo, double& hi, bool log) {
  if (log) {
    if (!(lo > 0) || !std::isfinite(lo)) lo = 1;
    if (!(hi > 0) || !std::isfinite(hi)) hi = lo * 10;
    lo = std::clamp(lo, 1e-300, 1e300);
    hi = std::clamp(hi, 1e-300, 1e300);
    if (hi < lo) std::swap(lo, hi);
    const double tlo = std::log10(lo), thi = std::log10(hi);
    const double min_range = std::max(1e-9, std::max(std::fabs(tlo), std::fabs(thi)) * 1e-9);
    if (thi - tlo < min_range) {
      const double c = (tlo + thi) * 0.5;
      lo = std::pow(10.0, c - 0.5);
      hi = std::pow(10.0, c + 0.5);
    }
    return;
  }
  if (!std::isfinite(lo)) lo = 0;
  if (!std::isfinite(hi)) hi = lo + 1;
  lo = std::clamp(lo, -1e300, 1e300);
  hi = std::clamp(hi, -1e300, 1e300);
  if (hi < lo) std::swap(lo, hi);
  const double mag = std::max(std::fabs(lo), std::fabs(hi));
  if (hi - lo < std::max(mag * 1e-9, 1e-300)) {
    const double d = mag > 0 ? mag * 0.1 : 0.5;
    lo -= d;
    hi += d;
  }
}

void axis_home(double spec_lo, double spec_hi, const Extent& e, bool log, double& lo, double& hi) {
  const bool fix_lo = usable(spec_lo, log), fix_hi = usable(spec_hi, log);
  lo = fix_lo ? spec_lo : (e.valid() ? e.lo : kNaN);
  hi = fix_hi ? spec_hi : (e.valid() ? e.hi : kNaN);
  if (!std::isfinite(lo) && !std::isfinite(hi)) {
    lo = log ? 1 : 0;
    hi = log ? 10 : 1;
  } else if (!std::isfinite(lo)) {
    lo = log ? hi / 10 : hi - 1;
  } else if (!std::isfinite(hi)) {
    hi = log ? lo * 10 : lo + 1;
  }
  if (!(hi > lo)) {  // one value (constant data, a single point): a range around it
    if (log) {
      if (!fix_lo) lo /= 2;
      if (!fix_hi) hi *= 2;
    } else {
      const double d = lo != 0 ? std::fabs(lo) * 0.1 : 0.5;
      if (!fix_lo) lo -= d;
      if (!fix_hi) hi += d;
    }
  }
  range_sanitize(lo, hi, log);
  // 4 % of air on data-fitted sides, none on hard ones (a bar's base, a heatmap's edge).
  Axis a{lo, hi, log};
  const double pad = (a.thi() - a.tlo()) * 0.04;
  if (!fix_lo && !e.is_hard(lo)) lo = a.inv(a.tlo() - pad);
  if (!fix_hi && !e.is_hard(hi)) hi = a.inv(a.thi() + pad);
  range_sanitize(lo, hi, log);
}

// Widens one axis so that a data unit is as long on screen in x as in y.
void equal_aspect_apply(PlotLimits& l, double w, double h) {
  if (!(w > 1) || !(h > 1)) return;
  const double ux = (l.x_max - l.x_min) / w, uy = (l.y_max - l.y_min) / h;
  if (ux < uy) {
    const double c = (l.x_min + l.x_max) * 0.5, half = uy * w * 0.5;
    l.x_min = c - half;
    l.x_max = c + half;
  } else {
    const double c = (l.y_min + l.y_max) * 0.5, half = ux * h * 0.5;
    l.y_min = c - half;
    l.y_max = c + half;
  }
}

//-----------------------------------------------------------------------------------------------
// [SECTION] Drawing series: lines, markers, bars, reference lines, heatmaps, text
//-----------------------------------------------------------------------------------------------

struct Frame {
  ImDrawList* dl = nullptr;
  ImRect area;        // the plot area (axes inside)
  Axis x, y;
  float font = 16;    // current font size: everything scales with it
  float unit = 1;     // one "pixel at scale 1"
  bool unicode = true;
  bool truncated = false;  // some geometry was skipped to stay within the vertex budget
};

void line_flush(Frame& f, ImVector<ImVec2>& path, ImU32 col, float w) {
  if (path.Size >= 2) {
    if (vtx_room(f.dl) >= path.Size * 4 + 16) f.dl->AddPolyline(path.Data, path.Size, col, 0, w);
    else f.truncated = true;
  }
  path.resize(0);
}

void draw_line(Frame& f, const Series& s, ImVector<ImVec2>& path) {
  const float w = std::max(1.0f, s.weight * f.unit);
  ImRect clip = f.area;
  clip.Expand(w + 2);
  path.resize(0);
  bool have_prev = false;
  double px = 0, py = 0;
  for (size_t i = 0; i < s.xs.size(); ++i) {
    if (!usable(s.xs[i], f.x.log) || !usable(s.ys[i], f.y.log)) {
      line_flush(f, path, s.color, w);
      have_prev = false;
      continue;
    }
    const double cx = f.x.to_px(s.xs[i]), cy = f.y.to_px(s.ys[i]);
    if (!have_prev) {
      px = cx, py = cy;
      have_prev = true;
      if (s.xs.size() == 1 || (i + 1 < s.xs.size() && !(usable(s.xs[i + 1], f.x.log) && usable(s.ys[i + 1], f.y.log)))) {
        if (clip.Contains(ImVec2(float(cx), float(cy))))  // an isolated point: show it as a dot
          f.dl->AddCircleFilled(ImVec2(float(cx), float(cy)), w * 1.2f, s.color, 8);
      }
      continue;
    }
    double x0 = px, y0 = py, x1 = cx, y1 = cy;
    if (!clip_segment(x0, y0, x1, y1, clip)) {
      px = cx, py = cy;
      line_flush(f, path, s.color, w);
      continue;
    }
    const bool start_clipped = x0 != px || y0 != py;  // the segment enters the area: a new piece
    px = cx, py = cy;
    const ImVec2 a(static_cast<float>(x0), static_cast<float>(y0)), b(static_cast<float>(x1), static_cast<float>(y1));
    if (path.Size == 0 || start_clipped) {
      line_flush(f, path, s.color, w);
      path.push_back(a);
    }
    // Dense data: a point less than a pixel from the last one adds nothing visible, only vertices.
    const bool last = i + 1 == s.xs.size();
    if (path.Size < 2 || last || x1 != cx || y1 != cy || std::fabs(b.x - path.back().x) + std::fabs(b.y - path.back().y) >= 0.75f)
      path.push_back(b);
    if (x1 != cx || y1 != cy || path.Size >= 4000) {  // left the area, or a long run: emit it
      line_flush(f, path, s.color, w);
      if (x1 == cx && y1 == cy) path.push_back(b);
    }
  }
  line_flush(f, path, s.color, w);
}

float marker_radius_px(const Frame& f, const Series& s) {
  const float r = s.radius > 0 ? s.radius : (s.xs.size() > 5000 ? 2.0f : s.xs.size() > 500 ? 2.6f : 3.5f);
  return std::max(1.0f, r * f.unit);
}

ImU32 point_color(const Series& s, const std::vector<char>& gh, const ImU32* palette, size_t i, bool& hidden) {
  hidden = false;
  if (s.groups.empty()) return s.color;
  const int g = s.groups[i];
  if (g < 0) return plot_colors().no_group;
  hidden = group_is_hidden(gh, g);
  return s.name.empty() && s.group_count <= 1 ? s.color : palette[g % kPaletteSize];
}

// Marker shapes, so the classes of a scatter differ without colour: group g gets shape g % kShapes
// (circle, square, triangle up, diamond, triangle down, triangle right, pentagon, triangle left).
// All convex, so one fan fills each. n = 0: a circle with as many sides as its size needs.
struct MarkerShape {
  int n;          // polygon sides (0 = circle)
  float angle;    // of the first vertex, radians (screen y grows downwards)
  float scale;    // relative to the radius, so every shape covers about the same area
};
constexpr MarkerShape kShapes[] = {{0, 0.0f, 1.0f},      {4, 0.25f * IM_PI, 1.2f}, {3, -0.5f * IM_PI, 1.35f},
                                   {4, 0.0f, 1.3f},      {3, 0.5f * IM_PI, 1.35f}, {3, 0.0f, 1.35f},
                                   {5, -0.5f * IM_PI, 1.15f}, {3, IM_PI, 1.35f}};
constexpr int kShapeCount = int(sizeof kShapes / sizeof kShapes[0]);

int marker_shape(const Series& s, int group) {
  return s.groups.empty() || s.group_count <= 1 || group < 0 ? 0 : group % kShapeCount;
}

// One marker (legend, tooltip): filled, or outlined when its series is hidden.
void shape_draw(ImDrawList* dl, ImVec2 c, float r, int shape, ImU32 col, bool filled, float thickness) {
  const MarkerShape& m = kShapes[((shape % kShapeCount) + kShapeCount) % kShapeCount];
  if (m.n == 0) {
    if (filled) dl->AddCircleFilled(c, r, col, 12);
    else dl->AddCircle(c, r, col, 12, thickness);
    return;
  }
  ImVec2 pts[8];
  for (int k = 0; k < m.n; ++k) {
    const float a = m.angle + 2.0f * IM_PI * float(k) / float(m.n);
    pts[k] = ImVec2(c.x + std::cos(a) * r * m.scale, c.y + std::sin(a) * r * m.scale);
  }
  if (filled) dl->AddConvexPolyFilled(pts, m.n, col);
  else dl->AddPolyline(pts, m.n, col, ImDrawFlags_Closed, thickness);
}

// Filled circles written straight into the vertex buffer (one fan + an anti-aliased fringe each),
// in chunks so a renderer with VtxOffset support can split the mesh. Far cheaper than 20K calls to
// AddCircleFilled, which rebuilds a path per marker.
void draw_markers(Frame& f, const PlotState& p, const Series& s, std::vector<Mark>& marks) {
  marks.clear();
  const float r = marker_radius_px(f, s);
  ImRect clip = f.area;
  clip.Expand(r + 1);
  const float alpha = s.xs.size() > 300 ? 0.8f : 1.0f;
  const std::vector<char> gh = groups_hidden(p, s);
  ImU32 palette[kPaletteSize];
  for (int k = 0; k < kPaletteSize; ++k) palette[k] = palette_color(k);
  for (size_t i = 0; i < s.xs.size(); ++i) {
    if (!usable(s.xs[i], f.x.log) || !usable(s.ys[i], f.y.log)) continue;
    const double x = f.x.to_px(s.xs[i]), y = f.y.to_px(s.ys[i]);
    if (x < clip.Min.x || x > clip.Max.x || y < clip.Min.y || y > clip.Max.y) continue;
    bool hidden = false;
    ImU32 col = point_color(s, gh, palette, i, hidden);
    if (hidden) continue;
    if (alpha < 1) col = (col & ~IM_COL32_A_MASK) | (ImU32(((col >> IM_COL32_A_SHIFT) & 0xFF) * alpha) << IM_COL32_A_SHIFT);
    marks.push_back({ImVec2(float(x), float(y)), col, marker_shape(s, s.groups.empty() ? -1 : s.groups[i])});
  }
  if (marks.empty()) return;
  const int n_circle = r * 2 < 6 ? 6 : (r < 6 ? 8 : 12);
  // Above 2,000 markers, no anti-aliased fringe: in a cloud that dense it does not show, and it is
  // two thirds of the vertices. Without a GPU (SwiftShader) that took a 10,000-point t-SNE frame
  // from 200 ms to 80 ms.
  bool aa = (f.dl->Flags & ImDrawListFlags_AntiAliasedFill) != 0 && marks.size() <= 2000;
  int stride = 1;
  const int room = vtx_room(f.dl);
  bool squares = false;  // over the vertex budget: every marker a 4-vertex diamond
  if (room != INT_MAX && int(marks.size()) * (aa ? 2 * n_circle : n_circle) > room) {
    squares = true, aa = false;
    if (int(marks.size()) * 4 > room) {
      stride = int(marks.size() * 4 / std::max(1, room)) + 1;
      f.truncated = true;
    }
  }
  // Unit polygons per shape: sides, and cos/sin of each vertex times the shape's scale.
  struct Poly { int n; float cs[12], sn[12]; };
  Poly polys[kShapeCount];
  for (int k = 0; k < kShapeCount; ++k) {
    const MarkerShape& ms = kShapes[k];
    Poly& pg = polys[k];
    pg.n = squares ? 4 : (ms.n == 0 ? n_circle : ms.n);
    const float a0 = squares ? 0.0f : (ms.n == 0 ? 0.5f * IM_PI / float(pg.n) : ms.angle);
    const float sc = squares ? 1.0f : ms.scale;
    for (int v = 0; v < pg.n; ++v) {
      const float a = a0 + 2.0f * IM_PI * float(v) / float(pg.n);
      pg.cs[v] = std::cos(a) * sc;
      pg.sn[v] = std::sin(a) * sc;
    }
  }
  const int n_max = squares ? 4 : std::max(n_circle, 5);
  const int vpp = aa ? 2 * n_max : n_max, ipp = 3 * (n_max - 2) + (aa ? 6 * n_max : 0);
  const float fringe = f.dl->_FringeScale;
  const float r_in = aa ? r - fringe * 0.5f : r, r_out = r + fringe * 0.5f;
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  const int chunk = 2048;
  for (size_t start = 0; start < marks.size(); start += size_t(chunk) * size_t(stride)) {
    const size_t end = std::min(marks.size(), start + size_t(chunk) * size_t(stride));
    const int pts = int((end - start + size_t(stride) - 1) / size_t(stride));
    f.dl->PrimReserve(pts * ipp, pts * vpp);
    int vtx_used = 0, idx_used = 0;
    for (size_t i = start; i < end; i += size_t(stride)) {
      const Mark& m = marks[i];
      const Poly& pg = polys[m.shape];
      const int n = pg.n;
      const float* cs = pg.cs;
      const float* sn = pg.sn;
      vtx_used += aa ? 2 * n : n;
      idx_used += 3 * (n - 2) + (aa ? 6 * n : 0);
      const ImDrawIdx base = ImDrawIdx(f.dl->_VtxCurrentIdx);
      if (aa) {
        const ImU32 trans = m.col & ~IM_COL32_A_MASK;
        for (int k = 0; k < n; ++k) {
          f.dl->PrimWriteVtx(ImVec2(m.pos.x + cs[k] * r_in, m.pos.y + sn[k] * r_in), uv, m.col);
          f.dl->PrimWriteVtx(ImVec2(m.pos.x + cs[k] * r_out, m.pos.y + sn[k] * r_out), uv, trans);
        }
        for (int k = 2; k < n; ++k) {
          f.dl->PrimWriteIdx(base);
          f.dl->PrimWriteIdx(ImDrawIdx(base + 2 * (k - 1)));
          f.dl->PrimWriteIdx(ImDrawIdx(base + 2 * k));
        }
        for (int k0 = n - 1, k1 = 0; k1 < n; k0 = k1++) {
          f.dl->PrimWriteIdx(ImDrawIdx(base + 2 * k1));
          f.dl->PrimWriteIdx(ImDrawIdx(base + 2 * k0));
          f.dl->PrimWriteIdx(ImDrawIdx(base + 2 * k0 + 1));
          f.dl->PrimWriteIdx(ImDrawIdx(base + 2 * k0 + 1));
          f.dl->PrimWriteIdx(ImDrawIdx(base + 2 * k1 + 1));
          f.dl->PrimWriteIdx(ImDrawIdx(base + 2 * k1));
        }
      } else {
        for (int k = 0; k < n; ++k) f.dl->PrimWriteVtx(ImVec2(m.pos.x + cs[k] * r, m.pos.y + sn[k] * r), uv, m.col);
        for (int k = 2; k < n; ++k) {
          f.dl->PrimWriteIdx(base);
          f.dl->PrimWriteIdx(ImDrawIdx(base + k - 1));
          f.dl->PrimWriteIdx(ImDrawIdx(base + k));
        }
      }
    }
    // Shapes with fewer sides than the largest used less than was reserved.
    f.dl->PrimUnreserve(pts * ipp - idx_used, pts * vpp - vtx_used);
  }
}

ImRect bar_rect(const Frame& f, const Series& s, size_t i) {
  const double base = f.y.log ? f.y.lo : 0.0;
  double x0 = f.x.to_px(s.xs[i] - s.bar_width * 0.5), x1 = f.x.to_px(s.xs[i] + s.bar_width * 0.5);
  double y0 = f.y.to_px(base), y1 = f.y.to_px(s.ys[i]);
  if (!std::isfinite(x0)) x0 = f.x.p0;  // log x: a bar reaching below 0
  const double lim = 1e6;  // keep far-away edges finite and float-safe; the clip rect trims them
  auto c = [&](double v) { return float(std::clamp(v, -lim, lim)); };
  return ImRect(ImVec2(c(std::min(x0, x1)), c(std::min(y0, y1))), ImVec2(c(std::max(x0, x1)), c(std::max(y0, y1))));
}

void draw_bars(Frame& f, const Series& s) {
  const ImU32 sep = plot_colors().bar_gap;
  for (size_t i = 0; i < s.xs.size(); ++i) {
    if (!usable(s.xs[i], f.x.log) || !usable(s.ys[i], f.y.log)) continue;
    const ImRect r = bar_rect(f, s, i);
    if (!r.Overlaps(f.area)) continue;
    if (vtx_room(f.dl) < 16) {
      f.truncated = true;
      return;
    }
    f.dl->AddRectFilled(r.Min, r.Max, s.color);
    if (s.histogram && r.GetWidth() > 4) f.dl->AddRect(r.Min, r.Max, sep, 0, 0, 1.0f);
  }
}

void draw_dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float w, float dash, float gap) {
  const float len = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
  if (!(len > 0)) return;
  const ImVec2 d((b.x - a.x) / len, (b.y - a.y) / len);
  for (float t = 0; t < len; t += dash + gap) {
    const float t1 = std::min(len, t + dash);
    dl->AddLine(ImVec2(a.x + d.x * t, a.y + d.y * t), ImVec2(a.x + d.x * t1, a.y + d.y * t1), col, w);
  }
}

void draw_ref_line(Frame& f, const Series& s) {
  const float w = std::max(1.0f, s.weight * f.unit * 0.75f);
  if (s.kind == Kind::HLine) {
    if (!usable(s.ys[0], f.y.log)) return;
    const float y = float(f.y.to_px(s.ys[0]));
    if (y < f.area.Min.y - w || y > f.area.Max.y + w) return;
    draw_dashed(f.dl, ImVec2(f.area.Min.x, y), ImVec2(f.area.Max.x, y), s.color, w, 7 * f.unit, 4 * f.unit);
  } else {
    if (!usable(s.xs[0], f.x.log)) return;
    const float x = float(f.x.to_px(s.xs[0]));
    if (x < f.area.Min.x - w || x > f.area.Max.x + w) return;
    draw_dashed(f.dl, ImVec2(x, f.area.Max.y), ImVec2(x, f.area.Min.y), s.color, w, 7 * f.unit, 4 * f.unit);
  }
}

float heat_t(const Series& s, double v) {
  return std::isfinite(v) ? float((v - s.v_min) / (s.v_max - s.v_min)) : NAN;
}

void draw_heatmap(Frame& f, const Series& s) {
  if (s.rows <= 0 || s.cols <= 0) return;
  // More cells than pixels: draw every k-th (nearest sample) so the cost follows the screen.
  const double cell_w = std::fabs(f.x.to_px(1) - f.x.to_px(0)), cell_h = std::fabs(f.y.to_px(1) - f.y.to_px(0));
  const int step_c = cell_w >= 1 || !std::isfinite(cell_w) ? 1 : int(1.0 / std::max(cell_w, 1e-3));
  const int step_r = cell_h >= 1 || !std::isfinite(cell_h) ? 1 : int(1.0 / std::max(cell_h, 1e-3));
  const bool show_values = cell_w > f.font * 2.6 && cell_h > f.font * 1.3;
  char buf[64];
  for (int r = 0; r < s.rows; r += step_r) {
    if (vtx_room(f.dl) < s.cols * 4 + 16) {
      f.truncated = true;
      return;
    }
    for (int c = 0; c < s.cols; c += step_c) {
      const double v = s.values[size_t(r) * size_t(s.cols) + size_t(c)];
      const double y_top = double(s.rows - r), y_bot = double(s.rows - std::min(s.rows, r + step_r));
      ImVec2 a(float(std::clamp(f.x.to_px(c), -1e6, 1e6)), float(std::clamp(f.y.to_px(y_top), -1e6, 1e6)));
      ImVec2 b(float(std::clamp(f.x.to_px(std::min(s.cols, c + step_c)), -1e6, 1e6)), float(std::clamp(f.y.to_px(y_bot), -1e6, 1e6)));
      const ImRect cell(ImMin(a, b), ImMax(a, b));
      if (!cell.Overlaps(f.area)) continue;
      const ImU32 col = colormap_sample(s.colormap, heat_t(s, v));
      f.dl->AddRectFilled(cell.Min, cell.Max, col);
      if (show_values) {
        std::snprintf(buf, sizeof buf, "%s", plot_value_format(v, 3, f.unicode).c_str());
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        if (ts.x < cell.GetWidth() - 4)
          f.dl->AddText(ImVec2(cell.GetCenter().x - ts.x * 0.5f, cell.GetCenter().y - ts.y * 0.5f), color_text_on(col), buf);
      }
    }
  }
}

void draw_text(Frame& f, const Series& s) {
  if (!usable(s.xs[0], f.x.log) || !usable(s.ys[0], f.y.log)) return;
  const ImVec2 ts = ImGui::CalcTextSize(s.text.c_str());
  const ImVec2 p(float(f.x.to_px(s.xs[0])), float(f.y.to_px(s.ys[0])));
  if (!f.area.Contains(p)) return;
  f.dl->AddText(ImVec2(p.x - ts.x * 0.5f, p.y - ts.y * 0.5f), s.color, s.text.c_str());
}

// Images at their points, in submission order, each only where no earlier one was drawn (a grid of
// image-sized cells), so a dense cloud shows one readable picture per place, as van der Maaten's maps do.
void draw_images(Frame& f, const Series& s) {
  const float side = s.image_px * ImGui::GetFontSize() / 13.0f;
  if (side < 2 || !s.texture) return;
  const int cols = std::max(1, int(f.area.GetWidth() / side) + 1), rows = std::max(1, int(f.area.GetHeight() / side) + 1);
  std::vector<char> taken(size_t(cols) * size_t(rows), 0);
  const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);  // the images' alpha is their ink: readable in either theme
  for (size_t k = 0; k < s.xs.size() && 4 * k + 3 < s.uvs.size(); ++k) {
    if (!usable(s.xs[k], f.x.log) || !usable(s.ys[k], f.y.log)) continue;
    const ImVec2 p(float(f.x.to_px(s.xs[k])), float(f.y.to_px(s.ys[k])));
    if (!f.area.Contains(p)) continue;
    const int cx = int((p.x - f.area.Min.x) / side), cy = int((p.y - f.area.Min.y) / side);
    char& cell = taken[size_t(cy) * size_t(cols) + size_t(cx)];
    if (cell) continue;
    cell = 1;
    const float* uv = &s.uvs[4 * k];
    f.dl->AddImage(s.texture, ImVec2(p.x - side * 0.5f, p.y - side * 0.5f), ImVec2(p.x + side * 0.5f, p.y + side * 0.5f),
                   ImVec2(uv[0], uv[1]), ImVec2(uv[2], uv[3]), ink);
  }
}

//-----------------------------------------------------------------------------------------------
// [SECTION] Layout and decorations: ticks, legend, colour bar, labels
//-----------------------------------------------------------------------------------------------

// Ticks for one axis whose pixel length is `pixels`. Labels must not overlap: x labels need their
// width plus a gap, y labels a line and a half.
std::vector<PlotTick> axis_ticks(const Axis& a, double pixels, bool is_x, const Frame& f) {
  const double spacing = is_x ? f.font * 5.0 : f.font * 2.2;
  int max_ticks = std::max(2, int(pixels / spacing));
  std::vector<PlotTick> ticks;
  for (int attempt = 0; attempt < 4; ++attempt) {
    ticks = a.log ? plot_ticks_log(a.lo, a.hi, max_ticks, f.unicode) : plot_ticks_linear(a.lo, a.hi, max_ticks, f.unicode);
    if (!is_x) break;
    float widest = 0;
    int labelled = 0;
    for (const PlotTick& t : ticks)
      if (!t.label.empty()) widest = std::max(widest, ImGui::CalcTextSize(t.label.c_str()).x), ++labelled;
    if (labelled <= 2 || (widest + f.font * 1.2f) * float(labelled) <= float(pixels)) break;
    max_ticks = std::max(2, int(pixels / (widest + f.font * 1.2f)));
  }
  return ticks;
}

// Category ticks (bar names, heatmap rows / columns) at given positions, thinned to every k-th label
// when they would overlap.
std::vector<PlotTick> category_ticks(const std::vector<std::pair<double, std::string>>& cats, const Axis& a,
                                     double pixels, bool is_x, const Frame& f, bool* stagger = nullptr) {
  std::vector<PlotTick> ticks;
  std::vector<size_t> inside;
  float widest = 0;
  for (size_t i = 0; i < cats.size(); ++i) {
    if (cats[i].first < std::min(a.lo, a.hi) || cats[i].first > std::max(a.lo, a.hi)) continue;
    inside.push_back(i);
    widest = std::max(widest, ImGui::CalcTextSize(cats[i].second.c_str()).x);
  }
  double need = is_x ? widest + f.font * 0.4 : f.font * 1.3;
  if (stagger) {  // x labels on two alternating lines before dropping any
    *stagger = is_x && double(inside.size()) * need > pixels && double(inside.size()) * need * 0.5 <= pixels;
    if (*stagger) need *= 0.5;
  }
  int k = 1;
  static const int kSteps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};
  for (int s : kSteps) {
    k = s;
    if (double(inside.size()) / s * need <= pixels) break;
  }
  for (size_t j = 0; j < inside.size(); ++j) {
    const size_t i = inside[j];
    if (i % size_t(k) == 0) ticks.push_back({cats[i].first, cats[i].second, true});
  }
  return ticks;
}

// Text rotated 90° counter-clockwise (reads bottom to top), centred on `center`: the vertices
// AddText just wrote are turned in place, the usual ImGui idiom for rotated text.
void add_text_vertical(ImDrawList* dl, ImVec2 center, ImU32 col, const char* text) {
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const int first = dl->VtxBuffer.Size;
  // ImGui culls glyphs outside the clip rect before we get to rotate them: lay out unclipped,
  // then give the rotated text the clip rect it would have had (else it shows outside the panel).
  const ImVec4 clip = dl->_CmdHeader.ClipRect;
  dl->PushClipRect(ImVec2(-1e7f, -1e7f), ImVec2(1e7f, 1e7f), false);
  dl->AddText(ImVec2(center.x - ts.x * 0.5f, center.y - ts.y * 0.5f), col, text);
  dl->PopClipRect();
  for (int i = first; i < dl->VtxBuffer.Size; ++i) {
    ImVec2& p = dl->VtxBuffer[i].pos;
    const float dx = p.x - center.x, dy = p.y - center.y;
    p = ImVec2(center.x + dy, center.y - dx);
  }
  for (ImDrawCmd& cmd : dl->CmdBuffer)
    if (cmd.ClipRect.x <= -1e7f + 1 && cmd.ClipRect.z >= 1e7f - 1) cmd.ClipRect = clip;
}

struct LegendEntry {
  int series = -1;
  int group = -1;
  std::string text;
  ImU32 color = 0;
  int shape = 0;  // scatter: the group's marker shape
  Kind kind = Kind::Line;
  ImGuiID key = 0;
  bool hidden = false;
  ImRect rect;  // on screen, set by legend_layout
};

std::vector<LegendEntry> legend_entries(const PlotState& p) {
  std::vector<LegendEntry> out;
  for (int i = 0; i < p.series_count; ++i) {
    const Series& s = p.series[size_t(i)];
    if (s.kind == Kind::Heatmap || s.kind == Kind::Text) continue;
    if (s.kind == Kind::Scatter && !s.groups.empty() && s.group_count > 1 && s.group_count <= 40) {
      for (int g = 0; g < s.group_count; ++g) {
        LegendEntry e;
        e.series = i;
        e.group = g;
        if (g < int(s.group_names.size()) && !s.group_names[size_t(g)].empty()) e.text = s.group_names[size_t(g)];
        else e.text = s.name.empty() ? std::to_string(g) : s.name + " " + std::to_string(g);
        e.color = palette_color(g);
        e.shape = marker_shape(s, g);
        e.kind = Kind::Scatter;
        e.key = group_key(s, g);
        e.hidden = is_hidden(p, e.key);
        out.push_back(std::move(e));
      }
      continue;
    }
    if (s.name.empty()) continue;
    LegendEntry e;
    e.series = i;
    e.text = s.name;
    e.color = s.color;
    e.kind = s.kind;
    e.key = s.key;
    e.hidden = is_hidden(p, s.key);
    out.push_back(std::move(e));
  }
  return out;
}

ImVec2 legend_size(const std::vector<LegendEntry>& entries, const Frame& f) {
  float w = 0;
  for (const LegendEntry& e : entries) w = std::max(w, ImGui::CalcTextSize(e.text.c_str()).x);
  const float pad = f.font * 0.4f;
  return ImVec2(pad * 2 + f.font * 1.6f + pad + w, pad * 2 + float(entries.size()) * f.font * 1.25f);
}

void legend_layout(std::vector<LegendEntry>& entries, ImVec2 origin, ImVec2 size, const Frame& f) {
  const float pad = f.font * 0.4f, row = f.font * 1.25f;
  for (size_t i = 0; i < entries.size(); ++i) {
    const ImVec2 a(origin.x + pad * 0.5f, origin.y + pad + float(i) * row);
    entries[i].rect = ImRect(a, ImVec2(origin.x + size.x - pad * 0.5f, a.y + row));
  }
}

void legend_draw(const std::vector<LegendEntry>& entries, ImVec2 origin, ImVec2 size, const Frame& f, ImVec2 mouse, bool mouse_ok) {
  if (entries.empty()) return;
  ImDrawList* dl = f.dl;
  const float pad = f.font * 0.4f;
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), plot_colors().legend_bg, f.font * 0.25f);
  dl->AddRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), plot_colors().legend_border, f.font * 0.25f);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (const LegendEntry& e : entries) {
    if (mouse_ok && e.rect.Contains(mouse)) dl->AddRectFilled(e.rect.Min, e.rect.Max, ImGui::GetColorU32(ImGuiCol_HeaderHovered), f.font * 0.2f);
    const float cy = e.rect.GetCenter().y;
    const float sx0 = e.rect.Min.x + pad * 0.5f, sx1 = sx0 + f.font * 1.6f;
    const ImU32 col = e.hidden ? muted : e.color;
    switch (e.kind) {
      case Kind::Scatter:
        shape_draw(dl, ImVec2((sx0 + sx1) * 0.5f, cy), f.font * 0.3f, e.shape, col, !e.hidden, 1.5f * f.unit);
        break;
      case Kind::Bars:
        if (e.hidden) dl->AddRect(ImVec2(sx0 + f.font * 0.3f, cy - f.font * 0.3f), ImVec2(sx1 - f.font * 0.3f, cy + f.font * 0.3f), col);
        else dl->AddRectFilled(ImVec2(sx0 + f.font * 0.3f, cy - f.font * 0.3f), ImVec2(sx1 - f.font * 0.3f, cy + f.font * 0.3f), col);
        break;
      case Kind::HLine:
      case Kind::VLine:
        draw_dashed(dl, ImVec2(sx0, cy), ImVec2(sx1, cy), col, 2 * f.unit, 5 * f.unit, 3 * f.unit);
        break;
      default:
        dl->AddLine(ImVec2(sx0, cy), ImVec2(sx1, cy), col, (e.hidden ? 1.0f : 2.5f) * f.unit);
        break;
    }
    dl->AddText(ImVec2(sx1 + pad, cy - f.font * 0.5f), e.hidden ? muted : text, e.text.c_str());
  }
}

const Series* first_heatmap(const PlotState& p) {
  for (int i = 0; i < p.series_count; ++i)
    if (p.series[size_t(i)].kind == Kind::Heatmap) return &p.series[size_t(i)];
  return nullptr;
}

void colorbar_draw(const Series& s, ImRect bar, const Frame& f) {
  ImDrawList* dl = f.dl;
  const int slices = 48;
  for (int i = 0; i < slices; ++i) {
    const float t0 = float(i) / slices, t1 = float(i + 1) / slices;
    const float y0 = bar.Max.y - t0 * bar.GetHeight(), y1 = bar.Max.y - t1 * bar.GetHeight();
    const ImU32 c0 = colormap_sample(s.colormap, t0), c1 = colormap_sample(s.colormap, t1);
    dl->AddRectFilledMultiColor(ImVec2(bar.Min.x, y1), ImVec2(bar.Max.x, y0), c1, c1, c0, c0);
  }
  dl->AddRect(bar.Min, bar.Max, plot_colors().frame);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const int max_ticks = std::max(2, int(bar.GetHeight() / (f.font * 2.2f)));
  for (const PlotTick& t : plot_ticks_linear(s.v_min, s.v_max, max_ticks, f.unicode)) {
    const float y = bar.Max.y - float((t.value - s.v_min) / (s.v_max - s.v_min)) * bar.GetHeight();
    dl->AddLine(ImVec2(bar.Max.x, y), ImVec2(bar.Max.x + f.font * 0.25f, y), text);
    dl->AddText(ImVec2(bar.Max.x + f.font * 0.35f, y - f.font * 0.5f), text, t.label.c_str());
  }
}

float colorbar_width(const Series& s, const Frame& f, float height) {
  float w = 0;
  const int max_ticks = std::max(2, int(height / (f.font * 2.2f)));
  for (const PlotTick& t : plot_ticks_linear(s.v_min, s.v_max, max_ticks, f.unicode))
    w = std::max(w, ImGui::CalcTextSize(t.label.c_str()).x);
  return f.font * 0.8f + f.font * 0.9f + f.font * 0.35f + w;
}

std::string axis_name(const std::string& label, const char* fallback) {
  return label.empty() ? fallback : label;
}

void tooltip_show(const PlotState& p, const Frame& f) {
  const PlotHover& h = p.hover;
  const Series* sp = h.series_index >= 0 && h.series_index < p.series_count ? &p.series[size_t(h.series_index)] : nullptr;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(f.font * 22);
  if (sp && sp->kind == Kind::Heatmap) {
    const int r = int(h.y), c = int(h.x);
    const std::string rn = r < int(sp->row_labels.size()) ? sp->row_labels[size_t(r)] : "row " + std::to_string(r);
    const std::string cn = c < int(sp->col_labels.size()) ? sp->col_labels[size_t(c)] : "column " + std::to_string(c);
    if (!sp->name.empty()) ImGui::TextUnformatted(sp->name.c_str());
    ImGui::Text("%s, %s", rn.c_str(), cn.c_str());
    ImGui::Text("value = %s", plot_value_format(sp->values[size_t(h.index)], 4, f.unicode).c_str());
  } else if (sp) {
    const ImU32 col = h.group >= 0 ? palette_color(h.group) : sp->color;
    const ImVec2 c = ImGui::GetCursorScreenPos();
    shape_draw(ImGui::GetWindowDrawList(), ImVec2(c.x + f.font * 0.4f, c.y + f.font * 0.55f), f.font * 0.32f,
               sp->kind == Kind::Scatter ? marker_shape(*sp, h.group) : 0, col, true, 1.0f);
    ImGui::Dummy(ImVec2(f.font * 0.9f, f.font));
    ImGui::SameLine();
    std::string title = sp->name;
    if (h.group >= 0) {
      const std::string g = h.group < int(sp->group_names.size()) ? sp->group_names[size_t(h.group)] : std::to_string(h.group);
      title = title.empty() ? "group " + g : title + " · " + g;
    }
    ImGui::TextUnformatted(title.empty() ? "point" : title.c_str());
    char buf[256] = "";
    if (sp->label_fn) sp->label_fn(h.index, buf, int(sizeof buf), sp->label_user);
    else if (sp->point_labels && sp->point_labels[h.index]) std::snprintf(buf, sizeof buf, "%s", sp->point_labels[h.index]);
    if (buf[0]) ImGui::TextUnformatted(buf);
    if (sp->histogram) {
      const double a = h.x - sp->bar_width * 0.5, b = h.x + sp->bar_width * 0.5;
      ImGui::Text("[%s, %s): %s", plot_value_format(a, 4, f.unicode).c_str(), plot_value_format(b, 4, f.unicode).c_str(),
                  plot_value_format(h.y, 6, f.unicode).c_str());
    } else {
      ImGui::Text("%s = %s", axis_name(p.x_label, "x").c_str(), plot_value_format(h.x, 5, f.unicode).c_str());
      ImGui::Text("%s = %s", axis_name(p.y_label, "y").c_str(), plot_value_format(h.y, 5, f.unicode).c_str());
    }
  }
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// Nearest point (in pixels) under the mouse, within a small radius; bars and heatmap cells when the
// mouse is inside them.
PlotHover hover_find(const PlotState& p, const Frame& f, ImVec2 m) {
  PlotHover best;
  double best_d2 = double(f.font) * double(f.font) * 0.8;
  for (int si = 0; si < p.series_count; ++si) {
    const Series& s = p.series[size_t(si)];
    if (!s.name.empty() && is_hidden(p, s.key)) continue;
    const std::string& sname = s.name.empty() ? s.label : s.name;
    if (s.kind == Kind::Line || s.kind == Kind::Scatter) {
      const double extra = s.kind == Kind::Scatter ? double(marker_radius_px(f, s)) : 0.0;
      const std::vector<char> gh = groups_hidden(p, s);
      for (size_t i = 0; i < s.xs.size(); ++i) {
        if (!usable(s.xs[i], f.x.log) || !usable(s.ys[i], f.y.log)) continue;
        const double dx = f.x.to_px(s.xs[i]) - m.x, dy = f.y.to_px(s.ys[i]) - m.y;
        const double d2 = dx * dx + dy * dy - extra * extra;
        if (d2 >= best_d2) continue;
        const int g = s.groups.empty() ? -1 : s.groups[i];
        if (group_is_hidden(gh, g)) continue;
        best_d2 = d2;
        best = {true, sname, si, int(i), g, s.xs[i], s.ys[i]};
      }
    } else if (s.kind == Kind::Bars) {
      for (size_t i = 0; i < s.xs.size(); ++i) {
        if (!usable(s.xs[i], f.x.log) || !usable(s.ys[i], f.y.log)) continue;
        if (bar_rect(f, s, i).Contains(m)) {
          best_d2 = 0;
          best = {true, sname, si, int(i), -1, s.xs[i], s.ys[i]};
        }
      }
    }
  }
  if (best.active) return best;
  if (const Series* h = first_heatmap(p)) {
    const double x = f.x.from_px(m.x), y = f.y.from_px(m.y);
    const int c = int(std::floor(x)), r = h->rows - 1 - int(std::floor(y));
    if (std::isfinite(x) && std::isfinite(y) && x >= 0 && y >= 0 && c >= 0 && c < h->cols && r >= 0 && r < h->rows)
      best = {true, h->name.empty() ? h->label : h->name, int(h - p.series.data()), r * h->cols + c, -1, double(c), double(r)};
  }
  return best;
}

void csv_number(std::string& out, double v, bool from_double) {
  if (std::isnan(v)) out += "NaN";
  else if (std::isinf(v)) out += v > 0 ? "inf" : "-inf";
  else {
    char buf[40];
    std::snprintf(buf, sizeof buf, from_double ? "%.17g" : "%.9g", v);
    out += buf;
  }
}

}  // namespace

void csv_field(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

//-----------------------------------------------------------------------------------------------
// [SECTION] Public API: begin / series / end / queries / CSV
//-----------------------------------------------------------------------------------------------

bool plot_begin(const char* id, const PlotSpec& spec, ImVec2 size) {
  PlotContext& c = plot_context();
  if (c.current) {
    IM_ASSERT(false && "plot_begin() inside another plot: call plot_end() first");
    return false;
  }
  const ImGuiID gid = ImGui::GetID(id);
  std::unique_ptr<PlotState>& slot = c.plots[gid];
  if (!slot) {
    slot = std::make_unique<PlotState>();
    slot->id = gid;
  }
  PlotState& p = *slot;
  const int frame = ImGui::GetFrameCount();
  if (c.log_frame != frame) {
    c.log_frame = frame;
    c.log.clear();
  }
  c.log.push_back(gid);
  // Plots not drawn for a while (another lesson step) give their data back, keeping view state.
  if (frame % 120 == 0)
    for (auto& [key, other] : c.plots)
      if (other->last_frame < frame - 600 && !other->series.empty()) {
        other->series = {};
        other->series_count = 0;
      }

  const float font = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  float w = size.x > 0 ? size.x : (size.x < 0 ? avail.x + size.x : avail.x);
  w = std::max(w, font * 10);
  // Auto height follows the width only: tied to the visible region it would change while scrolling.
  float h = size.y > 0 ? size.y : (size.y < 0 ? avail.y + size.y : std::min(w * 0.62f, font * 30));
  h = std::max(h, font * 8);
  p.pos = ImGui::GetCursorScreenPos();
  p.size = ImVec2(std::floor(w), std::floor(h));
  p.offscreen = !ImGui::IsRectVisible(p.size);
  if (p.offscreen) {
    ImGui::Dummy(p.size);
    // Out of view a plot is not drawn, but 4 times a second (at 60 fps) it takes its data anyway, so
    // its text alternative (plot_describe, read by the page's accessible mirror) follows the block
    // while it is scrolled away. plot_end() then only stores the data.
    if (frame % 15 != 0) return false;
  }
  p.id_str = id;
  p.spec = spec;
  p.title = spec.title ? spec.title : "";
  p.x_label = spec.x_label ? spec.x_label : "";
  p.y_label = spec.y_label ? spec.y_label : "";
  p.spec.title = p.spec.x_label = p.spec.y_label = nullptr;
  p.spec.x_tick_labels = nullptr;  // read in plot_end from `spec` copy below
  p.series_count = 0;
  p.palette_next = 0;
  p.hover = {};
  p.last_frame = frame;
  c.current = &p;
  c.next = {};
  // Categorical x labels become a hidden pseudo-series so they outlive the caller's array.
  if (spec.x_tick_labels && spec.x_tick_count > 0) {
    Series* s = series_add(Kind::Text, "##x_tick_labels");
    p.palette_next = 0;
    s->xs = {kNaN};
    s->ys = {kNaN};
    for (int i = 0; i < spec.x_tick_count; ++i) s->col_labels.push_back(spec.x_tick_labels[i] ? spec.x_tick_labels[i] : "");
  }
  return true;
}

void plot_end() {
  PlotContext& c = plot_context();
  PlotState* pp = c.current;
  if (!pp) {
    IM_ASSERT(false && "plot_end() without a plot_begin() that returned true");
    return;
  }
  PlotState& p = *pp;
  c.current = nullptr;
  c.next = {};
  if (p.offscreen) return;  // data refreshed for plot_describe; plot_begin made room (nothing to draw)
  ImGuiIO& io = ImGui::GetIO();

  Frame f;
  f.dl = ImGui::GetWindowDrawList();
  f.font = ImGui::GetFontSize();
  f.unit = std::max(0.5f, f.font / 16.0f);
  ImFont* font = ImGui::GetFont();
  f.unicode = font && font->FindGlyphNoFallback(0x2212) && font->FindGlyphNoFallback(0x2079) && font->FindGlyphNoFallback(0x207B);
  f.x.log = p.spec.log_x;
  f.y.log = p.spec.log_y;

  const Series* heat = first_heatmap(p);
  std::vector<std::pair<double, std::string>> x_cats, y_cats;
  for (int i = 0; i < p.series_count; ++i) {
    const Series& s = p.series[size_t(i)];
    if (s.kind == Kind::Text && s.label == "##x_tick_labels")
      for (size_t k = 0; k < s.col_labels.size(); ++k) x_cats.push_back({double(k), s.col_labels[k]});
  }
  if (heat) {
    if (x_cats.empty())
      for (int k = 0; k < heat->cols; ++k)
        x_cats.push_back({k + 0.5, k < int(heat->col_labels.size()) ? heat->col_labels[size_t(k)] : std::to_string(k)});
    for (int k = 0; k < heat->rows; ++k)
      y_cats.push_back({heat->rows - k - 0.5, k < int(heat->row_labels.size()) ? heat->row_labels[size_t(k)] : std::to_string(k)});
  }

  // Home view and current view.
  Extent ex, ey;
  fit_series(p, ex, ey);
  PlotLimits home;
  axis_home(p.spec.x_min, p.spec.x_max, ex, f.x.log, home.x_min, home.x_max);
  axis_home(p.spec.y_min, p.spec.y_max, ey, f.y.log, home.y_min, home.y_max);
  PlotLimits lim = p.user_view && p.has_view ? p.view : home;

  // Layout: title on top, x ticks and label below, y label and ticks left, legend / colour bar right.
  const ImVec2 pos = p.pos, size = p.size;
  const float pad = std::round(f.font * 0.5f);
  const float top = pos.y + (p.title.empty() ? pad : f.font * 1.6f);
  // Categorical x labels that need two lines (estimated on the widest possible area).
  bool stagger = false;
  if (!x_cats.empty()) {
    Axis ax{-0.5, double(x_cats.size()) - 0.5};
    if (heat) ax = Axis{0, double(heat->cols)};
    category_ticks(x_cats, ax, size.x - f.font * 5, true, f, &stagger);
  }
  const float bottom = pos.y + size.y - f.font * (stagger ? 2.6f : 1.5f) - (p.x_label.empty() ? 0 : f.font * 1.3f);
  const float left0 = pos.x + (p.y_label.empty() ? pad * 0.5f : f.font * 1.5f);
  std::vector<LegendEntry> legend = p.spec.legend == PlotLegend::None ? std::vector<LegendEntry>{} : legend_entries(p);
  const ImVec2 legend_sz = legend_size(legend, f);
  // An outside legend that would take more than 40% of the width (a phone) goes inside instead.
  PlotLegend placement = p.spec.legend;
  if (placement == PlotLegend::Outside && legend_sz.x + pad > size.x * 0.4f) placement = p.spec.narrow_legend;
  float right = pos.x + size.x - pad;
  if (!legend.empty() && placement == PlotLegend::Outside) right -= legend_sz.x + pad;
  float colorbar_w = 0;
  if (heat) {
    colorbar_w = colorbar_width(*heat, f, bottom - top);
    right -= colorbar_w;
  }
  auto make_axes = [&](const PlotLimits& l, float left) {
    f.area = ImRect(ImVec2(std::round(left), std::round(top)), ImVec2(std::round(right), std::round(bottom)));
    if (f.area.GetWidth() < 8) f.area.Max.x = f.area.Min.x + 8;
    if (f.area.GetHeight() < 8) f.area.Max.y = f.area.Min.y + 8;
    f.x.lo = l.x_min, f.x.hi = l.x_max, f.x.p0 = f.area.Min.x, f.x.p1 = f.area.Max.x;
    f.y.lo = l.y_min, f.y.hi = l.y_max, f.y.p0 = f.area.Max.y, f.y.p1 = f.area.Min.y;
  };
  auto ytick_width = [&](const std::vector<PlotTick>& ticks) {
    float w = 0;
    for (const PlotTick& t : ticks) w = std::max(w, ImGui::CalcTextSize(t.label.c_str()).x);
    return w + f.font * 0.6f;
  };
  auto finish_limits = [&](PlotLimits l) {
    range_sanitize(l.x_min, l.x_max, f.x.log);
    range_sanitize(l.y_min, l.y_max, f.y.log);
    if (p.spec.equal_aspect && !f.x.log && !f.y.log) equal_aspect_apply(l, f.area.GetWidth(), f.area.GetHeight());
    return l;
  };
  // Pass 1 guesses the y tick width, pass 2 uses the measured one.
  make_axes(lim, left0 + f.font * 3);
  PlotLimits shown = finish_limits(lim);
  make_axes(shown, left0 + f.font * 3);
  std::vector<PlotTick> yticks = y_cats.empty() ? axis_ticks(f.y, f.area.GetHeight(), false, f)
                                                : category_ticks(y_cats, f.y, f.area.GetHeight(), false, f);
  const float left = left0 + ytick_width(yticks);
  make_axes(lim, left);
  shown = finish_limits(lim);
  make_axes(shown, left);

  // Legend placement (needed for hit tests before drawing).
  ImVec2 legend_pos;
  {
    const float m = f.font * 0.5f;
    switch (placement) {
      case PlotLegend::NorthWest: legend_pos = ImVec2(f.area.Min.x + m, f.area.Min.y + m); break;
      case PlotLegend::SouthEast: legend_pos = ImVec2(f.area.Max.x - m - legend_sz.x, f.area.Max.y - m - legend_sz.y); break;
      case PlotLegend::SouthWest: legend_pos = ImVec2(f.area.Min.x + m, f.area.Max.y - m - legend_sz.y); break;
      case PlotLegend::Outside: legend_pos = ImVec2(f.area.Max.x + colorbar_w + pad, f.area.Min.y); break;
      default: legend_pos = ImVec2(f.area.Max.x - m - legend_sz.x, f.area.Min.y + m); break;
    }
    legend_layout(legend, legend_pos, legend_sz, f);
  }

  // Interaction: one invisible button over the whole widget.
  ImGui::SetCursorScreenPos(pos);
  ImGui::InvisibleButton(p.id_str.c_str(), size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  // Ctrl + wheel zooms (a plain wheel keeps scrolling the lesson, which students expect).
  if (io.KeyCtrl) ImGui::SetItemKeyOwner(ImGuiKey_MouseWheelY);
  const ImVec2 m = io.MousePos;
  int legend_hit = -1;
  for (size_t i = 0; i < legend.size(); ++i)
    if (hovered && legend[i].rect.Contains(m)) legend_hit = int(i);
  const bool in_area = f.area.Contains(m);
  const bool in_x_axis = m.x >= f.area.Min.x && m.x <= f.area.Max.x && m.y > f.area.Max.y;
  const bool in_y_axis = m.y >= f.area.Min.y && m.y <= f.area.Max.y && m.x < f.area.Min.x;
  const int axes_here = in_area ? 3 : (in_x_axis ? 1 : (in_y_axis ? 2 : 0));
  bool view_changed = false;
  if (hovered && legend_hit >= 0) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    p.drag_on_legend = legend_hit >= 0;
    p.drag_axes = axes_here == 0 ? 3 : axes_here;
    if (legend_hit >= 0) toggle_hidden(p, legend[size_t(legend_hit)].key);
  }
  if (hovered && legend_hit < 0 && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    p.user_view = false;
    lim = home;
    view_changed = true;
  }
  if (active && !p.drag_on_legend && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    const ImVec2 d = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left);
    ImGui::ResetMouseDragDelta(ImGuiMouseButton_Left);
    if (d.x != 0 || d.y != 0) {
      lim = shown;
      if (p.drag_axes & 1) {
        const double dt = -double(d.x) / f.area.GetWidth() * (f.x.thi() - f.x.tlo());
        lim.x_min = f.x.inv(f.x.tlo() + dt);
        lim.x_max = f.x.inv(f.x.thi() + dt);
      }
      if (p.drag_axes & 2) {
        const double dt = double(d.y) / f.area.GetHeight() * (f.y.thi() - f.y.tlo());
        lim.y_min = f.y.inv(f.y.tlo() + dt);
        lim.y_max = f.y.inv(f.y.thi() + dt);
      }
      p.user_view = true;
      view_changed = true;
    }
  }
  if (hovered && io.KeyCtrl && io.MouseWheel != 0 && axes_here != 0 && legend_hit < 0) {
    const double z = std::pow(0.8, double(io.MouseWheel));  // wheel up: zoom in around the mouse
    lim = shown;
    const double home_rx = Axis{home.x_min, home.x_max, f.x.log}.thi() - Axis{home.x_min, home.x_max, f.x.log}.tlo();
    const double home_ry = Axis{home.y_min, home.y_max, f.y.log}.thi() - Axis{home.y_min, home.y_max, f.y.log}.tlo();
    auto zoom = [&](const Axis& a, double mouse_px, double home_range, double& lo, double& hi) {
      const double tm = a.t(a.from_px(mouse_px));
      double t0 = tm - (tm - a.tlo()) * z, t1 = tm + (a.thi() - tm) * z;
      if (!std::isfinite(t0) || !std::isfinite(t1)) return;
      if (t1 - t0 > home_range * 1e4 || t1 - t0 < home_range * 1e-7) return;  // keep zoom in a sane range
      lo = a.inv(t0);
      hi = a.inv(t1);
    };
    if (axes_here & 1) zoom(f.x, m.x, home_rx, lim.x_min, lim.x_max);
    if (axes_here & 2) zoom(f.y, m.y, home_ry, lim.y_min, lim.y_max);
    p.user_view = true;
    view_changed = true;
  }
  ImGui::PushID(int(p.id));
  ImGui::OpenPopupOnItemClick("##plot_menu", ImGuiPopupFlags_MouseButtonRight);
  if (ImGui::BeginPopup("##plot_menu")) {
    if (ImGui::MenuItem("Fit to data", "double-click", false, p.user_view)) {
      p.user_view = false;
      lim = home;
      view_changed = true;
    }
    if (ImGui::MenuItem("Copy data as CSV")) ImGui::SetClipboardText(plot_export_csv(p.id).c_str());
    ImGui::EndPopup();
  }
  ImGui::PopID();
  if (view_changed) {
    shown = finish_limits(lim);
    make_axes(shown, left);
  }
  p.view = shown;
  p.has_view = true;
  yticks = y_cats.empty() ? axis_ticks(f.y, f.area.GetHeight(), false, f) : category_ticks(y_cats, f.y, f.area.GetHeight(), false, f);
  bool stagger_now = false;
  const std::vector<PlotTick> xticks = x_cats.empty() ? axis_ticks(f.x, f.area.GetWidth(), true, f)
                                                      : category_ticks(x_cats, f.x, f.area.GetWidth(), true, f, stagger ? &stagger_now : nullptr);

  // Background and grid.
  ImDrawList* dl = f.dl;
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text), muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const PlotColors& pc = plot_colors();
  dl->AddRectFilled(f.area.Min, f.area.Max, pc.background);
  if (!heat) {
    for (const PlotTick& t : xticks) {
      const float x = std::round(float(f.x.to_px(t.value))) + 0.5f;
      dl->AddLine(ImVec2(x, f.area.Min.y), ImVec2(x, f.area.Max.y), t.major ? pc.grid_major : pc.grid_minor);
    }
    for (const PlotTick& t : yticks) {
      const float y = std::round(float(f.y.to_px(t.value))) + 0.5f;
      dl->AddLine(ImVec2(f.area.Min.x, y), ImVec2(f.area.Max.x, y), t.major ? pc.grid_major : pc.grid_minor);
    }
  }

  // Hover (before drawing so the point can be highlighted).
  const bool dragging = active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f);
  if (hovered && in_area && legend_hit < 0 && !dragging) p.hover = hover_find(p, f, m);

  // Series, clipped to the plot area.
  dl->PushClipRect(f.area.Min, f.area.Max, true);
  for (int i = 0; i < p.series_count; ++i) {
    const Series& s = p.series[size_t(i)];
    if (!s.name.empty() && is_hidden(p, s.key)) continue;
    switch (s.kind) {
      case Kind::Line: draw_line(f, s, c.path); break;
      case Kind::Scatter: draw_markers(f, p, s, c.marks); break;
      case Kind::Bars: draw_bars(f, s); break;
      case Kind::HLine:
      case Kind::VLine: draw_ref_line(f, s); break;
      case Kind::Heatmap: draw_heatmap(f, s); break;
      case Kind::Text: draw_text(f, s); break;
      case Kind::Images: draw_images(f, s); break;
    }
  }
  if (p.hover.active && !heat) {
    const ImVec2 hp(float(f.x.to_px(p.hover.x)), float(f.y.to_px(p.hover.y)));
    dl->AddCircle(hp, f.font * 0.45f, pc.hover_ring, 16, 2.0f * f.unit);
  }
  if (p.user_view) {
    const char* hint = "zoomed · double-click to fit";
    const ImVec2 ts = ImGui::CalcTextSize(hint);
    const ImVec2 a(f.area.Min.x + f.font * 0.3f, f.area.Max.y - ts.y - f.font * 0.3f);
    dl->AddRectFilled(ImVec2(a.x - 2, a.y - 1), ImVec2(a.x + ts.x + 2, a.y + ts.y + 1), pc.backdrop);
    dl->AddText(a, muted, hint);
  }
  if (f.truncated) {
    const char* note = "too many points: some not drawn";
    dl->AddText(ImVec2(f.area.Max.x - ImGui::CalcTextSize(note).x - f.font * 0.3f, f.area.Max.y - f.font * 1.3f), palette_color(5), note);
  }
  dl->PopClipRect();
  dl->AddRect(f.area.Min, f.area.Max, pc.frame);

  // Ticks and their labels.
  const float tick_len = std::round(f.font * 0.25f);
  for (size_t i = 0; i < xticks.size(); ++i) {
    const PlotTick& t = xticks[i];
    const float x = std::round(float(f.x.to_px(t.value))) + 0.5f;
    if (x < f.area.Min.x - 1 || x > f.area.Max.x + 1) continue;
    const float line2 = stagger_now && i % 2 == 1 ? f.font * 1.1f : 0.0f;
    dl->AddLine(ImVec2(x, f.area.Max.y), ImVec2(x, f.area.Max.y + (t.major ? tick_len : tick_len * 0.6f)), text_col);
    if (t.label.empty()) continue;
    const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    float lx = x - ts.x * 0.5f;
    lx = std::clamp(lx, pos.x, pos.x + size.x - ts.x);
    dl->AddText(ImVec2(lx, f.area.Max.y + tick_len + f.font * 0.15f + line2), text_col, t.label.c_str());
  }
  for (const PlotTick& t : yticks) {
    const float y = std::round(float(f.y.to_px(t.value))) + 0.5f;
    if (y < f.area.Min.y - 1 || y > f.area.Max.y + 1) continue;
    dl->AddLine(ImVec2(f.area.Min.x - (t.major ? tick_len : tick_len * 0.6f), y), ImVec2(f.area.Min.x, y), text_col);
    if (t.label.empty()) continue;
    const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    dl->AddText(ImVec2(f.area.Min.x - tick_len - f.font * 0.2f - ts.x, y - ts.y * 0.5f), text_col, t.label.c_str());
  }
  // Title and axis labels.
  if (!p.title.empty()) {
    const ImVec2 ts = ImGui::CalcTextSize(p.title.c_str());
    const float cx = std::max(pos.x, f.area.GetCenter().x - ts.x * 0.5f);
    dl->AddText(ImVec2(cx, pos.y + (f.font * 1.6f - ts.y) * 0.4f), text_col, p.title.c_str());
  }
  if (!p.x_label.empty()) {
    const ImVec2 ts = ImGui::CalcTextSize(p.x_label.c_str());
    dl->AddText(ImVec2(f.area.GetCenter().x - ts.x * 0.5f, pos.y + size.y - ts.y - f.font * 0.1f), text_col, p.x_label.c_str());
  }
  if (!p.y_label.empty())
    add_text_vertical(dl, ImVec2(pos.x + f.font * 0.6f, f.area.GetCenter().y), text_col, p.y_label.c_str());
  if (heat) {
    const float x0 = f.area.Max.x + f.font * 0.8f;
    colorbar_draw(*heat, ImRect(ImVec2(x0, f.area.Min.y), ImVec2(x0 + f.font * 0.9f, f.area.Max.y)), f);
  }
  legend_draw(legend, legend_pos, legend_sz, f, m, hovered);

  // Read-outs: the hovered point, else the mouse position in data units.
  if (p.hover.active) {
    tooltip_show(p, f);
  } else if (hovered && in_area && !heat && !dragging) {
    const std::string xs = plot_value_format(f.x.from_px(m.x), 4, f.unicode), ys = plot_value_format(f.y.from_px(m.y), 4, f.unicode);
    const std::string s = axis_name(p.x_label, "x") + " " + xs + ",  " + axis_name(p.y_label, "y") + " " + ys;
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    const ImVec2 a(f.area.Max.x - ts.x - f.font * 0.3f, f.area.Max.y - ts.y - f.font * 0.3f);
    dl->AddRectFilled(ImVec2(a.x - 2, a.y - 1), ImVec2(a.x + ts.x + 2, a.y + ts.y + 1), pc.backdrop);
    dl->AddText(a, muted, s.c_str());
  }
}

namespace {

template <typename T>
void line_impl(const char* label, const T* xs, const T* ys, int count, int stride) {
  Series* s = series_add(Kind::Line, label);
  if (!s) return;
  s->from_double = sizeof(T) == sizeof(double);
  if (count <= 0 || !ys) return;
  copy_strided(s->ys, ys, count, stride);
  if (xs) copy_strided(s->xs, xs, count, stride);
  else {
    s->xs.resize(size_t(count));
    for (int i = 0; i < count; ++i) s->xs[size_t(i)] = double(i);
  }
}

template <typename T>
void scatter_impl(const char* label, const T* xs, const T* ys, int count, const int* groups, float radius, int stride) {
  Series* s = series_add(Kind::Scatter, label);
  if (!s) return;
  s->from_double = sizeof(T) == sizeof(double);
  s->radius = radius;
  if (count <= 0 || !xs || !ys) return;
  copy_strided(s->xs, xs, count, stride);
  copy_strided(s->ys, ys, count, stride);
  if (groups) {
    s->groups.assign(groups, groups + count);
    int mx = -1;
    for (int g : s->groups) mx = std::max(mx, g);
    s->group_count = std::max(mx + 1, int(s->group_names.size()));
  }
}

template <typename T>
void bars_impl(const char* label, const T* values, int count, double width, double x0) {
  Series* s = series_add(Kind::Bars, label);
  if (!s) return;
  s->from_double = sizeof(T) == sizeof(double);
  s->bar_width = std::isfinite(width) && width > 0 ? width : 0.67;
  if (count <= 0 || !values) return;
  copy_strided(s->ys, values, count, int(sizeof(T)));
  s->xs.resize(size_t(count));
  for (int i = 0; i < count; ++i) s->xs[size_t(i)] = x0 + i;
}

template <typename T>
void histogram_impl(const char* label, const T* values, int count, int bins, double lo, double hi) {
  Series* s = series_add(Kind::Bars, label);
  if (!s) return;
  s->histogram = true;
  bins = std::clamp(bins, 1, 10000);
  if (!values || count < 0) count = 0;
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    double dlo = INFINITY, dhi = -INFINITY;
    for (int i = 0; i < count; ++i) {
      const double v = double(values[i]);
      if (std::isfinite(v)) dlo = std::min(dlo, v), dhi = std::max(dhi, v);
    }
    if (!std::isfinite(lo)) lo = std::isfinite(dlo) ? dlo : 0;
    if (!std::isfinite(hi)) hi = std::isfinite(dhi) ? dhi : lo + 1;
  }
  if (hi < lo) std::swap(lo, hi);
  if (!(hi - lo > std::max(std::fabs(lo), std::fabs(hi)) * 1e-12)) lo -= 0.5, hi += 0.5;
  if (!std::isfinite(hi - lo)) return;
  const double width = (hi - lo) / bins;
  s->bar_width = width;
  s->xs.resize(size_t(bins));
  s->ys.assign(size_t(bins), 0.0);
  for (int b = 0; b < bins; ++b) s->xs[size_t(b)] = lo + (b + 0.5) * width;
  for (int i = 0; i < count; ++i) {
    const double v = double(values[i]);
    if (!std::isfinite(v) || v < lo || v > hi) continue;
    const int b = std::min(bins - 1, int((v - lo) / width));
    s->ys[size_t(b)] += 1;
  }
}

template <typename T>
void heatmap_impl(const char* label, const T* values, int rows, int cols, bool col_major, double v_min, double v_max,
                  const char* const* row_labels, const char* const* col_labels) {
  Series* s = series_add(Kind::Heatmap, label);
  if (!s) return;
  s->from_double = sizeof(T) == sizeof(double);
  if (!values || rows <= 0 || cols <= 0) rows = cols = 0;
  s->rows = rows;
  s->cols = cols;
  s->values.resize(size_t(rows) * size_t(cols));
  double lo = INFINITY, hi = -INFINITY;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const double v = double(col_major ? values[size_t(c) * size_t(rows) + size_t(r)] : values[size_t(r) * size_t(cols) + size_t(c)]);
      s->values[size_t(r) * size_t(cols) + size_t(c)] = v;
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  s->v_min = std::isfinite(v_min) ? v_min : (std::isfinite(lo) ? lo : 0);
  s->v_max = std::isfinite(v_max) ? v_max : (std::isfinite(hi) ? hi : 1);
  range_sanitize(s->v_min, s->v_max, false);
  for (int r = 0; row_labels && r < rows; ++r) s->row_labels.push_back(row_labels[r] ? row_labels[r] : "");
  for (int c = 0; col_labels && c < cols; ++c) s->col_labels.push_back(col_labels[c] ? col_labels[c] : "");
}

}  // namespace

void plot_line(const char* label, const float* xs, const float* ys, int count, int stride_bytes) { line_impl(label, xs, ys, count, stride_bytes); }
void plot_line(const char* label, const double* xs, const double* ys, int count, int stride_bytes) { line_impl(label, xs, ys, count, stride_bytes); }
void plot_line(const char* label, const float* ys, int count, int stride_bytes) { line_impl<float>(label, nullptr, ys, count, stride_bytes); }
void plot_line(const char* label, const double* ys, int count, int stride_bytes) { line_impl<double>(label, nullptr, ys, count, stride_bytes); }

void plot_scatter(const char* label, const float* xs, const float* ys, int count, const int* groups, float marker_radius, int stride_bytes) {
  scatter_impl(label, xs, ys, count, groups, marker_radius, stride_bytes);
}
void plot_scatter(const char* label, const double* xs, const double* ys, int count, const int* groups, float marker_radius, int stride_bytes) {
  scatter_impl(label, xs, ys, count, groups, marker_radius, stride_bytes);
}

void plot_hline(const char* label, double y) {
  if (Series* s = series_add(Kind::HLine, label)) s->ys = {y}, s->xs = {kNaN}, s->from_double = true;
}
void plot_vline(const char* label, double x) {
  if (Series* s = series_add(Kind::VLine, label)) s->xs = {x}, s->ys = {kNaN}, s->from_double = true;
}

void plot_bars(const char* label, const float* values, int count, double width, double x0) { bars_impl(label, values, count, width, x0); }
void plot_bars(const char* label, const double* values, int count, double width, double x0) { bars_impl(label, values, count, width, x0); }

void plot_histogram(const char* label, const float* values, int count, int bins, double range_min, double range_max) {
  histogram_impl(label, values, count, bins, range_min, range_max);
}
void plot_histogram(const char* label, const double* values, int count, int bins, double range_min, double range_max) {
  histogram_impl(label, values, count, bins, range_min, range_max);
}

void plot_heatmap(const char* label, const float* values, int rows, int cols, bool col_major, double v_min, double v_max,
                  const char* const* row_labels, const char* const* col_labels) {
  heatmap_impl(label, values, rows, cols, col_major, v_min, v_max, row_labels, col_labels);
}
void plot_heatmap(const char* label, const double* values, int rows, int cols, bool col_major, double v_min, double v_max,
                  const char* const* row_labels, const char* const* col_labels) {
  heatmap_impl(label, values, rows, cols, col_major, v_min, v_max, row_labels, col_labels);
}

void plot_images(const char* label, const double* xs, const double* ys, int count, ImTextureID texture, const float* uvs,
                 float image_px) {
  if (Series* s = series_add(Kind::Images, label)) {
    s->xs.assign(xs, xs + std::max(0, count));
    s->ys.assign(ys, ys + std::max(0, count));
    s->uvs.assign(uvs, uvs + 4 * size_t(std::max(0, count)));
    s->texture = texture;
    s->image_px = image_px;
    s->from_double = true;
  }
}

void plot_text(double x, double y, const char* text) {
  if (Series* s = series_add(Kind::Text, "##text")) {
    s->xs = {x};
    s->ys = {y};
    s->text = text ? text : "";
    s->from_double = true;
  }
}

void plot_set_next_color(ImU32 color) {
  PlotContext& c = plot_context();
  c.next.has_color = true;
  c.next.color = color;
}
void plot_set_next_weight(float pixels) { plot_context().next.weight = pixels; }
void plot_set_next_group_names(const char* const* names, int count) {
  PlotContext& c = plot_context();
  c.next.group_names = names;
  c.next.group_name_count = names ? std::max(0, count) : 0;
}
void plot_set_next_point_labels(const char* const* labels) { plot_context().next.point_labels = labels; }
void plot_set_next_point_label_fn(PlotPointLabelFn fn, const void* user) {
  PlotContext& c = plot_context();
  c.next.label_fn = fn;
  c.next.label_user = user;
}
void plot_set_next_colormap(Colormap map) { plot_context().next.colormap = map; }

bool plot_get_limits(ImGuiID plot, PlotLimits* out) {
  const PlotState* p = plot_find(plot);
  if (!p || !p->has_view) return false;
  if (out) *out = p->view;
  return true;
}

PlotHover plot_get_hover(ImGuiID plot) {
  const PlotState* p = plot_find(plot);
  return p ? p->hover : PlotHover{};
}

std::string plot_export_csv(ImGuiID plot) {
  const PlotState* p = plot_find(plot);
  if (!p || p->series_count == 0) return {};
  std::string out;
  if (const Series* h = first_heatmap(*p)) {
    for (int c = 0; c < h->cols; ++c) {
      out += ',';
      csv_field(out, c < int(h->col_labels.size()) ? h->col_labels[size_t(c)] : std::to_string(c));
    }
    out += '\n';
    for (int r = 0; r < h->rows; ++r) {
      csv_field(out, r < int(h->row_labels.size()) ? h->row_labels[size_t(r)] : std::to_string(r));
      for (int c = 0; c < h->cols; ++c) {
        out += ',';
        csv_number(out, h->values[size_t(r) * size_t(h->cols) + size_t(c)], h->from_double);
      }
      out += '\n';
    }
    return out;
  }
  bool any_groups = false;
  for (int i = 0; i < p->series_count; ++i) any_groups |= !p->series[size_t(i)].groups.empty();
  out = any_groups ? "series,x,y,group\n" : "series,x,y\n";
  for (int i = 0; i < p->series_count; ++i) {
    const Series& s = p->series[size_t(i)];
    if (s.kind == Kind::Text || s.kind == Kind::Heatmap) continue;
    std::string name = s.name.empty() ? s.label : s.name;
    if (name.rfind("##", 0) == 0) name = name.substr(2);
    if (name.empty()) name = "series " + std::to_string(i);
    for (size_t k = 0; k < s.xs.size(); ++k) {
      csv_field(out, name);
      out += ',';
      if (s.kind != Kind::HLine) csv_number(out, s.xs[k], s.from_double);
      out += ',';
      if (s.kind != Kind::VLine) csv_number(out, s.ys[k], s.from_double);
      if (any_groups) {
        out += ',';
        if (!s.groups.empty()) {
          const int g = s.groups[k];
          csv_field(out, g >= 0 && g < int(s.group_names.size()) ? s.group_names[size_t(g)] : std::to_string(g));
        }
      }
      out += '\n';
    }
  }
  return out;
}

std::string plot_export_csv(const char* id) { return plot_export_csv(ImGui::GetID(id)); }

int plot_log_mark() {
  if (!ImGui::GetCurrentContext()) return 0;
  PlotContext& c = plot_context();
  return c.log_frame == ImGui::GetFrameCount() ? int(c.log.size()) : 0;
}

std::vector<ImGuiID> plot_log_since(int mark) {
  if (!ImGui::GetCurrentContext()) return {};
  PlotContext& c = plot_context();
  if (c.log_frame != ImGui::GetFrameCount() || mark < 0 || mark >= int(c.log.size())) return {};
  return std::vector<ImGuiID>(c.log.begin() + mark, c.log.end());
}

namespace {

std::string describe_number(double v) { return plot_value_format(v, 4, true); }

// "x from a to b" over the finite values of v (empty when there are none).
std::string describe_range(const char* what, const std::vector<double>& v) {
  double lo = kNaN, hi = kNaN;
  for (const double x : v)
    if (std::isfinite(x)) {
      lo = std::isnan(lo) ? x : std::min(lo, x);
      hi = std::isnan(hi) ? x : std::max(hi, x);
    }
  if (std::isnan(lo)) return {};
  if (lo == hi) return std::string(what) + " " + describe_number(lo);
  return std::string(what) + " from " + describe_number(lo) + " to " + describe_number(hi);
}

}  // namespace

std::string plot_describe(ImGuiID plot) {
  const PlotState* p = plot_find(plot);
  if (!p) return {};
  std::string out = p->title.empty() ? "Plot." : "Plot: " + p->title + ".";
  const std::string xl = axis_name(p->x_label, "x"), yl = axis_name(p->y_label, "y");
  out += " Horizontal axis: " + xl + (p->spec.log_x ? " (log scale)" : "") + "; vertical axis: " + yl +
         (p->spec.log_y ? " (log scale)" : "") + ".";
  std::vector<std::string> x_cats;
  for (int i = 0; i < p->series_count; ++i)
    if (p->series[size_t(i)].kind == Kind::Text && p->series[size_t(i)].label == "##x_tick_labels")
      x_cats = p->series[size_t(i)].col_labels;
  constexpr size_t kListMax = 12;  // values listed one by one (bars, groups); the rest are counted
  int described = 0;
  for (int i = 0; i < p->series_count; ++i) {
    const Series& s = p->series[size_t(i)];
    const std::string name = s.name.empty() ? "series " + std::to_string(i + 1) : s.name;
    std::string d;
    switch (s.kind) {
      case Kind::Line: {
        size_t last = s.xs.size();
        while (last > 0 && !(std::isfinite(s.xs[last - 1]) && std::isfinite(s.ys[last - 1]))) --last;
        d = name + ": a line of " + std::to_string(s.xs.size()) + " points";
        if (last > 0)
          d += ", latest " + xl + " " + describe_number(s.xs[last - 1]) + ", " + yl + " " + describe_number(s.ys[last - 1]);
        if (const std::string r = describe_range(yl.c_str(), s.ys); !r.empty()) d += "; " + r;
        break;
      }
      case Kind::Scatter: {
        d = name + ": " + std::to_string(s.xs.size()) + " points";
        if (!s.groups.empty() && s.group_count > 1) {
          std::vector<int> counts(size_t(s.group_count), 0);
          for (const int g : s.groups)
            if (g >= 0 && g < s.group_count) ++counts[size_t(g)];
          static const char* const kShapeNames[] = {"circles", "squares", "triangles up", "diamonds",
                                                    "triangles down", "triangles right", "pentagons", "triangles left"};
          d += " in " + std::to_string(s.group_count) + " groups (";
          for (int g = 0; g < s.group_count && size_t(g) < kListMax; ++g) {
            const std::string gname = g < int(s.group_names.size()) && !s.group_names[size_t(g)].empty()
                                          ? s.group_names[size_t(g)] : std::to_string(g);
            d += (g ? "; " : "") + gname + ": " + std::to_string(counts[size_t(g)]) + " " + kShapeNames[marker_shape(s, g)];
          }
          d += size_t(s.group_count) > kListMax ? "; …)" : ")";
        }
        if (const std::string r = describe_range(xl.c_str(), s.xs); !r.empty()) d += "; " + r;
        if (const std::string r = describe_range(yl.c_str(), s.ys); !r.empty()) d += ", " + r;
        break;
      }
      case Kind::Bars: {
        d = name + (s.histogram ? ": a histogram of " + std::to_string(s.ys.size()) + " bins: "
                                : ": " + std::to_string(s.ys.size()) + " bars: ");
        for (size_t k = 0; k < s.ys.size() && k < kListMax; ++k) {
          std::string at;
          if (s.histogram)
            at = "[" + describe_number(s.xs[k] - s.bar_width * 0.5) + ", " + describe_number(s.xs[k] + s.bar_width * 0.5) + ")";
          else {
            const double xr = std::round(s.xs[k]);
            at = xr == s.xs[k] && xr >= 0 && xr < double(x_cats.size()) ? x_cats[size_t(xr)] : describe_number(s.xs[k]);
          }
          d += (k ? "; " : "") + at + " " + describe_number(s.ys[k]);
        }
        if (s.ys.size() > kListMax) d += "; and " + std::to_string(s.ys.size() - kListMax) + " more";
        break;
      }
      case Kind::HLine: d = name + " at " + yl + " " + describe_number(s.ys.empty() ? kNaN : s.ys[0]); break;
      case Kind::VLine: d = name + " at " + xl + " " + describe_number(s.xs.empty() ? kNaN : s.xs[0]); break;
      case Kind::Heatmap: {
        d = name + ": a " + std::to_string(s.rows) + " × " + std::to_string(s.cols) + " matrix";
        if (const std::string r = describe_range("values", s.values); !r.empty()) d += ", " + r;
        break;
      }
      case Kind::Images:
        d = name + ": " + std::to_string(s.xs.size()) + " small images drawn at their points";
        break;
      case Kind::Text:
        if (s.label == "##x_tick_labels" || s.text.empty()) continue;
        d = "note “" + s.text + "” at " + xl + " " + describe_number(s.xs.empty() ? kNaN : s.xs[0]) + ", " + yl + " " +
            describe_number(s.ys.empty() ? kNaN : s.ys[0]);
        break;
    }
    if (!s.name.empty() && is_hidden(*p, s.key)) d += " (hidden in the legend)";
    out += " " + d + ".";
    ++described;
  }
  if (described == 0) out += " No data yet.";
  return out;
}

}  // namespace lab::ui
