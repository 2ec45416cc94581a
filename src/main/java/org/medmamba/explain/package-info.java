/**
 * Explanations of one prediction as H × W maps at the model's input resolution: gradient saliency,
 * Grad-CAM on a stage's activation, occlusion and the selective scan's hidden attention
 * ({@link org.medmamba.explain.ScanAttention}, rolled out by {@link org.medmamba.explain.ScanAttentionMap}),
 * plus their outputs (a NumPy .npy map and a PNG overlay, and the overlay as a DICOM Secondary Capture),
 * and what they cost ({@code ExplainBenchmark}). Read first: {@link org.medmamba.explain.Explanations}.
 * <p>May import {@code eval} and below; {@code api} wraps it as {@code Explainer}.
 */
package org.medmamba.explain;
