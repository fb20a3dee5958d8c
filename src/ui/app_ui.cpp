// The app shell: menu bar, lesson list, the current step (title, position, text), previous/next
// navigation (buttons and arrow keys), diagnostics in place, and the About panel.
#include "ui/app_ui.h"

#include <algorithm>
#include <cstdio>

#include "core/build_info.h"
#include "imgui.h"
#include "runtime/build_id.h"
#include "runtime/text.h"
#include "ui/block_text.h"
#include "ui/block_view.h"
#include "ui/markdown_view.h"

namespace lab::ui {

namespace {

void show_diagnostics(const std::vector<runtime::Diagnostic>& diags) {
  for (const runtime::Diagnostic& d : diags) {
    const bool err = d.severity == runtime::Severity::Error;
    ImGui::PushStyleColor(ImGuiCol_Text, err ? ui_colors().error : ui_colors().warning);
    ImGui::TextWrapped("%s", runtime::diagnostic_format(d).c_str());
    ImGui::PopStyleColor();
  }
}

// A selectable list entry whose text wraps to the list's width instead of being cut off, with a
// hanging indent after `prefix` ("3. "), so a long step title stays readable in a narrow list.
bool wrapped_selectable(const char* id, const std::string& prefix, const std::string& text, bool selected) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float pre_w = prefix.empty() ? 0.0f : ImGui::CalcTextSize(prefix.c_str()).x;
  const float wrap_w = std::max(avail - pre_w, ImGui::GetFontSize() * 4);
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap_w);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::Selectable(id, selected, 0, ImVec2(0, std::max(size.y, ImGui::GetTextLineHeight())));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  if (!prefix.empty()) dl->AddText(pos, col, prefix.c_str());
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(pos.x + pre_w, pos.y), col, text.c_str(), nullptr, wrap_w);
  return clicked;
}

void show_lesson_list(LabApp& app) {
  runtime::Session& s = app.session;
  ImGui::PushFont(app.fonts.heading);
  ImGui::TextUnformatted("Lessons");
  ImGui::PopFont();
  ImGui::Separator();
  if (!s.library.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().error);
    ImGui::TextWrapped("%s", s.library.error.c_str());
    ImGui::PopStyleColor();
  }
  for (int i = 0; i < int(s.library.lessons.size()); ++i) {
    const runtime::Lesson& l = s.library.lessons[i];
    ImGui::PushID(i);
    const bool selected = i == s.lesson;
    std::string label = l.title;
    if (l.has_errors()) label = "⚠ " + label;
    if (wrapped_selectable("##lesson", "", label, selected)) {
      runtime::session_select(s, i, 0);
      app.ui.scroll_to_top = true;
    }
    if (ImGui::IsItemHovered() && !l.summary.empty()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24);
      ImGui::TextUnformatted(l.summary.c_str());
      if (l.minutes > 0) ImGui::TextDisabled("about %d min", l.minutes);
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    if (selected) {
      ImGui::Indent();
      for (int k = 0; k < int(l.steps.size()); ++k) {
        ImGui::PushID(k);
        if (wrapped_selectable("##step", std::to_string(k + 1) + ". ", l.steps[k].title, k == s.step)) {
          runtime::session_select(s, i, k);
          app.ui.scroll_to_top = true;
        }
        ImGui::PopID();
      }
      ImGui::Unindent();
    }
    ImGui::PopID();
  }
}

void show_step(LabApp& app) {
  runtime::Session& s = app.session;
  const runtime::Lesson* lesson = runtime::session_lesson(s);
  if (!lesson) {
    ImGui::PushFont(app.fonts.title);
    ImGui::TextUnformatted("No lessons to show");
    ImGui::PopFont();
    ImGui::TextWrapped("EmbedLab reads lessons from the '%s' folder. %s", s.library.dir.c_str(),
                       s.library.error.c_str());
    return;
  }
  const int count = int(lesson->steps.size());
  ImGui::PushFont(app.fonts.title);
  ImGui::TextWrapped("%s", lesson->title.c_str());
  ImGui::PopFont();
  if (count > 0) {
    const runtime::LessonStep& step = lesson->steps[std::clamp(s.step, 0, count - 1)];
    ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
    ImGui::Text("Step %d of %d", s.step + 1, count);
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::ProgressBar(float(s.step + 1) / float(count), ImVec2(ImGui::GetFontSize() * 8, ImGui::GetFontSize() * 0.5f), "");
    ImGui::PushFont(app.fonts.heading);
    ImGui::TextWrapped("%s", step.title.c_str());
    ImGui::PopFont();
  }
  ImGui::Separator();

  const float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2;
  ImGui::BeginChild("##step_body", ImVec2(0, -footer), false);
  if (app.ui.scroll_to_top) {
    ImGui::SetScrollY(0);
    app.ui.scroll_to_top = false;
  }
  // Errors outside lab blocks (header, fences) are listed at the top; a block's own errors show in place.
  show_diagnostics(diagnostics_outside_blocks(*lesson));
  if (count > 0) {
    const runtime::LessonStep& step = lesson->steps[std::clamp(s.step, 0, count - 1)];
    int run_index = 0;
    for (const runtime::StepPart& part : step.parts) {
      if (part.kind == runtime::StepPart::Kind::Prose) {
        markdown_view(app, part.doc);
      } else {
        // Runs are rebuilt by session_update() when the step changes; draw only when they match.
        if (run_index < int(s.runs.size()) && runtime::session_run_block(s, s.runs[size_t(run_index)]) == &part.block)
          block_view(app, run_index);
        ++run_index;
      }
    }
  }
  ImGui::EndChild();

  ImGui::Separator();
  const bool at_start = s.lesson == 0 && s.step == 0;
  const bool at_end = s.lesson + 1 >= int(s.library.lessons.size()) && s.step + 1 >= count;
  ImGui::BeginDisabled(at_start);
  if (ImGui::Button("◀ Previous")) {
    runtime::session_prev(s);
    app.ui.scroll_to_top = true;
  }
  ImGui::EndDisabled();
  const char* next_label = "Next ▶";
  const float next_x = ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(next_label).x - ImGui::GetStyle().FramePadding.x * 2;
  // The keyboard hint only where it fits between the buttons (a phone has no room, and no arrow keys).
  const char* hint = "← → keys also move between steps";
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  ImGui::SameLine();
  if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(hint).x + spacing <= next_x) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
    ImGui::TextUnformatted(hint);
    ImGui::PopStyleColor();
    ImGui::SameLine();
  }
  ImGui::SetCursorPosX(std::max(next_x, ImGui::GetCursorPosX()));
  ImGui::BeginDisabled(at_end);
  if (ImGui::Button(next_label)) {
    runtime::session_next(s);
    app.ui.scroll_to_top = true;
  }
  ImGui::EndDisabled();
}

void show_about(LabApp& app) {
  if (!app.ui.show_about) return;
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_Appearing);
  const ImVec2 center = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (ImGui::Begin("About EmbedLab", &app.ui.show_about, ImGuiWindowFlags_NoCollapse)) {
    ImGui::PushFont(app.fonts.heading);
    ImGui::Text("EmbedLab %s", runtime::build_version());
    ImGui::PopFont();
    ImGui::TextWrapped("An open-source teaching lab for deep-learning representations.");
    ImGui::Separator();
    // Names as wide as the longest, values in the rest: with both columns fit to their contents, the
    // wrapped values had no width to fit and came out one character per line.
    if (ImGui::BeginTable("##about", 2, ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("##name", ImGuiTableColumnFlags_WidthFixed);
      ImGui::TableSetupColumn("##value", ImGuiTableColumnFlags_WidthStretch);
      auto row = [](const char* k, const std::string& v) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k);
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", v.c_str());
      };
      row("Version", runtime::build_version());
      row("Build id", runtime::build_id());
      row("Target", core::build_target());
      row("SIMD", core::build_simd());
      row("Platform", app.platform_name);
      row("Renderer", app.gl_info);
      row("Offline use", app.offline_use);
      row("Dear ImGui", IMGUI_VERSION);
      row("Eigen", core::build_eigen());
      row("Font", app.fonts.source);
      char scale[32];
      std::snprintf(scale, sizeof scale, "%g×", double(app.ui.scale));  // 1×, 1.5×, 2×
      row("Display scale", scale);
      row("Lessons", app.session.library.dir);
      ImGui::EndTable();
    }
    ImGui::TextDisabled("Maths glyphs: ‖x − y‖² = 2(1 − cos θ), λ, √|V|, x ∈ ℝᵈ");
  }
  ImGui::End();
}

}  // namespace

bool theme_is_dark(const LabApp& app) {
  return app.ui.theme == ThemeChoice::Dark || (app.ui.theme == ThemeChoice::System && app.ui.system_dark);
}

const char* theme_choice_name(ThemeChoice t) {
  switch (t) {
    case ThemeChoice::Light: return "light";
    case ThemeChoice::Dark: return "dark";
    case ThemeChoice::System: break;
  }
  return "system";
}

bool theme_choice_parse(std::string_view name, ThemeChoice* out) {
  for (const ThemeChoice t : {ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark})
    if (name == theme_choice_name(t)) {
      *out = t;
      return true;
    }
  return false;
}

core::Status knob_set(LabApp& app, int run_index, const std::string& param, std::string_view value) {
  core::Status st;
  if (run_index < 0 || run_index >= int(app.session.runs.size()))
    st = {false, "this step has no lab block number " + std::to_string(run_index + 1)};
  else
    st = runtime::session_set_knob(app.session, run_index, param, value);
  if (!st) show_toast(app, st.message);
  return st;
}

void show_toast(LabApp& app, std::string message, double seconds) {
  app.ui.toast = std::move(message);
  app.ui.toast_until = ImGui::GetTime() + seconds;
}

void show_app(LabApp& app) {
  runtime::Session& s = app.session;
  ImGuiIO& io = ImGui::GetIO();
  app.ui.block_views.prune(s);
  if (app.ui.block_plots_key != s.runs_key) {
    app.ui.block_plots.clear();
    app.ui.block_plots_key = s.runs_key;
  }
  if (theme_is_dark(app) != app.ui.style_dark) {
    app.ui.style_dark = theme_is_dark(app);
    style_apply(app.ui.scale, app.ui.style_dark);
  }

  if (!io.WantTextInput && !ImGui::IsAnyItemActive()) {
    if (ImGui::IsKeyPressed(ImGuiKey_RightArrow) || ImGui::IsKeyPressed(ImGuiKey_PageDown)) {
      if (runtime::session_next(s)) app.ui.scroll_to_top = true;
    }
    if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow) || ImGui::IsKeyPressed(ImGuiKey_PageUp)) {
      if (runtime::session_prev(s)) app.ui.scroll_to_top = true;
    }
  }

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("EmbedLab##root", nullptr, flags);
  if (ImGui::BeginMenuBar()) {
    ImGui::TextUnformatted("EmbedLab");
    ImGui::Separator();
    if (ImGui::BeginMenu("Lessons")) {
      for (int i = 0; i < int(s.library.lessons.size()); ++i)
        if (ImGui::MenuItem(s.library.lessons[i].title.c_str(), nullptr, i == s.lesson)) {
          runtime::session_select(s, i, 0);
          app.ui.scroll_to_top = true;
        }
      if (app.edit_lesson) {  // the page's lesson editor (web); natively, any editor + hot reload
        ImGui::Separator();
        const runtime::Lesson* current = runtime::session_lesson(s);
        if (ImGui::MenuItem("Edit this lesson…", nullptr, false, current != nullptr)) app.edit_lesson(current->id);
        if (ImGui::MenuItem("New lesson from a template…")) app.edit_lesson("");
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
      // Dark follows the system (the page's prefers-color-scheme) until the student picks one.
      if (ImGui::MenuItem("Light theme", nullptr, app.ui.theme == ThemeChoice::Light)) app.ui.theme = ThemeChoice::Light;
      if (ImGui::MenuItem("Dark theme", nullptr, app.ui.theme == ThemeChoice::Dark)) app.ui.theme = ThemeChoice::Dark;
      if (ImGui::MenuItem("Theme of the system", nullptr, app.ui.theme == ThemeChoice::System)) app.ui.theme = ThemeChoice::System;
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
      ImGui::MenuItem("About EmbedLab", nullptr, &app.ui.show_about);
      ImGui::EndMenu();
    }
    ImGui::EndMenuBar();
  }

  const float list_w = std::clamp(vp->WorkSize.x * 0.24f, 180.0f * app.ui.scale, 320.0f * app.ui.scale);
  const bool narrow = vp->WorkSize.x < 640.0f * app.ui.scale;
  if (!narrow) {
    ImGui::BeginChild("##lessons", ImVec2(list_w, 0), true);
    show_lesson_list(app);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("##content", ImVec2(0, 0), true);
  show_step(app);
  ImGui::EndChild();
  ImGui::End();

  show_about(app);

  if (!app.ui.toast.empty() && ImGui::GetTime() < app.ui.toast_until) {
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y - 20 * app.ui.scale),
                            ImGuiCond_Always, ImVec2(0.5f, 1.0f));
    ImGui::SetNextWindowBgAlpha(0.92f);
    ImGui::Begin("##toast", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                         ImGuiWindowFlags_NoNav);
    ImGui::PushTextWrapPos(std::min(vp->WorkSize.x * 0.9f, 720.0f * app.ui.scale));  // a long message wraps inside the canvas
    ImGui::TextUnformatted(app.ui.toast.c_str());
    ImGui::PopTextWrapPos();
    ImGui::End();
  }
}

}  // namespace lab::ui
