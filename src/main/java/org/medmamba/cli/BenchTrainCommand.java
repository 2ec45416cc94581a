package org.medmamba.cli;

import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.Parallel;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;
import org.medmamba.train.AdamW;
import org.medmamba.train.WeightDecayRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * {@code medmamba bench train}: one full training step (train-mode forward, cross-entropy,
 * backward, AdamW) on random images, as the PyTorch reference's train mode measures it.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Benchmark training steps (forward + backward + AdamW) of a MedMamba variant on random images.")
public final class BenchTrainCommand implements Runnable {
    @Option(names = "--variant", description = "tiny, small or base (default ${DEFAULT-VALUE}).")
    String variant = "tiny";
    @Option(names = "--image-size", description = "S or HxW, multiples of 32 (default ${DEFAULT-VALUE}).")
    String imageSize = "224";
    @Option(names = "--batch", description = "Images per step (default ${DEFAULT-VALUE}).")
    int batch = 16;
    @Option(names = "--num-classes", description = "Default ${DEFAULT-VALUE} (as the PyTorch reference).")
    int numClasses = 6;
    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--warmup", description = "Untimed steps (default ${DEFAULT-VALUE}).")
    int warmup = 3;
    @Option(names = "--repeats", description = "Timed steps; the median is reported (default ${DEFAULT-VALUE}).")
    int repeats = 5;
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run() {
        Parallel.setThreads(threads);
        int[] hw = ImageSizes.parse(imageSize);
        MedMamba model = new MedMamba(MedMambaConfig.variant(variant, numClasses, 3), 0);
        model.train(true);
        AdamW opt = new AdamW(model.parameters(), WeightDecayRule.exempted(model.namedParameters()), 3e-4f, 0.9f, 0.999f, 1e-8f, 0.05f);
        Random r = new Random(1);
        Tensor x = Tensor.randn(r, 1f, batch, 3, hw[0], hw[1]);
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) y[i] = r.nextInt(numClasses);
        LongTensor labels = LongTensor.of(y);
        double[] s = new double[repeats];
        for (int i = 0; i < warmup + repeats; i++) {
            if (i == warmup) resetPeaks();
            long t0 = System.nanoTime();
            Var loss = Losses.crossEntropy(model.forward(Var.constant(x)), labels, null, 0f);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            double dt = (System.nanoTime() - t0) / 1e9;
            if (i >= warmup) s[i - warmup] = dt;
            if (!json) System.err.printf(Locale.ROOT, "  train batch %d step %d/%d%s: %.2f s%n", batch, i + 1, warmup + repeats,
                    i < warmup ? " (warm-up)" : "", dt);
        }
        Arrays.sort(s);
        double med = s[repeats / 2], peakMb = peakHeap() / 1048576.0;
        if (json) {
            System.out.printf(Locale.ROOT, "{\"impl\": \"java\", \"mode\": \"train\", \"variant\": \"%s\", \"image_size\": [%d, %d], \"threads\": %d, "
                            + "\"results\": [{\"batch\": %d, \"s_per_step\": %.3f, \"images_per_s\": %.3f, \"peak_heap_mb\": %.0f}]}%n",
                    variant, hw[0], hw[1], threads, batch, med, batch / med, peakMb);
        } else {
            System.out.printf(Locale.ROOT, "MedMamba-%s training at %dx%d, batch %d, %d threads (median of %d steps after %d warm-up)%n",
                    variant, hw[0], hw[1], batch, threads, repeats, warmup);
            System.out.printf(Locale.ROOT, "  %.2f s/step   %.2f images/s   peak heap %.0f MB%n", med, batch / med, peakMb);
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    /** Sum of the heap pools' peak usage since the last reset (an upper bound of the true simultaneous peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) sum += p.getPeakUsage().getUsed();
        return sum;
    }
}
