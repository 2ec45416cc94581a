package org.medmamba.eval.report;

import org.medmamba.train.EpochRecord;
import org.medmamba.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a whole evaluation report into a directory: metrics.json, report.html, predictions.csv
 * and the plots as PNG files.
 */
public final class Report {
    public static final String METRICS = "metrics.json", HTML = "report.html", PREDICTIONS = "predictions.csv";

    private Report() {}

    /** Whether a file of this name is one the report writes (metrics.json, report.html, the PNG plots). */
    public static boolean isReportFile(String name) {
        return name.equals(METRICS) || name.equals(HTML) || name.equals(PREDICTIONS) || name.endsWith(".png");
    }

    /** history may be empty (no learning curves); returns report.html's path. */
    public static Path write(Path dir, Evaluation ev, ModelCard card, List<EpochRecord> history) throws IOException {
        return write(dir, ev, card, history, Instant.now());
    }

    public static Path write(Path dir, Evaluation ev, ModelCard card, List<EpochRecord> history, Instant generated)
            throws IOException {
        return write(dir, ev, card, history, Map.of(), generated);
    }

    /** thumbnails: PNG bytes by sample index, for the mistakes table (missing ones are left blank). */
    public static Path write(Path dir, Evaluation ev, ModelCard card, List<EpochRecord> history,
                             Map<Integer, byte[]> thumbnails, Instant generated) throws IOException {
        return write(dir, ev, card, history, thumbnails, Gallery.NONE, generated);
    }

    /** gallery: its overlays are also written as {@link Gallery#fileName} PNGs. */
    public static Path write(Path dir, Evaluation ev, ModelCard card, List<EpochRecord> history,
                             Map<Integer, byte[]> thumbnails, Gallery gallery, Instant generated) throws IOException {
        Files.createDirectories(dir);
        for (Gallery.Entry g : gallery.entries())
            for (Map.Entry<String, byte[]> o : g.overlays().entrySet()) {
                byte[] png = o.getValue();
                AtomicFiles.write(dir.resolve(Gallery.fileName(g.pick(), o.getKey())), out -> out.write(png));
            }
        Map<String, byte[]> plots = Plots.all(ev, history);
        for (Map.Entry<String, byte[]> e : plots.entrySet()) {
            byte[] png = e.getValue();
            AtomicFiles.write(dir.resolve(e.getKey()), out -> out.write(png));
        }
        MetricsJson.write(dir.resolve(METRICS), ev, card, generated);
        PredictionsCsv.write(dir.resolve(PREDICTIONS), ev);
        Path html = dir.resolve(HTML);
        HtmlReport.write(html, ev, card, history, plots, thumbnails, gallery, generated);
        return html;
    }
}
