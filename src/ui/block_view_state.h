// The UI's own state of the blocks on screen: what the student hovers, picks or looks at, which the
// experiment neither needs nor reports (runtime state lives in the session, view state here, the
// split Hello ImGui's AppState follows). Each widget defines its own small struct, e.g.
//
//     struct QuizView { int picked = -1; };
//     int& picked = app.ui.block_views.get<QuizView>(run).picked;
//
// One value per experiment (BlockRun::experiment_id), so "Reset", a knob change or another step
// starts from a fresh one: an index into the old experiment's points or layers never outlives it.
#pragma once

#include <any>
#include <cstdint>
#include <map>

#include "runtime/session.h"

namespace lab::ui {

class BlockViewStates {
 public:
  // The view state of type T of this run's experiment: T{} the first time it is asked for.
  template <class T>
  T& get(const runtime::BlockRun& run) {
    std::any& state = states_[run.experiment_id];
    if (!std::any_cast<T>(&state)) state = T{};
    return *std::any_cast<T>(&state);
  }
  // Forgets the states of experiments the session no longer holds (called once per frame).
  void prune(const runtime::Session& s);
  size_t size() const { return states_.size(); }

 private:
  std::map<uint64_t, std::any> states_;  // by BlockRun::experiment_id
};

}  // namespace lab::ui
