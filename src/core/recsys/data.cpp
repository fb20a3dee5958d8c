#include "core/det_math.h"
#include "core/recsys/data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "core/data/zip.h"
#include "core/memory_budget.h"
#include "core/rng.h"
#include "core/text.h"

namespace lab::core::recsys {

const std::array<const char*, kGenres> kGenreNames = {
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy",  "Crime",
    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
    "Romance", "Sci-Fi", "Thriller", "War", "Western"};

const std::array<const char*, kOccupations> kOccupationNames = {
    "administrator", "artist", "doctor", "educator", "engineer", "entertainment", "executive",
    "healthcare", "homemaker", "lawyer", "librarian", "marketing", "none", "other",
    "programmer", "retired", "salesman", "scientist", "student", "technician", "writer"};

namespace {

// MovieLens-100k's published marginals, used as the generator's targets.
constexpr std::array<int, kOccupations> kOccupationCounts = {79, 28, 7,  95, 67, 18, 32, 16, 7,  12, 51,
                                                             26, 9,  105, 66, 14, 12, 31, 196, 27, 45};
constexpr std::array<int, kGenres> kGenreCounts = {2,  251, 135, 42, 122, 505, 109, 50, 725, 22,
                                                   24, 92,  56,  61, 247, 101, 251, 71, 27};
constexpr int64_t kTimeFirst = 874724710, kTimeLast = 893286638;  // MovieLens-100k's range

double phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }


// Sequential dot product of two rows (no SIMD reordering: the same sum natively and in WASM).
double dotd(const MatD& a, Index ra, const MatD& b, Index rb) {
  double s = 0;
  for (Index j = 0; j < a.cols(); ++j) s += a(ra, j) * b(rb, j);
  return s;
}

uint32_t pick_weighted(Rng& rng, const int* w, int n) {
  int total = 0;
  for (int i = 0; i < n; ++i) total += w[i];
  int r = int(rng_below(rng, uint32_t(total)));
  for (int i = 0; i < n; ++i) {
    if (r < w[i]) return uint32_t(i);
    r -= w[i];
  }
  return uint32_t(n - 1);
}

// Integers proportional to weights that sum exactly to total (largest remainder), each <= cap.
std::vector<int64_t> apportion(const std::vector<double>& w, int64_t total, int64_t cap) {
  const size_t n = w.size();
  std::vector<int64_t> out(n, 0);
  std::vector<bool> capped(n, false);
  int64_t left = total;
  for (int round = 0; round < 64 && left > 0; ++round) {
    double sw = 0;
    for (size_t i = 0; i < n; ++i)
      if (!capped[i]) sw += w[i];
    if (sw <= 0) break;
    std::vector<std::pair<double, size_t>> rem;
    int64_t given = 0;
    std::vector<int64_t> add(n, 0);
    for (size_t i = 0; i < n; ++i) {
      if (capped[i]) continue;
      const double exact = double(left) * w[i] / sw;
      add[i] = int64_t(std::floor(exact));
      given += add[i];
      rem.push_back({exact - double(add[i]), i});
    }
    std::sort(rem.begin(), rem.end(), [](auto& a, auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    for (size_t k = 0; k < rem.size() && given < left; ++k, ++given) ++add[rem[k].second];
    left = 0;
    for (size_t i = 0; i < n; ++i) {
      out[i] += add[i];
      if (out[i] >= cap) {
        left += out[i] - cap;
        out[i] = cap;
        capped[i] = true;
      }
    }
  }
  return out;
}

// Item rating counts by popularity rank: a log-linear curve through MovieLens-100k-like anchor
// points (rank fraction -> count), scaled so that the counts sum to n_ratings, top = max_count.
std::vector<int64_t> item_count_profile(int32_t n_items, int64_t n_ratings, int max_count) {
  static const double ax[] = {0, 0.006, 0.06, 0.2, 0.5, 0.75, 0.916, 1.0};
  static const double ac[] = {583, 430, 220, 100, 27, 8, 1.5, 1};
  auto curve = [&](double x) {
    for (int s = 0; s < 7; ++s)
      if (x <= ax[s + 1]) {
        const double t = (x - ax[s]) / (ax[s + 1] - ax[s]);
        return det_exp(det_log(ac[s]) * (1 - t) + det_log(ac[s + 1]) * t);
      }
    return 1.0;
  };
  std::vector<double> base(static_cast<size_t>(n_items));
  for (int32_t r = 0; r < n_items; ++r) base[size_t(r)] = curve(n_items > 1 ? double(r) / double(n_items - 1) : 0.0);
  auto counts_for = [&](double f, std::vector<int64_t>& c) {
    int64_t s = 0;
    for (size_t r = 0; r < base.size(); ++r) {
      c[r] = std::clamp<int64_t>(int64_t(std::llround(f * base[r])), 1, max_count);
      s += c[r];
    }
    c[0] = max_count;
    return s - c[0] + max_count;
  };
  std::vector<int64_t> c(base.size());
  double lo = 1e-4, hi = 1e4;
  for (int it = 0; it < 100; ++it) {
    const double mid = std::sqrt(lo * hi);
    if (counts_for(mid, c) < n_ratings) lo = mid;
    else hi = mid;
  }
  int64_t s = counts_for(lo, c);
  // exact total: add/remove one rating at a time over the middle ranks
  for (size_t r = 1; s != n_ratings && r < c.size();) {
    if (s < n_ratings && c[r] < max_count) ++c[r], ++s;
    else if (s > n_ratings && c[r] > 1) --c[r], --s;
    r = r + 1 < c.size() ? r + 1 : 1;
    if (s < n_ratings && std::all_of(c.begin() + 1, c.end(), [&](int64_t v) { return v >= max_count; })) break;
  }
  return c;
}

const char* kTitleA[] = {"Silent", "Crimson", "Last",  "Midnight", "Golden", "Broken", "Hidden", "Lost",
                         "Wild",   "Electric", "Frozen", "Secret", "Distant", "Burning", "Quiet", "Iron"};
const char* kTitleB[] = {"River", "Empire", "Summer", "Garden", "Horizon", "Witness", "Harbor", "Signal",
                         "Planet", "Stranger", "Kingdom", "Promise", "Highway", "Island", "Mirror", "Season"};

void bayes_stats(double m, double sd, float& mean, float& var, float& mae) {
  double p[5];
  double prev = 0;
  for (int k = 1; k <= 4; ++k) {
    const double c = phi((k + 0.5 - m) / sd);
    p[k - 1] = c - prev;
    prev = c;
  }
  p[4] = 1 - prev;
  double e = 0, e2 = 0;
  for (int k = 0; k < 5; ++k) e += p[k] * (k + 1), e2 += p[k] * (k + 1) * (k + 1);
  double cum = 0;
  int med = 5;
  for (int k = 0; k < 5; ++k) {
    cum += p[k];
    if (cum >= 0.5) {
      med = k + 1;
      break;
    }
  }
  double ad = 0;
  for (int k = 0; k < 5; ++k) ad += p[k] * std::abs(k + 1 - med);
  mean = float(e);
  var = float(std::max(0.0, e2 - e * e));
  mae = float(ad);
}

}  // namespace

SynthOptions synth_movielens100k(uint64_t seed) {
  SynthOptions o;
  o.seed = seed;
  return o;
}

SynthOptions synth_small(uint64_t seed) {
  SynthOptions o;
  o.n_users = 300;
  o.n_items = 500;
  o.n_ratings = 12000;
  o.max_per_user = 250;
  o.max_item_count = 185;
  o.seed = seed;
  return o;
}

Status synth_generate(const SynthOptions& o, RecData& d) {
  if (o.n_users < 2 || o.n_items < 2 || o.rank < 1 || o.min_per_user < 1 || !(o.noise_sd > 0))
    return Status::error("recsys generator: needs >= 2 users and items, rank >= 1, min_per_user >= 1, noise > 0");
  const int cap = std::min<int>(o.max_per_user, o.n_items);
  if (o.n_ratings < int64_t(o.n_users) * o.min_per_user || o.n_ratings > int64_t(o.n_users) * cap ||
      o.max_item_count > o.n_users || o.min_per_user > cap || o.n_ratings > int64_t(o.n_items) * o.max_item_count)
    return Status::error("recsys generator: " + std::to_string(o.n_ratings) + " ratings cannot be spread over " +
                         std::to_string(o.n_users) + " users (" + std::to_string(o.min_per_user) + ".." +
                         std::to_string(cap) + " each) and " + std::to_string(o.n_items) + " items (at most " +
                         std::to_string(o.max_item_count) + " each, at most one per user)");
  d = RecData{};
  d.synthetic = true;
  d.noise_sd = o.noise_sd;
  d.n_users = o.n_users;
  d.n_items = o.n_items;
  for (const char* s : kOccupationNames) d.occupations.push_back(s);
  Rng root(o.seed);
  Rng r_meta = rng_fork(root), r_deg = rng_fork(root), r_assign = rng_fork(root), r_lat = rng_fork(root),
      r_noise = rng_fork(root), r_time = rng_fork(root);

  // --- users: age, gender, occupation, zip ---
  d.users.resize(size_t(o.n_users));
  for (auto& u : d.users) {
    u.occupation = int(pick_weighted(r_meta, kOccupationCounts.data(), kOccupations));
    const std::string_view occ = kOccupationNames[size_t(u.occupation)];
    double age = 33 + 11 * rng_normal(r_meta);
    if (occ == "student") age = 21 + 4 * rng_normal(r_meta);
    if (occ == "retired") age = 63 + 5 * rng_normal(r_meta);
    u.age = std::clamp(int(std::lround(age)), 7, 73);
    u.gender = rng_bernoulli(r_meta, 0.71) ? 'M' : 'F';
    char zip[6];
    for (int k = 0; k < 5; ++k) zip[k] = char('0' + rng_below(r_meta, 10));
    zip[5] = 0;
    u.zip = zip;
  }
  // --- items: year, genres, title ---
  d.items.resize(size_t(o.n_items));
  for (size_t i = 0; i < d.items.size(); ++i) {
    ItemInfo& it = d.items[i];
    if (rng_bernoulli(r_meta, 0.62)) it.year = 1990 + int(rng_below(r_meta, 9));
    else it.year = 1989 - int(std::floor(68 * det_pow(rng_uniform(r_meta), 1.6)));
    bool any = false;
    for (int g = 1; g < kGenres; ++g) {
      it.genres[size_t(g)] = rng_bernoulli(r_meta, double(kGenreCounts[size_t(g)]) / 1682.0) ? 1 : 0;
      any |= it.genres[size_t(g)] != 0;
    }
    if (!any) it.genres[size_t(rng_bernoulli(r_meta, 0.6) ? 8 : 5)] = 1;  // Drama or Comedy
    it.title = std::string(kTitleA[rng_below(r_meta, 16)]) + " " + kTitleB[rng_below(r_meta, 16)] + " " +
               std::to_string(i + 1) + " (" + std::to_string(it.year) + ")";
  }
  if (o.n_items > 266) {  // as in MovieLens (item 267), one item without a release date
    d.items[266].year = 0;
    d.items[266].title = "unknown";
  }

  // --- degrees: users (min + heavy tail), items (popularity profile over a random rank order) ---
  std::vector<double> w(static_cast<size_t>(o.n_users));
  for (double& x : w) x = std::max(0.0, det_exp(1.2 * rng_normal(r_deg)) - 0.25);
  std::vector<int64_t> udeg = apportion(w, o.n_ratings - int64_t(o.n_users) * o.min_per_user, cap - o.min_per_user);
  for (auto& x : udeg) x += o.min_per_user;
  std::vector<int64_t> prof = item_count_profile(o.n_items, o.n_ratings, o.max_item_count);
  std::vector<uint32_t> rank_of(static_cast<size_t>(o.n_items));
  std::iota(rank_of.begin(), rank_of.end(), 0u);
  rng_shuffle(r_deg, rank_of);
  std::vector<int64_t> icount(static_cast<size_t>(o.n_items));
  for (int32_t i = 0; i < o.n_items; ++i) icount[size_t(i)] = prof[rank_of[size_t(i)]];

  // --- latent truth ---
  const int R = o.rank;
  auto nrm = [&](Rng& r) { return rng_normal(r); };
  // metadata -> taste maps: age group (4), gender (2), occupation (21), each a (R + genres) vector
  const int T = R;  // genre affinity acts through the genre directions of the item factors
  auto table = [&](int rows) {
    MatD m(rows, T);
    for (Index j = 0; j < T; ++j)
      for (Index i = 0; i < rows; ++i) m(i, j) = nrm(r_lat);
    return m;
  };
  const MatD t_age = table(4), t_gender = table(2), t_occ = table(kOccupations);
  MatD taste(o.n_users, T);
  VecD ubias(o.n_users);
  const double ms = std::clamp(o.meta_share, 0.0, 1.0), ind = std::sqrt(1 - ms * ms);
  for (int32_t u = 0; u < o.n_users; ++u) {
    const UserInfo& ui = d.users[size_t(u)];
    const int ag = ui.age < 25 ? 0 : ui.age < 35 ? 1 : ui.age < 50 ? 2 : 3;
    for (int j = 0; j < T; ++j) {
      const double meta = (t_age(ag, j) + t_gender(ui.gender == 'F', j) + t_occ(ui.occupation, j)) / std::sqrt(3.0);
      taste(u, j) = ms * meta + ind * nrm(r_lat);
    }
    ubias(u) = o.user_bias_sd * (0.35 * (double(ui.age) - 33) / 11 + std::sqrt(1 - 0.35 * 0.35) * nrm(r_lat));
  }
  // items: latent factors partly shared through genres; bias from popularity and age
  MatD gdir(kGenres, R);
  for (Index j = 0; j < R; ++j)
    for (Index g = 0; g < kGenres; ++g) gdir(g, j) = nrm(r_lat);
  MatD itemf(o.n_items, T);
  VecD ibias(o.n_items);
  // How much the genres decide a movie's factors and its bias (the defaults give the data every
  // lesson was written on: 0.6 and 0, with 0.8 = sqrt(1 - 0.6^2) exactly). The genre effects on the
  // bias come from their own stream, so the other draws do not depend on genre_bias.
  const double gsh = std::clamp(o.genre_share, 0.0, 1.0), gind = std::sqrt(1 - gsh * gsh);
  const double gb = std::clamp(o.genre_bias, 0.0, 0.6);
  VecD genre_bias = VecD::Zero(o.n_items);
  if (gb > 0) {
    Rng r_gb(o.seed ^ 0x67656e7265626961ull);  // "genrebia"
    VecD effect(kGenres);
    for (Index g = 0; g < kGenres; ++g) effect(g) = nrm(r_gb);
    for (int32_t i = 0; i < o.n_items; ++i)
      for (int g = 0; g < kGenres; ++g) genre_bias(i) += d.items[size_t(i)].genres[size_t(g)] * effect(g);
  }
  {
    VecD lp(o.n_items), old(o.n_items);
    for (int32_t i = 0; i < o.n_items; ++i) {
      lp(i) = det_log(double(icount[size_t(i)]) + 1);
      old(i) = d.items[size_t(i)].year > 0 ? double(1998 - d.items[size_t(i)].year) : 0;
    }
    auto zs = [](VecD v) {
      double m = 0, q = 0;
      for (Index i = 0; i < v.size(); ++i) m += v(i);
      m /= double(v.size());
      for (Index i = 0; i < v.size(); ++i) q += (v(i) - m) * (v(i) - m);
      const double s = std::sqrt(q / double(v.size()));
      return VecD((v.array() - m) / (s > 0 ? s : 1));
    };
    const VecD zlp = zs(lp), zold = zs(old);
    for (int32_t i = 0; i < o.n_items; ++i) {
      const ItemInfo& it = d.items[size_t(i)];
      int ng = 0;
      for (int g = 0; g < kGenres; ++g) ng += it.genres[size_t(g)];
      const double gs = 1.0 / std::sqrt(double(std::max(ng, 1)));
      for (int j = 0; j < R; ++j) {
        double gpart = 0;
        for (int g = 0; g < kGenres; ++g) gpart += it.genres[size_t(g)] * gdir(g, j);
        itemf(i, j) = gsh * gs * gpart + gind * nrm(r_lat);
      }
      ibias(i) = o.item_bias_sd * (0.55 * zlp(i) + 0.3 * zold(i) + gb * gs * genre_bias(i) +
                                   std::sqrt(1 - 0.55 * 0.55 - 0.3 * 0.3 - gb * gb) * nrm(r_lat));
    }
  }
  // --- pairs: each item (most popular first) picks its count of distinct users, with probability
  // proportional to their remaining capacity times exp(selection * taste affinity): people mostly
  // rate what they chose to watch (Efraimidis–Spirakis keys log(u)/w). ---
  VecD aff_sd_acc = VecD::Zero(2);
  for (int32_t u = 0; u < o.n_users; u += 7)
    for (int32_t i = 0; i < o.n_items; i += 5) {
      const double a = dotd(taste, u, itemf, i);
      aff_sd_acc(0) += a * a;
      aff_sd_acc(1) += 1;
    }
  const double aff_scale = o.selection / std::sqrt(std::max(1e-12, aff_sd_acc(0) / aff_sd_acc(1)));
  std::vector<int32_t> by_pop(static_cast<size_t>(o.n_items));
  std::iota(by_pop.begin(), by_pop.end(), 0);
  std::sort(by_pop.begin(), by_pop.end(), [&](int32_t a, int32_t b) { return rank_of[size_t(a)] < rank_of[size_t(b)]; });
  std::vector<int64_t> capleft = udeg;
  // Dense n_users x n_items flags: 943 x 1682 bytes at most, as the sizes only come from the two
  // presets (synth_movielens100k, synth_small), never from a lesson or a file. A knob on them would
  // need a memory_check here (core/memory_budget.h).
  std::vector<uint8_t> seen(size_t(o.n_users) * size_t(o.n_items), 0);
  std::vector<std::pair<int32_t, int32_t>> pairs;
  pairs.reserve(size_t(o.n_ratings));
  std::vector<std::pair<double, int32_t>> keys;
  for (int32_t item : by_pop) {
    keys.clear();
    for (int32_t u = 0; u < o.n_users; ++u)
      if (capleft[size_t(u)] > 0) {
        double x = rng_uniform(r_assign);
        if (x <= 0) x = 1e-300;
        // weight = capacity * exp(aff); key = log(x) / weight (exp from our own det_exp: bit-identical everywhere)
        const double wgt = double(capleft[size_t(u)]) * det_exp(aff_scale * dotd(taste, u, itemf, item));
        keys.push_back({det_log(x) / wgt, u});
      }
    const size_t want = std::min<size_t>(size_t(icount[size_t(item)]), keys.size());
    auto cmp = [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); };
    std::nth_element(keys.begin(), keys.begin() + ptrdiff_t(want), keys.end(), cmp);
    std::vector<int32_t> chosen;
    for (size_t k = 0; k < want; ++k) chosen.push_back(keys[k].second);
    std::sort(chosen.begin(), chosen.end());
    for (int32_t u : chosen) {
      --capleft[size_t(u)];
      seen[size_t(u) * size_t(o.n_items) + size_t(item)] = 1;
      pairs.push_back({u, item});
    }
  }
  // leftover capacity (rare): random unrated items, which perturbs item counts slightly
  for (int32_t u = 0; u < o.n_users; ++u)
    while (capleft[size_t(u)] > 0) {
      const int32_t item = int32_t(rng_below(r_assign, uint32_t(o.n_items)));
      uint8_t& s = seen[size_t(u) * size_t(o.n_items) + size_t(item)];
      if (s) continue;
      s = 1;
      --capleft[size_t(u)];
      pairs.push_back({u, item});
    }
  std::sort(pairs.begin(), pairs.end());

  // interaction = <taste_u, itemf_i>, rescaled to interaction_sd over the sampled pairs
  std::vector<double> inter(pairs.size());
  double s1 = 0, s2 = 0;
  for (size_t k = 0; k < pairs.size(); ++k) {
    inter[k] = dotd(taste, pairs[k].first, itemf, pairs[k].second);
    s1 += inter[k];
    s2 += inter[k] * inter[k];
  }
  const double im = s1 / double(pairs.size()), isd = std::sqrt(std::max(1e-12, s2 / double(pairs.size()) - im * im));
  const double scale = o.interaction_sd / isd;

  // --- ratings, Bayes statistics, timestamps ---
  std::vector<int64_t> t0(size_t(o.n_users)), span(size_t(o.n_users));
  const double range = double(kTimeLast - kTimeFirst);
  for (int32_t u = 0; u < o.n_users; ++u) {
    const double ut = rng_uniform(r_time);
    const double len = range * (0.02 + 0.5 * ut * ut);
    t0[size_t(u)] = kTimeFirst + int64_t(rng_uniform(r_time) * (range - len));
    span[size_t(u)] = int64_t(len);
  }
  d.ratings.resize(pairs.size());
  d.bayes_mean.resize(pairs.size());
  d.bayes_var.resize(pairs.size());
  std::vector<float> mae(pairs.size());
  for (size_t k = 0; k < pairs.size(); ++k) {
    const auto [u, i] = pairs[k];
    const double m = o.mean + ubias(u) + ibias(i) + scale * (inter[k] - im);
    const double y = m + o.noise_sd * rng_normal(r_noise);
    Rating& r = d.ratings[k];
    r.user = u;
    r.item = i;
    r.rating = float(std::clamp(std::lround(y), 1L, 5L));
    r.timestamp = t0[size_t(u)] + int64_t(rng_uniform(r_time) * double(span[size_t(u)]));
    bayes_stats(m, o.noise_sd, d.bayes_mean[k], d.bayes_var[k], mae[k]);
  }
  d.bayes_mae = std::move(mae);
  return Status::success();
}

// ---- Summary ---------------------------------------------------------------------------------------
DataSummary summarise(const RecData& d) {
  DataSummary s;
  s.n_ratings = int64_t(d.ratings.size());
  if (d.ratings.empty()) return s;
  double m = 0, m2 = 0;
  std::vector<int> pu(size_t(d.n_users), 0), pi(size_t(d.n_items), 0);
  for (const Rating& r : d.ratings) {
    m += r.rating;
    m2 += double(r.rating) * r.rating;
    const int k = std::clamp(int(std::lround(r.rating)), 1, 5);
    s.share[size_t(k - 1)] += 1;
    ++pu[size_t(r.user)];
    ++pi[size_t(r.item)];
  }
  const double n = double(d.ratings.size());
  s.mean = m / n;
  s.sd = std::sqrt(std::max(0.0, m2 / n - s.mean * s.mean));
  for (double& x : s.share) x /= n;
  std::sort(pu.begin(), pu.end());
  std::sort(pi.begin(), pi.end());
  s.min_per_user = pu.front();
  s.max_per_user = pu.back();
  s.median_per_user = pu[pu.size() / 2];
  s.max_per_item = pi.back();
  s.median_per_item = pi[pi.size() / 2];
  s.items_with_one = int(std::count(pi.begin(), pi.end(), 1));
  const size_t top = std::max<size_t>(1, pi.size() / 10);
  double topsum = 0;
  for (size_t k = 0; k < top; ++k) topsum += pi[pi.size() - 1 - k];
  s.top10pct_item_share = topsum / n;
  if (d.synthetic && d.bayes_var.size() == d.ratings.size()) {
    double v = 0, a = 0;
    for (size_t k = 0; k < d.ratings.size(); ++k) v += d.bayes_var[k], a += d.bayes_mae[k];
    s.noise_floor_rmse = std::sqrt(v / n);
    s.noise_floor_mae = a / n;
  }
  return s;
}

double noise_floor_rmse(const RecData& d, const std::vector<uint32_t>& rows) {
  if (!d.synthetic || rows.empty() || d.bayes_var.size() != d.ratings.size()) return 0;
  double v = 0;
  for (uint32_t r : rows) v += d.bayes_var[r];
  return std::sqrt(v / double(rows.size()));
}

double noise_floor_mae(const RecData& d, const std::vector<uint32_t>& rows) {
  if (!d.synthetic || rows.empty() || d.bayes_mae.size() != d.ratings.size()) return 0;
  double a = 0;
  for (uint32_t r : rows) a += d.bayes_mae[r];
  return a / double(rows.size());
}

// ---- MovieLens-100k parsing ------------------------------------------------------------------------

namespace {

// Splits text into lines (LF or CRLF); calls f(line_number, line) for each non-empty line.
template <class F>
Status for_lines(std::string_view text, F&& f) {
  int line = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    ++line;
    pos = end + 1;
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (Status st = f(line, l); !st) return st;
  }
  return Status::success();
}

std::vector<std::string_view> split_on(std::string_view l, char sep) {
  std::vector<std::string_view> f;
  size_t pos = 0;
  while (true) {
    const size_t e = l.find(sep, pos);
    if (e == std::string_view::npos) {
      f.push_back(l.substr(pos));
      break;
    }
    f.push_back(l.substr(pos, e - pos));
    pos = e + 1;
  }
  return f;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <class I>
bool to_int(std::string_view s, I& v) {
  s = trim(s);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

Status line_error(const std::string& file, int line, const std::string& msg) {
  return Status::error(file + ":" + std::to_string(line) + ": " + msg);
}

std::string shown(std::string_view s) {
  std::string t = latin1_to_utf8(s.substr(0, 60));
  return "'" + t + (s.size() > 60 ? "...'" : "'");
}

// Lines that for_lines may hand over (an upper bound: blank lines are counted too).
double line_count(std::string_view text) { return double(std::count(text.begin(), text.end(), '\n')) + 1; }

// A ratings file's Ratings (24 bytes each), checked before any is stored (core/memory_budget.h).
Status ratings_budget_check(const std::string& file, double lines) {
  return memory_check(lines * sizeof(Rating), file, "up to " + memory_shape({lines}) + " ratings (one per line)",
                      "use a smaller sample of the ratings");
}

}  // namespace

Status ml100k_parse_ratings(std::string_view text, const std::string& file, std::vector<Rating>& out) {
  out.clear();
  if (Status st = ratings_budget_check(file, line_count(text)); !st) return st;
  out.reserve(size_t(line_count(text)));
  return for_lines(text, [&](int line, std::string_view l) -> Status {
    const auto f = split_on(l, '\t');
    if (f.size() != 4)
      return line_error(file, line,
                        "expected 4 tab-separated fields (user, item, rating, timestamp), found " +
                            std::to_string(f.size()) + " in " + shown(l));
    Rating r;
    int rating = 0;
    if (!to_int(f[0], r.user) || r.user < 1) return line_error(file, line, "user id " + shown(f[0]) + " is not a positive whole number");
    if (!to_int(f[1], r.item) || r.item < 1) return line_error(file, line, "item id " + shown(f[1]) + " is not a positive whole number");
    if (!to_int(f[2], rating) || rating < 1 || rating > 5) return line_error(file, line, "rating " + shown(f[2]) + " is not a whole number from 1 to 5");
    if (!to_int(f[3], r.timestamp)) return line_error(file, line, "timestamp " + shown(f[3]) + " is not a whole number");
    r.rating = float(rating);
    out.push_back(r);
    return Status::success();
  });
}

namespace {
int parse_year(std::string_view date) {
  // "01-Jan-1995" (day-month-year); the year is what the models use.
  date = trim(date);
  if (date.size() < 4) return -1;
  int y = 0;
  if (!to_int(date.substr(date.size() - 4), y) || y < 1800 || y > 2100) return -1;
  return y;
}
}  // namespace

Status ml100k_unzip(std::string_view zip, const std::string& archive, Ml100kFiles& out) {
  out = {};
  std::vector<ZipEntry> entries;
  if (Status st = zip_entries(zip, archive, entries); !st) return st;
  const char* const names[3] = {"u.data", "u.item", "u.user"};
  const ZipEntry* pick[3] = {zip_find(entries, names[0]), zip_find(entries, names[1]), zip_find(entries, names[2])};
  std::string missing;
  for (int k = 0; k < 3; ++k)
    if (!pick[k]) missing += (missing.empty() ? "" : " or ") + std::string(names[k]);
  if (!pick[0] && !pick[1] && !pick[2]) {
    std::string holds;
    for (size_t i = 0; i < entries.size() && i < 5; ++i) holds += (i ? ", " : "") + entries[i].name;
    return Status::error(archive + ": no MovieLens-100k files in it (u.data, u.item, u.user); it holds " +
                         (holds.empty() ? std::string("nothing") : holds) + (entries.size() > 5 ? ", ..." : ""));
  }
  if (!missing.empty()) return Status::error(archive + ": no " + missing + " in it (a partial copy of ml-100k?)");
  std::string* bytes[3] = {&out.data, &out.item, &out.user};
  std::string* file_names[3] = {&out.data_name, &out.item_name, &out.user_name};
  for (int k = 0; k < 3; ++k) {
    if (Status st = zip_extract(zip, *pick[k], archive, *bytes[k]); !st) {
      out = {};
      return st;
    }
    *file_names[k] = archive + "/" + pick[k]->name;
  }
  return Status::success();
}

Status ml100k_parse(const Ml100kText& t, RecData& d) {
  d = RecData{};
  // What the files can make us allocate, from their line counts, before anything is parsed
  // (core/memory_budget.h): per user its record (twice, while the vector grows) and a row of the
  // user-feature table; per item its record and its title (Latin-1 to UTF-8 at most doubles it); per
  // rating the Rating and its entry in the duplicate check's hash table.
  const double users = line_count(t.user), items = line_count(t.item), ratings = line_count(t.data);
  const double bytes = users * (2 * sizeof(UserInfo) + (2 + kOccupations) * sizeof(Scalar)) +
                       items * 2 * sizeof(ItemInfo) + 2 * double(t.item.size()) + ratings * (sizeof(Rating) + 48);
  if (Status fit = memory_check(bytes, "MovieLens-100k files",
                                "up to " + memory_shape({users}) + " users, " + memory_shape({items}) + " items and " +
                                    memory_shape({ratings}) + " ratings (one per line)",
                                "use a smaller sample of the data");
      !fit)
    return fit;
  for (const char* s : kOccupationNames) d.occupations.push_back(s);
  // u.user
  Status st = for_lines(t.user, [&](int line, std::string_view l) -> Status {
    const auto f = split_on(l, '|');
    if (f.size() != 5)
      return line_error(t.user_name, line, "expected 5 '|'-separated fields (id|age|gender|occupation|zip), found " +
                                               std::to_string(f.size()) + " in " + shown(l));
    int id = 0;
    UserInfo u;
    if (!to_int(f[0], id) || id < 1) return line_error(t.user_name, line, "user id " + shown(f[0]) + " is not a positive whole number");
    if (id != d.n_users + 1)
      return line_error(t.user_name, line, "user ids must be 1, 2, 3, ... in order; expected " + std::to_string(d.n_users + 1) + ", found " + std::to_string(id));
    if (!to_int(f[1], u.age) || u.age < 0 || u.age > 130) return line_error(t.user_name, line, "age " + shown(f[1]) + " is not a plausible whole number");
    const std::string_view g = trim(f[2]);
    if (g != "M" && g != "F") return line_error(t.user_name, line, "gender " + shown(f[2]) + " is not M or F");
    u.gender = g[0];
    const std::string occ(trim(f[3]));
    if (occ.empty()) return line_error(t.user_name, line, "occupation is empty");
    auto it = std::find(d.occupations.begin(), d.occupations.end(), occ);
    if (it == d.occupations.end()) {
      d.occupations.push_back(occ);
      it = d.occupations.end() - 1;
    }
    u.occupation = int(it - d.occupations.begin());
    u.zip = std::string(trim(f[4]));
    d.users.push_back(std::move(u));
    ++d.n_users;
    return Status::success();
  });
  if (!st) return st;
  if (d.n_users == 0) return Status::error(t.user_name + ": no users (the file is empty)");
  // Ids are 1, 2, 3, ... in order (checked above), so the tables sized by ids are as long as the files
  // are; a new occupation name adds a column to the dense user-feature table (user_features()), so
  // that table is checked here, before anything builds it.
  const double feature_cols = 2.0 + double(d.occupations.size());
  if (Status fit = memory_check(memory_bytes({double(d.n_users), feature_cols}, sizeof(Scalar)), t.user_name,
                                "the user-feature table (" + memory_shape({double(d.n_users)}) + " users x " +
                                    memory_shape({feature_cols}) + " columns, one per occupation)",
                                "use fewer users or occupation names");
      !fit)
    return fit;
  // u.item
  st = for_lines(t.item, [&](int line, std::string_view l) -> Status {
    const auto f = split_on(l, '|');
    if (f.size() != 5 + kGenres)
      return line_error(t.item_name, line, "expected " + std::to_string(5 + kGenres) +
                                               " '|'-separated fields (id|title|release date|video date|url|19 genre flags), found " +
                                               std::to_string(f.size()));
    int id = 0;
    ItemInfo it;
    if (!to_int(f[0], id) || id < 1) return line_error(t.item_name, line, "item id " + shown(f[0]) + " is not a positive whole number");
    if (id != d.n_items + 1)
      return line_error(t.item_name, line, "item ids must be 1, 2, 3, ... in order; expected " + std::to_string(d.n_items + 1) + ", found " + std::to_string(id));
    it.title = latin1_to_utf8(trim(f[1]));
    if (!trim(f[2]).empty()) {
      it.year = parse_year(f[2]);
      if (it.year < 0) return line_error(t.item_name, line, "release date " + shown(f[2]) + " is not like 01-Jan-1995 (or empty)");
    }
    for (int g = 0; g < kGenres; ++g) {
      const std::string_view v = trim(f[size_t(5 + g)]);
      if (v != "0" && v != "1")
        return line_error(t.item_name, line, std::string("genre flag ") + kGenreNames[size_t(g)] + " is " + shown(v) + ", expected 0 or 1");
      it.genres[size_t(g)] = v == "1";
    }
    d.items.push_back(std::move(it));
    ++d.n_items;
    return Status::success();
  });
  if (!st) return st;
  if (d.n_items == 0) return Status::error(t.item_name + ": no items (the file is empty)");
  // u.data
  std::vector<Rating> rs;
  if (st = ml100k_parse_ratings(t.data, t.data_name, rs); !st) return st;
  if (rs.empty()) return Status::error(t.data_name + ": no ratings (the file is empty)");
  // duplicate check and range check, with the line number of the offending rating
  std::unordered_map<int64_t, size_t> where;
  int line = 0;
  size_t k = 0;
  st = for_lines(t.data, [&](int ln, std::string_view) -> Status {
    line = ln;
    Rating& r = rs[k];
    if (r.user > d.n_users)
      return line_error(t.data_name, line, "user id " + std::to_string(r.user) + " is not in " + t.user_name + " (1.." + std::to_string(d.n_users) + ")");
    if (r.item > d.n_items)
      return line_error(t.data_name, line, "item id " + std::to_string(r.item) + " is not in " + t.item_name + " (1.." + std::to_string(d.n_items) + ")");
    const int64_t key = int64_t(r.user) * (int64_t(d.n_items) + 1) + r.item;
    if (!where.emplace(key, k).second)
      return line_error(t.data_name, line, "user " + std::to_string(r.user) + " rates item " + std::to_string(r.item) + " twice");
    r.user -= 1;
    r.item -= 1;
    ++k;
    return Status::success();
  });
  if (!st) return st;
  d.ratings = std::move(rs);
  return Status::success();
}

// ---- Splits ----------------------------------------------------------------------------------------
Split split_random(const RecData& d, double test_share, uint64_t seed) {
  std::vector<uint32_t> idx(d.ratings.size());
  std::iota(idx.begin(), idx.end(), 0u);
  Rng rng(seed);
  rng_shuffle(rng, idx);
  const size_t n_test = size_t(std::llround(std::clamp(test_share, 0.0, 1.0) * double(idx.size())));
  Split s;
  s.test.assign(idx.begin(), idx.begin() + ptrdiff_t(n_test));
  s.train.assign(idx.begin() + ptrdiff_t(n_test), idx.end());
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.test.begin(), s.test.end());
  return s;
}

ColdSplit split_cold(const RecData& d, double new_item_share, double new_user_share, int new_user_ratings,
                     double test_share, uint64_t seed) {
  ColdSplit c;
  Rng rng(seed);
  auto pick = [&rng](int32_t n, double share) {  // a seeded subset of round(share * n) of 0..n-1
    std::vector<uint32_t> idx(static_cast<size_t>(n));
    std::iota(idx.begin(), idx.end(), 0u);
    rng_shuffle(rng, idx);
    std::vector<uint8_t> flag(static_cast<size_t>(n), 0);
    const size_t k = size_t(std::llround(std::clamp(share, 0.0, 1.0) * double(n)));
    for (size_t j = 0; j < k; ++j) flag[idx[j]] = 1;
    return flag;
  };
  c.new_item = pick(d.n_items, new_item_share);
  c.new_user = pick(d.n_users, new_user_share);
  // A new user's ratings in time order (ties by position); the first new_user_ratings are kept.
  std::vector<std::vector<uint32_t>> by_user(static_cast<size_t>(d.n_users));
  for (uint32_t k = 0; k < uint32_t(d.ratings.size()); ++k)
    if (c.new_user[size_t(d.ratings[k].user)] && !c.new_item[size_t(d.ratings[k].item)])
      by_user[size_t(d.ratings[k].user)].push_back(k);
  std::vector<uint8_t> kept(d.ratings.size(), 0);
  for (auto& rows : by_user) {
    std::stable_sort(rows.begin(), rows.end(),
                     [&d](uint32_t a, uint32_t b) { return d.ratings[a].timestamp < d.ratings[b].timestamp; });
    for (size_t j = 0; j < rows.size() && j < size_t(std::max(0, new_user_ratings)); ++j) kept[rows[j]] = 1;
  }
  for (uint32_t k = 0; k < uint32_t(d.ratings.size()); ++k) {
    const Rating& r = d.ratings[k];
    if (c.new_item[size_t(r.item)]) c.split.test.push_back(k);
    else if (c.new_user[size_t(r.user)]) (kept[k] ? c.split.train : c.split.test).push_back(k);
    else (rng_bernoulli(rng, test_share) ? c.split.test : c.split.train).push_back(k);
  }
  return c;
}

Split split_leave_last_out(const RecData& d) {
  std::vector<int64_t> last_t(size_t(d.n_users), INT64_MIN);
  std::vector<int64_t> last_k(size_t(d.n_users), -1);
  std::vector<int> cnt(size_t(d.n_users), 0);
  for (size_t k = 0; k < d.ratings.size(); ++k) {
    const Rating& r = d.ratings[k];
    ++cnt[size_t(r.user)];
    if (r.timestamp >= last_t[size_t(r.user)]) {
      last_t[size_t(r.user)] = r.timestamp;
      last_k[size_t(r.user)] = int64_t(k);
    }
  }
  Split s;
  for (size_t k = 0; k < d.ratings.size(); ++k) {
    const int32_t u = d.ratings[k].user;
    if (cnt[size_t(u)] >= 2 && last_k[size_t(u)] == int64_t(k)) s.test.push_back(uint32_t(k));
    else s.train.push_back(uint32_t(k));
  }
  return s;
}

Status split_from_ratings(const RecData& d, const std::vector<Rating>& base, const std::string& base_name,
                          const std::vector<Rating>& test, const std::string& test_name, Split& out) {
  out = Split{};
  std::unordered_map<int64_t, uint32_t> index;
  index.reserve(d.ratings.size());
  auto key = [&](int64_t u, int64_t i) { return u * (int64_t(d.n_items) + 1) + i; };
  for (size_t k = 0; k < d.ratings.size(); ++k) index[key(d.ratings[k].user, d.ratings[k].item)] = uint32_t(k);
  // The rating lists come from ml100k_parse_ratings, which skips blank lines: the n-th rating is
  // on the n-th non-blank line; files from GroupLens have none, so that is the line number.
  for (int pass = 0; pass < 2; ++pass) {
    const auto& rs = pass == 0 ? base : test;
    const std::string& name = pass == 0 ? base_name : test_name;
    auto& to = pass == 0 ? out.train : out.test;
    for (size_t k = 0; k < rs.size(); ++k) {
      const auto it = index.find(key(int64_t(rs[k].user) - 1, int64_t(rs[k].item) - 1));
      if (it == index.end())
        return Status::error(name + ":" + std::to_string(k + 1) + ": user " + std::to_string(rs[k].user) + ", item " +
                             std::to_string(rs[k].item) + " is not in u.data (is this split from the same data?)");
      to.push_back(it->second);
    }
  }
  return Status::success();
}

// ---- Views -----------------------------------------------------------------------------------------
std::vector<std::vector<int32_t>> positives_by_user(const RecData& d, const std::vector<uint32_t>& rows, float min_rating) {
  std::vector<std::vector<int32_t>> out(size_t(d.n_users));
  for (uint32_t k : rows) {
    const Rating& r = d.ratings[k];
    if (r.rating >= min_rating) out[size_t(r.user)].push_back(r.item);
  }
  for (auto& v : out) std::sort(v.begin(), v.end());
  return out;
}

std::vector<int32_t> item_counts(const RecData& d, const std::vector<uint32_t>& rows, float min_rating) {
  std::vector<int32_t> c(size_t(d.n_items), 0);
  for (uint32_t k : rows)
    if (d.ratings[k].rating >= min_rating) ++c[size_t(d.ratings[k].item)];
  return c;
}

Mat user_features(const RecData& d) {
  const Index no = Index(d.occupations.size());
  Mat f = Mat::Zero(d.n_users, 2 + no);
  for (int32_t u = 0; u < d.n_users; ++u) {
    const UserInfo& ui = d.users[size_t(u)];
    f(u, 0) = Scalar((double(ui.age) - 33.0) / 12.0);
    f(u, 1) = ui.gender == 'F' ? 1 : 0;
    f(u, 2 + ui.occupation) = 1;
  }
  return f;
}

Mat item_features(const RecData& d, const std::vector<uint32_t>& train_rows, bool popularity) {
  const std::vector<int32_t> cnt = item_counts(d, train_rows);
  double mlog = 0;
  for (int32_t c : cnt) mlog += std::log1p(double(c));
  mlog /= double(std::max<int32_t>(d.n_items, 1));
  const Index g0 = popularity ? 3 : 2;  // first genre column
  Mat f = Mat::Zero(d.n_items, g0 + kGenres);
  for (int32_t i = 0; i < d.n_items; ++i) {
    const ItemInfo& it = d.items[size_t(i)];
    f(i, 0) = it.year > 0 ? Scalar((double(it.year) - 1988.0) / 20.0) : 0;
    f(i, 1) = it.year > 0 ? 0 : 1;
    if (popularity) f(i, 2) = Scalar((std::log1p(double(cnt[size_t(i)])) - mlog) / 1.5);
    for (int g = 0; g < kGenres; ++g) f(i, g0 + g) = it.genres[size_t(g)];
  }
  return f;
}

}  // namespace lab::core::recsys
