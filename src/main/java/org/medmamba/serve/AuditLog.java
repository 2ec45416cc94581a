package org.medmamba.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.api.MedMambaException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The audit log: one JSON object per line, appended and flushed per request. It holds only what
 * {@link InferenceServer} puts in an {@link ObjectNode}: time, request id, client address, token id,
 * model, status, result labels and probabilities, latency, SHA-256 of the body — never pixels, file
 * names or DICOM tags (an uploaded file's name can itself carry a patient name).
 */
final class AuditLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final OutputStream out;

    AuditLog(Path file) throws MedMambaException {
        this.file = file;
        try {
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new MedMambaException(file, "cannot open the audit log (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    ObjectNode entry() {
        return JSON.createObjectNode();
    }

    synchronized void write(ObjectNode e) {
        try {
            out.write((JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ex) {
            System.err.println("medmamba: " + file + ": cannot write the audit log (" + ex.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing at shutdown: nothing left to tell
        }
    }
}
