package org.medmamba.eval.report;

import org.medmamba.train.EpochRecord;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PlotsTest {
    static void assertPng(byte[] png) throws IOException {
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, java.util.Arrays.copyOf(png, 8));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img);
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
        assertEquals(0xffffff, img.getRGB(2, 2) & 0xffffff, "white background");
    }

    @Test
    void allPlotsAreValidPngsOfTheExpectedSize() throws IOException {
        assertEquals("true", System.getProperty("java.awt.headless", "true"));
        Synthetic s = new Synthetic(List.of("a", "b", "c"), 150, 1.2, 1);
        Evaluation ev = Evaluation.compute(s.labels, s.truth, s.probs, s.files, 0);
        Map<String, byte[]> plots = Plots.all(ev, Synthetic.history(5, 1));
        assertEquals(List.of(Plots.LEARNING, Plots.ROC, Plots.PR, Plots.CONFUSION, Plots.CALIBRATION), List.copyOf(plots.keySet()));
        for (byte[] png : plots.values()) assertPng(png);
        assertEquals(List.of(Plots.ROC, Plots.PR, Plots.CONFUSION, Plots.CALIBRATION), List.copyOf(Plots.all(ev, List.of()).keySet()));
    }

    @Test
    void degenerateInputsStillDraw() throws IOException {
        // 12 classes with long, colliding labels, one class absent (no ROC curve), a history with gaps
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < 12; c++) labels.add("a very long class label that collides " + (c < 11 ? "" : "x"));
        labels.set(0, "<script>&\"");
        Synthetic s = new Synthetic(labels, 400, 1.5, 3);
        for (int i = 0; i < s.truth.length; i++) if (s.truth[i] == 11) s.truth[i] = 0;
        Evaluation ev = Evaluation.compute(labels, s.truth, s.probs, s.files, 0);
        List<EpochRecord> h = List.of(new EpochRecord(1, 1.0, Double.NaN, Double.NaN, Double.NaN, 1e-3, 1),
                new EpochRecord(2, 0.8, Double.NaN, Double.NaN, Double.NaN, 1e-3, 1));
        for (byte[] png : Plots.all(ev, h).values()) assertPng(png);
        assertPng(Plots.learningCurves(List.of(new EpochRecord(1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0))));
    }
}
