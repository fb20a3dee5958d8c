// Widget for "dropout-ensemble": the gap between the mean prediction of K thinned networks and the
// full network, against K on log–log axes (with a 1/√K guide), and the accuracy of the mean of K
// beside the full network's; a line of numbers under them.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/dropout_ensemble.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

BlockCommand widget_dropout_ensemble(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block) {
  const auto* e = experiment_as<runtime::DropoutEnsembleExperiment>(run);
  if (!e || !e->error.ok || e->runs.empty()) return {};
  if (!e->trained()) {
    ImGui::TextDisabled("Training the network with dropout (%s) ...", e->progress_text().c_str());
    return {};
  }
  const int n = int(e->prob_gap.size());
  std::vector<float> ks(static_cast<size_t>(n)), guide(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    ks[size_t(i)] = float(i + 1);
    guide[size_t(i)] = n > 0 ? e->logit_gap[0] / std::sqrt(float(i + 1)) : 0.0f;
  }
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - spacing) / 2;
  const float h = std::min(w * 0.8f, ImGui::GetFontSize() * 17);

  ImGui::BeginGroup();
  PlotSpec gap;
  gap.title = "Mean of K thinned networks vs the full network";
  gap.x_label = "K (masks averaged)";
  gap.y_label = "gap to the full network";
  gap.log_x = true;
  gap.log_y = true;
  gap.x_min = 1;
  gap.x_max = std::max(2, e->masks);
  if (plot_begin("##gap", gap, ImVec2(w, h))) {
    plot_line("logits: mean |Δ|", ks.data(), e->logit_gap.data(), n);
    plot_line("probabilities: ½‖Δ‖₁", ks.data(), e->prob_gap.data(), n);
    plot_set_next_weight(1);
    plot_line("∝ 1/√K##guide", ks.data(), guide.data(), n);
    plot_end();
  }
  export_buttons(app, "##gap", block.kind_name + "-gap");
  ImGui::EndGroup();

  ImGui::SameLine();
  ImGui::BeginGroup();
  PlotSpec acc;
  acc.title = "Validation accuracy";
  acc.x_label = "K (masks averaged)";
  acc.y_label = "accuracy";
  acc.log_x = true;
  acc.x_min = 1;
  acc.x_max = std::max(2, e->masks);
  acc.legend = PlotLegend::SouthEast;
  if (plot_begin("##acc", acc, ImVec2(w, h))) {
    plot_line("mean of K thinned networks", ks.data(), e->acc_mc.data(), n);
    plot_hline("full network (no mask)", e->acc_full);
    plot_end();
  }
  export_buttons(app, "##acc", block.kind_name + "-accuracy");
  ImGui::EndGroup();

  if (n > 0) {
    const size_t last = size_t(n - 1);
    ImGui::TextWrapped("K = 1: logit gap %.3f, probability gap %.3f, accuracy %.1f %%.   K = %d: logit gap %.4f, probability gap %.4f, "
                "accuracy %.1f %% (full network %.1f %%), same class as the full network on %.1f %% of digits.",
                e->logit_gap[0], e->prob_gap[0], 100.0 * e->acc_mc[0], n, e->logit_gap[last], e->prob_gap[last],
                100.0 * e->acc_mc[last], 100.0 * e->acc_full, 100.0 * e->agree[last]);
  }
  ImGui::TextDisabled("Each thinned network: the trained weights under one dropout mask (training-mode pass); the full network: no mask.");
  return {};
}

}  // namespace lab::ui
