#include "ui/markdown_view.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "imgui.h"
#include "runtime/text.h"
#include "ui/app_ui.h"
#include "ui/image_loader.h"

namespace lab::ui {

namespace {

ImFont* span_font(const LabApp& app, uint8_t flags) {
  if (flags & runtime::kMdCode) return app.fonts.mono;
  if (flags & runtime::kMdBold) return app.fonts.bold;
  if (flags & runtime::kMdItalic) return app.fonts.italic;
  return app.fonts.body;
}

// Decodes one UTF-8 character at p (< end); returns its length in bytes (1 for a malformed byte).
int utf8_decode(const char* p, const char* end, unsigned* cp) {
  const unsigned char c = static_cast<unsigned char>(*p);
  const int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || end - p < n) { *cp = 0xFFFD; return 1; }
  unsigned v = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (int i = 1; i < n; ++i) {
    const unsigned char cc = static_cast<unsigned char>(p[i]);
    if ((cc >> 6) != 0x2) { *cp = 0xFFFD; return 1; }
    v = (v << 6) | (cc & 0x3F);
  }
  *cp = v;
  return n;
}

// Draws text like ImDrawList::AddText, except that a character the font has no glyph for (ImGui would
// draw its fallback '?', indistinguishable from a real question mark) is drawn as an empty box of the
// same width ("tofu"), so a missing glyph is visibly missing rather than silently wrong.
void add_text_marking_missing(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, const char* b, const char* e) {
  const char* run = b;
  for (const char* p = b; p < e;) {
    unsigned cp = 0;
    const int n = utf8_decode(p, e, &cp);
    const bool missing = cp > IM_UNICODE_CODEPOINT_MAX || (cp >= 0x20 && !font->FindGlyphNoFallback(ImWchar(cp)));
    if (!missing) { p += n; continue; }
    if (p > run) {
      dl->AddText(font, size, pos, col, run, p);
      pos.x += font->CalcTextSizeA(size, FLT_MAX, 0, run, p).x;
    }
    const float w = font->CalcTextSizeA(size, FLT_MAX, 0, p, p + n).x;
    dl->AddRect(ImVec2(pos.x + w * 0.12f, pos.y + size * 0.15f), ImVec2(pos.x + w * 0.88f, pos.y + size * 0.9f), col, 0, 0,
                std::max(1.0f, size / 16));
    pos.x += w;
    p += n;
    run = p;
  }
  if (e > run) dl->AddText(font, size, pos, col, run, e);
}

// One laid-out word: where it goes (x relative to the line start), on which line, in which style.
struct Piece {
  const runtime::MdSpan* span;
  ImFont* font;
  float size, y_off;
  const char *b, *w_end, *t_end;  // word [b, w_end), then its trailing spaces up to t_end
  float x, word_w, tok_w;
  int line;
};

// Lays out styled spans word by word, wrapping at the available width like text, then draws each line
// aligned as asked (table cells). A code span is one run: one grey background per line it covers.
void draw_spans(LabApp& app, const std::vector<runtime::MdSpan>& spans, ImFont* base, float indent,
                runtime::MdAlign align = runtime::MdAlign::Default) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float x0 = origin.x + indent;
  const float wrap = std::max(50.0f, ImGui::GetContentRegionAvail().x - indent);
  const float base_size = base->FontSize;
  const float line_h = base_size * 1.32f;
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);

  // 1. Layout.
  std::vector<Piece> pieces;
  std::vector<float> line_w(1, 0.0f);
  float x = 0;
  int line = 0;
  auto new_line = [&] { x = 0; ++line; line_w.push_back(0.0f); };
  for (const runtime::MdSpan& span : spans) {
    ImFont* font = base == app.fonts.body ? span_font(app, span.flags) : base;
    if ((span.flags & runtime::kMdCode) && base != app.fonts.body) font = app.fonts.mono;
    const float size = font == app.fonts.mono && base == app.fonts.body ? base_size * 0.95f : font->FontSize;
    const float y_off = (base_size - size) * 0.75f;
    const char* p = span.text.c_str();
    const char* end = p + span.text.size();
    while (p < end) {
      if (*p == '\n') {  // a hard line break
        new_line();
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
      if (x > 0 && x + word_w > wrap) {
        new_line();
        if (*p == ' ') { p = t_end; continue; }  // spaces at a wrap vanish
      }
      pieces.push_back({&span, font, size, y_off, p, w_end, t_end, x, word_w, tok_w, line});
      if (w_end > p) line_w[size_t(line)] = std::max(line_w[size_t(line)], x + word_w);
      x += tok_w;
      p = t_end;
    }
  }
  auto line_x = [&](int l) {
    const float slack = std::max(0.0f, wrap - line_w[size_t(l)]);
    return x0 + (align == runtime::MdAlign::Right ? slack : align == runtime::MdAlign::Center ? slack * 0.5f : 0.0f);
  };

  // 2. Code-span backgrounds: one rounded box per line a code span covers (drawn under the text).
  for (size_t i = 0; i < pieces.size();) {
    const Piece& first = pieces[i];
    size_t j = i + 1;
    if (!(first.span->flags & runtime::kMdCode)) { i = j; continue; }
    while (j < pieces.size() && pieces[j].span == first.span && pieces[j].line == first.line) ++j;
    const Piece& last = pieces[j - 1];
    const float lx = line_x(first.line), y = origin.y + float(first.line) * line_h;
    dl->AddRectFilled(ImVec2(lx + first.x - 2, y + 1), ImVec2(lx + last.x + last.word_w + 2, y + line_h - 2), ImGui::GetColorU32(ui_colors().code_bg), 3.0f);
    i = j;
  }

  // 3. Text, strike-through, links.
  for (const Piece& pc : pieces) {
    const runtime::MdSpan& span = *pc.span;
    const bool link = span.flags & runtime::kMdLink;
    const ImU32 col = link ? ImGui::GetColorU32(ui_colors().link) : text_col;
    const float y = origin.y + float(pc.line) * line_h;
    const ImVec2 pos(line_x(pc.line) + pc.x, y + pc.y_off);
    add_text_marking_missing(dl, pc.font, pc.size, pos, col, pc.b, pc.w_end);
    if (span.flags & runtime::kMdStrike)
      dl->AddLine(ImVec2(pos.x, pos.y + pc.size * 0.55f), ImVec2(pos.x + pc.word_w, pos.y + pc.size * 0.55f), col);
    if (link) {
      dl->AddLine(ImVec2(pos.x, pos.y + pc.size + 1),
                  ImVec2(pos.x + pc.tok_w - (pc.t_end > pc.w_end ? pc.size * 0.3f : 0), pos.y + pc.size + 1), col);
      const ImVec2 a(pos.x, y), b(pos.x + pc.tok_w, y + line_h);
      if (ImGui::IsMouseHoveringRect(a, b) && ImGui::IsWindowHovered()) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        ImGui::SetTooltip("%s", span.href.c_str());  // always show where a link goes
        if (ImGui::IsMouseClicked(0) && app.open_url) app.open_url(span.href);
      }
    }
  }
  ImGui::Dummy(ImVec2(wrap + indent, float(line + 1) * line_h));
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
  ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().image_note);
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
        const ImVec2 top = ImGui::GetCursorScreenPos();
        draw_spans(app, b.spans, app.fonts.body, indent);
        if (b.quote)  // the quote bar runs the paragraph's whole height, however many lines it wraps to
          ImGui::GetWindowDrawList()->AddRectFilled(top, ImVec2(top.x + 3, ImGui::GetItemRectMax().y), ImGui::GetColorU32(ui_colors().quote_bar));
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
        dl->AddRectFilled(ImVec2(start.x + indent, start.y), end, ImGui::GetColorU32(ui_colors().code_bg), 4.0f);
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
          draw_spans(app, b.cells[c], b.header_row ? app.fonts.bold : app.fonts.body, 0,
                     c < b.aligns.size() ? b.aligns[c] : runtime::MdAlign::Default);
        }
        break;
      }
    }
  }
  if (table_open) ImGui::EndTable();
}

}  // namespace lab::ui
