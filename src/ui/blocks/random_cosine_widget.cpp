// Widget for "random-cosine": a histogram of the cosines of random pairs, with ±1/√d marked.
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "runtime/blocks/blocks.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

BlockCommand widget_random_cosine(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::RandomCosineExperiment>(run);
  if (!e) return {};
  char title[96];
  std::snprintf(title, sizeof title, "Cosine of %d random pairs in %d dimensions", int(e->cosines.size()), e->dim);
  PlotSpec spec;
  spec.title = title;
  spec.x_label = "cosine similarity";
  spec.y_label = "pairs";
  spec.x_min = -1;
  spec.x_max = 1;
  const float w = ImGui::GetContentRegionAvail().x;
  ImGui::BeginGroup();
  if (plot_begin("##cosines", spec, ImVec2(w, std::min(w * 0.45f, ImGui::GetFontSize() * 16)))) {
    plot_histogram("cosines", e->cosines.data(), int(e->cosines.size()), 41, -1.0, 1.0);
    const double s = 1.0 / std::sqrt(double(e->dim));
    plot_vline("−1/√d", -s);
    plot_vline("+1/√d", s);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##cosines", "random-cosine-d" + std::to_string(e->dim));
  const auto m = e->metrics();
  ImGui::SameLine();
  ImGui::Text("   spread (std) of the cosine: %.3f     1/√d = %.3f", m[2].value, m[3].value);
  return {};
}

}  // namespace lab::ui
