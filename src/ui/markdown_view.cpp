#include "ui/markdown_view.h"

#include <cstring>
#include <string>

#include "imgui.h"
#include "runtime/text.h"
#include "ui/app_ui.h"
#include "ui/image_loader.h"

namespace lab::ui {

namespace {

const ImU32 kLinkColour = IM_COL32(0, 90, 160, 255);
const ImU32 kCodeBg = IM_COL32(232, 234, 238, 255);

ImFont* span_font(const LabApp& app, uint8_t flags) {
  if (flags & runtime::kMdCode) return app.fonts.mono;
  if (flags & runtime::kMdBold) return app.fonts.bold;
  if (flags & runtime::kMdItalic) return app.fonts.italic;
  return app.fonts.body;
}

// Lays out styled spans word by word, wrapping at the available width.
void draw_spans(LabApp& app, const std::vector<runtime::MdSpan>& spans, ImFont* base, float indent) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float x0 = origin.x + indent;
  const float wrap = std::max(50.0f, ImGui::GetContentRegionAvail().x - indent);
  const float base_size = base->FontSize;
  const float line_h = base_size * 1.32f;
  float x = x0, y = origin.y;
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);

  for (const runtime::MdSpan& span : spans) {
    ImFont* font = base == app.fonts.body ? span_font(app, span.flags) : base;
    if ((span.flags & runtime::kMdCode) && base != app.fonts.body) font = app.fonts.mono;
    const float size = font == app.fonts.mono && base == app.fonts.body ? base_size * 0.95f : font->FontSize;
    const float y_off = (base_size - size) * 0.75f;
    const bool link = span.flags & runtime::kMdLink;
    const ImU32 col = link ? kLinkColour : text_col;
    const char* p = span.text.c_str();
    const char* end = p + span.text.size();
    while (p < end) {
      if (*p == '\n') {
        x = x0;
        y += line_h;
        ++p;
        continue;
      }
      // One token: a word plus the spaces after it.
      const char* w_end = p;
      while (w_end < end && *w_end != ' ' && *w_end != '\n') ++w_end;
      const char* t_end = w_end;
      while (t_end < end && *t_end == ' ') ++t_end;
      const float word_w = font->CalcTextSizeA(size, FLT_MAX, 0, p, w_end).x;
      const float tok_w = font->CalcTextSizeA(size, FLT_MAX, 0, p, t_end).x;
      if (x > x0 && x + word_w > x0 + wrap) {
        x = x0;
        y += line_h;
        if (*p == ' ') { p = t_end; continue; }
      }
      const ImVec2 pos(x, y + y_off);
      if (span.flags & runtime::kMdCode)
        dl->AddRectFilled(ImVec2(pos.x - 2, y + 1), ImVec2(pos.x + word_w + 2, y + line_h - 2), kCodeBg, 3.0f);
      dl->AddText(font, size, pos, col, p, w_end);
      if (span.flags & runtime::kMdStrike)
        dl->AddLine(ImVec2(pos.x, pos.y + size * 0.55f), ImVec2(pos.x + word_w, pos.y + size * 0.55f), col);
      if (link) {
        dl->AddLine(ImVec2(pos.x, pos.y + size + 1), ImVec2(pos.x + tok_w - (t_end > w_end ? size * 0.3f : 0), pos.y + size + 1), col);
        const ImVec2 a(pos.x, y), b(pos.x + tok_w, y + line_h);
        if (ImGui::IsMouseHoveringRect(a, b) && ImGui::IsWindowHovered()) {
          ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
          ImGui::SetTooltip("%s", span.href.c_str());  // always show where a link goes
          if (ImGui::IsMouseClicked(0) && app.open_url) app.open_url(span.href);
        }
      }
      x += tok_w;
      p = t_end;
    }
  }
  ImGui::Dummy(ImVec2(wrap + indent, y - origin.y + line_h));
}

void draw_image(LabApp& app, const runtime::MdBlock& b) {
  std::string error;
  const std::string path = image_path_resolve(app.assets_dir, b.src, &error);
  const Texture* tex = path.empty() ? nullptr : &image_get(app, path);
  if (tex && tex->id) {
    const float avail = ImGui::GetContentRegionAvail().x;
    const float scale = std::min(app.ui.scale, avail / float(tex->width));
    ImGui::Image(tex->id, ImVec2(tex->width * scale, tex->height * scale));
    if (!b.alt.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", b.alt.c_str());
    return;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(160, 60, 20, 255));
  ImGui::TextWrapped("[image '%s' not shown: %s]", b.src.c_str(), tex ? tex->error.c_str() : error.c_str());
  ImGui::PopStyleColor();
}

}  // namespace

std::string image_path_resolve(const std::string& assets_dir, const std::string& src, std::string* error) {
  std::string s = src;
  if (s.find("://") != std::string::npos || s.rfind("data:", 0) == 0) {
    if (error) *error = "only images from the assets folder can be shown, not URLs";
    return {};
  }
  if (s.empty() || s[0] == '/' || s.find("..") != std::string::npos || s.find('\\') != std::string::npos) {
    if (error) *error = "image paths are relative to the assets folder, without '..'";
    return {};
  }
  if (s.rfind("assets/", 0) == 0) s = s.substr(7);
  return assets_dir + "/" + s;
}

void markdown_view(LabApp& app, const runtime::MdDoc& doc) {
  const float indent_step = ImGui::GetFontSize() * 1.4f;
  int table_open = 0, table_cols = 0;
  for (size_t i = 0; i < doc.blocks.size(); ++i) {
    const runtime::MdBlock& b = doc.blocks[i];
    if (table_open && (b.kind != runtime::MdKind::TableRow || b.table_id != table_open)) {
      ImGui::EndTable();
      table_open = 0;
    }
    const float indent = b.indent * indent_step;
    switch (b.kind) {
      case runtime::MdKind::Heading: {
        ImFont* f = b.level <= 1 ? app.fonts.title : b.level <= 3 ? app.fonts.heading : app.fonts.bold;
        ImGui::Spacing();
        draw_spans(app, b.spans, f, indent);
        break;
      }
      case runtime::MdKind::Paragraph: {
        if (!b.marker.empty()) {
          const ImVec2 pos = ImGui::GetCursorScreenPos();
          ImGui::GetWindowDrawList()->AddText(app.fonts.body, app.fonts.body->FontSize,
                                              ImVec2(pos.x + indent - indent_step * 0.9f, pos.y),
                                              ImGui::GetColorU32(ImGuiCol_Text), b.marker.c_str());
        }
        if (b.quote) {
          const ImVec2 pos = ImGui::GetCursorScreenPos();
          ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(pos.x, pos.y), ImVec2(pos.x + 3, pos.y + ImGui::GetFontSize() * 1.3f),
                                                    IM_COL32(0, 114, 178, 160));
        }
        draw_spans(app, b.spans, app.fonts.body, indent);
        const bool next_is_item = i + 1 < doc.blocks.size() && !doc.blocks[i + 1].marker.empty();
        if (b.marker.empty() || !next_is_item) ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.25f));
        break;
      }
      case runtime::MdKind::CodeBlock: {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
        const ImVec2 start = ImGui::GetCursorScreenPos();
        ImGui::Indent(indent + 8);
        ImGui::Dummy(ImVec2(0, 2));
        ImGui::PushFont(app.fonts.mono);
        ImGui::TextUnformatted(b.code.c_str(), b.code.c_str() + b.code.size());
        ImGui::PopFont();
        ImGui::Dummy(ImVec2(0, 2));
        ImGui::Unindent(indent + 8);
        const ImVec2 end(start.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y);
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(ImVec2(start.x + indent, start.y), end, kCodeBg, 4.0f);
        dl->ChannelsMerge();
        ImGui::Spacing();
        break;
      }
      case runtime::MdKind::Rule:
        ImGui::Separator();
        break;
      case runtime::MdKind::Image:
        if (indent > 0) ImGui::Indent(indent);
        draw_image(app, b);
        if (indent > 0) ImGui::Unindent(indent);
        break;
      case runtime::MdKind::TableRow: {
        if (!table_open) {
          const int cols = std::max(1, int(b.cells.size()));
          const std::string table_id = "##md_table" + std::to_string(i);
          const bool open = ImGui::BeginTable(table_id.c_str(), std::min(cols, 64),
                                              ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp);
          if (!open) {
            while (i + 1 < doc.blocks.size() && doc.blocks[i + 1].kind == runtime::MdKind::TableRow &&
                   doc.blocks[i + 1].table_id == b.table_id)
              ++i;
            break;
          }
          table_open = b.table_id;
          table_cols = std::min(cols, 64);
        }
        ImGui::TableNextRow();
        for (size_t c = 0; c < b.cells.size() && int(c) < table_cols; ++c) {
          ImGui::TableSetColumnIndex(int(c));
          draw_spans(app, b.cells[c], b.header_row ? app.fonts.bold : app.fonts.body, 0);
        }
        break;
      }
    }
  }
  if (table_open) ImGui::EndTable();
}

}  // namespace lab::ui
