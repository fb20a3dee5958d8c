// exp() from IEEE-exact operations only (Cody-Waite reduction + a degree-14 Taylor polynomial +
// ldexp), accurate to ~1 ulp. glibc's and musl's exp differ in the last ulp for some inputs; t-SNE
// calls exp() millions of times in its perplexity search, and one ulp there changes every later
// digit of the embedding. With det_exp (and det_log from core/rng.h) the same seed gives
// bit-identical embeddings natively and in WebAssembly.
#pragma once

namespace lab::core {

double det_exp(double x);

}  // namespace lab::core
