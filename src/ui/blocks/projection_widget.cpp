// Widget for "projection": the 2-D picture (one, or two seeds side by side) coloured by label with a
// hover read-out; beside it the hovered digit's 8×8 image, and PCA's variance per component or
// t-SNE's KL curve. Exports: each plot as CSV/PNG, the input vectors as Embedding Projector TSVs.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "runtime/blocks/projection.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/blocks/projector_tsv.h"
#include "ui/widgets/matrix_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace {

const char* data_title(const runtime::ProjectionExperiment& e) {
  if (e.user) return "of your vectors";
  switch (e.data) {
    case runtime::ProjectionData::Digits: return "digits";
    case runtime::ProjectionData::Words: return "word embeddings";
    case runtime::ProjectionData::BlobsSpread: return "planted clusters of different sizes";
    case runtime::ProjectionData::BlobsGaps: return "planted clusters at different distances";
  }
  return "";
}

// One scatter of layout r; returns the index hovered in the last frame or -1.
int draw_layout(LabApp& app, const runtime::ProjectionExperiment& e, int r, float width, float height) {
  const core::Mat y = e.layout(r);
  const int n = int(y.rows());
  char id[16], title[160], xl[64], yl[64];
  std::snprintf(id, sizeof id, "##proj%d", r);
  const bool pca = e.method == runtime::ProjectionMethod::Pca;
  if (pca) {
    std::snprintf(title, sizeof title, "PCA of %d %s", n, data_title(e));
    std::snprintf(xl, sizeof xl, "PC1 (%.1f%% of variance)", 100.0 * e.pca.explained_variance_ratio(0));
    std::snprintf(yl, sizeof yl, "PC2 (%.1f%% of variance)", 100.0 * e.pca.explained_variance_ratio(1));
  } else {
    std::snprintf(title, sizeof title, "t-SNE of %d %s: perplexity %g, seed %llu", n, data_title(e), e.perplexity_used,
                  static_cast<unsigned long long>(e.runs[size_t(r)].seed));
    std::snprintf(xl, sizeof xl, "t-SNE x (no unit)");
    std::snprintf(yl, sizeof yl, "t-SNE y");
  }
  std::vector<const char*> names, labels;
  for (const std::string& s : e.group_names) names.push_back(s.c_str());
  for (const std::string& s : e.point_labels) labels.push_back(s.c_str());
  PlotSpec spec;
  spec.title = title;
  spec.x_label = xl;
  spec.y_label = yl;
  spec.equal_aspect = true;
  spec.legend = PlotLegend::Outside;
  ImGui::BeginGroup();
  ImGui::BeginGroup();
  if (plot_begin(id, spec, ImVec2(width, height))) {
    plot_set_next_group_names(names.data(), int(names.size()));
    plot_set_next_point_labels(labels.data());
    plot_scatter("points", y.col(0).data(), y.col(1).data(), n, e.labels.data(), n > 500 ? 2.0f : 3.0f);
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, id, std::string(pca ? "pca-" : "tsne-") + e.data_name + (r ? "-seed-b" : ""));
  ImGui::EndGroup();
  const PlotHover h = plot_get_hover(ImGui::GetID(id));
  return h.active && h.index >= 0 && h.index < n ? h.index : -1;
}

struct ProjectionView {
  int inspected = -1;  // the point last hovered (its image stays shown)
};

}  // namespace

BlockCommand widget_projection(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::ProjectionExperiment>(run);
  if (!e || !e->error.ok) return {};
  BlockCommand command;
  if (e->user) {
    // The student's own vectors replace the block's data: say so, and let them pick the colouring.
    const core::ProjectorMetadata& m = e->user->meta;
    ImGui::Text("Your data: %s, %d points × %d dimensions", e->user->name.c_str(), int(e->x.rows()), int(e->x.cols()));
    if (!m.header.empty()) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
      const char* now = m.header[size_t(std::clamp(e->colour, 0, int(m.header.size()) - 1))].c_str();
      if (ImGui::BeginCombo("colour by##byod", now)) {
        for (int c = 0; c < int(m.header.size()); ++c)
          if (ImGui::Selectable(m.header[size_t(c)].c_str(), c == e->colour)) command = ProjectionColourBy{c};
        ImGui::EndCombo();
      }
    } else {
      ImGui::SameLine();
      ImGui::TextDisabled("(no metadata.tsv: one colour)");
    }
  }
  const bool pca = e->method == runtime::ProjectionMethod::Pca;
  if ((pca && e->pca_y.rows() == 0) || (!pca && e->runs.empty())) return command;
  // Nothing to draw while t-SNE initialises (the progress bar says which stage it is at).
  for (const runtime::TsneRun& r : e->runs)
    if (!core::tsne_init_done(r.state)) return command;
  const float font = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = ImGui::GetStyle().ItemSpacing.x;

  if (e->runs.size() == 2) {  // two seeds side by side; hovering a point shows its label in a tooltip
    const float w = (avail - gap) * 0.5f;
    const float h = std::min(w * 0.85f, font * 24);
    draw_layout(app, *e, 0, w, h);
    ImGui::SameLine();
    draw_layout(app, *e, 1, w, h);
  } else {
    const bool side = avail > font * 40;
    const float w = side ? avail * 0.68f : avail;
    const int hovered = draw_layout(app, *e, 0, w, std::min(w * 0.72f, font * 28));
    if (side) ImGui::SameLine();
    ImGui::BeginGroup();
    const float sw = side ? avail - w - gap : avail;
    int& inspected = app.ui.block_views.get<ProjectionView>(run).inspected;
    if (hovered >= 0) inspected = hovered;
    const int p = inspected;
    if (e->image_side > 0) {
      ImGui::TextWrapped(p >= 0 ? "%s" : "Hover a point to see its image.", p >= 0 ? e->point_labels[size_t(p)].c_str() : "");
      if (p >= 0) {
        const int s = e->image_side;
        core::Mat img(s, s);
        for (int r = 0; r < s; ++r)
          for (int c = 0; c < s; ++c) img(r, c) = e->x(p, r * s + c);
        MatrixViewSpec ms;
        ms.colormap = Colormap::Blues;
        ms.v_min = 0;
        ms.v_max = 16;
        ms.show_values = false;
        ms.show_scale = false;
        ms.cell_size = std::min(1.6f, sw / font / 10.0f);
        static const char* const kEmpty[8] = {"", "", "", "", "", "", "", ""};
        ms.row_labels = kEmpty;
        ms.col_labels = kEmpty;
        matrix_view("##digit", img, ms);
      }
    } else {
      ImGui::TextWrapped(p >= 0 ? "%s" : "Hover a point to see what it is.", p >= 0 ? e->point_labels[size_t(p)].c_str() : "");
    }
    ImGui::Spacing();
    if (pca) {
      const int c = int(e->pca.explained_variance_ratio.size());
      static const char* const kPcs[10] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
      PlotSpec vs;
      vs.title = "Variance kept by each component";
      vs.x_label = "principal component";
      vs.y_label = "share of variance";
      vs.x_tick_labels = kPcs;
      vs.x_tick_count = std::min(c, 10);
      vs.legend = PlotLegend::None;
      vs.y_min = 0;
      ImGui::BeginGroup();
      if (plot_begin("##variance", vs, ImVec2(sw, std::min(sw * 0.75f, font * 13)))) {
        plot_bars("share of variance", e->pca.explained_variance_ratio.data(), std::min(c, 10));
        plot_end();
      }
      ImGui::EndGroup();
      export_buttons(app, "##variance", "pca-variance-" + e->data_name);
    } else {
      PlotSpec ks;
      ks.title = "KL(P ‖ Q): what t-SNE minimises";
      ks.x_label = "iteration";
      ks.y_label = "KL";
      ks.legend = PlotLegend::None;
      ImGui::BeginGroup();
      if (plot_begin("##kl", ks, ImVec2(sw, std::min(sw * 0.75f, font * 13)))) {
        const runtime::TsneRun& r = e->runs[0];
        plot_line("KL", r.kl_iteration.data(), r.kl_value.data(), int(r.kl_value.size()));
        plot_vline("end of early exaggeration", r.state.params.exaggeration_iterations);
        plot_end();
      }
      ImGui::EndGroup();
      export_buttons(app, "##kl", "tsne-kl-" + e->data_name);
    }
    ImGui::EndGroup();
  }

  // The input vectors, for the Embedding Projector.
  std::vector<std::string> label_col, group_col;
  for (size_t i = 0; i < e->point_labels.size(); ++i) {
    label_col.push_back(e->point_labels[i]);
    group_col.push_back(e->group_names[size_t(e->labels[i])]);
  }
  ImGui::TextDisabled("Input vectors (%d × %d):", int(e->x.rows()), int(e->x.cols()));
  ImGui::SameLine();
  projector_tsv_buttons(app, e->x, {"label", "group"}, {label_col, group_col}, e->data_name);
  return command;
}

}  // namespace lab::ui
