package org.medmamba.kernels;

/**
 * Which kernel implementations the engine uses. The Vector-API versions are the default;
 * {@code -Dmedmamba.kernels=reference} switches to the plain-Java references (slow, for debugging).
 */
public final class Kernels {
    private static final boolean REFERENCE = "reference".equalsIgnoreCase(System.getProperty("medmamba.kernels", ""));

    private Kernels() {}

    public static Gemm gemm() {
        return REFERENCE ? Holder.REF_GEMM : Holder.GEMM;
    }

    public static Conv2d conv2d() {
        return REFERENCE ? Holder.REF_CONV : Holder.CONV;
    }

    public static Activation activation() {
        return REFERENCE ? Holder.REF_ACT : Holder.ACT;
    }

    public static SelectiveScan selectiveScan() {
        return REFERENCE ? Holder.REF_SCAN : Holder.SCAN;
    }

    public static CrossScan crossScan() {
        return REFERENCE ? Holder.REF_CROSS : Holder.CROSS;
    }

    public static ChannelsLastDepthwise channelsLastDepthwise() {
        return REFERENCE ? Holder.REF_DW : Holder.DW;
    }

    public static ChannelsLastConv3x3 channelsLastConv3x3() {
        return REFERENCE ? Holder.REF_CONV33 : Holder.CONV33;
    }

    private static final class Holder {
        static final Gemm GEMM = new VectorGemm();
        static final Gemm REF_GEMM = new ReferenceGemm();
        static final Conv2d CONV = new VectorConv2d(GEMM);
        static final Conv2d REF_CONV = new ReferenceConv2d();
        static final SelectiveScan SCAN = new VectorSelectiveScan();
        static final SelectiveScan REF_SCAN = new ReferenceSelectiveScan();
        static final ChannelsLastConv3x3 CONV33 = new VectorChannelsLastConv3x3(GEMM);
        static final ChannelsLastConv3x3 REF_CONV33 = new ReferenceChannelsLastConv3x3();
        static final CrossScan CROSS = new VectorCrossScan();
        static final CrossScan REF_CROSS = new ReferenceCrossScan();
        static final ChannelsLastDepthwise DW = new VectorChannelsLastDepthwise();
        static final ChannelsLastDepthwise REF_DW = new ReferenceChannelsLastDepthwise();
        static final Activation ACT = new VectorActivation();
        static final Activation REF_ACT = new ReferenceActivation();
    }
}
