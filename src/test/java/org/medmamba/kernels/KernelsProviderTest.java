package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** KernelConfig validation, the provider's choice, the LayerNorm rows and exp2 against their references. */
class KernelsProviderTest {

    private static Properties props(String k, String v) {
        Properties p = new Properties();
        p.setProperty(k, v);
        return p;
    }

    @Test
    void badSettingsNameTheSetting() {
        for (String[] kv : new String[][]{{KernelConfig.THREADS, "x"}, {KernelConfig.THREADS, "0"}, {KernelConfig.GEMM_KC, "-1"},
                {KernelConfig.GEMM_MC, "4"}, {KernelConfig.SCAN_VECTOR_BITS, "100"}, {KernelConfig.KERNELS, "fast"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelConfig.from(props(kv[0], kv[1])));
            assertTrue(e.getMessage().startsWith(kv[0]) && e.getMessage().contains(kv[1]), e.getMessage());
        }
        assertEquals(256, KernelConfig.from(new Properties()).gemmMc());
        assertEquals(24, KernelConfig.from(props(KernelConfig.GEMM_MC, "30")).gemmMc());
        assertTrue(KernelConfig.from(props(KernelConfig.KERNELS, "reference")).reference());
    }

    @Test
    void providerMatchesTheSetting() {
        String want = KernelConfig.current().reference() || !Kernels.vectorApiAvailable() ? "reference" : "vector";
        assertEquals(want, Kernels.provider().name());
        KernelProvider r = Kernels.reference();
        for (Object o : new Object[]{r.gemm(), r.conv2d(), r.activation(), r.selectiveScan(), r.crossScan(),
                r.channelsLastDepthwise(), r.channelsLastConv3x3(), r.layerNormRows()})
            assertTrue(o.getClass().getSimpleName().startsWith("Reference"), o.getClass().getName());
    }

    /** Vector rows against the double reference at odd and round widths. */
    @Test
    void layerNormRowsMatchReference() {
        LayerNormRows ref = new ReferenceLayerNormRows(), vec = new VectorLayerNormRows();
        for (int c : new int[]{1, 3, 7, 8, 15, 16, 17, 31, 33, 96, 97, 384, 1001}) {
            Random r = new Random(c);
            float[] x = new float[c + 5], w = new float[c], b = new float[c], z = new float[c + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 3 + 1);
            for (int i = 0; i < c; i++) { w[i] = (float) r.nextGaussian(); b[i] = (float) r.nextGaussian(); }
            for (int i = 0; i < z.length; i++) z[i] = (float) (r.nextGaussian() * 4);
            float[] y1 = new float[c + 2], y2 = new float[c + 2];
            float[] s1 = ref.normalizeRow(x, 5, c, w, b, y1, 2, 1e-5f), s2 = vec.normalizeRow(x, 5, c, w, b, y2, 2, 1e-5f);
            assertEquals(s1[0], s2[0], 1e-5 * Math.max(1, Math.abs(s1[0])), "mean c=" + c);
            assertEquals(s1[1], s2[1], 1e-5 * s1[1], "rstd c=" + c);
            for (int i = 2; i < c + 2; i++) assertEquals(y1[i], y2[i], 2e-5 * Math.max(1, Math.abs(y1[i])), "c=" + c + " j=" + i);
            ref.normalizeRowGated(x, 5, c, w, b, z, 3, y1, 2, 1e-5f, new float[c]);
            vec.normalizeRowGated(x, 5, c, w, b, z, 3, y2, 2, 1e-5f, new float[c]);
            for (int i = 2; i < c + 2; i++) assertEquals(y1[i], y2[i], 3e-5 * Math.max(1, Math.abs(y1[i])), "gated c=" + c + " j=" + i);
        }
    }

    /** exp2 against Math.pow over its range [−125, 0]; the vector form gives the scalar form's bits. */
    @Test
    void exp2WithinBound() {
        int V = VectorMath.V;
        float[] in = new float[V], out = new float[V];
        double worst = 0;
        Random r = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            for (int l = 0; l < V; l++) in[l] = i < 1000 ? -(i * V + l) * 0.125f / 8 : -125f * r.nextFloat();
            VectorMath.exp2(jdk.incubator.vector.FloatVector.fromArray(VectorMath.S, in, 0)).intoArray(out, 0);
            for (int l = 0; l < V; l++) {
                assertEquals(Float.floatToRawIntBits(ScalarMath.exp2(in[l])), Float.floatToRawIntBits(out[l]), "x=" + in[l]);
                if (in[l] < ScalarMath.EXP2_FLOOR) continue;   // clamped by design
                double want = Math.pow(2, in[l]);
                worst = Math.max(worst, Math.abs(out[l] - want) / want);
            }
        }
        System.out.println("exp2 max relative error on [-125, 0]: " + worst);
        assertTrue(worst < 2e-7, "max relative error " + worst);
    }
}
