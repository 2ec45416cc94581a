#!/usr/bin/env python3
"""Summarises OUT_DIR/results.jsonl of bench/learning-parity/run.sh: OUT_DIR/summary.md (test
accuracy mean ± sd and wall time per side and configuration) and OUT_DIR/learning-curves.png
(validation accuracy and training loss per epoch, every seed, both sides)."""
import json
import statistics
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out = sys.argv[1]
rows = [json.loads(l) for l in open(f"{out}/results.jsonl") if l.strip()]
configs = sorted({r["config"] for r in rows}, key=lambda c: (c != "tiny", c))


def sd(v):
    return statistics.stdev(v) if len(v) > 1 else 0.0


lines = ["| network | side | seeds | test accuracy (mean ± sd) | per seed | wall time per run (mean) |",
         "|---|---|---:|---:|---|---:|"]
for c in configs:
    stats = {}
    for side in ["java", "pytorch"]:
        rs = sorted((r for r in rows if r["config"] == c and r["side"] == side), key=lambda r: r["seed"])
        acc = [r["test_accuracy"] for r in rs]
        wall = [r["wall_s"] for r in rs]
        stats[side] = (statistics.mean(acc), statistics.mean(wall))
        lines.append(f"| {c} | {side} | {len(rs)} | {100 * statistics.mean(acc):.2f} ± {100 * sd(acc):.2f} % | "
                     f"{', '.join(f'{100 * a:.1f}' for a in acc)} | {statistics.mean(wall):.0f} s |")
    (ja, jw), (pa, pw) = stats["java"], stats["pytorch"]
    lines.append(f"| {c} | **java − pytorch** | | **{100 * (ja - pa):+.2f} pp** | | **{pw / jw:.1f}× faster** |")
open(f"{out}/summary.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))

fig, axes = plt.subplots(len(configs), 2, figsize=(10, 3.4 * len(configs)), squeeze=False)
for i, c in enumerate(configs):
    for side, colour in [("java", "tab:blue"), ("pytorch", "tab:orange")]:
        for r in (r for r in rows if r["config"] == c and r["side"] == side):
            ep = [p["epoch"] for p in r["curve"]]
            lab = f"{side}" if r["seed"] == min(x["seed"] for x in rows) else None
            axes[i][0].plot(ep, [p["val_accuracy"] for p in r["curve"]], color=colour, marker="o", alpha=0.7, label=lab)
            axes[i][1].plot(ep, [p["train_loss"] for p in r["curve"]], color=colour, marker="o", alpha=0.7, label=lab)
    axes[i][0].set_title(f"{c}: validation accuracy")
    axes[i][1].set_title(f"{c}: training loss")
    for ax in axes[i]:
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
fig.suptitle("Fashion-MNIST learning parity: MedMamba for Java vs PyTorch (original network, chunked scan), every seed")
fig.tight_layout()
fig.savefig(f"{out}/learning-curves.png", dpi=110)
