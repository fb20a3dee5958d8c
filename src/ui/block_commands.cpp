#include "ui/block_commands.h"

#include "runtime/assets.h"
#include "runtime/blocks/blocks.h"
#include "runtime/blocks/dropout_mask.h"
#include "runtime/blocks/projection.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/blocks/rec_implicit.h"

namespace lab::ui {

namespace {

// The run's experiment as the kind the command is for; null if it is another (a widget's mistake).
template <class E>
E* experiment_for(runtime::BlockRun& run) {
  return dynamic_cast<E*>(runtime::experiment_ready(run.experiment.get()));
}

void apply(runtime::BlockRun&, std::monostate) {}

void apply(runtime::BlockRun& run, DropoutMaskResample) {
  if (auto* e = experiment_for<runtime::DropoutMaskExperiment>(run)) e->resample();
}

void apply(runtime::BlockRun& run, RecExplicitListFor c) {
  if (auto* e = experiment_for<runtime::RecExplicitExperiment>(run)) e->list_for(c.user, c.item);
}

void apply(runtime::BlockRun& run, RecImplicitListFor c) {
  if (auto* e = experiment_for<runtime::RecImplicitExperiment>(run)) e->list_for(c.user);
}

void apply(runtime::BlockRun& run, RecImplicitResample) {
  if (auto* e = experiment_for<runtime::RecImplicitExperiment>(run)) e->sample_triplet();
}

void apply(runtime::BlockRun& run, QuizCheck c) {
  if (auto* q = experiment_for<runtime::QuizExperiment>(run)) q->checked_choice = c.choice;
}

void apply(runtime::BlockRun& run, ProjectionColourBy c) {
  if (auto* e = experiment_for<runtime::ProjectionExperiment>(run)) e->colour_by(c.column);
}

}  // namespace

void block_command_apply(runtime::BlockRun& run, const BlockCommand& command) {
  std::visit([&](const auto& c) { apply(run, c); }, command);
}

}  // namespace lab::ui
