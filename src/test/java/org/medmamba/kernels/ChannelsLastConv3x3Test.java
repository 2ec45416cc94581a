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

    /**
     * The integer-weight form at odd sizes (int8; int4 with groups narrower than, equal to and
     * wider than 9·Cin, so a short last group too): Vector against Reference, and Reference against
     * the float convolution of the dequantised weights with outScale and bias applied after it.
     * batch, h, w, cin, cout, pixel stride, offset, bits, group, with input affine, outScale, relu
     */
    @ParameterizedTest
    @CsvSource({"1,4,4,16,16,16,0,8,0,false,false,false", "2,5,7,13,12,20,3,8,0,true,true,true",
            "3,7,7,33,17,33,0,4,32,true,true,true", "1,1,9,17,33,17,0,4,64,false,true,false",
            "2,9,1,5,7,8,1,4,6,true,false,true", "2,3,3,3,5,3,0,4,128,false,true,true"})
    void quantizedMatchesReference(int b, int h, int w, int cin, int cout, int stride, int off, int bits, int group,
                                   boolean affine, boolean scaled, boolean relu) {
        Random r = new Random(h * 1000L + w * 100 + cin * 10 + cout + bits);
        float[] x = gauss(r, off + b * h * w * stride, 1, 0), bias = gauss(r, cout, 0.5, 0);
        float[] sc = affine ? gauss(r, cin, 0.3, 1) : null, sh = affine ? gauss(r, cin, 0.5, 0) : null;
        float[] outScale = scaled ? gauss(r, cout, 0.5, 0) : null;   // signed, as a BatchNorm's γ/σ may be
        QuantizedMatrix q = QuantDotTest.random(r, cout, 9 * cin, bits, group);
        float[] ref = new float[b * h * w * cout], vec = new float[ref.length];
        new ReferenceChannelsLastConv3x3().forwardQuantized(b, h, w, cin, cout, x, off, stride, sc, sh, q, outScale, bias, relu, ref);
        new VectorChannelsLastConv3x3(new VectorGemm()).forwardQuantized(b, h, w, cin, cout, x, off, stride, sc, sh, q, outScale, bias, relu, vec);
        float[] wf = new float[cout * 9 * cin];
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < 9 * cin; c++) wf[o * 9 * cin + c] = q.get(o, c);
        float[] plain = new float[ref.length];
        new ReferenceChannelsLastConv3x3().forward(b, h, w, cin, cout, x, off, stride, sc, sh, wf, null, false, plain);
        for (int i = 0; i < ref.length; i++) {
            int co = i % cout;
            double want = plain[i] * (outScale == null ? 1 : outScale[co]) + bias[co];
            if (relu) want = Math.max(0, want);
            assertEquals(want, ref[i], 1e-5 * (1 + Math.abs(want)), "reference, index " + i);
            assertEquals(ref[i], vec[i], 2e-5f * (1 + Math.abs(ref[i])), "vector, index " + i);
        }
    }

    @Test
    void quantizedRefusesAMatrixOfAnotherShape() {
        var k = new VectorChannelsLastConv3x3(new VectorGemm());
        QuantizedMatrix q = QuantDotTest.random(new Random(1), 8, 9 * 7, 8, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.forwardQuantized(1, 4, 4, 8, 8, new float[128], 0, 8, null, null, q, null, null, false, new float[128]));
        assertTrue(e.getMessage().contains("8x63"), e.getMessage());
    }

    @Test
    void refusesBadArguments() {
        var k = new VectorChannelsLastConv3x3(new VectorGemm());
        assertThrows(IllegalArgumentException.class, () -> k.forward(1, 4, 4, 8, 8, new float[100], 0, 8, null, null, new float[576], null, false, new float[128]));
        assertThrows(IllegalArgumentException.class, () -> k.forward(1, 4, 4, 8, 8, new float[128], 0, 8, new float[8], null, new float[576], null, false, new float[128]));
    }
}
