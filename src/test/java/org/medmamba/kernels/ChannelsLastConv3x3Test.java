package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelsLastConv3x3Test {

    private static float[] gauss(Random r, int n, double sd, double mean) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (mean + sd * r.nextGaussian());
        return x;
    }

    /** batch, h, w, cin, cout, pixel stride, offset, with input affine, relu */
    @ParameterizedTest
    @CsvSource({"1,4,4,16,16,16,0,false,false", "2,5,7,20,12,40,3,true,true", "3,7,7,48,48,96,0,true,true",
            "1,1,9,17,33,17,0,false,true", "2,9,1,8,5,16,1,true,false"})
    void vectorMatchesReference(int b, int h, int w, int cin, int cout, int stride, int off, boolean affine, boolean relu) {
        Random r = new Random(h * 100L + w * 10 + cin + cout);
        float[] x = gauss(r, off + b * h * w * stride, 1, 0), wt = gauss(r, cout * cin * 9, 0.2, 0), bias = gauss(r, cout, 0.5, 0);
        float[] sc = affine ? gauss(r, cin, 0.3, 1) : null, sh = affine ? gauss(r, cin, 0.5, 0) : null;
        float[] ref = new float[b * h * w * cout], vec = new float[ref.length];
        new ReferenceChannelsLastConv3x3().forward(b, h, w, cin, cout, x, off, stride, sc, sh, wt, bias, relu, ref);
        new VectorChannelsLastConv3x3(new VectorGemm()).forward(b, h, w, cin, cout, x, off, stride, sc, sh, wt, bias, relu, vec);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], vec[i], 2e-5f * (1 + Math.abs(ref[i])), "index " + i);
    }

    /**
     * The reference against PyTorch's NCHW convolution of BN(x): the affine is applied to the image
     * and the padding added afterwards (so padded pixels are 0, not the shift).
     */
    @Test
    void referenceEqualsNchwConvolutionOfAffineInput() {
        int b = 2, h = 5, w = 6, cin = 7, cout = 9;
        Random r = new Random(11);
        float[] x = gauss(r, b * h * w * cin, 1, 0), wt = gauss(r, cout * cin * 9, 0.2, 0), bias = gauss(r, cout, 0.5, 0);
        float[] sc = gauss(r, cin, 0.3, 1), sh = gauss(r, cin, 0.5, 1);
        float[] got = new float[b * h * w * cout];
        new ReferenceChannelsLastConv3x3().forward(b, h, w, cin, cout, x, 0, cin, sc, sh, wt, bias, false, got);
        float[] nchw = new float[x.length];
        for (int bi = 0; bi < b; bi++)
            for (int p = 0; p < h * w; p++)
                for (int c = 0; c < cin; c++) nchw[(bi * cin + c) * h * w + p] = x[(bi * h * w + p) * cin + c] * sc[c] + sh[c];
        float[] y = new float[b * cout * h * w];
        new ReferenceConv2d().forward(new Conv2d.Geometry(b, cin, h, w, cout, 3, 3, 1, 1, 1), nchw, wt, bias, y);
        for (int bi = 0; bi < b; bi++)
            for (int p = 0; p < h * w; p++)
                for (int c = 0; c < cout; c++) {
                    float want = y[(bi * cout + c) * h * w + p];
                    assertEquals(want, got[(bi * h * w + p) * cout + c], 1e-5f * (1 + Math.abs(want)));
                }
    }

    @Test
    void splitsLargeBatchesIntoSeveralGemmCalls() {
        // 64×64×32 → 9·32·4096 = 1.2M floats of columns per image: the 4-image batch takes 2 calls
        int b = 4, h = 64, w = 64, c = 32;
        assertTrue(b * h * w > VectorChannelsLastConv3x3.COLS_FLOATS / (9 * c), "the batch needs more than one chunk");
        Random r = new Random(5);
        float[] x = gauss(r, b * h * w * c, 1, 0), wt = gauss(r, c * c * 9, 0.1, 0);
        float[] ref = new float[x.length], vec = new float[x.length];
        new ReferenceChannelsLastConv3x3().forward(b, h, w, c, c, x, 0, c, null, null, wt, null, false, ref);
        new VectorChannelsLastConv3x3(new VectorGemm()).forward(b, h, w, c, c, x, 0, c, null, null, wt, null, false, vec);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], vec[i], 2e-5f * (1 + Math.abs(ref[i])), "index " + i);
    }

    @Test
    void refusesBadArguments() {
        var k = new VectorChannelsLastConv3x3(new VectorGemm());
        assertThrows(IllegalArgumentException.class, () -> k.forward(1, 4, 4, 8, 8, new float[100], 0, 8, null, null, new float[576], null, false, new float[128]));
        assertThrows(IllegalArgumentException.class, () -> k.forward(1, 4, 4, 8, 8, new float[128], 0, 8, new float[8], null, new float[576], null, false, new float[128]));
    }
}
