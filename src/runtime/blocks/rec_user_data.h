// The student's own MovieLens files (issue #20): u.data, u.item and u.user dropped on the page or the
// window (web/byod.js unpacks ml-100k.zip or a dropped folder in the page; the native platform reads a
// dropped folder), parsed by core's loader (FILE:LINE errors), kept for the session and used by the
// recommender blocks (rec-data, rec-explicit, rec-implicit, rec-course) instead of the generated data
// until the student goes back. Nothing leaves the machine: the bytes stay in this process.
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
  core::recsys::RecData data;
};

// The dropped data in use, or null (the blocks generate synth_small).
std::shared_ptr<const RecUserData> rec_user_data();

// u.data, u.item, u.user (any folder in front: "ml-100k.zip/ml-100k/u.data"), or a failed drop.
bool rec_is_movielens_name(const std::string& path);
// "ml-100k.zip#error": web/byod.js could not unpack a MovieLens drop (a broken or partial zip, a
// folder without the files); the contents are its message, shown in place like the loader's.
bool rec_is_failed_drop_name(const std::string& path);
// One dropped MovieLens file. The three are kept until all have arrived (in any order, in one drop or
// several), then parsed together; on success the recommender blocks restart on them. `message` says
// what happened (or what is still missing). A malformed file: the loader's "FILE:LINE: what" error,
// the blocks keep their data, and the error stays shown in the blocks (rec_user_data_error).
core::Status rec_file_dropped(Session& s, const std::string& path, std::string contents, std::string& message);
// The last failed drop's message, shown in place by the recommender widgets ("" if none or cleared).
const std::string& rec_user_data_error();
// Back to the generated data; the recommender blocks restart.
void rec_user_data_forget(Session& s);
// The widgets' "back to the generated data" button asks; the app applies the request between frames
// (rec_user_data_update), never while a block is being drawn.
void rec_user_data_request_forget();
void rec_user_data_update(Session& s);

// The data the recommender lessons use: the student's files when dropped, else synth_small(seed).
// `user` (optional) says which.
core::Status rec_lesson_data(uint64_t data_seed, core::recsys::RecData& out, bool* user = nullptr);

}  // namespace lab::runtime
