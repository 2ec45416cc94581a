package org.medmamba.quant;

/**
 * How weights are stored: {@code bits} 16 (float16 or bfloat16, {@code format}), 8 (int8,
 * symmetric, one scale per output channel) or 4 (int4, symmetric, one float16 scale per
 * {@code groupSize} weights along the input dimension).
 */
public record QuantScheme(int bits, int groupSize, String format) {
    public static final QuantScheme FLOAT32 = new QuantScheme(32, 0, "float32");

    public QuantScheme {
        switch (bits) {
            case 32 -> { if (!"float32".equals(format) || groupSize != 0) throw new IllegalArgumentException("32 bits is plain float32"); }
            case 16 -> {
                if (!"float16".equals(format) && !"bfloat16".equals(format))
                    throw new IllegalArgumentException("16-bit format must be float16 or bfloat16, got '" + format + "'");
                if (groupSize != 0) throw new IllegalArgumentException("16-bit weights have no groups");
            }
            case 8 -> { if (!"int8".equals(format) || groupSize != 0) throw new IllegalArgumentException("8-bit weights are int8 per channel, without groups"); }
            case 4 -> {
                if (!"int4".equals(format)) throw new IllegalArgumentException("4-bit weights are int4");
                if (groupSize != 32 && groupSize != 64 && groupSize != 128)
                    throw new IllegalArgumentException("group size must be 32, 64 or 128, got " + groupSize);
            }
            default -> throw new IllegalArgumentException("bits must be 16, 8 or 4, got " + bits);
        }
    }

    /** The scheme for --bits / --group-size / --format; format null means float16 for 16 bits. */
    public static QuantScheme of(int bits, int groupSize, String format) {
        return switch (bits) {
            case 16 -> new QuantScheme(16, 0, format == null ? "float16" : format);
            case 8 -> new QuantScheme(8, 0, "int8");
            case 4 -> new QuantScheme(4, groupSize, "int4");
            default -> throw new IllegalArgumentException("bits must be 16, 8 or 4, got " + bits);
        };
    }

    public boolean isFloat32() {
        return bits == 32;
    }

    /** One line: "int4, groups of 64, float16 scales" ... */
    public String describe() {
        return switch (bits) {
            case 32 -> "float32";
            case 16 -> format;
            case 8 -> "int8, symmetric, one float32 scale per output channel";
            default -> "int4, symmetric, groups of " + groupSize + " along the input, float16 scales";
        };
    }
}
