/**
 * Layers with named parameters and buffers whose names are the PyTorch state-dict keys:
 * {@link org.medmamba.nn.Module} (also {@code inferencePath()}, the one switch between the
 * recorded and the fused inference path), Linear, Conv2d, LayerNorm, BatchNorm2d, and
 * QuantizedWeight (integer weights bound to the float tensor they were made from).
 * <p>May import {@code autograd}, {@code kernels}, {@code tensor}.
 */
package org.medmamba.nn;
