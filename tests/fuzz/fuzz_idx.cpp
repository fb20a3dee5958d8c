// libFuzzer target: the IDX reader behind `embedlab tsne|pca --input IMAGES --labels LABELS` (MNIST,
// Fashion-MNIST) and the gzip inflation in front of it. Each input is read as images and as labels;
// a gzip'd input is inflated (with a 1 MiB limit, so a small input cannot ask for gigabytes) and the
// result read the same way. Images that parse are turned into the labelled table PCA and t-SNE get.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/data/gzip.h"
#include "core/data/idx.h"

namespace {

void check_idx(std::string_view bytes) {
  using namespace lab::core;
  IdxImages images;
  const Status st = idx_images_parse(bytes, "fuzz", images);
  if (!st.ok && st.message.empty()) __builtin_trap();  // every failure says why
  if (st.ok) {
    // A successful parse is self-consistent, and its table holds every pixel in [0, 1].
    if (images.n < 1 || images.rows < 1 || images.cols < 1) __builtin_trap();
    if (images.pixels.size() != size_t(images.n) * size_t(images.rows) * size_t(images.cols)) __builtin_trap();
    LabeledData table;
    if (!idx_labeled_data(images, "fuzz", std::vector<uint8_t>(size_t(images.n), 1), "labels", table).ok) __builtin_trap();
    if (table.x.rows() != images.n || table.x.cols() != Index(images.rows) * images.cols) __builtin_trap();
    if (table.x.size() > 0 && !(table.x.minCoeff() >= 0 && table.x.maxCoeff() <= 1)) __builtin_trap();
    if (idx_labeled_data(images, "fuzz", {}, "labels", table).ok) __builtin_trap();  // N mismatch must fail
  }
  std::vector<uint8_t> labels;
  const Status lst = idx_labels_parse(bytes, "fuzz", labels);
  if (!lst.ok && lst.message.empty()) __builtin_trap();
  if (lst.ok && (labels.empty() || labels.size() + 8 != bytes.size())) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_idx(bytes);
  if (lab::core::gzip_is(bytes)) {
    std::string inflated;
    const lab::core::Status st = lab::core::gzip_inflate(bytes, "fuzz.gz", inflated, 1 << 20);
    if (!st.ok && st.message.empty()) __builtin_trap();
    if (!st.ok && !inflated.empty()) __builtin_trap();  // a failure leaves nothing half-inflated
    if (st.ok) check_idx(inflated);
  }
  return 0;
}
