// Widget for "embedding-lookup": the one-hot row eₓ, the table W with row x framed, and the two
// results side by side — eₓ·W computed as a product and W[x] read as a lookup. Click a symbol (in
// the buttons, the one-hot row or W) to look up another one.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/embedding_lookup.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/matrix_view.h"

namespace lab::ui {

namespace {

struct EmbeddingLookupView {
  int symbol = -1;  // the symbol looked up (-1: the lesson's first, EmbeddingLookupExperiment::selected)
};

}  // namespace

BlockCommand widget_embedding_lookup(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::EmbeddingLookupExperiment>(run);
  if (!e || !e->done() || !e->error.ok || e->vocab.empty()) return {};
  const int n = int(e->vocab.size()), d = e->dim;
  int& x = app.ui.block_views.get<EmbeddingLookupView>(run).symbol;
  if (x < 0 || x >= n) x = e->selected;
  std::vector<const char*> names;
  for (const std::string& w : e->vocab) names.push_back(w.c_str());
  std::vector<std::string> dim_names_s;
  for (int j = 0; j < d; ++j) dim_names_s.push_back("w" + std::to_string(j + 1));
  std::vector<const char*> dim_names;
  for (const std::string& s : dim_names_s) dim_names.push_back(s.c_str());

  ImGui::TextUnformatted("Look up:");
  for (int i = 0; i < n; ++i) {
    ImGui::SameLine();
    ImGui::PushID(i);
    if (ImGui::RadioButton(names[size_t(i)], x == i)) x = i;
    ImGui::PopID();
  }

  // 1. the one-hot row vector of x
  const core::Mat onehot = core::Mat::Identity(n, n).row(x);
  char title[160];
  std::snprintf(title, sizeof title, "one-hot eₓ for x = %s   (1 × %d)", names[size_t(x)], n);
  MatrixViewSpec s1;
  s1.title = title;
  s1.col_labels = names.data();
  const char* row_x[] = {names[size_t(x)]};
  s1.row_labels = row_x;
  s1.highlight_col = x;
  s1.value_format = "%.0f";
  s1.show_scale = false;
  s1.v_min = 0;
  s1.v_max = 1;
  // Cells wide enough for the column labels (the symbols), if the row still fits the block.
  size_t longest = 1;
  for (const std::string& w : e->vocab) longest = std::max(longest, w.size());
  const float cell = 0.6f * float(longest) + 0.8f;
  if (cell * float(n + 3) * ImGui::GetFontSize() < ImGui::GetContentRegionAvail().x) s1.cell_size = cell;
  const MatrixViewResult r1 = matrix_view("##onehot", onehot, s1);
  if (r1.clicked_col >= 0) x = r1.clicked_col;

  // 2. W, with row x framed; 3. the two results
  const float font = ImGui::GetFontSize();
  ImGui::BeginGroup();
  std::snprintf(title, sizeof title, "W   (|V| × d = %d × %d)", n, d);
  MatrixViewSpec s2;
  s2.title = title;
  s2.row_labels = names.data();
  s2.col_labels = dim_names.data();
  s2.highlight_row = x;
  s2.show_scale = false;
  const double lim = std::max(1e-6, double(e->weights.cwiseAbs().maxCoeff()));
  s2.v_min = -lim;
  s2.v_max = lim;
  const MatrixViewResult r2 = matrix_view("##W", e->weights, s2);
  if (r2.clicked_row >= 0) x = r2.clicked_row;
  ImGui::EndGroup();
  ImGui::SameLine(0, font * 2);
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(0, font * 1.5f));
  MatrixViewSpec s3 = s2;
  s3.row_labels = row_x;
  s3.highlight_row = -1;
  s3.title = "eₓ · W   (a matrix product, 1 × d)";
  const core::Mat prod = e->product.row(x);
  matrix_view("##product", prod, s3);
  ImGui::Dummy(ImVec2(0, font * 0.5f));
  s3.title = "W[x]   (a table lookup, 1 × d)";
  const core::Mat look = e->lookup.row(x);
  matrix_view("##lookup", look, s3);
  const double diff = double((prod - look).cwiseAbs().maxCoeff());
  ImGui::PushStyleColor(ImGuiCol_Text, diff == 0 ? ui_colors().good : ui_colors().error);
  ImGui::Text(diff == 0 ? "identical: max |eₓ·W − W[x]| = 0" : "max |eₓ·W − W[x]| = %.3g", diff);
  ImGui::PopStyleColor();
  ImGui::TextDisabled("The product costs |V| × d = %d multiply-adds,", n * d);
  ImGui::TextDisabled("the lookup copies d = %d numbers.", d);
  ImGui::EndGroup();
  return {};
}

}  // namespace lab::ui
