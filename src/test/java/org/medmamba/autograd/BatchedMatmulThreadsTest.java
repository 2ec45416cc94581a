package org.medmamba.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
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
        // the broadcast operand's gradient is the sum of each batch item's own (not, say, the last one's)
        Tensor wt = Tensor.randn(new Random(5), 1f, w), xt = Tensor.randn(new Random(6), 1f, x);
        Tensor seed = Tensor.randn(new Random(7), 1f, 3, 4, 35, 97);
        float[] sum = new float[wt.size()];
        for (int bi = 0; bi < 3; bi++) {
            Var a = Var.param(wt);
            Var y = LinearOps.matmul(a, Var.constant(slice(xt, bi)));
            y.backward(slice(seed, bi));
            float[] g = a.grad().data();
            for (int i = 0; i < sum.length; i++) sum[i] += g[i];
        }
        for (int i = 0; i < sum.length; i++)
            assertEquals(sum[i], two[1][i], 1e-5f * (1 + Math.abs(sum[i])), "dW[" + i + "]");
    }

    /** Batch item bi of t (leading axis kept, size 1). */
    private static Tensor slice(Tensor t, int bi) {
        int[] s = t.shape().clone();
        int per = t.size() / s[0];
        s[0] = 1;
        float[] d = new float[per];
        System.arraycopy(t.data(), bi * per, d, 0, per);
        return Tensor.of(d, s);
    }

    @Test
    void batchedOperandsOnBothSidesAreThreadIndependent() {
        int[] a = {5, 1, 7, 33}, b = {5, 3, 33, 9};   // a broadcast over the second batch axis
        float[][] one = run(1, a, b), two = run(2, a, b);
        for (int i = 0; i < 3; i++) assertArrayEquals(one[i], two[i], "output " + i);
    }
}
