package org.medmamba.cli;

import org.medmamba.eval.ActivationMemory;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.Complexity;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/** {@code medmamba info}: size and cost of a bundle's model or of a preset variant. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Parameters, MACs (two ways), weight bytes and measured peak activation memory of a model.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "MODEL.mmb")
    Path bundle;

    @Option(names = "--variant", description = "tiny, small or base (instead of a bundle).")
    String variant;

    @Option(names = "--num-classes", description = "With --variant (default ${DEFAULT-VALUE}).")
    int numClasses = 6;

    @Option(names = "--in-chans", description = "With --variant (default ${DEFAULT-VALUE}).")
    int inChans = 3;

    @Option(names = "--image-size", description = "With --variant: S or HxW (default ${DEFAULT-VALUE}).")
    String imageSize = "224";

    @Option(names = "--no-memory", description = "Skip the activation-memory measurement (it runs one GC per op).")
    boolean noMemory;

    @Override
    public Integer call() throws Exception {
        if ((bundle == null) == (variant == null)) throw new IllegalArgumentException("give either MODEL.mmb or --variant");
        MedMamba model;
        int h, w;
        String what;
        if (bundle != null) {
            ModelBundle b = ModelBundle.load(bundle);
            model = b.toModel();
            h = b.imageHeight();
            w = b.imageWidth();
            what = bundle + " (labels " + b.labels() + ", mean " + Arrays.toString(b.mean()) + ", std " + Arrays.toString(b.std()) + ")";
        } else {
            int[] hw = ImageSizes.parse(imageSize);
            h = hw[0];
            w = hw[1];
            model = new MedMamba(MedMambaConfig.variant(variant, numClasses, inChans), 0);
            what = "MedMamba-" + variant;
        }
        model.train(false);
        MedMambaConfig cfg = model.config();
        long params = model.parameterCount();
        long weightBytes = 0;
        for (Object v : model.stateDict().values())
            weightBytes += v instanceof Tensor t ? 4L * t.size() : 8L * ((org.medmamba.tensor.LongTensor) v).size();
        Complexity cx = Complexity.of(cfg, h, w);
        System.out.println(what);
        System.out.printf(Locale.ROOT, "  architecture      depths %s, dims %s, d_state %d, %d classes, %d input channels%n",
                Arrays.toString(cfg.depths()), Arrays.toString(cfg.dims()), cfg.dState(), cfg.numClasses(), cfg.inChans());
        System.out.printf(Locale.ROOT, "  input             %dx%d%n", h, w);
        System.out.printf(Locale.ROOT, "  parameters        %,d%n", params);
        System.out.printf(Locale.ROOT, "  weights           %,d bytes (%.1f MiB, float32 + BatchNorm buffers)%n", weightBytes, weightBytes / 1048576.0);
        System.out.printf(Locale.ROOT, "  MACs (conv+linear, as thop)        %.3f G%n", cx.convLinearMacs() / 1e9);
        System.out.printf(Locale.ROOT, "  MACs (all, with scan + projections) %.3f G%n", cx.totalMacs() / 1e9);
        if (!noMemory) {
            ActivationMemory.Usage mem = ActivationMemory.measure(model, Tensor.randn(new Random(0), 1f, 1, cfg.inChans(), h, w));
            System.out.printf(Locale.ROOT, "  peak activation memory, 1 image, inference: %.1f MiB (measured: live heap after each op, minus what was live before)%n",
                    mem.peakBytes() / 1048576.0);
            System.out.printf(Locale.ROOT, "  kept after the first pass: %.1f MiB (heap retained: BatchNorm-folded conv weights, per-thread kernel scratch)%n",
                    mem.cacheBytes() / 1048576.0);
        }
        return 0;
    }
}
