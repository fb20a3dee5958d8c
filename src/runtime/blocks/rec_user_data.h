// The student's own MovieLens files (issue #20): ml-100k.zip (unpacked here by core/data/zip.h), or
// u.data, u.item and u.user, dropped on the page or the window (web/byod.js reads a dropped folder in
// the page, the native platform one on the window), or named by --open; parsed by core's loader (FILE:LINE errors), kept for the session and used by the
// recommender blocks (rec-data, rec-explicit, rec-implicit, rec-course) instead of the generated data
// until the student goes back. Nothing leaves the machine: the bytes stay in this process (and, in the
// page, in the browser's own storage: web/byod.js remembers an accepted drop in IndexedDB and drops it
// again on the next visit, followed by the note "#remembered"; see rec_is_remembered_note_name).
#pragma once

#include <memory>
#include <string>

#include "core/recsys/data.h"
#include "runtime/experiment.h"

namespace lab::runtime {

struct Session;

struct RecUserData {
  std::string source;  // what was dropped: "ml-100k.zip", "ml-100k", "u.data + u.item + u.user"
  std::string name;    // as window.embedlab.data names it: "MovieLens-100k (your copy)"
  int drop = 0;        // 1, 2, ...: which accepted drop of this run of the lab (window.embedlab.recData)
  core::recsys::RecData data;
};

// The dropped data in use, or null (the blocks generate synth_small).
std::shared_ptr<const RecUserData> rec_user_data();

// u.data, u.item, u.user (any folder in front), a .zip, or a failed drop.
bool rec_is_movielens_name(const std::string& path);
// "ml-100k#error": web/byod.js could not read a MovieLens drop (a folder without the files, a file
// the browser would not read); the contents are its message, shown in place like the loader's.
bool rec_is_failed_drop_name(const std::string& path);
// "#remembered": web/byod.js has stored the data in use in the browser (IndexedDB) or dropped it again
// from there on a new visit; the banner then says so and offers "Forget my data". Routed like the files.
bool rec_is_remembered_note_name(const std::string& path);
// "#forget": the page asks for what the banner's "Forget my data" button does (web/byod.js's
// Module.labForgetMovieLens, which the browser test uses: it cannot click inside the canvas).
bool rec_is_forget_note_name(const std::string& path);
// Whether the data in use is remembered by the browser (false natively, and after a new drop until
// byod.js has stored it).
bool rec_user_data_remembered();
// One dropped MovieLens file, or a zip holding all three (a broken or partial archive: the zip
// reader's "ARCHIVE[/ENTRY]: what" error). The three files are kept until all have arrived (in any
// order, in one drop or several), then parsed together; on success the recommender blocks restart on them. `message` says
// what happened (or what is still missing). A malformed file: the loader's "FILE:LINE: what" error,
// the blocks keep their data, and the error stays shown in the blocks (rec_user_data_error).
core::Status rec_file_dropped(Session& s, const std::string& path, std::string contents, std::string& message);
// The last failed drop's message, shown in place by the recommender widgets ("" if none or cleared).
const std::string& rec_user_data_error();
// Back to the generated data; the recommender blocks restart. In the page, byod.js sees the data go
// (window.embedlab.recData becomes null) and deletes the browser's copy.
void rec_user_data_forget(Session& s);
// The widgets' "back to the generated data" button asks; the app applies the request between frames
// (rec_user_data_update), never while a block is being drawn.
void rec_user_data_request_forget();
void rec_user_data_update(Session& s);

// The data the recommender lessons use: the student's files when dropped, else synth_small(seed).
// `user` (optional) says which.
core::Status rec_lesson_data(uint64_t data_seed, core::recsys::RecData& out, bool* user = nullptr);

}  // namespace lab::runtime
