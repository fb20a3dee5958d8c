// IDX files (the MNIST / Fashion-MNIST format, http://yann.lecun.com/exdb/mnist/) from bytes already in
// memory: the caller reads the file and, if it is gzip'd, inflates it first (core/data/gzip.h).
//   idx3 images: 00 00 08 03, then N, rows, cols (big-endian int32), then N x rows x cols unsigned
//                bytes, one image after another, each row by row (0 = background)
//   idx1 labels: 00 00 08 01, then N, then N unsigned bytes
// Only unsigned-byte data (type 0x08) is read: that is what MNIST-style image sets use. Every error
// names the file and the byte offset it is about ("t10k.gz (decompressed): byte 4: ..."), and sizes are
// checked against the header and the lab's memory budget (core/memory_budget.h) before anything is
// allocated.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/data/labeled_csv.h"
#include "core/status.h"

namespace lab::core {

struct IdxImages {
  int32_t n = 0;                // number of images
  int32_t rows = 0, cols = 0;   // each image is rows x cols pixels
  std::vector<uint8_t> pixels;  // (n, rows * cols) row-major: image i's pixel (r, c) at i*rows*cols + r*cols + c
};

// True when `bytes` start like an IDX file of unsigned bytes (00 00 08, any number of dimensions).
bool idx_is(std::string_view bytes);

// `name` is how messages refer to the file (a path, or "path (decompressed)").
Status idx_images_parse(std::string_view bytes, std::string_view name, IdxImages& out);
Status idx_labels_parse(std::string_view bytes, std::string_view name, std::vector<uint8_t>& out);

// Images and their labels as a labelled table for PCA / t-SNE: one row per image, features the
// pixels scaled to [0, 1] (value / 255) and named r1c1 .. r28c28, label text "0".."255" and class
// ids the label values. Error if the two files hold different numbers of items.
Status idx_labeled_data(const IdxImages& images, std::string_view images_name, const std::vector<uint8_t>& labels,
                        std::string_view labels_name, LabeledData& out);

}  // namespace lab::core
