package org.medmamba.api;

import java.util.Arrays;

/**
 * One image's classification.
 *
 * @param label         the predicted class's label (the bundle's label at index)
 * @param index         the predicted class (argmax of probabilities; the first on ties)
 * @param probabilities softmax probabilities in the bundle's label order
 */
public record Prediction(String label, int index, float[] probabilities) {
    public Prediction {
        if (index < 0 || index >= probabilities.length)
            throw new IllegalArgumentException("index " + index + " outside 0.." + (probabilities.length - 1));
        probabilities = probabilities.clone();
    }

    /** The probability of the predicted class. */
    public float probability() {
        return probabilities[index];
    }

    /** The k most probable classes, most probable first (lower index first on ties); k is capped at the class count. */
    public int[] top(int k) {
        if (k < 1) throw new org.medmamba.io.SettingException("top", "must be >= 1");
        return Arrays.copyOf(org.medmamba.eval.Ranks.descending(probabilities), Math.min(k, probabilities.length));
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.index == index && p.label.equals(label) && Arrays.equals(p.probabilities, probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * label.hashCode() + index) + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "Prediction[" + label + " (" + index + "), p=" + Arrays.toString(probabilities) + "]";
    }
}
