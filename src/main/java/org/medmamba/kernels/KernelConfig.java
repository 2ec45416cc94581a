package org.medmamba.kernels;

import java.util.Properties;

/**
 * Every setting of the compute kernels, read once from system properties when the kernels are
 * first used ({@link #current()}), validated here so that a bad value fails at start-up with a
 * message that names the setting.
 *
 * <table>
 * <caption>Kernel settings (system properties, e.g. {@code -Dmedmamba.threads=4})</caption>
 * <tr><th>Key</th><th>Meaning</th><th>Default</th><th>Valid values</th></tr>
 * <tr><td>{@code medmamba.kernels}</td><td>which implementations run: the Vector-API kernels, or
 *     the plain-Java reference kernels (slow; for debugging and comparison)</td>
 *     <td>{@code vector} (falls back to {@code reference} when the JVM was started without
 *     {@code --add-modules jdk.incubator.vector})</td><td>{@code vector}, {@code reference}</td></tr>
 * <tr><td>{@code medmamba.threads}</td><td>threads of the shared kernel pool, the caller included
 *     (also settable at run time, {@link Parallel#setThreads})</td>
 *     <td>available processors</td><td>integer ≥ 1</td></tr>
 * <tr><td>{@code medmamba.scan.vectorBits}</td><td>vector width of the selective scan (to test
 *     other widths than the machine's preferred one)</td><td>the preferred width</td>
 *     <td>64, 128, 256, 512 (the machine must support it)</td></tr>
 * <tr><td>{@code medmamba.gemm.kc}</td><td>SGEMM k-block: depth of the packed panels</td>
 *     <td>512</td><td>integer ≥ 1</td></tr>
 * <tr><td>{@code medmamba.gemm.mc}</td><td>SGEMM m-block: most rows of C per task, rounded down to
 *     a multiple of the micro-tile's rows</td><td>256</td><td>integer ≥ 8</td></tr>
 * <tr><td>{@code medmamba.gemm.tile}</td><td>SGEMM micro-tile: 8 rows × 3 vectors (for 32 vector
 *     registers) or 6 rows × 2 vectors (for 16)</td><td>{@code auto}: 8x3 for 512-bit vectors,
 *     else 6x2</td><td>{@code auto}, {@code 8x3}, {@code 6x2}</td></tr>
 * </table>
 *
 * @param reference       {@code medmamba.kernels=reference}
 * @param threads         {@code medmamba.threads}
 * @param scanVectorBits  {@code medmamba.scan.vectorBits}; 0 = the preferred width
 * @param gemmKc          {@code medmamba.gemm.kc}
 * @param gemmMc          {@code medmamba.gemm.mc}
 * @param gemmTile        {@code medmamba.gemm.tile}: 0 = auto, 8 = 8x3, 6 = 6x2
 */
public record KernelConfig(boolean reference, int threads, int scanVectorBits, int gemmKc, int gemmMc, int gemmTile) {
    public static final String KERNELS = "medmamba.kernels", THREADS = "medmamba.threads",
            SCAN_VECTOR_BITS = "medmamba.scan.vectorBits", GEMM_KC = "medmamba.gemm.kc", GEMM_MC = "medmamba.gemm.mc",
            GEMM_TILE = "medmamba.gemm.tile";
    /** gemmMc is a multiple of this (the 8-row tile); VectorGemm rounds it down again to its 6-row tile's multiple when it uses that. */
    static final int GEMM_MR = 8;

    public KernelConfig {
        if (threads < 1) throw new IllegalArgumentException(THREADS + " must be a positive integer, got " + threads);
        if (scanVectorBits != 0 && scanVectorBits != 64 && scanVectorBits != 128 && scanVectorBits != 256 && scanVectorBits != 512)
            throw new IllegalArgumentException(SCAN_VECTOR_BITS + " must be 64, 128, 256 or 512, got " + scanVectorBits);
        if (gemmKc < 1) throw new IllegalArgumentException(GEMM_KC + " must be a positive integer, got " + gemmKc);
        if (gemmMc < GEMM_MR || gemmMc % GEMM_MR != 0)
            throw new IllegalArgumentException(GEMM_MC + " must be a multiple of " + GEMM_MR + " and at least " + GEMM_MR + ", got " + gemmMc);
        if (gemmTile != 0 && gemmTile != 6 && gemmTile != 8)
            throw new IllegalArgumentException(GEMM_TILE + " must be auto, 8x3 or 6x2, got " + gemmTile);
    }

    private static final class Holder {
        static final KernelConfig CURRENT = from(System.getProperties());
    }

    /** The settings of this JVM, read from the system properties on first use. */
    public static KernelConfig current() {
        return Holder.CURRENT;
    }

    /** Parses the settings from {@code props}; unset or blank keys take their defaults. */
    public static KernelConfig from(Properties props) {
        String k = value(props, KERNELS);
        boolean reference;
        if (k == null || k.equalsIgnoreCase("vector")) reference = false;
        else if (k.equalsIgnoreCase("reference")) reference = true;
        else throw new IllegalArgumentException(KERNELS + " must be 'vector' or 'reference', got '" + k + "'");
        int threads = positive(props, THREADS, Runtime.getRuntime().availableProcessors());
        int bits = 0;
        String b = value(props, SCAN_VECTOR_BITS);
        if (b != null) {
            try {
                bits = Integer.parseInt(b);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SCAN_VECTOR_BITS + " must be 64, 128, 256 or 512, got '" + b + "'");
            }
            if (bits == 0) throw new IllegalArgumentException(SCAN_VECTOR_BITS + " must be 64, 128, 256 or 512, got '" + b + "'");
        }
        int kc = positive(props, GEMM_KC, 512);
        int mc = positive(props, GEMM_MC, 256);
        if (mc < GEMM_MR) throw new IllegalArgumentException(GEMM_MC + " must be at least " + GEMM_MR + ", got '" + value(props, GEMM_MC) + "'");
        String t = value(props, GEMM_TILE);
        int tile;
        if (t == null || t.equalsIgnoreCase("auto")) tile = 0;
        else if (t.equalsIgnoreCase("8x3")) tile = 8;
        else if (t.equalsIgnoreCase("6x2")) tile = 6;
        else throw new IllegalArgumentException(GEMM_TILE + " must be auto, 8x3 or 6x2, got '" + t + "'");
        return new KernelConfig(reference, threads, bits, kc, mc / GEMM_MR * GEMM_MR, tile);
    }

    private static String value(Properties props, String key) {
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int positive(Properties props, String key, int def) {
        String v = value(props, key);
        if (v == null) return def;
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive integer, got '" + v + "'");
        }
        if (n < 1) throw new IllegalArgumentException(key + " must be a positive integer, got '" + v + "'");
        return n;
    }
}
