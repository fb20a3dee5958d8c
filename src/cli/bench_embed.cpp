#include "cli/bench_embed.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/data/labeled_csv.h"
#include "core/embed/quality.h"
#include "core/embed/tsne.h"

namespace lab::cli {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Runs a peer script and echoes its BENCH lines; returns name -> value.
std::map<std::string, double> peer_run(const std::string& command) {
  std::map<std::string, double> values;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return values;
  char line[512];
  while (std::fgets(line, sizeof line, pipe)) {
    std::istringstream in(line);
    std::string tag, name, unit;
    double value = 0;
    if (in >> tag >> name >> value >> unit && tag == "BENCH") {
      values[name] = value;
      std::fputs(line, stdout);
    }
  }
  pclose(pipe);
  return values;
}

}  // namespace

int bench_suite_embed(const BenchOptions& options) {
  using namespace lab::core;
  std::ifstream file(kDigitsPath, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "bench embed: cannot open %s (run from the repository root)\n", kDigitsPath);
    return 1;
  }
  std::stringstream text;
  text << file.rdbuf();
  LabeledData digits;
  if (Status s = digits_parse(text.str(), digits); !s) {
    std::fprintf(stderr, "bench embed: %s: %s\n", kDigitsPath, s.message.c_str());
    return 1;
  }

  TsneParams params;
  params.perplexity = 30;
  params.iterations = options.quick ? 250 : 1000;
  params.method = TsneMethod::barnes_hut;
  params.theta = 0.5;
  params.init = TsneInit::pca;
  params.seed = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  auto [state, status] = tsne_init(digits.x, params);
  if (!status) {
    std::fprintf(stderr, "bench embed: %s\n", status.message.c_str());
    return 1;
  }
  const double init_seconds = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  while (state.iteration < params.iterations) tsne_step(state);
  const double step_seconds = seconds_since(t1);
  const double seconds = seconds_since(t0);
  const double cpu_seconds = double(std::clock() - c0) / CLOCKS_PER_SEC;

  double trust = 0, acc = 0;
  const Mat y = tsne_embedding(state);
  trustworthiness_compute(digits.x, y, 10, trust);
  knn_accuracy_compute(y, digits.labels, 10, acc);
  bench_print("tsne.digits.seconds", seconds, "s");
  bench_print("tsne.digits.cpu_seconds", cpu_seconds, "s");
  bench_print("tsne.digits.init_seconds", init_seconds, "s");
  bench_print("tsne.digits.ms_per_iteration", 1000 * step_seconds / params.iterations, "ms");
  bench_print("tsne.digits.iterations_per_16ms", 0.016 / (step_seconds / params.iterations), "count");
  bench_print("tsne.digits.trustworthiness10", trust, "ratio");
  bench_print("tsne.digits.knn10_accuracy", acc, "ratio");
  bench_print("tsne.digits.kl", state.kl, "nats");
  bench_print("tsne.digits.kl_exact", tsne_kl(state), "nats");

  if (options.peers && !options.in_wasm && !options.quick) {
    const auto peer = peer_run("/usr/bin/python3 bench/peers/tsne_sklearn.py 2>/dev/null");
    auto get = [&](const char* name) {
      auto it = peer.find(name);
      return it == peer.end() ? -1.0 : it->second;
    };
    const double sk_seconds = get("tsne.digits.sklearn.seconds");
    if (sk_seconds > 0) {
      bench_print("tsne.digits.speedup_vs_sklearn", sk_seconds / seconds, "x");
      const double sk_cpu = get("tsne.digits.sklearn.cpu_seconds");
      if (sk_cpu > 0) bench_print("tsne.digits.cpu_speedup_vs_sklearn", sk_cpu / cpu_seconds, "x");
      bench_print("tsne.digits.trustworthiness10_minus_sklearn", trust - get("tsne.digits.sklearn.trustworthiness10"),
                  "ratio");
      bench_print("tsne.digits.knn10_accuracy_minus_sklearn", acc - get("tsne.digits.sklearn.knn10_accuracy"), "ratio");
    } else {
      std::fprintf(stderr, "bench embed: scikit-learn peer not available (Debian python3-sklearn)\n");
    }
    // tsne-js (npm), scored here with our own metrics from the embedding it writes.
    const std::string js_out = "build/bench_tsnejs_embedding.csv";
    std::remove(js_out.c_str());
    const auto js = peer_run("node bench/peers/tsne_js.mjs " + js_out + " 2>/dev/null");
    const double js_seconds = js.count("tsne.digits.tsnejs.seconds") ? js.at("tsne.digits.tsnejs.seconds") : -1;
    std::ifstream js_file(js_out, std::ios::binary);
    std::stringstream js_text;
    js_text << js_file.rdbuf();
    LabeledData js_y;
    if (js_seconds > 0 && labeled_csv_parse(js_text.str(), js_y) && js_y.x.rows() == digits.x.rows()) {
      double js_trust = 0, js_acc = 0;
      trustworthiness_compute(digits.x, js_y.x, 10, js_trust);
      knn_accuracy_compute(js_y.x, digits.labels, 10, js_acc);
      bench_print("tsne.digits.tsnejs.trustworthiness10", js_trust, "ratio");
      bench_print("tsne.digits.tsnejs.knn10_accuracy", js_acc, "ratio");
      bench_print("tsne.digits.speedup_vs_tsnejs", js_seconds / seconds, "x");
    } else {
      std::fprintf(stderr, "bench embed: tsne-js peer not available (npm install --prefix bench/peers)\n");
    }
  }
  return 0;
}

}  // namespace lab::cli
