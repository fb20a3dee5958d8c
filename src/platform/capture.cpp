// Shared by both platforms: read a rectangle of the frame just drawn and save it as a PNG
// (stb_image_write from Debian's libstb-dev).
#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#include <GL/gl.h>
#endif

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "imgui.h"
#include "platform/platform.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

namespace lab::platform {

std::string capture_png(float x, float y, float w, float h, int fb_width, int fb_height, const std::string& name) {
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  const int px = std::clamp(int(std::floor(x * scale.x)), 0, fb_width);
  const int py = std::clamp(int(std::floor(y * scale.y)), 0, fb_height);
  const int pw = std::clamp(int(std::ceil(w * scale.x)), 0, fb_width - px);
  const int ph = std::clamp(int(std::ceil(h * scale.y)), 0, fb_height - py);
  if (pw <= 0 || ph <= 0) return "nothing to save: the plot is not on screen";
  std::vector<unsigned char> rgba(size_t(pw) * size_t(ph) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(px, fb_height - py - ph, pw, ph, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  // GL rows go bottom-up; PNG rows top-down. Opaque alpha (the canvas may be premultiplied).
  std::vector<unsigned char> flipped(rgba.size());
  for (int r = 0; r < ph; ++r)
    std::copy_n(&rgba[size_t(ph - 1 - r) * size_t(pw) * 4], size_t(pw) * 4, &flipped[size_t(r) * size_t(pw) * 4]);
  for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
  std::string png;
  stbi_write_png_to_func([](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append(static_cast<char*>(data), size_t(size)); },
                         &png, pw, ph, 4, flipped.data(), pw * 4);
  if (png.empty()) return "could not encode the PNG";
  return save_file(name, png);
}

}  // namespace lab::platform
