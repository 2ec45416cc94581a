#!/usr/bin/env python3
"""PyTorch CPU reference of MedMamba for side-by-side benchmarks (not used at run time).

The network follows ../shared/spec/medmamba-architecture.md (the original MedMamba.py / VSSM).
Two scans, chosen with --scan:
- `loop` (default): Mamba's reference scan loop (`selective_scan_ref` semantics), which is what the
  original code runs without CUDA; for training, a torch.autograd.Function whose backward runs the
  adjoint recurrence (linear in L), since autograd through the reference loop is quadratic in L.
- `chunked`: a vectorised scan (`selective_scan_chunked`), what a savvy CPU user would write: per
  chunk of T steps the cumulative sums of delta*A in log space, the within-chunk states as one
  cumulative sum, the state carried between chunks by a loop over L/T chunks; plain autograd
  gives its backward (linear in L).

    OPENBLAS_CORETYPE=Cooperlake /usr/bin/python3 bench/pytorch_reference.py inference \
        --variant tiny --image-size 224 --batch 1,16 --threads 2 --json
    OPENBLAS_CORETYPE=Cooperlake /usr/bin/python3 bench/pytorch_reference.py train \
        --variant tiny --image-size 224 --batch 16 --threads 2 --json [--scan chunked]
"""
import argparse
import json
import math
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VARIANTS = {
    "tiny": ([2, 2, 4, 2], [96, 192, 384, 768]),
    "small": ([2, 2, 8, 2], [96, 192, 384, 768]),
    "base": ([2, 2, 12, 2], [128, 256, 512, 1024]),
}


def selective_scan_ref(u, delta, A, B, C, D, delta_bias):
    """Mamba's reference loop: u, delta (b, d, l); A (d, n); B, C (b, g, n, l); D, delta_bias (d)."""
    delta = F.softplus(delta + delta_bias[..., None])
    b, d, l = u.shape
    g = B.shape[1]
    Bx = B.repeat_interleave(d // g, dim=1)
    Cx = C.repeat_interleave(d // g, dim=1)
    deltaA = torch.exp(torch.einsum("bdl,dn->bdln", delta, A))
    deltaB_u = torch.einsum("bdl,bdnl,bdl->bdln", delta, Bx, u)
    x = A.new_zeros((b, d, A.shape[1]))
    ys = []
    for i in range(l):
        x = deltaA[:, :, i] * x + deltaB_u[:, :, i]
        ys.append(torch.einsum("bdn,bdn->bd", x, Cx[:, :, :, i]))
    return torch.stack(ys, dim=2) + u * D[:, None]


def selective_scan_chunked(u, delta, A, B, C, D, delta_bias, chunk=32, max_log_decay=40.0):
    """The same recurrence, h_t = exp(dt_t A) h_{t-1} + dt_t u_t B_t, vectorised within chunks of T steps.

    Within a chunk starting from the carried state h_0, with S_t = sum_{s<=t} dt_s A (the log of the
    decay since the chunk's start, <= 0):
        h_t = exp(S_t) (h_0 + sum_{s<=t} exp(-S_s) dt_s u_s B_s)
    so a chunk's T states are two cumulative sums and a few products on a (b, g, d/g, T, n) block
    that stays in cache; a Python loop runs over the L/T chunks only (the reference loop runs over
    all L steps on (b, d, n) slices after materialising two (b, d, L, n) tensors). The within-chunk
    form as T x T batched matrix products (Mamba-2 style) was measured too: 2-4x slower here, as
    OpenBLAS's bmm on 16 x 16 matrices is dominated by call overhead.
    exp(-S) must stay well inside float32's range, or the gradients lose precision (and beyond
    e^88 it overflows): T is the largest power of two <= `chunk` for which no chunk decays by more
    than e^-max_log_decay. Random-init networks get T = 16 to 32; T = 1 is the plain loop.
    Plain autograd differentiates it; its backward is linear in L.
    """
    dt = F.softplus(delta + delta_bias[..., None])                   # (b, d, l)
    b, d, l = u.shape
    g, n = B.shape[1], A.shape[1]
    dg = d // g
    with torch.no_grad():
        rate = dt * (-A).amax(1)[:, None]                            # largest dt*|A| per step
        T = chunk
        while T > 1:
            if F.pad(rate, (0, (-l) % T)).view(b, d, -1, T).sum(-1).max() <= max_log_decay:
                break
            T //= 2
    dtu = (dt * u).view(b, g, dg, l, 1)
    dtv = dt.view(b, g, dg, l, 1)
    Av = A.view(1, g, dg, 1, n)
    Bt = B.transpose(2, 3).unsqueeze(2)                               # (b, g, 1, l, n)
    Ct = C.transpose(2, 3).unsqueeze(2)
    h = u.new_zeros((b, g, dg, 1, n))
    ys = []
    for s in range(0, l, T):
        e = min(s + T, l)
        eS = torch.exp(torch.cumsum(dtv[:, :, :, s:e] * Av, dim=3))  # (b, g, dg, t, n)
        H = eS * (h + torch.cumsum(Bt[:, :, :, s:e] * dtu[:, :, :, s:e] / eS, dim=3))
        ys.append((H * Ct[:, :, :, s:e]).sum(-1))
        h = H[:, :, :, -1:]
    return torch.cat(ys, dim=3).reshape(b, d, l) + u * D[:, None]


class LinearScan(torch.autograd.Function):
    """The same scan with a hand-written adjoint backward (linear in L)."""

    @staticmethod
    def forward(ctx, u, delta, A, B, C, D, delta_bias):
        ctx.save_for_backward(u, delta, A, B, C, D, delta_bias)
        with torch.no_grad():
            return selective_scan_ref(u, delta, A, B, C, D, delta_bias)

    @staticmethod
    def backward(ctx, dy):
        u, delta, A, B, C, D, delta_bias = ctx.saved_tensors
        b, d, l = u.shape
        g = B.shape[1]
        v = delta + delta_bias[..., None]
        dt = F.softplus(v)
        Bx = B.repeat_interleave(d // g, dim=1)
        Cx = C.repeat_interleave(d // g, dim=1)
        dA_ = torch.exp(torch.einsum("bdl,dn->bdln", dt, A))
        x = A.new_zeros((b, d, A.shape[1]))
        hs = []
        for i in range(l):
            x = dA_[:, :, i] * x + (dt[:, :, i] * u[:, :, i])[..., None] * Bx[:, :, :, i]
            hs.append(x)
        H = torch.stack(hs, dim=2)                                    # (b, d, l, n)
        Hprev = torch.cat([torch.zeros_like(H[:, :, :1]), H[:, :, :-1]], dim=2)
        dH = torch.zeros_like(H)
        carry = A.new_zeros((b, d, A.shape[1]))
        for i in range(l - 1, -1, -1):
            carry = carry + dy[:, :, i, None] * Cx[:, :, :, i]
            dH[:, :, i] = carry
            carry = carry * dA_[:, :, i]
        dC = torch.einsum("bdl,bdln->bdnl", dy, H).reshape(b, g, d // g, -1, l).sum(2)
        ddt = (dH * Hprev * dA_ * A[None, :, None, :]).sum(-1) + (dH * Bx.permute(0, 1, 3, 2)).sum(-1) * u
        dA = (dH * Hprev * dA_ * dt[..., None]).sum((0, 2))
        du = (dH * Bx.permute(0, 1, 3, 2)).sum(-1) * dt + dy * D[:, None]
        dB = torch.einsum("bdln,bdl->bdnl", dH, dt * u).reshape(b, g, d // g, -1, l).sum(2)
        dD = (dy * u).sum((0, 2))
        dv = ddt * torch.sigmoid(v)
        return du, dv, dA, dB, dC, dD, dv.sum((0, 2))


class SS2D(nn.Module):
    def __init__(self, d_model, d_state=16, train_scan=False, scan="loop"):
        super().__init__()
        self.scan = scan
        self.d_inner = 2 * d_model
        self.d_state = d_state
        self.dt_rank = math.ceil(d_model / 16)
        self.train_scan = train_scan
        K, di = 4, self.d_inner
        self.in_proj = nn.Linear(d_model, 2 * di, bias=False)
        self.conv2d = nn.Conv2d(di, di, 3, padding=1, groups=di, bias=True)
        self.x_proj_weight = nn.Parameter(torch.empty(K, self.dt_rank + 2 * d_state, di).uniform_(-di ** -0.5, di ** -0.5))
        self.dt_projs_weight = nn.Parameter(torch.empty(K, di, self.dt_rank).uniform_(-self.dt_rank ** -0.5, self.dt_rank ** -0.5))
        dt = torch.exp(torch.rand(K, di) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clamp(min=1e-4)
        self.dt_projs_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))
        self.A_logs = nn.Parameter(torch.log(torch.arange(1, d_state + 1, dtype=torch.float32)).repeat(K * di, 1))
        self.Ds = nn.Parameter(torch.ones(K * di))
        self.out_norm = nn.LayerNorm(di)
        self.out_proj = nn.Linear(di, d_model, bias=False)

    def forward(self, x):
        B, H, W, _ = x.shape
        L, K = H * W, 4
        x, z = self.in_proj(x).chunk(2, dim=-1)
        x = F.silu(self.conv2d(x.permute(0, 3, 1, 2).contiguous()))
        x_hwwh = torch.stack([x.view(B, -1, L), x.transpose(2, 3).contiguous().view(B, -1, L)], dim=1)
        xs = torch.cat([x_hwwh, torch.flip(x_hwwh, dims=[-1])], dim=1)                 # (B, K, D, L)
        x_dbl = torch.einsum("bkdl,kcd->bkcl", xs, self.x_proj_weight)
        dts, Bs, Cs = torch.split(x_dbl, [self.dt_rank, self.d_state, self.d_state], dim=2)
        dts = torch.einsum("bkrl,kdr->bkdl", dts, self.dt_projs_weight)
        if self.scan == "chunked":
            scan = selective_scan_chunked
        else:
            scan = LinearScan.apply if self.train_scan else selective_scan_ref
        y = scan(xs.reshape(B, -1, L), dts.reshape(B, -1, L), -torch.exp(self.A_logs), Bs.contiguous(), Cs.contiguous(),
                 self.Ds, self.dt_projs_bias.reshape(-1)).view(B, K, -1, L)
        inv = torch.flip(y[:, 2:4], dims=[-1])
        wh = y[:, 1].view(B, -1, W, H).transpose(2, 3).reshape(B, -1, L)
        invwh = inv[:, 1].view(B, -1, W, H).transpose(2, 3).reshape(B, -1, L)
        y = (y[:, 0] + inv[:, 0] + wh + invwh).transpose(1, 2).reshape(B, H, W, -1)
        return self.out_proj(self.out_norm(y) * F.silu(z))


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = 1 - self.p
        mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)
        return x * mask / keep


class SSConvSSM(nn.Module):
    def __init__(self, dim, drop_path, d_state, train_scan, scan="loop"):
        super().__init__()
        c = dim // 2
        self.ln_1 = nn.LayerNorm(c)
        self.self_attention = SS2D(c, d_state, train_scan, scan)
        self.drop_path = DropPath(drop_path)
        self.conv33conv33conv11 = nn.Sequential(
            nn.BatchNorm2d(c), nn.Conv2d(c, c, 3, 1, 1), nn.BatchNorm2d(c), nn.ReLU(),
            nn.Conv2d(c, c, 3, 1, 1), nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c, 1, 1), nn.ReLU())

    def forward(self, x):
        left, right = x.chunk(2, dim=-1)
        s = self.drop_path(self.self_attention(self.ln_1(right)))
        left = self.conv33conv33conv11(left.permute(0, 3, 1, 2).contiguous()).permute(0, 2, 3, 1)
        out = torch.cat((left, s), dim=-1)
        b, h, w, c = out.shape
        out = out.view(b, h, w, 2, c // 2).transpose(3, 4).reshape(b, h, w, c)   # channel shuffle, groups 2
        return out + x


class PatchMerging2D(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(4 * dim)

    def forward(self, x):
        x = torch.cat([x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]], dim=-1)
        return self.reduction(self.norm(x))


class MedMamba(nn.Module):
    def __init__(self, depths, dims, num_classes, in_chans=3, d_state=16, drop_path_rate=0.1, train_scan=False, scan="loop"):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(in_chans, dims[0], 4, 4)
        self.patch_embed.norm = nn.LayerNorm(dims[0])
        dpr = [x.item() for x in torch.linspace(0, drop_path_rate, sum(depths))]
        self.layers = nn.ModuleList()
        for i in range(4):
            layer = nn.Module()
            layer.blocks = nn.ModuleList(SSConvSSM(dims[i], dpr[sum(depths[:i]) + j], d_state, train_scan, scan) for j in range(depths[i]))
            layer.downsample = PatchMerging2D(dims[i]) if i < 3 else None
            self.layers.append(layer)
        self.head = nn.Linear(dims[3], num_classes)

    def forward(self, x):
        x = self.patch_embed.norm(self.patch_embed.proj(x).permute(0, 2, 3, 1))
        for layer in self.layers:
            for blk in layer.blocks:
                x = blk(x)
            if layer.downsample is not None:
                x = layer.downsample(x)
        return self.head(x.mean(dim=(1, 2)))


def init_weights(model):
    """The original's initialisation for training from scratch (../shared/spec/medmamba-architecture.md):
    Linear normal(0, 0.02) with zero biases, norms 1/0, every Conv2d kaiming normal (fan_out, gain
    sqrt 2) with PyTorch's default uniform bias; the SSM parameters keep SS2D's own initialisation."""
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.LayerNorm, nn.BatchNorm2d)):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    return model


def parse_size(s):
    p = [int(v) for v in s.lower().split("x")]
    return (p[0], p[0]) if len(p) == 1 else (p[0], p[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["inference", "train", "gflops"])
    ap.add_argument("--variant", default="tiny", choices=list(VARIANTS))
    ap.add_argument("--image-size", default="224")
    ap.add_argument("--batch", default="1,16")
    ap.add_argument("--num-classes", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--scan", default="loop", choices=["loop", "chunked"],
                    help="loop: the original's reference scan (adjoint backward for training); chunked: vectorised")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.mode == "gflops":   # BLAS sanity check: the spec asks for >= 150 GFLOP/s with OpenBLAS
        x, y = torch.randn(1024, 1024), torch.randn(1024, 1024)
        for _ in range(3):
            torch.mm(x, y)
        t = []
        for _ in range(10):
            t0 = time.perf_counter(); torch.mm(x, y); t.append(time.perf_counter() - t0)
        print(json.dumps({"torch": torch.__version__, "threads": a.threads, "mm_1024_gflops": 2 * 1024 ** 3 / statistics.median(t) / 1e9}))
        return
    h, w = parse_size(a.image_size)
    depths, dims = VARIANTS[a.variant]
    model = MedMamba(depths, dims, a.num_classes, train_scan=(a.mode == "train"), scan=a.scan)
    results = []
    for b in [int(v) for v in a.batch.split(",")]:
        x = torch.randn(b, 3, h, w)
        times = []
        if a.mode == "inference":
            model.eval()
            with torch.no_grad():
                for r in range(a.warmup + a.repeats):
                    t0 = time.perf_counter(); model(x); dt = time.perf_counter() - t0
                    if r >= a.warmup:
                        times.append(dt)
                    print(f"  pytorch batch {b} run {r + 1}: {dt * 1000:.0f} ms", file=sys.stderr)
            med = statistics.median(times)
            results.append({"batch": b, "ms_per_batch": med * 1000, "images_per_s": b / med})
        else:
            model.train()
            opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
            labels = torch.randint(0, a.num_classes, (b,))
            for r in range(a.warmup + a.repeats):
                t0 = time.perf_counter()
                loss = F.cross_entropy(model(x), labels)
                opt.zero_grad(); loss.backward(); opt.step()
                dt = time.perf_counter() - t0
                if r >= a.warmup:
                    times.append(dt)
                print(f"  pytorch train batch {b} step {r + 1}: {dt:.1f} s", file=sys.stderr)
            med = statistics.median(times)
            results.append({"batch": b, "s_per_step": med, "images_per_s": b / med,
                            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    out = {"impl": "pytorch", "scan": a.scan, "torch": torch.__version__, "mode": a.mode, "variant": a.variant,
           "image_size": [h, w], "threads": a.threads, "results": results}
    print(json.dumps(out) if a.json else json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
