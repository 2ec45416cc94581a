package org.medmamba.eval;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Measures the peak of live activation memory during one no-grad forward pass: after every
 * operation the heap is garbage-collected and the bytes still reachable, minus what was live
 * before the pass, are recorded. Slow (one GC per op), exact up to object headers.
 *
 * <p>A first pass runs unmeasured: the heap it leaves behind is reported separately as
 * {@code cacheBytes} and the measured pass starts from there. For a model that has not run
 * inference before, that is the conv branch's BatchNorm-folded weights plus the kernels'
 * per-thread scratch (and, in a fresh JVM, some one-off class state); for a model that already
 * ran, 0. The model runs in eval mode (its mode is restored afterwards).
 */
public final class ActivationMemory {
    private ActivationMemory() {}

    /** Peak activation bytes of one pass, and the heap retained by the unmeasured pass before it. */
    public record Usage(long peakBytes, long cacheBytes) {}

    public static Usage measure(MedMamba model, Tensor input) {
        boolean wasTraining = model.isTraining();
        model.train(false);
        try {
            return measureEval(model, input);
        } finally {
            model.train(wasTraining);
        }
    }

    private static Usage measureEval(MedMamba model, Tensor input) {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        mx.gc();
        long before = mx.getHeapMemoryUsage().getUsed();
        try (var g = GradMode.noGrad()) {
            model.forward(Var.constant(input));
        }
        mx.gc();
        long base = mx.getHeapMemoryUsage().getUsed();
        long[] peak = {0};
        Var.OpListener previous = Var.setOpListener(out -> {
            mx.gc();
            peak[0] = Math.max(peak[0], mx.getHeapMemoryUsage().getUsed() - base);
        });
        try (var g = GradMode.noGrad()) {
            model.forward(Var.constant(input));
        } finally {
            Var.setOpListener(previous);
        }
        return new Usage(peak[0], Math.max(0, base - before));
    }
}
