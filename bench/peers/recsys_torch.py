#!/usr/bin/env python3
"""PyTorch peer for `embedlab bench --suite recsys`: one training epoch of the same recommender
models at the same sizes as src/cli/bench_recsys.cpp.

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

One thread (torch.set_num_threads(1)), as the lab runs single-threaded in the browser. The data are
random ids of the same sizes (the timing does not depend on the values). Prints
  BENCH recsys.<model>.torch_<dense|sparse>.seconds <s> s
Uses Debian's python3-torch (1.13); no other dependency.
"""
import argparse
import time

import torch

USERS, ITEMS, DIM, HIDDEN, BATCH = 943, 1682, 64, 64, 64
USER_META, ITEM_META = 23, 22


class Explicit(torch.nn.Module):
    def __init__(self, deep, meta, sparse, mean):
        super().__init__()
        self.deep, self.meta, self.mean = deep, meta, mean
        self.u = torch.nn.Embedding(USERS, DIM, sparse=sparse)
        self.v = torch.nn.Embedding(ITEMS, DIM, sparse=sparse)
        self.bu = torch.nn.Embedding(USERS, 1, sparse=sparse)
        self.bi = torch.nn.Embedding(ITEMS, 1, sparse=sparse)
        for e in (self.u, self.v):
            torch.nn.init.normal_(e.weight, 0.0, 0.1)
        for e in (self.bu, self.bi):
            torch.nn.init.zeros_(e.weight)
        if deep:
            width = 2 * DIM + (USER_META + ITEM_META if meta else 0)
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
            parts += [uf[u], itf[i]]
        return bias + self.mlp(torch.cat(parts, 1)).squeeze(1)


class Triplet(torch.nn.Module):
    def __init__(self, deep, sparse):
        super().__init__()
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


def epoch(name, sparse, n_ratings, n_pos):
    g = torch.Generator().manual_seed(7)
    if name in ("triplet", "deep-triplet"):
        model = Triplet(name == "deep-triplet", sparse)
        users = torch.randint(0, USERS, (n_pos,), generator=g)
        items = torch.randint(0, ITEMS, (n_pos,), generator=g)
        n = n_pos
    else:
        users = torch.randint(0, USERS, (n_ratings,), generator=g)
        items = torch.randint(0, ITEMS, (n_ratings,), generator=g)
        ratings = torch.randint(1, 6, (n_ratings,), generator=g).float()
        uf, itf = torch.randn(USERS, USER_META, generator=g), torch.randn(ITEMS, ITEM_META, generator=g)
        model = Explicit(name != "mf", name == "deep-meta", sparse, ratings.mean().item())
        loss_fn = torch.nn.MSELoss()
        n = n_ratings
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
            neg = torch.randint(0, ITEMS, (len(idx),))  # negatives drawn afresh, as EmbedLab does
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
    ap.add_argument("--ratings", type=int, default=80_000)
    ap.add_argument("--positives", type=int, default=43_000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="one repetition instead of the best of 3")
    ap.add_argument("--models", default="mf,deep,deep-meta,triplet,deep-triplet")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    reps = 1 if args.quick else 3
    for name in args.models.split(","):
        for sparse in (False, True):
            best, loss = min(epoch(name, sparse, args.ratings, args.positives) for _ in range(reps))
            tag = "torch_sparse" if sparse else "torch_dense"
            print(f"BENCH recsys.{name}.{tag}.seconds {best:.6g} s", flush=True)
            print(f"BENCH recsys.{name}.{tag}.loss {loss:.6g}", flush=True)
    print(f"BENCH recsys.torch.threads {args.threads} threads", flush=True)


if __name__ == "__main__":
    main()
