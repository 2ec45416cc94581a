package org.medmamba.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.api.DataSource;
import org.medmamba.api.MedMambaException;
import org.medmamba.api.Training;
import org.medmamba.io.FolderLock;
import org.medmamba.train.TrainListener;
import org.medmamba.train.Trainer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Run and report folders: the run lock, same-file refusals, all-or-nothing reports, repair and clean-up at start. */
class RunFoldersTest {
    @TempDir
    static Path shared;
    static Path data, run;

    @TempDir
    Path tmp;

    static String[] trainArgs(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--depths", "1,1,1,1", "--dims", "8,16,32,64",
                "--d-state", "4", "--image-size", "32", "--epochs", "2", "--batch-size", "4", "--threads", "1", "--workers", "1",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        data = shared.resolve("data");
        for (String split : new String[]{"train", "val"})
            for (String cls : new String[]{"a", "b"}) {
                Path d = Files.createDirectories(data.resolve(split).resolve(cls));
                for (int i = 0; i < (split.equals("train") ? 6 : 2); i++) {
                    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 32; y++)
                        for (int x = 0; x < 32; x++) img.getRaster().setSample(x, y, 0, (cls.equals("a") ? x : y) * 8 + i);
                    ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
                }
            }
        run = shared.resolve("run");
        CliTest.Run r = CliTest.run(trainArgs(run));
        assertEquals(0, r.code(), r.err());
    }

    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) m.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return m;
    }

    static void assertSameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
    }

    static Path copyRun(Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : List.of(Trainer.LAST, Trainer.BEST, Trainer.METRICS)) Files.copy(run.resolve(f), to.resolve(f));
        return to;
    }

    @Test
    void aSecondRunIntoALockedFolderIsRefusedWithTheHoldersPid() throws Exception {
        Path dir = tmp.resolve("run");
        CountDownLatch locked = new CountDownLatch(1), refused = new CountDownLatch(1);
        AtomicReference<Throwable> firstFailed = new AtomicReference<>();
        TrainListener holding = new TrainListener() {
            @Override
            public void batch(int epoch, int epochs, int done, int total, double imagesPerS, double loss) {
                if (locked.getCount() == 0) return;
                locked.countDown(); // inside Trainer.run: the lock is held
                try {
                    assertTrue(refused.await(120, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        Thread first = new Thread(() -> {
            try {
                builder(dir).listener(holding).run();
            } catch (Throwable t) {
                firstFailed.set(t);
                locked.countDown();
            }
        });
        first.start();
        assertTrue(locked.await(120, TimeUnit.SECONDS));
        try {
            MedMambaException e = assertThrows(MedMambaException.class, () -> builder(dir).run());
            assertEquals(dir + ": is in use by another run (process " + ProcessHandle.current().pid()
                    + "); wait for it to end or choose another folder", e.getMessage());
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(FolderLock.FILE)));
        } finally {
            refused.countDown();
            first.join(120_000);
        }
        assertNull(firstFailed.get());
        assertEquals(2, Files.readAllLines(dir.resolve(Trainer.METRICS)).size(), "the first run finished undisturbed");
        // released at the end: resuming the finished run takes the lock again
        assertEquals("", Files.readString(dir.resolve(FolderLock.FILE)));
        assertEquals(2, builder(dir).resume(true).run().train().epochsDone());
    }

    static Training.Builder builder(Path dir) {
        return Training.builder(DataSource.of(data)).network(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}).dState(4).imageSize(32)
                .epochs(2).batchSize(4).threads(1).workers(1).runDir(dir);
    }

    @Test
    void aRunInAnotherProcessIsRefusedWithItsPid() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        // a child JVM that takes the lock and waits for its stdin to close
        Path src = tmp.resolve("Hold.java");
        Files.writeString(src, """
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        try (var ch = java.nio.channels.FileChannel.open(java.nio.file.Path.of(a[0]),
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                             var l = ch.lock()) {
                            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\\n").getBytes()));
                            System.out.println("locked");
                            System.in.read();
                        }
                    }
                }""");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), src.toString(),
                dir.resolve(FolderLock.FILE).toString()).redirectErrorStream(true).start();
        try {
            assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine());
            CliTest.Run r = CliTest.run(trainArgs(dir));
            assertEquals(1, r.code());
            assertEquals("medmamba: " + dir + ": is in use by another run (process " + p.pid()
                    + "); wait for it to end or choose another folder", r.err().lines().reduce((x, y) -> y).orElse(""));
            assertFalse(Files.exists(dir.resolve(Trainer.LAST)));
        } finally {
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void resumeRebuildsALaggingMetricsFileAndRemovesStaleTempFiles() throws Exception {
        Path dir = copyRun(tmp.resolve("run"));
        List<String> full = Files.readAllLines(run.resolve(Trainer.METRICS));
        assertEquals(2, full.size());
        Files.writeString(dir.resolve(Trainer.METRICS), full.get(0) + "\n"); // as after a crash between last.ckpt and metrics.jsonl
        Files.write(dir.resolve(".best.mmb.123.tmp"), new byte[]{1, 2, 3});
        Files.write(dir.resolve(".last.ckpt.9876543210.tmp"), new byte[]{4});
        Files.write(dir.resolve(".notes.txt.55.tmp"), new byte[]{5}); // not a run file's: left alone
        CliTest.Run r = CliTest.run(trainArgs(dir, "--resume"));
        assertEquals(0, r.code(), r.err());
        assertEquals(full, Files.readAllLines(dir.resolve(Trainer.METRICS)));
        assertTrue(r.err().contains("removed 2 temporary file(s) left by killed writes in " + dir), r.err());
        assertTrue(r.err().contains("rebuilt " + dir.resolve(Trainer.METRICS) + " from last.ckpt (2 epochs)"), r.err());
        assertFalse(Files.exists(dir.resolve(".best.mmb.123.tmp")));
        assertFalse(Files.exists(dir.resolve(".last.ckpt.9876543210.tmp")));
        assertTrue(Files.exists(dir.resolve(".notes.txt.55.tmp")));
        // an intact metrics file is left as it is
        CliTest.Run again = CliTest.run(trainArgs(dir, "--resume"));
        assertEquals(0, again.code(), again.err());
        assertFalse(again.err().contains("rebuilt"), again.err());
    }

    @Test
    void rejectedOptionsLeaveNoFolder() {
        Path out = tmp.resolve("NEW");
        CliTest.Run zero = CliTest.run("train", "--data", data.toString(), "--epochs", "0", "--out", out.toString());
        assertEquals(1, zero.code());
        assertEquals("medmamba: --epochs must be >= 1", zero.err().strip());
        CliTest.Run nan = CliTest.run("train", "--data", data.toString(), "--warmup-epochs", "NaN", "--out", out.toString());
        assertEquals(1, nan.code());
        assertEquals("medmamba: --warmup-epochs must be a finite number >= 0, got NaN", nan.err().strip());
        CliTest.Run inf = CliTest.run("train", "--data", data.toString(), "--lr", "Infinity", "--out", out.toString());
        assertEquals("medmamba: --lr must be a finite number > 0, got Infinity", inf.err().strip());
        CliTest.Run weights = CliTest.run(trainArgs(out, "--class-weights", "1,2,3"));
        assertEquals(1, weights.code());
        assertTrue(weights.err().endsWith("medmamba: --class-weights has 3 values for 2 classes\n"), weights.err());
        assertFalse(Files.exists(out));
        CliTest.Run inside = CliTest.run(trainArgs(data.resolve("train/runs")));
        assertEquals("medmamba: --out is " + data.resolve("train/runs") + ", inside the input folder " + data, inside.err().strip());
        assertFalse(Files.exists(data.resolve("train/runs")));
    }

    @Test
    void importTorchRefusesToOverwriteItsInput() throws Exception {
        Path pth = tmp.resolve("x.pth");
        Files.copy(CliTest.SHARED.resolve("reference/mini_c5_rgb_64x96.pth"), pth);
        byte[] before = Files.readAllBytes(pth);
        CliTest.Run r = CliTest.run("import-torch", pth.toString(), "--out", pth.toString());
        assertEquals(1, r.code());
        assertEquals("medmamba: --out is " + pth + ", the same file as the input " + pth, r.err().strip());
        Path link = tmp.resolve("same.mmb"), dotted = tmp.resolve("sub/../x.pth");
        Files.createLink(link, pth);
        assertEquals("medmamba: --out is " + link + ", the same file as the input " + pth,
                CliTest.run("import-torch", pth.toString(), "--out", link.toString()).err().strip());
        assertEquals(1, CliTest.run("import-torch", pth.toString(), "--out", dotted.toString()).code());
        assertArrayEquals(before, Files.readAllBytes(pth));
    }

    @Test
    void datasetSplitRefusesToOverwriteItsManifest() throws Exception {
        Path csv = tmp.resolve("m.csv");
        assertEquals(0, CliTest.run("dataset", "split", data.toString(), "--out", csv.toString()).code());
        byte[] before = Files.readAllBytes(csv);
        CliTest.Run r = CliTest.run("dataset", "split", csv.toString(), "--out", csv.toString(), "--force");
        assertEquals(1, r.code());
        assertEquals("medmamba: --out is " + csv + ", the same file as the input " + csv, r.err().strip());
        assertArrayEquals(before, Files.readAllBytes(csv));
    }

    @Test
    void evaluateReplacesItsReportWholeAndRefusesFoldersThatAreNotReports() throws Exception {
        Path model = run.resolve(Trainer.BEST), rep = tmp.resolve("rep");
        CliTest.Run first = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "val",
                "--out", rep.toString(), "--threads", "1", "--workers", "1");
        assertEquals(0, first.code(), first.err());
        Map<String, byte[]> old = files(rep);
        assertTrue(old.containsKey("metrics.json") && old.containsKey("report.html"), old.keySet().toString());
        // predictions.csv: one row per val image, files relative to the data folder; mistakes have thumbnails
        List<String> rows = new String(old.get("predictions.csv"), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals("file,true,predicted,p_a,p_b", rows.getFirst());
        assertEquals(5, rows.size());
        long wrong = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertTrue(f[0].matches("val/[ab]/[01]\\.png") && f[1].equals(f[0].substring(4, 5)), row);
            if (!f[1].equals(f[2])) wrong++;
        }
        String page = new String(old.get("report.html"), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(wrong, page.split("<td class=\"thumb\"><img ", -1).length - 1, "one thumbnail per mistake");
        assertFalse(page.substring(0, page.indexOf("<details>")).contains(data.toString()), "absolute path in the model card");
        assertTrue(page.contains("<tr><td class=\"label\">a</td><td>6</td><td>2</td></tr>"), "images per class and split");

        // a folder holding anything but a report is never replaced
        Files.writeString(rep.resolve("notes.txt"), "mine");
        CliTest.Run foreign = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "val",
                "--out", rep.toString(), "--threads", "1", "--workers", "1");
        assertEquals(1, foreign.code());
        assertEquals("medmamba: " + rep + ": holds files that are not part of this output (notes.txt); choose a new or empty folder",
                foreign.err().lines().reduce((a, b) -> b).orElse(""));
        assertEquals("mine", Files.readString(rep.resolve("notes.txt")));
        Files.delete(rep.resolve("notes.txt"));
        assertSameFiles(old, files(rep));

        // the run folder holds the model: replacing it would delete the run
        CliTest.Run holds = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "val",
                "--out", run.toString());
        assertEquals("medmamba: --out is " + run + ", which holds the input " + model + " (the folder is replaced whole)", holds.err().strip());

        // a second evaluation replaces the report and leaves no temporary folders behind
        Files.write(tmp.resolve(".rep.42.tmp"), new byte[]{1}); // a killed replacement's leftover
        CliTest.Run second = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "val",
                "--out", rep.toString(), "--seed", "1", "--threads", "1", "--workers", "1");
        assertEquals(0, second.code(), second.err());
        assertEquals(old.keySet(), files(rep).keySet());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(".rep.lock", "rep"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void evaluateRefusesASplitTheDataDoesNotHave() throws Exception {
        Path model = run.resolve(Trainer.BEST);
        CliTest.Run r = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "foo", "--out", tmp.resolve("e").toString());
        assertEquals(1, r.code());
        assertEquals("medmamba: --split 'foo' is not a split of " + data + ": it has train, val (or use all)", r.err().strip());
        CliTest.Run dflt = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out", tmp.resolve("e").toString());
        assertEquals("medmamba: --split 'test' (the default) is not a split of " + data + ": it has train, val (or use all)", dflt.err().strip());
        // data without splits: evaluated whole by default, but an explicit split is an error
        Path flat = data.resolve("train");
        CliTest.Run asked = CliTest.run("evaluate", "--model", model.toString(), "--data", flat.toString(), "--split", "test", "--out", tmp.resolve("e").toString());
        assertEquals("medmamba: --split 'test' is not a split of " + flat + ": it has no splits (or use all)", asked.err().strip());
        assertFalse(Files.exists(tmp.resolve("e")));
        CliTest.Run whole = CliTest.run("evaluate", "--model", model.toString(), "--data", flat.toString(), "--out", tmp.resolve("e").toString(),
                "--threads", "1", "--workers", "1");
        assertEquals(0, whole.code(), whole.err());
        assertTrue(whole.err().contains("medmamba: " + flat + " has no splits: evaluating every image"), whole.err());
        assertTrue(whole.out().contains("(all, 12 images)"), whole.out());
    }
}
