// Web: hands the lessons web/lessons_fetch.js fetched from the site's lessons/ folder to the app, once
// every fetch has settled. The page starts the downloads while index.wasm is still arriving, so they
// are usually there by the first frame; the page reports ready only after they are handed over.
// Lesson images the site lists are put into the in-memory file system under /assets first, where
// a lesson's `![alt](images/x.png)` is read from, so the first frame of a lesson finds them.
#include <emscripten.h>

#include <string>
#include <vector>

#include "platform/platform.h"

namespace lab::platform {

namespace {

// A string the JavaScript expression staged with Module.labStage (web/lab_pre.js), as UTF-8.
std::string take_staged(int len) {
  std::string out(size_t(len), '\0');
  if (len > 0) EM_ASM({ Module.labCopyStaged($0, $1); }, out.data(), len);
  return out;
}

}  // namespace

// Called by platform_web.cpp once per frame until it returns true (the lessons were handed over).
bool lessons_poll(const AppCallbacks& callbacks) {
  if (!EM_ASM_INT({ return Module.labLessonsSettled(); })) return false;
  EM_ASM({ Module.labLessonsInstallImages(UTF8ToString($0)); }, assets_dir().c_str());
  std::vector<FetchedFile> files(size_t(EM_ASM_INT({ return Module.labLessonsCount(); })));
  for (int i = 0; i < int(files.size()); ++i) {
    FetchedFile& f = files[size_t(i)];
    f.path = take_staged(EM_ASM_INT({ return Module.labStage(Module.labLessonsFile($0).path); }, i));
    f.error = take_staged(EM_ASM_INT({ return Module.labStage(Module.labLessonsFile($0).error); }, i));
    if (!f.error.empty()) continue;
    f.bytes.resize(size_t(EM_ASM_INT({ return Module.labLessonsFile($0).bytes.length; }, i)));
    if (!f.bytes.empty()) EM_ASM({ Module.labLessonsCopy($0, $1); }, i, f.bytes.data());
  }
  const std::string error = take_staged(EM_ASM_INT({ return Module.labStage(Module.labLessons.error); }));
  EM_ASM({ Module.labLessonsRelease(); });
  if (callbacks.lessons_fetched) callbacks.lessons_fetched(files, error);
  return true;
}

}  // namespace lab::platform
