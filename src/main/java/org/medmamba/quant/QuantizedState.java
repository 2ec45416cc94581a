package org.medmamba.quant;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.medmamba.io.BadFileException;
import org.medmamba.io.DType;
import org.medmamba.io.StoredTensor;
import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A bundle's weights as read: the float state dict every model path uses (quantised tensors
 * dequantised), the quantised matrices themselves (for the integer kernels), the scheme, and how
 * many stored bytes each kind of tensor takes.
 *
 * @param bytesByKind "quantised weights (int4)", "scales", "scan tensors (F16)", "float32 tensors" → stored bytes
 */
public record QuantizedState(QuantScheme scheme, Map<String, Object> state, Map<String, QuantizedMatrix> matrices,
                             Map<String, Long> bytesByKind) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FORMATS = Set.of("float16", "bfloat16", "int8", "int4");

    /** Reads stored tensors; quantization is the bundle's "quantization" metadata entry, or null for float32. */
    public static QuantizedState read(Path path, Map<String, StoredTensor> stored, String quantization) throws BadFileException {
        Map<String, Long> kinds = new LinkedHashMap<>();
        Map<String, Object> state = new LinkedHashMap<>();
        Map<String, QuantizedMatrix> matrices = new LinkedHashMap<>();
        if (quantization == null) {
            for (StoredTensor t : stored.values()) {
                if (t.dtype() != DType.F32 && t.dtype() != DType.I64)
                    throw new BadFileException(path, "tensor '" + t.name() + "' is " + t.dtype() + " but the bundle declares no quantization");
                kinds.merge("float32 tensors", (long) t.size() * t.dtype().bytes, Long::sum);
                state.put(t.name(), t.dtype().isFloat() ? t.toFloat() : t.toLong());
            }
            return new QuantizedState(QuantScheme.FLOAT32, state, matrices, kinds);
        }
        QuantScheme scheme;
        Map<String, int[]> shapes;
        try {
            Map<String, Object> meta = JSON.readValue(quantization, new TypeReference<>() {});
            Object format = meta.get("format");
            if (!(format instanceof String f) || !FORMATS.contains(f))
                throw new BadFileException(path, "unknown quantization scheme '" + format + "' (known: float16, bfloat16, int8, int4)");
            int bits = ((Number) meta.get("bits")).intValue();
            int group = meta.get("group_size") == null ? 0 : ((Number) meta.get("group_size")).intValue();
            scheme = new QuantScheme(bits, group, f);
            if (!Boolean.TRUE.equals(meta.get("symmetric")) && bits < 16)
                throw new BadFileException(path, "quantization is not symmetric; only symmetric int8/int4 is known");
            shapes = JSON.convertValue(meta.get("tensors"), new TypeReference<Map<String, int[]>>() {});
            if (shapes == null) throw new BadFileException(path, "quantization metadata lists no tensors");
        } catch (BadFileException e) {
            throw e;
        } catch (Exception e) {
            throw new BadFileException(path, "corrupt quantization metadata (" + BadFileException.reason(e) + ")");
        }
        for (Map.Entry<String, int[]> e : shapes.entrySet())
            if (!stored.containsKey(e.getKey())) throw new BadFileException(path, "quantised tensor '" + e.getKey() + "' is missing");
        for (StoredTensor t : stored.values()) {
            String name = t.name();
            if (name.endsWith(Quantizer.SCALE_SUFFIX) && shapes.containsKey(name.substring(0, name.length() - Quantizer.SCALE_SUFFIX.length()))) {
                kinds.merge("scales", (long) t.size() * t.dtype().bytes, Long::sum);
                continue;
            }
            int[] shape = shapes.get(name);
            if (shape == null) {
                boolean half = (t.dtype() == DType.F16 || t.dtype() == DType.BF16) && Quantizer.scanParameter(name);
                if (t.dtype() != DType.F32 && t.dtype() != DType.I64 && !half)
                    throw new BadFileException(path, "tensor '" + name + "' is " + t.dtype() + " but is not listed as quantised");
                kinds.merge(half ? "scan tensors (" + t.dtype() + ")" : "float32 tensors", (long) t.size() * t.dtype().bytes, Long::sum);
                state.put(name, t.dtype().isFloat() ? t.toFloat() : t.toLong());
                continue;
            }
            kinds.merge("quantised weights (" + scheme.format() + ")", (long) t.size() * t.dtype().bytes, Long::sum);
            if (scheme.bits() == 16) {
                DType want = "bfloat16".equals(scheme.format()) ? DType.BF16 : DType.F16;
                if (t.dtype() != want || !Arrays.equals(t.shape(), shape))
                    throw new BadFileException(path, "tensor '" + name + "' is " + t.dtype() + " " + Shape.str(t.shape()) + ", expected " + want + " " + Shape.str(shape));
                Tensor v = t.toFloat();
                checkFinite(path, name, v.data());
                state.put(name, v);
                continue;
            }
            QuantizedMatrix m = matrix(path, name, t, stored.get(name + Quantizer.SCALE_SUFFIX), shape, scheme);
            float[] w = new float[m.rows() * m.cols()];
            m.dequantize(0, m.rows(), w);
            state.put(name, Tensor.of(w, shape));
            matrices.put(name, m);
        }
        return new QuantizedState(scheme, state, matrices, kinds);
    }

    private static QuantizedMatrix matrix(Path path, String name, StoredTensor t, StoredTensor scale, int[] shape, QuantScheme scheme)
            throws BadFileException {
        if (shape.length < 2 || Arrays.stream(shape).anyMatch(d -> d <= 0))
            throw new BadFileException(path, "quantised tensor '" + name + "' has a bad original shape " + Arrays.toString(shape));
        int cols = Quantizer.columns(shape), rows = Shape.size(shape) / cols;
        if (scale == null) throw new BadFileException(path, "scale tensor '" + name + Quantizer.SCALE_SUFFIX + "' is missing");
        DType wantData = scheme.bits() == 8 ? DType.I8 : DType.U8, wantScale = scheme.bits() == 8 ? DType.F32 : DType.F16;
        int group = scheme.bits() == 8 ? 0 : Quantizer.effectiveGroup(cols, scheme.groupSize());
        int groups = scheme.bits() == 8 ? 1 : (cols + group - 1) / group;
        int[] dataShape = scheme.bits() == 8 ? new int[]{rows, cols} : new int[]{rows, groups * group / 2};
        int[] scaleShape = scheme.bits() == 8 ? new int[]{rows} : new int[]{rows, groups};
        if (t.dtype() != wantData || !Arrays.equals(t.shape(), dataShape))
            throw new BadFileException(path, "tensor '" + name + "' is " + t.dtype() + " " + Shape.str(t.shape()) + ", expected " + wantData + " " + Shape.str(dataShape));
        if (scale.dtype() != wantScale || !Arrays.equals(scale.shape(), scaleShape))
            throw new BadFileException(path, "scale tensor '" + scale.name() + "' is " + scale.dtype() + " " + Shape.str(scale.shape())
                    + ", expected " + wantScale + " " + Shape.str(scaleShape));
        float[] s = scale.toFloat().data();
        for (int i = 0; i < s.length; i++)
            if (!Float.isFinite(s[i]) || s[i] < 0)
                throw new BadFileException(path, "scale tensor '" + scale.name() + "' holds " + s[i] + " at element " + i + " (scales must be finite and >= 0)");
        return new QuantizedMatrix(rows, cols, scheme.bits(), group, t.rawBytes(), s);
    }

    private static void checkFinite(Path path, String name, float[] d) throws BadFileException {
        for (int i = 0; i < d.length; i++)
            if (!Float.isFinite(d[i])) throw new BadFileException(path, "tensor '" + name + "' holds " + d[i] + " at element " + i + " (weights must be finite)");
    }

    /** Sum of {@link #bytesByKind}. */
    public long storedBytes() {
        return bytesByKind.values().stream().mapToLong(Long::longValue).sum();
    }
}
