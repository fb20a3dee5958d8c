#include "cli/embed_io.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "core/data/gzip.h"
#include "core/data/idx.h"
#include "core/data/projector_tsv.h"
#include "runtime/text.h"

namespace lab::cli {

namespace {

void error_print(std::string_view cmd, const std::string& msg) {
  std::fprintf(stderr, "embedlab %.*s: %s\n", int(cmd.size()), cmd.data(), msg.c_str());
}

// The file's bytes, inflated if gzip'd; `name` becomes how messages about those bytes name them.
std::optional<std::string> bytes_read(std::string_view cmd, const std::string& path, std::string& name) {
  std::string err;
  std::optional<std::string> bytes = runtime::read_text_file(path, &err);  // size checked before reading
  name = path;
  if (!bytes) {
    error_print(cmd, err);
    return std::nullopt;
  }
  if (!core::gzip_is(*bytes)) return bytes;
  std::string inflated;
  if (const core::Status s = core::gzip_inflate(*bytes, path, inflated); !s) {
    error_print(cmd, s.message);
    return std::nullopt;
  }
  name = path + " (decompressed)";
  return inflated;
}

}  // namespace

bool embed_table_read(std::string_view cmd, const std::string& path, const std::string& labels_path,
                      core::LabeledData& out, const std::string& metadata_path, const std::string& label_column) {
  std::string name;
  const std::optional<std::string> bytes = bytes_read(cmd, path, name);
  if (!bytes) return false;
  if (core::projector_is_tsv_name(path)) {
    if (!labels_path.empty()) {
      error_print(cmd, path + ": --labels is for IDX image files; a vectors.tsv's labels come from --metadata FILE");
      return false;
    }
    core::Mat x;
    if (const core::Status s = core::projector_vectors_parse(*bytes, name, x); !s) {
      error_print(cmd, s.message);
      return false;
    }
    core::ProjectorMetadata meta;
    if (!metadata_path.empty()) {
      std::string meta_name;
      const std::optional<std::string> meta_bytes = bytes_read(cmd, metadata_path, meta_name);
      if (!meta_bytes) return false;
      if (const core::Status s = core::projector_metadata_parse(*meta_bytes, meta_name, x.rows(), meta); !s) {
        error_print(cmd, s.message);
        return false;
      }
    } else if (!label_column.empty()) {
      error_print(cmd, "--label-column names a column of --metadata FILE, which is missing");
      return false;
    }
    const std::string column = !label_column.empty() || metadata_path.empty()
                                   ? label_column
                                   : meta.header[size_t(core::projector_default_column(meta))];
    const core::Status s = core::projector_labeled(x, metadata_path.empty() ? nullptr : &meta, column, out);
    if (!s) error_print(cmd, (metadata_path.empty() ? path : metadata_path) + ": " + s.message);
    return s.ok;
  }
  if (!metadata_path.empty() || !label_column.empty()) {
    error_print(cmd, path + ": --metadata and --label-column go with Embedding Projector vectors (a .tsv file)");
    return false;
  }
  if (core::idx_is(*bytes)) {
    if (labels_path.empty()) {
      error_print(cmd, path + ": IDX images carry no labels: name their IDX labels file with --labels FILE");
      return false;
    }
    core::IdxImages images;
    if (const core::Status s = core::idx_images_parse(*bytes, name, images); !s) {
      error_print(cmd, s.message);
      return false;
    }
    std::string labels_name;
    const std::optional<std::string> label_bytes = bytes_read(cmd, labels_path, labels_name);
    if (!label_bytes) return false;
    std::vector<uint8_t> labels;
    core::Status s = core::idx_labels_parse(*label_bytes, labels_name, labels);
    if (s) s = core::idx_labeled_data(images, path, labels, labels_path, out);
    if (!s) error_print(cmd, s.message);
    return s.ok;
  }
  if (!labels_path.empty()) {
    error_print(cmd, path + ": --labels is for IDX image files; a CSV file's labels are its first column");
    return false;
  }
  core::CsvError where;
  const core::Status s = core::labeled_csv_parse(*bytes, out, &where);
  if (s) return true;
  std::string loc = name;
  if (where.line > 0) loc.append(":").append(std::to_string(where.line));
  if (where.column > 0) loc.append(":").append(std::to_string(where.column));
  error_print(cmd, loc + ": " + s.message);
  return false;
}

bool embed_table_write(std::string_view cmd, const std::string& path, const core::LabeledData& data,
                       const core::Mat& y) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "embedlab %.*s: cannot write '%s'\n", int(cmd.size()), cmd.data(), path.c_str());
    return false;
  }
  static const char* const kAxes[] = {"x", "y", "z"};
  std::fputs("label", f);
  for (core::Index c = 0; c < y.cols(); ++c) {
    if (c < 3) std::fprintf(f, ",%s", kAxes[c]);
    else std::fprintf(f, ",c%d", int(c + 1));
  }
  std::fputc('\n', f);
  for (core::Index i = 0; i < y.rows(); ++i) {
    std::fputs(data.label_text[size_t(i)].c_str(), f);
    for (core::Index c = 0; c < y.cols(); ++c) std::fprintf(f, ",%.9g", double(y(i, c)));
    std::fputc('\n', f);
  }
  const bool ok = std::fclose(f) == 0;
  if (!ok) std::fprintf(stderr, "embedlab %.*s: error writing '%s'\n", int(cmd.size()), cmd.data(), path.c_str());
  return ok;
}

bool flag_int(std::string_view text, long long& out) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

bool flag_double(std::string_view text, double& out) {
  if (text.empty() || text.size() > 64) return false;
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && errno == 0 && std::isfinite(out);
}

}  // namespace lab::cli
