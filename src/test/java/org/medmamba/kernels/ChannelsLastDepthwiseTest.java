package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChannelsLastDepthwiseTest {

    private static float[] gauss(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** batch, h, w, channels, pixel stride (> channels: reading part of a wider tensor), offset */
    @ParameterizedTest
    @CsvSource({"1,4,4,16,16,0", "2,5,7,20,40,0", "1,1,9,48,96,5", "2,9,1,37,37,3", "1,56,56,96,192,0", "3,7,7,35,70,1"})
    void vectorMatchesReferenceAndNchwConvolution(int b, int h, int w, int c, int stride, int off) {
        Random r = new Random(b * 1000L + h * 100 + w * 10 + c);
        float[] x = gauss(r, off + b * h * w * stride), wt = gauss(r, 9 * c), bias = gauss(r, c);
        float[] ref = new float[b * h * w * c], vec = new float[ref.length];
        new ReferenceChannelsLastDepthwise().forward(b, h, w, c, x, off, stride, wt, bias, false, ref);
        new VectorChannelsLastDepthwise().forward(b, h, w, c, x, off, stride, wt, bias, false, vec);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], vec[i], 1e-5f * (1 + Math.abs(ref[i])), "index " + i);

        // the same numbers as the NCHW depthwise convolution (groups = channels) on the transposed input
        float[] nchw = new float[b * c * h * w];
        for (int bi = 0; bi < b; bi++)
            for (int p = 0; p < h * w; p++)
                for (int ch = 0; ch < c; ch++) nchw[(bi * c + ch) * h * w + p] = x[off + (bi * h * w + p) * stride + ch];
        float[] y = new float[nchw.length];
        new ReferenceConv2d().forward(new Conv2d.Geometry(b, c, h, w, c, 3, 3, 1, 1, c), nchw, wt, bias, y);
        for (int bi = 0; bi < b; bi++)
            for (int p = 0; p < h * w; p++)
                for (int ch = 0; ch < c; ch++) {
                    float want = y[(bi * c + ch) * h * w + p];
                    assertEquals(want, ref[(bi * h * w + p) * c + ch], 1e-5f * (1 + Math.abs(want)));
                }
    }

    @Test
    void withoutBiasWithSilu() {
        Random r = new Random(3);
        float[] x = gauss(r, 2 * 6 * 5 * 32), wt = gauss(r, 9 * 32);
        float[] ref = new float[x.length], vec = new float[x.length];
        new ReferenceChannelsLastDepthwise().forward(2, 6, 5, 32, x, 0, 32, wt, null, true, ref);
        new VectorChannelsLastDepthwise().forward(2, 6, 5, 32, x, 0, 32, wt, null, true, vec);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], vec[i], 1e-5f * (1 + Math.abs(ref[i])));
        float[] plain = new float[x.length];
        new ReferenceChannelsLastDepthwise().forward(2, 6, 5, 32, x, 0, 32, wt, null, false, plain);
        for (int i = 0; i < ref.length; i++) assertEquals(plain[i] / (1 + Math.exp(-plain[i])), ref[i], 1e-6 * (1 + Math.abs(ref[i])));
    }

    @Test
    void refusesArraysTooSmall() {
        assertThrows(IllegalArgumentException.class,
                () -> new VectorChannelsLastDepthwise().forward(1, 4, 4, 16, new float[100], 0, 16, new float[144], null, false, new float[256]));
        assertThrows(IllegalArgumentException.class,
                () -> new VectorChannelsLastDepthwise().forward(1, 4, 4, 16, new float[256], 0, 8, new float[144], null, false, new float[256]));
    }
}
