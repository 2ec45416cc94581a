package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** KernelConfig validation, the provider's choice, and exp2 against its reference (the LayerNorm rows: KernelPairTest). */
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
