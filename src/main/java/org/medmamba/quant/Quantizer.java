package org.medmamba.quant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.medmamba.io.RawTensor;
import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a float state dict into the tensors of a quantised bundle, and says which tensors are
 * quantised: the weights of linear and convolution layers (including the scan's x_proj and
 * dt_projs weights), read as a matrix of output rows × input columns (a convolution's input is
 * in·kh·kw). Every norm, every bias and the BatchNorm statistics stay float32; the scan's A_logs,
 * Ds and dt_projs bias stay floating point too, as float16 ({@link #scanParameter}).
 */
public final class Quantizer {
    /** Suffix of the tensor holding a quantised tensor's scales. */
    public static final String SCALE_SUFFIX = ".scale";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Quantizer() {}

    /** Whether the tensor called name with this shape is quantised (linear / conv weights). */
    public static boolean quantizes(String name, int[] shape) {
        if (shape.length < 2) return false;
        if (name.endsWith("A_logs") || name.endsWith("dt_projs_bias")) return false;
        return name.endsWith(".weight") || name.endsWith("x_proj_weight") || name.endsWith("dt_projs_weight");
    }

    /**
     * The scan's own parameters (A_logs, Ds, dt_projs bias): never integers, stored as float16
     * (bfloat16 in a bfloat16 bundle) in every reduced bundle. A_logs alone is ~230 k values in
     * MedMamba-T, 0.93 MB as float32 — an eighth of a 4-bit bundle.
     */
    public static boolean scanParameter(String name) {
        return name.endsWith("A_logs") || name.endsWith(".Ds") || name.endsWith("dt_projs_bias");
    }

    /** Input columns of a weight read as a matrix: a convolution's in·kh·kw, otherwise the last dimension. */
    public static int columns(int[] shape) {
        return shape.length == 4 ? shape[1] * shape[2] * shape[3] : shape[shape.length - 1];
    }

    /**
     * The int4 group of a matrix with cols columns: the scheme's, or cols rounded up to even when
     * a row is narrower (dt_projs has 6–48 columns in MedMamba-T: padding them to 64 or 128 would
     * store up to ten times their weights).
     */
    public static int effectiveGroup(int cols, int group) {
        return cols < group ? (cols + 1) & ~1 : group;
    }

    /** Symmetric int8 (scale = max|w| / 127 per row) or int4 (per group, see {@link #bestScale}, as float16). */
    public static QuantizedMatrix quantize(float[] w, int rows, int cols, int bits, int group) {
        if ((long) rows * cols != w.length) throw new IllegalArgumentException(w.length + " values for a " + rows + "x" + cols + " matrix");
        if (bits == 8) {
            byte[] q = new byte[w.length];
            float[] scales = new float[rows];
            for (int r = 0; r < rows; r++) {
                float max = 0;
                for (int c = 0; c < cols; c++) max = Math.max(max, Math.abs(w[r * cols + c]));
                float s = max / 127f;
                scales[r] = s;
                for (int c = 0; c < cols; c++) q[r * cols + c] = (byte) (s == 0 ? 0 : clamp(Math.round(w[r * cols + c] / s), -127, 127));
            }
            return new QuantizedMatrix(rows, cols, 8, 0, q, scales);
        }
        if (bits != 4) throw new IllegalArgumentException("bits must be 8 or 4, got " + bits);
        int g = effectiveGroup(cols, group), groups = (cols + g - 1) / g;
        int[] q = new int[w.length];
        float[] scales = new float[rows * groups];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < groups; k++) {
                int c0 = k * g, c1 = Math.min(cols, c0 + g);
                float max = 0;
                for (int c = c0; c < c1; c++) max = Math.max(max, Math.abs(w[r * cols + c]));
                float s = bestScale(w, r * cols, c0, c1, max);
                scales[r * groups + k] = s;
                for (int c = c0; c < c1; c++) q[r * cols + c] = s == 0 ? 0 : clamp(Math.round(w[r * cols + c] / s), -8, 7);
            }
        return pack(rows, cols, 4, group, q, scales);
    }

    /**
     * The stored form of integer levels q (rows × cols, row-major; int8: −127..127, one scale per
     * row; int4: −8..7, one scale per group of {@link #effectiveGroup}). int4: within a group of G,
     * byte t holds column t (low nibble) and column t + G/2 (high nibble), each as q + 8; padding
     * holds 0.
     */
    static QuantizedMatrix pack(int rows, int cols, int bits, int group, int[] q, float[] scales) {
        if (bits == 8) {
            byte[] b = new byte[q.length];
            for (int i = 0; i < q.length; i++) b[i] = (byte) clamp(q[i], -127, 127);
            return new QuantizedMatrix(rows, cols, 8, 0, b, scales);
        }
        group = effectiveGroup(cols, group);
        int groups = (cols + group - 1) / group, half = group / 2, rowBytes = groups * half;
        byte[] b = new byte[rows * rowBytes];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < groups; k++) {
                int c0 = k * group, c1 = Math.min(cols, c0 + group);
                for (int t = 0; t < half; t++) {
                    int lo = c0 + t < c1 ? clamp(q[r * cols + c0 + t], -8, 7) + 8 : 8;
                    int hi = c0 + half + t < c1 ? clamp(q[r * cols + c0 + half + t], -8, 7) + 8 : 8;
                    b[r * rowBytes + k * half + t] = (byte) (lo | hi << 4);
                }
            }
        return new QuantizedMatrix(rows, cols, 4, group, b, scales);
    }

    /** Clipping candidates for an int4 group: the scale max/7 shrunk by these factors. */
    static final float[] CLIP = {1f, 0.95f, 0.9f, 0.85f, 0.8f, 0.75f};

    /**
     * The int4 scale of one group: of max/7 and a few smaller ones (clipping the largest weights),
     * the one with the least squared error over the group. Sixteen levels are few: letting one
     * outlier saturate often places the other weights on a finer grid. Each candidate is rounded
     * to float16 first, as the file will hold it, so the integers are chosen for the stored scale.
     */
    static float bestScale(float[] w, int rowOff, int c0, int c1, float max) {
        if (max == 0) return 0;
        float best = 0;
        double bestErr = Double.POSITIVE_INFINITY;
        for (float f : CLIP) {
            float s = Float.float16ToFloat(Float.floatToFloat16(max * f / 7f));
            if (s == 0) s = Float.float16ToFloat((short) 1);   // below float16's range: smallest subnormal
            double err = 0;
            for (int c = c0; c < c1; c++) {
                double d = w[rowOff + c] - s * (nibble(w, rowOff, c, c1, s) - 8);
                err += d * d;
            }
            if (err < bestErr) {
                bestErr = err;
                best = s;
            }
        }
        return best;
    }

    private static int nibble(float[] w, int rowOff, int c, int end, float s) {
        if (c >= end || s == 0) return 8;   // padding and all-zero groups store 0
        return clamp(Math.round(w[rowOff + c] / s), -8, 7) + 8;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The bundle's tensors (name → Tensor / LongTensor / RawTensor) for a float state dict under scheme. */
    public static Map<String, Object> encode(Map<String, Object> state, QuantScheme scheme) {
        return encode(state, scheme, Map.of());
    }

    /**
     * As {@link #encode(Map, QuantScheme)}, storing the integer matrices given (e.g. chosen by
     * {@link Gptq}) instead of rounding those tensors afresh; each must have the scheme's bits,
     * group and the tensor's shape.
     */
    public static Map<String, Object> encode(Map<String, Object> state, QuantScheme scheme, Map<String, QuantizedMatrix> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : state.entrySet()) {
            String name = e.getKey();
            if (!(e.getValue() instanceof Tensor t) || scheme.isFloat32()) {
                out.put(name, e.getValue());
                continue;
            }
            if (scanParameter(name)) {   // floating point, but half the bytes: 7 % of a 4-bit Tiny bundle instead of 13 %
                out.put(name, "bfloat16".equals(scheme.format()) ? RawTensor.bfloat16(t.data(), t.shape()) : RawTensor.float16(t.data(), t.shape()));
                continue;
            }
            if (!quantizes(name, t.shape())) {
                out.put(name, t);
                continue;
            }
            int[] shape = t.shape();
            if (scheme.bits() == 16) {
                out.put(name, "bfloat16".equals(scheme.format()) ? RawTensor.bfloat16(t.data(), shape) : RawTensor.float16(t.data(), shape));
                continue;
            }
            int cols = columns(shape), rows = t.size() / cols;
            QuantizedMatrix m = given.get(name);
            if (m == null) m = quantize(t.data(), rows, cols, scheme.bits(), scheme.groupSize());
            else if (m.rows() != rows || m.cols() != cols || m.bits() != scheme.bits()
                    || (scheme.bits() == 4 && m.group() != effectiveGroup(cols, scheme.groupSize())))
                throw new IllegalArgumentException("integer weights given for " + name + " do not fit " + scheme.describe() + " and shape " + rows + "x" + cols);
            else {   // they must be this float weight's: stale integers would silently replace a changed model
                float[] deq = new float[rows * cols];
                m.dequantize(0, rows, deq);
                if (!java.util.Arrays.equals(deq, t.contiguous().data()))
                    throw new IllegalArgumentException("integer weights given for " + name + " are not those of its float weights");
            }
            if (scheme.bits() == 8) {
                out.put(name, new RawTensor(org.medmamba.io.DType.I8, new int[]{rows, cols}, m.data()));
                out.put(name + SCALE_SUFFIX, Tensor.of(m.scales(), rows));
            } else {
                out.put(name, new RawTensor(org.medmamba.io.DType.U8, new int[]{rows, m.rowBytes()}, m.data()));
                out.put(name + SCALE_SUFFIX, RawTensor.float16(m.scales(), rows, m.groups()));
            }
        }
        return out;
    }

    /** The bundle metadata entry "quantization": scheme and the original shape of every quantised tensor. */
    public static String metadata(Map<String, Object> state, QuantScheme scheme) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", scheme.format());
        meta.put("bits", scheme.bits());
        if (scheme.bits() == 4) meta.put("group_size", scheme.groupSize());
        meta.put("symmetric", true);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : state.entrySet())
            if (e.getValue() instanceof Tensor t && quantizes(e.getKey(), t.shape())) shapes.put(e.getKey(), t.shape());
        meta.put("tensors", shapes);
        meta.put("half_precision", state.keySet().stream().filter(Quantizer::scanParameter).toList());
        try {
            return JSON.writeValueAsString(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Largest |w − dequantised w| for an element w under scale s (int8, int4) or for w itself
     * (16-bit): half a step inside the integer range; an int4 weight beyond it (clipped by
     * {@link #bestScale}) is off by its distance to the end of the range.
     */
    public static double errorBound(float w, float s, QuantScheme scheme) {
        double a = Math.abs(w);
        return switch (scheme.bits()) {
            case 8 -> s / 2 * (1 + 1e-6);
            case 4 -> Math.max(s / 2, a - (w < 0 ? 8 : 7) * (double) s) * (1 + 1e-6) + 1e-9;
            default -> a * ("bfloat16".equals(scheme.format()) ? 0x1p-8 : 0x1p-11) + 6e-8;
        };
    }
}
