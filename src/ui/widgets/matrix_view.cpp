// Matrix view (see matrix_view.h): layout, colours, hover and click. Draws with the window's draw
// list and one invisible button; keeps no state between frames.
#include "ui/widgets/matrix_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/widgets/plot_ticks.h"

namespace lab::ui {

namespace {

template <typename T>
double value_at(const T* v, int rows, int cols, int r, int c, bool col_major) {
  return double(col_major ? v[size_t(c) * size_t(rows) + size_t(r)] : v[size_t(r) * size_t(cols) + size_t(c)]);
}

std::string label_of(const char* const* labels, int i) {
  return labels && labels[i] ? std::string(labels[i]) : std::to_string(i);
}

template <typename T>
MatrixViewResult matrix_view_impl(const char* id, const T* values, int rows, int cols, const MatrixViewSpec& spec, bool col_major) {
  MatrixViewResult result;
  if (!values || rows <= 0 || cols <= 0) {
    ImGui::TextDisabled("%s (empty matrix)", spec.title ? spec.title : "");
    return result;
  }
  const float font = ImGui::GetFontSize();
  ImFont* fnt = ImGui::GetFont();
  const bool unicode = fnt && fnt->FindGlyphNoFallback(0x2212) && fnt->FindGlyphNoFallback(0x2079);

  // Colour range: data range, symmetric around 0 when the data has both signs.
  double lo = INFINITY, hi = -INFINITY;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const double v = value_at(values, rows, cols, r, c, col_major);
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  const bool is_signed = lo < 0 && hi > 0;
  Colormap map = spec.colormap;
  if (map == Colormap::Auto) map = lo < 0 ? Colormap::Diverging : Colormap::Blues;
  if (map == Colormap::Diverging && is_signed) {
    const double a = std::max(-lo, hi);
    lo = -a, hi = a;
  }
  if (map == Colormap::Blues && lo >= 0) lo = 0;
  if (std::isfinite(spec.v_min)) lo = spec.v_min;
  if (std::isfinite(spec.v_max)) hi = spec.v_max;
  if (!(hi > lo)) hi = lo + 1;

  // Layout.
  char buf[64];
  float widest_value = 0;
  if (spec.show_values) {
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) {
        const double v = value_at(values, rows, cols, r, c, col_major);
        std::snprintf(buf, sizeof buf, spec.value_format ? spec.value_format : "%.2f", v);
        widest_value = std::max(widest_value, ImGui::CalcTextSize(buf).x);
      }
  }
  float cell = spec.cell_size > 0 ? spec.cell_size * font : std::max(font * 1.3f, widest_value + font * 0.5f);
  float row_label_w = 0, col_label_w = 0;
  for (int r = 0; r < rows; ++r) row_label_w = std::max(row_label_w, ImGui::CalcTextSize(label_of(spec.row_labels, r).c_str()).x);
  for (int c = 0; c < cols; ++c) col_label_w = std::max(col_label_w, ImGui::CalcTextSize(label_of(spec.col_labels, c).c_str()).x);
  row_label_w += font * 0.5f;
  const float avail = ImGui::GetContentRegionAvail().x;
  if (spec.cell_size <= 0 && row_label_w + cell * float(cols) > avail)
    cell = std::max(3.0f, (avail - row_label_w) / float(cols));
  cell = std::floor(cell);
  const bool values_fit = spec.show_values && widest_value + font * 0.3f <= cell && font <= cell;
  const float cell_h = values_fit ? std::min(cell, font * 1.6f) : cell;  // wide cells for the text, rows stay compact
  const bool col_labels_fit = col_label_w + font * 0.2f <= cell;
  const float title_h = spec.title ? font * 1.5f : 0;
  const float header_h = font * 1.3f;
  const float scale_h = spec.show_scale ? font * 1.8f : 0;
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImVec2 grid0(pos.x + row_label_w, pos.y + title_h + header_h);
  const ImVec2 grid1(grid0.x + cell * float(cols), grid0.y + cell_h * float(rows));
  const ImVec2 total(std::max(grid1.x - pos.x, font * 8), grid1.y - pos.y + scale_h);

  ImGui::InvisibleButton(id, total);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (hovered && m.x >= grid0.x && m.x < grid1.x && m.y >= grid0.y && m.y < grid1.y) {
    result.hovered_row = std::clamp(int((m.y - grid0.y) / cell_h), 0, rows - 1);
    result.hovered_col = std::clamp(int((m.x - grid0.x) / cell), 0, cols - 1);
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) result.clicked_row = result.hovered_row, result.clicked_col = result.hovered_col;
  }

  if (spec.title) dl->AddText(ImVec2(pos.x, pos.y + font * 0.1f), text, spec.title);
  // Column labels (every k-th when they do not fit).
  const int col_every = col_labels_fit ? 1 : std::max(1, int(std::ceil((col_label_w + font * 0.5f) / cell)));
  for (int c = 0; c < cols; c += col_every) {
    const std::string l = label_of(spec.col_labels, c);
    const ImVec2 ts = ImGui::CalcTextSize(l.c_str());
    dl->AddText(ImVec2(grid0.x + (float(c) + 0.5f) * cell - ts.x * 0.5f, grid0.y - header_h + font * 0.1f),
                c == spec.highlight_col ? text : muted, l.c_str());
  }
  const int row_every = cell_h >= font ? 1 : std::max(1, int(std::ceil(font / cell_h)));
  for (int r = 0; r < rows; r += row_every) {
    const std::string l = label_of(spec.row_labels, r);
    const ImVec2 ts = ImGui::CalcTextSize(l.c_str());
    dl->AddText(ImVec2(grid0.x - ts.x - font * 0.35f, grid0.y + (float(r) + 0.5f) * cell_h - ts.y * 0.5f),
                r == spec.highlight_row ? text : muted, l.c_str());
  }
  // Cells.
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const double v = value_at(values, rows, cols, r, c, col_major);
      const ImVec2 a(grid0.x + float(c) * cell, grid0.y + float(r) * cell_h);
      const ImVec2 b(a.x + cell, a.y + cell_h);
      const ImU32 col = colormap_sample(map, std::isfinite(v) ? float((v - lo) / (hi - lo)) : NAN);
      dl->AddRectFilled(a, b, col);
      if (values_fit) {
        std::snprintf(buf, sizeof buf, spec.value_format ? spec.value_format : "%.2f", v);
        std::string s = buf;
        if (unicode && !s.empty() && s[0] == '-') s = "−" + s.substr(1);
        const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
        dl->AddText(ImVec2(a.x + (cell - ts.x) * 0.5f, a.y + (cell_h - ts.y) * 0.5f), color_text_on(col), s.c_str());
      }
    }
  // Thin separators between cells, a frame, highlights.
  const ImU32 sep = IM_COL32(255, 255, 255, 160);
  if (cell >= 6) {
    for (int c = 1; c < cols; ++c) dl->AddLine(ImVec2(grid0.x + float(c) * cell, grid0.y), ImVec2(grid0.x + float(c) * cell, grid1.y), sep);
    for (int r = 1; r < rows; ++r) dl->AddLine(ImVec2(grid0.x, grid0.y + float(r) * cell_h), ImVec2(grid1.x, grid0.y + float(r) * cell_h), sep);
  }
  dl->AddRect(grid0, grid1, plot_colors().frame);
  const ImU32 accent = palette_color(5);  // Okabe–Ito vermillion
  const float thick = std::max(2.0f, font * 0.15f);
  if (spec.highlight_row >= 0 && spec.highlight_row < rows) {
    const float y = grid0.y + float(spec.highlight_row) * cell_h;
    dl->AddRect(ImVec2(grid0.x - thick * 0.5f, y), ImVec2(grid1.x + thick * 0.5f, y + cell_h), accent, 0, 0, thick);
  }
  if (spec.highlight_col >= 0 && spec.highlight_col < cols) {
    const float x = grid0.x + float(spec.highlight_col) * cell;
    dl->AddRect(ImVec2(x, grid0.y - thick * 0.5f), ImVec2(x + cell, grid1.y + thick * 0.5f), accent, 0, 0, thick);
  }
  if (result.hovered_row >= 0) {
    const ImVec2 a(grid0.x + float(result.hovered_col) * cell, grid0.y + float(result.hovered_row) * cell_h);
    dl->AddRect(a, ImVec2(a.x + cell, a.y + cell_h), plot_colors().hover_ring, 0, 0, 2.0f);
    const double v = value_at(values, rows, cols, result.hovered_row, result.hovered_col, col_major);
    ImGui::BeginTooltip();
    ImGui::Text("row %s, column %s", label_of(spec.row_labels, result.hovered_row).c_str(),
                label_of(spec.col_labels, result.hovered_col).c_str());
    ImGui::Text("value = %s", plot_value_format(v, 5, unicode).c_str());
    ImGui::EndTooltip();
  }
  // Colour scale: a strip with its two ends labelled.
  if (spec.show_scale) {
    const std::string l0 = plot_value_format(lo, 3, unicode), l1 = plot_value_format(hi, 3, unicode);
    const float w0 = ImGui::CalcTextSize(l0.c_str()).x, w1 = ImGui::CalcTextSize(l1.c_str()).x;
    const float y = grid1.y + font * 0.45f, h = font * 0.7f;
    const float x0 = grid0.x + w0 + font * 0.4f;
    const float x1 = std::max(x0 + font * 3, std::min(grid1.x, x0 + font * 8) - w1 - font * 0.4f);
    dl->AddText(ImVec2(grid0.x, y + (h - font) * 0.5f), muted, l0.c_str());
    const int n = 24;
    for (int i = 0; i < n; ++i) {
      const float a = x0 + (x1 - x0) * float(i) / n, b = x0 + (x1 - x0) * float(i + 1) / n;
      const ImU32 ca = colormap_sample(map, float(i) / n), cb = colormap_sample(map, float(i + 1) / n);
      dl->AddRectFilledMultiColor(ImVec2(a, y), ImVec2(b, y + h), ca, cb, cb, ca);
    }
    dl->AddRect(ImVec2(x0, y), ImVec2(x1, y + h), plot_colors().legend_border);
    dl->AddText(ImVec2(x1 + font * 0.4f, y + (h - font) * 0.5f), muted, l1.c_str());
  }
  return result;
}

}  // namespace

MatrixViewResult matrix_view(const char* id, const float* values, int rows, int cols, const MatrixViewSpec& spec, bool col_major) {
  return matrix_view_impl(id, values, rows, cols, spec, col_major);
}

MatrixViewResult matrix_view(const char* id, const double* values, int rows, int cols, const MatrixViewSpec& spec, bool col_major) {
  return matrix_view_impl(id, values, rows, cols, spec, col_major);
}

MatrixViewResult matrix_view(const char* id, const core::Mat& m, const MatrixViewSpec& spec) {
  return matrix_view(id, m.data(), int(m.rows()), int(m.cols()), spec, true);
}

}  // namespace lab::ui
