package org.medmamba.cli;

import org.medmamba.api.DataSource;
import org.medmamba.api.Quantize;
import org.medmamba.quant.QuantScheme;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba quantize}: a float32 bundle → a 16/8/4-bit bundle; {@link Quantize}. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Write a smaller bundle with 16-bit (float16/bfloat16), 8-bit (int8 per output channel) or 4-bit "
                + "(int4 group-wise) weights for the linear and convolution layers. Every command reads the result.")
public final class QuantizeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.mmb", description = "Float32 bundle to quantise.")
    Path model;

    @Option(names = "--bits", required = true, description = "16, 8 or 4.")
    int bits;

    @Option(names = "--group-size", description = "With --bits 4: weights per scale along the input, 32, 64 or 128 (default ${DEFAULT-VALUE}).")
    int groupSize = 64;

    @Option(names = "--format", description = "With --bits 16: float16 (default) or bfloat16.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "Q.mmb", description = "Bundle to write.")
    Path out;

    @Option(names = "--calibrate", paramLabel = "DATA", description = "With --bits 8 or 4: choose activation-aware smoothing "
            + "(scales folded into the LayerNorms) on images of DATA's train split, per layer only where it lowers the output error.")
    Path calibrate;

    @Option(names = "--limit", description = "With --calibrate: calibration images (default 256).")
    Integer limit;

    @Option(names = "--rounding", paramLabel = "gptq|nearest", description = "With --calibrate: round the linear and convolution "
            + "weights by GPTQ on the calibration images' inputs (default gptq), or to the nearest level.")
    String rounding;

    @Override
    public Integer call() throws Exception {
        if (format != null && bits != 16) throw new IllegalArgumentException("--format applies to --bits 16 only");
        QuantScheme scheme = QuantScheme.of(bits, groupSize, format);
        if (limit != null && calibrate == null) throw new IllegalArgumentException("--limit applies with --calibrate only");
        if (rounding != null && calibrate == null) throw new IllegalArgumentException("--rounding applies with --calibrate only");
        if (rounding != null && !rounding.equals("gptq") && !rounding.equals("nearest"))
            throw new IllegalArgumentException("--rounding must be gptq or nearest, got '" + rounding + "'");
        Quantize.Calibrate cal = calibrate == null ? null
                : new Quantize.Calibrate(DataSource.of(calibrate), limit == null ? 256 : limit, !"nearest".equals(rounding));
        Quantize.Result r = Quantize.run(model, scheme, out, cal, System.err::println);
        if (r.calibration() != null)
            System.out.printf(Locale.ROOT, "calibrated on %d images: %d of %d layers smoothed, their output error x%.3f%n", r.calibration().images(),
                    r.calibration().layers().stream().filter(l -> l.alpha() > 0).count(), r.calibration().layers().size(), r.calibration().errorRatio());
        if (r.calibration() != null && !r.calibration().rounded().isEmpty())
            System.out.printf(Locale.ROOT, "GPTQ rounding of %d layers: their output error x%.3f of nearest rounding's%n",
                    r.calibration().rounded().size(), r.calibration().roundingErrorRatio());
        System.out.printf(Locale.ROOT, "wrote %s: %s; %,d bytes (%.2f MB) from %,d (%.1fx smaller)%n", r.out(), scheme.describe(),
                r.fileBytes(), r.fileBytes() / 1e6, r.sourceBytes(), (double) r.sourceBytes() / r.fileBytes());
        long stored = r.bytesByKind().values().stream().mapToLong(Long::longValue).sum();
        r.bytesByKind().forEach((kind, b) -> System.out.printf(Locale.ROOT, "  %-17s %,12d bytes (%.1f %%)%n", kind, b, 100.0 * b / Math.max(1, stored)));
        return 0;
    }
}
