package org.medmamba.tensor;

/** Dense int64 tensor, used for class labels (PyTorch's LongTensor). */
public record LongTensor(long[] data, int[] shape) {
    public LongTensor {
        if (Shape.numel(shape) != data.length)
            throw new IllegalArgumentException("data length " + data.length + " does not match shape " + Shape.str(shape));
        shape = shape.clone();
    }

    public static LongTensor of(long... labels) {
        return new LongTensor(labels, new int[]{labels.length});
    }

    public int size() { return data.length; }

    public long get(int i) { return data[i]; }
}
