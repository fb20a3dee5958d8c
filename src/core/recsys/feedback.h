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
//
// Three more of the slides' harms, each off by default (the defaults reproduce the plain loop bit
// for bit): clickbait (movies clicked more than they are liked, and an objective that trains on
// satisfied clicks instead of all clicks), heavy users (the minority group clicks `minority_activity`
// times as much, so it writes most of the training data; `balance_users` gives every user the same
// weight), and an audit of the final ranking (feedback_audit: permutation importance of each input
// of the score, figures per group).
#pragma once

#include <memory>
#include <span>
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
  // Clickbait: this share of the movies has a thumbnail that adds clickbait_appeal to everybody's
  // click logit, but most who click one regret it (see feedback_satisfied_prob).
  double clickbait_share = 0, clickbait_appeal = 3.0;
  // What the model is trained on: every click (engagement), or only the clicks the user was glad of.
  enum class Objective { Clicks, Satisfied } objective = Objective::Clicks;
  // Heavy users: the minority group browses minority_activity times as many movies before any
  // recommender and is shown minority_activity times as many per round. balance_users caps every
  // user's training clicks at the median user's count (a seeded sample of a heavy user's clicks), so
  // each user weighs about the same in training.
  double minority_activity = 1;
  bool balance_users = false;
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
  double ctr = 0;                  // expected click rate of the shown lists (true preferences; the
                                   // top k of each list, also when a heavy user is shown more)
  double ctr_majority = 0, ctr_minority = 0;
  double disparity = 0;            // ctr_majority - ctr_minority
  double satisfaction = 0;         // expected clicks the user is glad of, per shown movie
  double bait_share = 0;           // share of the shown movies that are clickbait
  double regret_share = 0;         // expected share of the clicks the user is not glad of
  double minority_train_share = 0; // share of this round's training clicks from minority users
  int64_t clicks = 0;              // clicks this round
  int64_t total_clicks = 0;        // all clicks so far (the model's training data)
};

struct FeedbackSim {
  FeedbackOptions opt;
  Rng rng{1};
  Mat true_users, true_items;      // hidden preferences
  std::vector<uint8_t> group;      // 0 majority, 1 minority
  std::vector<uint8_t> proxy;      // the observed proxy attribute
  std::vector<uint8_t> bait;       // per item: 1 if clickbait (empty when clickbait_share is 0)
  std::vector<std::vector<int32_t>> clicked;  // per user, sorted
  std::vector<std::vector<int32_t>> regretted;  // per user, sorted: clicks the user was not glad of
  Rng outcome_rng{1};              // satisfaction draws and balancing samples (own stream: the plain
                                   // loop's draws stay as they were)
  std::vector<int32_t> item_clicks;
  nn::Trainer trainer;             // owns the model while it trains
  TripletRecObjective* model = nullptr;
  int round = 0;                   // rounds finished
  double minority_train_share = 0; // of the training set being trained on
  std::vector<FeedbackRound> history;
  Status status;
};

Status feedback_init(FeedbackSim& sim, const FeedbackOptions& opt);
// Advances training / the next round for about budget_ms (at least one step).
Status feedback_step(FeedbackSim& sim, double budget_ms);
Status feedback_run_to_end(FeedbackSim& sim);
bool feedback_done(const FeedbackSim& sim);
// Movies shown to the user per round (k, times minority_activity for the minority).
int feedback_list_size(const FeedbackSim& sim, int32_t user);
// The user's true click probability for an item (what the simulation draws clicks from).
double feedback_click_prob(const FeedbackSim& sim, int32_t user, int32_t item);
// The probability that the user is glad of a click on the item (their taste; a clickbait movie
// disappoints most who click it).
double feedback_satisfied_prob(const FeedbackSim& sim, int32_t user, int32_t item);

// The deployed ranking's score of every item, as the simulation shows it: the model's score for
// `model_user`, the popularity penalty, the proxy's boost from `proxy_value`'s group; before exploration.
// `item_clicks` is the popularity the penalty reads; `grp_pop` the proxy groups' normalised
// popularity (feedback_proxy_popularity).
void feedback_scores(FeedbackSim& sim, int32_t model_user, int proxy_value, std::span<const int32_t> item_clicks,
                     const std::vector<double> (&grp_pop)[2], std::span<float> out);
void feedback_proxy_popularity(const FeedbackSim& sim, std::vector<double> (&grp_pop)[2]);

// An audit of the final ranking, as an auditor with the system and its users' group labels would
// make it. Permutation importance of an input: shuffle it (a seeded permutation) across users (the
// learned user vector from the click history, the proxy attribute) or across movies (their click
// counts, which the popularity penalty reads), rank again, and report the share of list slots that
// change and the change in expected click rate. Per group (true group and proxy value): users,
// expected click rate, share of the list on the 10% most clicked movies, share of the training clicks.
struct FeedbackImportance {
  const char* input = "";
  double slots_changed = 0;  // share of the top-k slots that differ from the unshuffled lists
  double ctr_change = 0;     // expected click rate with the input shuffled minus without
};
struct FeedbackGroupRow {
  const char* group = "";
  int32_t users = 0;
  double ctr = 0, popular_share = 0, train_share = 0;
};
struct FeedbackAudit {
  std::vector<FeedbackImportance> importance;  // history, proxy, popularity
  std::vector<FeedbackGroupRow> groups;        // majority, minority, proxy 0, proxy 1
};
FeedbackAudit feedback_audit(FeedbackSim& sim, uint64_t seed);  // after the last round

}  // namespace lab::core::recsys
