package org.medmamba.eval.report;

import org.medmamba.train.EpochRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes an example report from synthetic predictions (3 classes, 300 samples, 10 epochs) and times
 * the bootstrap at 2,000 samples × 5 classes. Usage in docs/report.md.
 */
public final class ExampleReport {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/example-report");
        Synthetic s = new Synthetic(List.of("glioma", "meningioma", "no tumor"), 300, 1.3, 7);
        Evaluation ev = Evaluation.compute(s.labels, s.truth, s.probs, s.files, 0);
        List<EpochRecord> history = Synthetic.history(10, 3);
        ModelCard card = new ModelCard("tiny", "MedMambaConfig[depths=[2, 2, 4, 2], dims=[96, 192, 384, 768], d_state=16, num_classes=3, in_chans=3, drop_path_rate=0.1]",
                22_614_947, 224, 224, 3, new float[]{0.5f, 0.5f, 0.5f}, new float[]{0.5f, 0.5f, 0.5f},
                "data/brain-tumor-mri", "test", 10, history.stream().mapToDouble(EpochRecord::seconds).sum(),
                Map.of("source", "medmamba train (synthetic example)", "date", "2026-11-27T01:00:00Z"));
        System.out.println("wrote " + Report.write(dir, ev, card, history).toAbsolutePath());

        // stress: 12 classes, long labels, one class absent, no history
        List<String> many = new java.util.ArrayList<>();
        for (int c = 0; c < 12; c++) many.add(c == 0 ? "<script>&\"" : "class " + c + (c % 3 == 0 ? " with a rather long descriptive name" : ""));
        Synthetic m = new Synthetic(many, 1200, 1.6, 5);
        for (int i = 0; i < m.truth.length; i++) if (m.truth[i] == 11) m.truth[i] = 1;
        System.out.println("wrote " + Report.write(dir.resolveSibling(dir.getFileName() + "-12"),
                Evaluation.compute(m.labels, m.truth, m.probs, m.files, 0), ModelCard.unknown("predictions.csv", null), List.of()));

        Synthetic big = new Synthetic(List.of("a", "b", "c", "d", "e"), 2000, 1.0, 11);
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            Evaluation.compute(big.labels, big.truth, big.probs, big.files, rep);
            System.out.printf("Evaluation.compute, 2000 samples x 5 classes (2 x 1000 resamples): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        }
    }
}
