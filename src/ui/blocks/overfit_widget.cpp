// Widget for "overfit-dropout" and "overfit-regularise": one loss plot per run, side by side on the
// same axes (training and validation loss per epoch, the best epoch marked), and a table of what
// each run reached.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "runtime/blocks/overfit.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

BlockCommand widget_overfit(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block) {
  const auto* e = experiment_as<runtime::OverfitExperiment>(run);
  if (!e || !e->error.ok || e->runs.empty()) return {};
  const int n = int(e->runs.size());
  // One y range for all runs so their curves compare at a glance.
  double y_max = 0;
  for (const runtime::TrainRun& r : e->runs) {
    for (float v : r.history().train_loss) y_max = std::max(y_max, double(v));
    for (float v : r.history().val_loss) y_max = std::max(y_max, double(v));
  }
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - spacing * float(n - 1)) / float(n);
  const float h = std::min(w * 0.8f, ImGui::GetFontSize() * 17);
  const int best = runtime::overfit_best_run(e->runs);
  for (int i = 0; i < n; ++i) {
    const runtime::TrainRun& r = e->runs[size_t(i)];
    const core::nn::TrainHistory& hist = r.history();
    std::vector<float> xs(std::max(hist.train_loss.size(), hist.val_loss.size()));
    for (size_t k = 0; k < xs.size(); ++k) xs[k] = float(k + 1);
    if (i > 0) ImGui::SameLine();
    ImGui::BeginGroup();  // the column: plot, export buttons, status
    ImGui::BeginGroup();
    char id[16], title[160];
    std::snprintf(id, sizeof id, "##run%d", i);
    std::snprintf(title, sizeof title, "%s%s", r.label.c_str(), r.finished() && e->done() && i == best && n > 2 ? "  (best)" : "");
    PlotSpec spec;
    spec.title = title;
    spec.x_label = "epoch";
    spec.y_label = "cross-entropy loss";
    spec.x_min = 1;
    spec.x_max = std::max(2, r.tr.opt.epochs);
    spec.y_min = 0;
    if (y_max > 0) spec.y_max = std::min(y_max * 1.05, 3.0);  // the first epoch can start far higher
    if (plot_begin(id, spec, ImVec2(w, h))) {
      plot_line("training", xs.data(), hist.train_loss.data(), int(hist.train_loss.size()));
      plot_line("validation", xs.data(), hist.val_loss.data(), int(hist.val_loss.size()));
      if (r.best_epoch() > 0) plot_vline("##lowest validation loss", r.best_epoch());  // explained in the caption
      plot_end();
    }
    ImGui::EndGroup();
    std::string stem = block.kind_name + "-run" + std::to_string(i + 1);
    export_buttons(app, id, stem);
    if (!r.status.ok) {
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
      ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().error);
      ImGui::TextWrapped("%s", r.status.message.c_str());
      ImGui::PopStyleColor();
      ImGui::PopTextWrapPos();
    }
    ImGui::EndGroup();
  }
  // What each run reached. Two-line headers: nine columns fit beside each other.
  const bool reg = e->mode == runtime::OverfitExperiment::Mode::Regularise;
  ImGui::TextDisabled("Dashed line: the epoch with the lowest validation loss.");
  if (ImGui::BeginTable("##summary", reg ? 9 : 7, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("run");
    ImGui::TableSetupColumn("lowest val.\nloss (epoch)");
    ImGui::TableSetupColumn("val. acc.\nthere");
    ImGui::TableSetupColumn("val. loss,\nlast 5");
    ImGui::TableSetupColumn("rise");
    ImGui::TableSetupColumn("train\nloss");
    ImGui::TableSetupColumn("wrong labels\nlearnt");
    if (reg) ImGui::TableSetupColumn("val. error,\nlast 5");
    if (reg) ImGui::TableSetupColumn("parameters");
    ImGui::TableHeadersRow();
    for (int i = 0; i < n; ++i) {
      const runtime::TrainRun& r = e->runs[size_t(i)];
      const core::nn::TrainHistory& hist = r.history();
      ImGui::TableNextRow();
      if (i == best && e->done() && n > 2) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(0, 158, 115, 50));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(reg ? (i == 0 ? "reference" : "other net") : r.label.c_str());
      ImGui::TableNextColumn();
      if (r.best_epoch() > 0) ImGui::Text("%.3f (%d)", r.best_val_loss(), r.best_epoch());
      ImGui::TableNextColumn();
      if (r.best_epoch() > 0) ImGui::Text("%.1f %%", 100.0 * hist.val_metric[size_t(r.best_epoch() - 1)]);
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", r.late_val_loss());
      ImGui::TableNextColumn();
      ImGui::Text("%+.3f", r.late_val_loss() - r.best_val_loss());
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", r.last(hist.train_loss));
      ImGui::TableNextColumn();
      if (size_t(i) < e->memorised.size() && !e->memorised[size_t(i)].empty())
        ImGui::Text("%.0f %%", 100.0 * e->memorised[size_t(i)].back());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("share of the %d randomised training labels the net reproduces: memorised noise", e->noisy);
      if (reg) {
        ImGui::TableNextColumn();
        if (r.epochs_done() > 0) ImGui::Text("%.1f %%", 100.0 * runtime::overfit_late_val_error(r));
        ImGui::TableNextColumn();
        ImGui::Text("%lld", (long long)core::nn::param_count(r.objective->model.params()));
      }
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("%d of %d training labels are wrong on purpose; validation labels are all correct.", e->noisy,
                      int(e->data.x_train.rows()));
  return {};
}

}  // namespace lab::ui
