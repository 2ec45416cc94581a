package org.medmamba.serve;

import org.medmamba.api.Classifier;
import org.medmamba.api.Explainer;
import org.medmamba.api.MedMambaException;
import org.medmamba.data.image.Image;
import org.medmamba.io.Limits;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One named model as it is served: the current {@link Version}, swapped whole by {@link #reload}
 * (requests already queued finish on the version they were prepared for, so none is dropped).
 */
final class ServedModel {
    /** A loaded, warmed-up bundle and what /v1/models says about it. */
    record Version(Classifier classifier, String sha256, Instant loadedAt) {}

    final String name;
    final Path file;
    private volatile Version current;

    private ServedModel(String name, Path file, Version v) {
        this.name = name;
        this.file = file;
        this.current = v;
    }

    static ServedModel load(String name, Path file) throws MedMambaException {
        return new ServedModel(name, file, loadVersion(file));
    }

    Version current() {
        return current;
    }

    /** Loads the file again (it may have been replaced on disk); the old version stays if this throws. */
    /** An explainer for a version, built on first use (a second copy of the network: gradients record on it). */
    synchronized Explainer explainer(Version v) {
        if (explainerFor != v) {
            explainer = Explainer.of(v.classifier().bundle(), file);
            explainerFor = v;
        }
        return explainer;
    }

    private Version explainerFor;
    private Explainer explainer;

    synchronized Version reload() throws MedMambaException {
        Version v = loadVersion(file);
        current = v;
        return v;
    }

    private static Version loadVersion(Path file) throws MedMambaException {
        byte[] bytes;
        try {
            bytes = Limits.current().readAllBytes(file);
        } catch (IOException e) {
            throw new MedMambaException(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), null);
        }
        String sha = HexFormat.of().formatHex(Tokens.sha256(bytes));
        Classifier c = Classifier.load(file);
        warmUp(c);
        return new Version(c, sha, Instant.now());
    }

    /** One forward pass on a blank image, so the first request does not pay for class loading and JIT. */
    private static void warmUp(Classifier c) {
        var b = c.bundle();
        int ch = b.config().inChans(), h = b.imageHeight(), w = b.imageWidth();
        c.predictPrepared(List.of(new Image(ch, h, w, new float[ch * h * w])));
    }
}
