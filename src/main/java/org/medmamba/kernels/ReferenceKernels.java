package org.medmamba.kernels;

/** The plain-Java kernels: no jdk.incubator.vector type is reachable from here. */
final class ReferenceKernels implements KernelProvider {
    static final ReferenceKernels INSTANCE = new ReferenceKernels();

    private final Gemm gemm = new ReferenceGemm();
    private final Conv2d conv = new ReferenceConv2d();
    private final Activation act = new ReferenceActivation();
    private final SelectiveScan scan = new ReferenceSelectiveScan();
    private final CrossScan cross = new ReferenceCrossScan();
    private final ChannelsLastDepthwise dw = new ReferenceChannelsLastDepthwise();
    private final ChannelsLastConv3x3 conv33 = new ReferenceChannelsLastConv3x3();
    private final LayerNormRows rows = new ReferenceLayerNormRows();
    private final QuantDot quant = new ReferenceQuantDot();

    private ReferenceKernels() {}

    @Override public String name() { return "reference"; }
    @Override public String description() { return "reference (plain Java)"; }
    @Override public Gemm gemm() { return gemm; }
    @Override public Conv2d conv2d() { return conv; }
    @Override public Activation activation() { return act; }
    @Override public SelectiveScan selectiveScan() { return scan; }
    @Override public CrossScan crossScan() { return cross; }
    @Override public ChannelsLastDepthwise channelsLastDepthwise() { return dw; }
    @Override public ChannelsLastConv3x3 channelsLastConv3x3() { return conv33; }
    @Override public LayerNormRows layerNormRows() { return rows; }
    @Override public QuantDot quantDot() { return quant; }
}
