package org.medmamba.eval;

import java.util.Arrays;

/** Sample indices ordered by score, the sweep every threshold curve (ROC, PR, operating points) starts from. */
public final class Ranks {
    private Ranks() {}

    /** Indices from the highest score to the lowest; equal scores keep index order (the sort is stable). */
    public static int[] descending(float[] score) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }
}
