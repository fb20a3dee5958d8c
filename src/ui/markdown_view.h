// Draws a step's Markdown text into the current ImGui window, wrapped to the panel width.
#pragma once

#include <string_view>

namespace lab::ui {

struct LabApp;
void markdown_view(LabApp& app, std::string_view markdown);

}  // namespace lab::ui
