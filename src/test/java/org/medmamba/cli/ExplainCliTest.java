package org.medmamba.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.api.TorchImport;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** ./medmamba explain on the reference model: JSON fields in input order, the files they name, bad input. */
class ExplainCliTest {
    @TempDir
    Path tmp;

    @Test
    void jsonNamesEveryMapAndTheFilesExist() throws Exception {
        Path mmb = tmp.resolve("m.mmb");
        TorchImport.read(CliTest.SHARED.resolve("reference/mini_c5_rgb_64x96.pth"), 64, 96, null, null, null).save(mmb);
        Path img = CliTest.SHARED.resolve("images/itk/BrainT1Slice.png"), out = tmp.resolve("maps");
        CliTest.Run r = CliTest.run("explain", "--model", mmb.toString(), "--method", "gradcam,saliency", "--json", "--threads", "2",
                "--out", out.toString(), img.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode arr = new ObjectMapper().readTree(r.out());
        assertEquals(2, arr.size());
        String[] methods = {"gradcam", "saliency"};
        for (int i = 0; i < 2; i++) {
            JsonNode o = arr.get(i);
            assertEquals(img.toString(), o.get("file").asText());
            assertEquals(methods[i], o.get("method").asText());
            int k = o.get("class").asInt();
            assertTrue(k >= 0 && k < 5);
            assertFalse(o.get("label").asText().isEmpty());
            double p = o.get("probability").asDouble();
            assertTrue(p > 0 && p <= 1, "probability " + p);
            Path png = Path.of(o.get("png").asText()), npy = Path.of(o.get("npy").asText());
            assertEquals(out.resolve("BrainT1Slice." + methods[i] + ".png"), png);
            assertEquals(out.resolve("BrainT1Slice." + methods[i] + ".npy"), npy);
            BufferedImage b = ImageIO.read(png.toFile());
            assertTrue(b.getWidth() >= 96 * 3 && b.getHeight() > 64 * 4, b.getWidth() + "x" + b.getHeight());
            byte[] n = Files.readAllBytes(npy);
            int hlen = (n[8] & 0xff) | (n[9] & 0xff) << 8;
            assertTrue(new String(n, 10, hlen).contains("'shape': (64, 96)"));
            assertEquals(10 + hlen + 4 * 64 * 96, n.length);
        }
        assertEquals(arr.get(0).get("class").asInt(), arr.get(1).get("class").asInt(), "top is one class for every method");

        // a file it cannot read: named on one line, the others still explained, exit 1
        Path bad = tmp.resolve("broken.png");
        Files.writeString(bad, "not a png");
        CliTest.Run b = CliTest.run("explain", "--model", mmb.toString(), "--method", "occlusion", "--json", "--out", out.toString(),
                bad.toString(), img.toString());
        assertEquals(1, b.code());
        assertTrue(b.err().contains("broken.png"), b.err());
        assertEquals(1, new ObjectMapper().readTree(b.out()).size());
        assertTrue(Files.exists(out.resolve("BrainT1Slice.occlusion.npy")));

        CliTest.Run c = CliTest.run("explain", "--model", mmb.toString(), "--class", "nosuch", img.toString());
        assertNotEquals(0, c.code());
        assertTrue(c.err().contains("nosuch") && c.err().contains("labels"), c.err());
    }
}
