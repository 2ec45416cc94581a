package org.medmamba.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.data.transform.Augmentation;
import org.medmamba.io.SettingException;
import org.medmamba.model.MedMambaConfig;

/**
 * Everything that determines a training run's result. Two runs with equal configs (and thread
 * count) produce bit-identical weights; {@code --resume} refuses a run directory whose
 * checkpoint holds a different one. The loader's worker count is not part of it: it changes
 * speed, never numbers.
 *
 * @param data          the dataset path as given, absolute
 * @param classWeights  "auto" (inverse class frequency), "none", or comma-separated weights
 * @param earlyStop     epochs without improvement of the selection metric before stopping; 0 = never
 * @param selectBy      "auc", "accuracy" or "loss" on the validation split, or "last" (the last epoch's model)
 * @param upsample      whether images smaller than the input may be enlarged
 */
public record TrainConfig(String data, String variant, int[] depths, int[] dims, int dState, int inChans,
                          int imageHeight, int imageWidth, int epochs, int batchSize, int accumulate, double lr,
                          double weightDecay, double warmupEpochs, double dropPath, String classWeights,
                          double labelSmoothing, long seed, int earlyStop, String selectBy, int threads,
                          boolean upsample, float[] mean, float[] std, Augmentation augmentation) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TrainConfig {
        if (imageHeight % 32 != 0 || imageWidth % 32 != 0 || imageHeight < 32 || imageWidth < 32)
            throw new SettingException("imageSize", "must be a multiple of 32 (the network downsamples by 32), got "
                    + imageHeight + "x" + imageWidth);
        if (epochs < 1) throw new SettingException("epochs", "must be >= 1");
        if (batchSize < 1) throw new SettingException("batchSize", "must be >= 1");
        if (accumulate < 1) throw new SettingException("accumulate", "must be >= 1");
        // written so that NaN fails every test (NaN < 0 is false)
        if (!(lr > 0 && lr < Double.POSITIVE_INFINITY)) throw new SettingException("lr", "must be a finite number > 0, got " + lr);
        if (!(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY))
            throw new SettingException("weightDecay", "must be a finite number >= 0, got " + weightDecay);
        if (!(warmupEpochs >= 0 && warmupEpochs < Double.POSITIVE_INFINITY))
            throw new SettingException("warmupEpochs", "must be a finite number >= 0, got " + warmupEpochs);
        if (!(dropPath >= 0 && dropPath < 1)) throw new SettingException("dropPath", "must be in [0, 1), got " + dropPath);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new SettingException("labelSmoothing", "must be in [0, 1), got " + labelSmoothing);
        if (mean != null) for (float v : mean) if (!Float.isFinite(v)) throw new SettingException("mean", "must be finite numbers, got " + v);
        if (std != null) for (float v : std) if (!(v > 0 && v < Float.POSITIVE_INFINITY))
            throw new SettingException("std", "must be finite numbers > 0, got " + v);
        if (earlyStop < 0) throw new SettingException("earlyStop", "must be >= 0");
        if (!selectBy.equals("auc") && !selectBy.equals("accuracy") && !selectBy.equals("loss") && !selectBy.equals("last"))
            throw new SettingException("selectBy", "must be auc, accuracy, loss or last, got " + selectBy);
    }

    /** The same run planned for another number of epochs (what extending a run changes). */
    public TrainConfig withEpochs(int n) {
        return new TrainConfig(data, variant, depths, dims, dState, inChans, imageHeight, imageWidth, n, batchSize, accumulate, lr,
                weightDecay, warmupEpochs, dropPath, classWeights, labelSmoothing, seed, earlyStop, selectBy, threads, upsample, mean,
                std, augmentation);
    }

    public MedMambaConfig model(int numClasses) {
        return new MedMambaConfig(depths, dims, dState, numClasses, inChans, (float) dropPath);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrainConfig fromJson(String json) throws java.io.IOException {
        return JSON.readValue(json, TrainConfig.class);
    }

    /** The fields that differ from another config, "name: this vs other", for a refusal message. */
    public String differences(TrainConfig other) {
        ObjectNode a = JSON.valueToTree(this), b = JSON.valueToTree(other);
        StringBuilder sb = new StringBuilder();
        a.fieldNames().forEachRemaining(f -> {
            if (!a.get(f).equals(b.get(f))) sb.append(sb.isEmpty() ? "" : ", ").append(f).append(": ").append(b.get(f)).append(" vs ").append(a.get(f));
        });
        return sb.toString();
    }
}
