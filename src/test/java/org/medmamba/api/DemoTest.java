package org.medmamba.api;

import org.medmamba.eval.Metrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DemoTest {
    @Test
    void namesClassesTheModelDoesNotLearn() {
        // the demo's confusion today: coronal never predicted, yet accuracy 0.62
        List<String> labels = List.of("axial", "coronal", "sagittal");
        int[] truth = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
        int[] pred = {0, 0, 0, 2, 0, 0, 2, 2, 2, 2, 2, 2};
        float[][] probs = new float[truth.length][3];
        for (int i = 0; i < truth.length; i++) probs[i][pred[i]] = 1;
        assertEquals(List.of("coronal"), Demo.weakClasses(Metrics.of(labels, truth, probs)));
        // exactly half is not weak
        pred = new int[]{0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2};
        probs = new float[truth.length][3];
        for (int i = 0; i < truth.length; i++) probs[i][pred[i]] = 1;
        assertEquals(List.of(), Demo.weakClasses(Metrics.of(labels, truth, probs)));
    }
}
