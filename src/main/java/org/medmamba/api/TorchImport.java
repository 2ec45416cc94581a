package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.io.BadFileException;
import org.medmamba.io.Limits;
import org.medmamba.io.OutputPaths;
import org.medmamba.io.SettingException;
import org.medmamba.io.StateDicts;
import org.medmamba.io.StoredTensor;
import org.medmamba.io.TorchCheckpoint;
import org.medmamba.model.ConfigInference;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
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
            checkDeclaredNetwork(checkpoint, cfg, stored.values());
            model = new MedMamba(cfg, 0);
            model.loadStateDict(StateDicts.toEngine(stored));
        } catch (IllegalArgumentException | BadFileException e) {
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

    /**
     * The inferred network fits the limits and the checkpoint really holds its values, checked
     * before the module is built. Values are counted once per storage as well as per tensor, and
     * the smaller count wins: many views of one storage are not many values.
     */
    static void checkDeclaredNetwork(Path file, MedMambaConfig cfg, Collection<StoredTensor> tensors) throws BadFileException {
        long perTensor = 0, perStorage = 0;
        Set<MemorySegment> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (StoredTensor t : tensors) {
            perTensor += t.size();
            if (seen.add(t.storage())) perStorage += t.storage().byteSize() / t.dtype().bytes;
        }
        int blocks = 0, widest = 0;
        for (int d : cfg.depths()) blocks += d;
        for (int d : cfg.dims()) widest = Math.max(widest, d);
        Limits.current().checkNetwork(file, widest, blocks, cfg.parameterCount(), Math.min(perTensor, perStorage));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
