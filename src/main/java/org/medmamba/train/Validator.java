package org.medmamba.train;

import java.util.List;

/**
 * Scores the validation predictions after each epoch. The trainer only needs accuracy and macro
 * AUC to choose the best epoch; how they are computed belongs to {@code eval} (above this package),
 * so the caller passes it in: {@code org.medmamba.eval.Metrics::validationScore}.
 */
@FunctionalInterface
public interface Validator {
    /** macroAuc may be NaN (a class missing from the validation split); selection then uses accuracy. */
    record Score(double accuracy, double macroAuc) {}

    Score score(List<String> classes, int[] truth, float[][] probs);
}
