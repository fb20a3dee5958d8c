// Lesson prose as HTML, for the page's accessible mirror (ui/mirror.h): md4c's own HTML renderer on
// the same Markdown and with the same parser flags as markdown_parse, so the text a screen reader
// or find-in-page meets is the text the canvas draws. Raw HTML stays switched off (a lesson cannot
// put markup in the page: it comes out escaped); link and image addresses are as the lesson wrote
// them, and the page keeps only safe ones (web/lab_pre.js).
#pragma once

#include <string>
#include <string_view>

namespace lab::runtime {

// "" for empty text. Without md4c in the build, the text escaped inside <p> (still readable).
std::string markdown_to_html(std::string_view markdown);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace lab::runtime
