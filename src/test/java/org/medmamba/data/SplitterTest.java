package org.medmamba.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SplitterTest {
    static List<Sample> samples(int... perClass) {
        List<Sample> s = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++)
            for (int i = 0; i < perClass[c]; i++) {
                Path f = Path.of("/d/c" + c + "/" + i + ".png");
                s.add(new Sample(f, 0, c, "", f.toString()));
            }
        return s;
    }

    static Map<String, String> bySample(List<Sample> split) {
        Map<String, String> m = new HashMap<>();
        for (Sample s : split) m.put(s.file().toString(), s.split());
        return m;
    }

    @Test
    void stratifiedCountsPerClass() {
        List<Sample> in = samples(100, 30, 3, 1, 0);
        List<Sample> out = Splitter.split(in, 5, 0.1, 0.2, 7, Sample::group);
        Map<String, int[]> c = Splitter.counts(out, 5);
        assertEquals(List.of("train", "val", "test"), List.copyOf(c.keySet()));
        assertArrayEquals(new int[]{70, 21, 2, 1, 0}, c.get("train"));
        assertArrayEquals(new int[]{10, 3, 0, 0, 0}, c.get("val"));
        assertArrayEquals(new int[]{20, 6, 1, 0, 0}, c.get("test"));
        for (int i = 0; i < in.size(); i++) {
            assertEquals(in.get(i).file(), out.get(i).file(), "input order is kept");
            assertEquals(in.get(i).label(), out.get(i).label());
        }
        assertThrows(IllegalArgumentException.class, () -> Splitter.split(in, 5, 0.5, 0.5, 0, Sample::group));
    }

    @Test
    void deterministicForASeedAndIndependentOfInputOrder() {
        List<Sample> in = samples(40, 25);
        Map<String, String> a = bySample(Splitter.split(in, 2, 0.2, 0.2, 42, Sample::group));
        assertEquals(a, bySample(Splitter.split(in, 2, 0.2, 0.2, 42, Sample::group)));
        List<Sample> shuffled = new ArrayList<>(in);
        Collections.shuffle(shuffled, new Random(1));
        assertEquals(a, bySample(Splitter.split(shuffled, 2, 0.2, 0.2, 42, Sample::group)));
        assertNotEquals(a, bySample(Splitter.split(in, 2, 0.2, 0.2, 43, Sample::group)));
    }

    @Test
    void groupsNeverStraddleSplitsAndCountForTheirMajorityClass() {
        // 50 patients with 3 images each; patient p is class p % 2, except that patient 0 has one class-1 image
        List<Sample> in = new ArrayList<>();
        for (int p = 0; p < 50; p++)
            for (int k = 0; k < 3; k++) {
                int label = p == 0 && k == 2 ? 1 : p % 2;
                in.add(new Sample(Path.of("/d/P" + p + "_" + k + ".png"), 0, label, "", "unused"));
            }
        var groupOf = (java.util.function.Function<Sample, String>) s -> s.file().getFileName().toString().split("_")[0];
        List<Sample> out = Splitter.split(in, 2, 0.1, 0.2, 3, groupOf);
        Map<String, String> groupSplit = new HashMap<>();
        for (Sample s : out) {
            assertEquals(groupOf.apply(s), s.group());
            String prev = groupSplit.putIfAbsent(s.group(), s.split());
            if (prev != null) assertEquals(prev, s.split(), "group " + s.group() + " is split");
        }
        // 25 groups per class: round(5) = 5 test, round(2.5) = 3 val, 17 train
        int[] groups = new int[3];
        for (String sp : groupSplit.values()) groups[List.of("train", "val", "test").indexOf(sp)]++;
        assertArrayEquals(new int[]{34, 6, 10}, groups);
        assertEquals(150, out.size());
    }
}
