package org.medmamba.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.medmamba.autograd.Var;
import org.medmamba.io.BadFileException;
import org.medmamba.io.SafetensorsFile;
import org.medmamba.io.SafetensorsWriter;
import org.medmamba.io.StateDicts;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RUN_DIR/last.ckpt: everything a run needs to continue exactly — weights and BatchNorm buffers
 * ("model.*"), AdamW moments ("adam.m.*", "adam.v.*"), and in the metadata the run's config, the
 * epochs done, the optimizer step, the history and the best-so-far bookkeeping. Every random draw
 * is derived from (seed, epoch, step), so no generator state needs saving. Written atomically.
 */
public record Checkpoint(TrainConfig config, List<String> classes, int epochsDone, long optimizerSteps,
                         List<EpochRecord> history, double bestValue, int bestEpoch, double trainSeconds) {
    public static final String FORMAT = "medmamba-checkpoint/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public void save(Path path, MedMamba model, AdamW opt) throws IOException {
        Map<String, Object> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        Map<String, Var> named = model.namedParameters();
        for (var e : named.entrySet()) {
            float[] m = opt.firstMoments().get(e.getValue()), v = opt.secondMoments().get(e.getValue());
            if (m == null) continue;
            tensors.put("adam.m." + e.getKey(), Tensor.of(m, e.getValue().shape()));
            tensors.put("adam.v." + e.getKey(), Tensor.of(v, e.getValue().shape()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", config.toJson());
        meta.put("classes", JSON.writeValueAsString(classes));
        meta.put("epochs_done", Integer.toString(epochsDone));
        meta.put("optimizer_steps", Long.toString(optimizerSteps));
        meta.put("adam_step", Long.toString(opt.stepCount()));
        meta.put("history", "[" + String.join(",", history.stream().map(EpochRecord::toJson).toList()) + "]");
        meta.put("best_value", Double.toString(bestValue));
        meta.put("best_epoch", Integer.toString(bestEpoch));
        meta.put("train_seconds", Double.toString(trainSeconds));
        SafetensorsWriter.write(path, tensors, meta);
    }

    private static List<EpochRecord> history(String json) throws IOException {
        List<EpochRecord> out = new java.util.ArrayList<>();
        for (var node : JSON.readTree(json)) out.add(EpochRecord.fromJson(node.toString()));
        return out;
    }

    /** Reads the bookkeeping and, when model and opt are given, restores their state. */
    public static Checkpoint load(Path path, MedMamba model, AdamW opt) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(path)) {
            Map<String, String> m = f.metadata();
            if (!FORMAT.equals(m.get("format")))
                throw new BadFileException(path, "not a MedMamba training checkpoint (format " + m.get("format") + ")");
            Checkpoint c;
            try {
                c = new Checkpoint(TrainConfig.fromJson(m.get("config")), JSON.readValue(m.get("classes"), new TypeReference<>() {}),
                        Integer.parseInt(m.get("epochs_done")), Long.parseLong(m.get("optimizer_steps")),
                        history(m.get("history")), Double.parseDouble(m.get("best_value")),
                        Integer.parseInt(m.get("best_epoch")), Double.parseDouble(m.get("train_seconds")));
            } catch (IOException | RuntimeException e) {
                throw new BadFileException(path, "corrupt checkpoint metadata (" + BadFileException.reason(e) + ")");
            }
            if (model == null) return c;
            Map<String, Object> all = StateDicts.toEngine(f.tensors());
            Map<String, Object> state = new LinkedHashMap<>();
            all.forEach((k, v) -> { if (k.startsWith("model.")) state.put(k.substring(6), v); });
            model.loadStateDict(state);
            for (var e : model.namedParameters().entrySet()) {
                Object mm = all.get("adam.m." + e.getKey()), vv = all.get("adam.v." + e.getKey());
                if (mm == null || vv == null) continue;
                opt.firstMoments().put(e.getValue(), ((Tensor) mm).contiguous().copy().storage());
                opt.secondMoments().put(e.getValue(), ((Tensor) vv).contiguous().copy().storage());
            }
            opt.setStepCount(Long.parseLong(m.get("adam_step")));
            return c;
        }
    }
}
