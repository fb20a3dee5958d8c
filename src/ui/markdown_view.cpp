// Minimal line-based Markdown drawing: headings, bullets, fenced code, paragraphs.
#include "ui/markdown_view.h"

#include <string>

#include "imgui.h"
#include "runtime/text.h"
#include "ui/app_ui.h"

namespace lab::ui {

void markdown_view(LabApp& app, std::string_view markdown) {
  std::string paragraph;
  auto flush = [&] {
    if (!paragraph.empty()) {
      ImGui::TextWrapped("%s", paragraph.c_str());
      ImGui::Spacing();
      paragraph.clear();
    }
  };
  bool in_code = false;
  for (std::string_view line : runtime::split_lines(markdown)) {
    const std::string_view t = runtime::trim(line);
    if (t.substr(0, 3) == "```") {
      flush();
      in_code = !in_code;
      continue;
    }
    if (in_code) {
      ImGui::PushFont(app.fonts.mono);
      ImGui::TextUnformatted(line.data(), line.data() + line.size());
      ImGui::PopFont();
      continue;
    }
    if (t.empty()) {
      flush();
    } else if (t[0] == '#') {
      flush();
      const size_t n = t.find_first_not_of('#');
      ImGui::PushFont(app.fonts.heading);
      ImGui::TextWrapped("%s", std::string(runtime::trim(t.substr(n == std::string_view::npos ? t.size() : n))).c_str());
      ImGui::PopFont();
    } else if (t.substr(0, 2) == "- " || t.substr(0, 2) == "* ") {
      flush();
      ImGui::Bullet();
      ImGui::TextWrapped("%s", std::string(t.substr(2)).c_str());
    } else {
      if (!paragraph.empty()) paragraph += ' ';
      paragraph += t;
    }
  }
  flush();
}

}  // namespace lab::ui
