// Recommender data: the generator's shape and determinism, the MovieLens-100k parser on fixtures
// written in that format (tests/data/ml100k-fixture), its FILE:LINE errors, and the splits.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/det_math.h"
#include "core/recsys/data.h"
#include "runtime/text.h"

using namespace lab::core;
using namespace lab::core::recsys;

namespace {

std::string fixture(const std::string& name) {
  std::string err;
  auto t = lab::runtime::read_text_file(std::string(LAB_SOURCE_DIR) + "/tests/data/ml100k-fixture/" + name, &err);
  REQUIRE_MESSAGE(t.has_value(), err);
  return *t;
}

uint64_t fingerprint(const RecData& d) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](uint64_t v) {
    h ^= v;
    h *= 1099511628211ULL;
  };
  for (const Rating& r : d.ratings) {
    mix(uint64_t(r.user));
    mix(uint64_t(r.item));
    mix(uint64_t(r.rating));
    mix(uint64_t(r.timestamp));
  }
  for (const UserInfo& u : d.users) mix(uint64_t(u.age * 100 + u.occupation));
  for (const ItemInfo& it : d.items) mix(uint64_t(it.year));
  return h;
}

}  // namespace

TEST_CASE("recsys data: the generator matches MovieLens-100k's published shape") {
  RecData d;
  REQUIRE(synth_generate(synth_movielens100k(1), d).ok);
  const DataSummary s = summarise(d);
  CHECK(d.n_users == 943);
  CHECK(d.n_items == 1682);
  CHECK(s.n_ratings == 100000);
  CHECK(s.min_per_user >= 20);
  CHECK(s.max_per_user <= 737);
  CHECK(s.mean == doctest::Approx(3.53).epsilon(0.01));  // MovieLens-100k: 3.530
  CHECK(s.sd == doctest::Approx(1.126).epsilon(0.02));   // MovieLens-100k: 1.126
  CHECK(s.max_per_item >= 560);                          // MovieLens-100k: 583 (Star Wars)
  CHECK(s.max_per_item <= 600);
  CHECK(s.median_per_item >= 15);  // long tail: MovieLens-100k's median is 27, with ~140 items rated once
  CHECK(s.median_per_item <= 40);
  CHECK(s.items_with_one >= 50);
  CHECK(s.top10pct_item_share > 0.35);
  for (double share : s.share) CHECK(share > 0.03);
  // the noise floor is known: Gaussian noise 0.9 on the latent rating, then rounding and clipping
  CHECK(s.noise_floor_rmse > 0.8);
  CHECK(s.noise_floor_rmse < 0.9);
  CHECK(s.noise_floor_mae < s.noise_floor_rmse);
  // metadata
  std::set<int> occ;
  int women = 0;
  for (const UserInfo& u : d.users) {
    CHECK(u.age >= 7);
    CHECK(u.age <= 73);
    occ.insert(u.occupation);
    women += u.gender == 'F';
  }
  CHECK(occ.size() >= 18);
  CHECK(women > 200);
  CHECK(women < 350);
  CHECK(d.items[266].year == 0);  // one item without a release date, as in MovieLens
  for (int32_t i = 0; i < d.n_items; ++i) {
    int g = 0;
    for (auto f : d.items[size_t(i)].genres) g += f;
    CHECK(g >= 1);
  }
}

TEST_CASE("recsys data: the generator is deterministic, with the same numbers natively and in WASM") {
  RecData a, b, c;
  REQUIRE(synth_generate(synth_small(7), a).ok);
  REQUIRE(synth_generate(synth_small(7), b).ok);
  REQUIRE(synth_generate(synth_small(8), c).ok);
  CHECK(fingerprint(a) == fingerprint(b));
  CHECK(fingerprint(a) != fingerprint(c));
  CHECK(a.n_users == 300);
  CHECK(a.n_items == 500);
  CHECK(a.ratings.size() == 12000);
  // Pinned: the generator uses only our PRNG and IEEE-exact maths (det_log/det_exp), so this literal
  // must hold on every platform. If you change the generator on purpose, update it.
  CHECK(fingerprint(a) == 10735646245578163000ULL);
}

TEST_CASE("recsys data: MovieLens-100k fixture files parse, Latin-1 titles become UTF-8") {
  const std::string ud = fixture("u.data"), ui = fixture("u.item"), uu = fixture("u.user");
  RecData d;
  const Status st = ml100k_parse({ud, ui, uu}, d);
  REQUIRE_MESSAGE(st.ok, st.message);
  CHECK(d.n_users == 7);
  CHECK(d.n_items == 8);
  CHECK(d.ratings.size() == 35);
  CHECK(d.items[2].title == "Mis\xC3\xA9rables, Les (1995)");
  CHECK(d.items[3].title == "\xC3\x87" "a commence aujourd'hui (1999)");
  CHECK(lab::runtime::utf8_first_invalid(d.items[3].title) == std::nullopt);
  CHECK(d.items[4].year == 0);  // empty release date
  CHECK(d.items[7].year == 1997);
  CHECK(d.items[0].genres[3] == 1);  // Toy Story: Animation
  CHECK(d.users[6].zip == "T8H1N");
  CHECK(d.users[1].gender == 'F');
  CHECK(d.occupations[size_t(d.users[0].occupation)] == "technician");
  for (const Rating& r : d.ratings) {
    CHECK(r.user >= 0);
    CHECK(r.user < 7);
    CHECK(r.item >= 0);
    CHECK(r.item < 8);
  }
  CHECK(!d.synthetic);
  CHECK(summarise(d).noise_floor_rmse == 0);
}

TEST_CASE("recsys data: malformed MovieLens lines are FILE:LINE errors") {
  const std::string ui = fixture("u.item"), uu = fixture("u.user");
  auto data_err = [&](const std::string& udata) {
    RecData d;
    const Status st = ml100k_parse({udata, ui, uu}, d);
    CHECK(!st.ok);
    return st.message;
  };
  CHECK(data_err("1\t1\t5\t881250949\n1\t2\t4\n").starts_with("u.data:2: expected 4 tab-separated fields"));
  CHECK(data_err("1\t1\t5\t881250949\n\n1\t2\tfive\t881250949\n").starts_with("u.data:3: rating 'five'"));
  CHECK(data_err("1\t1\t6\t881250949\n").starts_with("u.data:1: rating '6'"));
  CHECK(data_err("9\t1\t5\t881250949\n").starts_with("u.data:1: user id 9 is not in u.user"));
  CHECK(data_err("1\t99\t5\t881250949\n").starts_with("u.data:1: item id 99 is not in u.item"));
  CHECK(data_err("1\t1\t5\t1\n1\t1\t3\t2\n").starts_with("u.data:2: user 1 rates item 1 twice"));
  CHECK(data_err("").starts_with("u.data: no ratings"));
  RecData d;
  Ml100kText t{"1\t1\t5\t881250949\n", ui, "1|24|M|technician|85711\n2|53|X|other|94043\n"};
  t.user_name = "ml/u.user";
  Status st = ml100k_parse(t, d);
  CHECK(st.message.starts_with("ml/u.user:2: gender 'X' is not M or F"));
  t.user = "1|24|M|technician|85711\n3|53|F|other|94043\n";
  CHECK(ml100k_parse(t, d).message.starts_with("ml/u.user:2: user ids must be 1, 2, 3"));
  t.user = uu;
  t.item = "1|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|2\n";
  CHECK(ml100k_parse(t, d).message.starts_with("u.item:1: genre flag Western is '2'"));
  t.item = "1|Toy Story (1995)|sometime||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n";
  CHECK(ml100k_parse(t, d).message.starts_with("u.item:1: release date 'sometime'"));
  t.item = "1|Toy Story (1995)|01-Jan-1995\n";
  CHECK(ml100k_parse(t, d).message.starts_with("u.item:1: expected 24 '|'-separated fields"));
}

TEST_CASE("recsys data: random and leave-last-out splits are seeded partitions") {
  RecData d;
  REQUIRE(synth_generate(synth_small(1), d).ok);
  const Split a = split_random(d, 0.2, 5), b = split_random(d, 0.2, 5), c = split_random(d, 0.2, 6);
  CHECK(a.test.size() == 2400);
  CHECK(a.train.size() == 9600);
  CHECK(a.test == b.test);
  CHECK(a.test != c.test);
  std::vector<uint32_t> all = a.train;
  all.insert(all.end(), a.test.begin(), a.test.end());
  std::sort(all.begin(), all.end());
  for (size_t k = 0; k < all.size(); ++k) CHECK(all[k] == k);

  const Split l = split_leave_last_out(d);
  CHECK(l.test.size() == size_t(d.n_users));  // every user has >= 20 ratings
  std::vector<int64_t> latest(size_t(d.n_users), 0);
  for (const Rating& r : d.ratings) latest[size_t(r.user)] = std::max(latest[size_t(r.user)], r.timestamp);
  for (uint32_t k : l.test) CHECK(d.ratings[k].timestamp == latest[size_t(d.ratings[k].user)]);
  CHECK(noise_floor_rmse(d, a.test) > 0.75);
}

TEST_CASE("recsys data: predefined u1/ua splits match u.data, unknown pairs are FILE:LINE errors") {
  const std::string ud = fixture("u.data"), ui = fixture("u.item"), uu = fixture("u.user");
  RecData d;
  REQUIRE(ml100k_parse({ud, ui, uu}, d).ok);
  for (const char* name : {"u1", "ua"}) {
    std::vector<Rating> base, test;
    REQUIRE(ml100k_parse_ratings(fixture(std::string(name) + ".base"), "b", base).ok);
    REQUIRE(ml100k_parse_ratings(fixture(std::string(name) + ".test"), "t", test).ok);
    Split s;
    const Status st = split_from_ratings(d, base, "b", test, "t", s);
    REQUIRE_MESSAGE(st.ok, st.message);
    CHECK(s.train.size() == 28);
    CHECK(s.test.size() == 7);
    for (size_t k = 0; k < test.size(); ++k) {
      CHECK(d.ratings[s.test[k]].user == test[k].user - 1);
      CHECK(d.ratings[s.test[k]].rating == test[k].rating);
    }
  }
  std::vector<Rating> base, test;
  REQUIRE(ml100k_parse_ratings("1\t99\t5\t1\n", "x.base", base).ok);
  Split s;
  const Status st = split_from_ratings(d, base, "x.base", test, "x.test", s);
  CHECK(st.message.starts_with("x.base:1: user 1, item 99 is not in u.data"));
}

TEST_CASE("recsys data: implicit view, popularity and metadata features") {
  RecData d;
  REQUIRE(synth_generate(synth_small(1), d).ok);
  const Split s = split_random(d, 0.2, 1);
  const auto pos = positives_by_user(d, s.train, 4);
  size_t n = 0;
  for (const auto& v : pos) {
    CHECK(std::is_sorted(v.begin(), v.end()));
    n += v.size();
  }
  size_t expect = 0;
  for (uint32_t k : s.train) expect += d.ratings[k].rating >= 4;
  CHECK(n == expect);
  const auto cnt = item_counts(d, s.train);
  size_t total = 0;
  for (int32_t c : cnt) total += size_t(c);
  CHECK(total == s.train.size());
  const Mat uf = user_features(d), itf = item_features(d, s.train);
  CHECK(uf.rows() == 300);
  CHECK(uf.cols() == 2 + kOccupations);
  CHECK(itf.rows() == 500);
  CHECK(itf.cols() == 3 + kGenres);
  CHECK(uf.allFinite());
  CHECK(itf.allFinite());
  CHECK(uf.cwiseAbs().maxCoeff() < 4);
  CHECK(itf.cwiseAbs().maxCoeff() < 4);
}
