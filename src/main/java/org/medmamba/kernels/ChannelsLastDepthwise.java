package org.medmamba.kernels;

/**
 * Depthwise 3×3 convolution, stride 1, zero padding 1, on channels-last activations (SS2D's
 * conv2d at inference, reading the x half of in_proj's output in place).
 * Input element (b, i, j, c) is at {@code x[xOff + ((b·H + i)·W + j)·xStride + c]}; weight is
 * (C, 1, 3, 3) as PyTorch stores it; bias (C) or null; y (B, H, W, C) contiguous, overwritten;
 * with {@code silu}, y = SiLU(conv) (applied while the row is still in cache).
 */
public interface ChannelsLastDepthwise {
    void forward(int batch, int h, int w, int c, float[] x, int xOff, int xStride, float[] weight, float[] bias,
                 boolean silu, float[] y);
}
