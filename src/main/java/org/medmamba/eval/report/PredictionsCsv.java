package org.medmamba.eval.report;

import org.medmamba.data.Csv;
import org.medmamba.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * predictions.csv: one row per evaluated sample, in evaluation order — file, frame (only when a
 * file holds several samples), true and predicted label, then one probability column per class
 * ({@code p_LABEL}, label order). RFC 4180 quoting; probabilities as the shortest decimal that
 * reads back to the same float. A text cell that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or CR) gets a leading apostrophe (OWASP's advice against CSV injection).
 */
public final class PredictionsCsv {
    private PredictionsCsv() {}

    public static String render(Evaluation ev) {
        boolean frames = ev.hasFrames();
        StringBuilder sb = new StringBuilder(64 * (ev.truth().length + 1));
        sb.append("file").append(frames ? ",frame" : "").append(",true,predicted");
        for (String l : ev.labels()) sb.append(',').append(text("p_" + l));
        sb.append("\r\n");
        for (int i = 0; i < ev.truth().length; i++) {
            sb.append(text(ev.files().get(i)));
            if (frames) sb.append(',').append(ev.frames()[i] >= 0 ? Integer.toString(ev.frames()[i]) : "");
            sb.append(',').append(text(ev.labels().get(ev.truth()[i])))
                    .append(',').append(text(ev.labels().get(ev.predicted(i))));
            for (float p : ev.probs()[i]) sb.append(',').append(p);
            sb.append("\r\n");
        }
        return sb.toString();
    }

    /** A text cell, quoted, defused when a spreadsheet would evaluate it. */
    static String text(String s) {
        boolean formula = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0;
        return Csv.quote(formula ? "'" + s : s);
    }

    public static void write(Path file, Evaluation ev) throws IOException {
        byte[] bytes = render(ev).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
