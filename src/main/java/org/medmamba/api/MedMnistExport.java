package org.medmamba.api;

import org.medmamba.data.IdxDataset;
import org.medmamba.data.NpzWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * IDX files (MNIST, Fashion-MNIST) → a MedMNIST-style .npz: train/val/test_images (N,H,W) uint8 and
 * _labels (N,1) uint8, the layout real MedMNIST files have, so the .npz path is exercised with real
 * data. val is a seeded, class-stratified fraction of the IDX training split; test is t10k.
 * {@code limit} (0 = all) keeps a fixed, class-stratified subset of every split, for quick runs.
 */
public final class MedMnistExport {
    private MedMnistExport() {}

    /** @param counts split → images written */
    public record Result(Path out, int height, int width, int classes, Map<String, Integer> counts) {}

    public static Result write(Path idxFolder, Path out, double valFraction, int limit, long seed) throws MedMambaException {
        if (!(valFraction >= 0 && valFraction < 1)) throw new IllegalArgumentException("val fraction must be in [0, 1), got " + valFraction);
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        IdxDataset d;
        try {
            d = IdxDataset.open(idxFolder);
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(idxFolder, e);
        }
        int k = d.classes().size(), n = d.height() * d.width();
        byte[] trainLabels = d.labels("train"), testLabels = d.labels("test");
        // val: a seeded share of every class of the IDX training split
        Random rnd = new Random(seed);
        List<Integer> tr = new ArrayList<>(), va = new ArrayList<>(), te = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            List<Integer> rows = rowsOf(trainLabels, c);
            java.util.Collections.shuffle(rows, rnd);
            int nVal = (int) Math.round(rows.size() * valFraction);
            va.addAll(rows.subList(0, nVal));
            tr.addAll(rows.subList(nVal, rows.size()));
            te.addAll(rowsOf(testLabels, c));
        }
        Map<String, List<Integer>> splits = new LinkedHashMap<>();
        splits.put("train", tr);
        splits.put("val", va);
        splits.put("test", te);
        NpzWriter w = new NpzWriter();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (var e : splits.entrySet()) {
            String source = e.getKey().equals("test") ? "test" : "train";
            byte[] src = d.pixels(source), labels = d.labels(source);
            List<Integer> rows = e.getValue();
            java.util.Collections.sort(rows);
            if (limit > 0 && rows.size() > limit) rows = stratified(labels, rows, limit, new Random(seed + e.getKey().hashCode()));
            if (rows.isEmpty()) continue;
            byte[] px = new byte[rows.size() * n], lab = new byte[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(src, rows.get(i) * n, px, i * n, n);
                lab[i] = labels[rows.get(i)];
            }
            w.put(e.getKey() + "_images", new NpzWriter.Array(px, rows.size(), d.height(), d.width()));
            w.put(e.getKey() + "_labels", new NpzWriter.Array(lab, rows.size(), 1));
            counts.put(e.getKey(), rows.size());
        }
        try {
            w.write(out);
        } catch (IOException e) {
            throw MedMambaException.of(out, e);
        }
        return new Result(out, d.height(), d.width(), k, counts);
    }

    /** Rows whose label is c, in file order; none when the split is absent. */
    private static List<Integer> rowsOf(byte[] labels, int c) {
        List<Integer> rows = new ArrayList<>();
        if (labels != null) for (int i = 0; i < labels.length; i++) if ((labels[i] & 0xff) == c) rows.add(i);
        return rows;
    }

    /** limit rows, classes in proportion, chosen by a seeded shuffle, returned in file order. */
    private static List<Integer> stratified(byte[] labels, List<Integer> rows, int limit, Random rnd) {
        Map<Integer, List<Integer>> per = new java.util.TreeMap<>();
        for (int r : rows) per.computeIfAbsent(labels[r] & 0xff, x -> new ArrayList<>()).add(r);
        List<Integer> out = new ArrayList<>();
        for (List<Integer> c : per.values()) {
            java.util.Collections.shuffle(c, rnd);
            out.addAll(c.subList(0, (int) Math.min(c.size(), Math.round((double) c.size() * limit / rows.size()))));
        }
        java.util.Collections.sort(out);
        return out;
    }
}
