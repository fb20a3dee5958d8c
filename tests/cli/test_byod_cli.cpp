// The student's own vectors (issue #20 item 3): an Embedding Projector pair given to a projection
// block (as a drop does) and to `embedlab tsne --input vectors.tsv --metadata metadata.tsv` gives the
// same picture and the same quality numbers for the same files and seed.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "core/embed/quality.h"
#include "core/rng.h"
#include "runtime/blocks/projection.h"
#include "runtime/block_test_util.h"

using namespace lab;

namespace {

// Three Gaussian clusters of 40 points in 6-D, seeded; metadata: a name per point and its cluster.
void write_pair(const std::string& dir, std::string& vectors, std::string& metadata) {
  core::Rng rng(11);
  std::string v, m = "name\tcluster\n";
  char buf[32];
  for (int i = 0; i < 120; ++i) {
    const int c = i % 3;
    for (int j = 0; j < 6; ++j) {
      std::snprintf(buf, sizeof buf, j ? "\t%.6f" : "%.6f", (j == c ? 6.0 : 0.0) + core::rng_normal(rng));
      v += buf;
    }
    v += '\n';
    m += "p" + std::to_string(i) + "\t" + std::string(1, char('A' + c)) + "\n";
  }
  std::filesystem::create_directories(dir);
  vectors = dir + "/vectors.tsv";
  metadata = dir + "/metadata.tsv";
  std::ofstream(vectors) << v;
  std::ofstream(metadata) << m;
}


// Clears the process-wide user data whatever happens (other tests expect the lessons' data).
struct UserDataReset {
  ~UserDataReset() { runtime::projection_user_data_set(nullptr); }
};

}  // namespace

TEST_CASE("byod: a Projector pair gives the same t-SNE and metrics in a projection block and in the CLI") {
  const std::string dir = std::string(LAB_GEN_DIR) + "/byod_cli";
  std::string vectors, metadata;
  write_pair(dir, vectors, metadata);
  UserDataReset reset;

  // The page's path: the files' texts, as dropped, become the projection's data.
  std::shared_ptr<const runtime::ProjectionUserData> u;
  const core::Status st = runtime::projection_user_data_parse("vectors.tsv", lab::test::read_file(vectors), "metadata.tsv", lab::test::read_file(metadata), u);
  REQUIRE_MESSAGE(st.ok, st.message);
  REQUIRE(u->x.rows() == 120);
  const int colour = core::projector_default_column(u->meta);
  CHECK(u->meta.header[size_t(colour)] == "cluster");  // "name" tells every point apart
  runtime::projection_user_data_set(u, colour);
  auto e = test::make("projection", "data: digits\nmethod: tsne\niterations: 300\nseed: 3\ninit: random\n");
  auto* p = dynamic_cast<runtime::ProjectionExperiment*>(e.get());
  REQUIRE(p);
  CHECK(p->x.rows() == 120);  // the user's vectors, not the 1797 digits
  const runtime::DataSetInfo info = p->data_set();
  CHECK(info.name == "vectors.tsv + metadata.tsv");
  CHECK(info.points == 120);
  CHECK(info.dims == 6);
  test::run_to_end(*e);
  const core::Mat y_block = p->layout(0);

  // The CLI with the block's settings: perplexity 30, learning rate N / 12 = 10 below 600 points,
  // exact gradients up to 200 points, random start with the same seed.
  const std::string out = dir + "/tsne.csv";
  std::filesystem::remove(out);
  REQUIRE(test::run_cli({"tsne", "--input", vectors, "--metadata", metadata, "--output", out, "--perplexity", "30",
                         "--iterations", "300", "--seed", "3", "--init", "random", "--learning-rate", "10", "--method",
                         "exact"}) == 0);
  core::LabeledData cli;
  core::CsvError where;
  REQUIRE(core::labeled_csv_parse(lab::test::read_file(out), cli, &where).ok);
  REQUIRE(cli.x.rows() == 120);
  double max_diff = 0;
  for (core::Index i = 0; i < 120; ++i)
    for (core::Index j = 0; j < 2; ++j) max_diff = std::max(max_diff, double(std::abs(cli.x(i, j) - y_block(i, j))));
  CHECK(max_diff < 1e-4);  // the CSV holds 9 significant digits
  CHECK(cli.label_text[0] == "A");  // the CLI labels points by the same column

  double trust = 0, acc = 0;
  REQUIRE(core::trustworthiness_compute(u->x, cli.x, 10, trust).ok);
  REQUIRE(core::knn_accuracy_compute(cli.x, p->labels, 5, acc).ok);
  CHECK(trust == doctest::Approx(test::metric(*e, "trustworthiness")).epsilon(1e-6));
  CHECK(acc == doctest::Approx(test::metric(*e, "knn_accuracy")).epsilon(1e-6));
  CHECK(test::metric(*e, "knn_accuracy") > 0.95);  // three separated clusters stay apart

  // Colouring by another column measures the label metrics again, the picture stays.
  p->colour_by(0);  // "name": every point its own group
  CHECK(p->group_names.size() == 120);
  test::run_to_end(*e);
  CHECK(p->layout(0) == y_block);
  CHECK(test::metric(*e, "knn_accuracy") < 0.05);
}

TEST_CASE("byod: bad files are refused naming FILE:LINE and leave the data as it was") {
  UserDataReset reset;
  std::shared_ptr<const runtime::ProjectionUserData> u;
  core::Status st = runtime::projection_user_data_parse("vectors.tsv", "1\t2\n3\tx\n4\t5\n", "", "", u);
  CHECK(st.message.find("vectors.tsv:2: column 2: 'x' is not a number") == 0);
  st = runtime::projection_user_data_parse("my.csv", "a,1,2\nb,3\n", "", "", u);
  CHECK(st.message.find("my.csv:2: expected 3 fields") == 0);
  st = runtime::projection_user_data_parse("vectors.tsv", "1\t2\n3\t4\n4\t5\n", "metadata.tsv", "a\nb\n", u);
  CHECK(st.message.find("metadata.tsv: 2 rows of metadata but 3 vectors") == 0);
  CHECK_FALSE(u);
  // The CLI: exit 1 with the same FILE:LINE message on stderr, 2 for flags that do not fit.
  const std::string dir = std::string(LAB_GEN_DIR) + "/byod_cli_bad";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/bad.tsv") << "1\t2\n3\tx\n";
  CHECK(test::run_cli({"tsne", "--input", dir + "/bad.tsv", "--output", dir + "/o.csv"}) == 1);
  CHECK(test::run_cli({"pca", "--input", dir + "/bad.tsv", "--output", dir + "/o.csv"}) == 1);
  std::ofstream(dir + "/ok.tsv") << "1\t2\n3\t4\n5\t7\n6\t1\n";
  CHECK(test::run_cli({"pca", "--input", dir + "/ok.tsv", "--output", dir + "/o.csv"}) == 0);
  CHECK(test::run_cli({"pca", "--input", dir + "/ok.tsv", "--label-column", "x", "--output", dir + "/o.csv"}) == 1);
}
