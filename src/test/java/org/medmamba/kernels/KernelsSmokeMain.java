package org.medmamba.kernels;

/**
 * Calls every kernel of {@link Kernels#provider()} once on tiny inputs, forward and backward, and
 * prints "provider=NAME": the child JVM of {@link ReferenceModeTest}.
 */
public final class KernelsSmokeMain {
    private KernelsSmokeMain() {}

    public static void main(String[] args) {
        KernelProvider p = Kernels.provider();
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
        p.gemm().sgemm(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, 0f, c, 0, 2);

        Conv2d.Geometry g = new Conv2d.Geometry(1, 1, 3, 3, 1, 3, 3, 1, 1, 1);
        float[] x = new float[9], w = new float[9], y = new float[9], dx = new float[9], dw = new float[9];
        p.conv2d().forward(g, x, w, new float[1], y);
        p.conv2d().backwardInput(g, y, w, dx);
        p.conv2d().backwardWeight(g, x, y, dw, new float[1]);

        for (Activation.Kind k : Activation.Kind.values()) {
            p.activation().forward(k, a, c, 4);
            p.activation().backward(k, a, c, b, new float[4], 4);
        }

        SelectiveScan.Dims d = new SelectiveScan.Dims(1, 1, 2, 3, 4);
        int bdl = 6, dn = 8, bgln = 12;
        float[] u = new float[bdl], dl = new float[bdl], aa = new float[dn], bb = new float[bgln], cc = new float[bgln];
        float[] sk = new float[2], bi = new float[2], yy = new float[bdl];
        java.util.Arrays.fill(aa, -1f);
        p.selectiveScan().forward(d, u, dl, aa, bb, cc, sk, bi, yy);
        p.selectiveScan().backward(d, u, dl, aa, bb, cc, sk, bi, yy, new float[bdl], new float[bdl], new float[dn],
                new float[bgln], new float[bgln], new float[2], new float[2]);

        CrossScan.Dims cd = new CrossScan.Dims(1, 2, 2, 2, 1, 2);
        float[] a4 = new float[4 * 2 * 2];
        java.util.Arrays.fill(a4, -1f);
        p.crossScan().forward(cd, new float[8], new float[4 * cd.rowWidth()], new float[8], new float[8], a4, new float[8], new float[8]);

        p.channelsLastDepthwise().forward(1, 2, 2, 2, new float[8], 0, 2, new float[18], null, true, new float[8]);
        p.channelsLastConv3x3().forward(1, 2, 2, 2, 2, new float[8], 0, 2, null, null, new float[36], null, true, new float[8]);

        float[] row = {1, 2, 3}, one = {1, 1, 1}, zero = new float[3];
        p.layerNormRows().normalizeRow(row, 0, 3, one, zero, new float[3], 0, 1e-5f);
        p.layerNormRows().normalizeRowGated(row, 0, 3, one, zero, row.clone(), 0, new float[3], 0, 1e-5f, new float[3]);
        System.out.println("provider=" + p.name());
    }
}
