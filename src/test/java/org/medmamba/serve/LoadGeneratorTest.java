package org.medmamba.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The load generator's bookkeeping against a real (tiny) server: every answer counted once, by kind. */
class LoadGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void countsOkMalformedAndNothingElse() throws Exception {
        try (InferenceServer s = InferenceServer.start(ServeFixtures.settings(Map.of("m", ServeFixtures.bundle(dir, "m", 9))))) {
            byte[] png = Files.readAllBytes(ServeFixtures.PNG);
            assertEquals(200, ServeFixtures.post(s, "/v1/models/m/predict", "image/png", png).statusCode());   // the cold first request
            var r = LoadGenerator.run(new LoadGenerator.Plan("127.0.0.1", s.port(), "/v1/models/m/predict", "image/png", png,
                    Arrays.copyOf(png, 100), 0.5, 4, 1.0), null);
            assertTrue(r.ok() > 0 && r.badOk() > 0, r.line());
            assertEquals(0, r.wrong() + r.dropped() + r.refused() + r.status5xx(), r.line());
            assertEquals(r.ok() + r.badOk(), r.byStatus()[200] + r.byStatus()[400]);
            assertEquals(r.ok(), r.latencyMs().length);
            assertTrue(r.percentileMs(.5) <= r.percentileMs(.99));
            assertEquals(r.latencyMs()[0], r.percentileMs(0.0001));
        }
    }
}
