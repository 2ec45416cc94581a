package org.medmamba.bench;

import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.Parallel;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;
import org.medmamba.train.AdamW;
import org.medmamba.train.WeightDecayRule;

import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One full training step (train-mode forward, cross-entropy, backward, AdamW) on random images,
 * as the PyTorch reference's train mode measures it.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    public record Settings(String variant, int height, int width, int batch, int numClasses, int threads, int warmup, int repeats) {
        public Settings {
            Checks.positive("batch", batch);
            Checks.positive("threads", threads);
            Checks.positive("repeats", repeats);
            Checks.notNegative("warmup", warmup);
        }
    }

    /**
     * Median step time; the heap pools' summed peak over the timed steps; and the live heap at the
     * end of one more (untimed) forward pass, when everything the backward needs is held — model,
     * optimizer state and activations: what the step needs resident, without G1's headroom.
     */
    public record Result(double sPerStep, double imagesPerS, long peakHeapBytes, long liveAfterForwardBytes) {}

    public static Result run(Settings s, Consumer<String> progress) {
        Parallel.setThreads(s.threads());
        MedMamba model = new MedMamba(MedMambaConfig.variant(s.variant(), s.numClasses(), 3), 0);
        model.train(true);
        AdamW opt = new AdamW(model.parameters(), WeightDecayRule.exempted(model.namedParameters()), 3e-4f, 0.9f, 0.999f, 1e-8f, 0.05f);
        Random r = new Random(1);
        Tensor x = Tensor.randn(r, 1f, s.batch(), 3, s.height(), s.width());
        long[] y = new long[s.batch()];
        for (int i = 0; i < y.length; i++) y[i] = r.nextInt(s.numClasses());
        LongTensor labels = LongTensor.of(y);
        double[] times = new double[s.repeats()];
        for (int i = 0; i < s.warmup() + s.repeats(); i++) {
            if (i == s.warmup()) HeapPeak.reset();
            long t0 = System.nanoTime();
            Var loss = Losses.crossEntropy(model.forward(Var.constant(x)), labels, null, 0f);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            double dt = (System.nanoTime() - t0) / 1e9;
            if (i >= s.warmup()) times[i - s.warmup()] = dt;
            progress.accept(String.format(Locale.ROOT, "train batch %d step %d/%d%s: %.2f s", s.batch(), i + 1,
                    s.warmup() + s.repeats(), i < s.warmup() ? " (warm-up)" : "", dt));
        }
        double med = Checks.median(times);
        long peak = HeapPeak.bytes();
        Var loss = Losses.crossEntropy(model.forward(Var.constant(x)), labels, null, 0f);
        long live = HeapPeak.live();
        opt.zeroGrad();
        loss.backward();   // releases the graph; the weights are not stepped
        return new Result(med, s.batch() / med, peak, live);
    }
}
