// The lesson renderer's Markdown corpus (tests/data/markdown-corpus/corpus.md): CommonMark and GFM
// examples in the style of the spec's, one step per topic. Here: the parsed structure each example
// must have by the specs (list start numbers, nesting depth, quotes, hard breaks, table alignment,
// code spans as one run, nested emphasis, links, images, rules). The drawing is looked at on
// screenshots of the same file (`embedlab --lessons tests/data/markdown-corpus --lesson corpus/N`).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/lesson.h"
#include "runtime/markdown.h"

using namespace lab::runtime;

namespace {

const Lesson& corpus() {
  static const Lesson lesson = lesson_load(std::string(LAB_SOURCE_DIR) + "/tests/data/markdown-corpus/corpus.md");
  return lesson;
}

// Every Markdown block of a step (its prose parts in order).
std::vector<MdBlock> step_blocks(const std::string& title_start) {
  std::vector<MdBlock> out;
  for (const LessonStep& s : corpus().steps) {
    if (s.title.rfind(title_start, 0) != 0) continue;
    for (const StepPart& p : s.parts)
      if (p.kind == StepPart::Kind::Prose) out.insert(out.end(), p.doc.blocks.begin(), p.doc.blocks.end());
  }
  return out;
}

const MdBlock* find_text(const std::vector<MdBlock>& blocks, const std::string& start) {
  for (const MdBlock& b : blocks)
    if (md_plain_text(b.spans).rfind(start, 0) == 0) return &b;
  return nullptr;
}

const MdSpan* find_span(const std::vector<MdBlock>& blocks, const std::string& text) {
  for (const MdBlock& b : blocks)
    for (const MdSpan& s : b.spans)
      if (s.text == text) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("markdown corpus: the fixture is a clean lesson with one step per topic") {
  const Lesson& l = corpus();
  // Its only diagnostic is the glyph warning for the step that shows characters outside the font.
  REQUIRE(l.diagnostics.size() == 1);
  CHECK(l.diagnostics[0].severity == Severity::Warning);
  CHECK(l.diagnostics[0].message.find("U+0302") != std::string::npos);
  CHECK(l.steps.size() == 7);
}

TEST_CASE("markdown corpus: ordered lists keep their start number, nested lists are one level deeper") {
  const auto b = step_blocks("Lists");
  // "7. seven" starts at 7 and counts on (CommonMark: the start number of an ordered list is its first).
  for (const auto& item_marker : std::vector<std::pair<std::string, std::string>>{
           {"seven", "7."}, {"eight", "8."}, {"nine", "9."}, {"zero", "0."}, {"one", "1."}, {"two", "2."}}) {
    // Named copies, not structured bindings: doctest's message macros capture them in a lambda,
    // which clang 14 (Emscripten 3.1.6) refuses for bindings.
    const std::string text = item_marker.first, marker = item_marker.second;
    const MdBlock* item = find_text(b, text);
    REQUIRE_MESSAGE(item, text);
    CHECK(item->spans.size() == 1);
    CHECK(md_plain_text(item->spans) == text);
    CHECK(item->marker == marker);
    CHECK(item->indent == 1);
  }
  const MdBlock* nested = find_text(b, "nested a");
  REQUIRE(nested);
  CHECK(nested->marker == "•");
  CHECK(nested->indent == 2);
  // A loose item: its second paragraph has no marker of its own but stays in the item.
  const MdBlock* second = find_text(b, "second paragraph of the first item");
  REQUIRE(second);
  CHECK(second->marker.empty());
  CHECK(second->indent == 1);
  const MdBlock* first = find_text(b, "first item");
  REQUIRE(first);
  CHECK(first->marker == "•");
}

TEST_CASE("markdown corpus: block quotes hold lists and quotes, hard breaks break, soft breaks do not") {
  const auto b = step_blocks("Block quotes");
  const MdBlock* q = find_text(b, "A quote with a line");
  REQUIRE(q);
  CHECK(q->quote);
  CHECK(q->indent == 1);
  const MdBlock* item = find_text(b, "a list inside the quote");
  REQUIRE(item);
  CHECK(item->quote);
  CHECK(item->marker == "1.");
  CHECK(item->indent == 2);  // one quote + one list
  const MdBlock* nested = find_text(b, "nested inside the quote's list");
  REQUIRE(nested);
  CHECK(nested->quote);
  CHECK(nested->indent == 3);
  const MdBlock* inner = find_text(b, "a quote inside the quote");
  REQUIRE(inner);
  CHECK(inner->indent == 2);
  const MdBlock* br = find_text(b, "Two spaces");
  REQUIRE(br);
  CHECK(md_plain_text(br->spans) ==
        "Two spaces at the end of a line\nmake a hard break, and so does a backslash\nat the end of a line. "
        "A soft break only continues the line.");
}

TEST_CASE("markdown corpus: table cells carry their column's alignment (GFM delimiter row)") {
  const auto b = step_blocks("Tables");
  std::vector<const MdBlock*> rows;
  for (const MdBlock& blk : b)
    if (blk.kind == MdKind::TableRow) rows.push_back(&blk);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0]->header_row);
  for (const MdBlock* r : rows) {
    CHECK(r->table_id == rows[0]->table_id);
    REQUIRE(r->cells.size() == 4);
    REQUIRE(r->aligns.size() == 4);
    CHECK(r->aligns[0] == MdAlign::Left);
    CHECK(r->aligns[1] == MdAlign::Center);
    CHECK(r->aligns[2] == MdAlign::Right);
    CHECK(r->aligns[3] == MdAlign::Default);
  }
  CHECK(md_plain_text(rows[2]->cells[2]) == "3.14159");
  CHECK(md_plain_text(rows[3]->cells[3]).empty());
  REQUIRE(rows[3]->cells[0].size() == 1);
  CHECK(rows[3]->cells[0][0].flags == kMdCode);
  CHECK(rows[3]->cells[1][0].flags == kMdBold);
}

TEST_CASE("markdown corpus: a code span is one span, spaces and backticks kept") {
  const auto b = step_blocks("Code spans");
  for (const char* text : {"code with spaces",
                           "a long code span that keeps on going so that it has to wrap onto the next line of the panel like any other text",
                           "a ` b", "`ticks`"}) {
    const MdSpan* s = find_span(b, text);
    REQUIRE_MESSAGE(s, text);
    CHECK(s->flags == kMdCode);
  }
}

TEST_CASE("markdown corpus: emphasis nests, links keep their targets, an image is a block of its own") {
  const auto b = step_blocks("Emphasis");
  const std::vector<std::pair<std::string, uint8_t>> spans = {
      {"italic", kMdItalic},        {"bold", kMdBold},          {"bold italic", kMdBold | kMdItalic},
      {"bold with ", kMdBold},      {"italic", kMdItalic},      {" inside", kMdBold},
      {"italic with ", kMdItalic},  {"struck", kMdStrike},      {"code", kMdCode}};
  for (const auto& span : spans) {
    const std::string text = span.first;
    const uint8_t flags = span.second;
    bool found = false;
    for (const MdBlock& blk : b)
      for (const MdSpan& s : blk.spans) found |= s.text == text && s.flags == flags;
    CHECK_MESSAGE(found, "span '" << text << "' with flags " << int(flags));
  }
  // Inside "**bold with *italic* inside**" the inner span is bold and italic.
  const MdBlock* para = find_text(b, "italic, bold");
  REQUIRE(para);
  bool nested = false;
  for (size_t i = 0; i + 1 < para->spans.size(); ++i)
    nested |= para->spans[i].text == "bold with " && para->spans[i + 1].text == "italic" &&
              para->spans[i + 1].flags == (kMdBold | kMdItalic);
  CHECK(nested);

  const MdSpan* link = find_span(b, "link");
  REQUIRE(link);
  CHECK(link->flags == kMdLink);
  CHECK(link->href == "https://example.org/a?b=c&d=e");
  const MdSpan* auto1 = find_span(b, "https://example.org/auto");
  REQUIRE(auto1);
  CHECK(auto1->href == "https://example.org/auto");
  const MdSpan* auto2 = find_span(b, "https://example.org/angle");
  REQUIRE(auto2);
  CHECK(auto2->href == "https://example.org/angle");

  int images = 0;
  for (const MdBlock& blk : b)
    if (blk.kind == MdKind::Image) {
      ++images;
      CHECK(blk.src == "images/missing.png");
      CHECK(blk.alt == "A figure that is not there");
    }
  CHECK(images == 1);
  // The paragraph that held only the image leaves no empty paragraph behind (it would draw as a blank line).
  for (const MdBlock& blk : b) CHECK_FALSE((blk.kind == MdKind::Paragraph && blk.spans.empty() && blk.marker.empty()));
}

TEST_CASE("markdown corpus: thematic breaks and heading levels") {
  const auto b = step_blocks("Thematic");
  int rules = 0;
  std::vector<int> levels;
  for (const MdBlock& blk : b) {
    rules += blk.kind == MdKind::Rule;
    if (blk.kind == MdKind::Heading) levels.push_back(blk.level);
  }
  CHECK(rules == 2);  // "---" after a blank line is a break, not a setext underline
  CHECK(levels == std::vector<int>{3, 4});
  CHECK(find_text(b, "Between the rules."));
}

TEST_CASE("markdown corpus: text outside the font is kept byte for byte (the view marks missing glyphs)") {
  const auto b = step_blocks("Characters");
  const MdBlock* p = find_text(b, "Combining marks");
  REQUIRE(p);
  const std::string t = md_plain_text(p->spans);
  CHECK(t.find("x\xCC\x82") != std::string::npos);          // x + U+0302 COMBINING CIRCUMFLEX
  CHECK(t.find("\xF0\x9D\x94\xBC[X]") != std::string::npos);  // U+1D53C MATHEMATICAL DOUBLE-STRUCK E
}
