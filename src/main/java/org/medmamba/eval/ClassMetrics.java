package org.medmamba.eval;

/**
 * One class, one-vs-rest. Ratios with a zero denominator are 0 (scikit-learn's zero_division=0),
 * except AUC, which is NaN when the class has no positive or no negative sample.
 */
public record ClassMetrics(String label, long support, double sensitivity, double specificity, double precision,
                           double f1, double auc) {}
