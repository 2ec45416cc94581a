package org.medmamba.data;

import org.medmamba.io.SettingException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Stratified train/val/test assignment. Samples are first gathered into groups (a patient, a volume, or
 * one image each); each group counts for its majority class (ties: the lower class index), and within
 * each class the groups are shuffled with {@code SplittableRandom(seed)} and cut into
 * round(n·test) test, round(n·val) val and the rest train, keeping at least one train group per class.
 * So a group never straddles two splits, and the same seed always gives the same split.
 */
public final class Splitter {
    private Splitter() {}

    /** The samples in their original order with {@code split} set; {@code groupOf} names each sample's group. */
    public static List<Sample> split(List<Sample> samples, int numClasses, double val, double test, long seed,
                                     Function<Sample, String> groupOf) {
        if (val < 0 || test < 0 || val + test >= 1)
            throw new SettingException("val", "and test must be >= 0 with val + test < 1 (got " + val + " and " + test + ")");
        Map<String, List<Integer>> groups = new LinkedHashMap<>(); // group → sample indices, first-seen order
        for (int i = 0; i < samples.size(); i++) groups.computeIfAbsent(groupOf.apply(samples.get(i)), k -> new ArrayList<>()).add(i);
        // majority class of each group; groups per class sorted by name so the input order does not matter
        List<List<String>> perClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) perClass.add(new ArrayList<>());
        for (var e : groups.entrySet()) {
            int[] votes = new int[numClasses];
            for (int i : e.getValue()) votes[samples.get(i).label()]++;
            int best = 0;
            for (int c = 1; c < numClasses; c++) if (votes[c] > votes[best]) best = c;
            perClass.get(best).add(e.getKey());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, String> splitOf = new HashMap<>();
        for (List<String> g : perClass) {
            g.sort(Comparator.naturalOrder());
            for (int i = g.size() - 1; i > 0; i--) { // Fisher–Yates
                int j = rng.nextInt(i + 1);
                String t = g.get(i);
                g.set(i, g.get(j));
                g.set(j, t);
            }
            int n = g.size();
            int nTest = (int) Math.round(n * test), nVal = (int) Math.round(n * val);
            while (n > 0 && nTest + nVal > n - 1) { // keep one group for training
                if (nVal >= nTest && nVal > 0) nVal--;
                else nTest--;
            }
            for (int k = 0; k < n; k++) splitOf.put(g.get(k), k < nTest ? "test" : k < nTest + nVal ? "val" : "train");
        }
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            String gname = groupOf.apply(s);
            out.add(new Sample(s.file(), s.index(), s.label(), splitOf.get(gname), gname));
        }
        return out;
    }

    /** Count per class (rows) and split (columns: train, val, test, then "" when present). */
    public static Map<String, int[]> counts(List<Sample> samples, int numClasses) {
        Map<String, int[]> m = new TreeMap<>(Comparator.comparingInt(s -> switch (s) {
            case "train" -> 0;
            case "val" -> 1;
            case "test" -> 2;
            default -> 3;
        }));
        for (Sample s : samples) m.computeIfAbsent(s.split(), k -> new int[numClasses])[s.label()]++;
        return m;
    }
    /** Below these a validation set cannot tell models apart: one image more or less right swings accuracy by >= 5 points. */
    public static final int MIN_VAL_IMAGES = 20, MIN_VAL_PER_CLASS = 2;

    /** Whether val has fewer than {@link #MIN_VAL_IMAGES} images or some class fewer than {@link #MIN_VAL_PER_CLASS}. */
    public static boolean tooSmallToSelect(List<Sample> val, int numClasses) {
        int[] c = new int[numClasses];
        for (Sample s : val) c[s.label()]++;
        for (int n : c) if (n < MIN_VAL_PER_CLASS) return true;
        return val.size() < MIN_VAL_IMAGES;
    }

    /**
     * What a split cannot measure: classes without val (or test, when test is not null) images, and a
     * validation set too small to select a model on; nothing about an empty val. One sentence each, without "warning:".
     */
    public static List<String> warnings(List<String> classes, List<Sample> val, List<Sample> test) {
        List<String> out = new ArrayList<>();
        if (!val.isEmpty()) absent(classes, val, "validation").ifPresent(out::add);
        if (test != null) absent(classes, test, "test").ifPresent(out::add);
        if (!val.isEmpty() && tooSmallToSelect(val, classes.size())) {
            int[] c = new int[classes.size()];
            for (Sample s : val) c[s.label()]++;
            int min = java.util.Arrays.stream(c).min().orElse(0);
            out.add(String.format(java.util.Locale.ROOT, "the validation set is too small to select a model on: %d images, %d in its"
                    + " smallest class (want >= %d, and >= %d per class)", val.size(), min, MIN_VAL_IMAGES, MIN_VAL_PER_CLASS));
        }
        return out;
    }

    private static java.util.Optional<String> absent(List<String> classes, List<Sample> part, String name) {
        boolean[] seen = new boolean[classes.size()];
        for (Sample s : part) seen[s.label()] = true;
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < seen.length; c++) if (!seen[c]) missing.add("'" + classes.get(c) + "'");
        if (missing.isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of((missing.size() == 1 ? "class " + missing.getFirst() + " has" : "classes " + String.join(", ", missing) + " have")
                + " no " + name + " images (nothing there measures " + (missing.size() == 1 ? "it" : "them") + ")");
    }
}
