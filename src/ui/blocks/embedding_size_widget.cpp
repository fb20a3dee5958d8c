// Widget for "embedding-size": training and held-out RMSE against the embedding size d (log axis),
// the noise floor and the best d marked, filled in as each d finishes; a line of numbers under it.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/embedding_size.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

BlockCommand widget_embedding_size(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block) {
  const auto* e = experiment_as<runtime::EmbeddingSizeExperiment>(run);
  if (!e || !e->error.ok || e->dims.empty()) return {};
  const int n = int(e->val_rmse.size());
  std::vector<double> ds(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) ds[size_t(i)] = double(e->dims[size_t(i)]);
  PlotSpec spec;
  spec.title = "Matrix factorisation: error against the embedding size";
  spec.x_label = "embedding size d";
  spec.y_label = "RMSE (stars)";
  spec.log_x = true;
  spec.x_min = 0.8;
  spec.x_max = double(e->dims.back()) * 1.25;
  spec.legend = PlotLegend::SouthWest;  // the curves' right half is where the held-out hump is
  const float w = ImGui::GetContentRegionAvail().x;
  if (plot_begin("##size", spec, ImVec2(w, std::min(w * 0.5f, ImGui::GetFontSize() * 17)))) {
    plot_line("held-out", ds.data(), e->val_rmse.data(), n);
    plot_line("training (last epoch)", ds.data(), e->train_rmse.data(), n);
    plot_set_next_color(palette_color(0));
    plot_scatter("##held-out points", ds.data(), e->val_rmse.data(), n);  // one trained model per point
    plot_set_next_color(palette_color(1));
    plot_scatter("##training points", ds.data(), e->train_rmse.data(), n);
    if (n > 0) plot_hline("noise floor", e->noise_floor);
    if (e->done() && e->best_index() >= 0) plot_vline("lowest held-out", double(e->dims[size_t(e->best_index())]));
    plot_end();
  }
  export_buttons(app, "##size", block.kind_name);
  if (e->done() && n > 0) {
    const size_t b = size_t(e->best_index());
    ImGui::TextWrapped("Held-out RMSE: %.3f at d = 1, lowest %.3f at d = %d, %.3f at d = %d (training %.3f there). Noise floor %.3f.",
                e->val_rmse.front(), e->val_rmse[b], e->dims[b], e->val_rmse.back(), e->dims.back(), e->train_rmse.back(),
                e->noise_floor);
  }
  ImGui::TextDisabled("One model per d, same data, split, optimiser and epochs; errors after the last epoch (no early stopping).");
  return {};
}

}  // namespace lab::ui
