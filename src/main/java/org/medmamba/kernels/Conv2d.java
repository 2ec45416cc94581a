package org.medmamba.kernels;

/**
 * 2-D convolution on NCHW float arrays, PyTorch semantics (cross-correlation, zero padding,
 * square stride and padding, grouped). Weight layout (outC, inC/groups, kh, kw).
 * All outputs are overwritten, not accumulated.
 */
public interface Conv2d {

    record Geometry(int batch, int inC, int h, int w, int outC, int kh, int kw,
                    int stride, int pad, int groups) {
        public Geometry {
            if (batch < 1 || inC < 1 || h < 1 || w < 1 || outC < 1 || kh < 1 || kw < 1 || stride < 1 || pad < 0 || groups < 1)
                throw new IllegalArgumentException("bad conv geometry " + this);
            if (inC % groups != 0 || outC % groups != 0)
                throw new IllegalArgumentException("channels " + inC + "->" + outC + " not divisible by groups " + groups);
            if (h + 2 * pad < kh || w + 2 * pad < kw)
                throw new IllegalArgumentException("input " + h + "x" + w + " smaller than kernel " + kh + "x" + kw);
        }
        public int outH() { return (h + 2 * pad - kh) / stride + 1; }
        public int outW() { return (w + 2 * pad - kw) / stride + 1; }
        public boolean depthwise() { return groups == inC && groups == outC; }
    }

    /** y (batch, outC, outH, outW) = conv(x (batch, inC, h, w), weight) + bias; bias may be null. */
    void forward(Geometry g, float[] x, float[] weight, float[] bias, float[] y);

    /** dx (batch, inC, h, w) from dy (batch, outC, outH, outW). */
    void backwardInput(Geometry g, float[] dy, float[] weight, float[] dx);

    /** dWeight (outC, inC/groups, kh, kw) and dBias (outC, may be null) from x and dy. */
    void backwardWeight(Geometry g, float[] x, float[] dy, float[] dWeight, float[] dBias);
}
