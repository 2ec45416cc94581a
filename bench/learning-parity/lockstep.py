#!/usr/bin/env python3
"""Lock-step check of the two training implementations: the same initial weights, the same input
batches in the same order, drop path off, the same AdamW steps — so any difference in the losses
comes from the implementations' arithmetic alone, not from seeds.

  lockstep.py prepare --data F.npz --out DIR [--variant tiny | --depths .. --dims ..] [--steps 30]
      writes DIR/init.pth (the original network's initial state_dict, init_weights, seed 0) and
      DIR/batches.pth (x: steps*batch preprocessed training images in file order, y: labels)
  lockstep.py train --out DIR      trains the PyTorch side on them: DIR/pytorch.json (loss per step)
  lockstep.py compare --out DIR    compares DIR/pytorch.json with DIR/java.json (LockStep.java)

Preprocessing and the AdamW settings are those of train_pytorch.py; the learning rate is held at
its peak (3e-4) so the comparison does not depend on a schedule."""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pytorch_reference import init_weights  # noqa: E402
from train_pytorch import adamw, load, network  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["prepare", "train", "compare"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--data")
    ap.add_argument("--variant", default="tiny")
    ap.add_argument("--depths")
    ap.add_argument("--dims")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--image-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    if a.mode == "prepare":
        torch.manual_seed(0)
        x, y = load(np.load(a.data), "train", a.image_size)
        n = a.steps * a.batch
        model = init_weights(network(a.variant, a.depths, a.dims, int(y.max()) + 1, 0.0))
        torch.save(model.state_dict(), f"{a.out}/init.pth")
        torch.save({"x": x[:n].contiguous(), "y": y[:n].float(), "batch": torch.tensor([float(a.batch)]),
                    "classes": torch.tensor([float(y.max() + 1)])}, f"{a.out}/batches.pth")
        json.dump({"variant": a.variant, "depths": a.depths, "dims": a.dims}, open(f"{a.out}/network.json", "w"))
    elif a.mode == "train":
        net = json.load(open(f"{a.out}/network.json"))
        b = torch.load(f"{a.out}/batches.pth")
        batch = int(b["batch"][0])
        model = network(net["variant"], net["depths"], net["dims"], int(b["classes"][0]), 0.0)
        model.load_state_dict(torch.load(f"{a.out}/init.pth"))
        model.train()
        opt = adamw(model, 3e-4, 0.05)
        losses = []
        for i in range(0, len(b["x"]), batch):
            loss = F.cross_entropy(model(b["x"][i:i + batch]), b["y"][i:i + batch].long())
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        json.dump({"losses": losses}, open(f"{a.out}/pytorch.json", "w"))
    else:
        p = json.load(open(f"{a.out}/pytorch.json"))["losses"]
        j = json.load(open(f"{a.out}/java.json"))["losses"]
        print("| step | PyTorch loss | Java loss | relative difference |")
        print("|---:|---:|---:|---:|")
        worst = 0.0
        for i, (u, v) in enumerate(zip(p, j)):
            rel = abs(u - v) / abs(u)
            worst = max(worst, rel)
            if i < 5 or (i + 1) % 5 == 0:
                print(f"| {i + 1} | {u:.6f} | {v:.6f} | {rel:.2e} |")
        print(f"\nsteps: {len(p)}; largest relative difference: {worst:.2e}; "
              f"mean loss PyTorch {np.mean(p):.6f}, Java {np.mean(j):.6f}")


if __name__ == "__main__":
    main()
