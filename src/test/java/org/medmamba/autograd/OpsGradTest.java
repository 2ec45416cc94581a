package org.medmamba.autograd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;

import java.util.Random;

/** A finite-difference gradient check for every differentiable op, at odd and round sizes. */
class OpsGradTest {

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Random(seed), 1f, shape);
    }

    /** Values kept away from 0 so kinks (ReLU) are not straddled by the finite difference. */
    private static Tensor awayFromZero(long seed, int... shape) {
        Tensor t = randn(seed, shape);
        float[] d = t.storage();
        for (int i = 0; i < d.length; i++) d[i] = d[i] >= 0 ? d[i] + 0.1f : d[i] - 0.1f;
        return t;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33})
    void matmulBatched(int m) {
        GradCheck.check("matmul", v -> LinearOps.matmul(v[0], v[1]), randn(1, 2, m, 35), randn(2, 2, 35, 9));
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 16, 35})
    void matmulSharedRight(int k) {
        GradCheck.check("matmul shared", v -> LinearOps.matmul(v[0], v[1]), randn(3, 3, 5, k), randn(4, k, 7));
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 33, 97})
    void linearWithBias(int in) {
        GradCheck.check("linear+bias", v -> LinearOps.linear(v[0], v[1], v[2]), randn(5, 2, 3, in), randn(6, 11, in), randn(7, 11));
    }

    @Test
    void linearNoBias() {
        GradCheck.check("linear", v -> LinearOps.linear(v[0], v[1], null), randn(8, 4, 32), randn(9, 16, 32));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 32})
    void layerNorm(int c) {
        GradCheck.check("layerNorm", v -> Norms.layerNorm(v[0], v[1], v[2], 1e-5f), randn(10, 3, 5, c).reshape(3, 5, c),
                randn(11, c), randn(12, c));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void batchNorm2d(boolean training) {
        Tensor rm = randn(13, 5), rv = Tensor.uniform(new Random(14), 0.5f, 2f, 5);
        GradCheck.check("batchNorm2d train=" + training,
                v -> Norms.batchNorm2d(v[0], v[1], v[2], rm.copy(), rv.copy(), training, 0.1f, 1e-5f),
                randn(15, 3, 5, 7, 9), randn(16, 5), randn(17, 5));
    }

    @Test
    void relu() {
        GradCheck.check("relu", v -> Activations.relu(v[0]), 1e-3, 2e-2, awayFromZero(18, 7, 33));
    }

    @Test
    void silu() {
        GradCheck.check("silu", v -> Activations.silu(v[0]), randn(19, 7, 35));
    }

    @Test
    void gelu() {
        GradCheck.check("gelu", v -> Activations.gelu(v[0]), randn(20, 97));
    }

    @Test
    void softplusAcrossThreshold() {
        Tensor x = randn(21, 64);
        float[] d = x.storage();
        for (int i = 0; i < d.length; i += 4) d[i] = 19f + 3 * i / 64f + (d[i] > 0 ? 0.5f : -0.5f) * 0 + 0.25f;
        for (int i = 0; i < d.length; i++) if (Math.abs(d[i] - 20f) < 0.05f) d[i] += 0.1f;
        GradCheck.check("softplus", v -> Activations.softplus(v[0]), 1e-2, 2e-2, x);
    }

    @Test
    void exp() {
        GradCheck.check("exp", v -> Activations.exp(v[0]), randn(22, 33));
    }

    @Test
    void broadcastArithmetic() {
        GradCheck.check("add bcast", v -> Arith.add(v[0], v[1]), randn(23, 2, 3, 7), randn(24, 7));
        GradCheck.check("sub bcast", v -> Arith.sub(v[0], v[1]), randn(25, 2, 1, 7), randn(26, 3, 1));
        GradCheck.check("mul bcast", v -> Arith.mul(v[0], v[1]), randn(27, 2, 3, 7), randn(28, 2, 1, 7));
        GradCheck.check("mul same", v -> Arith.mul(v[0], v[1]), randn(29, 33), randn(30, 33));
        GradCheck.check("scalar ops", v -> Arith.addScalar(Arith.mulScalar(v[0], 3f), 2f), randn(31, 7));
    }

    @Test
    void reductions() {
        GradCheck.check("sum axes", v -> Reductions.sum(v[0], false, 0, 2), randn(32, 3, 5, 7));
        GradCheck.check("sum keepdim", v -> Reductions.sum(v[0], true, -1), randn(33, 3, 5, 7));
        GradCheck.check("mean", v -> Reductions.mean(v[0], false, 1), randn(34, 3, 5, 7));
        GradCheck.check("meanAll", v -> Reductions.meanAll(v[0]), randn(35, 3, 5));
        GradCheck.check("globalAvgPool", v -> Reductions.globalAvgPool(v[0]), randn(36, 2, 3, 5, 7));
    }

    @Test
    void shapeOps() {
        GradCheck.check("reshape", v -> ShapeOps.reshape(v[0], 5, -1), randn(37, 3, 5, 7));
        GradCheck.check("permute", v -> ShapeOps.permute(v[0], 2, 0, 1), randn(38, 3, 5, 7));
        GradCheck.check("transpose", v -> ShapeOps.transpose(v[0], 0, 2), randn(38, 3, 5, 7));
        GradCheck.check("flip", v -> ShapeOps.flip(v[0], 1, 2), randn(39, 3, 5, 7));
        GradCheck.check("strided slice", v -> ShapeOps.slice(v[0], 1, 1, 7, 2), randn(40, 3, 7, 5));
        GradCheck.check("concat", v -> ShapeOps.concat(-1, v[0], v[1]), randn(41, 2, 3, 4), randn(42, 2, 3, 5));
        GradCheck.check("split", v -> {
            Var[] p = ShapeOps.split(v[0], 1, 2, 5);
            return Arith.add(Reductions.sum(p[0], false, 1), Reductions.sum(Arith.mulScalar(p[1], 2f), false, 1));
        }, randn(43, 3, 7, 2));
        GradCheck.check("chunk", v -> {
            Var[] p = ShapeOps.chunk(v[0], 2, -1);
            return Arith.mul(p[0], p[1]);
        }, randn(44, 3, 8));
        GradCheck.check("channel shuffle", v -> ShapeOps.channelShuffleLast(v[0], 2), randn(45, 2, 3, 3, 6));
        GradCheck.check("contiguous of view", v -> ShapeOps.contiguous(ShapeOps.permute(v[0], 1, 0)), randn(46, 7, 5));
    }

    @Test
    void softmaxFamily() {
        GradCheck.check("softmax", v -> Losses.softmax(v[0]), randn(47, 3, 7));
        GradCheck.check("logSoftmax", v -> Losses.logSoftmax(v[0]), randn(48, 3, 7));
    }

    @Test
    void crossEntropyVariants() {
        LongTensor labels = LongTensor.of(0, 4, 2, 4, 1);
        float[] w = {0.5f, 1f, 2f, 1.5f, 0.25f};
        GradCheck.check("ce", v -> Losses.crossEntropy(v[0], labels, null, 0f), randn(49, 5, 5));
        GradCheck.check("ce weighted", v -> Losses.crossEntropy(v[0], labels, w, 0f), randn(50, 5, 5));
        GradCheck.check("ce smoothed+weighted", v -> Losses.crossEntropy(v[0], labels, w, 0.1f), randn(51, 5, 5));
    }

    @Test
    void dropoutAndDropPath() {
        // same seed on every evaluation: the mask is fixed, so the op is differentiable
        GradCheck.check("dropout", v -> Dropouts.dropout(v[0], 0.3f, true, new Random(5)), randn(52, 4, 9));
        GradCheck.check("dropPath", v -> Dropouts.dropPath(v[0], 0.5f, true, new Random(6)), randn(53, 6, 3, 2));
    }

    @Test
    void conv2dDense3x3() {
        GradCheck.check("conv3x3", v -> ConvOps.conv2d(v[0], v[1], v[2], 1, 1, 1), randn(60, 2, 3, 7, 9), randn(61, 5, 3, 3, 3), randn(62, 5));
    }

    @Test
    void conv2dPointwiseNoBias() {
        GradCheck.check("conv1x1", v -> ConvOps.conv2d(v[0], v[1], null, 1, 0, 1), randn(63, 2, 7, 5, 5), randn(64, 4, 7, 1, 1));
    }

    @Test
    void conv2dPatchEmbedStride4() {
        GradCheck.check("conv4x4s4", v -> ConvOps.conv2d(v[0], v[1], v[2], 4, 0, 1), randn(65, 1, 3, 8, 12), randn(66, 6, 3, 4, 4), randn(67, 6));
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 33})
    void conv2dDepthwise3x3(int w) {
        GradCheck.check("depthwise3x3", v -> ConvOps.conv2d(v[0], v[1], v[2], 1, 1, 4), randn(68, 2, 4, 5, w), randn(69, 4, 1, 3, 3), randn(70, 4));
    }

    @Test
    void selectiveScan() {
        int b = 2, k = 2, d = 3, l = 7, n = 5;
        Random rnd = new Random(71);
        Tensor delta = Tensor.randn(rnd, 1f, b, k * d, l);
        float[] dd = delta.storage();
        for (int i = 0; i < dd.length; i++) dd[i] -= 1f;
        Tensor a = Tensor.uniform(rnd, -2f, -0.2f, k * d, n);
        GradCheck.check("selectiveScan", v -> ScanOps.selectiveScan(v[0], v[1], v[2], v[3], v[4], v[5], v[6]), 1e-2, 3e-2,
                randn(72, b, k * d, l), delta, a, randn(73, b, k, l, n), randn(74, b, k, l, n), randn(75, k * d), randn(76, k * d));
    }

    @Test
    void matmulBroadcastBatch() {
        GradCheck.check("matmul bcast", v -> LinearOps.matmul(v[0], v[1]), randn(80, 3, 5, 7), randn(81, 2, 3, 7, 9));
        GradCheck.check("matmul bcast right", v -> LinearOps.matmul(v[0], v[1]), randn(82, 2, 1, 5, 7), randn(83, 3, 7, 4));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void crossScanAndMerge(int w) {
        GradCheck.check("crossScan", v -> CrossScanOps.crossScan(v[0]), randn(84, 2, 3, 4, w));
        GradCheck.check("crossMerge", v -> CrossScanOps.crossMerge(v[0], 4, w), randn(85, 2, 4, 3, 4 * w));
    }

    @Test
    void crossScanMatchesTheSpecsDirections() {
        // k=1 is column-major (l = w·H + h); k=2, k=3 the reverses of k=0, k=1
        Tensor u = randn(86, 1, 2, 3, 5);
        Tensor xs = CrossScanOps.crossScan(Var.constant(u)).value();
        Tensor colMajor = u.transpose(2, 3).reshape(1, 2, 15);
        for (int d = 0; d < 2; d++)
            for (int l = 0; l < 15; l++) {
                org.junit.jupiter.api.Assertions.assertEquals(u.reshape(1, 2, 15).get(0, d, l), xs.get(0, 0, d, l));
                org.junit.jupiter.api.Assertions.assertEquals(colMajor.get(0, d, l), xs.get(0, 1, d, l));
                org.junit.jupiter.api.Assertions.assertEquals(u.reshape(1, 2, 15).get(0, d, 14 - l), xs.get(0, 2, d, l));
                org.junit.jupiter.api.Assertions.assertEquals(colMajor.get(0, d, 14 - l), xs.get(0, 3, d, l));
            }
    }

    @Test
    void shuffleConcatResidualMatchesTheOpByOpForm() {
        Tensor l = randn(90, 2, 3, 4, 5), s = randn(91, 2, 4, 5, 3), x = randn(92, 2, 4, 5, 6);
        GradCheck.check("shuffleConcatResidual", v -> FusedOps.shuffleConcatResidualChannelsFirst(v[0], v[1], v[2]), l, s, x);
        Var fused = FusedOps.shuffleConcatResidualChannelsFirst(Var.constant(l), Var.constant(s), Var.constant(x));
        Var plain = Arith.add(ShapeOps.channelShuffleLast(ShapeOps.concat(-1, ShapeOps.permute(Var.constant(l), 0, 2, 3, 1), Var.constant(s)), 2), Var.constant(x));
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.value().data(), fused.value().data(), 0f);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 33, 97})
    void layerNormOnAStridedViewMatchesADoubleReference(int c) {
        Tensor full = randn(93, 2, 3, 2 * c);
        Tensor w = randn(94, c), b = randn(95, c);
        // the right half of the last axis: rows read in place, no copy
        GradCheck.check("layerNorm strided", v -> Norms.layerNorm(ShapeOps.slice(v[0], -1, c, 2 * c), v[1], v[2], 1e-5f), full, w, b);
        Tensor y = Norms.layerNorm(Var.constant(full.slice(-1, c, 2 * c)), Var.constant(w), Var.constant(b), 1e-5f).value();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            double m = 0, v2 = 0;
            for (int k = 0; k < c; k++) m += full.get(i, j, c + k);
            m /= c;
            for (int k = 0; k < c; k++) v2 += Math.pow(full.get(i, j, c + k) - m, 2);
            double rs = 1 / Math.sqrt(v2 / c + 1e-5);
            for (int k = 0; k < c; k++)
                org.junit.jupiter.api.Assertions.assertEquals((full.get(i, j, c + k) - m) * rs * w.get(k) + b.get(k), y.get(i, j, k), 2e-5);
        }
    }
}
