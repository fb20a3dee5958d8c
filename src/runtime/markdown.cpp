#include "runtime/markdown.h"

#ifdef LAB_HAVE_MD4C
#include <md4c.h>
#endif

namespace lab::runtime {

unsigned markdown_parser_flags() {
#ifdef LAB_HAVE_MD4C
  return MD_FLAG_COLLAPSEWHITESPACE | MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEURLAUTOLINKS;
#else
  return 0;
#endif
}

std::string md_plain_text(const std::vector<MdSpan>& spans) {
  std::string s;
  for (const MdSpan& sp : spans) s += sp.text;
  return s;
}

#ifdef LAB_HAVE_MD4C

namespace {

struct Builder {
  MdDoc doc;
  std::vector<int> list_counters;  // per open list: -1 for bullets, else the next number
  int quote_depth = 0;
  uint8_t flags = 0;
  std::vector<std::string> hrefs;  // stack of open link targets
  bool in_image = false;
  MdBlock image;
  bool in_table = false;
  int table_id = 0;
  bool in_header = false;
  int cur = -1;                    // index of the block receiving text (-1: none)
  int cell = -1;                   // index of the open table cell in that block (-1: none)
  bool item_fresh = false;         // an LI just opened and has not received a paragraph yet

  int depth() const { return int(list_counters.size()) + quote_depth; }

  MdBlock& open(MdKind kind) {
    MdBlock b;
    b.kind = kind;
    b.indent = depth();
    b.quote = quote_depth > 0;
    doc.blocks.push_back(std::move(b));
    cur = int(doc.blocks.size()) - 1;
    cell = -1;
    return doc.blocks.back();
  }
  MdBlock* current() { return cur >= 0 ? &doc.blocks[size_t(cur)] : nullptr; }

  void add_text(std::string_view text) {
    if (in_image) {
      image.alt.append(text);
      return;
    }
    if (!current()) open(MdKind::Paragraph);
    MdBlock& blk = *current();
    std::vector<MdSpan>* target = &blk.spans;
    if (blk.kind == MdKind::TableRow) {
      if (cell < 0) return;  // text between cells (whitespace)
      target = &blk.cells[size_t(cell)];
    } else if (blk.kind == MdKind::CodeBlock) {
      blk.code.append(text);
      return;
    }
    const std::string href = hrefs.empty() ? std::string() : hrefs.back();
    if (!target->empty() && target->back().flags == flags && target->back().href == href) {
      target->back().text.append(text);
    } else {
      target->push_back({std::string(text), flags, href});
    }
  }
};

std::string attr(const MD_ATTRIBUTE& a) { return std::string(a.text, a.size); }

MdAlign align_of(MD_ALIGN a) {
  switch (a) {
    case MD_ALIGN_LEFT: return MdAlign::Left;
    case MD_ALIGN_CENTER: return MdAlign::Center;
    case MD_ALIGN_RIGHT: return MdAlign::Right;
    default: return MdAlign::Default;
  }
}

int enter_block(MD_BLOCKTYPE type, void* detail, void* user) {
  Builder& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_BLOCK_UL: b.list_counters.push_back(-1); break;
    case MD_BLOCK_OL: b.list_counters.push_back(int(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)); break;
    case MD_BLOCK_LI: {
      MdBlock& blk = b.open(MdKind::Paragraph);
      int& counter = b.list_counters.back();
      blk.marker = counter < 0 ? "•" : std::to_string(counter++) + ".";
      b.item_fresh = true;
      break;
    }
    case MD_BLOCK_QUOTE: ++b.quote_depth; b.cur = -1; break;
    case MD_BLOCK_HR: b.open(MdKind::Rule); b.cur = -1; break;
    case MD_BLOCK_H: b.open(MdKind::Heading).level = int(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level); break;
    case MD_BLOCK_CODE: b.open(MdKind::CodeBlock).lang = attr(static_cast<MD_BLOCK_CODE_DETAIL*>(detail)->lang); break;
    case MD_BLOCK_P:
      if (b.item_fresh && b.current()) b.item_fresh = false;  // first paragraph of an item keeps the marker
      else b.open(MdKind::Paragraph);
      break;
    case MD_BLOCK_TABLE: b.in_table = true; ++b.table_id; break;
    case MD_BLOCK_THEAD: b.in_header = true; break;
    case MD_BLOCK_TBODY: b.in_header = false; break;
    case MD_BLOCK_TR: {
      MdBlock& row = b.open(MdKind::TableRow);
      row.header_row = b.in_header;
      row.table_id = b.table_id;
      break;
    }
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (b.current() && b.current()->kind == MdKind::TableRow) {
        b.current()->cells.emplace_back();
        b.current()->aligns.push_back(align_of(static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align));
        b.cell = int(b.current()->cells.size()) - 1;
      }
      break;
    default: break;
  }
  return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* user) {
  Builder& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_BLOCK_UL:
    case MD_BLOCK_OL: b.list_counters.pop_back(); b.cur = -1; break;
    case MD_BLOCK_LI: b.item_fresh = false; b.cur = -1; break;
    case MD_BLOCK_QUOTE: --b.quote_depth; b.cur = -1; break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: b.cell = -1; break;
    case MD_BLOCK_TABLE: b.in_table = false; b.cur = -1; break;
    case MD_BLOCK_TR: break;
    case MD_BLOCK_P:
    case MD_BLOCK_H:
    case MD_BLOCK_CODE:
      if (MdBlock* blk = b.current(); blk && blk->kind == MdKind::CodeBlock && !blk->code.empty() && blk->code.back() == '\n')
        blk->code.pop_back();
      b.cur = -1;
      b.item_fresh = false;
      break;
    default: break;
  }
  return 0;
}

int enter_span(MD_SPANTYPE type, void* detail, void* user) {
  Builder& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_SPAN_EM: b.flags |= kMdItalic; break;
    case MD_SPAN_STRONG: b.flags |= kMdBold; break;
    case MD_SPAN_CODE: b.flags |= kMdCode; break;
    case MD_SPAN_DEL: b.flags |= kMdStrike; break;
    case MD_SPAN_A:
      b.flags |= kMdLink;
      b.hrefs.push_back(attr(static_cast<MD_SPAN_A_DETAIL*>(detail)->href));
      break;
    case MD_SPAN_IMG:
      b.in_image = true;
      b.image = MdBlock{};
      b.image.kind = MdKind::Image;
      b.image.src = attr(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src);
      break;
    default: break;
  }
  return 0;
}

int leave_span(MD_SPANTYPE type, void*, void* user) {
  Builder& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_SPAN_EM: b.flags &= ~kMdItalic; break;
    case MD_SPAN_STRONG: b.flags &= ~kMdBold; break;
    case MD_SPAN_CODE: b.flags &= ~kMdCode; break;
    case MD_SPAN_DEL: b.flags &= ~kMdStrike; break;
    case MD_SPAN_A:
      if (!b.hrefs.empty()) b.hrefs.pop_back();
      if (b.hrefs.empty()) b.flags &= ~kMdLink;
      break;
    case MD_SPAN_IMG: {
      // An image becomes a block of its own, between the text before and after it.
      b.in_image = false;
      const bool had_text = b.current() && !b.current()->spans.empty();
      // A paragraph opened for nothing but this image would draw as an empty line: the image replaces it.
      if (MdBlock* blk = b.current(); blk && blk->kind == MdKind::Paragraph && !had_text && blk->marker.empty() &&
                                      b.cur + 1 == int(b.doc.blocks.size()))
        b.doc.blocks.pop_back();
      MdBlock img = std::move(b.image);
      img.indent = b.depth();
      b.doc.blocks.push_back(std::move(img));
      b.cur = -1;
      if (had_text) b.item_fresh = false;
      break;
    }
    default: break;
  }
  return 0;
}

int text(MD_TEXTTYPE type, const MD_CHAR* t, MD_SIZE size, void* user) {
  Builder& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_TEXT_NULLCHAR: b.add_text("\xEF\xBF\xBD"); break;
    case MD_TEXT_BR: b.add_text("\n"); break;
    case MD_TEXT_SOFTBR: b.add_text(" "); break;
    case MD_TEXT_ENTITY: {
      const std::string_view e(t, size);
      if (e == "&amp;") b.add_text("&");
      else if (e == "&lt;") b.add_text("<");
      else if (e == "&gt;") b.add_text(">");
      else if (e == "&quot;") b.add_text("\"");
      else if (e == "&nbsp;") b.add_text("\xC2\xA0");
      else b.add_text(e);
      break;
    }
    default: b.add_text(std::string_view(t, size)); break;
  }
  return 0;
}

}  // namespace

MdDoc markdown_parse(std::string_view input) {
  Builder b;
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = markdown_parser_flags();
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = enter_span;
  parser.leave_span = leave_span;
  parser.text = text;
  const int rc = md_parse(input.data(), MD_SIZE(input.size()), &parser, &b);
  b.doc.ok = rc == 0;
  return std::move(b.doc);
}

#else

MdDoc markdown_parse(std::string_view input) {
  MdDoc doc;
  MdBlock b;
  b.spans.push_back({std::string(input), 0, {}});
  doc.blocks.push_back(std::move(b));
  return doc;
}

#endif

}  // namespace lab::runtime
