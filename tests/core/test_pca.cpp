#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/embed/pca.h"
#include "core/rng.h"

using namespace lab::core;

TEST_CASE("pca: recovers a planted axis, variance ratios, sign convention") {
  // 500 points spread along (1, 2, -2)/3 with std 5, plus isotropic noise of std 0.1, offset by 7.
  Rng rng(11);
  const Vec axis = (Vec(3) << 1, 2, -2).finished() / 3;
  Mat x(500, 3);
  for (Index i = 0; i < 500; ++i) {
    const double t = 5 * rng_normal(rng);
    for (Index j = 0; j < 3; ++j) x(i, j) = Scalar(7 + t * axis[j] + 0.1 * rng_normal(rng));
  }
  Pca pca;
  REQUIRE(pca_fit(x, 2, pca));
  CHECK(std::abs(pca.axes.col(0).dot(axis)) > 0.9999);
  CHECK(pca.explained_variance_ratio[0] > 0.99);
  CHECK(pca.explained_variance_ratio[1] < 0.01);
  CHECK(pca.explained_variance[0] == doctest::Approx(25).epsilon(0.15));
  CHECK(pca.mean[0] == doctest::Approx(7 + 0).epsilon(0.1));
  // largest-|loading| entry positive: here that is the 2 or the -2 entry of the axis
  Index arg;
  pca.axes.col(0).cwiseAbs().maxCoeff(&arg);
  CHECK(pca.axes(arg, 0) > 0);
  CHECK(pca.axes.col(0).norm() == doctest::Approx(1));
  CHECK(std::abs(pca.axes.col(0).dot(pca.axes.col(1))) < 1e-5);

  // flipping the data does not flip the plot
  Pca flipped;
  REQUIRE(pca_fit(-x, 2, flipped));
  CHECK((flipped.axes - pca.axes).cwiseAbs().maxCoeff() < 1e-4);

  const Mat y = pca_transform(pca, x);
  REQUIRE(y.rows() == 500);
  REQUIRE(y.cols() == 2);
  CHECK(std::abs(y.col(0).mean()) < 1e-3);
}

TEST_CASE("pca: 3 components and bad input") {
  Rng rng(2);
  Mat x(50, 4);
  for (Index i = 0; i < 50; ++i)
    for (Index j = 0; j < 4; ++j) x(i, j) = Scalar((j + 1) * rng_normal(rng));
  Pca pca;
  REQUIRE(pca_fit(x, 3, pca));
  CHECK(pca.explained_variance[0] >= pca.explained_variance[1]);
  CHECK(pca.explained_variance[1] >= pca.explained_variance[2]);
  CHECK(pca.explained_variance_ratio.sum() <= 1.0001);
  CHECK_FALSE(pca_fit(x, 5, pca).ok);
  CHECK_FALSE(pca_fit(x, 0, pca).ok);
  CHECK_FALSE(pca_fit(x.topRows(1), 1, pca).ok);
  x(3, 3) = INFINITY;
  const Status s = pca_fit(x, 2, pca);
  CHECK_FALSE(s.ok);
  CHECK(s.message.find("infinite") != std::string::npos);
  // constant data: zero variance, no NaN
  REQUIRE(pca_fit(Mat::Constant(10, 3, 2.5f), 2, pca));
  CHECK(pca.explained_variance_ratio.allFinite());
}

TEST_CASE("pca: agrees with Eigen's eigensolver, including repeated eigenvalues") {
  Rng rng(5);
  for (int d : {1, 2, 7, 40}) {
    Mat x(300, d);
    for (Index i = 0; i < x.rows(); ++i)
      for (Index j = 0; j < d; ++j) x(i, j) = Scalar((1 + j % 3) * rng_normal(rng));  // eigenvalues come in near-ties
    if (d > 2) x.col(d - 1) = x.col(0) * 2;  // a rank deficiency: one eigenvalue is 0
    Pca pca;
    REQUIRE(pca_fit(x, d, pca));
    const MatD xc = x.cast<double>().rowwise() - x.cast<double>().colwise().mean();
    const MatD cov = xc.transpose() * xc / double(x.rows() - 1);
    Eigen::SelfAdjointEigenSolver<MatD> eig(cov);
    for (int c = 0; c < d; ++c) {
      CAPTURE(d);
      CAPTURE(c);
      CHECK(pca.explained_variance[c] == doctest::Approx(eig.eigenvalues()[d - 1 - c]).epsilon(1e-5).scale(1e-6));
      // a unit eigenvector: |C v| = lambda |v|
      const VecD v = pca.axes.col(c).cast<double>();
      CHECK(v.norm() == doctest::Approx(1).epsilon(1e-6));
      CHECK((cov * v - double(pca.explained_variance[c]) * v).norm() < 1e-4 * (1 + cov.norm()));
    }
  }
}

TEST_CASE("pca: pinned values identical natively and in WASM") {
  // Mean, covariance, the Jacobi eigen-decomposition and the projection use only + - * / sqrt in a
  // fixed order, so a PCA plot (and a t-SNE started from it) has the same bits on every platform.
  Rng rng(17);
  Mat x(200, 12);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = Scalar(rng_normal(rng) * (1 + j) + (i % 3) * (j % 4));
  Pca pca;
  REQUIRE(pca_fit(x, 2, pca));
  const Mat y = pca_transform(pca, x);
  if (std::getenv("LAB_PRINT_PINNED"))
    std::printf("pinned pca: %.9g %.9g %.9g %.9g\n", double(pca.axes(3, 0)), double(pca.explained_variance[1]),
                double(y(7, 0)), double(y(150, 1)));
  CHECK(pca.axes(3, 0) == 0.0701920614f);  // floats, printed with %.9g: exact
  CHECK(pca.explained_variance[1] == 121.160439f);
  CHECK(y(7, 0) == 12.5667114f);
  CHECK(y(150, 1) == -5.22002506f);
}

TEST_CASE("pca: above 256 features (Householder + QL) the same axes as Eigen's solver, and pinned bits") {
  // 400 rows of 300 features with a decaying spectrum, as image data has.
  Rng rng(29);
  Mat x(400, 300);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = Scalar(rng_normal(rng) * 30.0 / (1 + j) + (i % 7) * (j % 5) * 0.1);
  Pca pca;
  REQUIRE(pca_fit(x, 10, pca));
  // The reference: Eigen's solver on the same covariance (not bit-identical across platforms).
  const Eigen::MatrixXd xd = x.cast<double>();
  const Eigen::MatrixXd centred = xd.rowwise() - xd.colwise().mean();
  const Eigen::MatrixXd cov = centred.transpose() * centred / double(x.rows() - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  REQUIRE(eig.info() == Eigen::Success);
  for (int c = 0; c < 10; ++c) {
    CAPTURE(c);
    const double want = eig.eigenvalues()[299 - c];
    CHECK(double(pca.explained_variance[c]) == doctest::Approx(want).epsilon(1e-5));
    const Eigen::VectorXd axis = pca.axes.col(c).cast<double>();
    CHECK(std::abs(axis.dot(eig.eigenvectors().col(299 - c))) == doctest::Approx(1.0).epsilon(1e-5));
    CHECK((cov * axis - want * axis).norm() <= 1e-5 * want);  // an eigenvector of the covariance
  }
  // Pinned: native and WASM suites both hold these, so the two platforms agree to the bit.
  const Mat y = pca_transform(pca, x);
  if (std::getenv("LAB_PRINT_PINNED"))
    std::printf("pinned pca 300: %.9g %.9g %.9g %.9g\n", double(pca.axes(4, 0)), double(pca.explained_variance[3]),
                double(y(11, 0)), double(y(333, 9)));
  CHECK(pca.axes(4, 0) == -0.0176037438f);  // floats, printed with %.9g: exact
  CHECK(pca.explained_variance[3] == 74.3178482f);
  CHECK(y(11, 0) == 1.99916649f);
  CHECK(y(333, 9) == -2.00918674f);
}

TEST_CASE("pca: in pieces (pca_fit_begin/continue, pca_transform_rows), bounded work per piece, same bits") {
  // 600 rows of 300 features (Eigen's solver, above Jacobi's 256): the covariance is 600 x 45,150
  // multiply-adds, so a piece of kPcaPieceWork covers ~88 rows and the fit takes several pieces.
  Rng rng(23);
  Mat x(600, 300);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = Scalar(rng_normal(rng) * (1 + j % 7) + (i % 5) * (j % 3));
  Pca whole;
  REQUIRE(pca_fit(x, 5, whole));

  PcaJob job;
  REQUIRE(pca_fit_begin(x, 5, job));
  Pca pieces;
  int calls = 0;
  double last_progress = -1;
  while (!pca_fit_continue(x, pieces, job)) {
    ++calls;
    if (job.stage != PcaJob::Stage::Decomposition) {
      CHECK(job.progress(x.rows()) > last_progress);
      last_progress = job.progress(x.rows());
    }
  }
  REQUIRE(job.status);
  const double per_row = 0.5 * 300 * 301;
  CHECK(calls >= int(600 * per_row / kPcaPieceWork));  // the covariance alone needs this many pieces
  CHECK(calls <= int(600 * per_row / kPcaPieceWork) + 6);
  CHECK(pieces.axes == whole.axes);
  CHECK(pieces.explained_variance == whole.explained_variance);
  CHECK(pieces.mean == whole.mean);

  Mat y(x.rows(), 5);
  pca_transform_rows(pieces, x, 0, 250, y);
  pca_transform_rows(pieces, x, 250, x.rows(), y);
  CHECK(y == pca_transform(whole, x));

  // Refusals come from begin, before any work.
  CHECK_FALSE(pca_fit_begin(x.topRows(1), 1, job).ok);
  CHECK_FALSE(pca_fit_begin(x, 301, job).ok);
}
