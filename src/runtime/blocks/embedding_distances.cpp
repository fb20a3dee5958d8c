// "embedding-distances" (see embedding_distances.h).
#include "runtime/blocks/embedding_distances.h"

#include <algorithm>
#include <cmath>

#include "core/embed/knn.h"
#include "runtime/blocks/embedding_train.h"

namespace lab::runtime {

namespace {

// Rows of `x` with the query stretched by `scale`, then (optionally) every row normalised.
core::Mat prepared(const core::Mat& x, int query, double scale, bool normalize) {
  core::Mat v = x;
  v.row(query) *= core::Scalar(scale);
  return normalize ? core::rows_normalized(v) : v;
}

bool same_list(const core::Knn& a, const core::Knn& b, int i) {
  for (int j = 0; j < a.k; ++j)
    if (a.neighbour(i, j) != b.neighbour(i, j)) return false;
  return true;
}

double overlap(const core::Knn& a, const core::Knn& b, int i) {
  int same = 0;
  for (int j = 0; j < a.k; ++j)
    for (int l = 0; l < b.k; ++l) same += a.neighbour(i, j) == b.neighbour(i, l);
  return double(same) / double(a.k);
}

}  // namespace

void embedding_distances_analyse(EmbeddingDistancesExperiment& e, const core::Mat& embeddings,
                                 const std::vector<int32_t>& category) {
  const int n = int(embeddings.rows());
  const int q = std::clamp(e.query, 0, n - 1);
  const int k = std::clamp(e.k, 1, n - 1);
  e.vectors = prepared(embeddings, q, e.scale, e.normalize);
  const core::Mat base = prepared(embeddings, q, 1.0, e.normalize);  // the same without stretching

  std::array<core::Knn, 3> now, before;
  for (size_t m = 0; m < 3; ++m) {
    core::knn_search(e.vectors, k, kDistanceMeasures[m], now[m]);
    core::knn_search(base, k, kDistanceMeasures[m], before[m]);
    e.neighbours[m].clear();
    for (int j = 0; j < k; ++j) e.neighbours[m].push_back({now[m].neighbour(q, j), double(now[m].measure_value(q, j))});
  }

  // ‖x − y‖² against 2 (1 − cos) over every pair: equal on the unit sphere, not in general.
  e.pair_sq_distance.clear();
  e.pair_cos_term.clear();
  double identity_err = 0;
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      const double sq = core::measure_pair(core::Measure::SqEuclidean, e.vectors.row(i), e.vectors.row(j));
      const double ct = 2.0 * (1.0 - core::measure_pair(core::Measure::Cosine, e.vectors.row(i), e.vectors.row(j)));
      e.pair_sq_distance.push_back(float(sq));
      e.pair_cos_term.push_back(float(ct));
      identity_err = std::max(identity_err, std::abs(sq - ct));
    }
  e.norms.resize(size_t(n));
  for (int i = 0; i < n; ++i) e.norms[size_t(i)] = float(e.vectors.row(i).norm());

  // Do Euclidean and cosine (and dot and cosine) rank every word's neighbours the same way?
  double agree_ec = 0, agree_dc = 0;
  for (int i = 0; i < n; ++i) {
    agree_ec += same_list(now[2], now[1], i);
    agree_dc += same_list(now[0], now[1], i);
  }
  // Hubs: how many other words have the query as their single nearest neighbour?
  double hub[3] = {0, 0, 0};
  for (size_t m = 0; m < 3; ++m)
    for (int i = 0; i < n; ++i)
      if (i != q) hub[m] += now[m].neighbour(i, 0) == q;
  // From the category's side: how many of the query's category-mates still list it among their k nearest?
  double found[3] = {0, 0, 0};
  int mates = 0;
  for (int i = 0; i < n; ++i) {
    if (i == q || category[size_t(i)] != category[size_t(q)]) continue;
    ++mates;
    for (size_t m = 0; m < 3; ++m)
      for (int j = 0; j < k; ++j) found[m] += now[m].neighbour(i, j) == q;
  }
  for (double& f : found) f = mates ? f / mates : NAN;
  double same_cat = 0;
  for (int j = 0; j < k; ++j) same_cat += category[size_t(now[1].neighbour(q, j))] == category[size_t(q)];

  e.results = {
      {"identity_max_error", identity_err},
      {"rank_agreement", agree_ec / n},
      {"dot_cos_agreement", agree_dc / n},
      {"query_norm", double(e.norms[size_t(q)])},
      {"euclidean_overlap_unscaled", overlap(now[2], before[2], q)},
      {"cosine_overlap_unscaled", overlap(now[1], before[1], q)},
      {"dot_overlap_unscaled", overlap(now[0], before[0], q)},
      {"dot_hub_share", hub[0] / (n - 1)},
      {"cosine_hub_share", hub[1] / (n - 1)},
      {"euclidean_hub_share", hub[2] / (n - 1)},
      {"cosine_same_category", same_cat / k},
  };
  const char* found_names[3] = {"dot_found_by_category", "cosine_found_by_category", "euclidean_found_by_category"};
  for (size_t m = 0; m < 3; ++m)
    e.results.push_back(mates ? Metric{found_names[m], found[m]}
                              : metric_undefined(found_names[m], "the query's category has no other word"));
  e.analysed = true;
}

void EmbeddingDistancesExperiment::step(double budget_ms) {
  if (done()) return;
  word_embedding_step(run, budget_ms);
  if (run.result) embedding_distances_analyse(*this, run.result->embeddings, run.vocab.category);
}

static std::unique_ptr<Experiment> make_embedding_distances(const BlockConfig& c) {
  auto e = std::make_unique<EmbeddingDistancesExperiment>();
  word_embedding_start(e->run, word_embedding_params_from(c));
  e->query = c.integer("query");
  e->k = c.integer("k");
  e->scale = c.num("scale");
  e->normalize = c.flag("normalize");
  return e;
}

static std::vector<ParamSpec> distance_params() {
  std::vector<ParamSpec> p = word_embedding_param_specs(8, 20);
  ParamSpec query{"query", ParamType::Choice, "the word whose neighbours are listed"};
  for (const std::string& w : core::vocab_builtin().words) query.choices.push_back(w);
  query.def_text = "cat";
  p.insert(p.begin(), query);
  p.insert(p.begin() + 1, {"k", ParamType::Int, "neighbours listed per measure", 5, 1, 10});
  p.insert(p.begin() + 2, {"scale", ParamType::Float, "factor applied to the query vector's length (direction unchanged)", 1, 0.05, 20, {}, "", true});
  p.insert(p.begin() + 3, {"normalize", ParamType::Bool, "scale every vector to length 1 before comparing", 0});
  return p;
}

BlockKind& block_kind_embedding_distances() {
  static BlockKind k{
      "embedding-distances",
      "Dot product, cosine and Euclidean distance between word embeddings",
      distance_params(),
      {
          {"identity_max_error", "max over pairs of |‖x − y‖² − 2(1 − cos(x, y))| (0 when every vector has length 1)"},
          {"rank_agreement", "share of words whose k nearest by Euclidean distance equal (in order) their k nearest by cosine"},
          {"dot_cos_agreement", "the same for dot product vs cosine"},
          {"query_norm", "length of the query vector as compared"},
          {"euclidean_overlap_unscaled", "share of the query's Euclidean neighbours that it also has at scale 1"},
          {"cosine_overlap_unscaled", "share of the query's cosine neighbours that it also has at scale 1"},
          {"dot_overlap_unscaled", "share of the query's dot-product neighbours that it also has at scale 1"},
          {"dot_hub_share", "share of the other words whose best match by dot product is the query"},
          {"cosine_hub_share", "share of the other words whose best match by cosine is the query"},
          {"euclidean_hub_share", "share of the other words whose nearest word by Euclidean distance is the query"},
          {"cosine_same_category", "share of the query's k cosine neighbours from its own category"},
          {"dot_found_by_category", "share of the query's category-mates that have it among their k best dot-product matches"},
          {"cosine_found_by_category", "share of the query's category-mates that have it among their k nearest by cosine"},
          {"euclidean_found_by_category", "share of the query's category-mates that have it among their k nearest by Euclidean distance"},
      },
      make_embedding_distances,
  };
  k.controls = {{"random text (topic_share 0: no categories to learn)", {{"topic_share", "0"}}},
                {"the query at its own length (scale 1)", {{"scale", "1"}}},
                {"vectors at their own lengths (normalize no)", {{"normalize", "no"}}}};
  // Cosine ignores length by construction: no setting can change the query's cosine neighbours by scaling it.
  metrics_mark_identity(k, {"cosine_overlap_unscaled", "query_norm"});
  return k;
}

}  // namespace lab::runtime
