package org.medmamba.train;

import org.medmamba.data.Dataset;
import org.medmamba.data.image.Image;
import org.medmamba.data.Sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A clearly separable two-class toy set for training tests: "disc" images hold a bright disc,
 * "stripes" images bright horizontal stripes, both at random positions/phases with noise.
 */
final class Shapes implements Dataset {
    private final List<Sample> samples = new ArrayList<>();
    private final int size;

    Shapes(int perClassTrain, int perClassVal, int size) {
        this.size = size;
        int id = 0;
        for (String split : new String[]{"train", "val"})
            for (int i = 0; i < (split.equals("train") ? perClassTrain : perClassVal); i++)
                for (int c = 0; c < 2; c++) samples.add(new Sample(Path.of(split + "-" + c + "-" + i + ".png"), id++, c, split, "g" + id));
    }

    public List<String> classes() {
        return List.of("disc", "stripes");
    }

    public List<Sample> samples() {
        return samples;
    }

    List<Sample> split(String s) {
        return samples.stream().filter(x -> x.split().equals(s)).toList();
    }

    public Image load(Sample s) {
        SplittableRandom r = new SplittableRandom(s.index() * 7919L);
        int n = size;
        float[] d = new float[n * n];
        double cx = n * (0.3 + 0.4 * r.nextDouble()), cy = n * (0.3 + 0.4 * r.nextDouble()), phase = r.nextDouble() * 6;
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                double v = s.label() == 0 ? (Math.hypot(x - cx, y - cy) < n / 5.0 ? 0.9 : 0.1)
                        : (Math.sin(y * 0.8 + phase) > 0 ? 0.9 : 0.1);
                d[y * n + x] = (float) Math.min(1, Math.max(0, v + 0.05 * r.nextGaussian()));
            }
        return new Image(1, n, n, d);
    }
}
