package org.medmamba.explain;

/**
 * One explanation map: method, the class explained (index and label), the model's probability
 * for it, and the map (row-major, height × width, the model's input size).
 */
public record Explanation(String method, int classIndex, String label, float probability, int height, int width, float[] map) {
    public Explanation {
        if ((long) height * width != map.length)
            throw new IllegalArgumentException("map length " + map.length + " != " + height + "x" + width);
    }

    /** map[y·W + x]. */
    public float at(int y, int x) {
        return map[y * width + x];
    }
}
