#!/usr/bin/env python3
"""PyTorch peer for `embedlab bench --suite recsys`: one training epoch of the same recommender
models at the same sizes, on the same data, as src/cli/bench_recsys.cpp.

Usage: recsys_torch.py DATA_DIR [--runs N] [--threads T] [--models mf,...]
DATA_DIR (written by `embedlab bench`): train.csv (user,item,rating: the training ratings the lab
trains on), user_features.csv and item_features.csv (deep-meta's metadata features, one row per
user / item). Implicit models train on the ratings >= 4, as the lab does.

Sizes: 943 users x 1682 items (MovieLens-100k shape), embedding dim 64, MLP hidden 64, batch 64,
Adam lr 1e-3, shuffled. Explicit models train on --ratings (user, item, rating) triples, implicit
ones on --positives (user, positive item) pairs with a uniformly drawn negative item per pair.

  mf            mean + b_u + b_i + <u, v>, MSE
  deep          mean + b_u + b_i + MLP([u | v]) (Linear 128->64, ReLU, Dropout 0.5, Linear 64->1), MSE
  deep-meta     the same with user (23) and item (22) metadata features concatenated to the MLP input
  triplet       user / item embeddings, cosine similarity, mean(relu(1 - s(u, pos) + s(u, neg)))
  deep-triplet  the same through an MLP tower per side (Linear 64->64, ReLU, Linear 64->64)

Two optimiser set-ups per model, both reported:
  torch_dense   nn.Embedding (dense gradients) + torch.optim.Adam over every parameter
  torch_sparse  nn.Embedding(sparse=True) + torch.optim.SparseAdam for the embedding tables,
                torch.optim.Adam for the MLP (what EmbedLab's lazy Adam corresponds to)

One thread (torch.set_num_threads(1)), as the lab runs single-threaded in the browser. Each figure:
one warm-up epoch, then the median (min, max) of --runs epochs, each from a fresh model. Prints
  BENCH recsys.<model>.torch_<dense|sparse>.seconds <median> s   (and _min, _max, _runs, .loss)
Uses Debian's python3-torch (1.13); no other dependency.
"""
import argparse
import os
import time

import torch

DIM, HIDDEN, BATCH = 64, 64, 64


class Explicit(torch.nn.Module):
    def __init__(self, deep, meta, sparse, mean):
        super().__init__()
        USERS, ITEMS = DATA["users"], DATA["items"]
        self.deep, self.meta, self.mean = deep, meta, mean  # meta: (user features, item features) or None
        self.u = torch.nn.Embedding(USERS, DIM, sparse=sparse)
        self.v = torch.nn.Embedding(ITEMS, DIM, sparse=sparse)
        self.bu = torch.nn.Embedding(USERS, 1, sparse=sparse)
        self.bi = torch.nn.Embedding(ITEMS, 1, sparse=sparse)
        for e in (self.u, self.v):
            torch.nn.init.normal_(e.weight, 0.0, 0.1)
        for e in (self.bu, self.bi):
            torch.nn.init.zeros_(e.weight)
        if deep:
            width = 2 * DIM + (meta[0].shape[1] + meta[1].shape[1] if meta else 0)
            self.mlp = torch.nn.Sequential(torch.nn.Linear(width, HIDDEN), torch.nn.ReLU(), torch.nn.Dropout(0.5),
                                           torch.nn.Linear(HIDDEN, 1))

    def embeddings(self):
        return [self.u.weight, self.v.weight, self.bu.weight, self.bi.weight]

    def forward(self, u, i, uf=None, itf=None):
        bias = self.mean + self.bu(u).squeeze(1) + self.bi(i).squeeze(1)
        if not self.deep:
            return bias + (self.u(u) * self.v(i)).sum(1)
        parts = [self.u(u), self.v(i)]
        if self.meta:
            parts += [self.meta[0][u], self.meta[1][i]]
        return bias + self.mlp(torch.cat(parts, 1)).squeeze(1)


class Triplet(torch.nn.Module):
    def __init__(self, deep, sparse):
        super().__init__()
        USERS, ITEMS = DATA["users"], DATA["items"]
        self.deep = deep
        self.u = torch.nn.Embedding(USERS, DIM, sparse=sparse)
        self.v = torch.nn.Embedding(ITEMS, DIM, sparse=sparse)
        for e in (self.u, self.v):
            torch.nn.init.normal_(e.weight, 0.0, 0.1)
        if deep:
            def tower():
                return torch.nn.Sequential(torch.nn.Linear(DIM, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, DIM))
            self.tu, self.ti = tower(), tower()

    def embeddings(self):
        return [self.u.weight, self.v.weight]

    def forward(self, u, p, n):
        a, vp, vn = self.u(u), self.v(p), self.v(n)
        if self.deep:
            a, vp, vn = self.tu(a), self.ti(vp), self.ti(vn)
        cos = torch.nn.functional.cosine_similarity
        return torch.relu(1.0 - cos(a, vp) + cos(a, vn)).mean()


def optimisers(model, sparse):
    if not sparse:
        return [torch.optim.Adam(model.parameters(), lr=1e-3)]
    emb = model.embeddings()
    ids = {id(p) for p in emb}
    rest = [p for p in model.parameters() if id(p) not in ids]
    opts = [torch.optim.SparseAdam(emb, lr=1e-3)]
    if rest:
        opts.append(torch.optim.Adam(rest, lr=1e-3))
    return opts


DATA = {}


def load(folder):
    import numpy as np
    t = np.loadtxt(os.path.join(folder, "train.csv"), delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    uf = np.loadtxt(os.path.join(folder, "user_features.csv"), delimiter=",", dtype=np.float32, ndmin=2)
    itf = np.loadtxt(os.path.join(folder, "item_features.csv"), delimiter=",", dtype=np.float32, ndmin=2)
    DATA["users"], DATA["items"] = uf.shape[0], itf.shape[0]
    DATA["u"] = torch.from_numpy(t[:, 0].astype(np.int64))
    DATA["i"] = torch.from_numpy(t[:, 1].astype(np.int64))
    DATA["r"] = torch.from_numpy(t[:, 2].astype(np.float32))
    pos = t[:, 2] >= 4
    DATA["pu"] = torch.from_numpy(t[pos, 0].astype(np.int64))
    DATA["pi"] = torch.from_numpy(t[pos, 1].astype(np.int64))
    DATA["uf"], DATA["itf"] = torch.from_numpy(uf), torch.from_numpy(itf)


def epoch(name, sparse):
    if name in ("triplet", "deep-triplet"):
        model = Triplet(name == "deep-triplet", sparse)
        users, items = DATA["pu"], DATA["pi"]
    else:
        users, items, ratings = DATA["u"], DATA["i"], DATA["r"]
        uf, itf = DATA["uf"], DATA["itf"]
        model = Explicit(name != "mf", (uf, itf) if name == "deep-meta" else None, sparse, ratings.mean().item())
        loss_fn = torch.nn.MSELoss()
    n = len(users)
    model.train()
    opts = optimisers(model, sparse)
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    total = 0.0
    for s in range(0, n, BATCH):
        idx = perm[s:s + BATCH]
        for o in opts:
            o.zero_grad()
        if isinstance(model, Triplet):
            neg = torch.randint(0, DATA["items"], (len(idx),))  # negatives drawn afresh, as EmbedLab does
            loss = model(users[idx], items[idx], neg)
        else:
            loss = loss_fn(model(users[idx], items[idx], uf, itf), ratings[idx])
        loss.backward()
        for o in opts:
            o.step()
        total += loss.item() * len(idx)
    return time.perf_counter() - t0, total / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", help="folder with train.csv, user_features.csv, item_features.csv")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5, help="timed epochs after one warm-up epoch")
    ap.add_argument("--models", default="mf,deep,deep-meta,triplet,deep-triplet")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    load(args.data)
    for name in args.models.split(","):
        for sparse in (False, True):
            tag = "torch_sparse" if sparse else "torch_dense"
            epoch(name, sparse)  # warm-up
            runs = [epoch(name, sparse) for _ in range(args.runs)]
            secs = sorted(r[0] for r in runs)
            key = f"recsys.{name}.{tag}"
            print(f"BENCH {key}.seconds {secs[len(secs) // 2]:.6g} s", flush=True)
            print(f"BENCH {key}.seconds_min {secs[0]:.6g} s", flush=True)
            print(f"BENCH {key}.seconds_max {secs[-1]:.6g} s", flush=True)
            print(f"BENCH {key}.seconds_runs {len(secs)} count", flush=True)
            print(f"BENCH {key}.loss {runs[-1][1]:.6g}", flush=True)
    print(f"BENCH recsys.torch.threads {args.threads} threads", flush=True)


if __name__ == "__main__":
    main()
