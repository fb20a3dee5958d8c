// A small matrix drawn as a grid of coloured cells, with row / column labels, values printed in
// cells that are large enough, the value under the mouse in a tooltip and an optional highlighted
// row or column. Lessons use it to show a one-hot matrix beside an embedding matrix W, a lookup
// (the highlighted row) or a dropout mask. For small matrices (up to a few hundred cells per side);
// large ones belong in plot_heatmap, which samples and zooms.
#pragma once

#include <limits>

#include "core/types.h"
#include "imgui.h"
#include "ui/widgets/colors.h"

namespace lab::ui {

struct MatrixViewSpec {
  const char* title = nullptr;               // above the grid
  const char* const* row_labels = nullptr;   // rows strings, or nullptr for 0, 1, 2...
  const char* const* col_labels = nullptr;   // cols strings, or nullptr for 0, 1, 2...
  int highlight_row = -1;                    // framed in vermillion (e.g. the looked-up token)
  int highlight_col = -1;
  double v_min = std::numeric_limits<double>::quiet_NaN();  // colour range; NaN = from the data
  double v_max = std::numeric_limits<double>::quiet_NaN();  //   (symmetric around 0 for signed data)
  Colormap colormap = Colormap::Auto;        // Auto: Blues for data >= 0, Diverging for signed data
  float cell_size = 0;                       // cell side in font sizes (0 = auto: values fit)
  bool show_values = true;                   // print values in cells when they fit
  const char* value_format = "%.2f";         // printf format for a cell's value
  bool show_scale = true;                    // a colour strip with the range under the grid
};

struct MatrixViewResult {
  int hovered_row = -1, hovered_col = -1;  // cell under the mouse, or -1
  int clicked_row = -1, clicked_col = -1;  // cell clicked this frame, or -1
};

// values: rows × cols; col_major selects values[c * rows + r] (Eigen's default) over values[r * cols + c].
MatrixViewResult matrix_view(const char* id, const float* values, int rows, int cols, const MatrixViewSpec& spec = {},
                             bool col_major = false);
MatrixViewResult matrix_view(const char* id, const double* values, int rows, int cols, const MatrixViewSpec& spec = {},
                             bool col_major = false);
// An Eigen matrix as stored (column-major).
MatrixViewResult matrix_view(const char* id, const core::Mat& m, const MatrixViewSpec& spec = {});

}  // namespace lab::ui
