#!/usr/bin/env python3
"""Table and log-log plot of bench/scaling.sh's points: time per image and heap against image
side, and the least-squares exponent of time per image against pixel count (per series).
Heap: for training, the live heap at the end of the forward pass (model, AdamW state and the
activations the backward needs; `live_heap_mb`); for inference the heap pools' summed peak, an
upper bound that includes G1's headroom."""
import json
import math
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out = sys.argv[1]
series = {}   # name -> [(side, ms per image, heap MB)]
for line in open(f"{out}/points.jsonl"):
    p = json.loads(line)
    for r in p["run"]["results"]:
        if p["kind"] == "inference":
            name, ms = f"inference, batch {r['batch']}", r["ms_per_batch"] / r["batch"]
        else:
            name, ms = f"training step, batch {r['batch']}", 1000 * r["s_per_step"] / r["batch"]
        heap = r.get("live_heap_mb", r["peak_heap_mb"]) if p["kind"] == "train" else r["peak_heap_mb"]
        series.setdefault(name, []).append((p["side"], ms, heap))


def slope(xs, ys):
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


sides = sorted({s for v in series.values() for s, _, _ in v})
lines = ["| series | " + " | ".join(f"{s}²" for s in sides) + " | exponent (all) | exponent (≥ 224) |",
         "|---|" + "---:|" * (len(sides) + 2)]
fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
for name, pts in series.items():
    pts.sort()
    px = [s * s for s, _, _ in pts]
    e_all = slope(px, [m for _, m, _ in pts])
    big = [(s * s, m) for s, m, _ in pts if s >= 224]
    e_big = slope([a for a, _ in big], [b for _, b in big]) if len(big) >= 2 else float("nan")
    cells = {s: f"{m:.1f} ms/img, {h:.0f} MB" for s, m, h in pts}
    lines.append(f"| {name} | " + " | ".join(cells.get(s, "–") for s in sides) + f" | {e_all:.3f} | {e_big:.3f} |")
    ax[0].loglog(px, [m for _, m, _ in pts], marker="o", label=f"{name} (exp. {e_all:.2f})")
    ax[1].loglog(px, [h for _, _, h in pts], marker="o", label=name)
ref = [s * s for s in sides]
base = series[next(iter(series))]
ax[0].loglog(ref, [base[-1][1] * r / ref[-1] for r in ref], "k--", alpha=0.4, label="linear in pixels")
ax[0].set_title("time per image")
ax[0].set_ylabel("ms per image")
ax[1].set_title("heap: training = live after forward; inference = pool peaks")
ax[1].set_ylabel("MB")
for a in ax:
    a.set_xlabel("pixels (image side²)")
    a.grid(alpha=0.3, which="both")
    a.legend(fontsize=8)
fig.suptitle("MedMamba-T for Java: cost against image size (2 threads)")
fig.tight_layout()
fig.savefig(f"{out}/scaling.png", dpi=110)
open(f"{out}/scaling.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
