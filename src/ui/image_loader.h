// Images for lessons: PNG/JPEG files from the assets folder, decoded with stb_image (Debian's
// libstb-dev, header only) and uploaded through LabApp::create_texture once, then cached by path.
#pragma once

#include <string>

#include "ui/app_ui.h"

namespace lab::ui {

// Never fails hard: on error the returned Texture has id == nullptr and a message in .error.
const Texture& image_get(LabApp& app, const std::string& path);

}  // namespace lab::ui
