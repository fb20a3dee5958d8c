// Widget for "rec-feedback": per round, what the recommender shows (coverage, concentration) and
// whom it serves (click rate per group); engagement against satisfaction when some movies are
// clickbait; the audit of the final ranking when the block asks for one.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/rec_feedback.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace {

// Clicks against the clicks users are glad of, and how much of the lists is clickbait.
void engagement_plot(LabApp& app, const runtime::RecFeedbackExperiment& e, const std::vector<float>& x, ImVec2 size) {
  const auto& hist = e.sim.history;
  std::vector<float> ctr, glad, bait;
  for (const auto& r : hist) {
    ctr.push_back(float(r.ctr));
    glad.push_back(float(r.satisfaction));
    bait.push_back(float(r.bait_share));
  }
  PlotSpec p;
  p.title = "Clicks are not satisfaction";
  p.x_label = "round";
  p.y_label = "share";
  p.x_min = 0.5;
  p.x_max = e.opt.rounds + 0.5;
  p.y_min = 0;
  p.legend = PlotLegend::Outside;
  ImGui::BeginGroup();
  if (plot_begin("##fb-engagement", p, size)) {
    plot_line("click rate", x.data(), ctr.data(), int(x.size()));
    plot_line("glad clicks per shown movie", x.data(), glad.data(), int(x.size()));
    plot_line("share of the lists that is clickbait", x.data(), bait.data(), int(x.size()));
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##fb-engagement", "rec-feedback-engagement");
}

// The audit: what changes when each input is shuffled, and the figures per group.
void audit_tables(const core::recsys::FeedbackAudit& a) {
  constexpr ImGuiTableFlags kFlags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
  // Tall enough for the header and the rows, plus a sideways scroll bar on a narrow screen.
  const float row_h = ImGui::GetTextLineHeightWithSpacing() + 2 * ImGui::GetStyle().CellPadding.y;
  const auto height = [&](size_t rows) { return ImVec2(0, row_h * float(rows + 1) + ImGui::GetStyle().ScrollbarSize + 4); };
  ImGui::TextWrapped("Audit of the ranking after the last round (the lists the next round would show, before exploration): "
                     "permutation importance, each input shuffled across users or movies");
  if (ImGui::BeginTable("##fb-importance", 3, kFlags, height(a.importance.size()))) {
    ImGui::TableSetupScrollFreeze(1, 0);
    ImGui::TableSetupColumn("input shuffled");
    ImGui::TableSetupColumn("list slots that change");
    ImGui::TableSetupColumn("change in click rate");
    ImGui::TableHeadersRow();
    for (const auto& i : a.importance) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(i.input);
      ImGui::TableNextColumn();
      ImGui::Text("%.1f%%", 100 * i.slots_changed);
      ImGui::TableNextColumn();
      ImGui::Text("%+.3f", i.ctr_change);
    }
    ImGui::EndTable();
  }
  ImGui::TextWrapped("Per group, on the same lists (the group is not an input of the recommender; the auditor knows it)");
  if (ImGui::BeginTable("##fb-groups-table", 5, kFlags, height(a.groups.size()))) {
    ImGui::TableSetupScrollFreeze(1, 0);
    ImGui::TableSetupColumn("group");
    ImGui::TableSetupColumn("users");
    ImGui::TableSetupColumn("click rate of their lists");
    ImGui::TableSetupColumn("share on the 10% most clicked");
    ImGui::TableSetupColumn("share of the training clicks");
    ImGui::TableHeadersRow();
    for (const auto& g : a.groups) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(g.group);
      ImGui::TableNextColumn();
      ImGui::Text("%d", g.users);
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", g.ctr);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f%%", 100 * g.popular_share);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f%%", 100 * g.train_share);
    }
    ImGui::EndTable();
  }
}

}  // namespace

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
  // A phone gets taller plots (their legends sit inside them there).
  const float w = ImGui::GetContentRegionAvail().x;
  const bool narrow = w < ImGui::GetFontSize() * 30;
  const ImVec2 size(w, narrow ? w * 0.9f : std::min(w * 0.4f, ImGui::GetFontSize() * 13));
  PlotSpec a;
  a.title = "What gets shown, round after round";
  a.x_label = "round";
  a.y_label = "share";
  a.x_min = 0.5;
  a.x_max = e->opt.rounds + 0.5;
  a.y_min = 0;
  a.y_max = 1;
  a.legend = PlotLegend::Outside;
  a.narrow_legend = PlotLegend::SouthWest;
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
    const bool heavy = e->opt.minority_activity > 1;
    plot_line(heavy ? "majority (light users)" : "majority", x.data(), maj.data(), int(n));
    plot_line(heavy ? "minority (heavy users)" : "minority", x.data(), mino.data(), int(n));
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##fb-groups", "rec-feedback-groups");
  if (e->opt.clickbait_share > 0) engagement_plot(app, *e, x, size);
  if (e->audit && !e->report.importance.empty()) audit_tables(e->report);
  if (n > 0)
    ImGui::Text("Round %d: coverage %.0f%%, Gini %.2f, click rate majority %.3f vs minority %.3f, %lld clicks collected.",
                hist.back().round, 100 * hist.back().coverage, hist.back().gini, hist.back().ctr_majority, hist.back().ctr_minority,
                (long long)hist.back().total_clicks);
  return {};
}

}  // namespace lab::ui
