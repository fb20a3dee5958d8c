// Widget for "embedding-distances": the query's nearest words under dot product, cosine and
// Euclidean distance side by side (same-category words in the category's colour), and every pair of
// words as a point (2(1 − cos), ‖x − y‖²): on the diagonal exactly when the vectors have length 1.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/embedding_distances.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/blocks/projector_tsv.h"
#include "ui/widgets/colors.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

BlockCommand widget_embedding_distances(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::EmbeddingDistancesExperiment>(run);
  if (!e || !e->analysed) return {};
  const core::Vocabulary& vocab = e->run.vocab;
  const int q = std::clamp(e->query, 0, int(vocab.words.size()) - 1);
  const float font = ImGui::GetFontSize();

  ImGui::Text("Query: %s (%s), ‖%s‖ = %.3g%s", vocab.words[size_t(q)].c_str(),
              vocab.category_names[size_t(vocab.category[size_t(q)])].c_str(), vocab.words[size_t(q)].c_str(),
              double(e->norms[size_t(q)]), e->normalize ? "   — all vectors normalised to length 1" : "");
  static const char* const kHeads[3] = {"dot product x·q  (larger = closer)", "cosine  (larger = closer)", "Euclidean ‖x − q‖  (smaller = closer)"};
  if (ImGui::BeginTable("##nn", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : kHeads) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    const size_t k = e->neighbours[0].size();
    for (size_t r = 0; r < k; ++r) {
      ImGui::TableNextRow();
      for (size_t m = 0; m < 3; ++m) {
        ImGui::TableNextColumn();
        if (r >= e->neighbours[m].size()) continue;
        const runtime::Neighbour& nb = e->neighbours[m][r];
        const int cat = vocab.category[size_t(nb.index)];
        const bool same = cat == vocab.category[size_t(q)];
        ImGui::PushStyleColor(ImGuiCol_Text, same ? ImGui::ColorConvertU32ToFloat4(palette_color(cat)) : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::Text("%zu. %s", r + 1, vocab.words[size_t(nb.index)].c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine(ImGui::GetColumnWidth() * 0.55f);
        ImGui::Text("%.3f", nb.value);
      }
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("Coloured: same category as the query; grey: another category.");
  // The other side of the story: does the query's category still count it as a neighbour?
  double found[3] = {0, 0, 0}, hub[3] = {0, 0, 0};
  bool have_found = true;  // undefined when the query's category has no other word
  for (const runtime::Metric& m : e->results) {
    if (m.name.ends_with("_found_by_category")) have_found &= m.defined();
    if (m.name == "dot_hub_share") hub[0] = m.value;
    if (m.name == "cosine_hub_share") hub[1] = m.value;
    if (m.name == "euclidean_hub_share") hub[2] = m.value;
    if (m.name == "dot_found_by_category") found[0] = m.value;
    if (m.name == "cosine_found_by_category") found[1] = m.value;
    if (m.name == "euclidean_found_by_category") found[2] = m.value;
  }
  const char* qw = vocab.words[size_t(q)].c_str();
  if (have_found)
    ImGui::TextWrapped("Of the other %s, these have %s among their %d nearest:   by dot product %.0f%%,   by cosine %.0f%%,   by Euclidean distance %.0f%%.",
                       vocab.category_names[size_t(vocab.category[size_t(q)])].c_str(), qw,
                       int(e->neighbours[0].size()), 100 * found[0], 100 * found[1], 100 * found[2]);
  ImGui::TextWrapped("Of all other words, these have %s as their single best match:   by dot product %.0f%%,   by cosine %.0f%%,   by Euclidean distance %.0f%%.",
                     qw, 100 * hub[0], 100 * hub[1], 100 * hub[2]);

  // The identity, pair by pair.
  const float avail = ImGui::GetContentRegionAvail().x;
  const float w = std::min(avail, font * 34);
  PlotSpec spec;
  spec.title = "Every pair of words: ‖x − y‖² against 2(1 − cos(x, y))";
  spec.x_label = "2 (1 − cos(x, y))";
  spec.y_label = "‖x − y‖²";
  spec.legend = PlotLegend::NorthWest;
  ImGui::BeginGroup();
  if (plot_begin("##identity", spec, ImVec2(w, w * 0.62f))) {
    const int n = int(e->pair_sq_distance.size());
    const float line[2] = {0, 4};  // 2(1 − cos) is always within [0, 4]
    plot_set_next_color(palette_color(5));
    plot_set_next_weight(1.5f);
    plot_line("equality: ‖x − y‖² = 2(1 − cos)", line, line, 2);
    plot_scatter("word pairs", e->pair_cos_term.data(), e->pair_sq_distance.data(), n, nullptr, 2.5f);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, "##identity", "distance-identity");
  ImGui::SameLine();
  std::vector<std::string> cat_col;
  for (size_t i = 0; i < vocab.words.size(); ++i) cat_col.push_back(vocab.category_names[size_t(vocab.category[i])]);
  projector_tsv_buttons(app, e->vectors, {"word", "category"}, {vocab.words, cat_col}, "word-vectors-compared");
  return {};
}

}  // namespace lab::ui
