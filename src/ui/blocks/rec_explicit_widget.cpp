// Widget for "rec-explicit": RMSE curves per epoch; after training, recommendations for a user and
// the movies most similar to a movie (pickable here without retraining); the t-SNE map by genre.
#include <algorithm>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "runtime/blocks/rec_explicit.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/blocks/projector_tsv.h"
#include "ui/blocks/rec_banner.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace rs = core::recsys;

static std::string genres_of(const rs::ItemInfo& it) {
  std::string s;
  for (int g = 1; g < rs::kGenres; ++g)
    if (it.genres[size_t(g)]) {
      if (!s.empty()) s += ", ";
      s += rs::kGenreNames[size_t(g)];
    }
  return s;
}

static void movie_table(const char* id, const rs::RecData& d, const std::vector<int32_t>& items,
                        const std::vector<float>& scores, const char* score_name) {
  if (ImGui::BeginTable(id, 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("movie", ImGuiTableColumnFlags_WidthStretch, 3);
    ImGui::TableSetupColumn("genres", ImGuiTableColumnFlags_WidthStretch, 2);
    ImGui::TableSetupColumn(score_name, ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (size_t n = 0; n < items.size(); ++n) {
      const rs::ItemInfo& it = d.items[size_t(items[n])];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", int(n + 1));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(it.title.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(genres_of(it).c_str());
      ImGui::TableNextColumn();
      if (n < scores.size()) ImGui::Text("%.2f", scores[n]);
    }
    ImGui::EndTable();
  }
}

static void tsne_label(int index, char* buf, int size, const void* user) {
  const auto* e = static_cast<const runtime::RecExplicitExperiment*>(user);
  const rs::ItemInfo& it = e->data.items[size_t(index)];
  std::snprintf(buf, size_t(size), "%s (%s)", it.title.c_str(), genres_of(it).c_str());
}

BlockCommand widget_rec_explicit(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::RecExplicitExperiment>(run);
  if (!e || !e->initialised || !e->error.ok) return {};
  rec_data_banner(app, e->data);
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 size(w, std::min(w * 0.4f, ImGui::GetFontSize() * 14));
  const auto& h = e->rt.trainer.history;
  std::vector<float> xs;
  for (size_t i = 0; i < h.val_metric.size(); ++i) xs.push_back(float(i + 1));
  char title[128];
  std::snprintf(title, sizeof title, "RMSE per epoch — %s, d = %d, λ = %g", rs::model_name(e->model.kind), int(e->model.dim), e->model.l2);
  PlotSpec spec;
  spec.title = title;
  spec.x_label = "epoch";
  spec.y_label = "RMSE (stars)";
  spec.x_min = 0.5;
  spec.x_max = e->train.epochs + 0.5;
  ImGui::BeginGroup();
  if (plot_begin("##rec-curves", spec, size)) {
    plot_line("train", xs.data(), h.train_metric.data(), int(std::min(xs.size(), h.train_metric.size())));
    plot_line("held-out", xs.data(), h.val_metric.data(), int(xs.size()));
    if (e->evaluated && e->eval.noise_floor_rmse > 0) plot_hline("noise floor", e->eval.noise_floor_rmse);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##rec-curves", std::string("rec-explicit-") + rs::model_name(e->model.kind) + "-curves");
  if (!e->evaluated) return {};
  ImGui::Text("Held-out RMSE %.3f, MAE %.3f (noise floor %.3f). Users with ≤ 25 ratings: RMSE %.3f.", e->eval.rmse, e->eval.mae,
              e->eval.noise_floor_rmse, e->light_rmse);

  int u = e->listed_user, i = e->listed_item;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  bool changed = ImGui::SliderInt("user##rec-user", &u, 0, e->data.n_users - 1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  changed |= ImGui::SliderInt("movie##rec-item", &i, 0, e->data.n_items - 1);
  BlockCommand command;
  if (changed) command = RecExplicitListFor{u, i};
  if (ImGui::BeginTable("##rec-lists", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
    ImGui::Text("User %d liked:", e->listed_user);
    for (int32_t it : e->user_top_rated) ImGui::BulletText("%s", e->data.items[size_t(it)].title.c_str());
    ImGui::Text("Top %d recommendations (unseen movies):", int(e->recs.size()));
    movie_table("##rec-recs", e->data, e->recs, e->rec_scores, "predicted");
    ImGui::TableNextColumn();
    ImGui::Text("Movies most similar to %s:", e->data.items[size_t(e->listed_item)].title.c_str());
    ImGui::TextDisabled("(%s)", genres_of(e->data.items[size_t(e->listed_item)]).c_str());
    std::vector<int32_t> ids;
    std::vector<float> sims;
    for (const rs::Neighbour& n : e->similar) ids.push_back(n.item), sims.push_back(n.similarity);
    movie_table("##rec-similar", e->data, ids, sims, "cosine");
    ImGui::EndTable();
  }
  // The movie embeddings for TensorFlow's Embedding Projector: vectors (one row per movie, tabs)
  // and metadata (a header row, then title and first genre).
  if (ImGui::SmallButton("↓ movie embeddings TSV")) {
    const core::Mat v = e->rt.rating->item_vectors();
    std::string out;
    char num[32];
    for (core::Index r = 0; r < v.rows(); ++r) {
      for (core::Index c = 0; c < v.cols(); ++c) {
        std::snprintf(num, sizeof num, c ? "\t%.6g" : "%.6g", double(v(r, c)));
        out += num;
      }
      out += '\n';
    }
    export_file(app, std::string("rec-") + rs::model_name(e->model.kind) + "-movie-vectors.tsv", out);
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("↓ movie metadata TSV")) {
    std::string out = "title\tgenre\n";
    for (size_t i = 0; i < e->data.items.size(); ++i) {
      std::string t = e->data.items[i].title;
      for (char& c : t)
        if (c == '\t' || c == '\n') c = ' ';
      out += t + "\t" + rs::kGenreNames[size_t(e->genre[i])] + "\n";
    }
    export_file(app, std::string("rec-") + rs::model_name(e->model.kind) + "-movie-metadata.tsv", out);
  }
  ImGui::SameLine();
  model_save_button(app, e->trained(), [e] { return e->model_file(); }, std::string("rec-") + rs::model_name(e->model.kind));
  if (!e->tsne_x.empty()) {
    std::vector<const char*> names(rs::kGenreNames.begin(), rs::kGenreNames.end());
    PlotSpec ts;
    ts.title = "Movie embeddings through t-SNE, coloured by first genre";
    ts.x_label = "t-SNE 1";
    ts.y_label = "t-SNE 2";
    ts.equal_aspect = true;
    ts.legend = PlotLegend::NorthEast;
    ImGui::BeginGroup();
    if (plot_begin("##rec-tsne", ts, ImVec2(w, std::min(w * 0.7f, ImGui::GetFontSize() * 24)))) {
      plot_set_next_group_names(names.data(), int(names.size()));
      plot_set_next_point_label_fn(tsne_label, e);
      plot_scatter("movies", e->tsne_x.data(), e->tsne_y.data(), int(e->tsne_x.size()), e->genre.data());
      plot_end();
    }
    ImGui::EndGroup();
    export_buttons(app, "##rec-tsne", "rec-explicit-tsne");
  }
  return command;
}

}  // namespace lab::ui
