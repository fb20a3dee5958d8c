// A feedback-loop simulation for the ethics lesson: a recommender retrained each round on the clicks
// its own top-k lists caused. Users have true preferences (hidden from the model); two user groups
// differ in taste (a majority and a minority); the model only ever sees clicks.
//
//   FeedbackSim sim;
//   feedback_init(sim, opt);
//   every frame: feedback_step(sim, 8.0);          // trains in time slices; a round ends when the
//                                                  // model is retrained and the users have clicked
//   plot sim.history[r].coverage / gini / popular_share / ctr_majority / ctr_minority ...
//
// Each round: train the triplet model (warm start) on all clicks so far -> recommend top-k unseen
// items to every user (with the mitigation knobs) -> each user clicks each shown item with their
// true probability -> record the round's figures.
#pragma once

#include <memory>
#include <vector>

#include "core/nn/trainer.h"
#include "core/recsys/models.h"

namespace lab::core::recsys {

struct FeedbackOptions {
  int32_t n_users = 300, n_items = 400;
  int rank = 6;                    // true preference factors
  int k = 10;                      // recommendations shown per user and round
  int rounds = 20;
  int seed_clicks = 5;             // clicks per user from organic browsing before any model
  double minority_share = 0.3;     // share of users in the minority group (different taste)
  // Mitigations (the lesson's knobs):
  double explore_eps = 0;          // each slot is a random unseen item with this probability
  double popularity_penalty = 0;   // score -= penalty * log(1 + clicks) / log(1 + max clicks)
  // A proxy attribute (e.g. a postcode) that agrees with the user's group with proxy_accuracy; when
  // used, scores get + proxy_weight * the item's normalised popularity within the user's proxy group.
  bool use_proxy = false;
  double proxy_accuracy = 0.8, proxy_weight = 0.5;
  // The recommender (the triplet model of models.h, retrained with a warm start each round):
  Index dim = 16;
  int epochs_per_round = 2;
  double lr = 0.01;
  uint64_t seed = 1;
};

struct FeedbackRound {
  int round = 0;                   // 1-based
  double coverage = 0;             // share of the catalogue in at least one list this round
  double gini = 0;                 // Gini of how often each item was shown this round
  double popular_share = 0;        // share of shown items among the 10% most-clicked so far
  double ctr = 0;                  // expected click rate of the shown lists (true preferences)
  double ctr_majority = 0, ctr_minority = 0;
  double disparity = 0;            // ctr_majority - ctr_minority
  int64_t clicks = 0;              // clicks this round
  int64_t total_clicks = 0;        // all clicks so far (the model's training data)
};

struct FeedbackSim {
  FeedbackOptions opt;
  Rng rng{1};
  Mat true_users, true_items;      // hidden preferences
  std::vector<uint8_t> group;      // 0 majority, 1 minority
  std::vector<uint8_t> proxy;      // the observed proxy attribute
  std::vector<std::vector<int32_t>> clicked;  // per user, sorted
  std::vector<int32_t> item_clicks;
  nn::Trainer trainer;             // owns the model while it trains
  TripletRecObjective* model = nullptr;
  int round = 0;                   // rounds finished
  std::vector<FeedbackRound> history;
  Status status;
};

Status feedback_init(FeedbackSim& sim, const FeedbackOptions& opt);
// Advances training / the next round for about budget_ms (at least one step).
Status feedback_step(FeedbackSim& sim, double budget_ms);
Status feedback_run_to_end(FeedbackSim& sim);
bool feedback_done(const FeedbackSim& sim);
// The user's true click probability for an item (what the simulation draws clicks from).
double feedback_click_prob(const FeedbackSim& sim, int32_t user, int32_t item);

}  // namespace lab::core::recsys
