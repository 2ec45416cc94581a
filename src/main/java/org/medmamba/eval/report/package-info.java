/**
 * {@code metrics.json} and the self-contained {@code report.html} (PNG plots via XChart, model
 * card, learning curves). Read first: {@link org.medmamba.eval.report.Report} and
 * {@link org.medmamba.eval.report.Evaluation}; docs/report.md.
 * <p>May import {@code eval}, {@code train} (epoch records), {@code bundle}, {@code io}.
 */
package org.medmamba.eval.report;
