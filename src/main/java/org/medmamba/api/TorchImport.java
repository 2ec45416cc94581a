package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.io.OutputPaths;
import org.medmamba.io.SettingException;
import org.medmamba.io.StateDicts;
import org.medmamba.io.StoredTensor;
import org.medmamba.io.TorchCheckpoint;
import org.medmamba.model.ConfigInference;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint of the original PyTorch MedMamba ({@code torch.save(net.state_dict())}) as a model
 * bundle: what {@code ./medmamba import-torch} does. The architecture is read from the tensors;
 * the .pth is read with a restricted unpickler, so loading it never executes anything.
 */
public final class TorchImport {
    private TorchImport() {}

    /**
     * @param labels null for "0".."N-1"
     * @param mean   null for 0.5 per channel (the original training script's)
     * @param std    null for 0.5 per channel
     */
    public static ModelBundle read(Path checkpoint, int imageHeight, int imageWidth, List<String> labels, float[] mean, float[] std)
            throws MedMambaException {
        Map<String, StoredTensor> stored;
        try {
            stored = TorchCheckpoint.readStateDict(checkpoint);
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(checkpoint, e);
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        stored.forEach((k, v) -> shapes.put(k, v.shape()));
        MedMambaConfig cfg;
        MedMamba model;
        try {
            cfg = ConfigInference.infer(shapes);
            model = new MedMamba(cfg, 0);
            model.loadStateDict(StateDicts.toEngine(stored));
        } catch (IllegalArgumentException e) {
            throw MedMambaException.of(checkpoint, e);
        }
        int c = cfg.inChans();
        if (labels == null) {
            labels = new ArrayList<>();
            for (int i = 0; i < cfg.numClasses(); i++) labels.add(Integer.toString(i));
        }
        if (labels.size() != cfg.numClasses())
            throw new SettingException("labels", "has " + labels.size() + " names but the checkpoint has " + cfg.numClasses() + " classes");
        if (mean == null) mean = filled(c, 0.5f);
        if (std == null) std = filled(c, 0.5f);
        if (mean.length != c || std.length != c)
            throw new SettingException("mean", "and std need " + c + " values (the model has " + c + " input channels)");
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("source", "import-torch " + checkpoint.toAbsolutePath());
        prov.put("date", Instant.now().toString());
        prov.put("software", org.medmamba.io.Software.describe());
        return new ModelBundle(cfg, labels, imageHeight, imageWidth, mean, std, prov, model.stateDict());
    }

    /** Reads checkpoint and writes the bundle to out (atomically); out may not be the checkpoint. */
    public static ModelBundle convert(Path checkpoint, Path out, int imageHeight, int imageWidth, List<String> labels, float[] mean, float[] std)
            throws MedMambaException {
        OutputPaths.refuseSameFile("out", out, checkpoint);
        ModelBundle b = read(checkpoint, imageHeight, imageWidth, labels, mean, std);
        try {
            b.save(out);
        } catch (IOException e) {
            throw MedMambaException.of(out, e);
        }
        return b;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
