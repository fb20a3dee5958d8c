#!/usr/bin/env python3
"""PyTorch peer for `embedlab bench`: one epoch of the same MF model on the same sizes.

Model: prediction = global_mean + b_user + b_item + <u, v>, u/v from nn.Embedding(dim 64),
biases from nn.Embedding(dim 1), MSE loss, torch.optim.Adam(lr 1e-3), batch 64, shuffled,
100k (user, item, rating) triples over 943 users x 1682 items (MovieLens-100k shape).
Dense embedding gradients and dense Adam, as EmbedLab's engine does.

Runs single-threaded by default (torch.set_num_threads(1)): the lab runs on one thread in the
browser. --threads N changes that. Prints BENCH lines like EmbedLab's suites.
Uses Debian's python3-torch (1.13); no other dependency.
"""
import argparse
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratings", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=943)
    ap.add_argument("--items", type=int, default=1682)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)

    users = torch.randint(0, args.users, (args.ratings,))
    items = torch.randint(0, args.items, (args.ratings,))
    ratings = torch.randint(1, 6, (args.ratings,)).float()
    mean = ratings.mean().item()

    class MF(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.u = torch.nn.Embedding(args.users, args.dim)
            self.v = torch.nn.Embedding(args.items, args.dim)
            self.bu = torch.nn.Embedding(args.users, 1)
            self.bi = torch.nn.Embedding(args.items, 1)
            for e in (self.u, self.v):
                torch.nn.init.normal_(e.weight, 0.0, 0.1)
            for e in (self.bu, self.bi):
                torch.nn.init.zeros_(e.weight)

        def forward(self, u, i):
            return mean + self.bu(u).squeeze(1) + self.bi(i).squeeze(1) + (self.u(u) * self.v(i)).sum(1)

    model = MF()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()

    t0 = time.perf_counter()
    perm = torch.randperm(args.ratings)
    total = 0.0
    for s in range(0, args.ratings, args.batch):
        idx = perm[s:s + args.batch]
        opt.zero_grad()
        loss = loss_fn(model(users[idx], items[idx]), ratings[idx])
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    t = time.perf_counter() - t0
    print(f"BENCH mf_epoch.torch.seconds {t:.6g} s")
    print(f"BENCH mf_epoch.torch.final_loss {total / args.ratings:.6g} mse")
    print(f"BENCH mf_epoch.torch.threads {args.threads} threads")


if __name__ == "__main__":
    main()
