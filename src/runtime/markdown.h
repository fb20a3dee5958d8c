// Lesson prose as a small document model, parsed once with md4c (CommonMark + tables and
// strikethrough; raw HTML is switched off, so a lesson can never inject markup into the page).
// The UI draws MdDoc; nothing here knows ImGui.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lab::runtime {

enum MdSpanFlag : uint8_t { kMdBold = 1, kMdItalic = 2, kMdCode = 4, kMdLink = 8, kMdStrike = 16 };

struct MdSpan {
  std::string text;
  uint8_t flags = 0;
  std::string href;  // for links
};

enum class MdKind { Paragraph, Heading, CodeBlock, Rule, Image, TableRow };

// A table column's alignment from its delimiter row (GFM): `---` Default, `:--` Left, `:-:` Center, `--:` Right.
enum class MdAlign : uint8_t { Default, Left, Center, Right };

struct MdBlock {
  MdKind kind = MdKind::Paragraph;
  int level = 0;              // heading level 1–6
  int indent = 0;             // list nesting depth (0 = not in a list) + quote depth
  bool quote = false;         // inside a block quote
  std::string marker;         // list marker for the first paragraph of an item: "•" or "3."
  std::vector<MdSpan> spans;  // Paragraph, Heading
  std::string code, lang;     // CodeBlock
  std::string src, alt;       // Image (src as written: relative to the assets folder or the lesson)
  bool header_row = false;    // TableRow
  int table_id = 0;           // rows with the same id form one table
  std::vector<std::vector<MdSpan>> cells;  // TableRow
  std::vector<MdAlign> aligns;             // TableRow: one per cell, from the table's delimiter row
};

struct MdDoc {
  std::vector<MdBlock> blocks;
  bool ok = true;  // false only if md4c itself gave up (out of memory)
};

MdDoc markdown_parse(std::string_view text);
// md4c's parser flags for lesson prose (CommonMark + tables, strikethrough, permissive URL autolinks;
// raw HTML off), shared by markdown_parse and markdown_to_html (markdown_html.h).
unsigned markdown_parser_flags();

// Plain text of a span list (for search, tests and tooltips).
std::string md_plain_text(const std::vector<MdSpan>& spans);

}  // namespace lab::runtime
