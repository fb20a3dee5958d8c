// The app's per-frame training budget (runtime/session.h, FrameBudget): half of the rest of a frame,
// within [8, 50] ms, from the median of the last frames.
#include <doctest/doctest.h>

#include "runtime/session.h"

using lab::runtime::FrameBudget;

namespace {

// Plays frames whose non-training part takes `other_ms`, each training for the budget it was given;
// returns the last budget.
double play(FrameBudget& b, double& now, double other_ms, int frames) {
  double budget = 0;
  for (int i = 0; i < frames; ++i) {
    budget = b.frame_start(now);
    b.trained(budget);
    now += budget + other_ms;
  }
  return budget;
}

}  // namespace

TEST_CASE("frame budget: 8 ms on a fast screen, half the frame's other time on a slow one, 50 ms at most") {
  FrameBudget b;
  double now = 1000;
  CHECK(b.frame_start(now) == FrameBudget::kMinMs);  // no frame measured yet
  b.trained(8);
  now += 16.7;
  CHECK(play(b, now, 8.7, 20) == doctest::Approx(8));    // 60 Hz with a GPU: the floor
  CHECK(play(b, now, 60, 20) == doctest::Approx(30));    // software GL at 60 ms a frame: half of it
  CHECK(play(b, now, 140, 20) == doctest::Approx(50));   // and never more than 50 ms
  // One long frame (a hidden tab, a paused main loop) does not move the median.
  play(b, now, 60, 20);
  b.frame_start(now);
  b.trained(30);
  now += 30 + 5000;
  CHECK(b.frame_start(now) == doctest::Approx(30));
  // A frame that trains is at most 1.5x one that does not (the frames target), while above the floor.
  for (double other : {20.0, 40.0, 66.0}) {
    FrameBudget c;
    double t = 0;
    const double budget = play(c, t, other, 30);
    CHECK((budget + other) / other <= 1.5 + 1e-9);
  }
}
