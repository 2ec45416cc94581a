package example;

import org.medmamba.api.Classifier;
import org.medmamba.api.MedMambaException;
import org.medmamba.api.Prediction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Classifies image files with a model bundle: java example.ClassifyScans MODEL.mmb FILE... */
public class ClassifyScans {
    public static void main(String[] args) throws MedMambaException {
        List<Path> files = new ArrayList<>();
        for (String a : Arrays.copyOfRange(args, 1, args.length)) files.add(Path.of(a));

        try (Classifier classifier = Classifier.load(Path.of(args[0]))) {
            System.out.println("labels: " + classifier.labels());
            List<Prediction> predictions = classifier.predictAll(files);   // batched
            for (int i = 0; i < files.size(); i++) {
                Prediction p = predictions.get(i);
                System.out.printf("%s\t%s\t%d\t%s%n", files.get(i), p.label(), p.index(),
                        Arrays.toString(p.probabilities()));
            }
        } catch (MedMambaException e) {          // one line: the file and the problem
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
