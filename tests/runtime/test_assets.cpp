// Data sets loaded when a step needs them (runtime/assets.h): on disk a block starts at once; where
// the platform fetches them (the page), the block waits with its progress ("loading the digits… 50 %"),
// a failed fetch is the block's one error message, and the kind's experiment is built when the bytes
// are there. A fake fetcher stands in for web/assets_fetch.js; the files are real.
#include <doctest/doctest.h>

#include "block_test_util.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "runtime/assets.h"
#include "runtime/blocks/projection.h"
#include "runtime/text.h"

using namespace lab::runtime;

namespace {

// The WebAssembly suite reads Fashion-MNIST (a shipped lesson uses it) from the web build's site.
#ifdef LAB_SITE_ASSETS_DIR
const char* const kSiteAssets = LAB_SITE_ASSETS_DIR;
#else
const char* const kSiteAssets = "";
#endif
[[maybe_unused]] const bool g_site_assets = (assets_build_dir_set(kSiteAssets), true);

// The tests below make a data set missing: the site's copy must not stand in for it (restored after).
struct NoSiteCopy {
  NoSiteCopy() { assets_build_dir_set(""); }
  ~NoSiteCopy() { assets_build_dir_set(kSiteAssets); }
};

// Points the runtime at an empty assets folder with a fetcher the test drives; restores both after.
struct FakeSite {
  NoSiteCopy no_site_copy;
  std::string saved_dir = assets_dir();
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "embedlab-test-assets";
  std::vector<std::string> started;
  AssetStatus next;  // what poll answers

  FakeSite() {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    assets_dir_set(dir.string());
    asset_fetcher_set({[this](const std::string& n) { started.push_back(n); }, [this](const std::string&) { return next; }});
  }
  ~FakeSite() {
    asset_fetcher_set({});
    assets_dir_set(saved_dir);
    std::filesystem::remove_all(dir);
  }
  // The fetch "arrives": the real file is written where the page's JS would write it.
  void arrive(const std::string& name) {
    std::filesystem::create_directories((dir / name).parent_path());
    std::filesystem::copy_file(std::filesystem::path(saved_dir) / name, dir / name);
    next = {AssetState::Ready, 1, ""};
  }
};

}  // namespace

TEST_CASE("assets: the lazy assets' sizes are the files' (the page's progress divides by them)") {
  const LazyAsset* d = lazy_asset_find(lab::core::kDigitsFile);
  REQUIRE(d);
  CHECK(double(std::filesystem::file_size(assets_dir() + "/" + d->name)) == d->bytes);
  // Fashion-MNIST: the IDX header (16 bytes) and 10,000 28×28 images; the labels' 8 bytes and 10,000.
  CHECK(lazy_asset_find(kFmnistImagesAsset)->bytes == 16 + 10000.0 * 28 * 28);
  CHECK(lazy_asset_find(kFmnistLabelsAsset)->bytes == 8 + 10000.0);
}

TEST_CASE("assets: on disk, a digits block is the kind's own experiment at once") {
  REQUIRE(asset_request(lab::core::kDigitsFile).state == AssetState::Ready);
  auto e = lab::test::make("projection", "data: digits\nmethod: pca");
  CHECK(dynamic_cast<ProjectionExperiment*>(e.get()) != nullptr);
  CHECK(experiment_ready(e.get()) == e.get());
}

TEST_CASE("assets: a block waits for a fetched asset, shows its progress, then runs") {
  FakeSite site;
  site.next = {AssetState::Loading, 0.5, ""};
  auto e = lab::test::make("projection", "data: digits\nmethod: pca");
  REQUIRE(site.started.size() == 1);
  CHECK(site.started[0] == lab::core::kDigitsFile);
  CHECK(experiment_ready(e.get()) == nullptr);  // the widget draws nothing yet
  CHECK(e->progress_text() == "loading the digits… 50 %");
  CHECK_FALSE(e->done());
  CHECK(e->status().ok);
  e->step(5);
  CHECK(site.started.size() == 1);  // one fetch per asset, however often it is polled
  site.arrive(lab::core::kDigitsFile);
  lab::test::run_to_end(*e);
  auto* p = dynamic_cast<const ProjectionExperiment*>(experiment_ready(e.get()));
  REQUIRE(p);
  CHECK(lab::test::metric(*e, "points") == 1797);  // the gate hands the metrics on
}

TEST_CASE("assets: a failed fetch is the block's one message, and a later block asks again") {
  FakeSite site;
  site.next = {AssetState::Failed, 0, "assets/data/digits.csv could not be fetched from the site (HTTP 404 Not Found)"};
  auto e = lab::test::make("overfit-dropout", "");
  CHECK(e->done());
  CHECK_FALSE(e->status().ok);
  CHECK(e->status().message == "the digits could not be loaded: assets/data/digits.csv could not be fetched from the site (HTTP 404 Not Found)");
  CHECK(e->metrics().empty());
  e->step(5);  // stepping a failed block does nothing (and does not crash)
  auto again = lab::test::make("overfit-dropout", "");
  CHECK(site.started.size() == 2);  // Reset or another step tries the fetch again
}

TEST_CASE("assets: natively a missing data set names the file (and the Debian package for Fashion-MNIST)") {
  const std::string saved = assets_dir();
  const NoSiteCopy no_site_copy;
  assets_dir_set("/nonexistent-embedlab-assets");
  const AssetStatus st = asset_request(lab::core::kDigitsFile);
  CHECK(st.state == AssetState::Failed);
  CHECK(st.error == "/nonexistent-embedlab-assets/data/digits.csv is missing");
  assets_dir_set(saved);
}
