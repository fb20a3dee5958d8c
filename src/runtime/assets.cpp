#include "runtime/assets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "core/data/gzip.h"
#include "runtime/model_code.h"
#include "runtime/text.h"

namespace lab::runtime {

namespace {
std::string& dir() {
  static std::string d = "assets";
  return d;
}
std::string& build_dir() {
  static std::string d;
  return d;
}
AssetFetcher& fetcher() {
  static AssetFetcher f;
  return f;
}
// The fetches started (one per name and process).
std::map<std::string, bool>& started() {
  static std::map<std::string, bool> s;
  return s;
}
bool is_file(const std::string& path) {
  std::error_code ec;
  return !path.empty() && std::filesystem::is_regular_file(path, ec);
}
}  // namespace

void assets_dir_set(std::string d) { dir() = std::move(d); }
const std::string& assets_dir() { return dir(); }

// ---- Named assets ------------------------------------------------------------------------------
const std::vector<LazyAsset>& lazy_assets() {
  // Sizes: digits.csv as committed; the Fashion-MNIST test set's IDX files, 16 + 10000·28·28 and 8 + 10000 bytes.
  static const std::vector<LazyAsset> v = {
      {core::kDigitsFile, "the digits", 264964, ""},
      {kFmnistImagesAsset, "the Fashion-MNIST images", 7840016, "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"},
      {kFmnistLabelsAsset, "the Fashion-MNIST labels", 10008, "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"},
  };
  return v;
}

const LazyAsset* lazy_asset_find(const std::string& name) {
  for (const LazyAsset& a : lazy_assets())
    if (name == a.name) return &a;
  return nullptr;
}

void assets_build_dir_set(std::string d) { build_dir() = std::move(d); }

void asset_fetcher_set(AssetFetcher f) {
  fetcher() = std::move(f);
  started().clear();
}

std::string asset_path(const std::string& name) {
  const std::string local = assets_dir() + "/" + name;
  if (is_file(local)) return local;
  if (const std::string built = build_dir().empty() ? "" : build_dir() + "/" + name; is_file(built)) return built;
  const LazyAsset* a = lazy_asset_find(name);
  if (a && !fetcher().start && is_file(a->system_copy)) return a->system_copy;  // natively only
  return {};
}

AssetStatus asset_request(const std::string& name) {
  AssetStatus st;
  if (!asset_path(name).empty()) {
    st.state = AssetState::Ready;
    st.fraction = 1;
    return st;
  }
  const AssetFetcher& f = fetcher();
  if (!f.start || !f.poll) {
    st.state = AssetState::Failed;
    const LazyAsset* a = lazy_asset_find(name);
    st.error = assets_dir() + "/" + name + " is missing" +
               (a && *a->system_copy ? std::string(" (and so is ") + a->system_copy + ": install the Debian package dataset-fashion-mnist)" : "");
    return st;
  }
  if (!started()[name]) {
    started()[name] = true;
    f.start(name);
  }
  st = f.poll(name);
  if (st.state == AssetState::Failed) started()[name] = false;  // a later request (Reset, another step) tries again
  if (st.state == AssetState::Ready && asset_path(name).empty()) {
    st.state = AssetState::Failed;
    st.error = name + " arrived but was not written to " + assets_dir();
  }
  return st;
}

// ---- Waiting for assets ------------------------------------------------------------------------
namespace {

// A block whose assets are on their way: polls them each step, then builds the kind's experiment and
// hands every call on to it.
struct AssetGate final : Experiment {
  BlockConfig config;
  ExperimentFactory make = nullptr;
  std::vector<std::string> names;
  std::unique_ptr<Experiment> inner;
  std::string loading;   // the asset being waited for, as the progress line says it
  double fraction = 0;   // of all the bytes
  core::Status error;

  void poll() {
    double got = 0, total = 0;
    bool ready = true;
    loading.clear();
    for (const std::string& n : names) {
      const AssetStatus s = asset_request(n);
      const LazyAsset* a = lazy_asset_find(n);
      const double bytes = a ? a->bytes : 1;
      total += bytes;
      if (s.state == AssetState::Failed) {
        error = core::Status::error((a ? std::string(a->what) : n) + " could not be loaded: " + s.error);
        return;
      }
      if (s.state == AssetState::Ready) {
        got += bytes;
        continue;
      }
      got += bytes * std::clamp(s.fraction, 0.0, 1.0);
      if (ready) loading = a ? a->what : n;
      ready = false;
    }
    fraction = total > 0 ? got / total : 0;
    if (ready) inner = make(config);
  }

  void step(double budget_ms) override {
    if (!error.ok) return;
    if (!inner) poll();
    if (inner) inner->step(budget_ms);
  }
  bool done() const override { return !error.ok || (inner && inner->done()); }
  float progress() const override { return inner ? inner->progress() : 0.0f; }
  std::string progress_text() const override {
    if (inner) return inner->progress_text();
    if (!error.ok) return "the data did not arrive";  // the block shows why (status())
    char pct[32];
    std::snprintf(pct, sizeof pct, "… %d %%", int(std::floor(100 * fraction)));
    return "loading " + (loading.empty() ? std::string("data") : loading) + pct;
  }
  core::Status status() const override { return inner ? inner->status() : error; }
  std::vector<Metric> metrics() const override { return inner ? inner->metrics() : std::vector<Metric>{}; }
  std::vector<ModelCode> model_code() const override { return inner ? inner->model_code() : Experiment::model_code(); }
  DataSetInfo data_set() const override { return inner ? inner->data_set() : DataSetInfo{}; }
  double worker_ms() const override { return inner ? inner->worker_ms() : 0; }
};

}  // namespace

std::unique_ptr<Experiment> asset_gated(const BlockConfig& config, ExperimentFactory make, std::vector<std::string> names) {
  auto g = std::make_unique<AssetGate>();
  g->config = config;
  g->make = make;
  g->names = std::move(names);
  g->poll();
  if (g->inner) return std::move(g->inner);  // on disk (natively, or fetched before): no gate at all
  return g;
}

Experiment* experiment_ready(Experiment* e) {
  if (auto* g = dynamic_cast<AssetGate*>(e)) return g->inner.get();
  return e;
}
const Experiment* experiment_ready(const Experiment* e) { return experiment_ready(const_cast<Experiment*>(e)); }

// ---- The shared data sets ----------------------------------------------------------------------
std::shared_ptr<const core::LabeledData> digits_data(core::Status& status) {
  static std::shared_ptr<const core::LabeledData> cached;
  static std::string cached_from;
  const std::string path = assets_dir() + "/" + core::kDigitsFile;
  if (cached && cached_from == path) return cached;
  std::string err;
  const std::optional<std::string> text = read_text_file(path, &err);
  if (!text) {
    status = core::Status::error("the digits data could not be read: " + err);
    return nullptr;
  }
  auto d = std::make_shared<core::LabeledData>();
  if (status = core::digits_parse(*text, *d); !status) {
    status = core::Status::error(path + ": " + status.message);
    return nullptr;
  }
  cached = d;
  cached_from = path;
  return cached;
}

namespace {
// An IDX asset's bytes (inflated when it is the gzip'd system copy) and the name messages use.
core::Status idx_bytes(const std::string& name, std::string& bytes, std::string& shown) {
  const std::string path = asset_path(name);
  if (path.empty()) return core::Status::error(asset_request(name).error);
  std::string err;
  std::optional<std::string> raw = read_text_file(path, &err);
  if (!raw) return core::Status::error(err);
  shown = path;
  if (!core::gzip_is(*raw)) {
    bytes = std::move(*raw);
    return {};
  }
  shown = path + " (decompressed)";
  return core::gzip_inflate(*raw, path, bytes);
}
}  // namespace

std::shared_ptr<const FmnistData> fmnist_data(core::Status& status) {
  static std::shared_ptr<const FmnistData> cached;
  static std::string cached_from;
  const std::string from = asset_path(kFmnistImagesAsset);
  if (cached && cached_from == from) return cached;
  auto d = std::make_shared<FmnistData>();
  std::string bytes, shown;
  if (status = idx_bytes(kFmnistImagesAsset, bytes, shown); !status) return nullptr;
  if (status = core::idx_images_parse(bytes, shown, d->images); !status) return nullptr;
  bytes.clear();
  std::string labels_shown;
  if (status = idx_bytes(kFmnistLabelsAsset, bytes, labels_shown); !status) return nullptr;
  if (status = core::idx_labels_parse(bytes, labels_shown, d->labels); !status) return nullptr;
  if (d->labels.size() != size_t(d->images.n)) {
    status = core::Status::error(labels_shown + ": " + std::to_string(d->labels.size()) + " labels for the " +
                                 std::to_string(d->images.n) + " images of " + shown);
    return nullptr;
  }
  for (size_t i = 0; i < d->labels.size(); ++i)
    if (d->labels[i] >= fmnist_class_names().size()) {
      status = core::Status::error(labels_shown + ": label " + std::to_string(d->labels[i]) + " of image " +
                                   std::to_string(i + 1) + " is not a Fashion-MNIST class (0-9)");
      return nullptr;
    }
  cached = d;
  cached_from = from;
  return cached;
}

const std::vector<std::string>& fmnist_class_names() {
  // https://github.com/zalandoresearch/fashion-mnist#labels
  static const std::vector<std::string> v = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                             "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return v;
}

}  // namespace lab::runtime
