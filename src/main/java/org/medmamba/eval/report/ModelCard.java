package org.medmamba.eval.report;

import org.medmamba.train.EpochRecord;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report says about the model and the data it was evaluated on. Unknown values: null
 * strings and arrays, -1 counts, NaN seconds.
 *
 * @param variant         "tiny", "small", "base" or "custom"
 * @param config          the architecture, as text
 * @param parameters      trainable scalars (state-dict tensors minus BatchNorm running statistics)
 * @param epochs          distinct epochs in the training history
 * @param trainingSeconds sum of the epoch records' seconds
 * @param provenance      the bundle's free-form facts (source, date, training ...)
 * @param imagesPerSplit  the evaluated dataset's image count per class (label order) for each of
 *                        its splits ("train", "val", "test", or "all"), in that order; empty if unknown
 */
public record ModelCard(String variant, String config, long parameters, int imageHeight, int imageWidth,
                        int channels, float[] mean, float[] std, String dataSource, String split,
                        int epochs, double trainingSeconds, Map<String, String> provenance,
                        Map<String, long[]> imagesPerSplit) {
    public ModelCard {
        provenance = provenance == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(provenance));
        imagesPerSplit = imagesPerSplit == null ? Map.of() : java.util.Collections.unmodifiableMap(inSplitOrder(imagesPerSplit));
    }

    public ModelCard(String variant, String config, long parameters, int imageHeight, int imageWidth, int channels,
                     float[] mean, float[] std, String dataSource, String split, int epochs, double trainingSeconds,
                     Map<String, String> provenance) {
        this(variant, config, parameters, imageHeight, imageWidth, channels, mean, std, dataSource, split, epochs,
                trainingSeconds, provenance, Map.of());
    }

    /** train, val, test, then other names alphabetically. */
    private static Map<String, long[]> inSplitOrder(Map<String, long[]> m) {
        List<String> known = List.of("train", "val", "test");
        java.util.TreeMap<String, long[]> sorted = new java.util.TreeMap<>((a, b) -> {
            int ra = known.indexOf(a), rb = known.indexOf(b);
            ra = ra < 0 ? known.size() : ra;
            rb = rb < 0 ? known.size() : rb;
            return ra != rb ? Integer.compare(ra, rb) : a.compareTo(b);
        });
        m.forEach((k, v) -> sorted.put(k, v.clone()));
        return new LinkedHashMap<>(sorted);
    }

    /** The last name of a path (a dataset's folder or file name), so that the card shows no absolute path. */
    public static String shortName(String path) {
        if (path == null) return null;
        String p = path;
        while (p.length() > 1 && (p.endsWith("/") || p.endsWith("\\"))) p = p.substring(0, p.length() - 1);
        int cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
        return cut >= 0 && cut < p.length() - 1 ? p.substring(cut + 1) : p;
    }

    /** Nothing known (predictions from elsewhere). */
    public static ModelCard unknown(String dataSource, String split) {
        return new ModelCard(null, null, -1, -1, -1, -1, null, null, dataSource, split, -1, Double.NaN, Map.of());
    }

    /** The bundle's facts, plus the data evaluated on and the training history (may be empty). */
    public static ModelCard of(ModelBundle bundle, String dataSource, String split, List<EpochRecord> history) {
        return of(bundle, dataSource, split, history, Map.of());
    }

    public static ModelCard of(ModelBundle bundle, String dataSource, String split, List<EpochRecord> history,
                               Map<String, long[]> imagesPerSplit) {
        MedMambaConfig c = bundle.config();
        long params = 0;
        for (Map.Entry<String, Object> e : bundle.stateDict().entrySet())
            if (e.getValue() instanceof Tensor t && !e.getKey().endsWith("running_mean") && !e.getKey().endsWith("running_var"))
                params += t.size();
        double seconds = history.isEmpty() ? Double.NaN : history.stream().mapToDouble(EpochRecord::seconds).sum();
        return new ModelCard(variantOf(c), c.toString(), params, bundle.imageHeight(), bundle.imageWidth(), c.inChans(),
                bundle.mean().clone(), bundle.std().clone(), dataSource, split,
                history.isEmpty() ? -1 : (int) history.stream().mapToInt(EpochRecord::epoch).distinct().count(), seconds, bundle.provenance(),
                imagesPerSplit);
    }

    /**
     * The epoch the model was saved at and the metric that chose it, from the trainer's "training"
     * provenance (e.g. "epoch 2, best validation auc"); null when unknown. Without it "Training
     * epochs 20" reads as if the model were the 20th epoch's.
     */
    public String selection() {
        String t = provenance.get("training");
        if (t == null) return null;
        try {
            JsonNode o = new ObjectMapper().readTree(t);
            if (o == null || !o.path("epoch").canConvertToInt()) return null;
            String by = o.path("select_by").asText("");
            return "epoch " + o.path("epoch").asInt() + (by.isEmpty() ? "" : ", best validation " + by);
        } catch (IOException e) {
            return null;
        }
    }

    /** The named variant whose stages match (drop-path rate aside), else "custom". */
    static String variantOf(MedMambaConfig c) {
        for (String v : List.of("tiny", "small", "base")) {
            MedMambaConfig ref = MedMambaConfig.variant(v, c.numClasses(), c.inChans());
            if (Arrays.equals(ref.depths(), c.depths()) && Arrays.equals(ref.dims(), c.dims()) && ref.dState() == c.dState())
                return v;
        }
        return "custom";
    }
}
