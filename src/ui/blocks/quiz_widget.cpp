// Widget for "quiz": the question, one radio button per answer, a Check button and the explanation.
// The pick is the widget's own; checking it is the experiment's (its answered_right metric).
#include "imgui.h"
#include "runtime/blocks/blocks.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"

namespace lab::ui {

namespace {

struct QuizView {
  int picked = -1;  // the radio button chosen, checked or not
};

}  // namespace

BlockCommand widget_quiz(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* q = experiment_as<runtime::QuizExperiment>(run);
  if (!q) return {};
  int& picked = app.ui.block_views.get<QuizView>(run).picked;
  BlockCommand command;
  ImGui::TextWrapped("%s", q->question.c_str());
  for (int i = 0; i < int(q->choices.size()); ++i) {
    ImGui::PushID(i);
    if (ImGui::RadioButton(q->choices[size_t(i)].c_str(), picked == i)) {
      picked = i;
      command = QuizCheck{-1};  // a new pick is not checked yet
    }
    ImGui::PopID();
  }
  ImGui::BeginDisabled(picked < 0);
  if (ImGui::Button("Check")) command = QuizCheck{picked};
  ImGui::EndDisabled();
  if (q->checked_choice >= 0) {
    const bool right = q->checked_choice == q->answer;
    ImGui::PushStyleColor(ImGuiCol_Text, right ? ui_colors().good : ui_colors().error);
    ImGui::TextWrapped("%s", right ? "✓ Right." : "✗ Not quite — try again.");
    ImGui::PopStyleColor();
    if (right && !q->explanation.empty()) ImGui::TextWrapped("%s", q->explanation.c_str());
  }
  return command;
}

}  // namespace lab::ui
