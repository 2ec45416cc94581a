package org.medmamba.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class DatasetScanTest {
    @TempDir
    Path tmp;

    static void png(Path p, int w, int h, int type) throws IOException {
        Files.createDirectories(p.getParent());
        ImageIO.write(new BufferedImage(w, h, type), "png", p.toFile());
    }

    static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList())
                m.put(root.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
        return m;
    }

    @Test
    void badFilesFailOrAreSkippedAndNothingIsWritten() throws Exception {
        for (int i = 0; i < 5; i++) png(tmp.resolve("a/" + i + ".png"), 8, 6, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 3; i++) png(tmp.resolve("b/" + i + ".png"), 10, 10, BufferedImage.TYPE_INT_RGB);
        Files.write(tmp.resolve("b/corrupt.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Files.writeString(tmp.resolve("a/text.jpg"), "not a jpeg");
        Map<String, String> before = hashes(tmp);

        Dataset d = ImageFolderDataset.open(tmp);
        List<int[]> progress = new ArrayList<>();
        DatasetScan.Result r = DatasetScan.scan(d, 3, (done, total) -> progress.add(new int[]{done, total}));
        assertEquals(10, r.total());
        assertEquals(10, progress.size());
        assertArrayEquals(new int[]{10, 10}, progress.getLast());
        assertEquals(List.of(tmp.resolve("a/text.jpg"), tmp.resolve("b/corrupt.png")), r.bad().stream().map(b -> b.sample().file()).toList());
        assertFalse(r.bad().getFirst().reason().contains(tmp.toString()), "the reason does not repeat the path");
        assertEquals(Map.of(new DatasetScan.Size(6, 8), 5, new DatasetScan.Size(10, 10), 3), r.sizes());
        assertEquals("6x8", r.sizes().keySet().iterator().next().toString(), "most frequent size first");
        assertEquals(Map.of(1, 5, 3, 3), r.channels());

        IOException e = assertThrows(IOException.class, () -> DatasetScan.check(d, DatasetScan.OnBadFile.FAIL, 2, null));
        assertTrue(e.getMessage().startsWith("2 files do not decode (first: " + tmp.resolve("a/text.jpg") + ": "), e.getMessage());
        assertTrue(e.getMessage().lines().findFirst().orElseThrow().endsWith("); skipping bad files trains without them"), e.getMessage());
        assertTrue(e.getMessage().contains("\n2 files do not decode:\n  " + tmp.resolve("a/text.jpg") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("\n  " + tmp.resolve("b/corrupt.png") + ": "), e.getMessage());

        DatasetScan.Checked c = DatasetScan.check(d, DatasetScan.OnBadFile.SKIP, 2, null);
        assertEquals(2, c.skipped());
        assertEquals(8, c.dataset().samples().size());
        assertEquals(d.classes(), c.dataset().classes());
        assertTrue(c.dataset().samples().stream().noneMatch(s -> s.file().getFileName().toString().matches("text.jpg|corrupt.png")));
        assertEquals(before, hashes(tmp), "the dataset is byte-identical after scanning");
    }

    @Test
    void describeListsTwentyThenCounts() {
        List<DatasetScan.BadFile> bad = new ArrayList<>();
        for (int i = 0; i < 25; i++) bad.add(new DatasetScan.BadFile(new Sample(Path.of("f" + i + ".png"), 0, 0, "", ""), "broken"));
        String s = DatasetScan.describe(bad, 20);
        assertEquals(22, s.lines().count());
        assertTrue(s.startsWith("25 files do not decode:\n  f0.png: broken\n"));
        assertTrue(s.endsWith("\n  f19.png: broken\n  ... and 5 more"));
    }
}
