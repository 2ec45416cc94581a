package org.medmamba.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class EpochRecordTest {
    @Test
    void jsonlRoundTripsIncludingUnknownValues(@TempDir Path dir) throws IOException {
        List<EpochRecord> h = List.of(new EpochRecord(1, 0.9, 1.1, 0.61, 0.77, 1e-4, 612.5),
                new EpochRecord(2, 0.7, Double.NaN, Double.NaN, Double.NaN, 9.5e-5, 600));
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, h.stream().map(EpochRecord::toJson).collect(Collectors.joining("\n", "", "\n\n")));
        assertEquals(h, EpochRecord.readJsonl(f));
        assertTrue(h.get(1).toJson().contains("\"val_loss\":null"), h.get(1).toJson());
        assertFalse(h.get(0).toJson().contains("\n"));
    }

    @Test
    void missingFileIsEmptyHistoryAndBadLineNamesItsNumber(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), EpochRecord.readJsonl(dir.resolve("none.jsonl")));
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, new EpochRecord(1, 1, 1, 0.5, 0.5, 1e-3, 1).toJson() + "\n{\"loss\": 3}\n");
        IOException e = assertThrows(IOException.class, () -> EpochRecord.readJsonl(f));
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
    }
}
