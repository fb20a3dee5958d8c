// `embedlab recsys`: train a recommender on generated MovieLens-100k-shaped data or on the real
// MovieLens-100k files, print per-epoch metrics and the final test metrics.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "core/data/zip.h"
#include "core/recsys/model_file.h"
#include "core/recsys/models.h"
#include "runtime/text.h"

namespace lab::cli {

using namespace lab::core;
using namespace lab::core::recsys;

namespace {

const char* kRecsysUsage =
    "usage: embedlab recsys --data synthetic|synthetic-small|DIR|ZIP --model mf|deep|deep-meta|hybrid|content|triplet|deep-triplet\n"
    "                       [--epochs N] [--dim D] [--seed S] [--split random|last|u1|ua] [--loss mse|mae]\n"
    "                       [--batch B] [--lr X] [--l2 L] [--dropout P] [--margin M] [--optim adam|lazy-adam|sgd]\n"
    "                       [--k K] [--save MODEL]\n"
    "       embedlab recsys --load MODEL --data synthetic|synthetic-small|DIR|ZIP [--split ...] [--seed S] [--k K]\n"
    "\n"
    "Trains a recommender and prints one line per epoch, then the test metrics:\n"
    "  explicit models (mf, deep, deep-meta, hybrid, content):  test RMSE ... MAE ...\n"
    "  implicit models (triplet, deep-triplet): test AUC ... P@10 ... NDCG@10 ... and the popularity baseline\n"
    "\n"
    "  --data synthetic        generated MovieLens-100k-shaped data (943 users, 1682 items, 100k ratings);\n"
    "                          prints the noise floor (the best RMSE/MAE any model can reach on the test ratings)\n"
    "  --data synthetic-small  300 users x 500 items, 12k ratings (what in-browser lessons use)\n"
    "  --data DIR|ZIP          MovieLens-100k: the folder with u.data, u.item, u.user (and u1/ua splits),\n"
    "                          or ml-100k.zip as downloaded\n"
    "  --split random          seeded 80/20 split (default); last: each user's latest rating is test;\n"
    "                          u1, ua: GroupLens's predefined splits (DIR/u1.base + u1.test, ...)\n"
    "  --epochs N (10)  --dim D (32)  --seed S (1)  --batch B (64)  --k K (10, for P@K / NDCG@K)\n"
    "  --loss mse|mae   explicit models' training loss (default mse)\n"
    "  --lr X           Adam learning rate (default: mf 5e-3, deep/deep-meta 3e-3, triplet 3e-3)\n"
    "  --l2 L           L2 on the embeddings of the batch (default: mf 0.1, deep 0.05, 0 otherwise)\n"
    "  --dropout P      deep models' dropout (default 0.5)\n"
    "  --margin M       triplet margin (default 1, cosine similarity)\n"
    "  --negatives uniform|popularity   triplet training negatives: any movie, or drawn by\n"
    "                   (positives + 1)^0.75 (default uniform; evaluation negatives are uniform)\n"
    "  --optim adam|lazy-adam|sgd   lazy-adam updates only the embedding rows a batch touched\n"
    "                   (as torch.optim.SparseAdam); default adam (dense, as the course)\n"
    "  --save MODEL     after training, write the model to MODEL (the lab's model file, as the\n"
    "                   recommender blocks' \"↓ model\" button does)\n"
    "  --load MODEL     evaluate a saved model instead of training one: the model and its options come\n"
    "                   from the file; the data from --data; the split and the generated data's seed from\n"
    "                   the file unless --split / --seed are given. Prints the same test lines as training.\n"
    "\n"
    "Exit codes: 0 done, 1 bad data or training failed (messages name FILE:LINE), 2 usage error.\n"
    "The course's protocol on the real data, e.g.:\n"
    "  embedlab recsys --data ml-100k --model mf --dim 64 --loss mae --lr 1e-3 --l2 0 --epochs 10\n";

int usage(const std::string& msg) { return usage_error("recsys", msg, kRecsysUsage); }

template <class T>
bool parse_num(std::string_view s, T& v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// libc++ 14 (Emscripten 3.1.6) has no floating-point from_chars.
bool parse_num(std::string_view s, double& v) {
  const std::string str(s);
  if (str.empty() || std::isspace(static_cast<unsigned char>(str[0]))) return false;
  char* end = nullptr;
  v = std::strtod(str.c_str(), &end);
  return end == str.c_str() + str.size() && std::isfinite(v);
}

bool read_file(const std::string& path, std::string& out) {
  std::string err;
  auto t = runtime::read_text_file(path, &err, size_t(64) << 20);
  if (!t) {
    std::fprintf(stderr, "embedlab recsys: %s\n", err.c_str());
    return false;
  }
  out = std::move(*t);
  return true;
}

int fail(const std::string& msg) {
  std::fprintf(stderr, "embedlab recsys: %s\n", msg.c_str());
  return 1;
}

bool write_file(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  bool ok = f && std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (f) ok = std::fclose(f) == 0 && ok;
  if (!ok) std::fprintf(stderr, "embedlab recsys: cannot write '%s'\n", path.c_str());
  return ok;
}

int read_ml100k(const std::string& dir, const std::string& split, RecData& d, Split& sp);
int print_test(RecTrainer& rt, const RecData& d, int k);
int recsys_load(const std::string& path, const std::string& data, const std::string& split_flag, const uint64_t* seed,
                int k);

}  // namespace

int cmd_recsys(Args args) {
  std::string save, load;
  bool split_given = false, seed_given = false;
  std::string data = "", model = "", split = "random", loss = "mse", optim = "adam", negatives = "uniform";
  int epochs = 10, k = 10;
  long long dim = 32, batch = 64;
  uint64_t seed = 1;
  double lr = -1, l2 = -1, dropout = 0.5, margin = 1.0;
  const int st = options_walk("recsys", args, kRecsysUsage, [&](std::string_view a, std::string_view v) -> std::string {
    const std::string vs(v);
    bool ok = true;
    if (a == "--data") data = vs;
    else if (a == "--model") model = vs;
    else if (a == "--split") split = vs, split_given = true;
    else if (a == "--save") save = vs;
    else if (a == "--load") load = vs;
    else if (a == "--loss") loss = vs;
    else if (a == "--optim") optim = vs;
    else if (a == "--negatives") negatives = vs;
    else if (a == "--epochs") ok = parse_num(v, epochs) && epochs >= 1 && epochs <= 1000;
    else if (a == "--k") ok = parse_num(v, k) && k >= 1 && k <= 1000;
    else if (a == "--dim") ok = parse_num(v, dim) && dim >= 1 && dim <= 1024;
    else if (a == "--batch") ok = parse_num(v, batch) && batch >= 1 && batch <= 1 << 20;
    else if (a == "--seed") ok = parse_num(v, seed), seed_given = true;
    else if (a == "--lr") ok = parse_num(v, lr) && lr > 0 && lr < 10;
    else if (a == "--l2") ok = parse_num(v, l2) && l2 >= 0;
    else if (a == "--dropout") ok = parse_num(v, dropout) && dropout >= 0 && dropout < 1;
    else if (a == "--margin") ok = parse_num(v, margin) && margin >= 0;
    else return unknown_option(a);
    return ok ? "" : "bad value '" + vs + "' for " + std::string(a);
  });
  if (st >= 0) return st;
  if (data.empty()) return usage("--data is required (synthetic, synthetic-small, a MovieLens-100k folder or ml-100k.zip)");
  if (!load.empty()) {
    if (!model.empty() || !save.empty())
      return usage("--load takes the model from the file: drop --model and --save");
    if (split_given && split != "random" && split != "last" && split != "u1" && split != "ua")
      return usage("unknown split '" + split + "' (random, last, u1, ua)");
    return recsys_load(load, data, split_given ? split : "", seed_given ? &seed : nullptr, k);
  }
  if (model.empty()) return usage(std::string("--model is required (") + kModelNames + ")");
  RecModelOptions mo;
  if (!model_parse(model, mo.kind)) return usage("unknown model '" + model + "' (" + kModelNames + ")");
  if (negatives != "uniform" && negatives != "popularity")
    return usage("unknown negative sampling '" + negatives + "' (uniform, popularity)");
  if (loss != "mse" && loss != "mae") return usage("unknown loss '" + loss + "' (mse, mae)");
  if (optim != "adam" && optim != "lazy-adam" && optim != "sgd") return usage("unknown optimiser '" + optim + "' (adam, lazy-adam, sgd)");
  if (split != "random" && split != "last" && split != "u1" && split != "ua")
    return usage("unknown split '" + split + "' (random, last, u1, ua)");
  const bool synthetic = data == "synthetic" || data == "synthetic-small";
  if (synthetic && (split == "u1" || split == "ua"))
    return usage("--split " + split + " needs the real MovieLens-100k (its u1/ua files: the folder or ml-100k.zip); use random or last");

  // ---- data ----
  RecData d;
  Split sp;
  if (synthetic) {
    const SynthOptions so = data == "synthetic" ? synth_movielens100k(seed) : synth_small(seed);
    if (Status st = synth_generate(so, d); !st) return fail(st.message);
  } else {
    if (int r = read_ml100k(data, split, d, sp); r) return r;
  }
  if (split == "random") sp = split_random(d, 0.2, seed);
  else if (split == "last") sp = split_leave_last_out(d);
  const DataSummary sum = summarise(d);
  std::printf("data: %d users, %d items, %lld ratings (mean %.3f, sd %.3f); train %zu, test %zu (%s split)\n",
              d.n_users, d.n_items, (long long)sum.n_ratings, sum.mean, sum.sd, sp.train.size(), sp.test.size(),
              split.c_str());

  // ---- model ----
  const bool implicit = model_is_implicit(mo.kind);
  mo.dim = Index(dim);
  mo.seed = seed;
  mo.dropout = dropout;
  mo.margin = margin;
  mo.negatives = negatives == "popularity" ? NegativeSampling::Popularity : NegativeSampling::Uniform;
  mo.loss = loss == "mae" ? RatingLoss::Mae : RatingLoss::Mse;
  const bool deep = mo.kind == ModelKind::Deep || mo.kind == ModelKind::DeepMeta || mo.kind == ModelKind::Content;
  // hybrid: MF's L2 on its embeddings
  mo.l2 = l2 >= 0 ? l2 : mo.kind == ModelKind::Mf || mo.kind == ModelKind::Hybrid ? 0.1 : deep ? 0.05 : 0.0;
  nn::TrainerOptions to;
  to.epochs = epochs;
  to.batch_size = Index(batch);
  to.seed = seed;
  to.optim.kind = optim == "sgd" ? nn::OptimKind::Sgd : nn::OptimKind::Adam;
  to.optim.lazy = optim == "lazy-adam";
  to.optim.lr = lr > 0 ? lr : optim == "sgd" ? 0.05 : mo.kind == ModelKind::Mf ? 5e-3 : 3e-3;
  RecTrainer rt;
  if (Status st = rec_init(rt, d, sp, mo, to); !st) return fail(st.message);
  std::printf("model: %s, dim %lld, %s, lr %g, batch %lld, %d epochs%s\n", model_name(mo.kind), dim,
              optim.c_str(), to.optim.lr, batch, epochs,
              implicit ? "" : (std::string(", loss ") + loss + ", l2 " + std::to_string(mo.l2).substr(0, 5)).c_str());

  int shown = 0;
  RecEval e;
  while (!rec_done(rt)) {
    rec_step(rt, 5.0);  // short slices, so that no epoch boundary is skipped
    if (rt.trainer.epoch == shown) continue;
    shown = rt.trainer.epoch;
    e = rec_evaluate(rt, d, k);
    const float tl = rt.trainer.history.train_loss.back();
    if (implicit)
      std::printf("epoch %d/%d  train loss %.4f  test AUC %.4f  P@%d %.4f  NDCG@%d %.4f\n", shown, epochs, tl,
                  e.ranking.auc, k, e.ranking.precision, k, e.ranking.ndcg);
    else
      std::printf("epoch %d/%d  train loss %.4f  test RMSE %.4f  MAE %.4f\n", shown, epochs, tl, e.rmse, e.mae);
    std::fflush(stdout);
  }
  if (!rt.trainer.status) return fail(rt.trainer.status.message);
  if (!save.empty()) {
    RecFileData fd;
    fd.data = synthetic ? data : "ml-100k";
    fd.data_seed = seed;
    fd.split = split;
    fd.split_seed = seed;
    if (!write_file(save, rec_model_save(rt, d, mo, fd))) return 1;
    std::printf("saved the model to %s\n", save.c_str());
  }
  return print_test(rt, d, k);
}

namespace {

// Loads MovieLens-100k's u.data/u.item/u.user and, for --split u1|ua, its predefined split: from the
// folder, or from ml-100k.zip as GroupLens ships it (core/data/zip.h reads it).
int read_ml100k(const std::string& dir, const std::string& split, RecData& d, Split& sp) {
  const bool zip = core::zip_is_name(dir);
  std::string archive;
  std::vector<core::ZipEntry> entries;
  // One file of the data set: from the folder, or the shallowest entry of that name in the zip.
  const auto read = [&](const std::string& base, std::string& name, std::string& text) {
    if (!zip) return name = dir + "/" + base, read_file(name, text);
    const core::ZipEntry* e = core::zip_find(entries, base);
    if (!e) return fail(dir + ": no " + base + " in it"), false;
    name = dir + "/" + e->name;
    const Status st = core::zip_extract(archive, *e, dir, text);
    return st ? true : (fail(st.message), false);
  };
  if (zip) {
    if (!read_file(dir, archive)) return 1;
    if (Status st = core::zip_entries(archive, dir, entries); !st) return fail(st.message);
  }
  Ml100kText t;
  std::string ud, ui, uu;
  if (!read("u.data", t.data_name, ud) || !read("u.item", t.item_name, ui) || !read("u.user", t.user_name, uu)) return 1;
  t.data = ud;
  t.item = ui;
  t.user = uu;
  if (Status st = ml100k_parse(t, d); !st) return fail(st.message);
  if (split == "u1" || split == "ua") {
    std::string bn, tn, bt, tt;
    if (!read(split + ".base", bn, bt) || !read(split + ".test", tn, tt)) return 1;
    std::vector<Rating> br, tr;
    if (Status st = ml100k_parse_ratings(bt, bn, br); !st) return fail(st.message);
    if (Status st = ml100k_parse_ratings(tt, tn, tr); !st) return fail(st.message);
    if (Status st = split_from_ratings(d, br, bn, tr, tn, sp); !st) return fail(st.message);
  }
  return 0;
}

int print_test(RecTrainer& rt, const RecData& d, int k) {
  const RecEval e = rec_evaluate(rt, d, k);
  if (rt.triplet) {
    PopularityModel pop(rt.popularity);
    const RankingEval pe = evaluate_ranking(pop, rt.train_pos, rt.test_pos, rt.popularity, k);
    std::printf("popularity baseline: AUC %.4f  P@%d %.4f  NDCG@%d %.4f  coverage %.3f\n", pe.auc, k, pe.precision, k,
                pe.ndcg, pe.coverage);
    std::printf("top-%d lists: coverage %.3f  gini %.3f  share on top-10%% items %.3f  (%d test users)\n", k,
                e.ranking.coverage, e.ranking.gini, e.ranking.popular_share, e.ranking.users);
    std::printf("test AUC %.4f P@%d %.4f NDCG@%d %.4f (popularity baseline AUC %.4f)\n", e.ranking.auc, k,
                e.ranking.precision, k, e.ranking.ndcg, pe.auc);
  } else {
    if (d.synthetic)
      std::printf("noise floor on these test ratings: RMSE %.4f MAE %.4f (best achievable)\n", e.noise_floor_rmse,
                  e.noise_floor_mae);
    std::printf("test RMSE %.4f MAE %.4f\n", e.rmse, e.mae);
  }
  return 0;
}

int recsys_load(const std::string& path, const std::string& data, const std::string& split_flag, const uint64_t* seed,
                int k) {
  std::string bytes;
  if (!read_file(path, bytes)) return 1;
  RecModelOptions mo;
  RecFileData fd;
  if (Status st = rec_model_peek(bytes, mo, fd); !st) return fail(path + ": " + st.message);
  if (seed) fd.data_seed = fd.split_seed = *seed;
  if (!split_flag.empty()) fd.split = split_flag;
  RecData d;
  Split sp;
  const bool synthetic = data == "synthetic" || data == "synthetic-small";
  if (synthetic) {
    fd.data = data;
    SynthOptions so;
    rec_file_synth(fd, so);
    if (Status st = synth_generate(so, d); !st) return fail(st.message);
    if (fd.split == "u1" || fd.split == "ua")
      return usage("--split " + fd.split + " needs the real MovieLens-100k (its u1/ua files: the folder or ml-100k.zip); use random or last");
  } else {
    if (int r = read_ml100k(data, fd.split, d, sp); r) return r;
  }
  if (fd.split != "u1" && fd.split != "ua")
    if (Status st = rec_file_split(d, fd, sp); !st) return fail(path + ": " + st.message);
  const DataSummary sum = summarise(d);
  std::printf("data: %d users, %d items, %lld ratings (mean %.3f, sd %.3f); train %zu, test %zu (%s split)\n",
              d.n_users, d.n_items, (long long)sum.n_ratings, sum.mean, sum.sd, sp.train.size(), sp.test.size(),
              fd.split.c_str());
  RecTrainer rt;
  if (Status st = rec_model_load(bytes, d, sp, rt); !st) return fail(path + ": " + st.message);
  std::printf("model: %s, dim %lld, loaded from %s (%lld parameters)\n", model_name(mo.kind), (long long)mo.dim,
              path.c_str(), (long long)nn::param_count(rt.trainer.objective->params()));
  return print_test(rt, d, k);
}

}  // namespace

}  // namespace lab::cli
