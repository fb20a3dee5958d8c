// Embedding Projector TSV exports (see projector_tsv.h).
#include "ui/blocks/projector_tsv.h"

#include <cstdio>

#include "imgui.h"
#include "ui/app_ui.h"

namespace lab::ui {

std::string projector_vectors_tsv(const core::Mat& v) {
  std::string out;
  out.reserve(size_t(v.size()) * 10);
  char buf[32];
  for (core::Index i = 0; i < v.rows(); ++i) {
    for (core::Index j = 0; j < v.cols(); ++j) {
      std::snprintf(buf, sizeof buf, j ? "\t%.7g" : "%.7g", double(v(i, j)));
      out += buf;
    }
    out += '\n';
  }
  return out;
}

static std::string clean(const std::string& s) {
  std::string r = s;
  for (char& c : r)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return r;
}

std::string projector_metadata_tsv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& columns) {
  std::string out;
  for (size_t c = 0; c < header.size(); ++c) out += (c ? "\t" : "") + clean(header[c]);
  out += '\n';
  const size_t rows = columns.empty() ? 0 : columns[0].size();
  for (size_t i = 0; i < rows; ++i) {
    for (size_t c = 0; c < columns.size(); ++c) out += (c ? "\t" : "") + clean(i < columns[c].size() ? columns[c][i] : "");
    out += '\n';
  }
  return out;
}

void projector_tsv_buttons(LabApp& app, const core::Mat& vectors, const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& columns, const std::string& stem) {
  ImGui::PushID(stem.c_str());
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(4, 1));
  const char* tip = "For the TensorFlow Embedding Projector (projector.tensorflow.org → Load): vectors.tsv and metadata.tsv";
  if (ImGui::SmallButton("↓ vectors.tsv")) export_file(app, stem + "-vectors.tsv", projector_vectors_tsv(vectors));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  ImGui::SameLine();
  if (ImGui::SmallButton("↓ metadata.tsv")) export_file(app, stem + "-metadata.tsv", projector_metadata_tsv(header, columns));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  ImGui::PopStyleVar();
  ImGui::PopID();
}

void model_save_button(LabApp& app, bool ready, const std::function<std::string()>& bytes, const std::string& stem,
                       const char* what, const char* label) {
  ImGui::PushID(stem.c_str());
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(4, 1));
  ImGui::BeginDisabled(!ready);
  if (ImGui::SmallButton(label)) {
    const std::string b = bytes();
    if (!b.empty()) export_file(app, stem + ".emblmdl", b);
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    if (!ready) ImGui::SetTooltip("The trained model, once training has finished");
    else if (what) ImGui::SetTooltip("The trained model (%s.emblmdl, the lab's model file): %s", stem.c_str(), what);
    else
      ImGui::SetTooltip("The trained model (%s.emblmdl, the lab's model file). Evaluate it again with\n"
                        "  embedlab recsys --load %s.emblmdl --data synthetic-small",
                        stem.c_str(), stem.c_str());
  }
  ImGui::PopStyleVar();
  ImGui::PopID();
}

}  // namespace lab::ui
