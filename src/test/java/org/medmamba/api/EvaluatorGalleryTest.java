package org.medmamba.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.eval.report.Evaluation;
import org.medmamba.eval.report.Gallery;
import org.medmamba.explain.Explanations;
import org.medmamba.io.SettingException;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** evaluate's gallery: per class the most confident right and wrong image, their overlays as files and in report.html. */
class EvaluatorGalleryTest {
    @TempDir
    Path tmp;

    @Test
    void galleryShowsPerClassTheMostConfidentRightAndWrongImagesWithTheirOverlays() throws Exception {
        MedMambaConfig c = new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 3, 1, 0f);
        Path mmb = tmp.resolve("tiny.mmb");
        new ModelBundle(c, List.of("a", "b", "c"), 32, 32, new float[]{0.5f}, new float[]{0.25f}, Map.of(), new MedMamba(c, 5).stateDict()).save(mmb);
        Path data = tmp.resolve("data");
        for (int i = 0; i < 12; i++) {   // varied content, so the random model's predictions and confidences vary
            Path f = data.resolve(List.of("a", "b", "c").get(i % 3)).resolve("img" + i + ".png");
            Files.createDirectories(f.getParent());
            BufferedImage b = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 40; y++) for (int x = 0; x < 40; x++) b.getRaster().setSample(x, y, 0, (x * (i + 1) * 13 + y * 7 * i + (i % 5) * 50) % 256);
            ImageIO.write(b, "png", f.toFile());
        }
        Evaluator.Result r = Evaluator.builder(mmb, DataSource.of(data)).workers(1).threads(2).gallery(List.of("gradcam", "saliency")).run();
        Evaluation ev = r.evaluation();
        Gallery g = r.gallery();
        assertEquals(List.of("gradcam", "saliency"), g.methods());

        // expected picks, computed here from the evaluation's numbers
        List<Gallery.Pick> expected = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            int right = -1, wrong = -1;
            for (int i = 0; i < ev.truth().length; i++) {
                if (ev.truth()[i] != k) continue;
                int p = ev.predicted(i);
                if (p == k && (right < 0 || ev.probs()[i][k] > ev.probs()[right][k])) right = i;
                if (p != k && (wrong < 0 || ev.probs()[i][p] > ev.probs()[wrong][ev.predicted(wrong)])) wrong = i;
            }
            if (right >= 0) expected.add(new Gallery.Pick(right, k, true));
            if (wrong >= 0) expected.add(new Gallery.Pick(wrong, k, false));
        }
        assertEquals(expected, g.entries().stream().map(Gallery.Entry::pick).toList());
        assertTrue(expected.stream().anyMatch(Gallery.Pick::correct) && expected.stream().anyMatch(p -> !p.correct()), "both kinds shown: " + expected);
        for (int k = 0; k < 3; k++) {
            int kk = k;
            assertTrue(expected.stream().anyMatch(p -> p.classIndex() == kk), "every class has 4 images, so a right or a wrong one");
        }

        Path dir = tmp.resolve("report");
        Path html = r.writeReport(dir);
        String page = Files.readString(html);
        assertTrue(page.contains("<h2 id=\"gallery\">Gallery</h2>"));
        for (String label : List.of("a", "b", "c")) assertTrue(page.contains("data-class=\"" + label + "\""), label);
        for (Gallery.Entry e : g.entries()) {
            assertEquals(List.of("gradcam", "saliency"), List.copyOf(e.overlays().keySet()));
            for (var o : e.overlays().entrySet()) {
                Path f = dir.resolve(Gallery.fileName(e.pick(), o.getKey()));
                assertArrayEquals(o.getValue(), Files.readAllBytes(f), f.toString());
                BufferedImage img = ImageIO.read(f.toFile());
                assertTrue(img.getWidth() >= 256 && img.getHeight() >= 256, "an overlay, enlarged: " + img.getWidth() + "x" + img.getHeight());
                assertTrue(page.contains(Base64.getEncoder().encodeToString(o.getValue())), "embedded: " + f.getFileName());
                assertTrue(page.contains("data-file=\"" + f.getFileName() + "\""));
            }
        }
        assertEquals(g.entries().size() * 2, Files.list(dir).filter(p -> p.getFileName().toString().startsWith("gallery-")).count());

        // the default list is filtered to the methods this build has; an unknown one is refused; none leaves the section out
        assertEquals(Evaluator.DEFAULT_GALLERY.stream().filter(Explanations.METHODS::contains).toList(),
                Evaluator.builder(mmb, DataSource.of(data)).workers(1).run().gallery().methods());
        assertThrows(SettingException.class, () -> Evaluator.builder(mmb, DataSource.of(data)).gallery(List.of("nosuch")));
        Evaluator.Result none = Evaluator.builder(mmb, DataSource.of(data)).workers(1).gallery(List.of()).run();
        assertSame(Gallery.NONE, none.gallery());
        assertFalse(Files.readString(none.writeReport(tmp.resolve("report2"))).contains("id=\"gallery\""));
    }
}
