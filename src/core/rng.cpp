#include "core/rng.h"

#include <cassert>
#include <cmath>
#include <utility>

#include "core/det_math.h"

namespace lab::core {

static uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void rng_seed(Rng& rng, uint64_t seed) {
  uint64_t x = seed;
  for (uint64_t& word : rng.s) word = splitmix64(x);
}

uint64_t rng_next_u64(Rng& rng) {
  uint64_t* s = rng.s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

uint32_t rng_below(Rng& rng, uint32_t n) {
  assert(n > 0);
  // Lemire's multiply-shift with rejection: unbiased, no division in the common case.
  uint64_t m = (rng_next_u64(rng) >> 32) * uint64_t(n);
  uint32_t low = uint32_t(m);
  if (low < n) {
    const uint32_t threshold = uint32_t(-n) % n;
    while (low < threshold) {
      m = (rng_next_u64(rng) >> 32) * uint64_t(n);
      low = uint32_t(m);
    }
  }
  return uint32_t(m >> 32);
}

double rng_uniform(Rng& rng) { return double(rng_next_u64(rng) >> 11) * 0x1.0p-53; }

float rng_uniform_f(Rng& rng) { return float(rng_next_u64(rng) >> 40) * 0x1.0p-24f; }


double rng_normal(Rng& rng) {
  for (;;) {
    const double u = 2 * rng_uniform(rng) - 1;
    const double v = 2 * rng_uniform(rng) - 1;
    const double s = u * u + v * v;
    if (s > 0 && s < 1) return u * std::sqrt(-2 * det_log(s) / s);
  }
}

bool rng_bernoulli(Rng& rng, double p) { return rng_uniform(rng) < p; }

void rng_shuffle(Rng& rng, std::span<uint32_t> items) {
  for (size_t i = items.size(); i > 1; --i) {
    const uint32_t j = rng_below(rng, uint32_t(i));
    std::swap(items[i - 1], items[j]);
  }
}

Rng rng_fork(Rng& rng) { return Rng(rng_next_u64(rng)); }

}  // namespace lab::core
