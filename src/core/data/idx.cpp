#include "core/data/idx.h"

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/data/gzip.h"
#include "core/memory_budget.h"

namespace lab::core {

namespace {

std::string hex_bytes(std::string_view b, size_t count) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < count && i < b.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02x", unsigned(uint8_t(b[i])));
    if (!s.empty()) s += ' ';
    s += buf;
  }
  return s.empty() ? "nothing" : s;
}

Status fail_at(std::string_view name, int64_t offset, const std::string& msg) {
  return Status::error(std::string(name) + ": byte " + std::to_string(offset) + ": " + msg);
}

uint32_t be32(std::string_view b, size_t at) {
  return uint32_t(uint8_t(b[at])) << 24 | uint32_t(uint8_t(b[at + 1])) << 16 | uint32_t(uint8_t(b[at + 2])) << 8 |
         uint32_t(uint8_t(b[at + 3]));
}

// Checks the magic for `dims` dimensions and reads the dimensions into `size`.
Status header_read(std::string_view b, std::string_view name, int dims, const char* what, std::vector<int64_t>& size) {
  static const char* const kTypes[] = {"unsigned bytes", "signed bytes", "?", "16-bit integers",
                                       "32-bit integers", "32-bit floats", "64-bit floats"};
  if (b.size() < 4 || b[0] != 0 || b[1] != 0 || uint8_t(b[2]) != 0x08 || uint8_t(b[3]) != dims) {
    std::string msg = "expected an IDX file of " + std::string(what) + " (magic 00 00 08 0" + std::to_string(dims) +
                      "), found " + hex_bytes(b, 4);
    const uint8_t type = b.size() >= 4 ? uint8_t(b[2]) : 0, found_dims = b.size() >= 4 ? uint8_t(b[3]) : 0;
    const bool idx = b.size() >= 4 && b[0] == 0 && b[1] == 0;
    if (gzip_is(b)) msg += ": the data is gzip'd; decompress it first";
    else if (idx && type == 0x08)
      msg += " (an IDX file with " + std::to_string(found_dims) + " dimensions: images have 3, labels 1)";
    else if (idx && type >= 0x09 && type <= 0x0e && type != 0x0a)
      msg += std::string(" (an IDX file of ") + kTypes[type - 0x08] + "; EmbedLab reads unsigned bytes only)";
    return fail_at(name, b.size() < 4 ? int64_t(b.size()) : 0, msg);
  }
  const size_t data_at = 4 + 4 * size_t(dims);
  if (b.size() < data_at)
    return fail_at(name, int64_t(b.size()),
                   "the file ends inside its header (" + std::to_string(b.size()) + " bytes; the header of " +
                       std::to_string(dims) + " dimension" + (dims > 1 ? "s" : "") + " is " + std::to_string(data_at) + ")");
  size.clear();
  for (int d = 0; d < dims; ++d) {
    const uint32_t v = be32(b, 4 + 4 * size_t(d));
    if (v == 0 || v > uint32_t(INT32_MAX))
      return fail_at(name, 4 + 4 * d,
                     "dimension " + std::to_string(d + 1) + " is " + std::to_string(v) +
                         (v == 0 ? ", expected at least 1" : ", not a size (over 2^31 - 1)"));
    size.push_back(int64_t(v));
  }
  return Status::success();
}

// Checks that exactly the product of `size` data bytes follow the header.
Status data_check(std::string_view b, std::string_view name, const std::vector<int64_t>& size, const char* what) {
  const size_t data_at = 4 + 4 * size.size();
  double count = 1;  // at most (2^31)^3: exact enough in a double to compare with a file's size
  std::string shape;
  for (int64_t v : size) {
    count *= double(v);
    if (!shape.empty()) shape += " x ";
    shape += std::to_string(v);
  }
  if (size.size() > 1) shape += " = " + memory_shape({count});
  const double have = double(b.size() - data_at);
  if (have < count)
    return fail_at(name, int64_t(b.size()),
                   "the file ends early: its header promises " + shape + " data bytes from byte " +
                       std::to_string(data_at) + ", the file has " + memory_shape({have}) + " (truncated download?)");
  if (have > count)
    return fail_at(name, int64_t(data_at + size_t(count)),
                   memory_shape({have - count}) + " bytes after the " + shape +
                       " data bytes its header promises (not an IDX file of " + what + "?)");
  return Status::success();
}

}  // namespace

bool idx_is(std::string_view b) { return b.size() >= 4 && b[0] == 0 && b[1] == 0 && uint8_t(b[2]) == 0x08; }

Status idx_images_parse(std::string_view b, std::string_view name, IdxImages& out) {
  out = IdxImages{};
  std::vector<int64_t> size;
  if (Status s = header_read(b, name, 3, "images", size); !s) return s;
  // The pixels here (1 byte each) and, for PCA / t-SNE, the table idx_labeled_data makes of them
  // (a float per pixel, per image a label string and id: ~40 bytes) are held together.
  const double n = double(size[0]), d = double(size[1] * size[2]);
  if (Status s = memory_check(memory_bytes({n, d}, 1 + sizeof(Scalar)) + 40 * n,
                              std::string(name) + ": byte 4", memory_shape({n}) + " images of " +
                                  memory_shape({double(size[1]), double(size[2])}) + " pixels",
                              "use fewer images");
      !s)
    return s;
  if (Status s = data_check(b, name, size, "images"); !s) return s;
  out.n = int32_t(size[0]);
  out.rows = int32_t(size[1]);
  out.cols = int32_t(size[2]);
  out.pixels.assign(b.begin() + 16, b.end());
  return Status::success();
}

Status idx_labels_parse(std::string_view b, std::string_view name, std::vector<uint8_t>& out) {
  out.clear();
  std::vector<int64_t> size;
  if (Status s = header_read(b, name, 1, "labels", size); !s) return s;
  if (Status s = data_check(b, name, size, "labels"); !s) return s;  // so N <= the file's size: no budget check
  out.assign(b.begin() + 8, b.end());
  return Status::success();
}

Status idx_labeled_data(const IdxImages& images, std::string_view images_name, const std::vector<uint8_t>& labels,
                        std::string_view labels_name, LabeledData& out) {
  out = LabeledData{};
  if (size_t(images.n) != labels.size())
    return Status::error(std::string(images_name) + " holds " + std::to_string(images.n) + " images but " +
                         std::string(labels_name) + " holds " + std::to_string(labels.size()) +
                         " labels: they must be the same set (e.g. t10k-images with t10k-labels)");
  const Index n = images.n, d = Index(images.rows) * images.cols;
  out.x.resize(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) out.x(i, j) = Scalar(images.pixels[size_t(i * d + j)]) / Scalar(255);
  out.labels.assign(labels.begin(), labels.end());
  out.label_text.reserve(size_t(n));
  for (uint8_t l : labels) out.label_text.push_back(std::to_string(l));
  out.feature_names.reserve(size_t(d));
  for (int r = 1; r <= images.rows; ++r)
    for (int c = 1; c <= images.cols; ++c) {
      std::string name = "r";  // (not "r" + std::to_string(r): GCC 12's false -Wrestrict, PR 105329)
      name.append(std::to_string(r)).append("c").append(std::to_string(c));
      out.feature_names.push_back(std::move(name));
    }
  return Status::success();
}

}  // namespace lab::core
