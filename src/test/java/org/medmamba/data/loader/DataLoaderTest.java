package org.medmamba.data.loader;

import org.junit.jupiter.api.Test;
import org.medmamba.data.Dataset;
import org.medmamba.data.image.Image;
import org.medmamba.data.Sample;
import org.medmamba.data.transform.Augmentation;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {
    /** n synthetic images of varying size whose pixels encode their index; sample "bad" fails. */
    static final class Synthetic implements Dataset {
        final List<Sample> samples = new ArrayList<>();
        final AtomicInteger loads = new AtomicInteger();
        final int bad;

        Synthetic(int n, int bad) {
            this.bad = bad;
            for (int i = 0; i < n; i++) samples.add(new Sample(Path.of("img" + i + ".png"), 0, i % 3, "train", "g" + i));
        }

        public List<String> classes() {
            return List.of("a", "b", "c");
        }

        public List<Sample> samples() {
            return samples;
        }

        public Image load(Sample s) throws IOException {
            loads.incrementAndGet();
            int i = samples.indexOf(s);
            if (i == bad) throw new BadFileException(s.file(), "corrupt PNG data");
            int h = 20 + i % 7, w = 24 + i % 5;
            float[] d = new float[3 * h * w];
            for (int k = 0; k < d.length; k++) d[k] = ((i * 31 + k) % 97) / 96f;
            return new Image(3, h, w, d);
        }
    }

    static List<float[]> collect(DataLoader l, int epoch, List<int[]> labels, List<int[]> idx) {
        List<float[]> out = new ArrayList<>();
        try (Epoch e = l.epoch(epoch)) {
            while (e.hasNext()) {
                Batch b = e.next();
                out.add(Arrays.copyOf(b.images(), b.size() * 3 * 16 * 16));
                labels.add(Arrays.copyOf(b.labels(), b.size()));
                idx.add(Arrays.copyOf(b.indices(), b.size()));
            }
        }
        return out;
    }

    @Test
    void batchesAreIdenticalForAnyWorkerCount() {
        Synthetic ds = new Synthetic(23, -1);
        Preprocessing p = Preprocessing.imagenet(3, 16, 16, Augmentation.SEED);
        List<float[]> ref = null;
        for (int workers : new int[]{0, 1, 3}) {
            for (int prefetch : new int[]{1, 4}) {
                List<int[]> labels = new ArrayList<>(), idx = new ArrayList<>();
                List<float[]> got = collect(new DataLoader(ds, ds.samples(), p, 5, true, false, 7, workers, prefetch), 2, labels, idx);
                assertEquals(5, got.size());
                if (ref == null) ref = got;
                for (int b = 0; b < got.size(); b++) assertArrayEquals(ref.get(b), got.get(b), 0f, "workers " + workers);
                int[] seen = idx.stream().flatMapToInt(Arrays::stream).sorted().toArray();
                assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(), seen, "each sample once");
                for (int b = 0; b < idx.size(); b++)
                    for (int s = 0; s < idx.get(b).length; s++) assertEquals(idx.get(b)[s] % 3, labels.get(b)[s]);
            }
        }
    }

    @Test
    void epochsShuffleDifferentlyAndDropLastDrops() {
        Synthetic ds = new Synthetic(23, -1);
        Preprocessing p = Preprocessing.imagenet(3, 16, 16, null);
        DataLoader l = new DataLoader(ds, ds.samples(), p, 5, true, true, 7, 2, 2);
        List<int[]> i0 = new ArrayList<>(), i1 = new ArrayList<>();
        assertEquals(4, collect(l, 0, new ArrayList<>(), i0).size());
        collect(l, 1, new ArrayList<>(), i1);
        assertFalse(Arrays.deepEquals(i0.toArray(), i1.toArray()));
        DataLoader inOrder = new DataLoader(ds, ds.samples(), p, 10, false, false, 7, 2, 2);
        List<int[]> i2 = new ArrayList<>();
        collect(inOrder, 0, new ArrayList<>(), i2);
        assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(), i2.stream().flatMapToInt(Arrays::stream).toArray());
    }

    @Test
    void workersStayWithinThePrefetchRing() throws Exception {
        Synthetic ds = new Synthetic(40, -1);
        DataLoader l = new DataLoader(ds, ds.samples(), Preprocessing.imagenet(3, 16, 16, null), 4, false, false, 1, 2, 2);
        try (Epoch e = l.epoch(0)) {
            e.next();
            Thread.sleep(300); // give workers time to run ahead as far as they may
            assertTrue(ds.loads.get() <= 3 * 4, "loaded " + ds.loads.get() + " images with 1 consumed batch and a ring of 2");
        }
    }

    @Test
    void aBadFileStopsTheEpochWithItsName() {
        Synthetic ds = new Synthetic(12, 6);
        DataLoader l = new DataLoader(ds, ds.samples(), Preprocessing.imagenet(3, 16, 16, null), 4, false, false, 1, 2, 2);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> {
            try (Epoch ep = l.epoch(0)) {
                while (ep.hasNext()) ep.next();
            }
        });
        assertEquals("img6.png: corrupt PNG data", e.getCause().getMessage());
    }
}
