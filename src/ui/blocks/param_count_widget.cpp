// Widget for "param-count": input widths and first-layer weights for one-hot vs embedding inputs,
// as a table and as bars on a log scale.
#include <cstdio>

#include "imgui.h"
#include "runtime/blocks/param_count.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

static std::string grouped(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  std::string s = buf, out;
  const int n = int(s.size());
  for (int i = 0; i < n; ++i) {
    out += s[size_t(i)];
    if ((n - 1 - i) % 3 == 0 && i + 1 < n) out += "\u2009";  // thin space between thousands
  }
  return out;
}

BlockCommand widget_param_count(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::ParamCountExperiment>(run);
  if (!e) return {};
  const double v = double(e->vocab_size), d = double(e->dim);
  const double onehot = double(e->onehot_layer_parameters), embedded = double(e->embedding_layer_parameters);
  if (ImGui::BeginTable("##counts", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("input");
    ImGui::TableSetupColumn("input width");
    ImGui::TableSetupColumn("parameters of the input side");
    ImGui::TableSetupColumn("memory (float32)");
    ImGui::TableHeadersRow();
    auto row = [&](const char* name, double width, const std::string& formula, double weights) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(grouped(width).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s = %s", formula.c_str(), grouped(weights).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.3g MB", weights * 4 / 1e6);
    };
    row("one-hot → dense(h)", v, "|V|·h + h", onehot);
    row("embedding(d) → dense(h)", d, "|V|·d + d·h + h", embedded);
    ImGui::EndTable();
  }
  if (!e->built)
    ImGui::TextDisabled("A layer is too large for the lab's memory budget: its count is read from its shape, not from a built layer.");
  static const char* const kLabels[] = {"one-hot width |V|", "embedding width d", "one-hot layer parameters", "table + layer parameters"};
  const double values[] = {v, d, onehot, embedded};
  PlotSpec spec;
  spec.title = "Sizes on a log scale";
  spec.y_label = "count";
  spec.log_y = true;
  spec.x_tick_labels = kLabels;
  spec.x_tick_count = 4;
  spec.legend = PlotLegend::None;
  const float w = ImGui::GetContentRegionAvail().x;
  ImGui::BeginGroup();
  if (plot_begin("##sizes", spec, ImVec2(std::min(w, ImGui::GetFontSize() * 36), ImGui::GetFontSize() * 14))) {
    plot_bars("count", values, 4);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##sizes", "param-count");
  return {};
}

}  // namespace lab::ui
