package org.medmamba.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * The Vector-API kernels. Only {@link Kernels} names this class, reflectively and only after it
 * found the module jdk.incubator.vector in the boot layer, so a JVM without the module never
 * loads it.
 */
final class VectorKernels implements KernelProvider {
    private final VectorGemm gemm = new VectorGemm();
    private final Conv2d conv = new VectorConv2d(gemm);
    private final Activation act = new VectorActivation();
    private final SelectiveScan scan = new VectorSelectiveScan();
    private final CrossScan cross = new VectorCrossScan();
    private final ChannelsLastDepthwise dw = new VectorChannelsLastDepthwise();
    private final ChannelsLastConv3x3 conv33 = new VectorChannelsLastConv3x3(gemm);
    private final LayerNormRows rows = new VectorLayerNormRows();
    private final QuantDot quant = new VectorQuantDot();

    VectorKernels() {}

    @Override public String name() { return "vector"; }

    @Override
    public String description() {
        return "vector (" + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit, selective scan "
                + VectorSelectiveScan.species().vectorBitSize() + "-bit, GEMM tile " + gemm.tile() + ")";
    }

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
