#include "runtime/markdown_html.h"

#include "runtime/markdown.h"

#ifdef LAB_HAVE_MD4C
#include <md4c-html.h>
#endif

namespace lab::runtime {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_to_html(std::string_view markdown) {
  if (markdown.empty()) return {};
#ifdef LAB_HAVE_MD4C
  std::string out;
  auto append = [](const MD_CHAR* text, MD_SIZE size, void* user) { static_cast<std::string*>(user)->append(text, size); };
  if (md_html(markdown.data(), MD_SIZE(markdown.size()), append, &out, markdown_parser_flags(), MD_HTML_FLAG_VERBATIM_ENTITIES) == 0)
    return out;  // entities as written: the page decodes them (md4c_entity_none.c says why)
#endif
  return "<p>" + html_escape(markdown) + "</p>\n";
}

}  // namespace lab::runtime
