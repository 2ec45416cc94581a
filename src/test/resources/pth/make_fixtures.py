#!/usr/bin/env python3
"""Writes the small .pth fixtures used by TorchCheckpointTest (run with Debian's python3-torch):
    /usr/bin/python3 src/test/resources/pth/make_fixtures.py
strided.pth: tensors that are views (storage offset, transposed strides, a shared storage,
float16, bfloat16, int64 and a 0-d scalar), saved as torch.save writes them, plus the expected
dense values in strided_expected.json."""
import json, os, torch
here = os.path.dirname(os.path.abspath(__file__))
base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
sd = {
    "transposed": base.t(),                 # strides (1, 6)
    "offset_rows": base[1:3],               # storage offset 6
    "strided_cols": base[:, 1::2],          # strides (6, 2), offset 1
    "half": torch.tensor([1.5, -2.25, 3.0], dtype=torch.float16),
    "bf16": torch.tensor([0.5, 7.0], dtype=torch.bfloat16),
    "long": torch.tensor([3, -4, 5], dtype=torch.int64),
    "scalar": torch.tensor(9, dtype=torch.int64),
}
torch.save(sd, os.path.join(here, "strided.pth"))
expected = {k: {"shape": list(v.shape), "values": v.float().flatten().tolist()} for k, v in sd.items()}
json.dump(expected, open(os.path.join(here, "strided_expected.json"), "w"), indent=1)
