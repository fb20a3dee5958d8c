#include "ui/block_view_state.h"

#include <algorithm>

namespace lab::ui {

void BlockViewStates::prune(const runtime::Session& s) {
  std::erase_if(states_, [&](const auto& entry) {
    return std::none_of(s.runs.begin(), s.runs.end(),
                        [&](const runtime::BlockRun& r) { return r.experiment_id == entry.first; });
  });
}

}  // namespace lab::ui
