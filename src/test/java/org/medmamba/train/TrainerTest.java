package org.medmamba.train;

import org.medmamba.eval.Metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.data.transform.Augmentation;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.io.SafetensorsFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    static TrainConfig tiny(int epochs, long seed) {
        return new TrainConfig("shapes", "custom", new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 1, 32, 32, epochs, 8, 1,
                3e-3, 0.05, 0.5, 0.0, "auto", 0.0, seed, 0, "auc", 2, false, new float[]{0.5f}, new float[]{0.5f}, Augmentation.SEED);
    }

    @Test
    void learnsASeparableTaskAndWritesTheRunFiles(@TempDir Path dir) throws Exception {
        Shapes ds = new Shapes(24, 10, 32);
        Trainer.Result r = new Trainer(tiny(6, 1), ds, ds.split("train"), ds.split("val"), dir, 2, TrainListener.SILENT, Metrics::validationScore).run(false);
        assertEquals(6, r.epochsDone());
        List<String> lines = Files.readAllLines(dir.resolve(Trainer.METRICS));
        assertEquals(6, lines.size());
        double bestAcc = 0;
        for (String l : lines) bestAcc = Math.max(bestAcc, EpochRecord.fromJson(l).valAccuracy());
        assertTrue(bestAcc >= 0.9, "validation accuracy reached only " + bestAcc + ": " + lines);
        ModelBundle best = ModelBundle.load(dir.resolve(Trainer.BEST));
        assertEquals(List.of("disc", "stripes"), best.labels());
        assertTrue(best.provenance().get("training").contains("val_accuracy"));
        assertEquals(org.medmamba.io.Software.describe(), best.provenance().get("software"));
        assertEquals(org.medmamba.io.Software.commit(), best.provenance().get("commit"));
        assertTrue(best.provenance().get("data_fingerprint").matches("sha256:[0-9a-f]{64}"), best.provenance().toString());
    }

    @Test
    void workerCountDoesNotChangeTheWeights(@TempDir Path dir) throws Exception {
        Shapes ds = new Shapes(8, 4, 32);
        Path a = dir.resolve("a"), b = dir.resolve("b");
        new Trainer(tiny(2, 5), ds, ds.split("train"), ds.split("val"), a, 2, TrainListener.SILENT, Metrics::validationScore).run(false);
        new Trainer(tiny(2, 5), ds, ds.split("train"), ds.split("val"), b, 0, TrainListener.SILENT, Metrics::validationScore).run(false);
        assertArrayEquals(modelBytes(a.resolve(Trainer.LAST)), modelBytes(b.resolve(Trainer.LAST)));
    }

    @Test
    void refusesAnotherConfigurationAndMissingResume(@TempDir Path dir) throws Exception {
        Shapes ds = new Shapes(4, 2, 32);
        new Trainer(tiny(1, 1), ds, ds.split("train"), ds.split("val"), dir, 1, TrainListener.SILENT, Metrics::validationScore).run(false);
        var again = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(tiny(1, 1), ds, ds.split("train"), ds.split("val"), dir, 1, TrainListener.SILENT, Metrics::validationScore).run(false));
        assertTrue(again.getMessage().contains("already holds a run") && again.getMessage().contains("resume it"), again.getMessage());
        var other = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(tiny(1, 2), ds, ds.split("train"), ds.split("val"), dir, 1, TrainListener.SILENT, Metrics::validationScore).run(true));
        assertTrue(other.getMessage().contains("another configuration") && other.getMessage().contains("seed: 2 vs 1"), other.getMessage());
    }

    static byte[] modelBytes(Path ckpt) throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(ckpt)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (String n : new java.util.TreeSet<>(f.names())) {
                out.write(n.getBytes());
                out.write(f.get(n).storage().asSlice(0, Math.min(f.get(n).storage().byteSize(), Integer.MAX_VALUE)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
            return out.toByteArray();
        }
    }
}
