// Recommender model files (see model_file.h).
#include "core/recsys/model_file.h"

#include <cstdlib>
#include <type_traits>

#include "core/embed/similarity.h"
#include "core/nn/model_io.h"

namespace lab::core::recsys {

namespace {

// Every tensor that makes the model's predictions: parameters and buffers (BatchNorm statistics).
// (RecTrainer holds its objective by pointer: const here reads the tensors, it cannot change them.)
std::vector<nn::ParamRef> rec_state(const RecTrainer& rt) {
  if (rt.rating) return rt.rating->model.state();
  std::vector<nn::ParamRef> ps;
  if (!rt.triplet) return ps;
  TripletRecObjective& t = *rt.triplet;
  for (auto& p : t.user.params()) ps.push_back(p);
  for (auto& p : t.item.params()) ps.push_back(p);
  if (t.deep) {
    for (auto& p : t.user_tower.state()) ps.push_back(p);
    for (auto& p : t.item_tower.state()) ps.push_back(p);
  }
  return ps;
}

std::string hidden_text(const std::vector<Index>& h) {
  std::string s;
  for (size_t i = 0; i < h.size(); ++i) s += (i ? "," : "") + std::to_string(h[i]);
  return s;
}

Status hidden_parse(const std::string& s, std::vector<Index>& out) {
  out.clear();
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    const std::string part = s.substr(pos, end - pos);
    char* e = nullptr;
    const long long v = std::strtoll(part.c_str(), &e, 10);
    if (part.empty() || e != part.c_str() + part.size() || v < 1 || v > 1 << 20)
      return Status::error("recommender file: bad hidden widths '" + s.substr(0, 40) + "'");
    out.push_back(Index(v));
    pos = end + 1;
  }
  return Status::success();
}

}  // namespace

std::string rec_model_save(const RecTrainer& rt, const RecData& d, const RecModelOptions& o, const RecFileData& fd) {
  nn::ModelInfo info;
  info.what = kRecFileWhat;
  info.set("model", model_name(o.kind));
  info.set_number("users", d.n_users);
  info.set_number("items", d.n_items);
  info.set_number("dim", double(o.dim));
  info.set("hidden", hidden_text(o.hidden));
  info.set_number("dropout", o.dropout);
  info.set_number("biases", o.biases);
  info.set_number("l2", o.l2);
  info.set("loss", o.loss == RatingLoss::Mae ? "mae" : "mse");
  info.set_number("margin", o.margin);
  info.set("similarity", std::string(measure_name(o.sim)));
  info.set_number("positive_threshold", o.positive_threshold);
  info.set("negatives", negative_sampling_name(o.negatives));
  info.set_number("dislike_threshold", o.dislike_threshold);
  info.set_number("dislike_share", o.dislike_share);
  info.set_number("popularity_feature", o.popularity_feature);
  info.set_number("init_scale", o.init_scale);
  info.set_number("sparse_grad", o.sparse_grad);
  info.set("seed", std::to_string(o.seed));
  info.set("data", fd.data);
  info.set("data_seed", std::to_string(fd.data_seed));
  info.set_number("genre_share", fd.genre_share);
  info.set_number("genre_bias", fd.genre_bias);
  info.set("split", fd.split);
  info.set("split_seed", std::to_string(fd.split_seed));
  info.set_number("test_share", fd.test_share);
  info.set_number("new_item_share", fd.new_item_share);
  info.set_number("new_user_share", fd.new_user_share);
  info.set_number("new_user_ratings", fd.new_user_ratings);
  return nn::model_save(rec_state(rt), nn::model_info_text(info));
}

Status rec_model_peek(std::string_view bytes, RecModelOptions& o, RecFileData& fd) {
  std::string text;
  if (Status st = nn::model_peek_info(bytes, text); !st) return st;
  nn::ModelInfo info;
  if (Status st = nn::model_info_parse(text, info); !st) return st;
  if (info.what != kRecFileWhat)
    return Status::error("this model file holds '" + info.what.substr(0, 60) + "', not a recommender (" + kModelNames +
                         ")");
  o = RecModelOptions{};
  fd = RecFileData{};
  auto text_of = [&](const char* key, std::string& out) -> Status {
    const std::string* v = info.find(key);
    if (!v) return Status::error(std::string("recommender file has no '") + key + "' in its description");
    out = *v;
    return Status::success();
  };
  std::string s;
  if (Status st = text_of("model", s); !st) return st;
  if (!model_parse(s, o.kind)) return Status::error("recommender file: unknown model '" + s.substr(0, 40) + "'");
  double v = 0;
  // A number into its field; a value the field cannot hold (a damaged or hand-edited file) is an
  // error, not a conversion with undefined behaviour.
  auto num = [&](const char* key, auto& field) -> Status {
    using T = std::remove_reference_t<decltype(field)>;
    if (Status st = nn::model_info_number(info, key, v); !st) return st;
    const double lo = std::is_same_v<T, bool> ? 0 : std::is_integral_v<T> ? -1e9 : -1e30;
    const double hi = std::is_same_v<T, bool> ? 1 : std::is_integral_v<T> ? 1e9 : 1e30;
    if (v < lo || v > hi) return Status::error(std::string("recommender file: '") + key + "' is out of range");
    field = static_cast<T>(v);
    return Status::success();
  };
  Status st;
  if (!(st = num("dim", o.dim)) || !(st = num("dropout", o.dropout)) || !(st = num("biases", o.biases)) ||
      !(st = num("l2", o.l2)) || !(st = num("margin", o.margin)) ||
      !(st = num("positive_threshold", o.positive_threshold)) || !(st = num("dislike_threshold", o.dislike_threshold)) ||
      !(st = num("dislike_share", o.dislike_share)) || !(st = num("popularity_feature", o.popularity_feature)) ||
      !(st = num("init_scale", o.init_scale)) || !(st = num("sparse_grad", o.sparse_grad)) ||
      !(st = num("genre_share", fd.genre_share)) || !(st = num("genre_bias", fd.genre_bias)) ||
      !(st = num("test_share", fd.test_share)) || !(st = num("new_item_share", fd.new_item_share)) ||
      !(st = num("new_user_share", fd.new_user_share)) || !(st = num("new_user_ratings", fd.new_user_ratings)))
    return st;
  if (!(st = text_of("hidden", s)) || !(st = hidden_parse(s, o.hidden))) return st;
  if (!(st = text_of("loss", s))) return st;
  if (s != "mse" && s != "mae") return Status::error("recommender file: unknown loss '" + s.substr(0, 40) + "'");
  o.loss = s == "mae" ? RatingLoss::Mae : RatingLoss::Mse;
  if (!(st = text_of("similarity", s))) return st;
  if (!measure_parse(s, o.sim)) return Status::error("recommender file: unknown similarity '" + s.substr(0, 40) + "'");
  if (!(st = text_of("negatives", s))) return st;
  if (s != "uniform" && s != "popularity")
    return Status::error("recommender file: unknown negative sampling '" + s.substr(0, 40) + "'");
  o.negatives = s == "popularity" ? NegativeSampling::Popularity : NegativeSampling::Uniform;
  auto u64 = [&](const char* key, uint64_t& out) -> Status {
    std::string t;
    if (Status e = text_of(key, t); !e) return e;
    char* end = nullptr;
    out = std::strtoull(t.c_str(), &end, 10);
    if (t.empty() || end != t.c_str() + t.size())
      return Status::error(std::string("recommender file: '") + key + "=" + t.substr(0, 40) + "' is not a whole number");
    return Status::success();
  };
  if (!(st = u64("seed", o.seed)) || !(st = u64("data_seed", fd.data_seed)) || !(st = u64("split_seed", fd.split_seed)))
    return st;
  if (!(st = text_of("data", fd.data)) || !(st = text_of("split", fd.split))) return st;
  if (!(fd.test_share > 0 && fd.test_share < 1) || fd.new_item_share < 0 || fd.new_item_share >= 1 ||
      fd.new_user_share < 0 || fd.new_user_share >= 1 || fd.new_user_ratings < 0 || fd.genre_share < 0 ||
      fd.genre_share > 1 || fd.genre_bias < 0 || fd.genre_bias > 0.6)
    return Status::error("recommender file: its split or data description is out of range (a damaged file?)");
  return Status::success();
}

Status rec_model_load(std::string_view bytes, const RecData& d, const Split& s, RecTrainer& rt,
                      const nn::TrainerOptions& to) {
  RecModelOptions o;
  RecFileData fd;
  if (Status st = rec_model_peek(bytes, o, fd); !st) return st;
  std::string text;
  nn::ModelInfo info;
  nn::model_peek_info(bytes, text);
  nn::model_info_parse(text, info);
  double users = 0, items = 0;
  if (Status st = nn::model_info_number(info, "users", users); !st) return st;
  if (Status st = nn::model_info_number(info, "items", items); !st) return st;
  if (users != d.n_users || items != d.n_items)
    return Status::error("the model was trained on " + std::to_string(int64_t(users)) + " users x " +
                         std::to_string(int64_t(items)) + " items (data " + fd.data + ") but these data have " +
                         std::to_string(d.n_users) + " x " + std::to_string(d.n_items) +
                         ": evaluate it on the data it was trained on");
  if (Status st = rec_init(rt, d, s, o, to); !st) return st;
  return nn::model_load(bytes, rec_state(rt));
}

bool rec_file_synth(const RecFileData& fd, SynthOptions& out) {
  if (fd.data != "synthetic" && fd.data != "synthetic-small") return false;
  out = fd.data == "synthetic" ? synth_movielens100k(fd.data_seed) : synth_small(fd.data_seed);
  out.genre_share = fd.genre_share;
  out.genre_bias = fd.genre_bias;
  return true;
}

Status rec_file_split(const RecData& d, const RecFileData& fd, Split& out) {
  if (fd.split == "random") out = split_random(d, fd.test_share, fd.split_seed);
  else if (fd.split == "last") out = split_leave_last_out(d);
  else if (fd.split == "cold")
    out = split_cold(d, fd.new_item_share, fd.new_user_share, fd.new_user_ratings, fd.test_share, fd.split_seed).split;
  else if (fd.split == "u1" || fd.split == "ua")
    return Status::error("the model was evaluated on MovieLens's " + fd.split + " split: pass --split " + fd.split +
                         " with the MovieLens-100k folder");
  else
    return Status::error("recommender file: unknown split '" + fd.split.substr(0, 40) + "'");
  return Status::success();
}

}  // namespace lab::core::recsys
