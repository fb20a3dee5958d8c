// Widget for "onehot": the one-hot matrix (one row per symbol) and the distance table, where every
// off-diagonal entry is √2.
#include <algorithm>
#include <cstdio>

#include "imgui.h"
#include "runtime/blocks/blocks.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"

namespace lab::ui {

namespace {

// A |V| × |V| table with the vocabulary as row and column headers; cell(i, j) draws one entry.
template <class CellFn>
void symbol_table(const char* id, const std::vector<std::string>& vocab, CellFn cell) {
  const int n = int(vocab.size());
  const int cols = std::min(n, 63) + 1;
  const float row_h = ImGui::GetTextLineHeightWithSpacing() + 2 * ImGui::GetStyle().CellPadding.y;
  const ImVec2 size(0, row_h * float(std::min(n, 16) + 1) + ImGui::GetStyle().ScrollbarSize + 4);
  if (!ImGui::BeginTable(id, cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX |
                                       ImGuiTableFlags_ScrollY, size))
    return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("symbol");
  for (int j = 0; j + 1 < cols; ++j) ImGui::TableSetupColumn(vocab[size_t(j)].c_str());
  ImGui::TableHeadersRow();
  for (int i = 0; i < n; ++i) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(vocab[size_t(i)].c_str());
    for (int j = 0; j + 1 < cols; ++j) {
      ImGui::TableNextColumn();
      cell(i, j);
    }
  }
  ImGui::EndTable();
}

}  // namespace

BlockCommand widget_onehot(LabApp&, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::OnehotExperiment>(run);
  if (!e || !e->done() || e->vocab.empty()) return {};
  ImGui::TextWrapped("Each symbol is a vector of length |V| = %d with a single 1:", int(e->vocab.size()));
  symbol_table("##onehot", e->vocab, [&](int i, int j) {
    if (e->onehot(i, j) != 0) {
      ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, IM_COL32(0, 114, 178, 90));
      ImGui::TextUnformatted("1");
    } else {
      ImGui::TextDisabled("0");
    }
  });
  if (ImGui::TreeNode("Distances ‖eᵢ − eⱼ‖ between the one-hot vectors")) {
    symbol_table("##dist", e->vocab, [&](int i, int j) { ImGui::Text("%.3f", double(e->distances(i, j))); });
    ImGui::TreePop();
  }
  return {};
}

}  // namespace lab::ui
