// Widget for "dropout-mask": the network drawn with this forward pass's mask (dropped units hollow
// and crossed out, their connections gone), a button to draw another mask, and bars comparing the
// next layer's expected input in training with its input at test time, for both scalings.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "runtime/blocks/dropout_mask.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/colors.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace {

void draw_network(const runtime::DropoutMaskExperiment& e, float width) {
  const int layers = int(e.widths.size());
  const float font = ImGui::GetFontSize();
  int tallest = 1;
  for (int w : e.widths) tallest = std::max(tallest, w);
  const float row = std::clamp(font * 1.4f, font * 0.9f, font * 16 / float(tallest));
  const float height = row * float(tallest) + font * 2.2f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##network", ImVec2(width, height));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float col = width / float(layers);
  const float r = std::min(row * 0.36f, font * 0.55f);
  auto pos = [&](int l, int i) {
    const float x = origin.x + col * (float(l) + 0.5f);
    const float y = origin.y + font * 1.6f + row * (float(i) + 0.5f + 0.5f * float(tallest - e.widths[size_t(l)]));
    return ImVec2(x, y);
  };
  auto kept = [&](int l, int i) { return l == 0 || l == layers - 1 || e.mask[size_t(l - 1)][size_t(i)] != 0; };
  const ImU32 edge = IM_COL32(120, 120, 130, 70), blue = palette_color(0), grey = IM_COL32(170, 170, 175, 255);
  for (int l = 0; l + 1 < layers; ++l)
    for (int i = 0; i < e.widths[size_t(l)]; ++i)
      for (int j = 0; j < e.widths[size_t(l + 1)]; ++j)
        if (kept(l, i) && kept(l + 1, j)) dl->AddLine(pos(l, i), pos(l + 1, j), edge, 1.0f);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int l = 0; l < layers; ++l) {
    const char* name = l == 0 ? "input" : (l == layers - 1 ? "output" : "hidden");
    char head[32];
    if (l > 0 && l < layers - 1) std::snprintf(head, sizeof head, "%s %d", name, l);
    else std::snprintf(head, sizeof head, "%s", name);
    const ImVec2 ts = ImGui::CalcTextSize(head);
    dl->AddText(ImVec2(origin.x + col * (float(l) + 0.5f) - ts.x / 2, origin.y), ImGui::GetColorU32(ImGuiCol_Text), head);
    for (int i = 0; i < e.widths[size_t(l)]; ++i) {
      const ImVec2 c = pos(l, i);
      if (kept(l, i)) {
        dl->AddCircleFilled(c, r, l == 0 ? palette_color(4) : (l == layers - 1 ? palette_color(1) : blue));
      } else {
        dl->AddCircle(c, r, grey, 0, 1.5f);
        const float d = r * 0.7f;
        dl->AddLine(ImVec2(c.x - d, c.y - d), ImVec2(c.x + d, c.y + d), palette_color(5), 2.0f);
        dl->AddLine(ImVec2(c.x - d, c.y + d), ImVec2(c.x + d, c.y - d), palette_color(5), 2.0f);
      }
      const float dx = mouse.x - c.x, dy = mouse.y - c.y;
      if (ImGui::IsItemHovered() && dx * dx + dy * dy <= r * r * 1.6f) {
        const double v = e.values[size_t(l)][size_t(i)];
        if (l == 0) ImGui::SetTooltip("input %d = %.3f", i + 1, v);
        else if (l == layers - 1) ImGui::SetTooltip("output %d = %.3f (this pass)", i + 1, v);
        else if (kept(l, i)) ImGui::SetTooltip("kept: ReLU output × 1/(1−p) = %.3f", v);
        else ImGui::SetTooltip("dropped: output 0 in this pass");
      }
    }
  }
}

}  // namespace

BlockCommand widget_dropout_mask(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::DropoutMaskExperiment>(run);
  if (!e || e->widths.size() < 3) return {};
  int dropped = 0, units = 0;
  for (const auto& m : e->mask)
    for (uint8_t b : m) {
      dropped += 1 - b;
      ++units;
    }
  BlockCommand command;
  if (ImGui::Button("Draw another mask")) command = DropoutMaskResample{};
  ImGui::SameLine();
  ImGui::Text("mask #%d: %d of %d hidden units dropped (p = %.2f); kept ones are scaled by 1/(1−p) = %.2f", e->draws,
              dropped, units, e->p, 1.0 / (1.0 - e->p));
  draw_network(*e, ImGui::GetContentRegionAvail().x);

  // Expected input of the output layer over many masks, against its test-time input.
  const int k = int(e->z_test.size());
  const size_t nk = static_cast<size_t>(k);
  std::vector<double> mi(nk), ti(nk), ms(nk), ts(nk);
  std::vector<std::string> names(nk);
  std::vector<const char*> ticks(nk);
  for (int j = 0; j < k; ++j) {
    mi[size_t(j)] = e->mean_inverted(j);
    ti[size_t(j)] = e->z_test[size_t(j)];
    ms[size_t(j)] = e->mean_slides(j);
    ts[size_t(j)] = (1 - e->p) * e->z_test[size_t(j)];
    names[size_t(j)] = "output " + std::to_string(j + 1);
    ticks[size_t(j)] = names[size_t(j)].c_str();
  }
  char title[160];
  std::snprintf(title, sizeof title, "Input of the output layer: average over %d masks in training vs test time", e->done_samples);
  PlotSpec spec;
  spec.title = title;
  spec.x_label = "output unit";
  spec.y_label = "input to the unit";
  spec.x_tick_labels = ticks.data();
  spec.x_tick_count = k;
  spec.x_min = -0.6;
  spec.x_max = k - 0.4;
  spec.legend = PlotLegend::Outside;
  const float w = ImGui::GetContentRegionAvail().x;
  ImGui::BeginGroup();
  if (plot_begin("##expect", spec, ImVec2(w, std::min(w * 0.4f, ImGui::GetFontSize() * 15)))) {
    plot_bars("inverted: E[train] (h·m/(1−p))W", mi.data(), k, 0.18, -0.3);
    plot_bars("inverted: test hW", ti.data(), k, 0.18, -0.1);
    plot_bars("slides: E[train] (h·m)W", ms.data(), k, 0.18, 0.1);
    plot_bars("slides: test (1−p)·hW", ts.data(), k, 0.18, 0.3);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##expect", "dropout-expectation-p" + std::to_string(int(std::lround(e->p * 100))));
  return command;
}

}  // namespace lab::ui
