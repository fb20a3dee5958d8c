// Web: the data sets a step asks for (runtime/assets.h) are fetched from the site's assets/ folder by
// web/assets_fetch.js and written into the in-memory file system under assets_dir(), where the
// runtime reads them like any file. Polled once per frame by the block that waits for them.
#include <emscripten.h>

#include <string>

#include "platform/platform.h"

namespace lab::platform {

bool asset_fetch_available() { return true; }

void asset_fetch_start(const std::string& name, double expected_bytes) {
  EM_ASM({ Module.labAssetFetch(UTF8ToString($0), UTF8ToString($1), $2); }, name.c_str(), assets_dir().c_str(),
         expected_bytes);
}

double asset_fetch_poll(const std::string& name, std::string* error) {
  const double p = EM_ASM_DOUBLE({ return Module.labAssetPoll(UTF8ToString($0)); }, name.c_str());
  if (p < 0 && error) {
    const int len = EM_ASM_INT({ return Module.labStage(Module.labAssetError(UTF8ToString($0))); }, name.c_str());
    error->assign(size_t(len), '\0');
    if (len > 0) EM_ASM({ Module.labCopyStaged($0, $1); }, error->data(), len);
  }
  return p;
}

}  // namespace lab::platform
