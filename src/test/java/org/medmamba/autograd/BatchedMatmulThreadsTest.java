package org.medmamba.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.Parallel;
import org.medmamba.tensor.Tensor;

/**
 * Batched products spread over the pool (SS2D's x_proj and dt_proj: a per-direction weight
 * broadcast over the batch) give the same bits as one thread, gradients of the broadcast operand
 * included: its copies' contributions are summed in batch order whatever the thread count.
 */
class BatchedMatmulThreadsTest {

    private static float[][] run(int threads, int[] aShape, int[] bShape) {
        int old = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            Var a = Var.param(Tensor.randn(new Random(5), 1f, aShape)), b = Var.param(Tensor.randn(new Random(6), 1f, bShape));
            Var y = LinearOps.matmul(a, b);
            Tensor seed = Tensor.randn(new Random(7), 1f, y.shape());
            y.backward(seed);
            return new float[][]{y.value().data().clone(), a.grad().data().clone(), b.grad().data().clone()};
        } finally {
            Parallel.setThreads(old);
        }
    }

    @Test
    void broadcastWeightAcrossTheBatchIsThreadIndependent() {
        // weight (K, m, k) against activations (B, K, k, n): 3·4 = 12 products of odd sizes
        int[] w = {4, 35, 13}, x = {3, 4, 13, 97};
        float[][] one = run(1, w, x), two = run(2, w, x);
        for (int i = 0; i < 3; i++) assertArrayEquals(one[i], two[i], "output " + i);
        // the broadcast operand's gradient: each block the sum of its batch items' products, in batch order
        Tensor wt = Tensor.randn(new Random(5), 1f, w), xt = Tensor.randn(new Random(6), 1f, x);
        Tensor seed = Tensor.randn(new Random(7), 1f, 3, 4, 35, 97);
        float[] expected = new float[wt.size()];
        int m = 35, k = 13, n = 97;
        for (int j = 0; j < 4; j++)
            for (int bi = 0; bi < 3; bi++) {
                int i = bi * 4 + j;
                Kernels.gemm().sgemm(false, true, m, k, n, seed.data(), i * m * n, n, xt.data(), i * k * n, n,
                        bi > 0 ? 1f : 0f, expected, j * m * k, k);
            }
        assertArrayEquals(expected, two[1], "dW");
        assertArrayEquals(expected, one[1], "dW, one thread");
    }

    @Test
    void productsLargeEnoughToSplitRunSeriallyInsideThePoolWithTheSameBits() {
        // 64·128·160 = 1.3 M multiply-adds per product, above the GEMM's serial limit; 8 products on 3 threads
        int[] w = {4, 64, 128}, x = {2, 4, 128, 160};
        float[][] one = run(1, w, x), three = run(3, w, x);
        for (int i = 0; i < 3; i++) assertArrayEquals(one[i], three[i], "output " + i);
    }

    @Test
    void batchedOperandsOnBothSidesAreThreadIndependent() {
        int[] a = {5, 1, 7, 33}, b = {5, 3, 33, 9};   // a broadcast over the second batch axis
        float[][] one = run(1, a, b), two = run(2, a, b);
        for (int i = 0; i < 3; i++) assertArrayEquals(one[i], two[i], "output " + i);
    }
}
