package org.medmamba.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReportTest {
    @Test
    void writesJsonHtmlAndTheEmbeddedPngs(@TempDir Path tmp) throws IOException {
        Synthetic s = new Synthetic(List.of("a", "b", "c"), 100, 1.0, 12);
        Evaluation ev = Evaluation.compute(s.labels, s.truth, s.probs, s.files, 0);
        Path dir = tmp.resolve("out/report");
        Path html = Report.write(dir, ev, ModelCard.unknown("d", "test"), Synthetic.history(3, 1));
        assertEquals(dir.resolve(Report.HTML), html);
        String page = Files.readString(html);
        for (String name : List.of(Plots.LEARNING, Plots.ROC, Plots.PR, Plots.CONFUSION, Plots.CALIBRATION)) {
            byte[] png = Files.readAllBytes(dir.resolve(name));
            PlotsTest.assertPng(png);
            assertTrue(page.contains(Base64.getEncoder().encodeToString(png)), name + " embedded as written");
        }
        assertEquals(ev.metrics().accuracy(), new ObjectMapper().readTree(dir.resolve(Report.METRICS).toFile()).get("accuracy").asDouble(), 0);
        try (var files = Files.list(dir)) {
            assertEquals(8, files.count(), "no temporary files left behind"); // 5 PNGs, metrics.json, predictions.csv, report.html
        }
    }
}
