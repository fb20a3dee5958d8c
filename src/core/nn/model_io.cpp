#include "core/nn/model_io.h"

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

namespace lab::core::nn {

static_assert(std::endian::native == std::endian::little, "model_io assumes a little-endian host (x86, ARM, wasm)");

namespace {

constexpr char kMagic[8] = {'E', 'M', 'B', 'L', 'M', 'D', 'L', '\0'};

uint32_t fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

void put_u32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }

struct Reader {
  std::string_view s;
  size_t pos = 0;
  bool u32(uint32_t& v) {
    if (s.size() - pos < 4) return false;
    std::memcpy(&v, s.data() + pos, 4);
    pos += 4;
    return true;
  }
  bool bytes(size_t n, std::string_view& v) {
    if (s.size() - pos < n) return false;
    v = s.substr(pos, n);
    pos += n;
    return true;
  }
};

struct Parsed {
  std::string info;
  struct Tensor {
    uint32_t rows, cols;
    std::string_view data;
  };
  std::map<std::string, Tensor> tensors;
};

Status parse(std::string_view bytes, Parsed& p, bool header_only) {
  const Status truncated = Status::error("model file is truncated (" + std::to_string(bytes.size()) +
                                         " bytes): it was cut off while saving or downloading; save it again");
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0)
    return Status::error("not an EmbedLab model file (the first bytes are not the EMBLMDL signature)");
  Reader r{bytes, 8};
  uint32_t version = 0, info_len = 0;
  if (!r.u32(version)) return truncated;
  if (version != kModelFormatVersion)
    return Status::error("model file has format version " + std::to_string(version) + "; this build reads version " +
                         std::to_string(kModelFormatVersion));
  std::string_view info;
  if (!r.u32(info_len) || !r.bytes(info_len, info)) return truncated;
  p.info = std::string(info);
  if (header_only) return Status::success();
  if (bytes.size() < r.pos + 4) return truncated;
  uint32_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
  uint32_t count = 0;
  if (!r.u32(count)) return truncated;
  for (uint32_t k = 0; k < count; ++k) {
    uint32_t name_len = 0, rows = 0, cols = 0;
    std::string_view name, data;
    if (!r.u32(name_len)) return truncated;
    if (name_len == 0 || name_len > 1024) return Status::error("model file is corrupt (bad tensor name length)");
    if (!r.bytes(name_len, name) || !r.u32(rows) || !r.u32(cols)) return truncated;
    // The header's shape, checked in double (a uint64 product of two uint32 and 4 can wrap to a small
    // number) against the memory budget, before the size is used for anything.
    if (Status st = memory_check(memory_bytes({double(rows), double(cols)}, sizeof(float)), "model file",
                                 "tensor '" + std::string(name.substr(0, 64)) + "' of " +
                                     memory_shape({double(rows), double(cols)}) + " values",
                                 "the file is damaged or was not saved by this lab");
        !st)
      return st;
    const uint64_t n = uint64_t(rows) * uint64_t(cols) * 4;  // <= the budget: no wrap
    if (n > bytes.size()) return truncated;
    if (!r.bytes(size_t(n), data)) return truncated;
    p.tensors[std::string(name)] = {rows, cols, data};
  }
  if (bytes.size() - r.pos < 4) return truncated;
  if (bytes.size() - r.pos > 4) return Status::error("model file is corrupt (unexpected bytes after the last tensor)");
  if (fnv1a(bytes.substr(0, r.pos)) != stored)
    return Status::error("model file is corrupt (checksum mismatch): it was modified or damaged; save it again");
  return Status::success();
}

}  // namespace

std::string model_save(const std::vector<ParamRef>& state, std::string_view info) {
  std::string out(kMagic, 8);
  put_u32(out, kModelFormatVersion);
  put_u32(out, uint32_t(info.size()));
  out.append(info);
  put_u32(out, uint32_t(state.size()));
  for (const ParamRef& p : state) {
    put_u32(out, uint32_t(p.name.size()));
    out.append(p.name);
    put_u32(out, uint32_t(p.value->rows()));
    put_u32(out, uint32_t(p.value->cols()));
    for (Index i = 0; i < p.value->size(); ++i) {
      const float f = float(p.value->data()[i]);
      out.append(reinterpret_cast<const char*>(&f), 4);
    }
  }
  put_u32(out, fnv1a(out));
  return out;
}

Status model_peek_info(std::string_view bytes, std::string& info) {
  Parsed p;
  if (Status st = parse(bytes, p, true); !st) return st;
  info = std::move(p.info);
  return Status::success();
}

Status model_load(std::string_view bytes, const std::vector<ParamRef>& state, std::string* info) {
  Parsed p;
  if (Status st = parse(bytes, p, false); !st) return st;
  for (const ParamRef& ref : state) {
    auto it = p.tensors.find(ref.name);
    if (it == p.tensors.end())
      return Status::error("model file has no tensor '" + ref.name + "': it was saved from a different model (" +
                           (p.info.empty() ? std::string("no description") : p.info) + ")");
    if (Index(it->second.rows) != ref.value->rows() || Index(it->second.cols) != ref.value->cols())
      return Status::error("model file's tensor '" + ref.name + "' is " + std::to_string(it->second.rows) + " x " +
                           std::to_string(it->second.cols) + " but the model's is " +
                           std::to_string(ref.value->rows()) + " x " + std::to_string(ref.value->cols()) +
                           ": build the model with the options it was saved with (" + p.info + ")");
  }
  if (p.tensors.size() != state.size())
    return Status::error("model file has " + std::to_string(p.tensors.size()) + " tensors but the model has " +
                         std::to_string(state.size()) + ": it was saved from a different model (" + p.info + ")");
  for (const ParamRef& ref : state) {
    const std::string_view data = p.tensors[ref.name].data;
    for (Index i = 0; i < ref.value->size(); ++i) {
      float f;
      std::memcpy(&f, data.data() + 4 * i, 4);
      ref.value->data()[i] = Scalar(f);
    }
  }
  if (info) *info = std::move(p.info);
  return Status::success();
}

// ---- Info text ---------------------------------------------------------------------------------------

void ModelInfo::set_number(std::string key, double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  set(std::move(key), buf);
}

const std::string* ModelInfo::find(std::string_view key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

std::string model_info_text(const ModelInfo& info) {
  std::string out = info.what + "\n";
  for (const auto& [k, v] : info.fields) out += k + "=" + v + "\n";
  return out;
}

Status model_info_parse(std::string_view text, ModelInfo& out) {
  out = ModelInfo{};
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1) {
      out.what = std::string(line);
      continue;
    }
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return Status::error("model file's description, line " + std::to_string(line_no) + ": expected key=value, got '" +
                           std::string(line.substr(0, 60)) + "'");
    out.set(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  return Status::success();
}

Status model_info_number(const ModelInfo& info, std::string_view key, double& out) {
  const std::string* v = info.find(key);
  if (!v)
    return Status::error("model file (" + info.what + ") has no '" + std::string(key) +
                         "' in its description: it was saved by another version of the lab");
  char* end = nullptr;
  out = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size() || !std::isfinite(out))
    return Status::error("model file (" + info.what + "): '" + std::string(key) + "=" + v->substr(0, 40) +
                         "' is not a number");
  return Status::success();
}

}  // namespace lab::core::nn
