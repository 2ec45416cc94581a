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
 * before the pass (weights), are recorded. Slow (one GC per op), exact up to object headers.
 */
public final class ActivationMemory {
    private ActivationMemory() {}

    public static long peakBytes(MedMamba model, Tensor input) {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long[] peak = {0};
        mx.gc();
        long base = mx.getHeapMemoryUsage().getUsed();
        Var.OpListener previous = Var.setOpListener(out -> {
            mx.gc();
            peak[0] = Math.max(peak[0], mx.getHeapMemoryUsage().getUsed() - base);
        });
        try (var g = GradMode.noGrad()) {
            Var x = Var.constant(input);
            model.forward(x);
        } finally {
            Var.setOpListener(previous);
        }
        return peak[0];
    }
}
