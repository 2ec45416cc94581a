package org.medmamba.autograd;

import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.LayerNormRows;
import org.medmamba.kernels.Parallel;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

/** LayerNorm over the last axis and BatchNorm2d (NCHW), PyTorch semantics. */
public final class Norms {
    private Norms() {}

    /** LayerNorm over the last axis with elementwise affine weight and bias (both (C)). */
    public static Var layerNorm(Var x, Var weight, Var bias, float eps) {
        int[] xs = x.shape();
        int c = xs[xs.length - 1];
        if (weight.rank() != 1 || weight.dim(0) != c || bias.rank() != 1 || bias.dim(0) != c)
            throw new IllegalArgumentException("layerNorm: weight/bias must be (" + c + ") for input " + Shape.str(xs));
        int rows = x.value().size() / c;
        // rows of a strided view (e.g. the right half of the channels) are read in place
        Tensor xv = x.value();
        Rows xr = Rows.of(xv);
        float[] xd = xr.data();
        int xOff = xr.offset(), xStride = xr.stride();
        float[] w = weight.value().data(), b = bias.value().data();
        float[] y = new float[rows * c];
        float[] mean = new float[rows], rstd = new float[rows];
        LayerNormRows norm = Kernels.layerNormRows();
        Parallel.range(rows, 16, (s, e) -> {
            for (int r = s; r < e; r++) {
                float[] st = norm.normalizeRow(xd, xOff + r * xStride, c, w, b, y, r * c, eps);
                mean[r] = st[0];
                rstd[r] = st[1];
            }
        });
        return Var.result(Tensor.of(y, xs), g -> {
            float[] gd = g.data();
            float[] dx = x.requiresGrad() ? new float[rows * c] : null;
            // dW, dB: partial sums per fixed chunk of rows, reduced in order, so the result does not
            // depend on the thread count
            int chunks = Math.max(1, Math.min(rows, 32));
            int per = (rows + chunks - 1) / chunks;
            double[][] dwPart = new double[chunks][c], dbPart = new double[chunks][c];
            Parallel.range(chunks, 1, (cs, ce) -> {
                for (int ch = cs; ch < ce; ch++) {
                    double[] dwp = dwPart[ch], dbp = dbPart[ch];
                    for (int r = ch * per; r < Math.min(rows, (ch + 1) * per); r++) {
                        int o = r * c, xo = xOff + r * xStride;
                        float m = mean[r], rs = rstd[r];
                        double sg = 0, sgx = 0;
                        for (int j = 0; j < c; j++) {
                            float xh = (xd[xo + j] - m) * rs;
                            float gw = gd[o + j] * w[j];
                            sg += gw;
                            sgx += gw * xh;
                            dwp[j] += gd[o + j] * xh;
                            dbp[j] += gd[o + j];
                        }
                        if (dx != null) {
                            float a = (float) (sg / c), bb = (float) (sgx / c);
                            for (int j = 0; j < c; j++) {
                                float xh = (xd[xo + j] - m) * rs;
                                dx[o + j] = rs * (gd[o + j] * w[j] - a - xh * bb);
                            }
                        }
                    }
                }
            });
            if (dx != null) x.accumulate(Tensor.of(dx, xs));
            weight.accumulate(Tensor.of(reduce(dwPart, c), c));
            bias.accumulate(Tensor.of(reduce(dbPart, c), c));
        }, x, weight, bias);
    }

    /**
     * BatchNorm2d on x (B, C, H, W). Training: normalise with the batch's biased variance and
     * update the running stats in place with the unbiased one (running = (1−momentum)·running +
     * momentum·batch). Eval: normalise with the running stats.
     */
    public static Var batchNorm2d(Var x, Var weight, Var bias, Tensor runningMean, Tensor runningVar,
                                  boolean training, float momentum, float eps) {
        int[] xs = x.shape();
        if (xs.length != 4) throw new IllegalArgumentException("batchNorm2d expects (B,C,H,W), got " + Shape.str(xs));
        int bsz = xs[0], c = xs[1], hw = xs[2] * xs[3];
        long count = (long) bsz * hw;
        // a strided input (e.g. a channels-last view) is copied by data(); in inference that copy is
        // ours, so the result overwrites it instead of taking a second array
        boolean freshCopy = !x.value().isDense() && !training && !Var.recording(x, weight, bias);
        float[] xd = x.value().data(), w = weight.value().data(), b = bias.value().data();
        float[] rm = runningMean.storage(), rv = runningVar.storage();
        if (!runningMean.isDense() || !runningVar.isDense() || rm.length != c || rv.length != c)
            throw new IllegalArgumentException("batchNorm2d: running stats must be dense (" + c + ")");
        float[] mean = new float[c], rstd = new float[c];
        float[] y = freshCopy ? xd : new float[xd.length];
        Parallel.range(c, 1, (s, e) -> {
            for (int ch = s; ch < e; ch++) {
                float m, rs;
                if (training) {
                    double sum = 0;
                    for (int n = 0; n < bsz; n++) {
                        int o = (n * c + ch) * hw;
                        for (int i = 0; i < hw; i++) sum += xd[o + i];
                    }
                    double mu = sum / count, sq = 0;
                    for (int n = 0; n < bsz; n++) {
                        int o = (n * c + ch) * hw;
                        for (int i = 0; i < hw; i++) {
                            double d = xd[o + i] - mu;
                            sq += d * d;
                        }
                    }
                    double var = sq / count;
                    m = (float) mu;
                    rs = (float) (1.0 / Math.sqrt(var + eps));
                    double unbiased = count > 1 ? sq / (count - 1) : var;
                    rm[ch] = (float) ((1 - momentum) * rm[ch] + momentum * mu);
                    rv[ch] = (float) ((1 - momentum) * rv[ch] + momentum * unbiased);
                } else {
                    m = rm[ch];
                    rs = (float) (1.0 / Math.sqrt(rv[ch] + (double) eps));
                }
                mean[ch] = m;
                rstd[ch] = rs;
                float scale = rs * w[ch], shift = b[ch] - m * scale;
                for (int n = 0; n < bsz; n++) {
                    int o = (n * c + ch) * hw;
                    for (int i = 0; i < hw; i++) y[o + i] = xd[o + i] * scale + shift;
                }
            }
        });
        return Var.result(Tensor.of(y, xs), g -> {
            float[] gd = g.data();
            float[] dx = x.requiresGrad() ? new float[xd.length] : null;
            float[] dw = new float[c], db = new float[c];
            Parallel.range(c, 1, (s, e) -> {
                for (int ch = s; ch < e; ch++) {
                    float m = mean[ch], rs = rstd[ch];
                    double sg = 0, sgx = 0;
                    for (int n = 0; n < bsz; n++) {
                        int o = (n * c + ch) * hw;
                        for (int i = 0; i < hw; i++) {
                            sg += gd[o + i];
                            sgx += gd[o + i] * ((xd[o + i] - m) * rs);
                        }
                    }
                    dw[ch] = (float) sgx;
                    db[ch] = (float) sg;
                    if (dx == null) continue;
                    float ws = w[ch] * rs;
                    if (training) {
                        // batch statistics depend on x: dx = w·rstd·(g − mean(g) − x̂·mean(g·x̂))
                        float a = (float) (sg / count), bb = (float) (sgx / count);
                        for (int n = 0; n < bsz; n++) {
                            int o = (n * c + ch) * hw;
                            for (int i = 0; i < hw; i++) dx[o + i] = ws * (gd[o + i] - a - (xd[o + i] - m) * rs * bb);
                        }
                    } else {
                        for (int n = 0; n < bsz; n++) {
                            int o = (n * c + ch) * hw;
                            for (int i = 0; i < hw; i++) dx[o + i] = ws * gd[o + i];
                        }
                    }
                }
            });
            if (dx != null) x.accumulate(Tensor.of(dx, xs));
            weight.accumulate(Tensor.of(dw, c));
            bias.accumulate(Tensor.of(db, c));
        }, x, weight, bias);
    }

    private static float[] reduce(double[][] parts, int c) {
        float[] out = new float[c];
        for (int j = 0; j < c; j++) {
            double s = 0;
            for (double[] p : parts) s += p[j];
            out[j] = (float) s;
        }
        return out;
    }
}
