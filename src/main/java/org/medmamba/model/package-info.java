/**
 * The MedMamba network as the original defines it (module names = checkpoint keys):
 * {@link org.medmamba.model.MedMamba}, its SS-Conv-SSM blocks ({@link org.medmamba.model.SSConvSSM},
 * {@link org.medmamba.model.SS2D}), presets ({@link org.medmamba.model.MedMambaConfig}),
 * architecture inference from tensor shapes, MAC counts; {@link org.medmamba.model.ScanRecording}
 * captures the selective scans' inputs and outputs for explanations (off unless opened).
 * <p>May import {@code nn}, {@code autograd}, {@code kernels}, {@code tensor}.
 */
package org.medmamba.model;
