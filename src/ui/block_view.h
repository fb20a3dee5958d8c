// One lab block in the lesson: its title, knobs, run controls and progress, the kind's own widget,
// its metrics and its `expect` checks (live ✓/✗), or its errors in place if the lesson got it wrong.
#pragma once

#include <span>

#include "runtime/assets.h"
#include "runtime/session.h"
#include "ui/block_commands.h"

namespace lab::ui {

struct LabApp;
void block_view(LabApp& app, int run_index);

// A kind's own drawing (matrices, plots, quiz buttons), one file per kind in src/ui/blocks/. It reads
// its run (through experiment_as), keeps what only the screen needs in app.ui.block_views
// (block_view_state.h), and returns what the student asked the experiment to do (block_commands.h).
using BlockWidget = BlockCommand (*)(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);

// The widget table, keyed by the kind itself: one line per registered kind in block_view.cpp
// (a test checks that none is missing; src/runtime/blocks/README.md says how to add a kind).
struct BlockWidgetEntry {
  const runtime::BlockKind* kind;
  BlockWidget draw;  // nullptr: the kind has no drawing of its own (knobs, metrics and expects only)
};
std::span<const BlockWidgetEntry> block_widgets();
const BlockWidgetEntry* block_widget_find(const runtime::BlockKind& kind);

// The run's experiment as its kind's type, read-only; null if it is not one, or while the block waits
// for its data (runtime/assets.h).
template <class E>
const E* experiment_as(const runtime::BlockRun& run) {
  return dynamic_cast<const E*>(runtime::experiment_ready(run.experiment.get()));
}

BlockCommand widget_onehot(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_random_cosine(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_quiz(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_overfit(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);  // overfit-dropout, overfit-regularise
BlockCommand widget_dropout_mask(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_dropout_ensemble(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_embedding_size(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_batchnorm_compare(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_batchnorm_inference(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_embedding_lookup(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_param_count(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_embedding_train(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_embedding_distances(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_projection(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_rec_data(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_rec_explicit(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_rec_implicit(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_rec_course(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_rec_feedback(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_rec_coldstart(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);
BlockCommand widget_rec_youtube(LabApp& app, const runtime::BlockRun& run, const runtime::LabBlock& block);

}  // namespace lab::ui
