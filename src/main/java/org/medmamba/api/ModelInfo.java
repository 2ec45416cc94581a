package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.eval.ActivationMemory;
import org.medmamba.model.Complexity;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Size and cost of a model: what {@code ./medmamba info} prints. Built from a bundle or from a
 * preset variant; {@link #measureMemory()} runs one image through it to measure activation memory.
 */
public final class ModelInfo {
    /** Activation memory of one eval-mode image, measured as live heap after each op. */
    public record Memory(long peakBytes, long keptBytes) {}

    private final String name;
    private final ModelBundle bundle;   // null for a variant
    private final MedMamba model;
    private final int height, width;

    private ModelInfo(String name, ModelBundle bundle, MedMamba model, int height, int width) {
        this.name = name;
        this.bundle = bundle;
        this.model = model;
        this.height = height;
        this.width = width;
        model.train(false);
    }

    /** The model a bundle holds, at the input size it was trained for. */
    public static ModelInfo of(Path bundle) throws MedMambaException {
        ModelBundle b = Bundles.load(bundle);
        try {
            return new ModelInfo(bundle.toString(), b, b.toModel(), b.imageHeight(), b.imageWidth());
        } catch (RuntimeException e) {
            throw MedMambaException.of(bundle, e);
        }
    }

    /** A preset variant ("tiny", "small", "base") with fresh weights at the given input size. */
    public static ModelInfo ofVariant(String variant, int numClasses, int inChans, int height, int width) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("image size " + height + "x" + width + " is not positive");
        return new ModelInfo("MedMamba-" + variant, null, new MedMamba(MedMambaConfig.variant(variant, numClasses, inChans), 0), height, width);
    }

    /** The bundle's path, or "MedMamba-&lt;variant&gt;". */
    public String name() {
        return name;
    }

    public MedMambaConfig config() {
        return model.config();
    }

    public int imageHeight() {
        return height;
    }

    public int imageWidth() {
        return width;
    }

    /** The bundle's class names; empty for a variant. */
    public List<String> labels() {
        return bundle == null ? List.of() : bundle.labels();
    }

    /** The bundle's normalisation mean per channel; null for a variant. */
    public float[] mean() {
        return bundle == null ? null : bundle.mean().clone();
    }

    public float[] std() {
        return bundle == null ? null : bundle.std().clone();
    }

    public long parameters() {
        return model.parameterCount();
    }

    /** Bytes of the state dict: float32 parameters and BatchNorm buffers, int64 counters. */
    public long weightBytes() {
        long n = 0;
        for (Object v : model.stateDict().values()) n += v instanceof Tensor t ? 4L * t.size() : 8L * ((LongTensor) v).size();
        return n;
    }

    /** How the bundle stores its weights ("float32", "int4, ... groups of 64 ..."); "float32" for a variant. */
    public String weightScheme() {
        return bundle == null ? "float32" : bundle.scheme().describe();
    }

    /** Weight bits of the bundle's quantised tensors (32 for a float bundle or a variant). */
    public int weightBits() {
        return bundle == null ? 32 : bundle.scheme().bits();
    }

    /** Stored bytes per kind of tensor as read from the bundle ("quantised weights (int4)", "scales", "scan tensors (F16)", "float32 tensors"); empty for a variant. */
    public java.util.Map<String, Long> storedBytes() {
        return bundle == null ? java.util.Map.of() : bundle.storedBytes();
    }

    /** Multiply-accumulates of convolutions and linear layers only, as thop counts them. */
    public long convLinearMacs() {
        return Complexity.of(model.config(), height, width).convLinearMacs();
    }

    /** All multiply-accumulates, the selective scan and projections included. */
    public long totalMacs() {
        return Complexity.of(model.config(), height, width).totalMacs();
    }

    /** Runs one random image (one GC per op, so it takes seconds for large models). */
    public Memory measureMemory() {
        MedMambaConfig cfg = model.config();
        ActivationMemory.Usage u = ActivationMemory.measure(model, Tensor.randn(new Random(0), 1f, 1, cfg.inChans(), height, width));
        return new Memory(u.peakBytes(), u.cacheBytes());
    }
}
