#!/usr/bin/env python3
"""Attributes Java Flight Recorder execution samples (jfr print --json) to the network's kinds of
work by the innermost org.medmamba frame of each sample, and reports GC pause time against the
recording's length. Used by bench/profile.sh."""
import json
import sys
from datetime import datetime

KINDS = [  # first match on "Class.method" of the innermost project frame
    ("GEMM (linear layers)", ["Gemm", "QuantDot", "QuantizedMatrix"]),
    ("convolution", ["Conv", "Depthwise", "BatchNorm"]),
    ("selective scan", ["Scan"]),
    ("norms", ["LayerNorm", "Norms.", "layerNorm", "batchNorm"]),
    ("activations / gate", ["Activation", "silu", "Silu", "relu", "Relu", "gelu"]),
    ("layout copies", ["permute", "Permute", "transpose", "Transpose", "contiguous", "copy", "Copy", "concat", "Concat",
                       "slice", "Slice", "chunk", "Chunk", "shuffle", "Shuffle", "roll", "Merging", "pad", "Pad"]),
    ("optimizer", ["AdamW"]),
    ("thread pool: dispatch and waiting", ["Parallel"]),
    ("tensor arithmetic", ["Tensor.", "Ops", "Var."]),
]


def kind(frames):
    for f in frames:   # innermost first
        m = f["method"]
        cls = m["type"]["name"].replace("/", ".")   # jfr prints some class names with slashes
        name = cls.rsplit(".", 1)[-1] + "." + m["name"]
        if not cls.startswith("org.medmamba") or cls.endswith(".VectorMath"):
            continue   # VectorMath's exp/log1p passes count for their caller (the scan, an activation)
        for k, keys in KINDS:
            if any(key in name for key in keys):
                if k.startswith("GEMM") and any("Conv" in g["method"]["type"]["name"] for g in frames):
                    return "convolution"   # im2col + GEMM: the GEMM serves a convolution
                return k
        return "other project code (" + name + ")"
    return "JVM / library (no project frame)"


out, cases = sys.argv[1], sys.argv[2:]
tables = {}
gc = {}
for c in cases:
    ev = json.load(open(f"{out}/{c}.json"))["recording"]["events"]
    counts = {}
    total = 0
    pause = 0.0
    alloc = 0.0
    times = []
    for e in ev:
        v = e["values"]
        if "startTime" in v:
            times.append(datetime.fromisoformat(v["startTime"].replace("Z", "+00:00")).timestamp())
        if e["type"] == "jdk.ExecutionSample":
            frames = (v.get("stackTrace") or {}).get("frames") or []
            k = kind(frames)
            if k.startswith("other project code"):
                k = "other"
            counts[k] = counts.get(k, 0) + 1
            total += 1
        elif e["type"] == "jdk.ObjectAllocationSample":
            alloc += float(v.get("weight") or 0)
        else:
            d = v.get("sumOfPauses") or v.get("duration") or "PT0S"
            pause += float(d[2:-1]) if d.startswith("PT") and d.endswith("S") else 0.0
    tables[c] = (counts, total)
    gc[c] = (pause, alloc, (max(times) - min(times)) if times else 0.0)
kinds = [k for k, _ in KINDS] + ["other", "JVM / library (no project frame)"]
print("| kind of work | " + " | ".join(cases) + " |")
print("|---|" + "---:|" * len(cases))
for k in kinds:
    if any(tables[c][0].get(k, 0) for c in cases):
        print(f"| {k} | " + " | ".join(f"{100 * tables[c][0].get(k, 0) / max(1, tables[c][1]):.1f} %" for c in cases) + " |")
print("| (samples) | " + " | ".join(str(tables[c][1]) for c in cases) + " |")
print("| recorded (steady state) | " + " | ".join(f"{gc[c][2]:.1f} s" for c in cases) + " |")
print("| GC pauses, total | " + " | ".join(f"{gc[c][0]:.2f} s ({100 * gc[c][0] / max(1e-9, gc[c][2]):.1f} %)" for c in cases) + " |")
print("| allocated (sampled estimate) | " + " | ".join(f"{gc[c][1] / 2**30:.1f} GiB" for c in cases) + " |")
