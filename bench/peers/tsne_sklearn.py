#!/usr/bin/python3
"""Peer for `embedlab bench`: scikit-learn's Barnes-Hut t-SNE on a file the bench wrote.

Usage: tsne_sklearn.py --input X.csv --name NAME --tag TAG --threads T --runs R --out PREFIX [--warmup] [--seeds K]
  X.csv: label,f1,...,fD with a header line (the digits, or Fashion-MNIST's PCA-50: the very numbers
  our suite embeds). Prints, with the median over R runs (after an untimed run with --warmup) and
  _min, _max, _runs:
    BENCH tsne.NAME.TAG.seconds <s> s          wall time of TSNE.fit_transform (kNN + P + optimisation)
    BENCH tsne.NAME.TAG.cpu_seconds <s> s      CPU time of all threads (process_time)
    BENCH tsne.NAME.TAG.kl <kl> nats           scikit-learn's own final KL
    BENCH tsne.NAME.TAG.threads <T> count      what threadpoolctl left OpenMP
  and writes the layout of the last run to PREFIX.csv (label,x,y in input order): `embedlab bench`
  scores it with the same trustworthiness / k-NN code as its own layouts (one scorer for all).
  With --seeds K also K random-init runs (random_state 0 .. K-1), layouts in PREFIX.seed<k>.csv.
Settings: perplexity 30, 1000 iterations, learning_rate='auto', init='pca', barnes_hut (angle 0.5),
random_state 0 -- Debian's python3-sklearn 1.2.1 (`n_iter` is the 1.2 name of `max_iter`). Threads:
threadpoolctl.threadpool_limits(T), which bounds the OpenMP pool scikit-learn's gradient uses.
"""
import argparse
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--tag", default="sklearn")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seeds", type=int, default=0)
    ap.add_argument("--warmup", action="store_true", help="one untimed run first")
    args = ap.parse_args()
    data = np.loadtxt(args.input, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
    labels = data[:, 0].astype(int)
    x = data[:, 1:]
    from sklearn.manifold import TSNE
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
    from threadpoolctl import threadpool_limits

    def make(init, seed):
        return TSNE(n_components=2, perplexity=30, n_iter=1000, init=init, learning_rate="auto",
                    method="barnes_hut", angle=0.5, random_state=seed)

    def write(path, y):
        with open(path, "w") as f:
            f.write("label,x,y\n")
            for lab, (a, b) in zip(labels, y):
                f.write(f"{lab},{a:.9g},{b:.9g}\n")

    key = f"tsne.{args.name}.{args.tag}"
    with threadpool_limits(limits=args.threads):
        threads = _openmp_effective_n_threads()
        wall, cpu = [], []
        if args.warmup:
            make("pca", 0).fit_transform(x)
        for _ in range(args.runs):
            tsne = make("pca", 0)
            t0, c0 = time.perf_counter(), time.process_time()
            y = tsne.fit_transform(x)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        write(args.out + ".csv", y)
        for name, v in (("seconds", wall), ("cpu_seconds", cpu)):
            v = sorted(v)
            print(f"BENCH {key}.{name} {v[len(v) // 2]:.4f} s")
            print(f"BENCH {key}.{name}_min {v[0]:.4f} s")
            print(f"BENCH {key}.{name}_max {v[-1]:.4f} s")
            print(f"BENCH {key}.{name}_runs {len(v)} count")
        print(f"BENCH {key}.kl {tsne.kl_divergence_:.5f} nats")
        print(f"BENCH {key}.threads {threads} count", flush=True)
        for seed in range(args.seeds):
            write(f"{args.out}.seed{seed}.csv", make("random", seed).fit_transform(x))


if __name__ == "__main__":
    main()
