// embedlab pca: PCA of a labelled CSV file or of IDX images (MNIST-style), written as label,x,y[,z] in
// input order.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/embed_io.h"
#include "core/embed/pca.h"
#include "core/embed/quality.h"

namespace lab::cli {

namespace {

const char* kPcaUsage =
    "usage: embedlab pca --input X.csv --output Y.csv [--components 2|3]\n"
    "       embedlab pca --input IMAGES-idx3-ubyte[.gz] --labels LABELS-idx1-ubyte[.gz] --output Y.csv\n"
    "       embedlab pca --input vectors.tsv [--metadata metadata.tsv [--label-column NAME]] --output Y.csv\n"
    "\n"
    "Projects the rows of X.csv on their principal axes. Input rows are label,f1,...,fD (a header\n"
    "line is optional and detected); or IDX images (MNIST, Fashion-MNIST: one row per image, pixels\n"
    "/ 255) with their IDX labels. Either file may be gzip'd. Output rows are label,x,y (or\n"
    "label,x,y,z) in input order.\n"
    "Signs are fixed (each axis's largest loading is positive), so plots do not flip between runs.\n"
    "Prints the explained-variance ratios and the trustworthiness(10) of the projection.\n"
    "\n"
    "options:\n"
    "  --input FILE        labelled CSV, or IDX images (required)\n"
    "  --labels FILE       the IDX labels of IDX images (required with them)\n"
    "  --metadata FILE     the Embedding Projector metadata.tsv of a vectors.tsv input (the labels)\n"
    "  --label-column NAME the metadata column to use as labels (default: the first with 2-50 values)\n"
    "  --output FILE       where to write the projection (required)\n"
    "  --components K      2 or 3 (default 2)\n"
    "  --help              show this text\n"
    "\n"
    "exit status: 0 success, 1 bad input data or file, 2 bad options\n";


}  // namespace

int cmd_pca(Args args) {
  using namespace lab::core;
  std::string input, output, labels, metadata, label_column;
  int components = 2;
  const int st = options_walk("pca", args, kPcaUsage, [&](std::string_view a, std::string_view v) -> std::string {
    long long n = 0;
    if (a == "--input") input = std::string(v);
    else if (a == "--output") output = std::string(v);
    else if (a == "--labels") labels = std::string(v);
    else if (a == "--metadata") metadata = std::string(v);
    else if (a == "--label-column") label_column = std::string(v);
    else if (a != "--components") return unknown_option(a);
    else if (!flag_int(v, n) || (n != 2 && n != 3)) return "--components must be 2 or 3, got '" + std::string(v) + "'";
    else components = int(n);
    return {};
  });
  if (st >= 0) return st;
  if (input.empty()) return usage_error("pca", "--input FILE is required", kPcaUsage);
  if (output.empty()) return usage_error("pca", "--output FILE is required", kPcaUsage);

  LabeledData data;
  if (!embed_table_read("pca", input, labels, data, metadata, label_column)) return 1;
  if (data.x.cols() < components) {
    std::fprintf(stderr, "embedlab pca: %s: %d components need at least %d features, the file has %d\n", input.c_str(),
                 components, components, int(data.x.cols()));
    return 1;
  }
  Pca pca;
  if (Status s = pca_fit(data.x, components, pca); !s) {  // also refuses a D x D over the memory budget
    std::fprintf(stderr, "embedlab pca: %s: %s\n", input.c_str(), s.message.c_str());
    return 1;
  }
  const Mat y = pca_transform(pca, data.x);
  if (!embed_table_write("pca", output, data, y)) return 1;
  std::printf("PCA: %d points, %d features, %d components\n", int(data.x.rows()), int(data.x.cols()), components);
  std::printf("explained variance ratio:");
  for (int c = 0; c < components; ++c) std::printf(" %.6f", double(pca.explained_variance_ratio[c]));
  std::printf(" (total %.6f)\n", double(pca.explained_variance_ratio.sum()));
  const int k = std::min<int>(10, int(data.x.rows() - 1) / 2);
  double trust = 0;
  if (k >= 1) {
    if (const Status st = trustworthiness_compute(data.x, y, k, trust); st)
      std::printf("trustworthiness(%d): %.6f\n", k, trust);
    else
      std::fprintf(stderr, "embedlab pca: trustworthiness not measured: %s\n", st.message.c_str());
  }
  return 0;
}

}  // namespace lab::cli
