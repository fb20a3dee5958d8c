// Widget for "rec-course": one row per model of the course's notebooks: its settings, the course's
// figure on the real MovieLens-100k, this run's figure on the lessons' ratings, and the time it took.
#include <cstdio>

#include "imgui.h"
#include "runtime/blocks/rec_course.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/blocks/rec_banner.h"

namespace lab::ui {

BlockCommand widget_rec_course(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::RecCourseExperiment>(run);
  if (!e || !e->loaded || !e->error.ok) return {};
  rec_data_banner(app, e->data);
  // Short column heads: the table must fit a phone's width (390 px); what the numbers are goes above.
  ImGui::TextWrapped(e->implicit ? "ROC AUC on the held-out positives (higher is better; 0.5 = chance):"
                                 : "Test MAE in stars (lower is better):");
  if (ImGui::BeginTable("##rec-course", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("model (the course's settings)", ImGuiTableColumnFlags_WidthStretch, 3);
    ImGui::TableSetupColumn("course", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("this run", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("time", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < e->rows.size(); ++i) {
      const runtime::RecCourseRow& r = e->rows[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", r.label.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", r.course);
      ImGui::TableNextColumn();
      if (r.done) ImGui::Text("%.3f", r.value);
      else if (int(i) == e->current) ImGui::TextDisabled("running");
      else ImGui::TextDisabled("waiting");
      ImGui::TableNextColumn();
      if (r.done) ImGui::Text("%.1f s", r.seconds);
    }
    ImGui::EndTable();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
  if (e->user_data) {
    ImGui::TextWrapped("Your copy of the ratings, split 80/20 at random (seed %llu) as in the notebooks%s. Runs on the full data "
                       "take longer than on the generated data: each row trains on this computer, a slice per frame.",
                       (unsigned long long)e->data_seed, e->implicit ? " (the course's AUC used GroupLens' ua split)" : "");
  } else {
    ImGui::TextWrapped("The course's figures are for the real MovieLens-100k (943 users, 1,682 movies, 100,000 ratings); these runs "
                       "use the generated data, so compare how the models rank, not the values.");
    if (e->noise_floor_mae > 0)
      ImGui::TextWrapped("On this data no model can beat a test MAE of %.3f (the generator's noise).", e->noise_floor_mae);
  }
  if (!e->implicit)
    ImGui::TextWrapped("5 classes: the rating predicted is the most probable class, as in the course's notebook (argmax), so it is "
                       "always a whole number of stars.");
  ImGui::PopStyleColor();
  return {};
}

}  // namespace lab::ui
