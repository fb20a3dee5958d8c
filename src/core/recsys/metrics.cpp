#include "core/recsys/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lab::core::recsys {

double rmse(std::span<const float> p, std::span<const float> t) {
  if (p.empty() || p.size() != t.size()) return 0;
  double s = 0;
  for (size_t i = 0; i < p.size(); ++i) s += (double(p[i]) - t[i]) * (double(p[i]) - t[i]);
  return std::sqrt(s / double(p.size()));
}

double mae(std::span<const float> p, std::span<const float> t) {
  if (p.empty() || p.size() != t.size()) return 0;
  double s = 0;
  for (size_t i = 0; i < p.size(); ++i) s += std::abs(double(p[i]) - t[i]);
  return s / double(p.size());
}

double roc_auc(std::span<const float> scores, std::span<const uint8_t> labels) {
  const size_t n = scores.size();
  if (n == 0 || labels.size() != n) return -1;
  std::vector<uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0u);
  std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return scores[a] < scores[b]; });
  double rank_sum = 0;  // sum of (1-based, tie-averaged) ranks of the positives
  size_t n_pos = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[idx[j]] == scores[idx[i]]) ++j;
    const double avg = 0.5 * double(i + 1 + j);  // mean of ranks i+1..j
    for (size_t k = i; k < j; ++k)
      if (labels[idx[k]]) rank_sum += avg, ++n_pos;
    i = j;
  }
  const size_t n_neg = n - n_pos;
  if (n_pos == 0 || n_neg == 0) return -1;
  return (rank_sum - double(n_pos) * double(n_pos + 1) / 2) / (double(n_pos) * double(n_neg));
}

static bool has(std::span<const int32_t> sorted, int32_t v) { return std::binary_search(sorted.begin(), sorted.end(), v); }

static int hits_at(std::span<const int32_t> ranked, std::span<const int32_t> relevant, int k) {
  int h = 0;
  for (size_t i = 0; i < ranked.size() && int(i) < k; ++i) h += has(relevant, ranked[i]);
  return h;
}

double precision_at_k(std::span<const int32_t> ranked, std::span<const int32_t> relevant, int k) {
  return k > 0 ? double(hits_at(ranked, relevant, k)) / double(k) : 0;
}

double recall_at_k(std::span<const int32_t> ranked, std::span<const int32_t> relevant, int k) {
  return relevant.empty() ? 0 : double(hits_at(ranked, relevant, k)) / double(relevant.size());
}

double ndcg_at_k(std::span<const int32_t> ranked, std::span<const int32_t> relevant, int k) {
  double dcg = 0, idcg = 0;
  for (size_t i = 0; i < ranked.size() && int(i) < k; ++i)
    if (has(relevant, ranked[i])) dcg += 1.0 / std::log2(double(i) + 2);
  for (int i = 0; i < std::min<int>(k, int(relevant.size())); ++i) idcg += 1.0 / std::log2(double(i) + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

double catalogue_coverage(const std::vector<std::vector<int32_t>>& lists, int32_t n_items) {
  if (n_items <= 0) return 0;
  std::vector<uint8_t> seen(size_t(n_items), 0);
  for (const auto& l : lists)
    for (int32_t i : l)
      if (i >= 0 && i < n_items) seen[size_t(i)] = 1;
  return double(std::count(seen.begin(), seen.end(), uint8_t(1))) / double(n_items);
}

double gini(std::span<const double> counts) {
  const size_t n = counts.size();
  if (n == 0) return 0;
  std::vector<double> c(counts.begin(), counts.end());
  std::sort(c.begin(), c.end());
  double total = 0, weighted = 0;
  for (size_t i = 0; i < n; ++i) {
    total += c[i];
    weighted += double(i + 1) * c[i];
  }
  if (total <= 0) return 0;
  // G = (2 sum_i i x_(i)) / (n sum x) - (n + 1) / n, with 1-based ranks of the ascending values
  return 2 * weighted / (double(n) * total) - double(n + 1) / double(n);
}

double popular_share(const std::vector<std::vector<int32_t>>& lists, std::span<const int32_t> popularity,
                     double top_fraction) {
  const size_t n = popularity.size();
  if (n == 0) return 0;
  std::vector<int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return popularity[size_t(a)] > popularity[size_t(b)] || (popularity[size_t(a)] == popularity[size_t(b)] && a < b);
  });
  const size_t top = std::max<size_t>(1, size_t(std::llround(top_fraction * double(n))));
  std::vector<uint8_t> is_top(n, 0);
  for (size_t k = 0; k < top && k < n; ++k) is_top[size_t(order[k])] = 1;
  double hit = 0, all = 0;
  for (const auto& l : lists)
    for (int32_t i : l) {
      all += 1;
      if (i >= 0 && size_t(i) < n) hit += is_top[size_t(i)];
    }
  return all > 0 ? hit / all : 0;
}

std::vector<int32_t> top_k(std::span<const float> scores, std::span<const int32_t> exclude, int k) {
  std::vector<int32_t> cand;
  cand.reserve(scores.size());
  for (int32_t i = 0; i < int32_t(scores.size()); ++i)
    if (!has(exclude, i)) cand.push_back(i);
  const size_t kk = std::min<size_t>(size_t(std::max(k, 0)), cand.size());
  auto better = [&](int32_t a, int32_t b) { return scores[size_t(a)] > scores[size_t(b)] || (scores[size_t(a)] == scores[size_t(b)] && a < b); };
  std::partial_sort(cand.begin(), cand.begin() + ptrdiff_t(kk), cand.end(), better);
  cand.resize(kk);
  return cand;
}

std::vector<int32_t> recommend(ItemScorer& model, int32_t user, std::span<const int32_t> exclude, int k) {
  std::vector<float> s(static_cast<size_t>(model.scorer_items()));
  model.score_user(user, s);
  return top_k(s, exclude, k);
}

std::vector<Neighbour> similar_items(const Mat& v, int32_t item, int k) {
  std::vector<Neighbour> out;
  if (item < 0 || item >= v.rows()) return out;
  const Vec norms = v.rowwise().norm();
  const Vec dots = v * v.row(item).transpose();
  std::vector<float> sim(static_cast<size_t>(v.rows()));
  const float ni = norms(item);
  for (Index i = 0; i < v.rows(); ++i) {
    const float den = norms(i) * ni;
    sim[size_t(i)] = den > 0 ? dots(i) / den : 0.f;
  }
  const int32_t self[] = {item};
  for (int32_t i : top_k(sim, self, k)) out.push_back({i, sim[size_t(i)]});
  return out;
}

void evaluate_ranking_begin(RankingJob& job, const ItemScorer& model) {
  job = RankingJob{};
  const int32_t n_items = model.scorer_items();
  job.scores.assign(size_t(n_items), 0.f);
  job.rec_count.assign(size_t(n_items), 0);
}

bool evaluate_ranking_step(RankingJob& job, ItemScorer& model, const std::vector<std::vector<int32_t>>& train_pos,
                           const std::vector<std::vector<int32_t>>& test_pos, std::span<const int32_t> popularity,
                           int k, size_t max_users) {
  if (job.done) return true;
  RankingEval& e = job.result;
  const int32_t n_items = model.scorer_items();
  const size_t n_users = std::min(train_pos.size(), test_pos.size());
  const size_t stop = std::min(n_users, job.next + std::max<size_t>(1, max_users));
  std::vector<float>& s = job.scores;
  for (size_t u = job.next; u < stop; ++u) {
    model.score_user(int32_t(u), s);
    const auto& tr = train_pos[u];
    const auto& te = test_pos[u];
    const std::vector<int32_t> list = top_k(s, tr, k);
    for (int32_t i : list) job.rec_count[size_t(i)] += 1;
    job.lists.push_back(list);
    if (te.empty()) continue;
    job.candidates.clear();
    job.labels.clear();
    for (int32_t i = 0; i < n_items; ++i) {
      if (has(tr, i)) continue;
      job.candidates.push_back(s[size_t(i)]);
      job.labels.push_back(has(te, i));
    }
    const double a = roc_auc(job.candidates, job.labels);
    if (a < 0) continue;
    job.auc += a;
    job.precision += precision_at_k(list, te, k);
    job.recall += recall_at_k(list, te, k);
    job.ndcg += ndcg_at_k(list, te, k);
    ++e.users;
  }
  job.next = stop;
  if (job.next < n_users) return false;
  if (e.users > 0) {
    e.auc = job.auc / e.users;
    e.precision = job.precision / e.users;
    e.recall = job.recall / e.users;
    e.ndcg = job.ndcg / e.users;
  }
  e.coverage = catalogue_coverage(job.lists, n_items);
  e.gini = gini(job.rec_count);
  e.popular_share = popular_share(job.lists, popularity, 0.1);
  return job.done = true;
}

RankingEval evaluate_ranking(ItemScorer& model, const std::vector<std::vector<int32_t>>& train_pos,
                             const std::vector<std::vector<int32_t>>& test_pos, std::span<const int32_t> popularity,
                             int k) {
  RankingJob job;
  evaluate_ranking_begin(job, model);
  while (!evaluate_ranking_step(job, model, train_pos, test_pos, popularity, k, SIZE_MAX)) {
  }
  return job.result;
}

PopularityModel::PopularityModel(std::span<const int32_t> counts) : score(counts.begin(), counts.end()) {}

void PopularityModel::score_user(int32_t, std::span<float> out) {
  std::copy(score.begin(), score.end(), out.begin());
}

}  // namespace lab::core::recsys
