package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.Dataset;
import org.medmamba.data.Sample;
import org.medmamba.data.loader.Batch;
import org.medmamba.data.loader.DataLoader;
import org.medmamba.data.loader.Epoch;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.io.OutputPaths;
import org.medmamba.io.SettingException;
import org.medmamba.io.Software;
import org.medmamba.quant.Calibration;
import org.medmamba.quant.QuantScheme;
import org.medmamba.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Post-training weight quantisation of a bundle: what {@code ./medmamba quantize} does. The
 * result is again a bundle (safetensors with int8/uint8 tensors, scale tensors and the scheme in
 * its metadata) that every command reads.
 *
 * <pre>{@code
 * Quantize.Result r = Quantize.run(Path.of("model.mmb"), QuantScheme.of(4, 64, null), Path.of("model-q4.mmb"));
 * // with activation-aware smoothing and GPTQ rounding chosen on 256 training images:
 * Quantize.run(Path.of("model.mmb"), QuantScheme.of(4, 64, null), Path.of("model-q4c.mmb"),
 *         new Quantize.Calibrate(DataSource.of(Path.of("data")), 256), System.err::println);
 * }</pre>
 */
public final class Quantize {
    private Quantize() {}

    /**
     * @param bytesByKind stored bytes of quantised weights, scales and float tensors, as read back
     * @param sourceBytes file size of the float bundle, fileBytes of the written one
     */
    public record Result(Path out, QuantScheme scheme, long sourceBytes, long fileBytes, Map<String, Long> bytesByKind,
                         Calibration.Result calibration) {}

    /**
     * Calibration images: up to limit images of data's train split (every image when it has no
     * splits), spread evenly over it; never the test split, which the result is evaluated on.
     * With gptq (the default) the linear and convolution weights are then rounded by GPTQ on
     * those images' inputs ({@link org.medmamba.quant.Gptq}); without, to the nearest level.
     */
    public record Calibrate(DataSource data, int limit, boolean gptq) {
        public Calibrate {
            if (data == null) throw new IllegalArgumentException("calibration data is required");
            if (limit < 1) throw new SettingException("limit", "must be >= 1, got " + limit);
        }

        public Calibrate(DataSource data, int limit) {
            this(data, limit, true);
        }
    }

    public static Result run(Path model, QuantScheme scheme, Path out) throws MedMambaException {
        return run(model, scheme, out, null, m -> {});
    }

    /** As {@link #run(Path, QuantScheme, Path)}, with smoothing chosen on calibration images when calibrate is not null. */
    public static Result run(Path model, QuantScheme scheme, Path out, Calibrate calibrate, Consumer<String> progress) throws MedMambaException {
        if (progress == null) progress = m -> {};
        ModelBundle b = Bundles.load(model);
        if (!b.scheme().isFloat32())
            throw new MedMambaException(model, "is already quantised (" + b.scheme().describe() + "); quantise the float32 bundle", null);
        try {
            OutputPaths.refuseSameFile("out", out, model);
        } catch (RuntimeException e) {
            throw MedMambaException.of(out, e);
        }
        Map<String, String> prov = new LinkedHashMap<>(b.provenance());
        prov.put("quantized_from", model.getFileName().toString());
        prov.put("quantization", scheme.describe());
        prov.put("quantized_by", Software.describe());
        Calibration.Result cal = null;
        if (calibrate != null) {
            if (scheme.bits() != 8 && scheme.bits() != 4)
                throw new SettingException("calibrate", "applies to 8- and 4-bit weights (16-bit weights need no calibration)");
            cal = calibrate(b, calibrate, scheme, progress);
            prov.put("calibration", String.format(Locale.ROOT, "activation-aware smoothing on %d images of %s; %d of %d layers scaled; "
                    + "output error x%.3f", cal.images(), name(calibrate.data().path()),
                    cal.layers().stream().filter(l -> l.alpha() > 0).count(), cal.layers().size(), cal.errorRatio())
                    + (cal.rounded().isEmpty() ? "" : String.format(Locale.ROOT, "; GPTQ rounding of %d layers, output error x%.3f of nearest rounding's",
                    cal.rounded().size(), cal.roundingErrorRatio())));
            b = new ModelBundle(b.config(), b.labels(), b.imageHeight(), b.imageWidth(), b.mean(), b.std(), b.provenance(), cal.stateDict());
        }
        try {
            b.withScheme(scheme, prov, cal == null ? Map.of() : cal.integers()).save(out);
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(out, e);
        }
        ModelBundle back = Bundles.load(out);
        try {
            return new Result(out, scheme, Files.size(model), Files.size(out), back.storedBytes(), cal);
        } catch (IOException e) {
            throw MedMambaException.of(out, e);
        }
    }

    private static String name(Path p) {
        return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }

    private static Calibration.Result calibrate(ModelBundle b, Calibrate c, QuantScheme scheme, Consumer<String> progress) throws MedMambaException {
        Dataset ds = c.data().open();
        List<Sample> train = new ArrayList<>(), all = ds.samples();
        for (Sample s : all) if (s.split().equals("train")) train.add(s);
        boolean anySplit = all.stream().anyMatch(s -> !s.split().isEmpty());
        if (train.isEmpty() && anySplit)
            throw new MedMambaException(c.data().path(), "has no train split to calibrate on (calibration never uses val or test images)", null);
        List<Sample> pool = anySplit ? train : all;
        List<Sample> pick = new ArrayList<>();
        int n = Math.min(c.limit(), pool.size());
        for (int i = 0; i < n; i++) pick.add(pool.get((int) ((long) i * pool.size() / n)));
        Preprocessing pre = new Preprocessing(b.config().inChans(), b.imageHeight(), b.imageWidth(), b.mean(), b.std(), null);
        DataLoader loader = new DataLoader(ds, pick, pre, 16, false, false, 0, Runtime.getRuntime().availableProcessors(), 2);
        progress.accept("calibrating on " + n + " images of " + c.data().path() + (anySplit ? " (train split)" : ""));
        try (Epoch epoch = loader.epoch(0)) {
            Iterable<Tensor> batches = () -> new Iterator<>() {
                public boolean hasNext() { return epoch.hasNext(); }
                public Tensor next() { Batch bt = epoch.next(); return bt.tensor(); }
            };
            return Calibration.run(b.toModel(), batches, scheme, c.gptq(), progress);
        } catch (UncheckedIOException e) {
            throw MedMambaException.of(c.data().path(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw MedMambaException.of(c.data().path(), e);
        }
    }
}
