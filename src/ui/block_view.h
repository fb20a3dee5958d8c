// One lab block in the lesson: its title, knobs, run controls and progress, the kind's own widget,
// its metrics and its `expect` checks (live ✓/✗), or its errors in place if the lesson got it wrong.
#pragma once

#include "runtime/session.h"

namespace lab::ui {

struct LabApp;
void block_view(LabApp& app, int run_index);

// A kind's own drawing (matrices, plots, quiz buttons). One file per kind in src/ui/blocks/,
// one line per kind in block_view.cpp's table.
using BlockWidget = void (*)(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_onehot(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_random_cosine(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_quiz(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_overfit(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);  // overfit-dropout, overfit-regularise
void widget_dropout_mask(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_batchnorm_compare(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_batchnorm_inference(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_embedding_lookup(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_param_count(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_embedding_train(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_embedding_distances(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_projection(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_rec_data(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_rec_explicit(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_rec_implicit(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);
void widget_rec_feedback(LabApp& app, runtime::BlockRun& run, const runtime::LabBlock& block);

}  // namespace lab::ui
