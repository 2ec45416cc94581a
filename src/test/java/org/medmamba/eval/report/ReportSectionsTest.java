package org.medmamba.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.data.image.Image;
import org.medmamba.eval.OperatingPoint;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The report's precision–recall, operating-point, warning, thumbnail, predictions.csv and model-card
 * sections on a 3-class fixture of 10 predictions, against numbers worked out by hand:
 * <pre>
 *  #  truth  p(a)  p(b)  p(c)  argmax        class a (P 4, N 6): AP = .25+.25+.25·.75+.25·2/3 = 41/48
 *  0  a      .7    .2    .1    a             class b (P 3, N 7): AP = 1/3+1/3+1/3·.5 = 5/6
 *  1  a      .6    .3    .1    a             class c (P 3, N 7): AP = 1/3+1/3+1/3·.75 = 11/12
 *  2  a      .4    .5    .1    b             c is never the argmax: sensitivity 0, PPV undefined
 *  3  a      .5    .2    .3    a
 *  4  b      .2    .7    .1    b             argmax a: TP 3 FP 2 TN 4 FN 1
 *  5  b      .3    .6    .1    b             argmax b: TP 2 FP 3 TN 4 FN 1
 *  6  b      .55   .4    .05   a             c, sensitivity ≥ .95: threshold .25, TP 3 FP 1 TN 6 FN 0
 *  7  c      .3    .45   .25   b             b, specificity ≥ .95: threshold .6, TP 2 FP 0 TN 7 FN 1
 *  8  c      .45   .2    .35   a
 *  9  c      .1    .5    .4    b             accuracy 5/10
 * </pre>
 */
class ReportSectionsTest {
    static final List<String> LABELS = List.of("a", "b", "c, other"); // a comma: quoted in the CSV
    static final int[] TRUTH = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    static final float[][] PROBS = {{.7f, .2f, .1f}, {.6f, .3f, .1f}, {.4f, .5f, .1f}, {.5f, .2f, .3f}, {.2f, .7f, .1f},
            {.3f, .6f, .1f}, {.55f, .4f, .05f}, {.3f, .45f, .25f}, {.45f, .2f, .35f}, {.1f, .5f, .4f}};
    static final List<String> FILES = List.of("a/0.png", "a/1.png", "a/2.png", "a/3.png", "b/4.png", "b/5.png", "b/6.png",
            "c/x\"y.dcm", "c/multi.dcm", "c/multi.dcm");
    static final int[] FRAMES = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 1};
    static final Instant WHEN = Instant.parse("2026-12-02T10:00:00Z");

    static Evaluation fixture() {
        return Evaluation.compute(LABELS, TRUTH, PROBS, FILES, FRAMES, 0);
    }

    static ModelCard card() {
        String training = "{\"epoch\":2,\"epochs\":5,\"val_accuracy\":0.7,\"val_auc\":0.81,\"val_loss\":0.9,\"train_images\":40,"
                + "\"val_images\":12,\"train_seconds\":9.5,\"select_by\":\"auc\"}";
        String config = "{\"data\":\"/home/someone/secret/headmr\",\"variant\":\"custom\",\"imageHeight\":64,\"imageWidth\":64,\"epochs\":5,"
                + "\"batchSize\":32,\"accumulate\":1,\"lr\":0.001,\"weightDecay\":0.05,\"warmupEpochs\":1,\"dropPath\":0,"
                + "\"classWeights\":\"auto\",\"labelSmoothing\":0,\"earlyStop\":0,\"selectBy\":\"auc\","
                + "\"augmentation\":{\"scaleMin\":0.7,\"scaleMax\":1,\"ratioMin\":0.75,\"ratioMax\":1.33,\"flipP\":0.5,\"degrees\":15,"
                + "\"brightness\":0.1,\"contrast\":0.2,\"translate\":0.1}}";
        return new ModelCard("custom", "MedMambaConfig[depths=[1, 1], ...]", 123456, 64, 64, 1, new float[]{0.5f}, new float[]{0.25f},
                "/home/someone/secret/headmr", "test", 3, 12.0,
                Map.of("source", "medmamba train", "data", "/home/someone/secret/headmr", "training", training, "train_config", config),
                Map.of("train", new long[]{20, 10, 10}, "val", new long[]{4, 4, 4}, "test", new long[]{4, 3, 3}));
    }

    @Test
    void numbersMatchTheHandComputation() {
        Evaluation ev = fixture();
        assertEquals(0.5, ev.metrics().accuracy(), 1e-12);
        assertEquals(41 / 48.0, ev.pr().get(0).ap(), 1e-9);
        assertEquals(5 / 6.0, ev.pr().get(1).ap(), 1e-9);
        assertEquals(11 / 12.0, ev.pr().get(2).ap(), 1e-9);
        assertEquals(List.of("c, other"), ev.neverPredicted());
        assertEquals(List.of(), ev.absent());

        List<OperatingPoint> a = ev.operatingPoints().get(0), b = ev.operatingPoints().get(1), c = ev.operatingPoints().get(2);
        assertEquals(List.of(OperatingPoint.ARGMAX, "p ≥ 0.5", "sensitivity ≥ 0.95", "specificity ≥ 0.95"), a.stream().map(OperatingPoint::rule).toList());
        assertCounts(a.get(0), 3, 2, 4, 1);
        assertEquals(0.6, a.get(0).ppv(), 1e-12);
        assertEquals(0.8, a.get(0).npv(), 1e-12);
        assertCounts(a.get(2), 4, 2, 4, 0);
        assertEquals(0.4f, a.get(2).threshold(), 0);
        assertCounts(b.get(0), 2, 3, 4, 1);
        assertEquals(4 / 7.0, b.get(0).specificity(), 1e-12);
        assertEquals(0.4, b.get(0).ppv(), 1e-12);
        assertCounts(b.get(1), 2, 2, 5, 1); // p ≥ 0.5 includes the two tied 0.5 negatives
        assertCounts(b.get(2), 3, 3, 4, 0);
        assertEquals(0.4f, b.get(2).threshold(), 0);
        assertCounts(b.get(3), 2, 0, 7, 1);
        assertEquals(0.6f, b.get(3).threshold(), 0);
        assertEquals(7 / 8.0, b.get(3).npv(), 1e-12);
        assertCounts(c.get(0), 0, 0, 7, 3);
        assertTrue(Double.isNaN(c.get(0).ppv()));
        assertEquals(0.7, c.get(0).npv(), 1e-12);
        assertCounts(c.get(2), 3, 1, 6, 0);
        assertEquals(0.25f, c.get(2).threshold(), 0);
        assertEquals(0.75, c.get(2).ppv(), 1e-12);
        assertEquals(6 / 7.0, c.get(2).specificity(), 1e-12);
        assertCounts(c.get(3), 2, 0, 7, 1);
        assertEquals(0.35f, c.get(3).threshold(), 0);

        // c is missed in every resample that holds it: its sensitivity interval is [0, 0]
        assertEquals(0, ev.sensitivityCi().get(2).low());
        assertEquals(0, ev.sensitivityCi().get(2).high());
        assertTrue(ev.sensitivityCi().get(0).low() <= 0.75 && 0.75 <= ev.sensitivityCi().get(0).high());
        assertEquals(1.0, ev.specificityCi().get(2).low()); // nothing is ever called c
        assertEquals("c/multi.dcm#1", ev.name(9));
    }

    private static void assertCounts(OperatingPoint p, long tp, long fp, long tn, long fn) {
        assertEquals(List.of(tp, fp, tn, fn), List.of(p.tp(), p.fp(), p.tn(), p.fn()), p.rule());
    }

    @Test
    void predictionsCsvHasOneQuotedRowPerSample() {
        String[] lines = PredictionsCsv.render(fixture()).split("\r\n");
        assertEquals(11, lines.length);
        assertEquals("file,frame,true,predicted,p_a,p_b,\"p_c, other\"", lines[0]);
        assertEquals("a/0.png,,a,a,0.7,0.2,0.1", lines[1]);
        assertEquals("a/2.png,,a,b,0.4,0.5,0.1", lines[3]);
        assertEquals("\"c/x\"\"y.dcm\",,\"c, other\",b,0.3,0.45,0.25", lines[8]);
        assertEquals("c/multi.dcm,1,\"c, other\",b,0.1,0.5,0.4", lines[10]);
        // without multi-sample files there is no frame column
        Evaluation plain = Evaluation.compute(LABELS, TRUTH, PROBS, FILES, 0);
        assertEquals("file,true,predicted,p_a,p_b,\"p_c, other\"", PredictionsCsv.render(plain).lines().findFirst().orElseThrow());
    }

    @Test
    void metricsJsonCarriesTheNewNumbers() {
        JsonNode o = MetricsJson.toJson(fixture(), card(), WHEN);
        assertEquals("c, other", o.at("/warnings/never_predicted/0").asText());
        assertEquals(0, o.at("/warnings/absent").size());
        assertEquals(41 / 48.0, o.at("/per_class/0/average_precision").asDouble(), 1e-9);
        assertEquals(0.0, o.at("/per_class/2/sensitivity_ci/high").asDouble());
        JsonNode cSens = o.at("/operating_points/2/points/2");
        assertEquals("sensitivity ≥ 0.95", cSens.get("rule").asText());
        assertEquals(0.25, cSens.get("threshold").asDouble(), 0); // the float's shortest decimal
        assertEquals(0.75, cSens.get("ppv").asDouble(), 1e-12);
        assertEquals(3, cSens.get("tp").asInt());
        assertTrue(o.at("/operating_points/2/points/0/ppv").isNull(), "undefined PPV is null");
        assertTrue(o.at("/operating_points/2/points/0/threshold").isNull(), "argmax has no threshold");
        assertEquals(0.7, o.at("/precision_recall/0/thresholds/0").asDouble(), 0);
        assertEquals(10, o.at("/precision_recall/0/recall").size());
        assertEquals(4 / 9.0, o.at("/precision_recall/0/precision/8").asDouble(), 1e-12);
        assertEquals(20, o.at("/model/images_per_split/train/0").asInt());
    }

    @Test
    void htmlHasTheNewSectionsWithTheNumbers() throws Exception {
        Evaluation ev = fixture();
        BufferedImage dot = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        byte[] thumb = Plots.png(dot);
        int mistake = ev.confidentMistakes(1).getFirst().sample();
        String html = HtmlReport.render(ev, card(), List.of(), Plots.all(ev, List.of()), Map.of(mistake, thumb), WHEN);

        // the warning comes before the headline numbers
        int warn = html.indexOf("class=\"warn\""), cards = html.indexOf("class=\"cards\"");
        assertTrue(warn > 0 && warn < cards, "warning at the top");
        assertTrue(html.contains("The model never predicts class <b>c, other</b>"), html.substring(warn, warn + 300));
        assertFalse(html.contains("no image in the evaluated data"), "no absent class here");

        // per-class AP and the PR plot
        assertTrue(html.contains("<td>0.854</td><td>0.854</td>") || html.contains("<td>0.854</td></tr>"), "AP of a");
        assertTrue(html.contains("<td>0.833</td></tr>") && html.contains("<td>0.917</td></tr>"));
        assertTrue(html.contains("data-file=\"" + Plots.PR + "\""));

        // operating points: a's sensitivity ≥ 0.95 row and c's undefined PPV at argmax
        assertTrue(html.contains("<h2>Operating points</h2>"));
        assertTrue(html.contains("<td class=\"label\">sensitivity ≥ 0.95</td><td>0.4000</td><td>1.000</td><td>0.667</td><td>0.667</td>"
                + "<td>1.000</td><td>4</td><td>2</td><td>4</td><td>0</td>"), "a, sensitivity ≥ 0.95");
        assertTrue(html.contains("<td class=\"label\">" + OperatingPoint.ARGMAX + "</td><td>–</td><td>0.000</td><td>1.000</td>"
                + "<td>n/a</td><td>0.700</td><td>0</td><td>0</td><td>7</td><td>3</td>"), "c at argmax");

        // thumbnails: the most confident mistake's image, embedded
        String mistakes = html.substring(html.indexOf("Most confident mistakes"));
        assertTrue(mistakes.contains("<td class=\"thumb\"><img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(thumb)));
        assertTrue(mistakes.contains("c/multi.dcm#0"));

        // model card for a reader: sections in words, no absolute path before the folded developer details
        int details = html.indexOf("<details>");
        String readable = html.substring(0, details);
        for (String s : List.of("<h3>Intended use</h3>", "<h3>Data</h3>", "<h3>Training</h3>", "<h3>Performance</h3>", "<h3>Limitations</h3>"))
            assertTrue(readable.contains(s), s);
        assertFalse(readable.contains("/home/someone"), "absolute path in the readable card");
        assertTrue(readable.contains("the <b>test</b> split of <b>headmr</b>: 10 images"));
        assertTrue(readable.contains("Trained on <b>headmr</b>: 40 training and 12 validation images."));
        assertTrue(readable.contains("Trained for 3 epochs (of 5 planned); the model kept is from epoch 2, the best by validation macro AUC (0.810)"));
        assertTrue(readable.contains("learning rate 1e-3 reached after 1 warm-up epoch then lowered along a cosine curve"));
        assertTrue(readable.contains("left–right flips (50 % of images), rotations up to ±15°"));
        assertTrue(readable.contains("weight decay 0.05, batches of 32 images, rarer classes weighted up."), "numbers without trailing zeros");
        assertTrue(readable.contains("<td class=\"label\">Accuracy (share called right)</td><td>50.0 %</td><td>"
                + HtmlReport.pct(ev.accuracyCi().low()) + " – " + HtmlReport.pct(ev.accuracyCi().high()) + "</td>"));
        assertTrue(readable.contains("c, other: sensitivity (share of its images found)</td><td>0.000</td><td>0.000 – 0.000</td>"));
        assertTrue(readable.contains("<tr><td class=\"label\">a</td><td>20</td><td>4</td><td>4</td></tr>"), "images per class and split");
        assertTrue(readable.contains("It never predicts c, other on this data"));
        assertTrue(readable.contains("Small evaluation: 10 images, the smallest class 3."));
        assertFalse(readable.contains("validation did not improve after it"), "epoch 2 of 3 is not early");
        ModelCard late = new ModelCard(null, null, -1, -1, -1, 1, null, null, "d", "test", 20, 1, card().provenance());
        assertTrue(ModelCardHtml.limitations(ev, late).contains("The model kept is from epoch 2 of 20: validation did not improve after it, "
                + "a sign of over-fitting or of a validation set too small to choose a model on."));
        assertFalse(readable.contains("MedMambaConfig["), "record dump outside the details");
        String dev = html.substring(details, html.indexOf("</details>"));
        assertTrue(dev.contains("/home/someone/secret/headmr") && dev.contains("MedMambaConfig["));
        assertTrue(html.indexOf("<h1>MedMamba evaluation — headmr (test)</h1>") > 0);
    }

    @Test
    void absentClassesAreWarnedAbout() {
        List<String> four = List.of("a", "b", "c", "d");
        float[][] p = new float[TRUTH.length][];
        for (int i = 0; i < p.length; i++) p[i] = new float[]{PROBS[i][0], PROBS[i][1], PROBS[i][2] / 2, PROBS[i][2] / 2};
        Evaluation ev = Evaluation.compute(four, TRUTH, p, FILES, 0);
        assertEquals(List.of("d"), ev.absent());
        assertEquals(List.of("c"), ev.neverPredicted());
        assertEquals(3, ev.operatingPoints().get(3).size(), "d: no sensitivity rule without positives");
        String html = HtmlReport.render(ev, ModelCard.unknown("data", "test"), List.of(), Plots.all(ev, List.of()), WHEN);
        assertTrue(html.contains("Class <b>d</b> has no image in the evaluated data"));
    }

    @Test
    void reportFolderHoldsPredictionsCsv(@TempDir Path dir) throws Exception {
        Report.write(dir, fixture(), card(), List.of(), Map.of(), WHEN);
        assertEquals(PredictionsCsv.render(fixture()), Files.readString(dir.resolve(Report.PREDICTIONS)));
        assertTrue(Files.exists(dir.resolve(Plots.PR)));
        assertTrue(Report.isReportFile(Report.PREDICTIONS));
    }

    @Test
    void thumbnailsShrinkAndKeepTheGrayLevels() throws Exception {
        float[] d = new float[200 * 100];
        for (int y = 0; y < 200; y++) for (int x = 0; x < 100; x++) d[y * 100 + x] = y < 100 ? 0f : 1f;
        BufferedImage t = ImageIO.read(new ByteArrayInputStream(Thumbnails.png(new Image(1, 200, 100, d))));
        assertEquals(Thumbnails.SIZE, t.getHeight());
        assertEquals(Thumbnails.SIZE / 2, t.getWidth());
        assertEquals(0, t.getRaster().getSample(10, 5, 0));
        assertEquals(255, t.getRaster().getSample(10, Thumbnails.SIZE - 5, 0));
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(Thumbnails.png(new Image(3, 8, 8, new float[3 * 64]))));
        assertEquals(8, small.getWidth(), "never enlarged");
    }

    @Test
    void spreadsheetFormulasInTextCellsAreDefused() {
        assertEquals("'=HYPERLINK(1)", PredictionsCsv.text("=HYPERLINK(1)"));
        assertEquals("\"'@SUM(A1,A2)\"", PredictionsCsv.text("@SUM(A1,A2)"));
        assertEquals("'-x.png", PredictionsCsv.text("-x.png"));
        assertEquals("scan.png", PredictionsCsv.text("scan.png"));
    }
}
