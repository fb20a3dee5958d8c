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
  if (r < 0 || r >= int(runs.size()) || runs[size_t(r)].state.y.rows() == 0) return {};
  return runs[size_t(r)].state.y.cast<core::Scalar>();
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
    // t-SNE: first the exact KL of this layout, in pieces.
    // (Offloaded: the worker computed it with the same pieces.)
    if (e.method == ProjectionMethod::Tsne && e.offload_id) e.kl_job.kl = e.runs[size_t(r)].final_kl;
    else if (e.method == ProjectionMethod::Tsne && !core::tsne_kl_step(e.runs[size_t(r)].state, e.kl_job)) return false;
    const std::string sfx = r == 0 ? "" : "_b";
    const core::Mat y = e.layout(r);
    m.push_back({"trustworthiness" + sfx, e.quality[size_t(r)].trustworthiness});
    m.push_back({"knn_accuracy" + sfx, e.quality[size_t(r)].knn_accuracy});
    if (e.method == ProjectionMethod::Tsne) m.push_back({"kl" + sfx, e.kl_job.kl});
    e.kl_job = core::TsneKlJob{};
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
      m.push_back({"explained_variance_2", two});
    } else {
      m.push_back({"perplexity_used", e.perplexity_used});
      m.push_back({"iterations", double(e.runs[0].state.iteration)});
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

// The layouts are final: measure them (in slices, see core/embed/quality.h).
// Neighbours for trustworthiness and for the label vote, within what N allows.
static int quality_k_trust(int n) { return std::max(1, std::min(trust_k(n), (n - 1) / 2)); }
static int quality_k_vote(int n) { return std::max(1, std::min(kKnnK, n - 1)); }

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
  std::vector<core::TsneParams> runs(e.second_seed >= 0 ? 2 : 1, p);
  runs[0].seed = e.seed;
  if (runs.size() == 2) runs[1].seed = uint64_t(e.second_seed);
  e.runs.resize(runs.size());
  for (size_t r = 0; r < runs.size(); ++r) e.runs[r].seed = runs[r].seed;
  return runs;
}

// The start of t-SNE's initialisation (which runs in slices: see step()).
static void start_tsne(ProjectionExperiment& e) {
  const std::vector<core::TsneParams> params = tsne_params(e);
  for (size_t r = 0; r < params.size(); ++r)
    if (e.error = core::tsne_init_begin(e.runs[r].state, e.input(), params[r]); !e.error) return;
}

// The PCA's components (pca_x) are there: what t-SNE works in (pca_dims) and what PCA alone shows.
static void pca_adopt(ProjectionExperiment& e) {
  if (e.pca_dims > 0 && e.pca_dims < e.x.cols()) {
    e.tsne_x = std::move(e.pca_x);
    e.pca_y = e.tsne_x.leftCols(2);
  } else {
    e.pca_y = e.pca_x.leftCols(2);
  }
  e.pca_x = core::Mat{};
}

// Hands the PCA and t-SNE to the platform's worker when there is one and the set is big enough;
// false: the experiment computes them itself.
static bool offload(ProjectionExperiment& e, int components) {
  if (!g_offload.start || e.x.rows() < kOffloadMinPoints) return false;
  ProjectionOffloadJob job;
  job.x = &e.x;
  job.components = components;
  job.tsne_of_pca = e.pca_dims > 0 && e.pca_dims < e.x.cols();  // as pca_adopt
  if (e.method == ProjectionMethod::Tsne) job.runs = tsne_params(e);
  job.iterations = e.iterations;
  job.labels = &e.labels;
  job.k_trust = quality_k_trust(int(e.x.rows()));
  job.k_vote = quality_k_vote(int(e.x.rows()));
  e.offload_id = g_offload.start(job);
  if (e.offload_id > 0) {
    for (size_t r = 0; r < job.runs.size(); ++r) e.runs[r].state.params = job.runs[r];
    return true;
  }
  e.offload_id = 0;
  e.runs.clear();
  return false;
}

// Takes what the worker sent. Its failure (it could not start, say) is not the student's: the
// experiment starts again and computes in its own slices. Core refusing the input is (Error).
static void offload_step(ProjectionExperiment& e) {
  ProjectionOffloadNews& news = e.offload_news;
  if (!g_offload.poll || !g_offload.poll(e.offload_id, news)) return;
  if (news.phase == OffloadPhase::Error) {
    e.error = core::Status::error(news.error);
    return;
  }
  if (news.phase == OffloadPhase::Failed) {
    std::fprintf(stderr, "projection: computing on the page's thread instead of the worker: %s\n", news.error.c_str());
    if (g_offload.stop) g_offload.stop(e.offload_id);
    e.offload_id = 0;
    e.offload_news = ProjectionOffloadNews{};
    e.runs.clear();
    e.prepared = false;
    return;
  }
  if (news.has_pca && e.pca_y.rows() == 0) {
    e.pca = std::move(news.pca);
    e.pca_x = std::move(news.pca_x);
    pca_adopt(e);
  }
  const int n = int(e.x.rows());
  for (size_t r = 0; r < e.runs.size() && r < news.y.size(); ++r) {
    TsneRun& run = e.runs[r];
    if (news.y[r].rows() == n) run.state.y = news.y[r];
    run.state.n = n;
    run.state.iteration = news.iteration;
    run.kl_iteration = news.kl_iteration[r];
    run.kl_value = news.kl_value[r];
    if (r < news.final_kl.size()) run.final_kl = news.final_kl[r];
  }
  if (news.phase != OffloadPhase::Done) return;
  // The pictures and their quality, measured as start_quality would (unless the labels changed since).
  const size_t pictures = (e.method == ProjectionMethod::Pca ? 1 : e.runs.size()) + (e.pca_beside() ? 1 : 0);
  if (e.offload_labels_changed || news.quality.size() != pictures) return start_quality(e);
  e.quality.assign(pictures, core::LayoutQualityJob{});  // no points left to measure: done()
  for (size_t r = 0; r < pictures; ++r) {
    e.quality[r].trustworthiness = news.quality[r][0];
    e.quality[r].knn_accuracy = news.quality[r][1];
    e.quality[r].knn_accuracy_input = news.quality[r][2];
  }
}

static void prepare(ProjectionExperiment& e) {
  e.prepared = true;
  const int n = int(e.x.rows());
  // Sizes: at most 1797 points of at most 64 features (the digits; words: 30, blobs: 300), or 10,000
  // Fashion-MNIST images of 784 pixels, whose PCA (a 784 x 784 covariance) gives t-SNE and the quality
  // measures 50 features: all far below the memory budget; tsne_init checks its own anyway.
  int comps = 0;
  if (e.pca_dims > 0 && e.pca_dims < e.x.cols()) {
    // t-SNE of the first pca_dims principal components, the usual first step for images (van der
    // Maaten & Hinton 2008, section 4.2: 30 components; scikit-learn and openTSNE suggest 50); the
    // layouts are judged in that space too. Their first two are PCA's own picture, drawn beside.
    comps = int(std::min<core::Index>(e.pca_dims, n - 1));
  } else if (e.method == ProjectionMethod::Pca) {
    comps = int(std::min<core::Index>(std::min<core::Index>(10, e.x.cols()), n - 1));
  }
  if (offload(e, comps)) return;
  if (comps == 0) return start_tsne(e);
  // The PCA runs in pieces (step(), pca_piece): 10,000 images of 784 pixels take seconds in one go.
  if (e.error = core::pca_fit_begin(e.x, std::max(2, comps), e.pca_job); !e.error) return;
  e.pca_pending = true;
}

// One piece of the PCA prepare() started: a piece of the fit, or the projection of a block of rows.
// When the last piece is done, what follows starts: the quality measures (PCA) or t-SNE of the
// components (pca_dims).
static void pca_piece(ProjectionExperiment& e) {
  if (!e.pca_job.done()) {
    if (!core::pca_fit_continue(e.x, e.pca, e.pca_job)) return;
    if (e.error = e.pca_job.status; !e.error) return;
    e.pca_x.resize(e.x.rows(), e.pca.axes.cols());
    e.pca_rows = 0;
    return;
  }
  const core::Index end = std::min<core::Index>(
      e.x.rows(), e.pca_rows + std::max<core::Index>(1, core::Index(core::kPcaPieceWork / double(e.x.cols() * e.pca.axes.cols()))));
  core::pca_transform_rows(e.pca, e.x, e.pca_rows, end, e.pca_x);
  e.pca_rows = end;
  if (end < e.x.rows()) return;
  e.pca_pending = false;
  pca_adopt(e);
  if (e.method == ProjectionMethod::Pca) return start_quality(e);
  start_tsne(e);
}

// The first t-SNE run whose initialisation is not finished, or -1.
static int initialising_run(const ProjectionExperiment& e) {
  for (int r = 0; r < int(e.runs.size()); ++r)
    if (!core::tsne_init_done(e.runs[size_t(r)].state)) return r;
  return -1;
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
  if (offload_id && quality.empty()) {
    offload_step(*this);
    if (quality.empty() || done()) return;  // else measured: the final metrics follow
  }
  while (pca_pending) {
    pca_piece(*this);
    if (done() || elapsed() > budget_ms) return;
  }
  // t-SNE's initialisation, a piece at a time (the 1797 digits take ~0.2 s natively).
  for (int r; (r = initialising_run(*this)) >= 0;) {
    if (error = core::tsne_init_step(runs[size_t(r)].state, budget_ms - elapsed()); !error) return;
    if (elapsed() > budget_ms) return;
  }
  // Advance the runs in lockstep until the budget is spent (at least one step each).
  while (quality.empty() && !done()) {
    for (TsneRun& r : runs) {
      const core::TsneStepStats s = core::tsne_step(r.state);
      if (s.kl_computed) {
        r.kl_iteration.push_back(float(s.iteration - 1));
        r.kl_value.push_back(float(s.kl));
      }
    }
    if (runs[0].state.iteration >= iterations) start_quality(*this);
    if (elapsed() > budget_ms) return;
  }
  // Then measure the pictures, a block of points at a time, and compute the final metrics.
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
  if (runs.empty() || (offload_id && offload_news.phase < OffloadPhase::Iterating)) return base;
  if (offload_id && offload_news.phase >= OffloadPhase::Kl)  // the worker's exact KL and measures
    return 0.95f + (offload_news.phase == OffloadPhase::Quality ? 0.04f * float(offload_news.fraction) : 0.0f);
  return base + (1.0f - base) * float(runs[0].state.iteration) / float(std::max(1, iterations));
}

std::string ProjectionExperiment::progress_text() const {
  if (!quality.empty() && !finished) return "measuring the picture (trustworthiness, k-NN accuracy)";
  if (data == ProjectionData::Words && x.rows() == 0) return "training the word embeddings: " + words.progress_text();
  if (offload_id && offload_news.phase < OffloadPhase::Iterating) {
    char pct[16];
    std::snprintf(pct, sizeof pct, " %d %%", int(100 * offload_news.fraction));
    const std::string what = offload_news.phase == OffloadPhase::Pca ? "PCA of " + std::to_string(x.cols()) + " features: "
                                                                       : std::string("t-SNE: ");
    return what + (offload_news.stage.empty() ? "starting" : offload_news.stage) + (offload_news.fraction > 0 ? pct : "");
  }
  if (offload_id && offload_news.phase == OffloadPhase::Kl) return "t-SNE: the exact KL of the picture";
  if (offload_id && offload_news.phase == OffloadPhase::Quality) return "measuring the picture (trustworthiness, k-NN accuracy)";
  if (pca_pending) {
    char pct[16];
    std::snprintf(pct, sizeof pct, " %d %%", int(100 * (pca_job.done() ? 1.0 : pca_job.progress(x.rows()))));
    return "PCA of " + std::to_string(x.cols()) + " features: " +
           (pca_job.done() ? "projecting the points" : std::string("covariance") + pct);
  }
  if (method == ProjectionMethod::Pca) return "PCA";
  if (const int r = initialising_run(*this); r >= 0) {
    const core::TsneInitProgress p = core::tsne_init_progress(runs[size_t(r)].state);
    char pct[16];
    std::snprintf(pct, sizeof pct, " %d %%", int(100 * p.fraction));
    return std::string("t-SNE") + (r > 0 ? " (second seed)" : "") + ": " + std::string(p.stage) +
           (p.fraction > 0 ? pct : "");
  }
  const int it = runs.empty() ? 0 : runs[0].state.iteration;
  std::string s = "t-SNE iteration " + std::to_string(it) + " / " + std::to_string(iterations);
  if (!runs.empty() && it < runs[0].state.params.exaggeration_iterations) s += " (early exaggeration)";
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
    offload_labels_changed = offload_id != 0;
    return;
  }
  // Measured already: measure the label-based metrics again (the layouts stay).
  quality.clear();
  results.clear();
  finished = false;
  finish_stage = 0;
  kl_job = core::TsneKlJob{};
  overlap_job = core::KnnJob{};
  overlap_knn[0] = overlap_knn[1] = core::Knn{};
  start_quality(*this);
}

std::vector<Metric> ProjectionExperiment::metrics() const {
  if (finished) return results;
  std::vector<Metric> m = {{"points", double(x.rows())}};
  if (!runs.empty()) {
    m.push_back({"iterations", double(runs[0].state.iteration)});
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
