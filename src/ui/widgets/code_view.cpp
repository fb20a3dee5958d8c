#include "ui/widgets/code_view.h"

#include <algorithm>

#include "imgui.h"
#include "ui/app_ui.h"

namespace lab::ui {

namespace {

// A file name piece from a model's title: "p = 0.5" -> "p-0.5".
std::string file_part(const std::string& title) {
  std::string out;
  for (char c : title) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
    if (keep) out += c;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// "15,777", as Keras' model.summary() prints counts.
std::string grouped(int64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

void script_view(LabApp& app, const std::string& text, const std::string& file_name) {
  // The clipboard is the platform's (ImGui's SetClipboardTextFn, set by its GLFW backend). On the web
  // page the Emscripten 3.1.6 GLFW port ignores it (glfwSetClipboardString is empty), so there the
  // download beside it is the way out until the platform routes it to navigator.clipboard.
  if (ImGui::SmallButton("Copy")) ImGui::SetClipboardText(text.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Copy the whole script to the clipboard");
  ImGui::SameLine();
  if (ImGui::SmallButton("↓ .py")) export_file(app, file_name, text);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save the script as %s", file_name.c_str());

  // A read-only text box: the student can select part of it and copy with Ctrl+C. ImGui never
  // writes into the buffer with ReadOnly, so the string's own storage serves as the buffer.
  ImGui::PushFont(app.fonts.mono);
  const int lines = int(std::count(text.begin(), text.end(), '\n')) + 1;
  const float height = ImGui::GetTextLineHeight() * float(std::min(lines, 28)) + ImGui::GetStyle().FramePadding.y * 2 + 4;
  ImGui::InputTextMultiline("##code", const_cast<char*>(text.c_str()), text.size() + 1, ImVec2(-FLT_MIN, height),
                            ImGuiInputTextFlags_ReadOnly);
  ImGui::PopFont();
}

void model_tabs(LabApp& app, const runtime::ModelCode& code, const std::string& stem) {
  ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
  std::string count = grouped(code.params) + " trainable parameters";
  if (code.non_trainable > 0) count += " + " + grouped(code.non_trainable) + " non-trainable (BatchNorm running statistics)";
  ImGui::TextWrapped("%s, the same count as the lab's model.", count.c_str());
  ImGui::PopStyleColor();
  if (ImGui::BeginTabBar("##language")) {
    if (ImGui::BeginTabItem("Keras")) {
      script_view(app, code.keras, stem + "-keras.py");
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("PyTorch")) {
      script_view(app, code.pytorch, stem + "-pytorch.py");
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
}

}  // namespace

void model_code_widget(LabApp& app, const std::vector<runtime::ModelCode>& codes, const std::string& file_stem) {
  if (codes.empty() || !ImGui::TreeNode("Code (Keras · PyTorch)")) return;
  if (codes.size() == 1) {
    model_tabs(app, codes[0], file_stem);
  } else if (ImGui::BeginTabBar("##models")) {
    for (size_t i = 0; i < codes.size(); ++i) {
      const std::string& title = codes[i].title.empty() ? "model " + std::to_string(i + 1) : codes[i].title;
      ImGui::PushID(int(i));
      if (ImGui::BeginTabItem(title.c_str())) {
        model_tabs(app, codes[i], file_stem + "-" + file_part(title));
        ImGui::EndTabItem();
      }
      ImGui::PopID();
    }
    ImGui::EndTabBar();
  }
  ImGui::TreePop();
}

}  // namespace lab::ui
