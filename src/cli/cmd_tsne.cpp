// embedlab tsne: t-SNE of a labelled CSV file or of IDX images (MNIST-style), written as label,x,y in
// input order.
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/embed_io.h"
#include "core/embed/quality.h"
#include "core/embed/tsne.h"
#include "core/memory_budget.h"

namespace lab::cli {

namespace {

const char* kTsneUsage =
    "usage: embedlab tsne --input X.csv --output Y.csv [options]\n"
    "       embedlab tsne --input IMAGES-idx3-ubyte[.gz] --labels LABELS-idx1-ubyte[.gz] --output Y.csv [options]\n"
    "       embedlab tsne --input vectors.tsv [--metadata metadata.tsv [--label-column NAME]] --output Y.csv [options]\n"
    "\n"
    "Embeds the rows of X.csv in 2-D with t-SNE. Input rows are label,f1,...,fD (a header line is\n"
    "optional and detected); or IDX images (MNIST, Fashion-MNIST: one row per image, pixels / 255)\n"
    "with their IDX labels. Either file may be gzip'd. Output rows are label,x,y in input order.\n"
    "Prints the KL divergence, trustworthiness(10) and 10-NN label accuracy of the result.\n"
    "\n"
    "options:\n"
    "  --input FILE          labelled CSV, or IDX images, to embed (required)\n"
    "  --labels FILE         the IDX labels of IDX images (required with them)\n"
    "  --metadata FILE       the Embedding Projector metadata.tsv of a vectors.tsv input (the labels)\n"
    "  --label-column NAME   the metadata column to use as labels (default: the first with 2-50\n"
    "                        distinct values, as the page colours them)\n"
    "  --output FILE         where to write label,x,y (required)\n"
    "  --perplexity P        effective number of neighbours (default 30)\n"
    "  --iterations N        gradient steps (default 1000)\n"
    "  --seed S              random seed for --init random (default 0)\n"
    "  --method M            auto | exact | bh | fft (default auto: exact up to 150 points, else fft:\n"
    "                        FFT interpolation while the layout is compact, Barnes-Hut after)\n"
    "  --theta T             Barnes-Hut accuracy, smaller is slower and more exact (default 0.5)\n"
    "  --init I              pca | random (default pca)\n"
    "  --learning-rate R     step size, or 'auto' = max(N / 48, 50) (default auto)\n"
    "  --memory-budget SIZE  the lab's memory budget for this command (default 256MiB, as in the page;\n"
    "                        natively e.g. 2GiB for all 70,000 Fashion-MNIST images)\n"
    "  --verbose             print the KL every 50 iterations\n"
    "  --help                show this text\n"
    "\n"
    "exit status: 0 success, 1 bad input data or file, 2 bad options\n";


}  // namespace

int cmd_tsne(Args args) {
  using namespace lab::core;
  const MemoryBudgetScope budget_scope;  // --memory-budget holds for this command only (tests run commands in one process)
  std::string input, output, labels, metadata, label_column;
  TsneParams params;
  bool verbose = false;
  const int st = options_walk("tsne", args, kTsneUsage, [&](std::string_view a, std::string_view v) -> std::string {
    long long n = 0;
    double d = 0;
    if (a == "--verbose") {
      verbose = true;
    } else if (a == "--input") {
      input = std::string(v);
    } else if (a == "--output") {
      output = std::string(v);
    } else if (a == "--labels") {
      labels = std::string(v);
    } else if (a == "--metadata") {
      metadata = std::string(v);
    } else if (a == "--label-column") {
      label_column = std::string(v);
    } else if (a == "--perplexity") {
      if (!flag_double(v, d) || d < 1) return "--perplexity needs a number >= 1, got '" + std::string(v) + "'";
      params.perplexity = d;
    } else if (a == "--iterations") {
      if (!flag_int(v, n) || n < 0 || n > 1000000)
        return "--iterations needs a whole number 0-1000000, got '" + std::string(v) + "'";
      params.iterations = int(n);
    } else if (a == "--seed") {
      if (!flag_int(v, n) || n < 0) return "--seed needs a whole number >= 0, got '" + std::string(v) + "'";
      params.seed = uint64_t(n);
    } else if (a == "--method") {
      if (v == "auto") params.method = TsneMethod::Automatic;
      else if (v == "exact") params.method = TsneMethod::Exact;
      else if (v == "bh" || v == "barnes-hut") params.method = TsneMethod::BarnesHut;
      else if (v == "fft") params.method = TsneMethod::Fft;
      else return "--method must be auto, exact, bh or fft, got '" + std::string(v) + "'";
    } else if (a == "--theta") {
      if (!flag_double(v, d) || d < 0) return "--theta needs a number >= 0, got '" + std::string(v) + "'";
      params.theta = d;
    } else if (a == "--init") {
      if (v == "pca") params.init = TsneInit::Pca;
      else if (v == "random") params.init = TsneInit::Random;
      else return "--init must be pca or random, got '" + std::string(v) + "'";
    } else if (a == "--memory-budget") {
      int64_t bytes = 0;
      if (!memory_size_parse(v, bytes)) return "--memory-budget needs a size such as 2GiB or 900MiB, got '" + std::string(v) + "'";
      if (const Status set = memory_budget_set(bytes); !set) return "--memory-budget: " + set.message;
    } else if (a == "--learning-rate") {
      if (v == "auto") params.learning_rate = 0;
      else if (flag_double(v, d) && d > 0) params.learning_rate = d;
      else return "--learning-rate needs a number > 0 or 'auto', got '" + std::string(v) + "'";
    } else {
      return unknown_option(a);
    }
    return {};
  }, {"--verbose"});
  if (st >= 0) return st;
  if (input.empty()) return usage_error("tsne", "--input FILE is required", kTsneUsage);
  if (output.empty()) return usage_error("tsne", "--output FILE is required", kTsneUsage);

  LabeledData data;
  if (!embed_table_read("tsne", input, labels, data, metadata, label_column)) return 1;
  const auto t0 = std::chrono::steady_clock::now();
  auto [state, status] = tsne_init(data.x, params);
  if (!status) {
    std::fprintf(stderr, "embedlab tsne: %s: %s\n", input.c_str(), status.message.c_str());
    if (status.message.find("memory budget") != std::string::npos)
      std::fprintf(stderr, "embedlab tsne: --memory-budget SIZE raises the budget for this command (e.g. 2GiB)\n");
    return 1;
  }
  while (state.iteration < params.iterations) {
    const TsneStepStats s = tsne_step(state);
    if (verbose && s.kl_computed) std::printf("iteration %d: KL %.6f, gradient norm %.3g\n", s.iteration, s.kl, s.grad_norm);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Mat y = tsne_embedding(state);
  if (!embed_table_write("tsne", output, data, y)) return 1;

  const int k = std::min<int>(10, (state.n - 1) / 2);
  double trust = 0, acc = 0;
  const Status trust_st = trustworthiness_compute(data.x, y, k, trust);
  const Status acc_st = knn_accuracy_compute(y, data.labels, k, acc);
  std::printf("t-SNE: %d points, %d features, method %s, perplexity %g, %d iterations, learning rate %g, %.3f s\n",
              state.n, int(data.x.cols()), std::string(tsne_method_name(state.method)).c_str(), params.perplexity,
              state.iteration, state.learning_rate, seconds);
  std::printf("KL divergence: %.6f\n", tsne_kl(state));
  if (trust_st) std::printf("trustworthiness(%d): %.6f\n", k, trust);
  else std::fprintf(stderr, "embedlab tsne: trustworthiness not measured: %s\n", trust_st.message.c_str());
  if (acc_st) std::printf("%d-NN label accuracy: %.6f\n", k, acc);
  else std::fprintf(stderr, "embedlab tsne: k-NN accuracy not measured: %s\n", acc_st.message.c_str());
  return 0;
}

}  // namespace lab::cli
