// Widget for "embedding-train": the rows of W moving while they train (d = 2: as they are; d > 2:
// their first two principal components), coloured by category with every word written beside its
// point; the cosine similarity of every pair of words; and the loss per mini-batch.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/embed/pca.h"
#include "core/embed/similarity.h"
#include "imgui.h"
#include "runtime/blocks/embedding_train.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/blocks/projector_tsv.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

BlockCommand widget_embedding_train(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::EmbeddingTrainExperiment>(run);
  if (!e || !e->run.status.ok) return {};
  const core::Vocabulary& vocab = e->run.vocab;
  const core::Mat& w = e->run.embeddings();
  if (w.rows() == 0) return {};
  const int n = int(w.rows()), d = int(w.cols());

  // 2-D coordinates: W itself, or its projection on the first two principal axes.
  core::Mat xy;
  std::string x_label = "w₁", y_label = "w₂";
  if (d == 2) {
    xy = w;
  } else {
    core::Pca pca;
    if (!core::pca_fit(w, 2, pca)) return {};
    xy = core::pca_transform(pca, w);
    char buf[64];
    std::snprintf(buf, sizeof buf, "PC1 (%.0f%% of variance)", 100.0 * pca.explained_variance_ratio(0));
    x_label = buf;
    std::snprintf(buf, sizeof buf, "PC2 (%.0f%% of variance)", 100.0 * pca.explained_variance_ratio(1));
    y_label = buf;
  }
  std::vector<const char*> words, cats;
  for (const std::string& s : vocab.words) words.push_back(s.c_str());
  for (const std::string& s : vocab.category_names) cats.push_back(s.c_str());

  const float font = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool wide = avail > font * 45;
  const float left_w = wide ? avail * 0.55f : avail;
  const float right_w = wide ? avail - left_w - ImGui::GetStyle().ItemSpacing.x : avail;

  char title[128];
  std::snprintf(title, sizeof title, d == 2 ? "The %d rows of W (d = 2)" : "The %d rows of W (d = %d), first two principal components", n, d);
  ImGui::BeginGroup();
  PlotSpec spec;
  spec.title = title;
  spec.x_label = x_label.c_str();
  spec.y_label = y_label.c_str();
  spec.equal_aspect = true;
  spec.legend = PlotLegend::Outside;
  ImGui::BeginGroup();
  if (plot_begin("##words", spec, ImVec2(left_w, std::min(left_w * 0.8f, font * 26)))) {
    plot_set_next_group_names(cats.data(), int(cats.size()));
    plot_set_next_point_labels(words.data());
    plot_scatter("words", xy.col(0).data(), xy.col(1).data(), n, vocab.category.data(), 4.0f);
    for (int i = 0; i < n; ++i) plot_text(double(xy(i, 0)), double(xy(i, 1)), words[size_t(i)]);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##words", "word-embeddings-2d");
  ImGui::SameLine();
  std::vector<std::string> cat_col;
  for (int i = 0; i < n; ++i) cat_col.push_back(vocab.category_names[size_t(vocab.category[size_t(i)])]);
  projector_tsv_buttons(app, w, {"word", "category"}, {vocab.words, cat_col}, "word-embeddings");
  ImGui::SameLine();
  model_save_button(app, e->run.result != nullptr && e->run.objective != nullptr,
                    [e] { return runtime::word_embedding_model_file(e->run); }, "word-embeddings-skipgram",
                    "W (the word vectors), U and b, with the vocabulary in its description");
  ImGui::EndGroup();

  if (wide) ImGui::SameLine();
  ImGui::BeginGroup();
  const core::Mat cos = core::measure_self(core::Measure::Cosine, w);
  PlotSpec hs;
  hs.title = "Cosine similarity of every pair of words";
  hs.legend = PlotLegend::None;
  ImGui::BeginGroup();
  if (plot_begin("##cosines", hs, ImVec2(right_w, std::min(right_w * 0.9f, font * 26)))) {
    plot_set_next_colormap(Colormap::Diverging);
    plot_heatmap("cosine", cos.data(), n, n, true, -1.0, 1.0, words.data(), words.data());
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##cosines", "word-cosines");
  ImGui::EndGroup();

  // Loss per mini-batch (the training is reused from an earlier step when nothing is left to show).
  const std::vector<float>& batch = e->run.trainer.history.batch_loss;
  if (!batch.empty()) {
    // Single mini-batches are noisy (64 random word pairs each): show a running mean too.
    std::vector<float> smooth(batch.size());
    double sum = 0;
    constexpr size_t kWindow = 50;
    for (size_t i = 0; i < batch.size(); ++i) {
      sum += batch[i];
      if (i >= kWindow) sum -= batch[i - kWindow];
      smooth[i] = float(sum / double(std::min(i + 1, kWindow)));
    }
    PlotSpec ls;
    ls.title = "Training loss (cross-entropy of predicting a context word)";
    ls.x_label = "mini-batch";
    ls.y_label = "loss";
    ImGui::BeginGroup();
    if (plot_begin("##loss", ls, ImVec2(avail, font * 12))) {
      plot_set_next_color(palette_color(4, 0.45f));
      plot_set_next_weight(1.0f);
      plot_line("loss per mini-batch", batch.data(), int(batch.size()));
      plot_line("mean of the last 50", smooth.data(), int(smooth.size()));
      plot_hline("chance: ln |V|", std::log(double(n)));
      plot_end();
    }
    ImGui::EndGroup();
    export_buttons(app, "##loss", "word-embedding-loss");
  }
  return {};
}

}  // namespace lab::ui
