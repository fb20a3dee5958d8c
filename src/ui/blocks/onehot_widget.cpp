// Widget for "onehot": the one-hot matrix (one row per symbol) and the distance table, where every
// off-diagonal entry is √2.
#include <algorithm>

#include "imgui.h"
#include "runtime/blocks/blocks.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"

namespace lab::ui {

void widget_onehot(LabApp&, runtime::BlockRun& run, const runtime::LabBlock&) {
  auto* e = dynamic_cast<runtime::OnehotExperiment*>(run.experiment.get());
  if (!e || !e->done() || e->vocab.empty()) return;
  const int n = int(e->vocab.size());
  ImGui::TextWrapped("Each symbol is a vector of length |V| = %d with a single 1:", n);
  const int cols = std::min(n, 63) + 1;
  const float row_h = ImGui::GetTextLineHeightWithSpacing() + 2 * ImGui::GetStyle().CellPadding.y;
  const ImVec2 table_size(0, row_h * float(std::min(n, 16) + 1) + ImGui::GetStyle().ScrollbarSize + 4);
  if (ImGui::BeginTable("##onehot", cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX |
                        ImGuiTableFlags_ScrollY, table_size)) {
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("symbol");
    for (int j = 0; j + 1 < cols; ++j) ImGui::TableSetupColumn(e->vocab[size_t(j)].c_str());
    ImGui::TableHeadersRow();
    for (int i = 0; i < n; ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e->vocab[size_t(i)].c_str());
      for (int j = 0; j + 1 < cols; ++j) {
        ImGui::TableNextColumn();
        const bool one = e->onehot(i, j) != 0;
        if (one) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, IM_COL32(0, 114, 178, 90));
        ImGui::TextDisabled(one ? "" : "0");
        if (one) {
          ImGui::SameLine(0, 0);
          ImGui::TextUnformatted("1");
        }
      }
    }
    ImGui::EndTable();
  }
  if (ImGui::TreeNode("Distances ‖eᵢ − eⱼ‖ between the one-hot vectors")) {
    if (ImGui::BeginTable("##dist", cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX |
                          ImGuiTableFlags_ScrollY, table_size)) {
      ImGui::TableSetupScrollFreeze(1, 1);
      ImGui::TableSetupColumn("");
      for (int j = 0; j + 1 < cols; ++j) ImGui::TableSetupColumn(e->vocab[size_t(j)].c_str());
      ImGui::TableHeadersRow();
      for (int i = 0; i < n; ++i) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(e->vocab[size_t(i)].c_str());
        for (int j = 0; j + 1 < cols; ++j) {
          ImGui::TableNextColumn();
          ImGui::Text("%.3f", double(e->distances(i, j)));
        }
      }
      ImGui::EndTable();
    }
    ImGui::TreePop();
  }
}

}  // namespace lab::ui
