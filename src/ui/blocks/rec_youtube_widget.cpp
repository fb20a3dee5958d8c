// Widget for "rec-youtube": the models' scores side by side, then one new user at a time — the
// movies they watched first, the averaged vector the network sees, and both models' top-k lists
// with the movies the user really watched later marked.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/rec_youtube.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/blocks/projector_tsv.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace {

using Exp = runtime::RecYoutubeExperiment;

void scores_table(const Exp& e) {
  const float row_h = ImGui::GetTextLineHeightWithSpacing() + 2 * ImGui::GetStyle().CellPadding.y;
  if (!ImGui::BeginTable("##yt-scores", 5,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX,
                         ImVec2(0, row_h * 4 + ImGui::GetStyle().ScrollbarSize + 4)))
    return;
  ImGui::TableSetupScrollFreeze(1, 0);
  char head[64];
  ImGui::TableSetupColumn("model");
  std::snprintf(head, sizeof head, "new users: next watch in top %d", e.k);
  ImGui::TableSetupColumn(head);
  std::snprintf(head, sizeof head, "new users: precision@%d", e.k);
  ImGui::TableSetupColumn(head);
  std::snprintf(head, sizeof head, "new users: NDCG@%d", e.k);
  ImGui::TableSetupColumn(head);
  std::snprintf(head, sizeof head, "known users: last watch in top %d", e.k);
  ImGui::TableSetupColumn(head);
  ImGui::TableHeadersRow();
  const char* names[Exp::kModels + 1] = {"user = average of watched movies", "user = id embedding", "most-watched movies"};
  for (int m = 0; m <= Exp::kModels; ++m) {
    const Exp::Scores& s = e.scores[size_t(m)];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(names[m]);
    for (double v : {s.next_hit, s.precision, s.ndcg, s.known_hit}) {
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", v);
    }
  }
  ImGui::EndTable();
}

void movie_list(const Exp& e, const char* title, const std::vector<int32_t>& items, const std::vector<uint8_t>* hit) {
  ImGui::TextUnformatted(title);
  for (size_t j = 0; j < items.size(); ++j) {
    const std::string& t = e.data.items[size_t(items[j])].title;
    if (hit) ImGui::Text("%2d. %s %s", int(j + 1), (*hit)[j] ? "[watched later]" : "", t.c_str());
    else ImGui::BulletText("%s", t.c_str());
  }
}

}  // namespace

BlockCommand widget_rec_youtube(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<Exp>(run);
  if (!e || !e->initialised || !e->error.ok) return {};
  // Next-watch accuracy of known users per epoch, both models, while they train.
  const float w = ImGui::GetContentRegionAvail().x;
  PlotSpec p;
  p.title = "Training: known users whose next watch is ranked first";
  p.x_label = "epoch";
  p.y_label = "accuracy";
  p.legend = PlotLegend::Outside;
  p.narrow_legend = PlotLegend::SouthEast;
  ImGui::BeginGroup();
  if (plot_begin("##yt-train", p, ImVec2(w, std::min(w * 0.35f, ImGui::GetFontSize() * 11)))) {
    for (int m = 0; m < Exp::kModels; ++m) {
      const std::vector<float>& acc =
          m < e->training ? e->val_accuracy[size_t(m)]
                          : (m == e->training && e->trainers[size_t(m)] ? e->trainers[size_t(m)]->history.val_metric
                                                                         : std::vector<float>{});
      std::vector<float> x(acc.size());
      for (size_t i = 0; i < x.size(); ++i) x[i] = float(i + 1);
      plot_line(m == Exp::Average ? "average of watched movies" : "user id", x.data(), acc.data(), int(acc.size()));
    }
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##yt-train", "rec-youtube-training");
  for (int m = 0; m < Exp::kModels; ++m) {
    ImGui::SameLine();
    model_save_button(app, m < e->training, [e, m] { return e->model_file(m); },
                      m == Exp::Average ? "rec-youtube-watch-average" : "rec-youtube-user-id",
                      "the movie (or user) embeddings and the softmax MLP, with the options in its description",
                      m == Exp::Average ? "↓ watch-average model" : "↓ user-id model");
  }
  if (!e->evaluated) return {};
  scores_table(*e);
  if (e->shown.empty()) return {};
  int& pick = *ImGui::GetStateStorage()->GetIntRef(ImGui::GetID("##yt-user"), 0);
  pick = std::clamp(pick, 0, int(e->shown.size()) - 1);
  ImGui::SetNextItemWidth(std::min(w, ImGui::GetFontSize() * 16));
  ImGui::SliderInt("new user##yt-user-slider", &pick, 0, int(e->shown.size()) - 1, "%d", ImGuiSliderFlags_AlwaysClamp);
  const Exp::NewUser& nu = e->shown[size_t(pick)];
  ImGui::SameLine();
  ImGui::TextDisabled("(user %d, never seen in training)", nu.user + 1);
  const bool wide = w > ImGui::GetFontSize() * 40;
  if (wide && ImGui::BeginTable("##yt-user", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
  }
  char title[96];
  std::snprintf(title, sizeof title, "Watched first (%d):", int(nu.history.size()));
  movie_list(*e, title, nu.history, nullptr);
  PlotSpec v;
  v.title = "Their user vector: the average of those movies' embeddings";
  v.x_label = "dimension";
  v.y_label = "value";
  v.legend = PlotLegend::None;
  const float cw = wide ? ImGui::GetContentRegionAvail().x : w;
  if (plot_begin("##yt-vector", v, ImVec2(cw, std::min(cw * 0.6f, ImGui::GetFontSize() * 10)))) {
    plot_bars("user vector", nu.vector.data(), int(nu.vector.size()));
    plot_end();
  }
  if (wide) ImGui::TableNextColumn();
  std::snprintf(title, sizeof title, "Top %d from the watch average:", e->k);
  movie_list(*e, title, nu.recs, &nu.hit);
  if (wide) ImGui::TableNextColumn();
  std::snprintf(title, sizeof title, "Top %d from the (untrained) user id:", e->k);
  movie_list(*e, title, nu.id_recs, &nu.id_hit);
  if (wide) ImGui::EndTable();
  return {};
}

}  // namespace lab::ui
