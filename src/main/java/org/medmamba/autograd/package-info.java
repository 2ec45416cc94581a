/**
 * Reverse-mode autograd: {@link org.medmamba.autograd.Var} (a tensor in the graph) and the
 * differentiable ops built on the kernels; {@link org.medmamba.autograd.GradMode} (recording on
 * or off); {@link org.medmamba.autograd.InferenceOps}, forward-only fused ops of the inference path.
 * <p>May import {@code kernels} and {@code tensor}.
 */
package org.medmamba.autograd;
