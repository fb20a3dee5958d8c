// Widget for "quiz": the question, one radio button per answer, a Check button and the explanation.
#include "imgui.h"
#include "runtime/blocks/blocks.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"

namespace lab::ui {

void widget_quiz(LabApp&, runtime::BlockRun& run, const runtime::LabBlock&) {
  auto* q = dynamic_cast<runtime::QuizExperiment*>(run.experiment.get());
  if (!q) return;
  ImGui::TextWrapped("%s", q->question.c_str());
  for (int i = 0; i < int(q->choices.size()); ++i) {
    ImGui::PushID(i);
    if (ImGui::RadioButton(q->choices[size_t(i)].c_str(), q->picked == i)) {
      q->picked = i;
      q->checked = false;
    }
    ImGui::PopID();
  }
  ImGui::BeginDisabled(q->picked < 0);
  if (ImGui::Button("Check")) q->checked = true;
  ImGui::EndDisabled();
  if (q->checked) {
    const bool right = q->picked == q->answer;
    ImGui::PushStyleColor(ImGuiCol_Text, right ? ImVec4(0.0f, 0.55f, 0.35f, 1.0f) : ImVec4(0.8f, 0.15f, 0.1f, 1.0f));
    ImGui::TextWrapped("%s", right ? "✓ Right." : "✗ Not quite — try again.");
    ImGui::PopStyleColor();
    if (right && !q->explanation.empty()) ImGui::TextWrapped("%s", q->explanation.c_str());
  }
}

}  // namespace lab::ui
