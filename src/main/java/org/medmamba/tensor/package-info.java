/**
 * Float32 tensors: storage, shape, strides and views ({@link org.medmamba.tensor.Tensor}), int64
 * labels ({@link org.medmamba.tensor.LongTensor}), shape helpers.
 * <p>The bottom layer: imports nothing of ours.
 */
package org.medmamba.tensor;
