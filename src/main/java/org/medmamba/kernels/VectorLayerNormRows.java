package org.medmamba.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector-API {@link LayerNormRows}: one vector of partial sums per row, then a fixed-order reduction. */
final class VectorLayerNormRows implements LayerNormRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[S.length()]);


    /** Sum of the lanes in index order (reduceLanes' order is unspecified and may differ between JIT tiers). */
    private static float sumLanes(FloatVector v) {
        float[] l = LANES.get();
        v.intoArray(l, 0);
        float s = 0;
        for (float f : l) s += f;
        return s;
    }

    @Override
    public float[] normalizeRow(float[] x, int xOff, int c, float[] w, float[] b, float[] y, int yOff, float eps) {
        int vb = S.loopBound(c), j = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; j < vb; j += S.length()) acc = acc.add(FloatVector.fromArray(S, x, xOff + j));
        float sum = sumLanes(acc);
        for (; j < c; j++) sum += x[xOff + j];
        float mean = sum / c;
        FloatVector m = FloatVector.broadcast(S, mean), sq = FloatVector.zero(S);
        for (j = 0; j < vb; j += S.length()) {
            FloatVector d = FloatVector.fromArray(S, x, xOff + j).sub(m);
            sq = d.fma(d, sq);
        }
        float var = sumLanes(sq);
        for (; j < c; j++) {
            float d = x[xOff + j] - mean;
            var += d * d;
        }
        float rs = (float) (1.0 / Math.sqrt(var / c + (double) eps));
        FloatVector r = FloatVector.broadcast(S, rs);
        for (j = 0; j < vb; j += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + j).sub(m).mul(r);
            v.fma(FloatVector.fromArray(S, w, j), FloatVector.fromArray(S, b, j)).intoArray(y, yOff + j);
        }
        for (; j < c; j++) y[yOff + j] = (x[xOff + j] - mean) * rs * w[j] + b[j];
        return new float[]{mean, rs};
    }

    @Override
    public void normalizeRowGated(float[] x, int xOff, int c, float[] w, float[] b, float[] z, int zOff,
                                  float[] y, int yOff, float eps, float[] tmp) {
        normalizeRow(x, xOff, c, w, b, y, yOff, eps);
        System.arraycopy(z, zOff, tmp, 0, c);
        VectorActivation.forwardSerial(Activation.Kind.SILU, tmp, tmp, 0, c);
        int vb = S.loopBound(c), j = 0;
        for (; j < vb; j += S.length())
            FloatVector.fromArray(S, y, yOff + j).mul(FloatVector.fromArray(S, tmp, j)).intoArray(y, yOff + j);
        for (; j < c; j++) y[yOff + j] *= tmp[j];
    }
}
