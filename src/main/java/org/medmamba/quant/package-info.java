/**
 * Post-training weight quantisation of a MedMamba state dict: the schemes (float16/bfloat16,
 * int8 per output channel, int4 group-wise), which tensors they apply to, and how quantised
 * tensors and their scales are laid out in a safetensors bundle and read back.
 *
 * Also the optional calibration ({@link org.medmamba.quant.Calibration}): smoothing scales
 * chosen by running calibration images through the float model, and error-compensating rounding
 * of every linear and convolution layer on those images' inputs ({@link org.medmamba.quant.Gptq}).
 *
 * <p>May import {@code tensor}, {@code kernels} (the {@link org.medmamba.kernels.QuantizedMatrix}
 * operand), {@code autograd}, {@code nn} and {@code model} (to run the float model on calibration
 * images) and {@code io}; {@code bundle} and everything above use it.
 */
package org.medmamba.quant;
