#!/usr/bin/env python3
"""The PyTorch side of the learning-parity run: the original network (bench/pytorch_reference.py,
vectorised `chunked` scan) trained on a MedMNIST-style .npz with the recipe `./medmamba train`
uses, so that only the implementation differs:
- preprocessing: uint8 / 255, bilinear resize to --image-size (what ours does when upsampling),
  normalise with mean 0.449 / std 0.226 (ours for one channel); no augmentation (--no-augment);
- AdamW(0.9, 0.999, eps 1e-8), weight decay 0.05 except on rank <= 1 tensors, biases, A_logs, Ds;
- per-step schedule: linear warm-up over --warmup-epochs, then cosine annealing to 0;
- drop path 0.1 (linear over blocks), batch --batch, a fresh shuffle each epoch, last batch kept;
- the original's initialisation (init_weights), seeded by --seed.
Prints one JSON line per epoch (train_loss, val_accuracy) and a last line with test_accuracy and
wall_s (the last epoch's model, as `--select-by last` on our side)."""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pytorch_reference import VARIANTS, MedMamba, init_weights  # noqa: E402


def load(npz, split, size):
    x = torch.from_numpy(npz[f"{split}_images"].astype(np.float32) / 255.0)[:, None]
    x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False) if x.shape[-1] != size else x
    return (x - 0.449) / 0.226, torch.from_numpy(npz[f"{split}_labels"].reshape(-1).astype(np.int64))


def network(variant, depths, dims, classes, drop_path):
    """The original network, one input channel, chunked scan; depths/dims ("1,1,2,1") override the variant."""
    d, c = VARIANTS[variant]
    if depths:
        d, c = [int(v) for v in depths.split(",")], [int(v) for v in dims.split(",")]
    return MedMamba(d, c, classes, in_chans=1, drop_path_rate=drop_path, scan="chunked")


def adamw(model, lr, weight_decay):
    """AdamW(0.9, 0.999, 1e-8) with ours' decay rule: none on rank <= 1 tensors, biases, A_logs, Ds."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim <= 1 or name.endswith(".bias") or name.endswith("A_logs") or name.endswith("Ds") else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.999), eps=1e-8)


def accuracy(model, x, y, batch):
    model.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            right += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return right / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--variant", default="tiny")
    ap.add_argument("--depths")
    ap.add_argument("--dims")
    ap.add_argument("--image-size", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--warmup-epochs", type=float, default=1)
    ap.add_argument("--drop-path", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    t0 = time.perf_counter()
    npz = np.load(a.data)
    xtr, ytr = load(npz, "train", a.image_size)
    xva, yva = load(npz, "val", a.image_size)
    xte, yte = load(npz, "test", a.image_size)
    classes = int(max(ytr.max(), yva.max(), yte.max())) + 1
    model = init_weights(network(a.variant, a.depths, a.dims, classes, a.drop_path))
    model.train()
    opt = adamw(model, a.lr, a.weight_decay)
    steps_per_epoch = math.ceil(len(xtr) / a.batch)
    warm, total = round(a.warmup_epochs * steps_per_epoch), a.epochs * steps_per_epoch

    def lr_at(step):
        if step < warm:
            return a.lr * (step + 1) / warm
        t = min(1.0, (step - warm) / max(1, total - warm))
        return 0.5 * a.lr * (1 + math.cos(math.pi * t))

    step = 0
    gen = torch.Generator().manual_seed(a.seed)
    for epoch in range(1, a.epochs + 1):
        te = time.perf_counter()
        order = torch.randperm(len(xtr), generator=gen)
        loss_sum = 0.0
        for i in range(0, len(xtr), a.batch):
            idx = order[i:i + a.batch]
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            step += 1
        print(json.dumps({"epoch": epoch, "train_loss": loss_sum / len(xtr), "val_accuracy": accuracy(model, xva, yva, 256),
                          "seconds": time.perf_counter() - te}), flush=True)
    print(json.dumps({"test_accuracy": accuracy(model, xte, yte, 256), "wall_s": time.perf_counter() - t0,
                      "train_images": len(xtr), "test_images": len(xte)}), flush=True)


if __name__ == "__main__":
    main()
