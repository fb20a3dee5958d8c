// Widget for "rec-coldstart": a table of RMSE per model family and group of ratings, and the error
// by how many training ratings the movie (and the user) had.
#include <cmath>
#include <cstdio>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/rec_coldstart.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/blocks/projector_tsv.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace {

using Exp = runtime::RecColdstartExperiment;

const char* const kFamilyLabels[Exp::kFamilies] = {"content-based (features, no ids)", "collaborative (MF, ids only)",
                                                   "hybrid (MF + feature MLP)"};

void cell(double v) {
  ImGui::TableNextColumn();
  if (std::isfinite(v)) ImGui::Text("%.3f", v);
  else ImGui::TextDisabled("n/a");
}

void rmse_table(const Exp& e) {
  const int cols = e.cold ? 5 : 2;
  // Columns at their natural width; on a narrow screen the table scrolls sideways instead of cutting
  // the numbers (and keeps the model column in view).
  const float row_h = ImGui::GetTextLineHeightWithSpacing() + 2 * ImGui::GetStyle().CellPadding.y;
  if (!ImGui::BeginTable("##rmse", cols,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX,
                         ImVec2(0, row_h * 5 + ImGui::GetStyle().ScrollbarSize + 4)))
    return;
  ImGui::TableSetupScrollFreeze(1, 0);
  ImGui::TableSetupColumn("model");
  ImGui::TableSetupColumn("RMSE, all held-out");
  if (e.cold) {
    ImGui::TableSetupColumn("new movies");
    ImGui::TableSetupColumn("new users");
    ImGui::TableSetupColumn("known users and movies");
  }
  ImGui::TableHeadersRow();
  auto row = [&](const char* label, const Exp::Errors& r, bool ready) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(label);
    if (!ready) {
      for (int c = 1; c < cols; ++c) {
        ImGui::TableNextColumn();
        ImGui::TextDisabled("training...");
      }
      return;
    }
    cell(r.all);
    if (e.cold) {
      cell(r.new_item);
      cell(r.new_user);
      cell(r.warm);
    }
  };
  row("the mean rating (no model)", e.mean_baseline, true);
  for (int f = 0; f < Exp::kFamilies; ++f) row(kFamilyLabels[f], e.errors[size_t(f)], f < e.family);
  ImGui::EndTable();
}

void bucket_plot(LabApp& app, const Exp& e, bool by_item, ImVec2 size) {
  PlotSpec s;
  s.title = by_item ? "Error by the movie's training ratings" : "Error by the user's training ratings";
  s.x_label = by_item ? "training ratings of the movie" : "training ratings of the user";
  s.y_label = "RMSE (stars)";
  s.x_tick_labels = runtime::kCountBucketNames.data();
  s.x_tick_count = runtime::kCountBuckets;
  s.x_min = -0.5;
  s.x_max = runtime::kCountBuckets - 0.5;
  s.legend = PlotLegend::Outside;
  s.narrow_legend = PlotLegend::SouthWest;
  const char* id = by_item ? "##cold-by-item" : "##cold-by-user";
  float xs[runtime::kCountBuckets];
  for (int b = 0; b < runtime::kCountBuckets; ++b) xs[b] = float(b);
  ImGui::BeginGroup();
  if (plot_begin(id, s, size)) {
    auto series = [&](const char* label, const Exp::Errors& r) {
      float ys[runtime::kCountBuckets];
      for (int b = 0; b < runtime::kCountBuckets; ++b)
        ys[b] = float(by_item ? r.by_item_count[size_t(b)] : r.by_user_count[size_t(b)]);
      plot_line(label, xs, ys, runtime::kCountBuckets);
    };
    series("mean rating", e.mean_baseline);
    const char* short_names[Exp::kFamilies] = {"content-based", "collaborative", "hybrid"};
    for (int f = 0; f < e.family && f < Exp::kFamilies; ++f) series(short_names[f], e.errors[size_t(f)]);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, id, by_item ? "rec-coldstart-by-movie" : "rec-coldstart-by-user");
}

}  // namespace

BlockCommand widget_rec_coldstart(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<Exp>(run);
  if (!e || !e->initialised || !e->error.ok) return {};
  rmse_table(*e);
  static const char* const kLabels[Exp::kFamilies] = {"↓ content-based model", "↓ collaborative model", "↓ hybrid model"};
  for (int f = 0; f < Exp::kFamilies; ++f) {
    if (f) ImGui::SameLine();
    model_save_button(app, f < e->family, [e, f] { return e->model_file(f); },
                      std::string("rec-coldstart-") + Exp::kFamilyNames[size_t(f)], nullptr, kLabels[f]);
  }
  if (e->cold)
    ImGui::TextWrapped("Held out: %d ratings of %d new movies, %d later ratings of new users (each kept %d in training), "
                       "%d others.",
                       e->n_new_item, int(std::lround(e->new_items * e->data.n_items)), e->n_new_user,
                       e->new_user_ratings, e->n_warm);
  const float w = ImGui::GetContentRegionAvail().x;
  // A phone gets taller plots (the legend sits inside them there).
  const bool narrow = w < ImGui::GetFontSize() * 30;
  const ImVec2 size(w, narrow ? w * 0.95f : std::min(w * 0.45f, ImGui::GetFontSize() * 14));
  bucket_plot(app, *e, true, size);
  bucket_plot(app, *e, false, size);
  return {};
}

}  // namespace lab::ui
