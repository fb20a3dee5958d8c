#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/det_math.h"
#include "core/embed/pca.h"
#include "core/embed/knn.h"
#include "core/embed/quality.h"
#include "core/embed/tsne.h"
#include "core/rng.h"

using namespace lab::core;

#define PIN_Y00 0.068164196629241294
#define PIN_Y231 0.027847032737011251
#define PIN_KL 1.4267760989340195
#define PIN_BH_Y50 0.017694951736030046
#define PIN_BH_Y201 -0.0046544200093702583
#define PIN_300_Y00 2.1106309611956173
#define PIN_300_Y771 -2.0632296053215748
#define PIN_GRAD 0.38757272245046148
#define PIN_FFT_Y00 -0.26657549569913969
#define PIN_FFT_Y3331 0.78046851698334685
#define PIN_FFT64_Y00 3.8705287259337018
#define PIN_FFT64_Y20001 5.2789854932622982

namespace {


// Three well-separated Gaussian clusters in 10-D: `per` points each, labels 0, 1, 2.
Mat three_clusters(int per, uint64_t seed, std::vector<int32_t>* labels = nullptr, double scale = 1.0) {
  Rng rng(seed);
  Mat x(3 * per, 10);
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < per; ++i) {
      const Index r = c * per + i;
      for (Index j = 0; j < 10; ++j) x(r, j) = Scalar(scale * ((j == c ? 10.0 : 0.0) + rng_normal(rng)));
      if (labels) labels->push_back(c);
    }
  return x;
}

}  // namespace

TEST_CASE("tsne: det_exp matches exp to ~1 ulp") {
  for (double v = -700; v < 700; v += 0.37) {
    const double e = std::exp(v), d = det_exp(v);
    CHECK(std::abs(d - e) <= 4e-16 * e);
  }
  CHECK(det_exp(0) == 1.0);
  CHECK(det_exp(-1000) == 0.0);
  CHECK(std::isinf(det_exp(1000)));
}

TEST_CASE("tsne: cost falls over the first steps and three clusters separate (exact)") {
  std::vector<int32_t> labels;
  const Mat x = three_clusters(100, 1, &labels);
  TsneParams p;
  p.perplexity = 10;
  p.init = TsneInit::Random;
  p.method = TsneMethod::Exact;  // (300 points: 'auto' would pick Barnes-Hut)
  {
    auto [s, status] = tsne_init(x, p);
    REQUIRE(status);
    CHECK(s.method == TsneMethod::Exact);
    CHECK(s.learning_rate == 50);  // auto: max(300 / 12 / 4, 50), as scikit-learn >= 1.2
  }
  // Early exaggeration is only stable for learning_rate <= ~N / exaggeration (Linderman &
  // Steinerberger 2019); scikit-learn's 'auto' floor of 50 exceeds that below N = 600, where the
  // cost oscillates during exaggeration (and still converges afterwards). Here: 300 / 12 = 25.
  p.learning_rate = 20;
  auto [s, status] = tsne_init(x, p);
  REQUIRE(status);
  // P is a symmetric distribution
  double sum = 0;
  for (double v : s.p_val) sum += v;
  CHECK(sum == doctest::Approx(1.0));
  double kl_prev = tsne_kl(s);
  const double kl0 = kl_prev;
  for (int block = 0; block < 6; ++block) {
    for (int i = 0; i < 50; ++i) tsne_step(s);
    const double kl = tsne_kl(s);
    CHECK(kl <= kl_prev + 1e-12);
    kl_prev = kl;
  }
  CHECK(kl_prev < 0.6 * kl0);
  TsneStepStats last;
  double kl_before_last = 0;
  while (s.iteration < 500) {
    kl_before_last = tsne_kl(s);
    last = tsne_step(s);
  }
  CHECK(last.iteration == 500);
  CHECK(last.kl_computed);  // kl_every = 50
  CHECK_FALSE(last.exaggerating);
  CHECK(last.kl == doctest::Approx(kl_before_last).epsilon(1e-9));  // the KL of Y before the update
  CHECK(std::isfinite(last.grad_norm));
  double acc = 0, trust = 0;
  const Mat y = tsne_embedding(s);
  REQUIRE(knn_accuracy_compute(y, labels, 10, acc));
  CHECK(acc == 1.0);
  REQUIRE(trustworthiness_compute(x, y, 10, trust));
  CHECK(trust > 0.85);
  // re-centred after every step
  CHECK(std::abs(s.y.col(0).mean()) < 1e-9);
  CHECK(std::abs(s.y.col(1).mean()) < 1e-9);
}

TEST_CASE("tsne: Barnes-Hut agrees with the exact gradient on small data") {
  std::vector<int32_t> labels;
  const Mat x = three_clusters(60, 2, &labels);
  TsneParams p;
  p.perplexity = 15;
  p.init = TsneInit::Pca;
  p.method = TsneMethod::Exact;
  auto [exact, s1] = tsne_init(x, p);
  p.method = TsneMethod::BarnesHut;
  auto [bh, s2] = tsne_init(x, p);
  REQUIRE(s1);
  REQUIRE(s2);
  CHECK(bh.method == TsneMethod::BarnesHut);
  CHECK(bh.p_val.size() < exact.p_val.size());  // sparse P
  // One step from the same start: the two gradients (hence updates) nearly agree.
  tsne_step(exact);
  tsne_step(bh);
  const double diff = (exact.update - bh.update).norm(), scale = exact.update.norm();
  CHECK(diff < 0.1 * scale);
  while (exact.iteration < 500) tsne_step(exact);
  while (bh.iteration < 500) tsne_step(bh);
  const double kl_exact = tsne_kl(exact), kl_bh = tsne_kl(bh);
  CHECK(kl_bh == doctest::Approx(kl_exact).epsilon(0.15));
  double acc = 0;
  REQUIRE(knn_accuracy_compute(tsne_embedding(bh), labels, 10, acc));
  CHECK(acc == 1.0);
  // automatic choice by N
  p.method = TsneMethod::Automatic;
  p.exact_max_n = 100;
  auto [automatic, s3] = tsne_init(x, p);
  CHECK(automatic.method == TsneMethod::Fft);
}

TEST_CASE("tsne: FFT interpolation agrees with the exact repulsion, then hands over to Barnes-Hut") {
  std::vector<int32_t> labels;
  const Mat x = three_clusters(200, 7, &labels);  // 600 points: the smallest grid (64 x 64) fits 8 N
  TsneParams p;
  p.method = TsneMethod::Fft;
  p.kl_every = 0;
  auto [s, st] = tsne_init(x, p);
  REQUIRE(st);
  CHECK(s.method == TsneMethod::Fft);
  const TsneState& state = s;  // (a lambda cannot capture a structured binding in C++20)
  // The exact repulsion at the positions a step used (s.pos), against what the step computed.
  auto force_error = [&state] {
    const TsneState& s = state;
    double err = 0, total = 0;
    for (int i = 0; i < s.n; ++i) {
      double fx = 0, fy = 0;
      for (int j = 0; j < s.n; ++j) {
        const double dx = s.pos[2 * i] - s.pos[2 * j], dy = s.pos[2 * i + 1] - s.pos[2 * j + 1];
        const double w = 1 / (1 + dx * dx + dy * dy);
        fx += w * w * dx;
        fy += w * w * dy;
      }
      const double ex = s.force_rep[2 * i] - fx, ey = s.force_rep[2 * i + 1] - fy;
      err += ex * ex + ey * ey;
      total += fx * fx + fy * fy;
    }
    return std::sqrt(err / total);
  };
  int fft_steps = 0, bh_steps = 0, first_bh = -1;
  double worst_fft_error = 0;
  while (s.iteration < 1000) {
    const TsneStepStats stats = tsne_step(s);
    if (stats.repulsion == TsneMethod::Fft) {
      CHECK(bh_steps == 0);  // the layout only grows: once on the tree, it stays there
      ++fft_steps;
      if (s.iteration % 25 == 0) worst_fft_error = std::max(worst_fft_error, force_error());
    } else {
      CHECK(stats.repulsion == TsneMethod::BarnesHut);
      if (first_bh < 0) first_bh = s.iteration;
      ++bh_steps;
    }
  }
  MESSAGE("FFT steps " << fft_steps << ", Barnes-Hut from step " << first_bh << ", worst FFT force error "
                       << worst_fft_error << ", grid " << s.fft.n << " nodes, " << s.fft.kernel_builds << " kernel builds");
  CHECK(fft_steps >= 50);
  CHECK(bh_steps > 0);
  CHECK(worst_fft_error > 0);
  CHECK(worst_fft_error < 0.02);  // Barnes-Hut at theta 0.5: ~0.5 %
  // The layout is as good as Barnes-Hut's alone.
  TsneParams pb = p;
  pb.method = TsneMethod::BarnesHut;
  auto [b, sb] = tsne_init(x, pb);
  while (b.iteration < 1000) tsne_step(b);
  CHECK(tsne_kl(s) == doctest::Approx(tsne_kl(b)).epsilon(0.05));
  double acc = 0;
  REQUIRE(knn_accuracy_compute(tsne_embedding(s), labels, 10, acc));
  CHECK(acc == 1.0);
}

TEST_CASE("tsne: the automatic method is exact up to exact_max_n points and where Barnes-Hut cannot run") {
  const Mat x = three_clusters(60, 2);  // 180 points
  TsneParams p;
  p.init = TsneInit::Random;
  TsneState s;
  REQUIRE(tsne_init_begin(s, x, p));  // defaults: perplexity 30, exact_max_n 150
  CHECK(s.method == TsneMethod::Fft);
  REQUIRE(tsne_init_begin(s, x.topRows(150), p));
  CHECK(s.method == TsneMethod::Exact);
  // Barnes-Hut keeps floor(3 perplexity + 1) neighbours, so it needs 3 perplexity < N - 1 = 179:
  p.perplexity = 59;  // 177 < 179: the sparse P, with FFT (and Barnes-Hut)
  REQUIRE(tsne_init_begin(s, x, p));
  CHECK(s.method == TsneMethod::Fft);
  p.perplexity = 60;  // 180 >= 179: only the exact method can run
  REQUIRE(tsne_init_begin(s, x, p));
  CHECK(s.method == TsneMethod::Exact);
}

TEST_CASE("tsne: same seed, same embedding, pinned values identical natively and in WASM") {
  const Mat x = three_clusters(8, 5);
  TsneParams p;
  p.perplexity = 5;
  p.init = TsneInit::Random;
  p.seed = 42;
  p.learning_rate = 2;  // N / 12
  p.kl_every = 10;
  auto [a, sa] = tsne_init(x, p);
  auto [b, sb] = tsne_init(x, p);
  REQUIRE(sa);
  REQUIRE(sb);
  TsneStepStats st;
  for (int i = 0; i < 30; ++i) {
    st = tsne_step(a);
    tsne_step(b);
  }
  CHECK(a.y == b.y);
  // Every operation on this path is IEEE-exact or from det_exp/det_log, so these bits are the same
  // on x86-64 (GCC, SSE2) and in WASM (clang, -msimd128). Printed with %.17g.
  if (std::getenv("LAB_PRINT_PINNED"))
    std::printf("pinned: %.17g %.17g %.17g %.17g\n", a.y(0, 0), a.y(23, 1), st.kl, st.grad_norm);
  CHECK(a.y(0, 0) == PIN_Y00);
  CHECK(a.y(23, 1) == PIN_Y231);
  CHECK(st.kl == PIN_KL);
  CHECK(st.grad_norm == PIN_GRAD);
  p.seed = 43;
  auto [c, sc] = tsne_init(x, p);
  CHECK_FALSE(c.y == a.y);

  // Barnes-Hut is deterministic too
  p.method = TsneMethod::BarnesHut;
  p.perplexity = 3;
  auto [d, sd] = tsne_init(x, p);
  auto [e, se] = tsne_init(x, p);
  for (int i = 0; i < 30; ++i) {
    tsne_step(d);
    tsne_step(e);
  }
  CHECK(d.y == e.y);
  if (std::getenv("LAB_PRINT_PINNED")) std::printf("pinned bh: %.17g %.17g\n", d.y(5, 0), d.y(20, 1));
  CHECK(d.y(5, 0) == PIN_BH_Y50);
  CHECK(d.y(20, 1) == PIN_BH_Y201);

  // FFT too: its twiddles and sums are fixed-order arithmetic (core/fft.h)
  {
    const Mat x600 = three_clusters(200, 9);
    TsneParams pf;
    pf.method = TsneMethod::Fft;
    auto [g, sg] = tsne_init(x600, pf);
    REQUIRE(sg);
    int fft_steps = 0;
    for (int i = 0; i < 30; ++i) fft_steps += tsne_step(g).repulsion == TsneMethod::Fft;
    CHECK(fft_steps == 30);
    if (std::getenv("LAB_PRINT_PINNED")) std::printf("pinned fft: %.17g %.17g\n", g.y(0, 0), g.y(333, 1));
    CHECK(g.y(0, 0) == PIN_FFT_Y00);
    CHECK(g.y(333, 1) == PIN_FFT_Y3331);
    // ... and on a larger grid, after its spectra were rebuilt as the layout spread (2,100 points:
    // a 64-node grid fits 8 N).
    const Mat x2100 = three_clusters(700, 11);
    auto [h, sh] = tsne_init(x2100, pf);
    REQUIRE(sh);
    while (h.fft.n < 64 && h.iteration < 400) tsne_step(h);
    for (int i = 0; i < 5; ++i) CHECK(tsne_step(h).repulsion == TsneMethod::Fft);
    CHECK(h.fft.n == 64);
    CHECK(h.fft.kernel_builds > 10);
    if (std::getenv("LAB_PRINT_PINNED"))
      std::printf("pinned fft 64: %d %.17g %.17g\n", h.iteration, h.y(0, 0), h.y(2000, 1));
    CHECK(h.y(0, 0) == PIN_FFT64_Y00);
    CHECK(h.y(2000, 1) == PIN_FFT64_Y20001);
  }

  // PCA initialisation too: the PCA is fixed-order arithmetic (pca.cpp), so the start is the same.
  p.method = TsneMethod::Exact;
  p.perplexity = 5;
  p.init = TsneInit::Pca;
  auto [f, sf] = tsne_init(x, p);
  REQUIRE(sf);
  for (int i = 0; i < 30; ++i) tsne_step(f);
  if (std::getenv("LAB_PRINT_PINNED")) std::printf("pinned pca init: %.17g %.17g\n", f.y(0, 0), f.y(23, 1));
  CHECK(f.y(0, 0) == 0.30654108762997756);
  CHECK(f.y(23, 1) == -0.44770313050676824);
}

TEST_CASE("tsne: images-like input (300 features) through PCA to 50 then Barnes-Hut, pinned natively and in WASM") {
  // Lesson 03b's path at a test's size: above 256 features PCA is Householder + QL (pca.cpp), still
  // fixed-order arithmetic, so the 50-D input and the layout have the same bits on both platforms.
  Rng rng(31);
  Mat x(150, 300);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = Scalar(rng_normal(rng) * 4.0 / (1 + j % 40) + ((i % 3) == (j % 3) ? 2.0 : 0.0));
  Pca pca;
  REQUIRE(pca_fit(x, 50, pca));
  const Mat x50 = pca_transform(pca, x);
  TsneParams p;
  p.method = TsneMethod::BarnesHut;
  p.perplexity = 10;
  auto [t, st] = tsne_init(x50, p);
  REQUIRE(st);
  for (int i = 0; i < 30; ++i) tsne_step(t);
  if (std::getenv("LAB_PRINT_PINNED")) std::printf("pinned 300 features: %.17g %.17g\n", t.y(0, 0), t.y(77, 1));
  CHECK(t.y(0, 0) == PIN_300_Y00);
  CHECK(t.y(77, 1) == PIN_300_Y771);
}

TEST_CASE("tsne: each point's bandwidth gives the requested perplexity") {
  const Mat x = three_clusters(20, 3);
  for (double perplexity : {2.0, 5.0, 15.0}) {
    TsneParams p;
    p.perplexity = perplexity;
    p.method = TsneMethod::Exact;
    auto [s, st] = tsne_init(x, p);
    REQUIRE(st);
    for (int i : {0, 17, 59}) {
      // entropy of p_{j|i} ~ exp(-|x_i - x_j|^2 / (2 sigma_i^2)) over all j != i, in nats
      std::vector<double> w;
      double sum = 0;
      for (int j = 0; j < 60; ++j) {
        if (j == i) continue;
        const double d2 = (x.row(i) - x.row(j)).cast<double>().squaredNorm();
        w.push_back(std::exp(-d2 / (2 * s.sigma[i] * s.sigma[i])));
        sum += w.back();
      }
      double h = 0;
      for (double v : w)
        if (v > 0) h -= (v / sum) * std::log(v / sum);
      CHECK(std::exp(h) == doctest::Approx(perplexity).epsilon(1e-3));
    }
  }
}

TEST_CASE("tsne: initialisation") {
  const Mat x = three_clusters(10, 6);
  TsneParams p;
  p.perplexity = 5;
  auto [s, st] = tsne_init(x, p);
  REQUIRE(st);
  const double m = s.y.col(0).mean();
  const double sd = std::sqrt((s.y.col(0).array() - m).square().mean());
  CHECK(sd == doctest::Approx(1e-4).epsilon(1e-6));  // PCA init scaled as scikit-learn does
  CHECK(s.y.rows() == 30);
  CHECK(s.y.cols() == 2);
  p.init = TsneInit::Random;
  auto [r, rt] = tsne_init(x, p);
  REQUIRE(rt);
  CHECK(r.y.cwiseAbs().maxCoeff() < 1e-3);
  CHECK(r.y.cwiseAbs().maxCoeff() > 1e-5);
}

TEST_CASE("tsne: bad input gives clear messages") {
  const Mat x = three_clusters(10, 7);
  TsneParams p;
  p.perplexity = 5;
  auto message = [](const Mat& data, const TsneParams& params) {
    auto [s, st] = tsne_init(data, params);
    CHECK_FALSE(st.ok);
    return st.message;
  };
  CHECK(message(x.topRows(3), p).find("at least 4 points") != std::string::npos);
  TsneParams big = p;
  big.perplexity = 30;
  big.method = TsneMethod::Exact;
  CHECK(message(x, big).find("less than the number of points (30)") != std::string::npos);
  big.method = TsneMethod::BarnesHut;
  big.perplexity = 10;
  CHECK(message(x, big).find("perplexity < (N-1)/3") != std::string::npos);
  TsneParams tiny = p;
  tiny.perplexity = 0.5;
  CHECK(message(x, tiny).find("at least 1") != std::string::npos);
  CHECK(message(Mat::Constant(20, 4, 3.0f), p).find("identical") != std::string::npos);
  Mat nan = x;
  nan(4, 2) = NAN;
  CHECK(message(nan, p).find("row 5, column 3 is NaN") != std::string::npos);
  Mat inf = x;
  inf(0, 0) = -INFINITY;
  CHECK(message(inf, p).find("infinite") != std::string::npos);
  TsneParams bad_theta = p;
  bad_theta.theta = -1;
  CHECK(message(x, bad_theta).find("theta") != std::string::npos);
  for (double spacing : {0.0, -1.0, double(NAN), double(INFINITY)}) {
    TsneParams bad_spacing = p;
    bad_spacing.fft_spacing = spacing;
    CHECK(message(x, bad_spacing).find("FFT grid spacing must be > 0") != std::string::npos);
  }
  big.method = TsneMethod::Fft;
  CHECK(message(x, big).find("the FFT method needs perplexity < (N-1)/3") != std::string::npos);
}

TEST_CASE("tsne: duplicates and extreme scales stay finite") {
  Mat x = three_clusters(20, 8);
  x.row(1) = x.row(0);
  x.row(2) = x.row(0);  // three identical points
  for (double scale : {1e-6, 1.0, 1e6}) {
    for (TsneMethod m : {TsneMethod::Exact, TsneMethod::BarnesHut}) {
      TsneParams p;
      p.perplexity = 5;
      p.method = m;
      p.init = TsneInit::Random;
      p.learning_rate = 5;  // N / 12: stable early exaggeration for N = 60
      auto [s, st] = tsne_init(Mat(x * Scalar(scale)), p);
      REQUIRE(st);
      for (double v : s.p_val) REQUIRE(std::isfinite(v));
      for (int i = 0; i < 400; ++i) tsne_step(s);
      CHECK(s.y.allFinite());
      CHECK(std::isfinite(tsne_kl(s)));
      // the duplicates end up as each other's nearest neighbours
      Knn knn;
      REQUIRE(knn_search(tsne_embedding(s), 2, Measure::Euclidean, knn));
      CHECK(std::min(knn.neighbour(0, 0), knn.neighbour(0, 1)) == 1);
      CHECK(std::max(knn.neighbour(0, 0), knn.neighbour(0, 1)) == 2);
    }
  }
}

TEST_CASE("tsne: the optimiser restarts when early exaggeration ends (scikit-learn), unless told not to") {
  const Mat x = three_clusters(8, 3);
  TsneParams p;
  p.perplexity = 5;
  p.init = TsneInit::Random;
  p.exaggeration_iterations = 5;
  p.momentum_switch_iteration = 5;
  auto [a, sa] = tsne_init(x, p);
  p.restart_after_exaggeration = false;
  auto [b, sb] = tsne_init(x, p);
  REQUIRE(sa);
  REQUIRE(sb);
  for (int i = 0; i < 5; ++i) {
    tsne_step(a);
    tsne_step(b);
  }
  CHECK(a.y == b.y);  // identical during the exaggeration
  CHECK((a.gains.array() != 1.0).any());
  tsne_step(a);
  tsne_step(b);
  // Restarted: every gain was reset to 1 and then moved once, to 1 + 0.2 or 1 x 0.8.
  CHECK((a.gains.array() == 1.2 || a.gains.array() == 0.8).all());
  CHECK_FALSE((b.gains.array() == 1.2 || b.gains.array() == 0.8).all());
  CHECK_FALSE(a.y == b.y);
}

TEST_CASE("tsne: the initialisation in slices is bit-identical to tsne_init") {
  // 450 points: the neighbour search spans two blocks of queries (kKnnBlock = 256).
  const Mat x = three_clusters(150, 9);
  auto same = [](const TsneState& a, const TsneState& b) {
    CHECK(a.method == b.method);
    CHECK(a.n == b.n);
    CHECK(a.learning_rate == b.learning_rate);
    CHECK(a.y == b.y);
    CHECK(a.update == b.update);
    CHECK(a.gains == b.gains);
    CHECK(a.p_row == b.p_row);
    CHECK(a.p_col == b.p_col);
    CHECK(a.p_val == b.p_val);
    CHECK(a.sigma == b.sigma);
    CHECK(a.pu_row == b.pu_row);
    CHECK(a.pu_col == b.pu_col);
    CHECK(a.pu_val == b.pu_val);
    CHECK(a.p_log_p == b.p_log_p);
  };
  for (TsneMethod method : {TsneMethod::Exact, TsneMethod::BarnesHut}) {
    for (TsneInit init : {TsneInit::Pca, TsneInit::Random}) {
      TsneParams p;
      p.perplexity = 20;
      p.method = method;
      p.init = init;
      p.seed = 3;
      CAPTURE(tsne_method_name(method));
      CAPTURE(tsne_init_name(init));
      auto [whole, st] = tsne_init(x, p);
      REQUIRE(st);
      for (double budget : {0.0, 0.05}) {
        CAPTURE(budget);
        TsneState s;
        REQUIRE(tsne_init_begin(s, x, p));
        CHECK_FALSE(tsne_init_done(s));
        int calls = 0;
        std::vector<std::string> stages;
        double last_fraction = -1;
        while (!tsne_init_done(s)) {
          const TsneInitProgress pr = tsne_init_progress(s);
          if (stages.empty() || stages.back() != pr.stage) {
            stages.emplace_back(pr.stage);
            last_fraction = -1;
          }
          CHECK(pr.fraction >= last_fraction);  // progress never goes back within a stage
          CHECK(pr.fraction <= 1.0);
          last_fraction = pr.fraction;
          REQUIRE(tsne_init_step(s, budget));
          ++calls;
        }
        CHECK(calls > (budget == 0 ? 450 : 1));  // budget 0: one piece per call, at least a point each
        const std::vector<std::string> expected =
            method == TsneMethod::Exact
                ? std::vector<std::string>{"fitting bandwidths", "joint probabilities"}
                : std::vector<std::string>{"finding neighbours", "fitting bandwidths", "joint probabilities"};
        std::vector<std::string> all = expected;
        all.emplace_back(init == TsneInit::Pca ? "PCA start" : "random start");
        if (budget == 0) {
          CHECK(stages == all);  // one piece per call: every stage is seen
        } else {
          // A call may finish one stage and do all of a short next one within its budget: the stages
          // seen are then some of them, in order.
          auto it = all.begin();
          for (const std::string& st : stages) {
            it = std::find(it, all.end(), st);
            CHECK_MESSAGE(it != all.end(), "stage '" << st << "' out of order");
            if (it == all.end()) break;
            ++it;
          }
        }
        CHECK(tsne_init_progress(s).fraction == 1.0);
        same(s, whole);
        // ... and so are the steps that follow
        TsneState t = whole;
        for (int i = 0; i < 5; ++i) {
          tsne_step(s);
          tsne_step(t);
        }
        CHECK(s.y == t.y);
      }
    }
  }
  // Invalid input fails at tsne_init_begin, with tsne_init's message, and the state is done (failed).
  TsneParams p;
  p.perplexity = 5;
  const Mat same_points = Mat::Constant(30, 3, 1.0f);
  TsneState s;
  const Status st = tsne_init_begin(s, same_points, p);
  CHECK_FALSE(st.ok);
  CHECK(st.message == tsne_init(same_points, p).second.message);
  CHECK(tsne_init_done(s));
  CHECK(s.init.stage == TsneInitStage::Failed);
  CHECK_FALSE(tsne_init_step(s, 1.0).ok);
}
