package org.medmamba.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.cli.Main;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run killed with SIGKILL in the middle of an epoch and resumed ends bit-identical to an
 * uninterrupted run with the same seed and thread count.
 */
class ResumeAfterKillTest {
    static List<String> args(Path data, Path out) {
        return new ArrayList<>(List.of("train", "--data", data.toString(), "--depths", "1,1,1,1", "--dims", "8,16,32,64",
                "--d-state", "4", "--image-size", "32", "--epochs", "3", "--batch-size", "4", "--lr", "2e-3", "--seed", "11",
                "--threads", "2", "--workers", "2", "--out", out.toString()));
    }

    static void writeData(Path root) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        for (String split : new String[]{"train", "val"})
            for (String cls : new String[]{"a", "b"}) {
                Path d = Files.createDirectories(root.resolve(split).resolve(cls));
                for (int i = 0; i < (split.equals("train") ? 80 : 8); i++) {
                    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 32; y++)
                        for (int x = 0; x < 32; x++)
                            img.getRaster().setSample(x, y, 0, (cls.equals("a") ? x * 8 : y * 8) % 256 / 2 + r.nextInt(64));
                    ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
                }
            }
    }

    @Test
    void killedMidEpochAndResumedEqualsUninterrupted(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        writeData(data);
        Path full = dir.resolve("full"), cut = dir.resolve("cut");
        assertEquals(0, Main.execute(args(data, full).toArray(String[]::new)));

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(data, cut));
        cmd.add("--log-level=debug");   // progress lines inside an epoch, in a pipe
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean killed = false;
        List<String> seen = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) {
                seen.add(line);
                // with --log-level debug the progress bar prints every 10% in a pipe: kill at the first line of epoch 2
                if (line.startsWith("epoch 2/3") && !line.contains("100%") && !line.contains(" 0/")) {
                    p.destroyForcibly(); // SIGKILL on Linux
                    killed = true;
                    break;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(killed, "never saw epoch 2 start: " + seen);
        assertEquals(137, p.exitValue(), "SIGKILL");
        Checkpoint mid = Checkpoint.load(cut.resolve(Trainer.LAST), null, null);
        assertEquals(1, mid.epochsDone(), "the kill landed inside epoch 2");

        List<String> resume = args(data, cut);
        resume.add("--resume");
        assertEquals(0, Main.execute(resume.toArray(String[]::new)));
        assertArrayEquals(TrainerTest.modelBytes(full.resolve(Trainer.LAST)), TrainerTest.modelBytes(cut.resolve(Trainer.LAST)),
                "weights, BatchNorm buffers and AdamW moments after resuming");
        assertEquals(Files.readAllLines(full.resolve(Trainer.METRICS)).size(), Files.readAllLines(cut.resolve(Trainer.METRICS)).size());
    }
}
