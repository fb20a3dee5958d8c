// libFuzzer target: the Embedding Projector loader behind a dropped vectors.tsv / metadata.tsv and
// `embedlab tsne|pca --input vectors.tsv --metadata metadata.tsv`. The input is split at its first
// NUL byte: vectors before, metadata after (no NUL: the same bytes are tried as both).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/data/projector_tsv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lab::core;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t nul = all.find('\0');
  const std::string_view vectors = all.substr(0, nul);
  const std::string_view metadata = nul == std::string_view::npos ? all : all.substr(nul + 1);

  Mat x;
  const Status vs = projector_vectors_parse(vectors, "vectors.tsv", x);
  if (!vs.ok) {
    if (vs.message.rfind("vectors.tsv", 0) != 0) __builtin_trap();  // every failure names the file
    if (x.size() != 0) __builtin_trap();                            // and leaves no half-read matrix
  } else {
    if (x.rows() < 1 || x.cols() < 1) __builtin_trap();
    for (Index i = 0; i < x.size(); ++i)
      if (!(x.data()[i] == x.data()[i])) __builtin_trap();  // no NaN gets through
  }
  ProjectorMetadata meta;
  const Status ms = projector_metadata_parse(metadata, "metadata.tsv", vs.ok ? x.rows() : -1, meta);
  if (!ms.ok) {
    if (ms.message.rfind("metadata.tsv", 0) != 0) __builtin_trap();
    return 0;
  }
  // A parse that succeeds is rectangular: one header name per column, rows as asked.
  if (meta.header.size() != meta.columns.size() || meta.columns.empty()) __builtin_trap();
  for (const auto& c : meta.columns)
    if (c.size() != meta.columns[0].size()) __builtin_trap();
  const int col = projector_default_column(meta);
  if (col < 0 || size_t(col) >= meta.columns.size()) __builtin_trap();
  if (vs.ok) {
    if (meta.columns[0].size() != size_t(x.rows())) __builtin_trap();
    LabeledData d;
    const Status ls = projector_labeled(x, &meta, meta.header[size_t(col)], d);
    if (!ls.ok || d.labels.size() != size_t(x.rows())) __builtin_trap();
    // a column name that is not in the header (longer than every name in it) is refused
    size_t longest = 0;
    for (const std::string& h : meta.header) longest = std::max(longest, h.size());
    if (projector_labeled(x, &meta, std::string(longest + 1, 'x'), d).ok) __builtin_trap();
  }
  return 0;
}
