package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a bundle with the API's error: the file named, "no such file" when it is missing. */
final class Bundles {
    private Bundles() {}

    static ModelBundle load(Path path) throws MedMambaException {
        try {
            org.medmamba.io.BadFileException.requireRegularFile(path);
        } catch (org.medmamba.io.BadFileException e) {
            throw MedMambaException.of(path, e);
        }
        try {
            return ModelBundle.load(path);
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(path, e);
        }
    }
}
