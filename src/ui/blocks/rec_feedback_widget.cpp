// Widget for "rec-feedback": per round, what the recommender shows (coverage, concentration) and
// whom it serves (click rate per group).
#include <algorithm>
#include <cstdio>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/rec_feedback.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

BlockCommand widget_rec_feedback(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::RecFeedbackExperiment>(run);
  if (!e || !e->initialised || !e->error.ok) return {};
  const auto& hist = e->sim.history;
  const size_t n = hist.size();
  std::vector<float> x(n), cov(n), gini(n), pop(n), maj(n), mino(n);
  for (size_t r = 0; r < n; ++r) {
    x[r] = float(hist[r].round);
    cov[r] = float(hist[r].coverage);
    gini[r] = float(hist[r].gini);
    pop[r] = float(hist[r].popular_share);
    maj[r] = float(hist[r].ctr_majority);
    mino[r] = float(hist[r].ctr_minority);
  }
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 size(w, std::min(w * 0.4f, ImGui::GetFontSize() * 13));
  PlotSpec a;
  a.title = "What gets shown, round after round";
  a.x_label = "round";
  a.y_label = "share";
  a.x_min = 0.5;
  a.x_max = e->opt.rounds + 0.5;
  a.y_min = 0;
  a.y_max = 1;
  a.legend = PlotLegend::Outside;
  ImGui::BeginGroup();
  if (plot_begin("##fb-shown", a, size)) {
    plot_line("catalogue coverage", x.data(), cov.data(), int(n));
    plot_line("Gini of exposure", x.data(), gini.data(), int(n));
    plot_line("share on the 10% most clicked", x.data(), pop.data(), int(n));
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##fb-shown", "rec-feedback-exposure");
  PlotSpec b;
  b.title = "Whom it serves: expected click rate per user group";
  b.x_label = "round";
  b.y_label = "click rate";
  b.x_min = 0.5;
  b.x_max = e->opt.rounds + 0.5;
  b.legend = PlotLegend::Outside;
  ImGui::BeginGroup();
  if (plot_begin("##fb-groups", b, size)) {
    plot_line("majority", x.data(), maj.data(), int(n));
    plot_line("minority", x.data(), mino.data(), int(n));
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##fb-groups", "rec-feedback-groups");
  if (n > 0)
    ImGui::Text("Round %d: coverage %.0f%%, Gini %.2f, click rate majority %.3f vs minority %.3f, %lld clicks collected.",
                hist.back().round, 100 * hist.back().coverage, hist.back().gini, hist.back().ctr_majority, hist.back().ctr_minority,
                (long long)hist.back().total_clicks);
  return {};
}

}  // namespace lab::ui
