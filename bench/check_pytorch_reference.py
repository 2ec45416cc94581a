#!/usr/bin/env python3
"""Checks bench/pytorch_reference.py against ../shared/reference: same state-dict keys, eval logits,
train loss and gradients, for both scans (`loop`: the reference loop, with the linear-adjoint scan
for training; `chunked`: the vectorised scan, plain autograd), so the benchmarks compare like with
like. Also compares the two scans directly at odd lengths, chunk sizes and large decays.
Gradients are checked in float64 (the reference was made in float32, so both agree to ~1e-5);
float32 gradients are printed for information: a ReLU whose input lies within float32 rounding
of 0 can flip between two exact-in-theory scans and move one small gradient by 10 %.
Run from the repository root: /usr/bin/python3 bench/check_pytorch_reference.py
Exit status 1 if any difference exceeds 1e-4 (relative to the reference's largest magnitude)."""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_reference import MedMamba, selective_scan_chunked, selective_scan_ref  # noqa: E402

TOL = 1e-4
SHARED = os.environ.get('MEDMAMBA_SHARED', '../shared')
failed = []


def load_st(path):
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8 + n])
    out = {}
    for k, v in h.items():
        if k == '__metadata__':
            continue
        s, e = v['data_offsets']
        dt = {'F32': torch.float32, 'I64': torch.int64}[v['dtype']]
        out[k] = torch.frombuffer(bytearray(b[8 + n + s:8 + n + e]), dtype=dt).reshape(v['shape'])
    return h['__metadata__'], out


def report(what, value):
    ok = value <= TOL
    print(f'{what:58s} {value:.3e}  {"ok" if ok else "FAIL"}')
    if not ok:
        failed.append(what)


torch.manual_seed(0)
for l, chunk, scale in [(1, 16, 1), (7, 16, 1), (33, 16, 1), (100, 8, 1), (257, 32, 1), (257, 64, 0.2), (64, 16, 6), (300, 16, 12)]:
    b, d, n, g = 2, 6, 16, 1
    u = torch.randn(b, d, l, dtype=torch.float64)
    delta = torch.randn(b, d, l, dtype=torch.float64) * scale
    A = -torch.exp(torch.randn(d, n, dtype=torch.float64))
    B, C = torch.randn(b, g, n, l, dtype=torch.float64), torch.randn(b, g, n, l, dtype=torch.float64)
    D, bias = torch.randn(d, dtype=torch.float64), torch.randn(d, dtype=torch.float64)
    ref = selective_scan_ref(u, delta, A, B, C, D, bias)
    got = selective_scan_chunked(u, delta, A, B, C, D, bias, chunk=chunk)
    report(f'scan L={l} chunk={chunk} delta scale={scale}: max rel diff', ((got - ref).abs().max() / ref.abs().max()).item())

for name in ['mini_c5_rgb_64x96', 'small_c4_gray_96']:
    meta, t = load_st(f'{SHARED}/reference/{name}.safetensors')
    sd = torch.load(f'{SHARED}/reference/{name}.pth')
    cfg = (json.loads(meta['depths']), json.loads(meta['dims']), int(meta['num_classes']), int(meta['in_chans']))
    grads = {}
    for scan in ['loop', 'chunked']:
        for dtype in [torch.float32, torch.float64]:
            tag = f'{name} {scan} {str(dtype)[6:]}'
            m = MedMamba(*cfg, drop_path_rate=0, scan=scan)
            m.load_state_dict(sd, strict=True)
            m.to(dtype).eval()
            with torch.no_grad():
                y = m(t['input'].to(dtype))
            report(f'{tag}: eval logits max rel diff',
                   ((y.double() - t['logits_eval']).abs().max() / t['logits_eval'].abs().max()).item())
            m2 = MedMamba(*cfg, drop_path_rate=0, train_scan=True, scan=scan)
            m2.load_state_dict(sd, strict=True)
            m2.to(dtype).train()
            relu_in = []   # the pre-activations of every ReLU, to explain float32 gradient differences
            for mod in m2.modules():
                if isinstance(mod, torch.nn.ReLU):
                    mod.register_forward_hook(lambda _m, i, o: relu_in.append(i[0].detach().double()))
            loss = torch.nn.functional.cross_entropy(m2(t['input'].to(dtype)), t['labels'])
            loss.backward()
            report(f'{tag}: train loss abs diff', abs(loss.item() - t['loss_train'].item()))
            worst, where = max((((p.grad.double() - t['grad.' + k]).abs().max() / (t['grad.' + k].abs().max() + 1e-12)).item(), k)
                               for k, p in m2.named_parameters() if t['grad.' + k].abs().max() > 1e-6)
            grads[(scan, dtype)] = ({k: p.grad.double() for k, p in m2.named_parameters()}, relu_in)
            if dtype == torch.float64:
                report(f'{tag}: worst rel grad diff (all parameters)', worst)
            else:   # informational: one ReLU input within float32 noise of 0 can flip and move a gradient
                print(f'{tag + ": worst rel grad diff (all parameters)":58s} {worst:.3e}  ({where})')
    g64l, g64c = grads[('loop', torch.float64)][0], grads[('chunked', torch.float64)][0]
    report(f'{name}: chunked vs loop, float64, worst grad diff',
           max(((g64c[k] - g64l[k]).abs().max() / (g64l[k].abs().max() + 1e-300)).item() for k in g64l if g64l[k].abs().max() > 1e-9))
    flips = sum(((a > 0) != (b > 0)).sum().item() for a, b in zip(grads[('loop', torch.float32)][1], grads[('chunked', torch.float32)][1]))
    print(f'{name}: float32 ReLU inputs whose sign differs between the scans: {flips}')
print('all within 1e-4' if not failed else f'FAILED: {failed}')
sys.exit(1 if failed else 0)
