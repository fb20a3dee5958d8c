// "projection" (see projection.h).
#include "runtime/blocks/projection.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "core/embed/knn.h"
#include "core/embed/quality.h"
#include "core/rng.h"
#include "runtime/blocks/embedding_train.h"
#include "runtime/assets.h"
#include "runtime/session.h"
#include "runtime/text.h"

namespace lab::runtime {

namespace {

constexpr int kKnnK = 5;  // neighbours for the k-NN label vote
// Neighbours for trustworthiness: 10, or 5 for small sets (30 words: 10 would reach past a category).
int trust_k(int n) { return n < 100 ? 5 : 10; }

// The student's vectors (ProjectionUserData), shared by every projection block until replaced.
std::shared_ptr<const ProjectionUserData> g_user;
int g_colour = 0;

// Labels, legend and hover text of the user data, grouped by metadata column `column`.
void user_labels(const ProjectionUserData& u, int column, std::vector<int32_t>& labels, std::vector<std::string>& names,
                 std::vector<std::string>& point_labels) {
  labels.assign(size_t(u.x.rows()), 0);
  names.clear();
  point_labels.clear();
  const bool has = column >= 0 && size_t(column) < u.meta.columns.size();
  std::map<std::string, int32_t> ids;
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& v = has ? u.meta.columns[size_t(column)][i] : std::string();
    const auto [it, inserted] = ids.try_emplace(v, int32_t(ids.size()));
    if (inserted) names.push_back(v.empty() ? "(empty)" : v);
    labels[i] = it->second;
    std::string hover = "point " + std::to_string(i + 1);
    for (size_t c = 0; c < u.meta.columns.size() && c < 4; ++c) hover += "  " + u.meta.header[c] + ": " + u.meta.columns[c][i];
    point_labels.push_back(std::move(hover));
  }
}

}  // namespace

void projection_user_data_set(std::shared_ptr<const ProjectionUserData> data, int colour) {
  g_user = std::move(data);
  g_colour = colour;
}
std::shared_ptr<const ProjectionUserData> projection_user_data() { return g_user; }

namespace {
ProjectionOffload g_offload;  // set by the page (src/app/main.cpp); empty natively
}  // namespace
void projection_offload_set(ProjectionOffload offload) { g_offload = std::move(offload); }

namespace {

// Dropped files waiting for their partner (see projection_file_dropped).
struct Dropped {
  std::string name, text;
};
Dropped g_vectors, g_metadata;

}  // namespace

core::Status projection_file_dropped(Session& s, const std::string& path, std::string contents, std::string& message) {
  const std::string name = path_base_name(path);
  std::shared_ptr<const ProjectionUserData> u;
  if (core::projector_is_csv_name(name)) {
    if (core::Status st = projection_user_data_parse(name, contents, "", "", u); !st) return st;
    g_vectors = {};
    g_metadata = {};
  } else if (core::projector_is_metadata_name(name)) {
    if (g_vectors.name.empty()) {
      g_metadata = {name, std::move(contents)};
      message = "Kept " + name + ": now drop its vectors.tsv (one row per point, in the same order)";
      return core::Status::success();
    }
    if (core::Status st = projection_user_data_parse(g_vectors.name, g_vectors.text, name, contents, u); !st) return st;
    g_metadata = {name, std::move(contents)};
  } else if (core::projector_is_tsv_name(name)) {
    // With a metadata file waiting (dropped first, or with an earlier vectors file), pair them when
    // the rows match; otherwise these vectors go alone and the metadata is forgotten.
    core::Status st = core::Status::error("");
    if (!g_metadata.name.empty()) st = projection_user_data_parse(name, contents, g_metadata.name, g_metadata.text, u);
    if (!st) {
      if (core::Status alone = projection_user_data_parse(name, contents, "", "", u); !alone) return alone;
      g_metadata = {};
    }
    g_vectors = {name, std::move(contents)};
  } else {
    return core::Status::error(name + ": not a data file (.tsv vectors or metadata, or a labelled .csv)");
  }
  const int colour = core::projector_default_column(u->meta);
  projection_user_data_set(u, colour);
  int restarted = 0;
  for (int i = 0; i < int(s.runs.size()); ++i) {
    const LabBlock* b = session_run_block(s, s.runs[size_t(i)]);
    if (b && b->kind_name == "projection") session_restart(s, i), ++restarted;
  }
  message = "Opened " + u->name + ": " + std::to_string(u->x.rows()) + " points x " + std::to_string(u->x.cols()) +
            " dimensions" + (u->meta.columns.empty() ? "" : ", coloured by '" + u->meta.header[size_t(colour)] + "'") +
            (restarted || s.runs.empty() ? "" : ". The projection blocks (lesson 3) show it");
  return core::Status::success();
}
int projection_user_colour() { return g_colour; }

core::Status projection_user_data_parse(const std::string& vectors_name, std::string_view vectors_text,
                                        const std::string& metadata_name, std::string_view metadata_text,
                                        std::shared_ptr<const ProjectionUserData>& out) {
  auto u = std::make_shared<ProjectionUserData>();
  if (core::projector_is_csv_name(vectors_name)) {
    // A labelled CSV carries its labels: they become the one metadata column.
    if (!metadata_name.empty())
      return core::Status::error(metadata_name + ": a labelled CSV carries its labels in its first column; drop " +
                                 vectors_name + " alone, or a vectors.tsv with this metadata");
    core::LabeledData d;
    core::CsvError where;
    if (core::Status st = core::labeled_csv_parse(vectors_text, d, &where); !st) {
      std::string loc = vectors_name;
      if (where.line > 0) loc += ":" + std::to_string(where.line);
      if (where.column > 0) loc += ":" + std::to_string(where.column);
      return core::Status::error(loc + ": " + st.message);
    }
    u->x = std::move(d.x);
    u->meta.header = {"label"};
    u->meta.columns = {std::move(d.label_text)};
    u->name = vectors_name;
  } else {
    if (core::Status st = core::projector_vectors_parse(vectors_text, vectors_name, u->x); !st) return st;
    if (!metadata_name.empty()) {
      if (core::Status st = core::projector_metadata_parse(metadata_text, metadata_name, u->x.rows(), u->meta); !st)
        return st;
    }
    u->name = vectors_name + (metadata_name.empty() ? "" : " + " + metadata_name);
  }
  if (u->x.rows() < 3)
    return core::Status::error(vectors_name + ": " + std::to_string(u->x.rows()) +
                               " points; a projection needs at least 3 (t-SNE: more than 3 x its perplexity)");
  out = std::move(u);
  return core::Status::success();
}

// ---- planted data ------------------------------------------------------------------------------
void planted_blobs(ProjectionData which, uint64_t seed, core::Mat& x, std::vector<int32_t>& labels,
                   std::vector<std::string>& names) {
  constexpr int kDim = 10, kPerGroup = 100;
  core::Rng rng(seed);
  double centre[3][2], sigma[3];
  if (which == ProjectionData::BlobsSpread) {
    // An equilateral triangle of side 40: equal gaps, very different sizes.
    const double s = 40, h = s * std::sqrt(3.0) / 2;
    const double c[3][2] = {{0, 0}, {s, 0}, {s / 2, h}};
    const double sd[3] = {0.5, 1.5, 4.5};
    for (int g = 0; g < 3; ++g) {
      centre[g][0] = c[g][0];
      centre[g][1] = c[g][1];
      sigma[g] = sd[g];
    }
    names = {"tight (σ = 0.5)", "medium (σ = 1.5)", "wide (σ = 4.5)"};
  } else {
    // Three equal clusters on a line: A and B close (12 apart), C far away (120 from B).
    const double c[3] = {0, 12, 132};
    for (int g = 0; g < 3; ++g) {
      centre[g][0] = c[g];
      centre[g][1] = 0;
      sigma[g] = 1.0;
    }
    names = {"A (at 0)", "B (12 from A)", "C (120 from B)"};
  }
  x.resize(3 * kPerGroup, kDim);
  labels.resize(size_t(3 * kPerGroup));
  for (int g = 0; g < 3; ++g)
    for (int i = 0; i < kPerGroup; ++i) {
      const int r = g * kPerGroup + i;
      for (int j = 0; j < kDim; ++j)
        x(r, j) = core::Scalar((j < 2 ? centre[g][j] : 0.0) + sigma[g] * core::rng_normal(rng));
      labels[size_t(r)] = g;
    }
}

// ---- the experiment --------------------------------------------------------------------------
core::Mat ProjectionExperiment::layout(int r) const {
  if (method == ProjectionMethod::Pca) return pca_y;
  if (r < 0 || r >= int(runs.size()) || runs[size_t(r)].y.rows() == 0) return {};
  return runs[size_t(r)].y.cast<core::Scalar>();
}

// Cluster size and gap ratios; a subsample can leave too few groups to compare.
static Metric spread_ratio_metric(std::string name, const core::Mat& y, std::span<const int32_t> labels) {
  const double r = core::group_spread_ratio(y, labels);
  if (std::isfinite(r)) return {std::move(name), r};
  return metric_undefined(std::move(name), "needs two groups (labels) of two or more distinct points");
}
static Metric gap_ratio_metric(std::string name, const core::Mat& y, std::span<const int32_t> labels) {
  const double r = core::group_gap_ratio(y, labels);
  if (std::isfinite(r)) return {std::move(name), r};
  return metric_undefined(std::move(name), "needs two groups (labels) with different centres");
}

// The final metrics, one unit of work per call (a piece of a layout's exact KL, O(N²) in all; a
// layout's other metrics; a piece of a neighbour search); returns true when all are in e.results.
static bool finish_step(ProjectionExperiment& e) {
  std::vector<Metric>& m = e.results;
  const int n = int(e.x.rows());
  const int layouts = e.method == ProjectionMethod::Pca ? 1 : int(e.runs.size());  // quality.back(): PCA beside t-SNE
  int& stage = e.finish_stage;
  if (stage == 0) {
    m.clear();
    m.push_back({"points", double(n)});
    m.push_back(spread_ratio_metric("spread_ratio_input", e.input(), e.labels));
    m.push_back(gap_ratio_metric("gap_ratio_input", e.input(), e.labels));
  } else if (stage <= layouts) {
    const int r = stage - 1;
    const std::string sfx = r == 0 ? "" : "_b";
    const core::Mat y = e.layout(r);
    m.push_back({"trustworthiness" + sfx, e.quality[size_t(r)].trustworthiness});
    m.push_back({"knn_accuracy" + sfx, e.quality[size_t(r)].knn_accuracy});
    if (e.method == ProjectionMethod::Tsne) m.push_back({"kl" + sfx, e.runs[size_t(r)].final_kl});  // exact: the job's
    m.push_back(spread_ratio_metric("spread_ratio_output" + sfx, y, e.labels));
    m.push_back(gap_ratio_metric("gap_ratio_output" + sfx, y, e.labels));
  } else if (stage == layouts + 1) {
    m.push_back({"knn_accuracy_input", e.quality[0].knn_accuracy_input});
    if (int(e.quality.size()) > layouts) {
      m.push_back({"trustworthiness_pca", e.quality.back().trustworthiness});
      m.push_back({"knn_accuracy_pca", e.quality.back().knn_accuracy});
    }
    if (e.method == ProjectionMethod::Pca) {
      double two = 0;
      for (core::Index i = 0; i < std::min<core::Index>(2, e.pca.explained_variance_ratio.size()); ++i)
        two += double(e.pca.explained_variance_ratio(i));
      if (e.pca.explained_variance_ratio.size() > 0) m.push_back({"explained_variance_2", two});  // no PCA, no number
    } else {
      m.push_back({"perplexity_used", e.perplexity_used});
      m.push_back({"iterations", double(e.runs[0].iteration)});
    }
    if (e.runs.size() != 2) return e.finished = true;
    e.overlap_layout[0] = e.layout(0);
    e.overlap_layout[1] = e.layout(1);
    m.push_back({"layout_difference", core::procrustes_disparity(e.overlap_layout[0], e.overlap_layout[1])});
    e.overlap_ok = true;
  } else {
    // Do both pictures give each point the same neighbours? Each picture's k-NN in pieces.
    const int which = stage - layouts - 2;  // 0, 1: searching picture `which`; 2: compare
    const int tk = trust_k(n);
    if (which < 2) {
      core::Knn& knn = e.overlap_knn[which];
      if (e.overlap_job.next == 0 && e.overlap_job.block_size == 0 && knn.n == 0) {
        if (!core::knn_search_begin(e.overlap_layout[which], tk, core::Measure::Euclidean, knn, e.overlap_job)) {
          e.overlap_ok = false;  // as before: no overlap measured
          stage = layouts + 4;
        }
        return false;
      }
      if (core::knn_search_continue(e.overlap_layout[which], knn, e.overlap_job)) {
        e.overlap_job = core::KnnJob{};
        ++stage;
      }
      return false;
    }
    m.push_back(e.overlap_ok ? Metric{"neighbour_overlap", core::neighbour_overlap(e.overlap_knn[0], e.overlap_knn[1])}
                             : metric_undefined("neighbour_overlap", "needs more points than neighbours compared, and finite pictures"));
    e.overlap_knn[0] = e.overlap_knn[1] = core::Knn{};
    return e.finished = true;
  }
  ++stage;
  return false;
}

// Neighbours for trustworthiness and for the label vote, within what N allows.
static int quality_k_trust(int n) { return std::max(1, std::min(trust_k(n), (n - 1) / 2)); }
static int quality_k_vote(int n) { return std::max(1, std::min(kKnnK, n - 1)); }

// The layouts are final: measure them again here, in slices (core/embed/quality.h), when the labels
// changed after the job measured them (colour_by). The pictures in the job's order: each run's (PCA:
// its own), then PCA's beside t-SNE's.
static void start_quality(ProjectionExperiment& e) {
  const int layouts = e.method == ProjectionMethod::Pca ? 1 : int(e.runs.size());
  const int n = int(e.x.rows());
  e.quality.resize(size_t(layouts + (e.pca_beside() ? 1 : 0)));
  for (int r = 0; r < int(e.quality.size()) && e.error; ++r)
    e.error = core::layout_quality_begin(e.quality[size_t(r)], e.input(), r < layouts ? e.layout(r) : e.pca_y, e.labels,
                                         quality_k_trust(n), quality_k_vote(n));
}

// t-SNE's settings, one per run (the second: another seed).
static std::vector<core::TsneParams> tsne_params(ProjectionExperiment& e) {
  const int n = int(e.x.rows());
  core::TsneParams p;
  p.iterations = e.iterations;
  // Barnes-Hut needs perplexity < (N - 1) / 3: a small set gets the largest perplexity it allows.
  e.perplexity_used = std::min(e.perplexity, std::floor((n - 1) / 3.0 - 0.5));
  p.perplexity = e.perplexity_used;
  // tsne.h: below N ~ 600 the 'auto' rate oscillates during early exaggeration; N / 12 is calm.
  p.learning_rate = e.learning_rate > 0 ? e.learning_rate : (n < 600 ? std::max(1.0, n / 12.0) : 0.0);
  p.init = e.init;
  p.kl_every = 25;
  p.exact_max_n = 200;  // Barnes-Hut above 200 points: several times faster, same picture
  e.exaggeration_iterations = p.exaggeration_iterations;
  std::vector<core::TsneParams> runs(e.second_seed >= 0 ? 2 : 1, p);
  runs[0].seed = e.seed;
  if (runs.size() == 2) runs[1].seed = uint64_t(e.second_seed);
  e.runs.assign(runs.size(), TsneRun{});
  for (size_t r = 0; r < runs.size(); ++r) e.runs[r].seed = runs[r].seed;
  return runs;
}

// What the block computes (core/embed/projection_job.h).
static core::ProjectionJobSettings job_settings(ProjectionExperiment& e) {
  const int n = int(e.x.rows());
  // Sizes: at most 1797 points of at most 64 features (the digits; words: 30, blobs: 300), or 10,000
  // Fashion-MNIST images of 784 pixels, whose PCA (a 784 x 784 covariance) gives t-SNE and the quality
  // measures 50 features: all far below the memory budget; tsne_init checks its own anyway.
  int comps = 0;
  core::ProjectionJobSettings s;
  if (e.pca_dims > 0 && e.pca_dims < e.x.cols()) {
    // t-SNE of the first pca_dims principal components, the usual first step for images (van der
    // Maaten & Hinton 2008, section 4.2: 30 components; scikit-learn and openTSNE suggest 50); the
    // layouts are judged in that space too. Their first two are PCA's own picture, drawn beside.
    comps = int(std::min<core::Index>(e.pca_dims, n - 1));
    s.tsne_of_pca = comps > 0;
  } else if (e.method == ProjectionMethod::Pca) {
    comps = int(std::min<core::Index>(std::min<core::Index>(10, e.x.cols()), n - 1));
  }
  s.components = comps > 0 ? std::max(2, comps) : 0;
  if (e.method == ProjectionMethod::Tsne) s.runs = tsne_params(e);
  s.iterations = e.iterations;
  s.labels = e.labels;
  s.k_trust = quality_k_trust(n);
  s.k_vote = quality_k_vote(n);
  return s;
}

// The computation starts: on the platform's worker when there is one and the set is big enough,
// else here, in the block's own slices (step()).
static void prepare(ProjectionExperiment& e, bool here = false) {
  e.prepared = true;
  e.news = ProjectionNews{};
  core::ProjectionJobSettings s = job_settings(e);
  if (!here && g_offload.start && e.x.rows() >= kOffloadMinPoints && (e.offload_id = g_offload.start(e.x, s)) > 0) return;
  e.offload_id = 0;
  e.job = std::make_unique<core::ProjectionJob>();
  if (core::Status st = core::projection_job_begin(*e.job, e.x, std::move(s)); !st) e.error = st;
}

// The job's state as news (what the worker posts), for the block to take in one way either way.
static void news_from_job(const core::ProjectionJob& j, ProjectionNews& n) {
  n.phase = j.phase;
  n.error = j.error.message;
  n.stage = j.stage;
  n.stage_run = j.stage_run;
  n.fraction = j.fraction;
  n.iteration = j.runs.empty() ? 0 : j.runs[0].iteration;
  const bool pictures = j.phase >= core::ProjectionPhase::Iterating;  // every run initialised
  n.y.resize(j.runs.size());
  n.kl_iteration = j.kl_iteration;
  n.kl_value = j.kl_value;
  n.final_kl = j.final_kl;
  for (size_t r = 0; r < j.runs.size(); ++r) n.y[r] = pictures ? j.runs[r].y : core::MatD{};
  n.quality.clear();
  if (j.phase == core::ProjectionPhase::Done)
    for (const core::LayoutQualityJob& q : j.quality) n.quality.push_back({q.trustworthiness, q.knn_accuracy, q.knn_accuracy_input});
  if (!n.pca_taken && j.phase > core::ProjectionPhase::Pca && j.settings.components > 0) {
    n.has_pca = true;
    n.pca = j.pca;
    n.pca_x = j.pca_x;
  }
}

// The PCA's components are there: what t-SNE works in (pca_dims) and what PCA alone shows.
static void pca_adopt(ProjectionExperiment& e, core::Mat components) {
  if (e.pca_dims > 0 && e.pca_dims < e.x.cols()) {
    e.tsne_x = std::move(components);
    e.pca_y = e.tsne_x.leftCols(2);
  } else {
    e.pca_y = components.leftCols(2);
  }
}

// Takes the news in: the PCA once, the pictures and KL curves, and at the end their quality.
static void take_news(ProjectionExperiment& e) {
  ProjectionNews& news = e.news;
  if (news.worker_failed) {
    // The worker's failure (it could not start, say) is not the student's: compute here instead.
    std::fprintf(stderr, "projection: computing on the page's thread instead of the worker: %s\n", news.error.c_str());
    if (g_offload.stop) g_offload.stop(e.offload_id);
    return prepare(e, true);
  }
  if (news.phase == core::ProjectionPhase::Error) {
    e.error = core::Status::error(news.error);
    return;
  }
  if (news.has_pca) {
    e.pca = std::move(news.pca);
    pca_adopt(e, std::move(news.pca_x));
    news.has_pca = false;
    news.pca_taken = true;
  }
  for (size_t r = 0; r < e.runs.size() && r < news.y.size(); ++r) {
    TsneRun& run = e.runs[r];
    if (news.y[r].rows() == e.x.rows()) run.y = std::move(news.y[r]);
    run.iteration = news.iteration;
    if (r < news.kl_value.size()) {  // news is filled afresh by every poll: take its curves
      run.kl_iteration = std::move(news.kl_iteration[r]);
      run.kl_value = std::move(news.kl_value[r]);
    }
    if (r < news.final_kl.size()) run.final_kl = news.final_kl[r];
  }
  if (news.phase != core::ProjectionPhase::Done) return;
  e.job.reset();
  // The pictures' quality, as start_quality measures it (unless the labels changed since).
  const size_t pictures = (e.method == ProjectionMethod::Pca ? 1 : e.runs.size()) + (e.pca_beside() ? 1 : 0);
  if (e.labels_changed || news.quality.size() != pictures) return start_quality(e);
  e.quality.assign(pictures, core::LayoutQualityJob{});  // no points left to measure: done()
  for (size_t r = 0; r < pictures; ++r) {
    e.quality[r].trustworthiness = news.quality[r][0];
    e.quality[r].knn_accuracy = news.quality[r][1];
    e.quality[r].knn_accuracy_input = news.quality[r][2];
  }
}

void ProjectionExperiment::step(double budget_ms) {
  if (done()) return;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(); };
  if (data == ProjectionData::Words && x.rows() == 0) {
    word_embedding_step(words, budget_ms);
    if (!words.status) {
      error = words.status;
      return;
    }
    if (!words.result) return;
    x = words.result->embeddings;
    labels = words.vocab.category;
    group_names = words.vocab.category_names;
    point_labels.clear();
    source_rows.clear();
    for (size_t i = 0; i < words.vocab.words.size(); ++i) {
      point_labels.push_back(words.vocab.words[i] + " (" + words.vocab.category_names[size_t(labels[i])] + ")");
      source_rows.push_back(int(i));
    }
    return;  // t-SNE / PCA starts next frame
  }
  if (!prepared) {
    prepare(*this);
    if (done() || elapsed() > budget_ms) return;
  }
  // PCA, t-SNE and the pictures' quality (core/embed/projection_job.h), here or on the worker.
  if (quality.empty()) {
    if (job) {
      core::projection_job_step(*job, budget_ms - elapsed());
      news_from_job(*job, news);
      take_news(*this);
    } else if (g_offload.poll && g_offload.poll(offload_id, news)) {
      take_news(*this);
    }
    if (quality.empty() || done() || elapsed() > budget_ms) return;
  }
  // Measures still to take (after colour_by), then the final metrics.
  for (core::LayoutQualityJob& q : quality) {
    if (!q.done()) core::layout_quality_step(q, budget_ms - elapsed());
    if (!q.done()) return;
  }
  while (!quality.empty() && !finished && !finish_step(*this))
    if (elapsed() > budget_ms) return;
}

ProjectionExperiment::~ProjectionExperiment() {
  if (offload_id && g_offload.stop) g_offload.stop(offload_id);
}

float ProjectionExperiment::progress() const {
  if (finished) return 1.0f;
  if (!quality.empty()) {
    float p = 0;
    for (const core::LayoutQualityJob& q : quality) p += q.progress();
    return std::min(0.999f, 0.95f + 0.05f * p / float(quality.size()));  // 1: the final metrics are in
  }
  if (data == ProjectionData::Words && x.rows() == 0) return 0.2f * words.progress();
  const float base = data == ProjectionData::Words && !user ? 0.2f : 0.0f;
  using P = core::ProjectionPhase;
  switch (news.phase) {
    case P::Iterating:
      return base + (1.0f - base) * 0.95f * float(news.iteration) / float(std::max(1, iterations));
    case P::Kl:
      return base + (1.0f - base) * 0.95f;
    case P::Quality:
      return base + (1.0f - base) * (0.95f + 0.04f * float(news.fraction));
    default:
      return base;
  }
}

std::string ProjectionExperiment::progress_text() const {
  if (!quality.empty() && !finished) return "measuring the picture (trustworthiness, k-NN accuracy)";
  if (data == ProjectionData::Words && x.rows() == 0) return "training the word embeddings: " + words.progress_text();
  char pct[16];
  std::snprintf(pct, sizeof pct, " %d %%", int(100 * news.fraction));
  using P = core::ProjectionPhase;
  if (!prepared) return method == ProjectionMethod::Pca ? "PCA" : "t-SNE: starting";
  switch (news.phase) {
    case P::Pca:
      return "PCA of " + std::to_string(x.cols()) + " features: " + (news.stage.empty() ? "starting" : news.stage) +
             (news.stage == "covariance" ? pct : "");
    case P::TsneInit:
      return std::string("t-SNE") + (news.stage_run > 0 ? " (second seed)" : "") + ": " + news.stage +
             (news.fraction > 0 ? pct : "");
    case P::Kl:
      return "t-SNE: " + news.stage;
    case P::Quality:
      return news.stage;
    default:
      break;
  }
  if (method == ProjectionMethod::Pca) return "PCA";
  std::string s = "t-SNE iteration " + std::to_string(news.iteration) + " / " + std::to_string(iterations);
  if (news.iteration < exaggeration_iterations) s += " (early exaggeration)";
  return s;
}

DataSetInfo ProjectionExperiment::data_set() const {
  DataSetInfo d;
  if (x.rows() == 0) return d;
  d.name = user ? user->name : data_name;
  d.points = x.rows();
  d.dims = x.cols();
  d.students_own = user != nullptr;  // the lesson's expectations were set for its own data
  return d;
}

void ProjectionExperiment::colour_by(int column) {
  if (!user || column < 0 || size_t(column) >= user->meta.columns.size() || column == colour) return;
  colour = g_colour = column;  // blocks built later (a knob change, another step) keep it
  user_labels(*user, colour, labels, group_names, point_labels);
  if (quality.empty()) {  // still projecting: the metrics will use the new labels
    labels_changed = true;
    return;
  }
  // Measured already: measure the label-based metrics again (the layouts stay).
  quality.clear();
  results.clear();
  finished = false;
  finish_stage = 0;
  overlap_job = core::KnnJob{};
  overlap_knn[0] = overlap_knn[1] = core::Knn{};
  start_quality(*this);
}

std::vector<Metric> ProjectionExperiment::metrics() const {
  if (finished) return results;
  std::vector<Metric> m = {{"points", double(x.rows())}};
  if (!runs.empty()) {
    m.push_back({"iterations", double(runs[0].iteration)});
    if (!runs[0].kl_value.empty()) m.push_back({"kl", runs[0].kl_value.back()});
  }
  return m;
}

// The rows a block of n of total points uses: the first n of one fixed shuffle, in row order
// (independent of the t-SNE seed, so two seeds see the same points; all rows when n == total).
static std::vector<uint32_t> fixed_subsample(int total, int n) {
  std::vector<uint32_t> order(static_cast<size_t>(total));
  for (int i = 0; i < total; ++i) order[size_t(i)] = uint32_t(i);
  if (n < total) {
    core::Rng rng(20240501);
    core::rng_shuffle(rng, order);
    std::sort(order.begin(), order.begin() + n);
  }
  return order;
}

static std::unique_ptr<Experiment> make_projection(const BlockConfig& c) {
  auto e = std::make_unique<ProjectionExperiment>();
  e->data = ProjectionData(c.integer("data"));
  e->method = ProjectionMethod(c.integer("method"));
  e->points = c.integer("points");
  e->pca_dims = c.integer("pca_dims");
  e->iterations = c.integer("iterations");
  e->perplexity = e->perplexity_used = c.num("perplexity");
  e->learning_rate = c.num("learning_rate");
  e->init = c.integer("init") == 0 ? core::TsneInit::Random : core::TsneInit::Pca;
  e->seed = uint64_t(c.integer("seed"));
  e->second_seed = c.integer("second_seed");
  e->data_name = c.text("data");
  if ((e->user = g_user)) {
    e->colour = g_colour;
    e->x = e->user->x;
    e->data_name = "your-" + e->user->name.substr(0, e->user->name.find('.'));  // export file names
    user_labels(*e->user, e->colour, e->labels, e->group_names, e->point_labels);
    for (int i = 0; i < int(e->x.rows()); ++i) e->source_rows.push_back(i);
    return e;
  }
  switch (e->data) {
    case ProjectionData::Digits: {
      const auto d = digits_data(e->error);
      if (!d) return e;
      const int total = int(d->x.rows());
      const int n = e->points > 0 ? std::min(e->points, total) : total;
      const std::vector<uint32_t> order = fixed_subsample(total, n);
      e->x.resize(n, d->x.cols());
      for (int i = 0; i < n; ++i) {
        const int r = int(order[size_t(i)]);
        e->x.row(i) = d->x.row(r);
        e->labels.push_back(d->labels[size_t(r)]);
        e->source_rows.push_back(r);
        e->point_labels.push_back("digit " + d->label_text[size_t(r)] + "  (sample " + std::to_string(r + 1) + ")");
      }
      for (int g = 0; g < 10; ++g) e->group_names.push_back(std::to_string(g));
      e->image_side = 8;
      e->image_max = 16;
      break;
    }
    case ProjectionData::Fmnist: {
      const auto d = fmnist_data(e->error);
      if (!d) return e;
      const core::IdxImages& im = d->images;
      const int total = im.n, side = im.rows, pixels = im.rows * im.cols;
      const int n = e->points > 0 ? std::min(e->points, total) : total;
      const std::vector<uint32_t> order = fixed_subsample(total, n);
      // x: pixels / 255, as core::idx_labeled_data and `embedlab tsne --input *-idx3-ubyte.gz` read them.
      e->x.resize(n, pixels);
      const std::vector<std::string>& names = fmnist_class_names();
      for (int i = 0; i < n; ++i) {
        const int r = int(order[size_t(i)]);
        const uint8_t* px = im.pixels.data() + size_t(r) * size_t(pixels);
        for (int j = 0; j < pixels; ++j) e->x(i, j) = core::Scalar(px[j]) / core::Scalar(255);
        e->labels.push_back(int32_t(d->labels[size_t(r)]));
        e->source_rows.push_back(r);
        e->point_labels.push_back(names[d->labels[size_t(r)]] + "  (test image " + std::to_string(r + 1) + ")");
      }
      e->group_names = names;
      e->image_side = side;
      e->image_max = 1;
      break;
    }
    case ProjectionData::Words:
      word_embedding_start(e->words, word_embedding_params_from(c, "words_"));
      if (!e->words.status) e->error = e->words.status;
      break;
    case ProjectionData::BlobsSpread:
    case ProjectionData::BlobsGaps:
      planted_blobs(e->data, 7, e->x, e->labels, e->group_names);
      for (int i = 0; i < int(e->x.rows()); ++i) {
        e->point_labels.push_back(e->group_names[size_t(e->labels[size_t(i)])] + ", point " + std::to_string(i % 100 + 1));
        e->source_rows.push_back(i);
      }
      break;
  }
  return e;
}

// The data sets the page fetches when a step needs them (runtime/assets.h): the block waits for them.
static std::unique_ptr<Experiment> make_projection_after_assets(const BlockConfig& c) {
  if (g_user) return make_projection(c);
  switch (ProjectionData(c.integer("data"))) {
    case ProjectionData::Digits: return asset_gated(c, make_projection, {core::kDigitsFile});
    case ProjectionData::Fmnist: return asset_gated(c, make_projection, {kFmnistImagesAsset, kFmnistLabelsAsset});
    default: return make_projection(c);
  }
}

static std::vector<ParamSpec> projection_params() {
  std::vector<ParamSpec> p = {
      {"data", ParamType::Choice, "what to project: the 8×8 digit images, lesson 1's word embeddings, planted clusters, "
       "or Fashion-MNIST's 10,000 28×28 test images",
       0, 0, 0, {"digits", "words", "blobs-spread", "blobs-gaps", "fashion-mnist"}, "digits"},
      {"method", ParamType::Choice, "PCA (linear, instant) or t-SNE (animated)", 0, 0, 0, {"pca", "tsne"}, "tsne"},
      {"points", ParamType::Int, "digits, fashion-mnist: use this many (a fixed subsample; 0 = all 1797 digits, all 10,000 images)", 0, 0, 10000},
      {"pictures", ParamType::Bool, "images (digits, fashion-mnist): start with the images themselves drawn at their points "
       "(a switch above the plot)", 0, 0, 1},
      {"pca_dims", ParamType::Int, "project the first this many principal components instead of the data itself, and judge the "
       "pictures there; t-SNE's picture then has PCA's own beside it (0: the data itself)", 0, 0, 100},
      {"perplexity", ParamType::Float, "t-SNE: effective number of neighbours each point keeps", 30, 2, 100, {}, "", true},
      {"iterations", ParamType::Int, "t-SNE: gradient steps", 750, 50, 3000},
      {"learning_rate", ParamType::Float, "t-SNE step size (0: automatic)", 0, 0, 2000},
      {"init", ParamType::Choice, "t-SNE start: random points (the seed matters) or the PCA layout", 0, 0, 0, {"random", "pca"}, "random"},
      {"seed", ParamType::Int, "t-SNE random seed", 1, 0, 1e9},
      {"second_seed", ParamType::Int, "a second t-SNE with this seed, drawn beside the first (-1: none)", -1, -1, 1e9},
  };
  // The word data's training parameters (as in embedding-train; d = 8 by default).
  for (const ParamSpec& s : word_embedding_param_specs(8, 20)) {
    ParamSpec w = s;
    w.name = "words_" + s.name;
    w.doc = "words: " + s.doc;
    p.push_back(w);
  }
  return p;
}

BlockKind& block_kind_projection() {
  static BlockKind k{
      "projection",
      "Seeing high-dimensional points in 2-D: PCA and t-SNE",
      projection_params(),
      {
          {"points", "number of points projected"},
          {"trustworthiness", "how far the 10 nearest neighbours in the picture (5 below 100 points) are true neighbours (1 = all are)"},
          {"knn_accuracy", "share of points whose 5 nearest in the picture mostly carry their label"},
          {"knn_accuracy_input", "the same vote in the original space (with pca_dims: in its principal components), for comparison"},
          {"trustworthiness_pca", "t-SNE with pca_dims: trustworthiness of PCA's own picture (its first two components)", "method = tsne and pca_dims > 0"},
          {"knn_accuracy_pca", "t-SNE with pca_dims: k-NN accuracy of PCA's own picture", "method = tsne and pca_dims > 0"},
          {"kl", "t-SNE: KL(P ‖ Q), the cost t-SNE minimises (lower is a closer fit)", "method = tsne"},
          {"explained_variance_2", "PCA: share of the variance kept by the first two components", "method = pca"},
          {"spread_ratio_input", "largest / smallest cluster size (RMS radius) in the original space"},
          {"spread_ratio_output", "largest / smallest cluster size in the picture"},
          {"gap_ratio_input", "largest / smallest distance between cluster centres in the original space"},
          {"gap_ratio_output", "largest / smallest distance between cluster centres in the picture"},
          {"perplexity_used", "t-SNE: the perplexity used (capped at (N − 1)/3 for small sets)", "method = tsne"},
          {"iterations", "t-SNE: gradient steps done", "method = tsne"},
          {"trustworthiness_b", "second seed: trustworthiness", "method = tsne and second_seed >= 0"},
          {"knn_accuracy_b", "second seed: k-NN accuracy", "method = tsne and second_seed >= 0"},
          {"kl_b", "second seed: KL", "method = tsne and second_seed >= 0"},
          {"spread_ratio_output_b", "second seed: spread ratio in the picture", "method = tsne and second_seed >= 0"},
          {"gap_ratio_output_b", "second seed: gap ratio in the picture", "method = tsne and second_seed >= 0"},
          {"layout_difference", "Procrustes disparity between the two seeds' pictures (0: same after rotating/mirroring/scaling)", "method = tsne and second_seed >= 0"},
          {"neighbour_overlap", "share of each point's 10 nearest neighbours (5 below 100 points) that the two seeds' pictures agree on", "method = tsne and second_seed >= 0"},
      },
      make_projection_after_assets,
  };
  k.controls = {{"a random layout (t-SNE from its random start at learning rate 0.001, so the points stay where they were drawn)",
                 {{"method", "tsne"}, {"init", "random"}, {"learning_rate", "0.001"}, {"iterations", "50"}}},
                {"PCA, a linear map (it keeps sizes and distances in proportion)", {{"method", "pca"}}},
                {"the same seed twice", {{"seed", "1"}, {"second_seed", "1"}}}};
  // Properties of the data and of PCA's exact solution, whatever the picture.
  metrics_mark_identity(k, {"points", "knn_accuracy_input", "spread_ratio_input", "gap_ratio_input",
                            "explained_variance_2", "perplexity_used", "iterations", "trustworthiness_pca", "knn_accuracy_pca"});
  k.check_timeout_s = 600;  // 10,000 Fashion-MNIST images: ~1 min natively on a loaded 2-core machine
  return k;
}

}  // namespace lab::runtime
