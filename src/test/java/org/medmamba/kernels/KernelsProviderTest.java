package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import org.junit.jupiter.api.Test;

/** KernelConfig validation and the provider's choice (kernel pairings: KernelPairTest; exp2: ExpTest). */
class KernelsProviderTest {

    private static Properties props(String k, String v) {
        Properties p = new Properties();
        p.setProperty(k, v);
        return p;
    }

    @Test
    void badSettingsNameTheSetting() {
        for (String[] kv : new String[][]{{KernelConfig.THREADS, "x"}, {KernelConfig.THREADS, "0"}, {KernelConfig.GEMM_KC, "-1"},
                {KernelConfig.GEMM_MC, "4"}, {KernelConfig.SCAN_VECTOR_BITS, "100"}, {KernelConfig.KERNELS, "fast"},
                {KernelConfig.GEMM_TILE, "4x4"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelConfig.from(props(kv[0], kv[1])));
            assertTrue(e.getMessage().startsWith(kv[0]) && e.getMessage().contains(kv[1]), e.getMessage());
        }
        assertEquals(256, KernelConfig.from(new Properties()).gemmMc());
        assertEquals(24, KernelConfig.from(props(KernelConfig.GEMM_MC, "30")).gemmMc());
        assertTrue(KernelConfig.from(props(KernelConfig.KERNELS, "reference")).reference());
        assertEquals(0, KernelConfig.from(new Properties()).gemmTile());
        assertEquals(8, KernelConfig.from(props(KernelConfig.GEMM_TILE, "8x3")).gemmTile());
        assertEquals(6, KernelConfig.from(props(KernelConfig.GEMM_TILE, "6X2")).gemmTile());
        assertEquals(0, KernelConfig.from(props(KernelConfig.GEMM_TILE, "auto")).gemmTile());
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
}
