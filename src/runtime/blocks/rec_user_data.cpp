// The student's own MovieLens files for the recommender blocks (see rec_user_data.h).
#include "runtime/blocks/rec_user_data.h"

#include <utility>

#include "core/data/zip.h"
#include "runtime/session.h"
#include "runtime/text.h"

namespace lab::runtime {

namespace rs = core::recsys;

namespace {

// Session state, like the projection blocks' dropped vectors (projection.cpp): it outlives steps and
// lessons, so the data stays chosen while the student moves through the recommender lessons.
struct Pending {
  std::string path, text;
};
Pending g_data, g_item, g_user;
std::shared_ptr<const RecUserData> g_active;
std::string g_error;
bool g_forget_requested = false;
bool g_remembered = false;

std::string folder_of(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

bool is_rec_kind(const LabBlock* b) {
  return b && (b->kind_name == "rec-data" || b->kind_name == "rec-explicit" || b->kind_name == "rec-implicit" ||
               b->kind_name == "rec-course");
}

int restart_rec_blocks(Session& s) {
  int n = 0;
  for (int i = 0; i < int(s.runs.size()); ++i)
    if (is_rec_kind(session_run_block(s, s.runs[size_t(i)]))) session_restart(s, i), ++n;
  return n;
}

// Parses the three files and, if they load, makes them the data in use and restarts the blocks.
core::Status accept(Session& s, const rs::Ml100kText& t, const std::string& source, std::string& message) {
  auto u = std::make_shared<RecUserData>();
  if (core::Status st = rs::ml100k_parse(t, u->data); !st) {
    g_error = st.message;
    return st;
  }
  u->source = source;
  const bool full = u->data.n_users == 943 && u->data.n_items == 1682 && u->data.ratings.size() == 100000;
  u->name = full ? "MovieLens-100k (your copy)" : "MovieLens files (your copy: " + u->source + ")";
  static int drops = 0;
  u->drop = ++drops;
  g_active = u;
  g_remembered = false;  // until byod.js says it has stored this one
  g_error.clear();
  const int restarted = restart_rec_blocks(s);
  message = "Opened " + u->name + ": " + with_commas((long long)u->data.ratings.size()) + " ratings, " +
            std::to_string(u->data.n_users) + " users, " + std::to_string(u->data.n_items) +
            " movies; read on this computer, nothing uploaded" +
            (restarted ? "" : ". The recommender lessons (6 and 7) use it");
  return core::Status::success();
}

}  // namespace

std::shared_ptr<const RecUserData> rec_user_data() { return g_active; }
const std::string& rec_user_data_error() { return g_error; }

bool rec_user_data_remembered() { return g_active && g_remembered; }

bool rec_is_movielens_name(const std::string& path) {
  const std::string b = path_base_name(path);
  return b == "u.data" || b == "u.item" || b == "u.user" || core::zip_is_name(path) || rec_is_failed_drop_name(path) ||
         rec_is_remembered_note_name(path) || rec_is_forget_note_name(path);
}
bool rec_is_remembered_note_name(const std::string& path) { return path == "#remembered"; }
bool rec_is_forget_note_name(const std::string& path) { return path == "#forget"; }
bool rec_is_failed_drop_name(const std::string& path) {
  return path.size() > 6 && path.compare(path.size() - 6, 6, "#error") == 0;
}

core::Status rec_file_dropped(Session& s, const std::string& path, std::string contents, std::string& message) {
  if (rec_is_forget_note_name(path)) {
    if (!g_active) return core::Status::error("no MovieLens data in use to forget");
    message = "Forgot " + g_active->name + ": back to the generated data";
    rec_user_data_request_forget();
    return core::Status::success();
  }
  if (rec_is_remembered_note_name(path)) {
    if (!g_active) return core::Status::error("no MovieLens data in use to remember");
    g_remembered = true;
    message = g_active->name + " is remembered in this browser for your next visit (stored on this computer only); "
              "\"Forget my data\" removes it";
    return core::Status::success();
  }
  if (rec_is_failed_drop_name(path)) {
    g_error = contents;
    return core::Status::error(std::move(contents));
  }
  if (core::zip_is_name(path)) {  // ml-100k.zip: a whole drop
    rs::Ml100kFiles files;
    core::Status st = rs::ml100k_unzip(contents, path, files);
    if (!st) {
      g_error = st.message;
      return st;
    }
    g_data = g_item = g_user = {};
    return accept(s, files.text(), folder_of(files.data_name), message);
  }
  const std::string b = path_base_name(path);
  Pending* slot = b == "u.data" ? &g_data : b == "u.item" ? &g_item : b == "u.user" ? &g_user : nullptr;
  if (!slot) return core::Status::error(path + ": not a MovieLens-100k file (u.data, u.item or u.user)");
  *slot = {path, std::move(contents)};
  std::string missing;
  for (const auto& [p, name] : {std::pair{&g_data, "u.data"}, {&g_item, "u.item"}, {&g_user, "u.user"}})
    if (p->path.empty()) missing += (missing.empty() ? "" : " and ") + std::string(name);
  if (!missing.empty()) {
    message = "Kept " + path + ": now drop " + missing + " (or the whole ml-100k folder or ml-100k.zip)";
    return core::Status::success();
  }
  rs::Ml100kText t;
  t.data = g_data.text, t.item = g_item.text, t.user = g_user.text;
  t.data_name = g_data.path, t.item_name = g_item.path, t.user_name = g_user.path;
  const std::string folder = folder_of(g_data.path);
  core::Status st = accept(s, t, folder.empty() ? "u.data + u.item + u.user" : folder, message);
  g_data = g_item = g_user = {};  // the next drop starts afresh, whatever happened
  return st;
}

void rec_user_data_forget(Session& s) {
  g_active.reset();
  g_remembered = false;
  g_error.clear();
  g_data = g_item = g_user = {};
  restart_rec_blocks(s);
}

void rec_user_data_request_forget() { g_forget_requested = true; }
void rec_user_data_update(Session& s) {
  if (!g_forget_requested) return;
  g_forget_requested = false;
  rec_user_data_forget(s);
}

core::Status rec_lesson_data(uint64_t data_seed, rs::RecData& out, bool* user) {
  if (user) *user = g_active != nullptr;
  if (g_active) {
    out = g_active->data;
    return core::Status::success();
  }
  return rs::synth_generate(rs::synth_small(data_seed), out);
}

}  // namespace lab::runtime
