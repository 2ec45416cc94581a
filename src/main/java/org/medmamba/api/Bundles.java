package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a bundle with the API's error: the file named, "no such file" when it is missing. */
final class Bundles {
    private Bundles() {}

    static ModelBundle load(Path path) throws MedMambaException {
        if (!Files.exists(path)) throw new MedMambaException(path, "no such file", null);
        try {
            return ModelBundle.load(path);
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(path, e);
        }
    }
}
