// A small immediate-mode plotting module drawn with Dear ImGui draw lists, shaped like ImPlot
// (begin / plot_* / end, pointer + count + stride). Made for teaching: every plot has a title, axis
// labels, a clickable legend, hover read-outs, colour-blind-safe colours with a marker shape per
// scatter group, a text alternative (plot_describe), wheel zoom, drag pan and
// double-click to fit. Series are copied at submission and drawn in plot_end(), so auto-fit is exact
// on the frame the data changes and the last frame's data can be exported as CSV.
// It is not ImPlot: one x and one y axis, no subplots, no time axes, no drag-and-drop, no file I/O.
//
//   if (ui::plot_begin("##loss", {.title = "Loss", .x_label = "epoch", .y_label = "loss", .log_y = true})) {
//     ui::plot_line("train", loss_train.data(), int(loss_train.size()));
//     ui::plot_line("validation", loss_val.data(), int(loss_val.size()));
//     ui::plot_vline("best epoch", best_epoch);
//     ui::plot_end();
//   }
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "imgui.h"
#include "ui/widgets/colors.h"

namespace lab::ui {

enum class PlotLegend { NorthEast, NorthWest, SouthEast, SouthWest, Outside, None };

struct PlotSpec {
  const char* title = nullptr;    // above the plot
  const char* x_label = nullptr;  // under the x axis (name and unit: "epoch", "perplexity")
  const char* y_label = nullptr;  // left of the y axis, rotated
  bool log_x = false;             // log10 axis; values <= 0 are skipped like NaN
  bool log_y = false;
  // The "home" view, restored by a double-click. NaN = fit the data on that side.
  double x_min = std::numeric_limits<double>::quiet_NaN();
  double x_max = std::numeric_limits<double>::quiet_NaN();
  double y_min = std::numeric_limits<double>::quiet_NaN();
  double y_max = std::numeric_limits<double>::quiet_NaN();
  bool equal_aspect = false;      // one x unit = one y unit on screen (embeddings, PCA)
  PlotLegend legend = PlotLegend::NorthEast;
  PlotLegend narrow_legend = PlotLegend::NorthEast;  // where an Outside legend goes when the plot is too narrow for it
  // Categorical x axis: label i is drawn at x = i (bar charts). nullptr = numeric ticks.
  const char* const* x_tick_labels = nullptr;
  int x_tick_count = 0;
};

// Current view of a plot, in data units (log axes too).
struct PlotLimits {
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
};

// What the mouse pointed at in the last frame (also shown as a tooltip).
struct PlotHover {
  bool active = false;      // false: nothing under the mouse
  std::string series;       // the series' display label
  int series_index = -1;    // position of the series in submission order
  int index = -1;           // point / bar index in the series (heatmap: row * cols + col)
  int group = -1;           // scatter group of that point, or -1
  double x = 0, y = 0;      // data coordinates of the point (heatmap: col, row)
};

// Writes a per-point label for point `index` into buf (size bytes, NUL-terminated).
using PlotPointLabelFn = void (*)(int index, char* buf, int size, const void* user);

// [SECTION] Begin / end. Only call plot_end() (and the plot_* functions) if plot_begin() returned
// true. id follows ImGui's ID rules ("##loss" hides it); size <= 0 on an axis: fill the available
// width / use a height of 0.62 × width (at most the available height, at least 8 lines).
bool plot_begin(const char* id, const PlotSpec& spec = {}, ImVec2 size = ImVec2(0, 0));
void plot_end();

// [SECTION] Series. label: legend and tooltip name ("name##id" shows "name"; "##x" hides it from the
// legend). Non-finite values are skipped: a NaN breaks a line into pieces.
// Line through (xs[i], ys[i]); stride_bytes lets you read interleaved or Eigen row-major data.
void plot_line(const char* label, const float* xs, const float* ys, int count, int stride_bytes = sizeof(float));
void plot_line(const char* label, const double* xs, const double* ys, int count, int stride_bytes = sizeof(double));
// Line through (i, ys[i]) (x = index, e.g. epoch when one value is logged per epoch).
void plot_line(const char* label, const float* ys, int count, int stride_bytes = sizeof(float));
void plot_line(const char* label, const double* ys, int count, int stride_bytes = sizeof(double));
// Markers at (xs[i], ys[i]). groups (optional, count ints): colour by group, with one legend entry
// per group (names via plot_set_next_group_names). marker_radius in pixels at scale 1 (0 = auto).
void plot_scatter(const char* label, const float* xs, const float* ys, int count, const int* groups = nullptr,
                  float marker_radius = 0, int stride_bytes = sizeof(float));
void plot_scatter(const char* label, const double* xs, const double* ys, int count, const int* groups = nullptr,
                  float marker_radius = 0, int stride_bytes = sizeof(double));
// Dashed horizontal / vertical reference line (a threshold, the best epoch).
void plot_hline(const char* label, double y);
void plot_vline(const char* label, double x);
// Bars of height values[i] centred at x = x0 + i, `width` data units wide.
void plot_bars(const char* label, const float* values, int count, double width = 0.67, double x0 = 0);
void plot_bars(const char* label, const double* values, int count, double width = 0.67, double x0 = 0);
// Histogram of the finite values in [range_min, range_max] (NaN = data min / max) in `bins` bins.
void plot_histogram(const char* label, const float* values, int count, int bins = 20,
                    double range_min = std::numeric_limits<double>::quiet_NaN(),
                    double range_max = std::numeric_limits<double>::quiet_NaN());
void plot_histogram(const char* label, const double* values, int count, int bins = 20,
                    double range_min = std::numeric_limits<double>::quiet_NaN(),
                    double range_max = std::numeric_limits<double>::quiet_NaN());
// rows × cols cells (row 0 at the top, cell (r, c) spans x in [c, c+1]) coloured by value over
// [v_min, v_max] (NaN = data range), with a colour bar. col_major: values[c * rows + r] (Eigen's
// default), else values[r * cols + c]. Labels (optional) replace the index ticks.
void plot_heatmap(const char* label, const float* values, int rows, int cols, bool col_major = false,
                  double v_min = std::numeric_limits<double>::quiet_NaN(),
                  double v_max = std::numeric_limits<double>::quiet_NaN(),
                  const char* const* row_labels = nullptr, const char* const* col_labels = nullptr);
void plot_heatmap(const char* label, const double* values, int rows, int cols, bool col_major = false,
                  double v_min = std::numeric_limits<double>::quiet_NaN(),
                  double v_max = std::numeric_limits<double>::quiet_NaN(),
                  const char* const* row_labels = nullptr, const char* const* col_labels = nullptr);
// Text centred at data point (x, y) (annotations: "best", a cluster's name).
void plot_text(double x, double y, const char* text);
// Small images at points (a t-SNE map drawn with the pictures themselves): texture holds them all,
// uvs gives each point's (u0, v0, u1, v1); each is image_px wide at scale 1, and one is drawn per
// image-sized place on screen (the first submitted wins), so the map stays readable at any zoom.
void plot_images(const char* label, const double* xs, const double* ys, int count, ImTextureID texture, const float* uvs,
                 float image_px);

// [SECTION] Style of the next series (reset after each series).
void plot_set_next_color(ImU32 color);                               // instead of the next palette colour
void plot_set_next_weight(float pixels);                             // line width at scale 1 (default 2)
void plot_set_next_group_names(const char* const* names, int count); // legend names of scatter groups
void plot_set_next_point_labels(const char* const* labels);          // tooltip text per point (valid until plot_end)
void plot_set_next_point_label_fn(PlotPointLabelFn fn, const void* user);  // or computed per hovered point
void plot_set_next_colormap(Colormap map);                           // heatmap colours (default Viridis)

// [SECTION] Queries, by the ImGuiID of the plot (ImGui::GetID(id) in the window that drew it).
// The view shown in the last frame; false if no such plot was drawn.
bool plot_get_limits(ImGuiID plot, PlotLimits* out);
// The point under the mouse in the last frame (e.g. show the hovered digit's image beside the plot).
PlotHover plot_get_hover(ImGuiID plot);
// The series drawn last frame as CSV text (empty if none). Lines, scatters, bars, histograms and
// reference lines: "series,x,y" rows (+ ",group" when a scatter has groups). A heatmap: its matrix,
// one row per line, with the labels as the first row and column. Hidden series are included.
// Appends s to out as one CSV field, quoted when it holds a comma, quote or line break.
void csv_field(std::string& out, const std::string& s);
std::string plot_export_csv(ImGuiID plot);
// Same, with the id resolved in the current window's ID stack.
std::string plot_export_csv(const char* id);

// [SECTION] Text alternative: what the plot showed last, as sentences for a screen reader (the
// page's accessible mirror): title, axes, and per series its size, range and latest values; bars
// value by value (the first 12), scatter groups with their counts and marker shapes. "" if no such plot.
std::string plot_describe(ImGuiID plot);
// The plots begun since `mark` in this frame, drawn or out of view (a block's view attributes its
// plots this way): mark = plot_log_mark() before drawing, plot_log_since(mark) after.
int plot_log_mark();
std::vector<ImGuiID> plot_log_since(int mark);

}  // namespace lab::ui
