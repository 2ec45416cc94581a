package org.medmamba.explain;

import org.medmamba.data.Dataset;
import org.medmamba.data.ImageFiles;
import org.medmamba.data.Sample;
import org.medmamba.data.image.Image;
import org.medmamba.testing.Shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A dataset whose class only a small marker decides (Adebayo et al.'s data check): every image is
 * a random crop of a real MR slice (the ITK brain fixture: crop, flip, brightness differ); class
 * "marker" images also hold an 8 × 8 white square (the slice is dimmed to at most 0.6) at a random
 * place inside one quadrant, {@link #quadrant} says which. Deterministic per sample index.
 */
final class MarkerImages implements Dataset {
    static final int MARKER = 8;
    private static final Image BRAIN;

    static {
        try {
            BRAIN = ImageFiles.read(Shared.FIXTURES.resolve("images/itk/BrainT1Slice.png")).toChannels(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final int size;
    private final List<Sample> samples = new ArrayList<>();

    /** perClass images of each class in each of train, val and test. */
    MarkerImages(int size, int perClassTrain, int perClassVal, int perClassTest) {
        this.size = size;
        int id = 0;
        for (String split : List.of("train", "val", "test")) {
            int n = split.equals("train") ? perClassTrain : split.equals("val") ? perClassVal : perClassTest;
            for (int i = 0; i < n; i++)
                for (int c = 0; c < 2; c++) samples.add(new Sample(Path.of(split + "-" + c + "-" + i + ".png"), id++, c, split, "g" + id));
        }
    }

    @Override
    public List<String> classes() {
        return List.of("plain", "marker");
    }

    @Override
    public List<Sample> samples() {
        return samples;
    }

    List<Sample> split(String s) {
        return samples.stream().filter(x -> x.split().equals(s)).toList();
    }

    /** The quadrant (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) of a marker sample's marker. */
    static int quadrant(Sample s) {
        return new SplittableRandom(s.index() * 7919L + 1).nextInt(4);
    }

    /** The quadrant of pixel (y, x) of a size × size image. */
    static int quadrantOf(int y, int x, int size) {
        return (y >= size / 2 ? 2 : 0) + (x >= size / 2 ? 1 : 0);
    }

    @Override
    public Image load(Sample s) {
        SplittableRandom r = new SplittableRandom(s.index() * 7919L);
        int bh = BRAIN.height(), bw = BRAIN.width();
        double scale = 0.6 + 0.4 * r.nextDouble();
        int ch = (int) (bh * scale), cw = (int) (bw * scale), y0 = r.nextInt(bh - ch + 1), x0 = r.nextInt(bw - cw + 1);
        boolean flip = r.nextBoolean();
        float gain = (float) (0.4 + 0.2 * r.nextDouble());   // the slice at most 0.6 bright, the marker 1
        float[] crop = new float[ch * cw];
        for (int y = 0; y < ch; y++)
            for (int x = 0; x < cw; x++) crop[y * cw + x] = gain * BRAIN.data()[(y0 + y) * bw + x0 + (flip ? cw - 1 - x : x)];
        float[] d = new Image(1, ch, cw, crop).resize(size, size).data().clone();
        if (s.label() == 1) {
            int q = quadrant(s), half = size / 2, margin = 1;
            int my = (q / 2) * half + margin + r.nextInt(half - MARKER - 2 * margin + 1);
            int mx = (q % 2) * half + margin + r.nextInt(half - MARKER - 2 * margin + 1);
            for (int y = 0; y < MARKER; y++)
                for (int x = 0; x < MARKER; x++) {
                    d[(my + y) * size + mx + x] = 1f;
                }
        }
        for (int i = 0; i < d.length; i++) d[i] = Math.min(1f, Math.max(0f, d[i]));
        return new Image(1, size, size, d);
    }
}
