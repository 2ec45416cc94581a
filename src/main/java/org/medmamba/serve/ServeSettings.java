package org.medmamba.serve;

import org.medmamba.io.SettingException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code ./medmamba serve} was told; validates itself.
 *
 * @param models          name → bundle file, in the order given
 * @param host            address to bind (127.0.0.1 unless told otherwise)
 * @param port            0 picks a free port
 * @param maxBatch        most images per forward pass
 * @param maxWaitMs       longest the first image of a batch waits for others
 * @param queue           most images waiting or running per model; beyond it, 429
 * @param maxBodyBytes    largest request body; a larger Content-Length is refused before reading
 * @param tokenFile       bearer tokens (one per line, "ID:TOKEN" or "TOKEN"); null: no auth
 * @param tlsKeystore     PKCS#12 keystore; null: plain HTTP
 * @param tlsPassword     its password (from --tls-password-file)
 * @param auditLog        JSON-lines audit log; null: none
 * @param drain           how long SIGTERM waits for in-flight requests
 */
public record ServeSettings(Map<String, Path> models, String host, int port, int maxBatch, int maxWaitMs, int queue,
                            long maxBodyBytes, Path tokenFile, Path tlsKeystore, String tlsPassword, Path auditLog,
                            Duration drain) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public ServeSettings {
        models = new LinkedHashMap<>(models);
        if (models.isEmpty()) throw new SettingException("model", "give at least one model");
        for (String n : models.keySet())
            if (!n.matches("[A-Za-z0-9._-]{1,64}")) throw new SettingException("model", "name '" + n + "' must be 1-64 of A-Z a-z 0-9 . _ -");
        if (host == null || host.isBlank()) throw new SettingException("host", "must not be empty");
        if (port < 0 || port > 65535) throw new SettingException("port", "must be 0..65535, got " + port);
        if (maxBatch < 1) throw new SettingException("maxBatch", "must be >= 1, got " + maxBatch);
        if (maxWaitMs < 0) throw new SettingException("maxWaitMs", "must be >= 0, got " + maxWaitMs);
        if (queue < maxBatch) throw new SettingException("queue", "must be >= --max-batch (" + maxBatch + "), got " + queue);
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 16) throw new SettingException("maxBodyMb", "must be 1 B .. 2 GB");
        if (tlsKeystore != null && tlsPassword == null) throw new SettingException("tlsPasswordFile", "is needed with --tls-keystore");
        if (drain == null || drain.isNegative()) throw new SettingException("drain", "must be >= 0");
    }

    /** The defaults of {@code ./medmamba serve} for these models. */
    public static ServeSettings defaults(Map<String, Path> models) {
        return new ServeSettings(models, DEFAULT_HOST, 8080, 16, 5, 256, 64L << 20, null, null, null, null, Duration.ofSeconds(30));
    }

    public ServeSettings withPort(int p) {
        return new ServeSettings(models, host, p, maxBatch, maxWaitMs, queue, maxBodyBytes, tokenFile, tlsKeystore, tlsPassword, auditLog, drain);
    }
}
