// Widgets for "batchnorm-compare" (loss and accuracy of the plain and batch-norm nets, per-layer
// activation histograms, parameter counts) and "batchnorm-inference" (validation accuracy by how the
// BN layers normalise, batch statistics against running averages).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "runtime/blocks/batchnorm.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace {

const ImVec4 kRed(0.80f, 0.15f, 0.10f, 1.0f);

std::vector<float> iota_from(size_t n, float first) {
  std::vector<float> xs(n);
  for (size_t k = 0; k < n; ++k) xs[k] = first + float(k);
  return xs;
}

// Two plots side by side where there is room for both (about 36 lines of text wide), else one
// under the other (a phone): the width of each, and the separator to call between them.
bool side_by_side() { return ImGui::GetContentRegionAvail().x >= ImGui::GetFontSize() * 36; }
float half_width() {
  const float w = ImGui::GetContentRegionAvail().x;
  return side_by_side() ? (w - ImGui::GetStyle().ItemSpacing.x) / 2 : w;
}
void next_of_pair(bool beside) {
  if (beside) ImGui::SameLine();
}

struct BatchnormCompareView {
  int layer = -1;  // the hidden layer whose histograms are shown (-1: the last)
};

}  // namespace

BlockCommand widget_batchnorm_compare(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::BatchnormCompareExperiment>(run);
  if (!e || !e->error.ok || e->runs.size() != 2) return {};
  const bool beside = side_by_side();
  const float w = half_width();
  const float h = std::min(w * 0.7f, ImGui::GetFontSize() * 16);
  // Training loss per mini-batch, and validation accuracy per epoch, both nets on the same axes.
  ImGui::BeginGroup();
  ImGui::BeginGroup();
  PlotSpec loss;
  loss.title = "Training loss (every mini-batch)";
  loss.x_label = "mini-batch";
  loss.y_label = "cross-entropy loss";
  loss.y_min = 0;
  loss.x_min = 0;
  loss.x_max = double(e->runs[0].tr.opt.epochs) * std::ceil(double(e->data.x_train.rows()) / double(e->runs[0].tr.opt.batch_size));
  if (plot_begin("##bnloss", loss, ImVec2(w, h))) {
    for (const runtime::TrainRun& r : e->runs) {
      const auto& b = r.history().batch_loss;
      const std::vector<float> xs = iota_from(b.size(), 1);
      plot_line(r.label.c_str(), xs.data(), b.data(), int(b.size()));
    }
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##bnloss", "batchnorm-training-loss");
  ImGui::EndGroup();
  next_of_pair(beside);
  ImGui::BeginGroup();
  ImGui::BeginGroup();
  PlotSpec acc;
  acc.title = "Validation accuracy (after every epoch)";
  acc.x_label = "epoch";
  acc.y_label = "accuracy";
  acc.y_min = 0;
  acc.y_max = 1;
  acc.x_min = 1;
  acc.x_max = std::max(2, e->runs[0].tr.opt.epochs);
  acc.legend = PlotLegend::SouthEast;
  if (plot_begin("##bnacc", acc, ImVec2(w, h))) {
    for (const runtime::TrainRun& r : e->runs) {
      const auto& v = r.history().val_metric;
      const std::vector<float> xs = iota_from(v.size(), 1);
      plot_line(r.label.c_str(), xs.data(), v.data(), int(v.size()));
    }
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##bnacc", "batchnorm-val-accuracy");
  ImGui::EndGroup();
  for (const runtime::TrainRun& r : e->runs)
    if (!r.status.ok) {
      ImGui::PushStyleColor(ImGuiCol_Text, kRed);
      ImGui::TextWrapped("%s net stopped. %s", r.label == "plain" ? "The plain" : "The batch-norm", r.status.message.c_str());
      ImGui::PopStyleColor();
    }

  // Per-layer activations of a probe batch (200 training digits), taken after every epoch.
  ImGui::Spacing();
  const int depth = e->depth;
  int& chosen = app.ui.block_views.get<BatchnormCompareView>(run).layer;
  int layer = chosen < 0 || chosen >= depth ? depth - 1 : chosen;
  int shown = layer + 1;
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.5f, ImGui::GetFontSize() * 18));
  if (ImGui::SliderInt("hidden layer to look at", &shown, 1, depth)) chosen = shown - 1;
  layer = shown - 1;
  const bool tanh = e->act == core::nn::Act::Tanh;
  double lo = tanh ? -1.0 : 0.0, hi = tanh ? 1.0 : 0.0;
  if (!tanh)
    for (const runtime::ActivationSnapshot& s : e->snapshots)
      if (layer < int(s.values.size()))
        for (float v : s.values[size_t(layer)]) hi = std::max(hi, double(v));
  if (hi <= lo) hi = lo + 1;
  for (int r = 0; r < 2; ++r) {
    const runtime::ActivationSnapshot& s = e->snapshots[size_t(r)];
    if (r) next_of_pair(beside);
    ImGui::BeginGroup();
    ImGui::BeginGroup();
    char id[16], title[200];
    std::snprintf(id, sizeof id, "##hist%d", r);
    if (layer < int(s.values.size()))
      std::snprintf(title, sizeof title, "%s, layer %d, epoch %d: std %.3f, %.0f%% %s", e->runs[size_t(r)].label.c_str(),
                    layer + 1, s.epoch, s.std[size_t(layer)], 100.0 * s.saturated[size_t(layer)],
                    tanh ? "saturated" : "zero (not shown)");
    else
      std::snprintf(title, sizeof title, "%s", e->runs[size_t(r)].label.c_str());
    PlotSpec spec;
    spec.title = title;
    spec.x_label = tanh ? "tanh activation" : "ReLU activation (non-zero values)";
    spec.y_label = "count";
    spec.legend = PlotLegend::None;
    spec.x_min = lo;
    spec.x_max = hi;
    if (plot_begin(id, spec, ImVec2(w, std::min(w * 0.55f, ImGui::GetFontSize() * 13)))) {
      if (layer < int(s.values.size())) {
        const auto& all = s.values[size_t(layer)];
        std::vector<float> v;
        if (tanh) v = all;
        else
          for (float x : all)
            if (x > 0) v.push_back(x);  // the zeros are counted in the title; a spike at 0 would hide the rest
        plot_set_next_color(palette_color(r));
        plot_histogram("activations", v.data(), int(v.size()), 40, lo, hi);
      }
      plot_end();
    }
    ImGui::EndGroup();
    export_buttons(app, id, std::string("batchnorm-activations-") + (r ? "bn" : "plain") + "-layer" + std::to_string(layer + 1));
    ImGui::EndGroup();
  }
  // Spread of the activations through the depth of each net.
  ImGui::BeginGroup();
  PlotSpec sp;
  sp.title = "Spread of the activations, layer by layer (probe batch, now)";
  sp.x_label = "hidden layer";
  sp.y_label = "standard deviation";
  sp.x_min = 1;
  sp.x_max = std::max(2, depth);
  sp.y_min = 0;
  const float wf = ImGui::GetContentRegionAvail().x;
  if (plot_begin("##bnstd", sp, ImVec2(wf, std::min(wf * 0.3f, ImGui::GetFontSize() * 11)))) {
    for (int r = 0; r < 2; ++r) {
      const auto& st = e->snapshots[size_t(r)].std;
      const std::vector<float> xs = iota_from(st.size(), 1);
      plot_line(e->runs[size_t(r)].label.c_str(), xs.data(), st.data(), int(st.size()));
    }
    plot_vline("layer shown", layer + 1);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##bnstd", "batchnorm-activation-std");

  // Parameter counts.
  if (ImGui::TreeNodeEx("Parameters: what batch-norm adds", ImGuiTreeNodeFlags_DefaultOpen)) {
    core::nn::Mlp& plain = e->runs[0].objective->model;
    core::nn::Mlp& bn = e->runs[1].objective->model;
    int64_t dense = 0, gb = 0, stats = 0;
    for (auto& d : plain.dense) dense += core::nn::param_count(d.params());
    for (auto& b : bn.bn) {
      gb += core::nn::param_count(b.params());
      stats += core::nn::param_count(b.buffers());
    }
    if (ImGui::BeginTable("##params", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("");
      ImGui::TableSetupColumn("plain");
      ImGui::TableSetupColumn("with batch-norm");
      ImGui::TableHeadersRow();
      auto row = [](const char* what, long long a, long long b) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(what);
        ImGui::TableNextColumn();
        ImGui::Text("%lld", a);
        ImGui::TableNextColumn();
        ImGui::Text("%lld", b);
      };
      row("dense weights and biases (trained)", dense, dense);
      row("γ and β, 2 × width per layer (trained)", 0, gb);
      row("running mean and variance, 2 × width per layer (not trained)", 0, stats);
      row("trainable parameters in all", core::nn::param_count(plain.params()), core::nn::param_count(bn.params()));
      ImGui::EndTable();
    }
    ImGui::TextDisabled("%d hidden layers × %d units: batch-norm adds 2 × %d × %d = %lld trainable numbers.", depth, e->width,
                        e->width, depth, (long long)gb);
    ImGui::TreePop();
  }
  return {};
}

BlockCommand widget_batchnorm_inference(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::BatchnormInferenceExperiment>(run);
  if (!e || !e->error.ok || e->runs.empty()) return {};
  const float wf = ImGui::GetContentRegionAvail().x;
  ImGui::BeginGroup();
  char batch_label[96];
  std::snprintf(batch_label, sizeof batch_label, "statistics of each test batch of %d", e->eval_batch);
  PlotSpec acc;
  acc.title = "Validation accuracy by how batch-norm normalises at test time";
  acc.x_label = "epoch";
  acc.y_label = "accuracy";
  acc.y_min = 0;
  acc.y_max = 1;
  acc.x_min = 1;
  acc.x_max = std::max(2, e->runs[0].tr.opt.epochs);
  acc.legend = PlotLegend::Outside;
  if (plot_begin("##infacc", acc, ImVec2(wf, std::min(wf * 0.35f, ImGui::GetFontSize() * 14)))) {
    const std::vector<float> xs = iota_from(e->acc_running.size(), 1);
    plot_line("running averages (eval mode)", xs.data(), e->acc_running.data(), int(e->acc_running.size()));
    plot_line(batch_label, xs.data(), e->acc_batch.data(), int(e->acc_batch.size()));
    plot_line("running stats never updated", xs.data(), e->acc_init.data(), int(e->acc_init.size()));
    plot_hline("chance (1 in 10)", 0.1);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##infacc", "batchnorm-inference-accuracy");
  if (!e->runs[0].status.ok) return {};

  // First BN layer: the probe batch's own statistics against the running averages.
  const int f = std::min(16, int(e->batch_mean.size()));
  const bool beside = side_by_side();
  const float w = half_width();
  const float h = std::min(w * 0.6f, ImGui::GetFontSize() * 13);
  for (int which = 0; which < 2; ++which) {
    if (which) next_of_pair(beside);
    ImGui::BeginGroup();
    ImGui::BeginGroup();
    PlotSpec spec;
    spec.title = which == 0 ? "Layer 1, first 16 units: mean of a training batch vs running mean"
                            : "Layer 1, first 16 units: variance of a training batch vs running variance";
    spec.x_label = "unit";
    spec.y_label = which == 0 ? "mean before normalising" : "variance before normalising";
    spec.x_min = -0.6;
    spec.x_max = f - 0.4;
    const char* id = which == 0 ? "##infmean" : "##infvar";
    if (plot_begin(id, spec, ImVec2(w, h))) {
      plot_bars("this batch", (which == 0 ? e->batch_mean : e->batch_var).data(), f, 0.38, -0.2);
      plot_bars("running average", (which == 0 ? e->running_mean : e->running_var).data(), f, 0.38, 0.2);
      plot_end();
    }
    ImGui::EndGroup();
    export_buttons(app, id, which == 0 ? "batchnorm-means" : "batchnorm-variances");
    ImGui::EndGroup();
  }
  return {};
}

}  // namespace lab::ui
