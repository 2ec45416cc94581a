package org.medmamba.kernels;

/**
 * One complete set of kernel implementations. There are two, both package-private: the
 * plain-Java references and the Vector-API kernels; {@link Kernels} chooses one per JVM.
 */
public interface KernelProvider {
    /** "vector" or "reference". */
    String name();

    /** One line for logs and benchmarks: the set and, for the Vector API, its vector widths. */
    String description();

    Gemm gemm();

    Conv2d conv2d();

    Activation activation();

    SelectiveScan selectiveScan();

    CrossScan crossScan();

    ChannelsLastDepthwise channelsLastDepthwise();

    ChannelsLastConv3x3 channelsLastConv3x3();

    LayerNormRows layerNormRows();

    QuantDot quantDot();
}
