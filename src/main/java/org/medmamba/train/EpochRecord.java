package org.medmamba.train;

import org.medmamba.io.JsonNumbers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One training epoch, one JSON object per line of the trainer's metrics.jsonl. Unknown numbers are
 * NaN in Java and null in JSON.
 *
 * @param seconds wall-clock time of the epoch (training plus validation)
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double valAccuracy, double valAuc,
                          double lr, double seconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of JSON, without the newline. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", epoch);
        JsonNumbers.put(o, "train_loss", trainLoss);
        JsonNumbers.put(o, "val_loss", valLoss);
        JsonNumbers.put(o, "val_accuracy", valAccuracy);
        JsonNumbers.put(o, "val_auc", valAuc);
        JsonNumbers.put(o, "lr", lr);
        JsonNumbers.put(o, "seconds", seconds);
        return o.toString();
    }

    public static EpochRecord fromJson(String line) throws IOException {
        JsonNode o = JSON.readTree(line);
        if (o == null || !o.isObject() || !o.path("epoch").canConvertToInt())
            throw new IOException("not an epoch record: " + line);
        return new EpochRecord(o.get("epoch").asInt(), num(o, "train_loss"), num(o, "val_loss"),
                num(o, "val_accuracy"), num(o, "val_auc"), num(o, "lr"), num(o, "seconds"));
    }

    /** Reads metrics.jsonl, skipping blank lines; a missing file is an empty history. */
    public static List<EpochRecord> readJsonl(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        List<EpochRecord> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (line.isBlank()) continue;
            try {
                out.add(fromJson(line));
            } catch (IOException e) {
                throw new IOException(file + ":" + n + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    private static double num(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }
}
