// Deterministic elementary functions: exp, log and pow from IEEE-exact operations only, so the same
// inputs give the same bits natively and in WebAssembly (glibc's, musl's and the browser's libm
// differ in the last ulp for some inputs). Every path whose bits matter (t-SNE, the samplers, the
// MovieLens-shaped generator, popularity-weighted negatives) uses these, never <cmath>'s.
//
// det_exp: exp() from IEEE-exact operations only (Cody-Waite reduction + a degree-14 Taylor polynomial +
// ldexp), accurate to ~1 ulp. glibc's and musl's exp differ in the last ulp for some inputs; t-SNE
// calls exp() millions of times in its perplexity search, and one ulp there changes every later
// digit of the embedding. With det_exp and det_log the same seed gives
// bit-identical embeddings natively and in WebAssembly.
#pragma once

namespace lab::core {

double det_exp(double x);

// Natural log from IEEE-exact operations only (frexp + an atanh series), accurate to ~1 ulp.
double det_log(double x);

// x^y for x > 0 as det_exp(y det_log(x)); 0 for x <= 0.
double det_pow(double x, double y);

}  // namespace lab::core
