// The registry of lab-block kinds: one line per kind. Each kind lives in src/runtime/blocks/<kind>.cpp
// and exposes `const BlockKind& block_kind_<name>()`.
#include "runtime/lab_block.h"
#include "runtime/blocks/blocks.h"
#include "runtime/blocks/batchnorm.h"
#include "runtime/blocks/dropout_ensemble.h"
#include "runtime/blocks/dropout_mask.h"
#include "runtime/blocks/embedding_size.h"
#include "runtime/blocks/overfit.h"
#include "runtime/blocks/embedding_distances.h"
#include "runtime/blocks/embedding_lookup.h"
#include "runtime/blocks/embedding_train.h"
#include "runtime/blocks/param_count.h"
#include "runtime/blocks/projection.h"
#include "runtime/blocks/rec_course.h"
#include "runtime/blocks/rec_data.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/blocks/rec_feedback.h"
#include "runtime/blocks/rec_coldstart.h"
#include "runtime/blocks/rec_youtube.h"
#include "runtime/blocks/rec_implicit.h"

namespace lab::runtime {

const std::vector<const BlockKind*>& block_kinds() {
  static const std::vector<const BlockKind*> kinds = [] {
    std::vector<BlockKind*> list = {
        &block_kind_onehot(),
        &block_kind_embedding_lookup(),
        &block_kind_param_count(),
        &block_kind_embedding_train(),
        &block_kind_embedding_distances(),
        &block_kind_projection(),
        &block_kind_random_cosine(),
        &block_kind_quiz(),
        &block_kind_overfit_dropout(),
        &block_kind_overfit_regularise(),
        &block_kind_dropout_mask(),
        &block_kind_dropout_ensemble(),
        &block_kind_embedding_size(),
        &block_kind_batchnorm_compare(),
        &block_kind_batchnorm_inference(),
        &block_kind_rec_data(),
        &block_kind_rec_explicit(),
        &block_kind_rec_implicit(),
        &block_kind_rec_coldstart(),
        &block_kind_rec_youtube(),
        &block_kind_rec_feedback(),
        &block_kind_rec_course(),
    };
    std::vector<const BlockKind*> out;
    for (BlockKind* k : list) {
      // Every kind takes a title, shown above the block.
      ParamSpec title{"title", ParamType::Text, "heading shown above the block (default: the kind's summary)"};
      title.max_text = 200;
      k->params.insert(k->params.begin(), title);
      // Typical values are measured, not written in the kinds: see metric_typical.cpp.
      for (MetricSpec& m : k->metrics)
        for (const MetricTypical& t : metric_typical_table())
          if (k->name == t.kind && m.name == t.metric) m.typical = t.typical;
      out.push_back(k);
    }
    return out;
  }();
  return kinds;
}

const BlockKind* block_kind_find(std::string_view name) {
  for (const BlockKind* k : block_kinds())
    if (k->name == name) return k;
  return nullptr;
}

}  // namespace lab::runtime
