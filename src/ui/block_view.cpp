#include "ui/block_view.h"

#include <cmath>
#include <string>

#include "imgui.h"
#include "runtime/blocks/batchnorm.h"
#include "runtime/blocks/blocks.h"
#include "runtime/blocks/dropout_ensemble.h"
#include "runtime/blocks/dropout_mask.h"
#include "runtime/blocks/embedding_size.h"
#include "runtime/blocks/embedding_distances.h"
#include "runtime/blocks/embedding_lookup.h"
#include "runtime/blocks/embedding_train.h"
#include "runtime/blocks/overfit.h"
#include "runtime/blocks/param_count.h"
#include "runtime/blocks/projection.h"
#include "runtime/blocks/rec_course.h"
#include "runtime/blocks/rec_data.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/blocks/rec_feedback.h"
#include "runtime/blocks/rec_coldstart.h"
#include "runtime/blocks/rec_youtube.h"
#include "runtime/blocks/rec_implicit.h"
#include "runtime/model_code.h"
#include "ui/app_ui.h"
#include "ui/block_text.h"
#include "ui/widgets/code_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

std::span<const BlockWidgetEntry> block_widgets() {
  // One line per registered lab-block kind, in block_registry.cpp's order. A kind with nothing of
  // its own to draw says so: {&runtime::block_kind_xxx(), nullptr}.
  static const BlockWidgetEntry table[] = {
      {&runtime::block_kind_onehot(), widget_onehot},
      {&runtime::block_kind_embedding_lookup(), widget_embedding_lookup},
      {&runtime::block_kind_param_count(), widget_param_count},
      {&runtime::block_kind_embedding_train(), widget_embedding_train},
      {&runtime::block_kind_embedding_distances(), widget_embedding_distances},
      {&runtime::block_kind_projection(), widget_projection},
      {&runtime::block_kind_random_cosine(), widget_random_cosine},
      {&runtime::block_kind_quiz(), widget_quiz},
      {&runtime::block_kind_overfit_dropout(), widget_overfit},
      {&runtime::block_kind_overfit_regularise(), widget_overfit},
      {&runtime::block_kind_dropout_mask(), widget_dropout_mask},
      {&runtime::block_kind_dropout_ensemble(), widget_dropout_ensemble},
      {&runtime::block_kind_embedding_size(), widget_embedding_size},
      {&runtime::block_kind_batchnorm_compare(), widget_batchnorm_compare},
      {&runtime::block_kind_batchnorm_inference(), widget_batchnorm_inference},
      {&runtime::block_kind_rec_data(), widget_rec_data},
      {&runtime::block_kind_rec_explicit(), widget_rec_explicit},
      {&runtime::block_kind_rec_implicit(), widget_rec_implicit},
      {&runtime::block_kind_rec_course(), widget_rec_course},
      {&runtime::block_kind_rec_feedback(), widget_rec_feedback},
      {&runtime::block_kind_rec_coldstart(), widget_rec_coldstart},
      {&runtime::block_kind_rec_youtube(), widget_rec_youtube},
  };
  return table;
}

const BlockWidgetEntry* block_widget_find(const runtime::BlockKind& kind) {
  for (const BlockWidgetEntry& w : block_widgets())
    if (w.kind == &kind) return &w;
  return nullptr;
}

namespace {

// Returns true when the knob's value was changed (and released) by the student.
bool knob_widget(runtime::BlockRun& run, const runtime::Knob& knob, const runtime::ParamSpec& spec, std::string* new_value) {
  runtime::ParamValue& v = run.config.values[spec.name];
  const char* label = spec.name.c_str();
  bool changed = false;
  switch (spec.type) {
    case runtime::ParamType::Int: {
      int x = int(std::lround(v.number));
      // Write back only what the student moved: the value from the lesson or a link stays exact.
      if (ImGui::SliderInt(label, &x, int(knob.min), int(knob.max), "%d",
                           knob.log_scale ? ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp : ImGuiSliderFlags_AlwaysClamp)) {
        if (knob.step > 1) x = int(knob.min + std::round((x - knob.min) / knob.step) * knob.step);
        v.number = x;
      }
      changed = ImGui::IsItemDeactivatedAfterEdit();
      *new_value = std::to_string(x);
      break;
    }
    case runtime::ParamType::Float: {
      float x = float(v.number);
      // Write back only what the student moved: a float round trip would turn 0.85 into 0.8500000238.
      if (ImGui::SliderFloat(label, &x, float(knob.min), float(knob.max), knob.log_scale ? "%.4g" : "%.3g",
                             (knob.log_scale ? ImGuiSliderFlags_Logarithmic : 0) | ImGuiSliderFlags_AlwaysClamp)) {
        if (knob.step > 0) x = float(knob.min + std::round((x - knob.min) / knob.step) * knob.step);
        v.number = x;
      }
      changed = ImGui::IsItemDeactivatedAfterEdit();
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", x);
      *new_value = buf;
      break;
    }
    case runtime::ParamType::Bool: {
      bool b = v.number != 0;
      changed = ImGui::Checkbox(label, &b);
      *new_value = b ? "yes" : "no";
      break;
    }
    case runtime::ParamType::Choice: {
      int idx = int(v.number);
      if (ImGui::BeginCombo(label, idx >= 0 && idx < int(spec.choices.size()) ? spec.choices[size_t(idx)].c_str() : "?")) {
        for (int i = 0; i < int(spec.choices.size()); ++i)
          if (ImGui::Selectable(spec.choices[size_t(i)].c_str(), i == idx)) {
            changed = i != idx;
            *new_value = spec.choices[size_t(i)];
          }
        ImGui::EndCombo();
      }
      break;
    }
    case runtime::ParamType::Text: {
      char buf[2048];
      std::snprintf(buf, sizeof buf, "%s", v.text.c_str());
      if (ImGui::InputText(label, buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue)) changed = true;
      if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
      *new_value = buf;
      break;
    }
  }
  if (!spec.doc.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", spec.doc.c_str());
  return changed;
}

}  // namespace

void block_view(LabApp& app, int run_index) {
  runtime::Session& s = app.session;
  runtime::BlockRun& run = s.runs[size_t(run_index)];
  const runtime::LabBlock* block = runtime::session_run_block(s, run);
  if (!block) return;
  ImGui::PushID(run_index);
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ui_colors().block_bg);
  ImGui::PushStyleColor(ImGuiCol_Border, ui_colors().block_border);
  ImGui::BeginChild("##block", ImVec2(0, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);

  ImGui::PushFont(app.fonts.heading);
  ImGui::TextWrapped("%s", block->title().c_str());
  ImGui::PopFont();

  if (!block->ok()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().error);
    ImGui::TextWrapped("This lab block has errors (shown here so you can fix the lesson; the rest of the lesson still works):");
    for (const runtime::Diagnostic& d : block->diagnostics) ImGui::BulletText("%s", runtime::diagnostic_format(d).c_str());
    ImGui::PopStyleColor();
    ImGui::EndChild();
    ImGui::PopStyleColor(2);
    ImGui::PopID();
    return;
  }

  // Knobs.
  if (!block->knobs.empty()) {
    ImGui::PushItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.5f, ImGui::GetFontSize() * 22));
    for (const runtime::Knob& knob : block->knobs) {
      const runtime::ParamSpec* spec = runtime::block_param_find(*block->kind, knob.param);
      if (!spec) continue;
      std::string value;
      if (knob_widget(run, knob, *spec, &value)) knob_set(app, run_index, knob.param, value);
    }
    ImGui::PopItemWidth();
  }

  // Run controls and progress. "Reset" rebuilds the experiment once this frame is done with it.
  runtime::Experiment* exp = run.experiment.get();
  bool restart = false;
  if (exp) {
    const core::Status st = exp->status();
    const RunControls controls = run_controls(run);
    if (controls.pause) {
      if (ImGui::Button(run.paused ? "▶ Resume" : "❚❚ Pause")) run.paused = !run.paused;
      ImGui::SameLine();
    }
    if (controls.reset) {
      restart = ImGui::Button("↺ Reset");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Start this experiment again with the current settings");
      ImGui::SameLine();
      const std::string text = exp->progress_text();
      if (exp->done()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
        ImGui::TextUnformatted(progress_line(run).c_str());  // "finished: … in 1.23 s", as the page's mirror says it
        ImGui::PopStyleColor();
      } else {
        // What it is doing goes on the bar when it fits (a phone's width often does not): else the bar
        // shows the percentage and the text wraps below it.
        const float room = ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().FramePadding.x;
        const bool fits = !text.empty() && ImGui::CalcTextSize(text.c_str()).x <= room;
        ImGui::ProgressBar(exp->progress(), ImVec2(-FLT_MIN, 0), fits ? text.c_str() : nullptr);
        if (!text.empty() && !fits) {
          ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
          ImGui::TextWrapped("%s", text.c_str());
          ImGui::PopStyleColor();
        }
      }
    }
    if (!st.ok) {
      ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().error);
      ImGui::TextWrapped("%s", st.message.c_str());
      ImGui::PopStyleColor();
    }
    if (const BlockWidgetEntry* w = block_widget_find(*block->kind); w && w->draw) {
      const int plots_mark = plot_log_mark();
      block_command_apply(run, w->draw(app, run, *block));
      app.ui.block_plots[run_index] = plot_log_since(plots_mark);  // their text alternatives go to the page's mirror
    }

    // Metrics and expectations.
    const std::vector<runtime::Metric> metrics = exp->metrics();
    if (!block->expects.empty()) {
      // ✓ / ✗ judge the lesson's claim at the lesson's values. Once the student has moved a knob the
      // claim is about other settings: show it with the student's current value, without a mark.
      if (const std::string note = expect_note(s, run, *block); !note.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
        ImGui::TextWrapped("%s", note.c_str());
        ImGui::PopStyleColor();
      }
      for (const ExpectLine& line : expect_lines(s, run, *block, metrics)) {
        const UiColors& uc = ui_colors();
        ImGui::PushStyleColor(ImGuiCol_Text, line.state == ExpectLine::State::Holds ? uc.good
                                           : line.state == ExpectLine::State::Fails ? uc.error : uc.muted);
        ImGui::TextWrapped("%s %s", line.mark.c_str(), line.text.c_str());
        ImGui::PopStyleColor();
      }
    }
    if (!metrics.empty() && ImGui::TreeNode("Numbers")) {
      if (ImGui::BeginTable("##metrics", 2, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
        for (const runtime::Metric& m : metrics) {
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(m.name.c_str());
          for (const runtime::MetricSpec& ms : block->kind->metrics)
            if (ms.name == m.name && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ms.doc.c_str());
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(runtime::metric_text(m, 5).c_str());
        }
        ImGui::EndTable();
      }
      if (ImGui::SmallButton("↓ CSV")) {
        std::string csv = "metric,value\n";
        for (const runtime::Metric& m : metrics) {
          csv_field(csv, m.name);
          csv += ',';
          csv_field(csv, runtime::metric_text(m, 9));
          csv += '\n';
        }
        export_file(app, block->kind_name + "-numbers.csv", csv);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save these numbers as CSV");
      ImGui::TreePop();
    }
    // The Keras / PyTorch code of the block's models, generated from the experiment every frame so it
    // follows the knobs (a few kilobytes of text: cheap next to drawing).
    model_code_widget(app, exp->model_code(), block->kind_name);
  }
  if (restart) runtime::session_restart(s, run_index);
  ImGui::EndChild();
  ImGui::PopStyleColor(2);
  ImGui::PopID();
}

}  // namespace lab::ui
