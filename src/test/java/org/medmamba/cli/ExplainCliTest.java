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

    @Test
    void evaluateWritesDeletionAndInsertionAucPerMethodAndARandomBaseline() throws Exception {
        Path mmb = tmp.resolve("m.mmb");
        TorchImport.read(CliTest.SHARED.resolve("reference/mini_c5_rgb_64x96.pth"), 64, 96, null, null, null).save(mmb);
        Path data = tmp.resolve("data");
        for (int i = 0; i < 3; i++) {
            Path f = data.resolve("test").resolve(i == 2 ? "1" : "0").resolve("img" + i + ".png");
            Files.createDirectories(f.getParent());
            BufferedImage b = new BufferedImage(96, 64, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 96; x++) b.setRGB(x, y, ((x * 7 + y * 3 + i * 50) % 256) * 0x010101);
            ImageIO.write(b, "png", f.toFile());
        }
        Path out = tmp.resolve("eval");
        CliTest.Run r = CliTest.run("explain", "--model", mmb.toString(), "--evaluate", "--data", data.toString(), "--method", "gradcam,occlusion",
                "--steps", "4", "--json", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode arr = new ObjectMapper().readTree(r.out());
        assertEquals(3, arr.size());
        String[] methods = {"gradcam", "occlusion", "random"};
        for (int i = 0; i < 3; i++) {
            assertEquals(methods[i], arr.get(i).get("method").asText());
            assertEquals(3, arr.get(i).get("images").asInt());
            double d = arr.get(i).get("deletion_auc").asDouble(), ins = arr.get(i).get("insertion_auc").asDouble();
            assertTrue(d >= 0 && d <= 1 && ins >= 0 && ins <= 1, arr.get(i).toString());
        }
        assertEquals(r.out().strip(), Files.readString(out.resolve("faithfulness.json")).strip());
        CliTest.Run bad = CliTest.run("explain", "--model", mmb.toString(), "--evaluate", "--data", data.toString(), "--split", "val");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("medmamba: --split 'val' has no images in "), bad.err());
    }
}
