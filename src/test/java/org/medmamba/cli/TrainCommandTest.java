package org.medmamba.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** train refuses unusable set-ups with one clear line, before any training starts. */
class TrainCommandTest {
    static void images(Path dir, int n, int size) throws Exception {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++)
            ImageIO.write(new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve(i + ".png").toFile());
    }

    static CliTest.Run train(Path data, Path out, String... more) {
        String[] base = {"train", "--data", data.toString(), "--depths", "1,1,1,1", "--dims", "8,16,32,64", "--epochs", "1",
                "--batch-size", "2", "--out", out.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliTest.run(all);
    }

    @Test
    void refusesASingleClass(@TempDir Path dir) throws Exception {
        images(dir.resolve("data/only"), 4, 32);
        CliTest.Run r = train(dir.resolve("data"), dir.resolve("run"), "--image-size", "32");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("at least 2 classes"), r.err());
        assertFalse(Files.exists(dir.resolve("run/last.ckpt")));
    }

    @Test
    void refusesAnEmptyClass(@TempDir Path dir) throws Exception {
        images(dir.resolve("data/a"), 4, 32);
        Files.createDirectories(dir.resolve("data/b"));
        CliTest.Run r = train(dir.resolve("data"), dir.resolve("run"), "--image-size", "32");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("class 'b' has no training images") || r.err().contains("'b'"), r.err());
    }

    @Test
    void refusesImagesSmallerThanTheInputUnlessAskedToEnlarge(@TempDir Path dir) throws Exception {
        images(dir.resolve("data/a"), 4, 20);
        images(dir.resolve("data/b"), 4, 20);
        CliTest.Run r = train(dir.resolve("data"), dir.resolve("run"), "--image-size", "32");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("smaller than the 32x32 input") && r.err().contains("--upsample"), r.err());
    }

    @Test
    void refusesSizesThatAreNotMultiplesOf32(@TempDir Path dir) throws Exception {
        images(dir.resolve("data/a"), 4, 64);
        images(dir.resolve("data/b"), 4, 64);
        CliTest.Run r = train(dir.resolve("data"), dir.resolve("run"), "--image-size", "48");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("multiples of 32"), r.err());
    }
}
