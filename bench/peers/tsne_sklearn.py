#!/usr/bin/python3
"""Peer for `embedlab bench`: scikit-learn's Barnes-Hut t-SNE on the UCI digits.

Usage: tsne_sklearn.py [--seeds K] [DIGITS.csv]
Prints the same figures as our suite (src/cli/bench_embed.cpp), with a `sklearn` infix:
  BENCH tsne.digits.sklearn.seconds <s> s                  (the headline run: PCA init, random_state 0)
  BENCH tsne.digits.sklearn.trustworthiness10 <t> ratio
  BENCH tsne.digits.sklearn.knn10_accuracy <a> ratio
  BENCH tsne.digits.sklearn.kl <kl> nats
and with --seeds K, the mean / min / max quality of K random-init runs (random_state 0 .. K-1):
  BENCH tsne.digits.sklearn.random_init.trustworthiness10_mean <t> ratio   (and _min, _max)
  BENCH tsne.digits.sklearn.random_init.knn10_accuracy_mean <a> ratio      (and _min, _max)
Settings: perplexity 30, 1000 iterations, learning_rate='auto', barnes_hut (theta 0.5) -- Debian's
python3-sklearn 1.2.1 (`n_iter` is the 1.2 name of `max_iter`).
Reads the digits from our own assets/data/digits.csv (label first), so both sides see the same data.
Timing covers TSNE.fit_transform only (kNN + P + optimisation), as ours covers tsne_init + steps:
wall time, and CPU time of all threads (process_time) since sklearn's gradient uses OpenMP threads
and ours is single-threaded.
The number of OpenMP threads sklearn uses is printed as BENCH tsne.digits.sklearn.threads.
"""
import os
import sys
import time

import numpy as np


def knn_accuracy(y, labels, k=10):
    # leave-one-out k-NN majority vote in the embedding; ties -> the smallest label among the tied
    d = ((y[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    idx = np.argsort(d, axis=1, kind="stable")[:, :k]
    votes = labels[idx]
    correct = 0
    for i in range(len(labels)):
        counts = np.bincount(votes[i], minlength=labels.max() + 1)
        correct += int(np.argmax(counts) == labels[i])
    return correct / len(labels)


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    args = sys.argv[1:]
    seeds = 0
    if len(args) >= 2 and args[0] == "--seeds":
        seeds = int(args[1])
        args = args[2:]
    path = args[0] if args else os.path.join(root, "assets", "data", "digits.csv")
    data = np.loadtxt(path, delimiter=",", comments="#", skiprows=1, dtype=np.float64)
    labels = data[:, 0].astype(int)
    x = data[:, 1:]
    from sklearn.manifold import TSNE, trustworthiness
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

    def make(init, seed):
        return TSNE(n_components=2, perplexity=30, n_iter=1000, init=init, learning_rate="auto",
                    method="barnes_hut", angle=0.5, random_state=seed)

    tsne = make("pca", 0)
    t0 = time.perf_counter()
    c0 = time.process_time()
    y = tsne.fit_transform(x)
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    print(f"BENCH tsne.digits.sklearn.seconds {seconds:.4f} s")
    print(f"BENCH tsne.digits.sklearn.cpu_seconds {cpu_seconds:.4f} s")
    print(f"BENCH tsne.digits.sklearn.trustworthiness10 {trustworthiness(x, y, n_neighbors=10):.5f} ratio")
    print(f"BENCH tsne.digits.sklearn.knn10_accuracy {knn_accuracy(y, labels):.5f} ratio")
    print(f"BENCH tsne.digits.sklearn.kl {tsne.kl_divergence_:.5f} nats")
    print(f"BENCH tsne.digits.sklearn.threads {_openmp_effective_n_threads()} count", flush=True)
    if seeds > 0:
        trust, acc = [], []
        for seed in range(seeds):
            y = make("random", seed).fit_transform(x)
            trust.append(trustworthiness(x, y, n_neighbors=10))
            acc.append(knn_accuracy(y, labels))
        for name, v in (("trustworthiness10", trust), ("knn10_accuracy", acc)):
            print(f"BENCH tsne.digits.sklearn.random_init.{name}_mean {np.mean(v):.5f} ratio")
            print(f"BENCH tsne.digits.sklearn.random_init.{name}_min {np.min(v):.5f} ratio")
            print(f"BENCH tsne.digits.sklearn.random_init.{name}_max {np.max(v):.5f} ratio")


if __name__ == "__main__":
    main()
