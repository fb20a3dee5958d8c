// Web: hands the lessons web/lessons_fetch.js fetched from the site's lessons/ folder to the app, a
// batch at a time, once each batch's fetches have settled: first the lesson the page opens on (the
// page starts that download while index.wasm is still arriving, and reports ready only after it is
// handed over), then, after the first frame, the others (AppCallbacks::lessons_fetched).
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

// Called by platform_web.cpp once per frame while lessons are expected: hands over a batch that has
// arrived. Returns whether it did, and *more whether another batch follows.
bool lessons_poll(const AppCallbacks& callbacks, bool* more) {
  if (!EM_ASM_INT({ return Module.labLessonsSettled(); })) return false;
  *more = EM_ASM_INT({ return Module.labLessonsMore(); }) != 0;
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
  if (callbacks.lessons_fetched) callbacks.lessons_fetched(files, error, *more);
  return true;
}

}  // namespace lab::platform
