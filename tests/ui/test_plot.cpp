// Plot module: tick maths and labels, auto-fit with non-finite data, CSV export, and headless
// rendering of every plot kind with simulated mouse input (hover, wheel zoom, drag pan,
// double-click reset). Fails on any Dear ImGui consistency check (see ui/imconfig_lab.h).
#include <doctest/doctest.h>

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "imgui.h"
#include "ui/imconfig_lab.h"
#include "ui/widgets/matrix_view.h"
#include "ui/widgets/plot.h"
#include "ui/widgets/plot_ticks.h"

using namespace lab;

namespace {

constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
constexpr float kInff = std::numeric_limits<float>::infinity();

// An ImGui context with the app's real font and no backend; frame() draws one full-screen window.
struct Headless {
  explicit Headless(bool vtx_offset = true) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1000, 700);
    if (vtx_offset) io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the desktop GL3 backend
    ImFont* font = io.Fonts->AddFontFromFileTTF(LAB_GEN_DIR "/fonts/DejaVuSans.ttf", 17.0f);
    if (!font) io.Fonts->AddFontDefault();
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~Headless() { ImGui::DestroyContext(); }

  // Runs one frame; returns the number of vertices drawn.
  int frame(const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("##plots", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    draw();
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  }
};

bool is_nice_step(double step) {
  const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  return std::fabs(m - 1) < 1e-6 || std::fabs(m - 2) < 1e-6 || std::fabs(m - 5) < 1e-6;
}

}  // namespace

TEST_CASE("plot ticks: linear ticks use 1-2-5 steps, cover the range and have distinct labels") {
  const double ranges[][2] = {{0, 1},     {0, 0.005},  {-1, 1},       {0.1, 0.15},  {3, 97},     {-250, 1e4},
                              {0, 3e6},   {1e29, 1e30}, {-1e30, 1e30}, {1e-7, 3e-7}, {0.5, 0.5001}, {999, 1001},
                              {-3e-5, 0}, {12345, 12346}, {0, 1797},   {-0.004, 0.013}};
  for (const auto& r : ranges)
    for (int max_ticks : {2, 4, 6, 10, 20}) {
      CAPTURE(r[0]);
      CAPTURE(r[1]);
      CAPTURE(max_ticks);
      const std::vector<ui::PlotTick> t = ui::plot_ticks_linear(r[0], r[1], max_ticks);
      REQUIRE(!t.empty());
      CHECK(int(t.size()) <= max_ticks);
      if (max_ticks >= 4) CHECK(t.size() >= 2);
      const double step = ui::plot_tick_step(r[0], r[1], max_ticks);
      CHECK(is_nice_step(step));
      CHECK(t.front().value - r[0] < step * (1 + 1e-9));  // no gap of a full step at either end
      CHECK(r[1] - t.back().value < step * (1 + 1e-9));
      std::set<std::string> labels;
      for (size_t i = 0; i < t.size(); ++i) {
        CHECK(t[i].value >= r[0] - step * 1e-9);
        CHECK(t[i].value <= r[1] + step * 1e-9);
        if (i > 0) CHECK(std::fabs(t[i].value - t[i - 1].value - step) <= step * 1e-6);
        CHECK(t[i].label.find("e+") == std::string::npos);
        CHECK(t[i].label != "-0");
        labels.insert(t[i].label);
      }
      CHECK(labels.size() == t.size());
    }
}

TEST_CASE("plot ticks: readable labels") {
  auto labels = [](std::vector<ui::PlotTick> t) {
    std::vector<std::string> out;
    for (auto& x : t) out.push_back(x.label);
    return out;
  };
  CHECK(labels(ui::plot_ticks_linear(0, 0.005, 6)) == std::vector<std::string>{"0", "0.001", "0.002", "0.003", "0.004", "0.005"});
  CHECK(labels(ui::plot_ticks_linear(-1, 1, 5)) == std::vector<std::string>{"−1.0", "−0.5", "0", "0.5", "1.0"});
  CHECK(labels(ui::plot_ticks_linear(0, 250000, 6)) == std::vector<std::string>{"0", "50000", "100000", "150000", "200000", "250000"});
  CHECK(labels(ui::plot_ticks_linear(0, 3e6, 4)) == std::vector<std::string>{"0", "10⁶", "2×10⁶", "3×10⁶"});
  CHECK(labels(ui::plot_ticks_linear(0, 3e6, 4, false)) == std::vector<std::string>{"0", "1e6", "2e6", "3e6"});
  CHECK(ui::plot_value_format(1e30) == "10³⁰");
  CHECK(ui::plot_value_format(-2.5e-7, 4, false) == "-2.5e-7");
  CHECK(ui::plot_value_format(0.123456) == "0.1235");
  CHECK(ui::plot_value_format(std::nan("")) == "NaN");
}

TEST_CASE("plot ticks: log axes tick at decades") {
  std::vector<double> major;
  std::vector<std::string> labels;
  int minor = 0;
  for (const ui::PlotTick& t : ui::plot_ticks_log(1e-3, 1e3, 10)) {
    if (t.major) {
      major.push_back(t.value);
      labels.push_back(t.label);
    } else {
      ++minor;
      CHECK(t.label.empty());
    }
  }
  REQUIRE(major.size() == 7);
  for (size_t i = 0; i < major.size(); ++i) CHECK(major[i] == doctest::Approx(std::pow(10.0, int(i) - 3)));
  CHECK(labels == std::vector<std::string>{"0.001", "0.01", "0.1", "1", "10", "100", "1000"});
  CHECK(minor > 0);  // 2..9 × 10^k gridlines

  // Forty decades with room for 6 labels: every few decades, still powers of ten, distinct labels.
  std::set<std::string> seen;
  int n = 0;
  for (const ui::PlotTick& t : ui::plot_ticks_log(1e-20, 1e20, 6)) {
    if (!t.major) continue;
    ++n;
    const double k = std::log10(t.value);
    CHECK(std::fabs(k - std::round(k)) < 1e-9);
    CHECK(seen.insert(t.label).second);
  }
  CHECK(n >= 2);
  CHECK(n <= 6);
  // Narrower than two decades: 1-2-5 ticks.
  std::vector<double> v;
  for (const ui::PlotTick& t : ui::plot_ticks_log(2, 30, 10)) v.push_back(t.value);
  CHECK(v == std::vector<double>{2, 5, 10, 20});
  CHECK(ui::plot_ticks_log(1.1, 1.3, 6).size() >= 2);  // falls back to linear ticks
  CHECK(ui::plot_ticks_log(-1, 10, 6).empty());         // not a log range
}

TEST_CASE("plot: auto-fit ignores NaN and Inf, CSV export holds the series") {
  Headless h;
  const int before = imgui_assert_count();
  const float ys[] = {1.0f, kNaNf, 2.0f, kInff, -kInff, 3.0f};
  const float xs[] = {0, 1, 2, kNaNf, 4, 5};
  const float nan3[] = {kNaNf, kNaNf, kNaNf};
  ImGuiID id = 0, id_nan = 0;
  for (int f = 0; f < 2; ++f)
    h.frame([&] {
      id = ImGui::GetID("##fit");
      if (ui::plot_begin("##fit", {.title = "Fit", .x_label = "epoch", .y_label = "loss"}, ImVec2(600, 300))) {
        ui::plot_line("train, smoothed", xs, ys, 6);
        ui::plot_hline("target", 2.5);
        ui::plot_end();
      }
      id_nan = ImGui::GetID("##nan");
      if (ui::plot_begin("##nan", {}, ImVec2(300, 200))) {
        ui::plot_scatter("all NaN", nan3, nan3, 3);
        ui::plot_end();
      }
    });
  ui::PlotLimits l;
  REQUIRE(ui::plot_get_limits(id, &l));
  CHECK(l.y_min < 1.0);
  CHECK(l.y_min > 0.8);  // a little air, nothing from the infinities
  CHECK(l.y_max > 3.0);
  CHECK(l.y_max < 3.2);
  CHECK(l.x_min < 0.0);
  CHECK(l.x_max > 5.0);
  CHECK(l.x_max < 5.5);
  REQUIRE(ui::plot_get_limits(id_nan, &l));
  CHECK(std::isfinite(l.x_min));
  CHECK(std::isfinite(l.y_max));
  CHECK(l.x_max > l.x_min);

  const std::string csv = ui::plot_export_csv(id);
  CHECK(csv.rfind("series,x,y\n", 0) == 0);
  CHECK(csv.find("\"train, smoothed\",0,1\n") != std::string::npos);  // quoted: the label has a comma
  CHECK(csv.find("\"train, smoothed\",2,2\n") != std::string::npos);
  CHECK(csv.find("\"train, smoothed\",1,NaN\n") != std::string::npos);
  CHECK(csv.find("\"train, smoothed\",5,3\n") != std::string::npos);
  CHECK(csv.find("target,,2.5\n") != std::string::npos);
  CHECK(ui::plot_export_csv(ImGuiID(12345)).empty());
  CHECK(imgui_assert_count() == before);
}

TEST_CASE("plot: CSV of grouped scatter and heatmap") {
  Headless h;
  const float xs[] = {0.5f, 1.5f, 2.5f}, ys[] = {1, 2, 3};
  const int groups[] = {0, 1, 1};
  const char* names[] = {"cat", "dog"};
  const float m[] = {1, 2, 3, 4, 5, 6};  // 2 × 3, row-major
  const char* rows[] = {"a", "b"};
  ImGuiID sid = 0, hid = 0;
  h.frame([&] {
    sid = ImGui::GetID("##s");
    if (ui::plot_begin("##s", {}, ImVec2(300, 200))) {
      ui::plot_set_next_group_names(names, 2);
      ui::plot_scatter("pets", xs, ys, 3, groups);
      ui::plot_end();
    }
    hid = ImGui::GetID("##h");
    if (ui::plot_begin("##h", {}, ImVec2(300, 200))) {
      ui::plot_heatmap("m", m, 2, 3, false, NAN, NAN, rows);
      ui::plot_end();
    }
  });
  const std::string s = ui::plot_export_csv(sid);
  CHECK(s.rfind("series,x,y,group\n", 0) == 0);
  CHECK(s.find("pets,0.5,1,cat\n") != std::string::npos);
  CHECK(s.find("pets,2.5,3,dog\n") != std::string::npos);
  CHECK(ui::plot_export_csv(hid) == ",0,1,2\na,1,2,3\nb,4,5,6\n");
}

TEST_CASE("plot: every kind renders, including degenerate data, with mouse hover, zoom, pan and reset") {
  Headless h;
  const int before = imgui_assert_count();

  // Data: a 20k-point grouped scatter (spiral arms), a loss curve, degenerate series.
  const int n = 20000;
  std::vector<float> sx(n), sy(n), loss(200), hist(5000);
  std::vector<int> sg(n);
  unsigned state = 12345u;
  auto uniform = [&state] { state = state * 1664525u + 1013904223u; return float(state >> 8) / float(1u << 24); };
  for (int i = 0; i < n; ++i) {  // a disc of radius 6, ten sectors = ten groups
    const float r = 6.0f * std::sqrt(uniform()), a = 6.2831853f * uniform();
    sx[size_t(i)] = r * std::cos(a);
    sy[size_t(i)] = r * std::sin(a);
    sg[size_t(i)] = std::min(9, int(a / 6.2831853f * 10.0f));
  }
  for (int i = 0; i < 200; ++i) loss[size_t(i)] = 2.0f * std::exp(-float(i) / 40.0f) + 0.05f;
  for (int i = 0; i < 5000; ++i) hist[size_t(i)] = std::sin(float(i) * 12.9898f) * 43758.5453f - std::floor(std::sin(float(i) * 12.9898f) * 43758.5453f);
  const char* digits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  const float one[] = {0.5f}, constant[] = {7, 7, 7, 7}, huge[] = {1e30f, -1e30f, 3e30f}, nan2[] = {kNaNf, kNaNf};
  const float heat[] = {0.1f, 0.5f, kNaNf, 0.9f, -0.2f, 1.5f};
  const float bars[] = {3, 1, 4, 1, 5};
  const char* cats[] = {"one", "two", "three", "four", "five"};
  static int label_calls;  // static: the label function is a plain function pointer
  label_calls = 0;
  auto label_fn = [](int index, char* buf, int size, const void* user) {
    ++label_calls;
    std::snprintf(buf, size_t(size), "%s #%d", static_cast<const char*>(user), index);
  };

  ImGuiID scatter_id = 0;
  auto draw = [&] {
    scatter_id = ImGui::GetID("##tsne");
    if (ui::plot_begin("##tsne", {.title = "t-SNE of digits", .x_label = "dim 1", .y_label = "dim 2", .equal_aspect = true,
                                  .legend = ui::PlotLegend::Outside}, ImVec2(900, 600))) {
      ui::plot_set_next_group_names(digits, 10);
      ui::plot_set_next_point_label_fn(label_fn, "sample");
      ui::plot_scatter("digit", sx.data(), sy.data(), n, sg.data());
      ui::plot_text(0, 0, "centre");
      ui::plot_end();
    }
    if (ui::plot_begin("##loss", {.title = "Loss", .x_label = "epoch", .y_label = "loss", .log_y = true}, ImVec2(500, 300))) {
      ui::plot_line("train", loss.data(), 200);
      ui::plot_vline("best epoch", 120);
      ui::plot_hline("target", 0.1);
      ui::plot_end();
    }
    if (ui::plot_begin("##edge", {.title = "Degenerate data"}, ImVec2(500, 300))) {
      ui::plot_line("empty", loss.data(), 0);
      ui::plot_line("null", static_cast<const float*>(nullptr), 5);
      ui::plot_scatter("single", one, one, 1);
      ui::plot_line("constant", constant, 4);
      ui::plot_line("nan", nan2, 2);
      ui::plot_scatter("huge", huge, huge, 3);
      ui::plot_end();
    }
    if (ui::plot_begin("##empty", {.title = "Nothing yet", .log_x = true}, ImVec2(300, 200))) ui::plot_end();
    if (ui::plot_begin("##bars", {.title = "Bars", .x_tick_labels = cats, .x_tick_count = 5}, ImVec2(400, 250))) {
      ui::plot_bars("count", bars, 5);
      ui::plot_histogram("noise", hist.data(), 5000, 30);
      ui::plot_end();
    }
    if (ui::plot_begin("##heat", {.title = "Heatmap", .equal_aspect = true}, ImVec2(400, 300))) {
      const char* rn[] = {"a", "b"};
      ui::plot_set_next_colormap(ui::Colormap::Viridis);
      ui::plot_heatmap("w", heat, 2, 3, false, NAN, NAN, rn);
      ui::plot_end();
    }
    const float onehot[] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    ui::matrix_view("##onehot", onehot, 3, 3, {.title = "one-hot", .highlight_row = 1, .value_format = "%.0f"});
    ui::matrix_view("##w", heat, 2, 3, {.title = "W", .highlight_col = 2});
    ui::matrix_view("##none", static_cast<const float*>(nullptr), 0, 0);
  };

  ImGuiIO& io = ImGui::GetIO();
  // Every marker drawn (this renderer takes more than 64K vertices). Above 2,000 markers they have no
  // anti-aliased fringe: ten groups' shapes have 6, 4, 3, 4, 3, 3, 5, 3, 6 and 4 vertices.
  CHECK(h.frame(draw) > 20000 * 41 / 10);
  for (int f = 0; f < 3; ++f) h.frame(draw);
  ui::PlotLimits home;
  REQUIRE(ui::plot_get_limits(scatter_id, &home));
  // Equal aspect: one unit is as long in x as in y (plot area about 740 × 530 px).
  CHECK((home.x_max - home.x_min) / (home.y_max - home.y_min) > 1.0);

  // Hover: the tooltip names a point and asks for its label.
  io.AddMousePosEvent(300, 300);
  for (int f = 0; f < 3; ++f) h.frame(draw);
  ui::PlotHover hover = ui::plot_get_hover(scatter_id);
  CHECK(hover.active);
  CHECK(hover.series == "digit");
  CHECK(hover.index >= 0);
  CHECK(hover.index < n);
  CHECK(hover.group == sg[size_t(hover.index)]);
  CHECK(label_calls > 0);

  // A plain wheel leaves the view alone (it scrolls the lesson); Ctrl + wheel zooms in around the mouse.
  io.AddMouseWheelEvent(0, 2);
  for (int f = 0; f < 3; ++f) h.frame(draw);
  ui::PlotLimits unzoomed;
  REQUIRE(ui::plot_get_limits(scatter_id, &unzoomed));
  CHECK(unzoomed.x_max - unzoomed.x_min == doctest::Approx(home.x_max - home.x_min));
  io.AddKeyEvent(ImGuiMod_Ctrl, true);
  io.AddMouseWheelEvent(0, 2);
  for (int f = 0; f < 3; ++f) h.frame(draw);
  io.AddKeyEvent(ImGuiMod_Ctrl, false);
  ui::PlotLimits zoomed;
  REQUIRE(ui::plot_get_limits(scatter_id, &zoomed));
  CHECK(zoomed.x_max - zoomed.x_min < (home.x_max - home.x_min) * 0.8);
  CHECK(zoomed.y_max - zoomed.y_min < (home.y_max - home.y_min) * 0.8);

  // Drag right: the view moves left (content follows the mouse).
  io.AddMouseButtonEvent(0, true);
  h.frame(draw);
  for (int k = 1; k <= 5; ++k) {
    io.AddMousePosEvent(300.0f + 20.0f * float(k), 300);
    h.frame(draw);
  }
  io.AddMouseButtonEvent(0, false);
  for (int f = 0; f < 2; ++f) h.frame(draw);
  ui::PlotLimits panned;
  REQUIRE(ui::plot_get_limits(scatter_id, &panned));
  CHECK(panned.x_min < zoomed.x_min);
  CHECK(panned.x_max - panned.x_min == doctest::Approx(zoomed.x_max - zoomed.x_min).epsilon(1e-6));

  // Double-click: back to the fitted view.
  for (int k = 0; k < 2; ++k) {
    io.AddMouseButtonEvent(0, true);
    h.frame(draw);
    io.AddMouseButtonEvent(0, false);
    h.frame(draw);
  }
  h.frame(draw);
  ui::PlotLimits reset;
  REQUIRE(ui::plot_get_limits(scatter_id, &reset));
  CHECK(reset.x_min == doctest::Approx(home.x_min));
  CHECK(reset.y_max == doctest::Approx(home.y_max));

  // Moving away ends the hover.
  io.AddMousePosEvent(-100, -100);
  for (int f = 0; f < 2; ++f) h.frame(draw);
  CHECK_FALSE(ui::plot_get_hover(scatter_id).active);

  // Display scale 2: bigger font, same code.
  io.DisplaySize = ImVec2(2000, 1400);
  ImGui::GetIO().FontGlobalScale = 2.0f;
  CHECK(h.frame(draw) > 1000);
  CHECK(imgui_assert_count() == before);
}

TEST_CASE("plot: a 16-bit index renderer without VtxOffset (WebGL) never overflows the draw list") {
  Headless h(false);
  const int before = imgui_assert_count();
  const int n = 20000;
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) x[size_t(i)] = float(i % 150), y[size_t(i)] = float(i / 150);
  std::vector<float> line(30000);
  for (int i = 0; i < 30000; ++i) line[size_t(i)] = std::sin(float(i) * 0.01f);
  for (int f = 0; f < 3; ++f) {
    const int v = h.frame([&] {
      if (ui::plot_begin("##big", {.title = "20k points"}, ImVec2(800, 300))) {
        ui::plot_scatter("grid", x.data(), y.data(), n);
        ui::plot_end();
      }
      if (ui::plot_begin("##long", {.title = "30k-point line"}, ImVec2(800, 300))) {
        ui::plot_line("sin", line.data(), 30000);
        ui::plot_end();
      }
    });
    CHECK(v > 1000);
  }
  CHECK(imgui_assert_count() == before);
}
