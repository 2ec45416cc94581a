package org.medmamba.kernels;

import java.util.Optional;

/**
 * Which kernel implementations the engine uses: the one place that chooses (after Lucene's
 * VectorizationProvider). The Vector-API kernels are the default; {@code -Dmedmamba.kernels=reference}
 * selects the plain-Java references (slow, for debugging), and so does a JVM started without
 * {@code --add-modules jdk.incubator.vector}, which then prints {@link #VECTOR_API_ABSENT} once to
 * stderr instead of failing with NoClassDefFoundError. Settings: {@link KernelConfig}.
 */
public final class Kernels {
    /** The one line a JVM without the Vector API prints, once, when the kernels are first used. */
    public static final String VECTOR_API_ABSENT = "medmamba: the Vector API is not enabled; running the plain-Java kernels (slower)."
            + " Start java with --add-modules jdk.incubator.vector for the fast kernels.";

    private Kernels() {}

    /** Whether the module jdk.incubator.vector is in the boot layer (java was started with --add-modules for it). */
    public static boolean vectorApiAvailable() {
        Optional<Module> m = ModuleLayer.boot().findModule("jdk.incubator.vector");
        return m.isPresent() && Kernels.class.getModule().canRead(m.get());
    }

    private static final class Holder {
        static final KernelProvider ACTIVE = choose(KernelConfig.current());
    }

    private static KernelProvider choose(KernelConfig config) {
        if (config.reference()) return ReferenceKernels.INSTANCE;
        if (!vectorApiAvailable()) {
            System.err.println(VECTOR_API_ABSENT);   // class initialisation runs once per JVM
            return ReferenceKernels.INSTANCE;
        }
        try {
            // by name, so that nothing here links against the Vector-API classes
            return (KernelProvider) Class.forName("org.medmamba.kernels.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the Vector-API kernels", e);
        }
    }

    /** The implementations in use. */
    public static KernelProvider provider() {
        return Holder.ACTIVE;
    }

    /** The plain-Java reference implementations (for comparisons and benchmarks), whatever is in use. */
    public static KernelProvider reference() {
        return ReferenceKernels.INSTANCE;
    }

    public static Gemm gemm() {
        return Holder.ACTIVE.gemm();
    }

    public static Conv2d conv2d() {
        return Holder.ACTIVE.conv2d();
    }

    public static Activation activation() {
        return Holder.ACTIVE.activation();
    }

    public static SelectiveScan selectiveScan() {
        return Holder.ACTIVE.selectiveScan();
    }

    public static CrossScan crossScan() {
        return Holder.ACTIVE.crossScan();
    }

    public static ChannelsLastDepthwise channelsLastDepthwise() {
        return Holder.ACTIVE.channelsLastDepthwise();
    }

    public static ChannelsLastConv3x3 channelsLastConv3x3() {
        return Holder.ACTIVE.channelsLastConv3x3();
    }

    public static QuantDot quantDot() {
        return Holder.ACTIVE.quantDot();
    }

    public static LayerNormRows layerNormRows() {
        return Holder.ACTIVE.layerNormRows();
    }
}
