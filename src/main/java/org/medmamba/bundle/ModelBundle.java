package org.medmamba.bundle;

import org.medmamba.io.SafetensorsFile;
import org.medmamba.io.SafetensorsWriter;
import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.nn.Conv2d;
import org.medmamba.nn.Linear;
import org.medmamba.nn.Module;
import org.medmamba.quant.QuantScheme;
import org.medmamba.quant.QuantizedState;
import org.medmamba.quant.Quantizer;
import org.medmamba.io.BadFileException;
import org.medmamba.io.DType;
import org.medmamba.io.Limits;
import org.medmamba.tensor.Tensor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model bundle (.mmb): one safetensors file holding the state dict plus, in its metadata,
 * everything needed to use the model — architecture, class labels, input channels and size,
 * normalisation, and provenance (source, date, training summary).
 *
 * @param stateDict  name → Tensor / LongTensor, as {@link MedMamba#stateDict()}
 * @param provenance free-form facts: "source", "date", "training" (JSON text) ...
 */
public record ModelBundle(MedMambaConfig config, List<String> labels, int imageHeight, int imageWidth,
                          float[] mean, float[] std, Map<String, String> provenance, Map<String, Object> stateDict,
                          QuantScheme scheme, Map<String, QuantizedMatrix> quantized, Map<String, Long> storedBytes) {
    public static final String FORMAT = "medmamba-bundle/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A float32 bundle (as training and import make them). */
    public ModelBundle(MedMambaConfig config, List<String> labels, int imageHeight, int imageWidth,
                       float[] mean, float[] std, Map<String, String> provenance, Map<String, Object> stateDict) {
        this(config, labels, imageHeight, imageWidth, mean, std, provenance, stateDict, QuantScheme.FLOAT32, Map.of(), Map.of());
    }

    public ModelBundle {
        Objects.requireNonNull(scheme, "scheme");
        quantized = Map.copyOf(quantized);
        storedBytes = Map.copyOf(storedBytes);
        if (labels.size() != config.numClasses())
            throw new IllegalArgumentException(labels.size() + " labels for " + config.numClasses() + " classes");
        if (mean.length != config.inChans() || std.length != config.inChans())
            throw new IllegalArgumentException("mean/std need one value per input channel (" + config.inChans() + ")");
        for (float s : std) if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("std values must be finite and > 0");
        for (float m : mean) if (!Float.isFinite(m)) throw new IllegalArgumentException("mean values must be finite");
        if (imageHeight % 32 != 0 || imageWidth % 32 != 0 || imageHeight <= 0 || imageWidth <= 0)
            throw new IllegalArgumentException("image size must be positive multiples of 32, got " + imageHeight + "x" + imageWidth);
    }

    /** The same model to be saved under another weight scheme (see {@link Quantizer}). */
    public ModelBundle withScheme(QuantScheme s, Map<String, String> newProvenance) {
        return withScheme(s, newProvenance, Map.of());
    }

    /**
     * As {@link #withScheme(QuantScheme, Map)}, saving the integer weights given (tensor name →
     * matrix, e.g. chosen by GPTQ) instead of rounding those tensors afresh.
     */
    public ModelBundle withScheme(QuantScheme s, Map<String, String> newProvenance, Map<String, QuantizedMatrix> integers) {
        return new ModelBundle(config, labels, imageHeight, imageWidth, mean, std, newProvenance, stateDict, s, integers, Map.of());
    }

    /**
     * Builds the network and loads the weights. Linear and convolution layers whose weights the
     * bundle holds as int8/int4 also get the integer matrix, which their inference paths multiply
     * by directly (linear layers everywhere, convolutions in the SS-Conv-SSM conv branch).
     */
    public MedMamba toModel() {
        MedMamba m = new MedMamba(config, 0);
        m.loadStateDict(stateDict);
        for (Map.Entry<String, QuantizedMatrix> e : quantized.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(".weight")) continue;
            Module layer = module(m, name.substring(0, name.length() - ".weight".length()));
            if (layer instanceof Linear l) l.useQuantized(e.getValue());
            else if (layer instanceof Conv2d c) c.useQuantized(e.getValue());
        }
        m.train(false);
        return m;
    }

    private static Module module(Module root, String path) {
        Module cur = root;
        for (String part : path.split("\\.")) {
            cur = cur.children().get(part);
            if (cur == null) return null;
        }
        return cur;
    }

    public void save(Path path) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", JSON.writeValueAsString(Map.of(
                "depths", config.depths(), "dims", config.dims(), "d_state", config.dState(),
                "num_classes", config.numClasses(), "in_chans", config.inChans(), "drop_path_rate", config.dropPathRate())));
        meta.put("labels", JSON.writeValueAsString(labels));
        meta.put("in_chans", Integer.toString(config.inChans()));
        meta.put("image_size", JSON.writeValueAsString(new int[]{imageHeight, imageWidth}));
        meta.put("mean", JSON.writeValueAsString(mean));
        meta.put("std", JSON.writeValueAsString(std));
        meta.put("provenance", JSON.writeValueAsString(provenance));
        if (scheme.isFloat32()) {
            SafetensorsWriter.write(path, stateDict, meta);
        } else {
            meta.put("quantization", Quantizer.metadata(stateDict, scheme));
            SafetensorsWriter.write(path, Quantizer.encode(stateDict, scheme, quantized), meta);
        }
    }

    public static ModelBundle load(Path path) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(path)) {
            Map<String, String> m = f.metadata();
            if (!FORMAT.equals(m.get("format")))
                throw new BadFileException(path, "not a MedMamba model bundle (metadata format is " + m.get("format") + ", expected " + FORMAT + ")");
            try {
                Map<String, Object> c = JSON.readValue(m.get("config"), new TypeReference<>() {});
                MedMambaConfig config = new MedMambaConfig(ints(c.get("depths")), ints(c.get("dims")), num(c.get("d_state")),
                        num(c.get("num_classes")), num(c.get("in_chans")), ((Number) c.get("drop_path_rate")).floatValue());
                List<String> labels = JSON.readValue(m.get("labels"), new TypeReference<>() {});
                int[] size = JSON.readValue(m.get("image_size"), int[].class);
                if (size.length != 2) throw new BadFileException(path, "metadata image_size must be [height, width], got " + m.get("image_size"));
                float[] mean = JSON.readValue(m.get("mean"), float[].class), std = JSON.readValue(m.get("std"), float[].class);
                checkStats(path, mean, std);
                Map<String, String> prov = m.containsKey("provenance") ? JSON.readValue(m.get("provenance"), new TypeReference<>() {}) : Map.of();
                // the declared architecture and input are checked before anything is built from them
                long stored = 0;
                boolean quantised = m.get("quantization") != null;
                for (var t : f.tensors().values()) {
                    if (quantised && t.name().endsWith(Quantizer.SCALE_SUFFIX)) continue;
                    stored += t.dtype() == DType.U8 && quantised ? 2L * t.size() : t.size();   // int4: two weights a byte
                }
                int blocks = 0, widest = 0;
                for (int d : config.depths()) blocks += d;
                for (int d : config.dims()) widest = Math.max(widest, d);
                Limits limits = Limits.current();
                limits.checkNetwork(path, widest, blocks, config.parameterCount(), stored);
                limits.checkInputSize(path, size[0], size[1], config.inChans());
                QuantizedState q = QuantizedState.read(path, f.tensors(), m.get("quantization"));
                checkFinite(path, q.state());
                return new ModelBundle(config, labels, size[0], size[1], mean, std, prov, q.state(), q.scheme(), q.matrices(), q.bytesByKind());
            } catch (IOException | RuntimeException e) {
                if (e instanceof BadFileException b) throw b;
                throw new BadFileException(path, "corrupt bundle metadata (" + BadFileException.reason(e) + ")");
            }
        }
    }

    /** Normalisation by a NaN or zero std turns every prediction into NaN: refused by name. */
    private static void checkStats(Path path, float[] mean, float[] std) throws BadFileException {
        for (int i = 0; i < mean.length; i++)
            if (!Float.isFinite(mean[i])) throw new BadFileException(path, "metadata mean[" + i + "] is " + mean[i] + "; it must be finite");
        for (int i = 0; i < std.length; i++)
            if (!(std[i] > 0) || !Float.isFinite(std[i]))
                throw new BadFileException(path, "metadata std[" + i + "] is " + std[i] + "; it must be finite and > 0");
    }

    /** A NaN or infinite weight poisons every output: refused at load, naming the tensor. */
    private static void checkFinite(Path path, Map<String, Object> state) throws BadFileException {
        for (Map.Entry<String, Object> e : state.entrySet()) {
            if (!(e.getValue() instanceof Tensor t)) continue;
            float[] d = t.data();
            for (int i = 0; i < t.size(); i++)
                if (!Float.isFinite(d[i]))
                    throw new BadFileException(path, "tensor '" + e.getKey() + "' holds " + d[i] + " at element " + i + " (weights must be finite)");
        }
    }

    private static int[] ints(Object o) {
        return ((List<?>) o).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static int num(Object o) {
        return ((Number) o).intValue();
    }

    @Override
    public String toString() {
        return "ModelBundle[" + config + ", labels=" + labels + ", size=" + imageHeight + "x" + imageWidth
                + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
