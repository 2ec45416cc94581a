package org.medmamba.model;

import org.medmamba.autograd.Activations;
import org.medmamba.autograd.Arith;
import org.medmamba.autograd.CrossScanOps;
import org.medmamba.autograd.InferenceOps;
import org.medmamba.autograd.LinearOps;
import org.medmamba.autograd.ScanOps;
import org.medmamba.autograd.ShapeOps;
import org.medmamba.autograd.Var;
import org.medmamba.nn.Conv2d;
import org.medmamba.nn.Init;
import org.medmamba.nn.LayerNorm;
import org.medmamba.nn.Linear;
import org.medmamba.nn.Module;
import org.medmamba.tensor.Tensor;

import java.util.Random;

/**
 * The 2-D selective-scan module: in_proj → depthwise conv + SiLU → four scan directions
 * (row-major, column-major and their reverses) with their own x_proj/dt_proj → fused selective
 * scan → sum of the directions → LayerNorm · SiLU(z) → out_proj. Channels-last in and out.
 */
public final class SS2D extends Module {
    static final int K = 4;
    final int dModel, dInner, dState, dtRank;
    final Var xProjWeight, dtProjsWeight, dtProjsBias, aLogs, ds;
    final Linear inProj, outProj;
    final Conv2d conv2d;
    final LayerNorm outNorm;
    /** Set only while a {@link ScanRecording} is open; null costs one check per forward. */
    private java.util.function.Consumer<ScanCapture> capture;

    public SS2D(int dModel, int dState, Random rnd) {
        this.dModel = dModel;
        this.dInner = 2 * dModel;
        this.dState = dState;
        this.dtRank = (int) Math.ceil(dModel / 16.0);
        // registration order follows the original's state dict: own parameters first, then children
        xProjWeight = param("x_proj_weight", Init.uniform(rnd, (float) (1 / Math.sqrt(dInner)), K, dtRank + 2 * dState, dInner));
        dtProjsWeight = param("dt_projs_weight", Init.uniform(rnd, (float) Math.pow(dtRank, -0.5), K, dInner, dtRank));
        dtProjsBias = param("dt_projs_bias", dtBiasInit(rnd, K, dInner));
        float[] a = new float[K * dInner * dState];
        for (int c = 0; c < K * dInner; c++) for (int n = 0; n < dState; n++) a[c * dState + n] = (float) Math.log(n + 1);
        aLogs = param("A_logs", Tensor.of(a, K * dInner, dState));
        ds = param("Ds", Tensor.full(1f, K * dInner));
        inProj = child("in_proj", new Linear(dModel, 2 * dInner, false, rnd));
        conv2d = child("conv2d", new Conv2d(dInner, dInner, 3, 1, 1, dInner, true, rnd));
        placeholder("act");
        outNorm = child("out_norm", new LayerNorm(dInner));
        outProj = child("out_proj", new Linear(dInner, dModel, false, rnd));
    }

    /** Package-private: {@link ScanRecording} sets and clears it. */
    void capture(java.util.function.Consumer<ScanCapture> sink) {
        this.capture = sink;
    }

    /** softplus⁻¹(dt) with dt = exp(U(ln 1e-3, ln 1e-1)) clamped at 1e-4. */
    private static Tensor dtBiasInit(Random rnd, int k, int d) {
        float[] b = new float[k * d];
        for (int i = 0; i < b.length; i++) {
            double dt = Math.exp(Math.log(1e-3) + rnd.nextDouble() * (Math.log(1e-1) - Math.log(1e-3)));
            dt = Math.max(dt, 1e-4);
            b[i] = (float) (dt + Math.log(-Math.expm1(-dt)));
        }
        return Tensor.of(b, k, d);
    }

    /** x (B, H, W, dModel) → (B, H, W, dModel). */
    public Var forward(Var x) {
        // a capture needs the per-direction scan, which the fused inference kernel never forms
        if (inferencePath() && capture == null) return forwardInference(x);
        int b = x.dim(0), h = x.dim(1), w = x.dim(2), l = h * w;
        Var[] xz = ShapeOps.chunk(inProj.forward(x), 2, -1);
        Var u = Activations.siluInPlace(conv2d.forward(ShapeOps.permute(xz[0], 0, 3, 1, 2)));   // (B, D, H, W)
        Var yl = scanDirections(u, b, h, w, l);                                           // (B, H, W, D)
        Var gated = Arith.mul(outNorm.forward(yl), Activations.silu(xz[1]));
        return outProj.forward(gated);
    }

    /**
     * The same computation without a tape, channels-last throughout: the depthwise conv reads
     * in_proj's x half in place, x_proj is one GEMM over all positions and directions, and the
     * fused cross scan projects Δ, scans the four directions and merges them onto the grid itself
     * — no (B, 4, D, L) copies of u, Δ or y are made.
     */
    private Var forwardInference(Var x) {
        Var xz = inProj.forward(x);                                                               // (B, H, W, 2D)
        Var u = InferenceOps.depthwise3x3ChannelsLast(xz, dInner, conv2d.weight, conv2d.bias, true);           // SiLU(conv)
        Var xDbl = LinearOps.linear(u, ShapeOps.reshape(xProjWeight, K * (dtRank + 2 * dState), dInner), null);
        Var a = Arith.mulScalar(Activations.exp(aLogs), -1f);
        Var y = InferenceOps.crossScan(u, xDbl, ShapeOps.reshape(dtProjsWeight, K * dInner, dtRank),
                ShapeOps.reshape(dtProjsBias, K * dInner), a, ShapeOps.reshape(ds, K * dInner));  // (B, H, W, D)
        Var z = ShapeOps.slice(xz, 3, dInner, 2 * dInner);
        return outProj.forward(InferenceOps.layerNormGate(y, outNorm.weight, outNorm.bias, LayerNorm.EPS, z));
    }

    /** The four scans over u (B, D, H, W), merged back onto the grid channels-last: (B, H, W, D). */
    private Var scanDirections(Var u, int b, int h, int w, int l) {
        Var xs = CrossScanOps.crossScan(u);                                                    // (B, K, D, L)
        Var xDbl = LinearOps.matmul(xProjWeight, xs);                                          // (B, K, R+2N, L)
        Var dts = ShapeOps.slice(xDbl, 2, 0, dtRank);
        Var bs = ShapeOps.transpose(ShapeOps.slice(xDbl, 2, dtRank, dtRank + dState), 2, 3);   // (B, K, L, N)
        Var cs = ShapeOps.transpose(ShapeOps.slice(xDbl, 2, dtRank + dState, dtRank + 2 * dState), 2, 3);
        Var delta = ShapeOps.reshape(LinearOps.matmul(dtProjsWeight, dts), b, K * dInner, l);  // (B, K·D, L)
        Var a = Arith.mulScalar(Activations.exp(aLogs), -1f);
        Var ys = ScanOps.selectiveScan(ShapeOps.reshape(xs, b, K * dInner, l), delta, a, bs, cs,
                ShapeOps.reshape(ds, K * dInner), ShapeOps.reshape(dtProjsBias, K * dInner));
        if (capture != null)   // copies: the recorded path may reuse or free its buffers
            capture.accept(new ScanCapture(b, h, w, dInner, dState, xs.value().data().clone(), delta.value().data().clone(),
                    a.value().data().clone(), bs.value().data().clone(), cs.value().data().clone(), ds.value().data().clone(),
                    dtProjsBias.value().data().clone(), ys.value().data().clone()));
        return CrossScanOps.crossMerge(ShapeOps.reshape(ys, b, K, dInner, l), h, w);
    }
}
