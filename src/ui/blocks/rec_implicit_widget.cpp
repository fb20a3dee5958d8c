// Widget for "rec-implicit": the sampled training triplet and its loss, loss / ranking-accuracy
// curves, the model against the popularity baseline, and a user's top-k lists with hits marked.
#include <algorithm>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "runtime/blocks/rec_implicit.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/blocks/projector_tsv.h"
#include "ui/blocks/rec_banner.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace rs = core::recsys;

static void topk_table(const char* id, const runtime::RecImplicitExperiment& e, const std::vector<int32_t>& items, int* hits) {
  const auto& test = e.rt.test_pos[size_t(e.listed_user)];
  *hits = 0;
  if (ImGui::BeginTable(id, 3, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("movie", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("held-out positive?", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (size_t n = 0; n < items.size(); ++n) {
      const bool hit = std::binary_search(test.begin(), test.end(), items[n]);
      *hits += hit ? 1 : 0;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", int(n + 1));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.data.items[size_t(items[n])].title.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(hit ? "✓ hit" : "");
    }
    ImGui::EndTable();
  }
}

BlockCommand widget_rec_implicit(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::RecImplicitExperiment>(run);
  if (!e || !e->initialised || !e->error.ok || e->triplet.user < 0) return {};
  rec_data_banner(app, e->data);
  const float w = ImGui::GetContentRegionAvail().x;

  // One step of the training loop.
  const runtime::SampledTriplet& t = e->triplet;
  ImGui::SeparatorText("One training triplet (a new one is drawn at every slice)");
  ImGui::Text("anchor: user %d", t.user);
  ImGui::Text("positive i⁺: %s   s(u, i⁺) = %.3f", e->data.items[size_t(t.pos)].title.c_str(), t.s_pos);
  ImGui::Text("negative i⁻ (%s): %s   s(u, i⁻) = %.3f", rs::negative_sampling_name(e->model.negatives),
              e->data.items[size_t(t.neg)].title.c_str(), t.s_neg);
  ImGui::Text("loss = max(0, α − s(u, i⁺) + s(u, i⁻)) = max(0, %.2f − (%.3f) + (%.3f)) = %.3f%s", e->model.margin, t.s_pos,
              t.s_neg, t.loss, t.loss == 0 ? "   (beyond the margin: no gradient)" : "");
  BlockCommand command;
  if (e->done() && ImGui::Button("Draw another triplet")) command = RecImplicitResample{};

  const auto& h = e->rt.trainer.history;
  std::vector<float> xs;
  for (size_t i = 0; i < h.train_loss.size(); ++i) xs.push_back(float(i + 1));
  PlotSpec spec;
  spec.title = "Triplet loss and held-out ranking accuracy per epoch";
  spec.x_label = "epoch";
  spec.y_label = "loss / accuracy";
  spec.x_min = 0.5;
  spec.x_max = e->train.epochs + 0.5;
  spec.y_min = 0;
  const ImVec2 size(w, std::min(w * 0.4f, ImGui::GetFontSize() * 13));
  ImGui::BeginGroup();
  if (plot_begin("##imp-curves", spec, size)) {
    plot_line("train triplet loss", xs.data(), h.train_loss.data(), int(xs.size()));
    plot_line("held-out ranking accuracy", xs.data(), h.val_metric.data(), int(std::min(xs.size(), h.val_metric.size())));
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##imp-curves", std::string("rec-implicit-") + rs::model_name(e->model.kind) + "-curves");
  if (!e->evaluated) return command;

  char pk[32], nk[32];
  std::snprintf(pk, sizeof pk, "precision@%d", e->k);
  std::snprintf(nk, sizeof nk, "NDCG@%d", e->k);
  const char* labels[] = {"AUC", pk, nk, "coverage"};
  const double model[] = {e->eval.auc, e->eval.precision, e->eval.ndcg, e->eval.coverage};
  const double popm[] = {e->pop.auc, e->pop.precision, e->pop.ndcg, e->pop.coverage};
  PlotSpec bs;
  bs.title = "Triplet model vs the popularity baseline (held-out positives)";
  bs.y_label = "score";
  bs.x_tick_labels = labels;
  bs.x_tick_count = 4;
  bs.y_min = 0;
  bs.y_max = 1.05;
  ImGui::BeginGroup();
  if (plot_begin("##imp-bars", bs, size)) {
    plot_bars(rs::model_name(e->model.kind), model, 4, 0.38, -0.2);
    plot_bars("popularity", popm, 4, 0.38, 0.2);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##imp-bars", "rec-implicit-vs-popularity");
  ImGui::SameLine();
  model_save_button(app, e->done() && e->error.ok, [e] { return e->model_file(); },
                    std::string("rec-") + core::recsys::model_name(e->model.kind));

  int u = e->listed_user;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
  if (ImGui::SliderInt("user##imp-user", &u, 0, e->data.n_users - 1)) command = RecImplicitListFor{u};
  ImGui::SameLine();
  ImGui::TextDisabled("%d held-out positives", int(e->rt.test_pos[size_t(e->listed_user)].size()));
  if (ImGui::BeginTable("##imp-lists", 2, ImGuiTableFlags_SizingStretchSame)) {
    int hm = 0, hp = 0;
    ImGui::TableNextColumn();
    ImGui::Text("Triplet model, top %d:", e->k);
    topk_table("##imp-model", *e, e->recs, &hm);
    ImGui::Text("hits: %d / %d", hm, e->k);
    ImGui::TableNextColumn();
    ImGui::Text("Popularity, top %d:", e->k);
    topk_table("##imp-pop", *e, e->pop_recs, &hp);
    ImGui::Text("hits: %d / %d", hp, e->k);
    ImGui::EndTable();
  }
  return command;
}

}  // namespace lab::ui
