package org.medmamba.kernels;

/**
 * Plain direct-loop {@link Conv2d} for any geometry (groups included), accumulated in double.
 * Slow on purpose: it is the yardstick the fast kernels are tested against, so every output
 * element is written as the textbook sum with no restructuring.
 */
final class ReferenceConv2d implements Conv2d {

    @Override
    public void forward(Geometry g, float[] x, float[] weight, float[] bias, float[] y) {
        int oh = g.outH(), ow = g.outW(), inCg = g.inC() / g.groups(), outCg = g.outC() / g.groups();
        for (int b = 0; b < g.batch(); b++)
            for (int o = 0; o < g.outC(); o++) {
                int c0 = (o / outCg) * inCg;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int ci = 0; ci < inCg; ci++)
                            for (int ki = 0; ki < g.kh(); ki++) {
                                int ih = i * g.stride() - g.pad() + ki;
                                if (ih < 0 || ih >= g.h()) continue;
                                for (int kj = 0; kj < g.kw(); kj++) {
                                    int iw = j * g.stride() - g.pad() + kj;
                                    if (iw < 0 || iw >= g.w()) continue;
                                    s += (double) weight[((o * inCg + ci) * g.kh() + ki) * g.kw() + kj]
                                            * x[((b * g.inC() + c0 + ci) * g.h() + ih) * g.w() + iw];
                                }
                            }
                        y[((b * g.outC() + o) * oh + i) * ow + j] = (float) s;
                    }
            }
    }

    @Override
    public void backwardInput(Geometry g, float[] dy, float[] weight, float[] dx) {
        int oh = g.outH(), ow = g.outW(), inCg = g.inC() / g.groups(), outCg = g.outC() / g.groups();
        for (int b = 0; b < g.batch(); b++)
            for (int c = 0; c < g.inC(); c++) {
                int grp = c / inCg, ci = c % inCg;
                for (int ih = 0; ih < g.h(); ih++)
                    for (int iw = 0; iw < g.w(); iw++) {
                        // Gather form: every output position whose window covers (ih, iw).
                        double s = 0;
                        for (int o = grp * outCg; o < (grp + 1) * outCg; o++)
                            for (int ki = 0; ki < g.kh(); ki++) {
                                int t = ih + g.pad() - ki;
                                if (t < 0 || t % g.stride() != 0 || t / g.stride() >= oh) continue;
                                int i = t / g.stride();
                                for (int kj = 0; kj < g.kw(); kj++) {
                                    int u = iw + g.pad() - kj;
                                    if (u < 0 || u % g.stride() != 0 || u / g.stride() >= ow) continue;
                                    int j = u / g.stride();
                                    s += (double) weight[((o * inCg + ci) * g.kh() + ki) * g.kw() + kj]
                                            * dy[((b * g.outC() + o) * oh + i) * ow + j];
                                }
                            }
                        dx[((b * g.inC() + c) * g.h() + ih) * g.w() + iw] = (float) s;
                    }
            }
    }

    @Override
    public void backwardWeight(Geometry g, float[] x, float[] dy, float[] dWeight, float[] dBias) {
        int oh = g.outH(), ow = g.outW(), inCg = g.inC() / g.groups(), outCg = g.outC() / g.groups();
        for (int o = 0; o < g.outC(); o++) {
            int c0 = (o / outCg) * inCg;
            for (int ci = 0; ci < inCg; ci++)
                for (int ki = 0; ki < g.kh(); ki++)
                    for (int kj = 0; kj < g.kw(); kj++) {
                        double s = 0;
                        for (int b = 0; b < g.batch(); b++)
                            for (int i = 0; i < oh; i++) {
                                int ih = i * g.stride() - g.pad() + ki;
                                if (ih < 0 || ih >= g.h()) continue;
                                for (int j = 0; j < ow; j++) {
                                    int iw = j * g.stride() - g.pad() + kj;
                                    if (iw < 0 || iw >= g.w()) continue;
                                    s += (double) dy[((b * g.outC() + o) * oh + i) * ow + j]
                                            * x[((b * g.inC() + c0 + ci) * g.h() + ih) * g.w() + iw];
                                }
                            }
                        dWeight[((o * inCg + ci) * g.kh() + ki) * g.kw() + kj] = (float) s;
                    }
            if (dBias != null) {
                double s = 0;
                for (int b = 0; b < g.batch(); b++)
                    for (int k = 0; k < oh * ow; k++) s += dy[(b * g.outC() + o) * oh * ow + k];
                dBias[o] = (float) s;
            }
        }
    }
}
