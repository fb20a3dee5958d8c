#include "runtime/assets.h"

#include "runtime/text.h"

namespace lab::runtime {

namespace {
std::string& dir() {
  static std::string d = "assets";
  return d;
}
}  // namespace

void assets_dir_set(std::string d) { dir() = std::move(d); }
const std::string& assets_dir() { return dir(); }

std::shared_ptr<const core::LabeledData> digits_data(core::Status& status) {
  static std::shared_ptr<const core::LabeledData> cached;
  static std::string cached_from;
  const std::string path = assets_dir() + "/" + core::kDigitsFile;
  if (cached && cached_from == path) return cached;
  std::string err;
  const std::optional<std::string> text = read_text_file(path, &err);
  if (!text) {
    status = core::Status::error("the digits data could not be read: " + err);
    return nullptr;
  }
  auto d = std::make_shared<core::LabeledData>();
  if (status = core::digits_parse(*text, *d); !status) {
    status = core::Status::error(path + ": " + status.message);
    return nullptr;
  }
  cached = d;
  cached_from = path;
  return cached;
}

}  // namespace lab::runtime
