package org.medmamba.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The JSON of a prediction row, one definition for {@code predict --json} and the HTTP service:
 * file, frame (multi-frame files only), then class_index, label, probabilities — or error.
 */
public final class PredictionJson {
    private PredictionJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One array, one object per row, in row order. */
    public static ArrayNode array(List<FilePrediction> rows) {
        ArrayNode arr = JSON.createArrayNode();
        for (FilePrediction r : rows) fill(arr.addObject(), r);
        return arr;
    }

    /** Writes one row's fields into o and returns it. */
    public static ObjectNode fill(ObjectNode o, FilePrediction r) {
        o.put("file", r.file().toString());
        if (r.frame() >= 0) o.put("frame", r.frame());
        if (!r.ok()) return o.put("error", r.error());
        Prediction p = r.prediction();
        o.put("class_index", p.index()).put("label", p.label());
        ArrayNode probs = o.putArray("probabilities");
        for (float v : p.probabilities()) probs.add(v);
        return o;
    }
}
