// Our own seeded PRNG and samplers. std::*_distribution output differs between libstdc++ (native)
// and libc++ (Emscripten), and libm's log/sin differ in the last ulp between glibc and musl, so every
// sampler here is built from integer ops, IEEE +-*/ and sqrt only: the same seed gives bit-identical
// numbers natively and in WebAssembly (tests/core/test_rng.cpp pins literals).
#pragma once

#include <cstdint>
#include <span>

namespace lab::core {

// xoshiro256** (Blackman & Vigna), seeded through splitmix64.
struct Rng {
  uint64_t s[4];

  explicit Rng(uint64_t seed = 0) { rng_seed(*this, seed); }
  friend void rng_seed(Rng& rng, uint64_t seed);
};

void     rng_seed(Rng& rng, uint64_t seed);
uint64_t rng_next_u64(Rng& rng);
uint32_t rng_below(Rng& rng, uint32_t n);          // uniform in [0, n), unbiased; n > 0
double   rng_uniform(Rng& rng);                    // uniform in [0, 1), 53 random bits
float    rng_uniform_f(Rng& rng);                  // uniform in [0, 1), 24 random bits
double   rng_normal(Rng& rng);                     // standard normal (Marsaglia polar method)
bool     rng_bernoulli(Rng& rng, double p);        // true with probability p
void     rng_shuffle(Rng& rng, std::span<uint32_t> items);  // Fisher–Yates
Rng      rng_fork(Rng& rng);                       // an independent stream derived from this one

}  // namespace lab::core
