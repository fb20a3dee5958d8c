// The student's own MovieLens files for the recommender blocks (issue #20): the three files arrive in
// any order and in several drops, a malformed line is refused with FILE:LINE while the blocks keep the
// data they had, and the blocks train on the dropped ratings until the student goes back. And the
// course panel (rec-course): its rows are the real engine's models, trained in slices, on whichever
// data is in use.
#include <doctest/doctest.h>

#include "block_test_util.h"
#include "core/movielens_test_util.h"
#include "core/zip_test_util.h"

#include <string>

#include "runtime/blocks/rec_course.h"
#include "runtime/blocks/rec_user_data.h"
#include "runtime/session.h"

using namespace lab::runtime;
using lab::test::make;
using lab::test::metric;

namespace {

// 30 users x 40 movies, 12 ratings each.
lab::test::MovieLensText small_movielens() { return lab::test::movielens_text(30, 40, 12); }

}  // namespace

TEST_CASE("rec user data: three files in any order, FILE:LINE on a bad line, the blocks switch and switch back") {
  Session s;
  const lab::test::MovieLensText m = small_movielens();
  std::string msg;
  rec_user_data_forget(s);
  REQUIRE(!rec_user_data());

  // A bad line: refused with the file's name and line, nothing kept.
  std::string bad = m.data;
  bad.replace(bad.find('\n', bad.find('\n') + 1) + 1, 0, "3\t7\tsix\t1\n");  // becomes line 3
  CHECK(rec_file_dropped(s, "ml/u.user", m.user, msg).ok);
  CHECK(msg.find("now drop u.data and u.item") != std::string::npos);
  CHECK(rec_file_dropped(s, "ml/u.item", m.item, msg).ok);
  const lab::core::Status st = rec_file_dropped(s, "ml/u.data", bad, msg);
  CHECK(!st.ok);
  CHECK(st.message.rfind("ml/u.data:3: rating 'six'", 0) == 0);
  CHECK(rec_user_data_error() == st.message);
  CHECK(!rec_user_data());

  // The three again (any order): the data is the student's, with its sizes.
  CHECK(rec_file_dropped(s, "ml/u.data", m.data, msg).ok);
  CHECK(rec_file_dropped(s, "ml/u.item", m.item, msg).ok);
  CHECK(rec_file_dropped(s, "ml/u.user", m.user, msg).ok);
  REQUIRE(rec_user_data());
  CHECK(rec_user_data_error().empty());
  CHECK(rec_user_data()->data.n_users == 30);
  CHECK(rec_user_data()->data.n_items == 40);
  CHECK(rec_user_data()->data.ratings.size() == 360);
  CHECK(rec_user_data()->name == "MovieLens files (your copy: ml)");

  auto e = make("rec-explicit", "model: mf\ndim: 8\nepochs: 2\n");
  lab::test::run_to_end(*e);
  CHECK(e->data_set().ratings == 360);
  CHECK(e->data_set().name == "MovieLens files (your copy: ml)");
  CHECK(e->data_set().students_own);  // the lesson's expectations are shown, not judged, on it

  // The page remembers it (web/byod.js, IndexedDB) and says so; natively nobody sends the note.
  CHECK(!rec_user_data_remembered());
  const int drop = rec_user_data()->drop;
  CHECK(drop >= 1);
  CHECK(rec_file_dropped(s, "#remembered", "", msg).ok);
  CHECK(rec_user_data_remembered());
  CHECK(msg.find("remembered in this browser") != std::string::npos);
  // A new drop is a new data set: not remembered until the page has stored it.
  CHECK(rec_file_dropped(s, "ml/u.data", m.data, msg).ok);
  CHECK(rec_file_dropped(s, "ml/u.item", m.item, msg).ok);
  CHECK(rec_file_dropped(s, "ml/u.user", m.user, msg).ok);
  CHECK(rec_user_data()->drop == drop + 1);
  CHECK(!rec_user_data_remembered());

  // ml-100k.zip, unpacked here (core/data/zip.h): the same data, named after the folder inside it.
  const int method = lab::test::zip_default_method();
  const std::string zip = lab::test::zip_build({{"ml-100k/", "", 0}, {"ml-100k/u.data", m.data, method},
                                                {"ml-100k/u.item", m.item, method}, {"ml-100k/u.user", m.user, 0}});
  CHECK(rec_is_movielens_name("x/ml-100k.ZIP"));
  CHECK(rec_file_dropped(s, "ml-100k.zip", zip, msg).ok);
  REQUIRE(rec_user_data());
  CHECK(rec_user_data()->drop == drop + 2);
  CHECK(rec_user_data()->name == "MovieLens files (your copy: ml-100k.zip/ml-100k)");
  CHECK(rec_user_data()->data.ratings.size() == 360);
  // A broken archive or a bad line inside one: the message in place, the data in use stays.
  lab::core::Status zst = rec_file_dropped(s, "cut.zip", zip.substr(0, zip.size() / 2), msg);
  CHECK(zst.message == "cut.zip: the archive is cut short: its table of contents (at the end) is missing; download it again");
  CHECK(rec_user_data_error() == zst.message);
  zst = rec_file_dropped(s, "bad.zip", lab::test::zip_build({{"u.data", bad, 0}, {"u.item", m.item, 0}, {"u.user", m.user, 0}}), msg);
  CHECK(zst.message.rfind("bad.zip/u.data:3: rating 'six'", 0) == 0);
  CHECK(rec_user_data()->drop == drop + 2);

  // A folder the page could not read (web/byod.js) is shown like the loader's messages.
  CHECK(rec_is_movielens_name("ml-100k#error"));
  CHECK(!rec_file_dropped(s, "ml-100k#error", "ml-100k: a folder without u.data, u.item or u.user", msg).ok);
  CHECK(rec_user_data_error() == "ml-100k: a folder without u.data, u.item or u.user");
  CHECK(rec_user_data());  // the data in use stays

  // Back to the generated data (asked by a widget, or by the page's "#forget"; applied between frames).
  CHECK(rec_file_dropped(s, "#forget", "", msg).ok);
  CHECK(rec_user_data());
  rec_user_data_update(s);
  CHECK(!rec_user_data());
  CHECK(!rec_user_data_remembered());
  CHECK(!rec_file_dropped(s, "#forget", "", msg).ok);       // nothing left to forget
  CHECK(!rec_file_dropped(s, "#remembered", "", msg).ok);   // nor to remember
  CHECK(rec_file_dropped(s, "ml/u.data", m.data, msg).ok);
  CHECK(rec_file_dropped(s, "ml/u.item", m.item, msg).ok);
  CHECK(rec_file_dropped(s, "ml/u.user", m.user, msg).ok);
  rec_user_data_request_forget();
  CHECK(rec_user_data());
  rec_user_data_update(s);
  CHECK(!rec_user_data());
  auto g = make("rec-data", "");
  lab::test::run_to_end(*g);
  CHECK(g->data_set().ratings == 12000);
  CHECK(g->data_set().name == "synthetic-small (seed 1)");
  CHECK(!g->data_set().students_own);
}

TEST_CASE("rec-course: the course's models in slices, a figure per row, the 5-class model among them") {
  auto e = make("rec-course", "protocol: explicit\nepochs: 2\n");
  lab::test::run_to_end(*e, 5);
  const auto* c = dynamic_cast<const RecCourseExperiment*>(e.get());
  REQUIRE(c);
  REQUIRE(c->rows.size() == 4);
  CHECK(c->rows[3].classes);
  CHECK(c->rows[3].course == doctest::Approx(0.717));
  for (const RecCourseRow& r : c->rows) CHECK(r.done);
  for (const char* m : {"mae_mf", "mae_deep", "mae_deep_meta", "mae_classes", "noise_floor_mae"}) {
    const double v = metric(*e, m);
    CHECK(v > 0.3);
    CHECK(v < 1.5);
  }
  // Nobody beats the generator's noise.
  CHECK(metric(*e, "mae_mf") > metric(*e, "noise_floor_mae"));
  CHECK(metric(*e, "mae_classes") > metric(*e, "noise_floor_mae"));
  // The course's settings (10 and 15 epochs): 0.765 and 0.885 on the generated data (seed 1); an
  // untrained model scores 0.5.
  auto i = make("rec-course", "protocol: implicit\n");
  lab::test::run_to_end(*i, 5);
  CHECK(metric(*i, "auc_triplet") > 0.65);
  CHECK(metric(*i, "auc_deep_triplet") > 0.75);
}
