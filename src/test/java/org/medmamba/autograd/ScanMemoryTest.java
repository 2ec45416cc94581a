package org.medmamba.autograd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medmamba.kernels.Parallel;
import org.medmamba.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan's memory is O(B·D·L): a recorded forward and its backward allocate far less than the
 * (B·D·L·N) state history that a naive autograd scan would keep. Measured as bytes allocated by
 * this thread (one worker thread, so all work runs here).
 */
class ScanMemoryTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void savedStateIsLinearInLengthNotTimesState() {
        Parallel.setThreads(1);
        int b = 1, k = 4, d = 32, l = 4096, n = 16;
        Random rnd = new Random(1);
        Var u = Var.param(Tensor.randn(rnd, 1f, b, k * d, l)), delta = Var.param(Tensor.randn(rnd, 1f, b, k * d, l));
        Var a = Var.param(Tensor.uniform(rnd, -2f, -0.1f, k * d, n));
        Var bm = Var.param(Tensor.randn(rnd, 1f, b, k, l, n)), cm = Var.param(Tensor.randn(rnd, 1f, b, k, l, n));
        Var dv = Var.param(Tensor.randn(rnd, 1f, k * d)), bias = Var.param(Tensor.randn(rnd, 1f, k * d));
        long bdl = 4L * b * k * d * l, history = bdl * n;     // bytes
        // warm up (JIT, per-thread scratch) so the measurement sees steady state
        for (int i = 0; i < 10; i++) ScanOps.selectiveScan(u, delta, a, bm, cm, dv, bias).backward(Tensor.full(1f, b, k * d, l));

        // minimum over a few rounds: an interpreted or C1-compiled round still boxes its vectors
        long fwd = Long.MAX_VALUE, bwd = Long.MAX_VALUE;
        for (int round = 0; round < 4; round++) {
            long before = allocated();
            Var y = ScanOps.selectiveScan(u, delta, a, bm, cm, dv, bias);
            fwd = Math.min(fwd, allocated() - before);
            Tensor seed = Tensor.full(1f, b, k * d, l);
            before = allocated();
            y.backward(seed);
            bwd = Math.min(bwd, allocated() - before);
        }
        System.out.printf("scan B=%d K·D=%d L=%d N=%d: recorded forward allocated %d bytes, backward %d bytes; B·D·L = %d bytes, state history = %d bytes%n",
                b, k * d, l, n, fwd, bwd, bdl, history);
        // forward: the output (B·D·L) plus small change; the history would be 16× that
        assertTrue(fwd < 2 * bdl, "recorded forward allocated " + fwd + " bytes; B·D·L = " + bdl + ", history = " + history);
        // backward: gradients of u, δ (2·B·D·L), B, C (2·B·K·L·N), small tensors, accumulated copies; no history
        long grads = 2 * bdl + 2 * 4L * b * k * l * n;
        assertTrue(bwd < 2 * grads + bdl, "backward allocated " + bwd + " bytes; gradients alone are " + grads + ", history = " + history);
        assertTrue(bwd < history / 2, "backward allocated " + bwd + " bytes, comparable to the state history " + history);
    }
}
