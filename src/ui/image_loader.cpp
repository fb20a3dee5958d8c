#include "ui/image_loader.h"

#include "core/memory_budget.h"
#include "runtime/text.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_MAX_DIMENSIONS 8192
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace lab::ui {

const Texture& image_get(LabApp& app, const std::string& path) {
  auto it = app.textures.find(path);
  if (it != app.textures.end()) return it->second;
  Texture& tex = app.textures[path];
  std::string err;
  const auto bytes = runtime::read_text_file(path, &err, 16u << 20);
  if (!bytes) {
    tex.error = err;
    return tex;
  }
  int w = 0, h = 0, channels = 0;
  // The decoded size comes from the file's header: check it against the memory budget before decoding
  // (stb_image holds the decompressed pixels and their RGBA conversion at once: 2 x 4 bytes a pixel;
  // STBI_MAX_DIMENSIONS alone would still let 8192 x 8192 through, 512 MiB).
  if (stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes->data()), int(bytes->size()), &w, &h, &channels)) {
    const core::Status st = core::memory_check(core::memory_bytes({double(w), double(h)}, 2 * 4), path,
                                               "decoding the " + core::memory_shape({double(w), double(h)}) + " image",
                                               "scale the image down");
    if (!st) {
      tex.error = st.message;
      return tex;
    }
  }
  unsigned char* rgba = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes->data()), int(bytes->size()), &w, &h,
                                              &channels, 4);
  if (!rgba) {
    tex.error = path + ": not a PNG or JPEG image this lab can read (" + stbi_failure_reason() + ")";
    return tex;
  }
  if (!app.create_texture) {
    tex.error = "images cannot be shown in this build";
  } else {
    tex.id = app.create_texture(rgba, w, h);
    tex.width = w;
    tex.height = h;
    if (!tex.id) tex.error = "the graphics driver could not store the image";
  }
  stbi_image_free(rgba);
  return tex;
}

}  // namespace lab::ui
