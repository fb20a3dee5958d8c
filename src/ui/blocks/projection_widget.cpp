// Widget for "projection": the 2-D picture (one, or two seeds side by side, or t-SNE with PCA's own
// picture beside it) coloured by label with a hover read-out; beside it the hovered image (8×8 digit,
// 28×28 Fashion-MNIST), and PCA's variance per component or t-SNE's KL curve. For images, a "pictures"
// switch draws the images themselves at their points. Exports: each plot as CSV/PNG, the input vectors
// as Embedding Projector TSVs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "imgui.h"
#include "runtime/assets.h"
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
    case runtime::ProjectionData::Fmnist: return "Fashion-MNIST images";
  }
  return "";
}

// Every image of the data set in one texture (a square grid, white with the pixel as alpha), uploaded
// once per process and data set; point i's image is the data set's row e.source_rows[i].
const Texture* image_atlas(LabApp& app, const runtime::ProjectionExperiment& e) {
  if (e.image_side <= 0 || e.user || !app.create_texture) return nullptr;
  const std::string key = "projection-atlas:" + e.data_name;
  if (auto it = app.textures.find(key); it != app.textures.end()) return it->second.id ? &it->second : nullptr;
  core::Status st;
  const int side = e.image_side;
  int count = 0;
  std::shared_ptr<const runtime::FmnistData> fm;
  std::shared_ptr<const core::LabeledData> digits;
  if (e.data == runtime::ProjectionData::Fmnist) {
    if (!(fm = runtime::fmnist_data(st))) return nullptr;
    count = fm->images.n;
  } else {
    if (!(digits = runtime::digits_data(st))) return nullptr;
    count = int(digits->x.rows());
  }
  const int per_row = int(std::ceil(std::sqrt(double(count))));
  const int w = per_row * side, h = ((count + per_row - 1) / per_row) * side;
  std::vector<unsigned char> rgba(size_t(w) * size_t(h) * 4, 255);
  for (int i = 0; i < count; ++i)
    for (int r = 0; r < side; ++r)
      for (int c = 0; c < side; ++c) {
        const double v = fm ? fm->images.pixels[size_t(i) * size_t(side * side) + size_t(r * side + c)] / 255.0
                            : double(digits->x(i, r * side + c)) / 16.0;
        const size_t at = (size_t((i / per_row) * side + r) * size_t(w) + size_t((i % per_row) * side + c)) * 4;
        rgba[at + 3] = static_cast<unsigned char>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
      }
  Texture t;
  t.id = app.create_texture(rgba.data(), w, h);
  t.width = w;
  t.height = h;
  Texture& kept = app.textures[key] = t;
  return kept.id ? &kept : nullptr;
}

// Point i's place in the atlas: (u0, v0, u1, v1) for each point.
std::vector<float> atlas_uvs(const Texture& t, const runtime::ProjectionExperiment& e) {
  const int side = e.image_side, per_row = t.width / side;
  std::vector<float> uv;
  uv.reserve(e.source_rows.size() * 4);
  for (const int row : e.source_rows) {
    const float x0 = float((row % per_row) * side), y0 = float((row / per_row) * side);
    uv.insert(uv.end(), {x0 / float(t.width), y0 / float(t.height), (x0 + float(side)) / float(t.width),
                         (y0 + float(side)) / float(t.height)});
  }
  return uv;
}

// One scatter of layout r (-1: PCA's own picture beside t-SNE's); returns the index hovered in the
// last frame or -1. `atlas`: draw the images themselves at the points.
int draw_layout(LabApp& app, const runtime::ProjectionExperiment& e, int r, float width, float height,
                const Texture* atlas = nullptr) {
  const core::Mat y = r < 0 ? e.pca_y : e.layout(r);
  const int n = int(y.rows());
  char id[16], title[160], xl[64], yl[64];
  std::snprintf(id, sizeof id, "##proj%d", r);
  const bool pca = e.method == runtime::ProjectionMethod::Pca || r < 0;
  if (r < 0) {
    std::snprintf(title, sizeof title, "PCA alone: PC1 and PC2 of the %d", int(e.pca.axes.cols()));
    std::snprintf(xl, sizeof xl, "PC1 (%.1f%% of variance)", 100.0 * e.pca.explained_variance_ratio(0));
    std::snprintf(yl, sizeof yl, "PC2 (%.1f%% of variance)", 100.0 * e.pca.explained_variance_ratio(1));
  } else if (pca) {
    std::snprintf(title, sizeof title, "PCA of %d %s", n, data_title(e));
    std::snprintf(xl, sizeof xl, "PC1 (%.1f%% of variance)", 100.0 * e.pca.explained_variance_ratio(0));
    std::snprintf(yl, sizeof yl, "PC2 (%.1f%% of variance)", 100.0 * e.pca.explained_variance_ratio(1));
  } else {
    if (e.pca_beside())  // short: PCA's picture stands beside it
      std::snprintf(title, sizeof title, "t-SNE of their first %d PCs (perplexity %g)", int(e.pca.axes.cols()), e.perplexity_used);
    else
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
  spec.legend = e.pca_beside() && r == 0 ? PlotLegend::None : PlotLegend::Outside;  // one legend for the pair: PCA's
  ImGui::BeginGroup();
  ImGui::BeginGroup();
  if (plot_begin(id, spec, ImVec2(width, height))) {
    plot_set_next_group_names(names.data(), int(names.size()));
    plot_set_next_point_labels(labels.data());
    plot_scatter("points", y.col(0).data(), y.col(1).data(), n, e.labels.data(), n > 500 ? 2.0f : 3.0f);
    if (atlas) {
      const std::vector<double> xs(y.col(0).data(), y.col(0).data() + n), ys(y.col(1).data(), y.col(1).data() + n);
      const std::vector<float> uv = atlas_uvs(*atlas, e);
      plot_images("##pictures", xs.data(), ys.data(), n, atlas->id, uv.data(), e.image_side > 8 ? 22.0f : 14.0f);
    }
    plot_end();
  }
  ImGui::EndGroup();
  export_buttons(app, id, std::string(pca ? "pca-" : "tsne-") + e.data_name + (r ? "-seed-b" : ""));
  ImGui::EndGroup();
  const PlotHover h = plot_get_hover(ImGui::GetID(id));
  return h.active && h.index >= 0 && h.index < n ? h.index : -1;
}

struct ProjectionView {
  int inspected = -1;     // the point last hovered (its image stays shown)
  int pictures = -1;      // draw the images themselves at their points (-1: as the block's `pictures` says)
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
    if (r.y.rows() == 0) return command;
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
    ProjectionView& view = app.ui.block_views.get<ProjectionView>(run);
    const Texture* atlas = nullptr;
    if (e->image_side > 0 && app.create_texture) {
      bool on = view.pictures < 0 ? run.config.flag("pictures") : view.pictures != 0;
      if (ImGui::Checkbox("pictures##proj", &on)) view.pictures = on ? 1 : 0;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Draw the images themselves at their points (one per place on screen)");
      if (on) atlas = image_atlas(app, *e);
    }
    int hovered = -1;
    float sw = avail;
    if (e->pca_beside()) {
      // t-SNE and PCA's own picture of the same components side by side (stacked on a narrow screen);
      // the image and the KL curve under them.
      const bool two = avail > font * 36;
      const float w = two ? (avail - gap) * 0.5f : avail;
      const float h = std::min(w * (two ? 0.9f : 0.85f), font * 30);
      hovered = draw_layout(app, *e, 0, w, h, atlas);
      if (two) ImGui::SameLine();
      if (const int hp = draw_layout(app, *e, -1, w, h, atlas); hp >= 0) hovered = hp;
    } else {
      const bool side = avail > font * 40;
      const float w = side ? avail * 0.68f : avail;
      hovered = draw_layout(app, *e, 0, w, std::min(w * 0.72f, font * 28), atlas);
      if (side) ImGui::SameLine();
      sw = side ? avail - w - gap : avail;
    }
    ImGui::BeginGroup();
    int& inspected = view.inspected;
    if (hovered >= 0) inspected = hovered;
    const int p = inspected;
    if (e->pca_beside()) sw = std::min(avail, font * 20);  // the image and the KL curve under the two pictures
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
        ms.v_max = e->image_max;
        ms.show_values = false;
        ms.show_scale = false;
        ms.cell_size = std::min(1.6f, sw / font / 10.0f) * 8.0f / float(s);
        static const char* const kEmpty[28] = {"", "", "", "", "", "", "", "", "", "", "", "", "", "",
                                                 "", "", "", "", "", "", "", "", "", "", "", "", "", ""};
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
        plot_vline("end of early exaggeration", e->exaggeration_iterations);
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
