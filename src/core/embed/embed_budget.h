// Peak working memory of the embedding algorithms (PCA, t-SNE, k-NN, the quality metrics) from their
// sizes, and the budget checks built on them (core/memory_budget.h). Each algorithm calls its check
// before allocating; callers that want to refuse early (a CLI, a lesson block) may call it too.
//
// Every estimate is an upper bound read off the code it describes, in bytes, computed in double, and
// compared with the peak heap measured natively (malloc accounting) for a few sizes:
//   pca_fit           32 D^2 (covariance, eigenvectors, solver work) + 16 N (the (N, <= 3) projection);
//                     it reads X row by row into a D-vector (pca.cpp), holding no copy of X
//   t-SNE exact       30 N^2: the dense conditional P (8) while the CSR P is filled (12), then P (12)
//                     and its upper triangle (6, up to 18 while its vectors grow); + 8 N D + 200 N
//   t-SNE Barnes-Hut  100 N k with k = min(N - 1, 3 perplexity + 1): the k-NN lists (8), the neighbour
//                     table (12), the symmetrised pairs (32), the CSR P and its upper triangle with
//                     vector growth (48); + 8 N D + 1 KiB N (k-NN distance block) + 200 N (tree, buffers)
//                     PCA initialisation adds pca_fit's figure (it runs while P is held)
//   k-NN              8 Nq k (result) + 4 Nb B (a block of B = min(256, Nq) queries' distances)
//                     + 4 (Nb + B) D (cosine's normalised copies) + 8 Nb (selection keys)
//   trustworthiness   8 N D + 8 N min(256, N) (input distances, blocked) + 8 N d + 4 N k + 28 N
//   k-NN accuracy     8 N d + 4 N k + 12 N (low-dimensional neighbours by direct loops)
#pragma once

#include "core/embed/tsne.h"
#include "core/status.h"
#include "core/types.h"

namespace lab::core {

double pca_bytes(double n, double d);
double tsne_bytes(double n, double d, TsneMethod method, double perplexity, TsneInit init);  // method: exact or bh
double knn_bytes(double n_base, double n_query, double d, double k);
double trustworthiness_bytes(double n, double d, double d_embed, double k);
double knn_accuracy_bytes(double n, double d_embed, double k);

// The checks: ok, or "<algorithm>: <what> needs X, over the lab's 256 MiB memory budget; <what to do>".
Status pca_budget_check(Index n, Index d);
Status tsne_budget_check(Index n, Index d, TsneMethod method, double perplexity, TsneInit init);
Status knn_budget_check(Index n_base, Index n_query, Index d, int k);
Status trustworthiness_budget_check(Index n, Index d, Index d_embed, int k);
Status knn_accuracy_budget_check(Index n, Index d_embed, int k);

}  // namespace lab::core
