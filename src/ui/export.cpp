// Exporting what the student sees: a plot's data as CSV, the plot itself as PNG.
#include <string>

#include "imgui.h"
#include "ui/app_ui.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

void export_file(LabApp& app, const std::string& name, const std::string& bytes) {
  if (!app.save_file) {
    show_toast(app, "saving files is not available here");
    return;
  }
  show_toast(app, app.save_file(name, bytes));
}

void export_buttons(LabApp& app, const char* plot_id, const std::string& file_stem) {
  const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  const ImGuiID id = ImGui::GetID(plot_id);  // the same id plot_begin() used
  ImGui::PushID(plot_id);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(4, 1));
  if (ImGui::SmallButton("↓ CSV")) {
    const std::string csv = plot_export_csv(id);
    if (csv.empty()) show_toast(app, "nothing to export yet");
    else export_file(app, file_stem + ".csv", csv);
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save the plotted numbers as CSV");
  ImGui::SameLine();
  if (ImGui::SmallButton("↓ PNG")) {
    app.capture.pending = true;
    app.capture.x = min.x;
    app.capture.y = min.y;
    app.capture.w = max.x - min.x;
    app.capture.h = max.y - min.y;
    app.capture.name = file_stem + ".png";
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save this plot as a PNG image");
  ImGui::PopStyleVar();
  ImGui::PopID();
}

}  // namespace lab::ui
