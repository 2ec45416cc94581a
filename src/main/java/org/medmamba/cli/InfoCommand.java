package org.medmamba.cli;

import org.medmamba.api.ModelInfo;
import org.medmamba.model.MedMambaConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba info}: flags onto {@link ModelInfo}. */
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
        ModelInfo info;
        if (bundle != null) {
            info = ModelInfo.of(bundle);
        } else {
            int[] hw = ImageSizes.parse(imageSize);
            info = ModelInfo.ofVariant(variant, numClasses, inChans, hw[0], hw[1]);
        }
        MedMambaConfig cfg = info.config();
        long weightBytes = info.weightBytes();
        System.out.println(bundle == null ? info.name() : info.name() + " (labels " + info.labels() + ", mean "
                + Arrays.toString(info.mean()) + ", std " + Arrays.toString(info.std()) + ")");
        System.out.printf(Locale.ROOT, "  architecture      depths %s, dims %s, d_state %d, %d classes, %d input channels%n",
                Arrays.toString(cfg.depths()), Arrays.toString(cfg.dims()), cfg.dState(), cfg.numClasses(), cfg.inChans());
        System.out.printf(Locale.ROOT, "  input             %dx%d%n", info.imageHeight(), info.imageWidth());
        System.out.printf(Locale.ROOT, "  parameters        %,d%n", info.parameters());
        System.out.printf(Locale.ROOT, "  weights           %,d bytes (%.1f MiB, float32 + BatchNorm buffers, in memory)%n", weightBytes, weightBytes / 1048576.0);
        if (bundle != null) {
            long stored = info.storedBytes().values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(Locale.ROOT, "  stored as         %d-bit: %s; %,d bytes of tensors (%.2f MB), file %,d bytes%n", info.weightBits(),
                    info.weightScheme(), stored, stored / 1e6, java.nio.file.Files.size(bundle));
            info.storedBytes().forEach((kind, bytes) -> System.out.printf(Locale.ROOT, "    %-17s %,d bytes (%.1f %%)%n", kind, bytes,
                    100.0 * bytes / Math.max(1, stored)));
        }
        System.out.printf(Locale.ROOT, "  MACs (conv+linear, as thop)        %.3f G%n", info.convLinearMacs() / 1e9);
        System.out.printf(Locale.ROOT, "  MACs (all, with scan + projections) %.3f G%n", info.totalMacs() / 1e9);
        if (!noMemory) {
            ModelInfo.Memory mem = info.measureMemory();
            System.out.printf(Locale.ROOT, "  peak activation memory, 1 image, inference: %.1f MiB (measured: live heap after each op, minus what was live before)%n",
                    mem.peakBytes() / 1048576.0);
            System.out.printf(Locale.ROOT, "  kept after the first pass: %.1f MiB (heap retained: BatchNorm-folded conv weights, per-thread kernel scratch)%n",
                    mem.keptBytes() / 1048576.0);
        }
        return 0;
    }
}
