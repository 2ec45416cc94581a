package org.medmamba.train;

import org.medmamba.autograd.Var;
import org.medmamba.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov & Hutter) exactly as torch.optim.AdamW: decoupled weight decay
 * (θ ← θ − lr·λ·θ before the Adam update), bias-corrected moments, eps added to √v̂.
 */
public final class AdamW {
    private final List<Var> params;
    private final Set<Var> noDecay;
    private final float beta1, beta2, eps, weightDecay;
    private float lr;
    private final Map<Var, float[]> m = new IdentityHashMap<>(), v = new IdentityHashMap<>();
    private long step;

    /**
     * @param noDecay parameters exempt from weight decay (norms, biases, A_logs, Ds in the recipe); may be empty
     */
    public AdamW(List<Var> params, Set<Var> noDecay, float lr, float beta1, float beta2, float eps, float weightDecay) {
        this.params = new ArrayList<>(params);
        this.noDecay = noDecay;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    public void setLr(float lr) { this.lr = lr; }
    public float lr() { return lr; }
    public long stepCount() { return step; }
    public Map<Var, float[]> firstMoments() { return m; }
    public Map<Var, float[]> secondMoments() { return v; }
    public void setStepCount(long s) { step = s; }

    /** One update from the parameters' current gradients (parameters without a gradient are skipped). */
    public void step() {
        step++;
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        for (Var p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            float[] gd = g.data();
            float[] w = p.value().contiguous().copy().storage();
            float[] mm = m.computeIfAbsent(p, k -> new float[w.length]);
            float[] vv = v.computeIfAbsent(p, k -> new float[w.length]);
            float decay = noDecay.contains(p) ? 0f : weightDecay;
            float stepSize = (float) (lr / bc1);
            float bc2Sqrt = (float) Math.sqrt(bc2);
            for (int i = 0; i < w.length; i++) {
                w[i] *= 1 - lr * decay;
                mm[i] = beta1 * mm[i] + (1 - beta1) * gd[i];
                vv[i] = beta2 * vv[i] + (1 - beta2) * gd[i] * gd[i];
                float denom = (float) Math.sqrt(vv[i]) / bc2Sqrt + eps;
                w[i] -= stepSize * mm[i] / denom;
            }
            p.setValue(Tensor.of(w, p.shape()));
        }
    }

    public void zeroGrad() {
        for (Var p : params) p.zeroGrad();
    }
}
