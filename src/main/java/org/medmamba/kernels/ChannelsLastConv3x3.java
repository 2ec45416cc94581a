package org.medmamba.kernels;

/**
 * Dense 3×3 convolution, stride 1, zero padding 1, on channels-last activations (the inference
 * form of the SS-Conv-SSM conv branch): y = act(conv(pre(x)) + bias), where pre(x) = x·inScale +
 * inShift per input channel (both null: x itself) is applied to in-bounds pixels only, so the zero
 * padding comes after it, exactly as when a BatchNorm precedes a padded conv; act is ReLU or none.
 * Input element (b, i, j, c) is at {@code x[xOff + ((b·H + i)·W + j)·xStride + c]}; weight is
 * (Cout, Cin, 3, 3) as PyTorch stores it; bias (Cout) or null; y (B, H, W, Cout) contiguous,
 * overwritten.
 */
public interface ChannelsLastConv3x3 {
    void forward(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride,
                 float[] inScale, float[] inShift, float[] weight, float[] bias, boolean relu, float[] y);

    /**
     * The same convolution with int8 / int4 weights: y = act(conv(pre(x), W)·outScale + bias).
     * weight is PyTorch's (Cout, Cin, 3, 3) read as a Cout × 9·Cin {@link QuantizedMatrix} (column
     * ci·9 + kh·3 + kw, the order its int4 groups run in); outScale (Cout) multiplies each output
     * channel before the bias — a BatchNorm after the conv, folded exactly without touching the
     * integers — or is null (1).
     */
    void forwardQuantized(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride,
                          float[] inScale, float[] inShift, QuantizedMatrix weight, float[] outScale, float[] bias,
                          boolean relu, float[] y);

    /** The integer weight must be Cout × 9·Cin. */
    static void checkQuantized(QuantizedMatrix weight, int cin, int cout) {
        if (weight.rows() != cout || weight.cols() != 9 * cin)
            throw new IllegalArgumentException("conv3x3: weight " + weight.rows() + "x" + weight.cols() + " for " + cin + "->" + cout);
    }
}
