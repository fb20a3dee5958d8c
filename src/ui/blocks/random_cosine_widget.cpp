// Widget for "random-cosine": a histogram of the cosines of random pairs, with 1/√d for comparison.
#include <cmath>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/blocks.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"

namespace lab::ui {

void widget_random_cosine(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock&) {
  auto* e = dynamic_cast<runtime::RandomCosineExperiment*>(run.experiment.get());
  if (!e) return;
  constexpr int kBins = 41;
  std::vector<float> counts(kBins, 0.0f);
  for (float c : e->cosines) {
    const int b = std::clamp(int((c + 1.0f) * 0.5f * kBins), 0, kBins - 1);
    counts[size_t(b)] += 1.0f;
  }
  float peak = 1;
  for (float c : counts) peak = std::max(peak, c);
  char overlay[96];
  std::snprintf(overlay, sizeof overlay, "cosine from −1 (left) to +1 (right), d = %d", e->dim);
  ImGui::PlotHistogram("##cos", counts.data(), kBins, 0, overlay, 0.0f, peak * 1.1f,
                       ImVec2(-FLT_MIN, ImGui::GetFontSize() * 9 * (app.ui.scale > 0 ? 1.0f : 1.0f)));
  const auto m = e->metrics();
  ImGui::Text("spread (std) of the cosine: %.3f     1/√d = %.3f", m[2].value, m[3].value);
}

}  // namespace lab::ui
