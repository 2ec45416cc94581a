/**
 * {@code metrics.json}, {@code predictions.csv} and the self-contained {@code report.html} (PNG
 * plots via XChart, operating points, warnings, mistakes with thumbnails, a gallery of overlays made
 * by the caller, a model card in words). Read first: {@link org.medmamba.eval.report.Report} and
 * {@link org.medmamba.eval.report.Evaluation}; docs/report.md.
 * <p>May import {@code eval}, {@code train} (epoch records), {@code bundle}, {@code data}
 * (CSV quoting, decoded images for thumbnails), {@code io}.
 */
package org.medmamba.eval.report;
