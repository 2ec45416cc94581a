#!/usr/bin/env python3
"""Checks bench/pytorch_reference.py against ../shared/reference: same state-dict keys, eval logits,
train loss and gradients (with the linear-adjoint scan), so the benchmark compares like with like.
Run from the repository root: /usr/bin/python3 bench/check_pytorch_reference.py"""
import sys, json, struct, torch
import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_reference import MedMamba
def load_st(path):
    b = open(path, 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8+n]); out = {}
    for k, v in h.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']; dt = {'F32': torch.float32, 'I64': torch.int64}[v['dtype']]
        out[k] = torch.frombuffer(bytearray(b[8+n+s:8+n+e]), dtype=dt).reshape(v['shape'])
    return h['__metadata__'], out
for name in ['mini_c5_rgb_64x96', 'small_c4_gray_96']:
    meta, t = load_st(os.environ.get('MEDMAMBA_SHARED', '../shared') + f'/reference/{name}.safetensors')
    sd = torch.load(os.environ.get('MEDMAMBA_SHARED', '../shared') + f'/reference/{name}.pth')
    m = MedMamba(json.loads(meta['depths']), json.loads(meta['dims']), int(meta['num_classes']), int(meta['in_chans']), drop_path_rate=0)
    print(m.load_state_dict(sd, strict=True))
    m.eval()
    with torch.no_grad(): y = m(t['input'])
    print(name, 'eval max diff', (y - t['logits_eval']).abs().max().item())
    m.train(); m.load_state_dict(sd)
    m2 = MedMamba(json.loads(meta['depths']), json.loads(meta['dims']), int(meta['num_classes']), int(meta['in_chans']), drop_path_rate=0, train_scan=True)
    m2.load_state_dict(sd); m2.train()
    loss = torch.nn.functional.cross_entropy(m2(t['input']), t['labels']); loss.backward()
    worst = max(((p.grad - t['grad.' + k]).abs().max() / (t['grad.' + k].abs().max() + 1e-12)).item() for k, p in m2.named_parameters() if t['grad.' + k].abs().max() > 1e-6)
    print(name, 'train loss diff', abs(loss.item() - t['loss_train'].item()), 'worst rel grad diff', worst)
