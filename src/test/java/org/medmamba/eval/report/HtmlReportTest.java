package org.medmamba.eval.report;

import org.medmamba.train.EpochRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class HtmlReportTest {
    private static final Instant WHEN = Instant.parse("2026-11-27T03:00:00Z");

    @Test
    void escapesText() {
        assertEquals("&lt;script&gt;&amp;&quot;&#39;", HtmlReport.esc("<script>&\"'"));
        assertEquals("a\uFFFDb", HtmlReport.esc("a\u0000b"));
    }

    @Test
    void dataNeverBecomesMarkup() {
        List<String> labels = List.of("<script>&\"", "b<i>", "c");
        Synthetic s = new Synthetic(labels, 120, 0.6, 8);
        List<String> files = s.files.stream().map(f -> "\"><img src=x onerror=alert(1)>" + f).toList();
        Evaluation ev = Evaluation.compute(labels, s.truth, s.probs, files, 0);
        ModelCard card = new ModelCard("tiny", "<cfg>", 10, 224, 224, 3, new float[3], new float[]{1, 1, 1},
                "data/<x>", "test&", 3, 30, Map.of("<k>", "<v>"));
        String html = HtmlReport.render(ev, card, List.of(), Plots.all(ev, List.of()), WHEN);
        assertFalse(html.contains("<script"), "label injected markup");
        assertFalse(html.contains("<i>"));
        assertFalse(html.contains("<img src=x"));
        assertFalse(html.contains("<cfg>") || html.contains("<x>") || html.contains("<k>") || html.contains("<v>"));
        assertTrue(html.contains("&lt;script&gt;&amp;&quot;"));
        assertTrue(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(html.contains("test&amp;"));
    }

    @Test
    void embedsEveryPlotAndLoadsNothingFromOutside() {
        Synthetic s = new Synthetic(List.of("a", "b", "c"), 200, 1.0, 6);
        Evaluation ev = Evaluation.compute(s.labels, s.truth, s.probs, s.files, 0);
        List<EpochRecord> history = Synthetic.history(4, 2);
        Map<String, byte[]> plots = Plots.all(ev, history);
        String html = HtmlReport.render(ev, ModelCard.unknown("data/x", "test"), history, plots, WHEN);
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"[^>]* data-file=\"([^\"]+)\"").matcher(html);
        int found = 0;
        while (m.find()) {
            assertArrayEquals(plots.get(m.group(2)), Base64.getDecoder().decode(m.group(1)), m.group(2));
            assertTrue(html.contains("href=\"" + m.group(2) + "\""));
            found++;
        }
        assertEquals(5, found); // learning curves, ROC, precision–recall, confusion, calibration
        assertFalse(Pattern.compile("(src|href)=\"(https?:|//)").matcher(html).find());
        assertFalse(html.contains("<script") || html.contains("<link"));
        assertTrue(html.contains("2026-11-27 03:00 UTC"));
        assertTrue(html.contains(org.medmamba.io.Software.nameAndVersion()));
        assertTrue(html.contains("Most confident mistakes"));
        assertEquals(20, html.split("<td class=\"file\">", -1).length - 1);
        assertTrue(html.contains(HtmlReport.pct(ev.metrics().accuracy())));
        assertTrue(html.contains(HtmlReport.num(ev.macroAucCi().low()) + " – " + HtmlReport.num(ev.macroAucCi().high())));

        String noHistory = HtmlReport.render(ev, ModelCard.unknown(null, null), List.of(), Plots.all(ev, List.of()), WHEN);
        assertTrue(noHistory.contains("no learning curves"));
        assertFalse(noHistory.contains(Plots.LEARNING));
    }

    @Test
    void modelCardNamesTheSelectedEpoch() {
        // the trainer's provenance: best.mmb was saved at epoch 2 of a 20-epoch run
        Map<String, String> prov = Map.of("training", "{\"epoch\":2,\"epochs\":20,\"select_by\":\"auc\"}");
        ModelCard card = new ModelCard("tiny", "cfg", 10, 64, 64, 1, new float[1], new float[]{1}, "d", "test", 20, 60, prov);
        assertEquals("epoch 2, best validation auc", card.selection());
        Synthetic s = new Synthetic(List.of("a", "b"), 40, 0.6, 3);
        Evaluation ev = Evaluation.compute(List.of("a", "b"), s.truth, s.probs, s.files, 0);
        String html = HtmlReport.render(ev, card, List.of(), Plots.all(ev, List.of()), WHEN);
        assertTrue(html.contains("20 (model from epoch 2, best validation auc)"), "training epochs row");
        assertNull(ModelCard.unknown(null, null).selection());
        assertNull(new ModelCard(null, null, -1, -1, -1, -1, null, null, null, null, -1, Double.NaN, Map.of("training", "not json")).selection());
    }
}
