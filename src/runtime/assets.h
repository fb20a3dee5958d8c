// The lab's data files (assets/): where they are, how a block waits for one, and the ones blocks
// share. The composition root says where the folder is (assets_dir_set: the platform layer knows — a
// source checkout natively, /assets in the web build's file system, beside the executable in an
// install). Data sets are not packed with the page: a block asks for a named asset (asset_request),
// which natively is a file on disk and in the page is fetched from the site's assets/ folder the first
// time a step needs it (the platform's AssetFetcher; web/assets_fetch.js), with its progress shown in
// the block ("loading the digits… 42 %") and a failed fetch one message there. Once there, it is read
// and parsed once per process (digits_data, fmnist_data).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/data/idx.h"
#include "core/data/labeled_csv.h"
#include "core/status.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

void assets_dir_set(std::string dir);
const std::string& assets_dir();  // "assets" (relative to the working directory) until set

// ---- Named assets, loaded when a step needs them ------------------------------------------------
// The data sets the page fetches on demand (everything else in assets/ is packed with the page).
// `bytes` is the file's exact size, for the progress of a download whose server compresses it.
struct LazyAsset {
  const char* name;        // path inside the assets folder ("data/digits.csv")
  const char* what;        // "the digits", as in "loading the digits… 42 %"
  double bytes;            // size of the file
  const char* system_copy; // native only: the same data where a Debian package installs it (gzip'd), or ""
};
const std::vector<LazyAsset>& lazy_assets();
const LazyAsset* lazy_asset_find(const std::string& name);

inline constexpr const char* kFmnistImagesAsset = "data/fashion-mnist/t10k-images-idx3-ubyte";
inline constexpr const char* kFmnistLabelsAsset = "data/fashion-mnist/t10k-labels-idx1-ubyte";

enum class AssetState { Loading, Ready, Failed };
struct AssetStatus {
  AssetState state = AssetState::Loading;
  double fraction = 0;  // Loading: share of the bytes arrived (0 when unknown)
  std::string error;    // Failed: why, in one sentence naming the file
};

// How the platform brings an asset that is not on disk (the web build: a fetch into the in-memory
// file system under assets_dir()). Unset natively: an asset that is not on disk is then an error.
struct AssetFetcher {
  std::function<void(const std::string& name)> start;  // starts fetching; called once per name
  std::function<AssetStatus(const std::string& name)> poll;
};
void asset_fetcher_set(AssetFetcher fetcher);

// A second folder searched after assets_dir(): where a build wrote the assets it generates (the
// WebAssembly test suite reads the site's copy of Fashion-MNIST there, the file the page fetches).
void assets_build_dir_set(std::string dir);

// Where the asset is now: Ready when its file is on disk (assets_dir()/name, or natively its
// system copy), else Loading while the platform fetches it (started by the first call), or Failed.
AssetStatus asset_request(const std::string& name);
// The file to read a Ready asset from ("" if it is not there).
std::string asset_path(const std::string& name);

// A block kind's factory that first waits for assets: `make(config)` runs once every named asset is
// Ready (at once when they are on disk, as natively). Until then the block shows the loading progress;
// a failed fetch is the block's error. Use through asset_gated_make below.
std::unique_ptr<Experiment> asset_gated(const BlockConfig& config, ExperimentFactory make, std::vector<std::string> names);
// The experiment a block's widget draws: `e` itself, or for a block still waiting for its assets the
// experiment built when they came (nullptr until then).
Experiment* experiment_ready(Experiment* e);
const Experiment* experiment_ready(const Experiment* e);

// The factory of a kind whose every block reads the digits (k.make = digits_gated<make_x>).
template <ExperimentFactory Make>
std::unique_ptr<Experiment> digits_gated(const BlockConfig& config) {
  return asset_gated(config, Make, {core::kDigitsFile});
}

// ---- The shared data sets -----------------------------------------------------------------------
// The UCI digits (assets/data/digits.csv, see core/data/labeled_csv.h), read and parsed on first
// use and shared after that. On failure: nullptr, and `status` names the file and the problem.
std::shared_ptr<const core::LabeledData> digits_data(core::Status& status);

// Fashion-MNIST's 10,000 test images (Xiao, Rasul & Vollgraf 2017; MIT licence, assets/data/README.md):
// the build's uncompressed IDX copy (scripts/fmnist-asset.mjs), or natively the Debian package's
// gzip'd files. Read and parsed on first use; on failure nullptr and `status` says why.
struct FmnistData {
  core::IdxImages images;        // 10,000 × 28 × 28 bytes
  std::vector<uint8_t> labels;   // 0..9, fmnist_class_names
};
std::shared_ptr<const FmnistData> fmnist_data(core::Status& status);
// "T-shirt/top", "Trouser", ... (the dataset's README).
const std::vector<std::string>& fmnist_class_names();

}  // namespace lab::runtime
