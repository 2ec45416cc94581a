package org.medmamba.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's gallery: for each class, the most confident correct and the most confident wrong
 * test image, each with explanation overlays of the predicted class (one PNG per method). This
 * package only picks the images and lays them out; the overlays are made above it (api.Evaluator
 * runs org.medmamba.explain, which this package may not import) and handed in as PNG bytes.
 *
 * @param methods the methods shown, in column order
 * @param entries in class order, correct before wrong; a class with no such image has no entry
 */
public record Gallery(List<String> methods, List<Entry> entries) {
    public static final Gallery NONE = new Gallery(List.of(), List.of());

    /** One image to show: the sample, its true class, and whether the model got it right. */
    public record Pick(int sample, int classIndex, boolean correct) {}

    /** A picked image and its overlays (method → PNG bytes; a method that failed on it is missing). */
    public record Entry(Pick pick, Map<String, byte[]> overlays) {
        public Entry {
            overlays = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overlays));
        }
    }

    public Gallery {
        methods = List.copyOf(methods);
        entries = List.copyOf(entries);
    }

    /**
     * Per class in label order: the correctly classified image of that class with the highest
     * probability, then the misclassified image of that class whose (wrong) prediction is the most
     * confident; ties go to the earlier sample.
     */
    public static List<Pick> picks(Evaluation ev) {
        List<Pick> out = new ArrayList<>();
        int[] truth = ev.truth();
        for (int c = 0; c < ev.labels().size(); c++) {
            int right = -1, wrong = -1;
            for (int i = 0; i < truth.length; i++) {
                if (truth[i] != c) continue;
                int p = ev.predicted(i);
                float conf = ev.probs()[i][p];
                if (p == c && (right < 0 || conf > ev.probs()[right][c])) right = i;
                if (p != c && (wrong < 0 || conf > ev.probs()[wrong][ev.predicted(wrong)])) wrong = i;
            }
            if (right >= 0) out.add(new Pick(right, c, true));
            if (wrong >= 0) out.add(new Pick(wrong, c, false));
        }
        return out;
    }

    /** The overlay's file in the report folder: gallery-&lt;class index&gt;-correct|wrong-&lt;method&gt;.png ("+" spelled "pp"). */
    public static String fileName(Pick p, String method) {
        return "gallery-" + p.classIndex() + "-" + (p.correct() ? "correct" : "wrong") + "-" + method.replace("+", "p") + ".png";
    }
}
