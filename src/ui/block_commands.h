// What a student can ask of a running block through its kind's widget, besides the knobs and
// Pause / Reset that block_view draws for every kind. A widget only reads its run: it returns at
// most one command per frame, and block_view() applies it once the widget has drawn (the change
// shows from the next frame). A kind whose widget changes its experiment adds its command here.
#pragma once

#include <variant>

#include "runtime/session.h"

namespace lab::ui {

struct DropoutMaskResample {};                           // dropout-mask: draw another mask for the picture
struct RecExplicitListFor { int user = 0, item = 0; };   // rec-explicit: recommendations for `user`, movies like `item`
struct RecImplicitListFor { int user = 0; };             // rec-implicit: the top-k lists of `user`
struct RecImplicitResample {};                           // rec-implicit: draw another training triplet
struct QuizCheck { int choice = -1; };
struct ProjectionColourBy { int column = 0; };         // projection (the student's vectors): group by this metadata column                   // quiz: the student checks `choice` (-1: picked again, not checked yet)

using BlockCommand = std::variant<std::monostate,  // nothing asked
                                  DropoutMaskResample, RecExplicitListFor, RecImplicitListFor, RecImplicitResample,
                                  QuizCheck, ProjectionColourBy>;

// Applies a widget's command to its run's experiment.
void block_command_apply(runtime::BlockRun& run, const BlockCommand& command);

}  // namespace lab::ui
