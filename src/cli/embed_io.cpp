#include "cli/embed_io.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "runtime/text.h"

namespace lab::cli {

bool embed_table_read(std::string_view cmd, const std::string& path, core::LabeledData& out) {
  std::string err;
  const std::optional<std::string> text = runtime::read_text_file(path, &err);  // size checked before reading
  if (!text) {
    std::fprintf(stderr, "embedlab %.*s: %s\n", int(cmd.size()), cmd.data(), err.c_str());
    return false;
  }
  core::CsvError where;
  const core::Status s = core::labeled_csv_parse(*text, out, &where);
  if (s) return true;
  std::string loc = path;
  if (where.line > 0) loc.append(":").append(std::to_string(where.line));
  if (where.column > 0) loc.append(":").append(std::to_string(where.column));
  std::fprintf(stderr, "embedlab %.*s: %s: %s\n", int(cmd.size()), cmd.data(), loc.c_str(), s.message.c_str());
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
