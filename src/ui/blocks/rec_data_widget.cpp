// Widget for "rec-data": the star histogram, the popularity long tail or ratings per user.
#include <cstdio>
#include <numeric>
#include <string>

#include "imgui.h"
#include "runtime/blocks/rec_data.h"
#include "runtime/blocks/rec_user_data.h"
#include "runtime/text.h"
#include "ui/blocks/rec_banner.h"
#include "ui/app_ui.h"
#include "ui/block_view.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

BlockCommand widget_rec_data(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock&) {
  const auto* e = experiment_as<runtime::RecDataExperiment>(run);
  if (!e || !e->computed || !e->error.ok) return {};
  rec_data_banner(app, e->data);
  const int view = run.config.integer("view");
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 size(w, std::min(w * 0.45f, ImGui::GetFontSize() * 16));
  ImGui::BeginGroup();
  if (view == 0) {
    static const char* const stars[] = {"1", "2", "3", "4", "5"};
    PlotSpec spec;
    spec.title = "How many stars do users give?";
    spec.x_label = "stars";
    spec.y_label = "ratings";
    spec.x_tick_labels = stars;
    spec.x_tick_count = 5;
    spec.y_min = 0;
    if (plot_begin("##rec-stars", spec, size)) {
      plot_bars("ratings", e->star_counts.data(), 5);
      plot_end();
    }
    ImGui::EndGroup();
    export_buttons(app, "##rec-stars", "rec-data-stars");
  } else if (view == 1) {
    PlotSpec spec;
    spec.title = "The long tail: ratings per movie, most-rated first";
    spec.x_label = "movie rank by popularity";
    spec.y_label = "ratings";
    spec.y_min = 0;
    if (plot_begin("##rec-tail", spec, size)) {
      plot_line("ratings per movie", e->item_counts_desc.data(), int(e->item_counts_desc.size()));
      plot_vline("10% most-rated", 0.1 * double(e->item_counts_desc.size()));
      plot_end();
    }
    ImGui::EndGroup();
    export_buttons(app, "##rec-tail", "rec-data-long-tail");
  } else {
    PlotSpec spec;
    spec.title = "Ratings per user";
    spec.x_label = "ratings given by a user";
    spec.y_label = "users";
    if (plot_begin("##rec-users", spec, size)) {
      plot_histogram("users", e->user_counts.data(), int(e->user_counts.size()), 30);
      plot_end();
    }
    ImGui::EndGroup();
    export_buttons(app, "##rec-users", "rec-data-users");
  }
  ImGui::TextWrapped("%d users x %d movies, %lld ratings (%.1f%% of the matrix filled). The 10%% most-rated movies get %.0f%% of all ratings.",
                     e->data.n_users, e->data.n_items, (long long)e->summary.n_ratings,
                     100.0 * double(e->summary.n_ratings) / (double(e->data.n_users) * e->data.n_items),
                     100.0 * e->summary.top10pct_item_share);
  return {};
}

}  // namespace lab::ui

namespace lab::ui {

void rec_data_banner(LabApp&, const core::recsys::RecData& data) {
  const std::shared_ptr<const runtime::RecUserData> u = runtime::rec_user_data();
  if (!data.synthetic && u) {
    // True in the page and natively: the files are read where the lab runs, and sent nowhere.
    ImGui::TextWrapped("Data: %s, %s ratings, %d users x %d movies. Read on this computer: nothing was uploaded.", u->name.c_str(),
                       runtime::with_commas((long long)data.ratings.size()).c_str(), int(data.n_users), int(data.n_items));
    if (runtime::rec_user_data_remembered()) {
      // web/byod.js keeps the files in the browser's IndexedDB and deletes them when the data goes.
      if (ImGui::SmallButton("Forget my data")) runtime::rec_user_data_request_forget();
      ImGui::SameLine();
      ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
      ImGui::TextWrapped("Your copy, remembered in this browser for your next visit. It is stored on this computer only: "
                         "nothing ever leaves it. Forgetting deletes it and goes back to the generated data.");
      ImGui::PopStyleColor();
    } else if (ImGui::SmallButton("Back to the generated data")) {
      runtime::rec_user_data_request_forget();
    }
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().muted);
    ImGui::TextWrapped("Data: generated, MovieLens-shaped (%d users x %d movies, %s ratings). Have ml-100k.zip from "
                       "GroupLens? Drop it (or its folder, or u.data + u.item + u.user) here to use the real ratings.",
                       int(data.n_users), int(data.n_items), runtime::with_commas((long long)data.ratings.size()).c_str());
    ImGui::PopStyleColor();
  }
  if (const std::string& err = runtime::rec_user_data_error(); !err.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui_colors().error);
    ImGui::TextWrapped("Not read: %s", err.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace lab::ui
