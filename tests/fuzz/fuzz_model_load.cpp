// libFuzzer target: loading a saved model (src/core/nn/model_io.h) from arbitrary bytes into a
// small MLP. A failed load must leave the model unchanged and say why.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>

#include "core/nn/model_io.h"
#include "core/nn/models.h"

using namespace lab::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static nn::Mlp model = [] {
    nn::Mlp m;
    nn::MlpOptions opt;
    opt.in = 4;
    opt.hidden = {8};
    opt.out = 3;
    opt.batch_norm = true;
    Rng rng(1);
    (void)nn::mlp_init(m, opt, rng, "mlp");
    return m;
  }();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  // Inputs starting with 0xFF are a valid saved model with the rest of the input XORed over it,
  // so the fuzzer explores near-valid files (truncations, flipped bits, wrong shapes) quickly.
  if (size > 0 && data[0] == 0xFF) {
    static const std::string valid = nn::model_save(model.state(), "fuzz seed");
    std::string mixed = valid.substr(0, std::min(valid.size(), size > 1 ? valid.size() - (size & 7) : valid.size()));
    for (size_t i = 1; i < size && i - 1 < mixed.size(); ++i) mixed[i - 1] ^= char(data[i]);
    bytes = mixed;
  }
  std::string info;
  auto state = model.state();
  const Status st = nn::model_load(bytes, state, &info);
  if (!st.ok && st.message.empty()) __builtin_trap();
  std::string peek;
  (void)nn::model_peek_info(bytes, peek);
  return 0;
}
