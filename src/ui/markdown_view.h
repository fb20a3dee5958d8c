// Draws lesson prose (a runtime::MdDoc) into the current ImGui window: headings, paragraphs with
// bold/italic/code/links wrapped to the panel width, lists, code blocks, tables, rules and images
// from the assets folder. Links show their target on hover and open through LabApp::open_url.
#pragma once

#include "runtime/markdown.h"

namespace lab::ui {

struct LabApp;
void markdown_view(LabApp& app, const runtime::MdDoc& doc);

// Resolves an image path from a lesson to a file under the assets folder; empty (with *error) if the
// path is absolute, a URL, or climbs out with "..".
std::string image_path_resolve(const std::string& assets_dir, const std::string& src, std::string* error);

}  // namespace lab::ui
