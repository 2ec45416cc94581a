package org.medmamba.data.loader;

import org.medmamba.tensor.Tensor;

/**
 * One batch of preprocessed images. Its arrays belong to the loader and are reused: a batch is valid
 * until the next call to {@link Epoch#next()}.
 *
 * @param number  position of the batch in its epoch
 * @param size    images in this batch (the last one may be short)
 * @param images  size × C × H × W floats (the array may be longer)
 * @param labels  class index per image
 * @param indices position of each image in the dataset's sample list
 */
public record Batch(int epoch, int number, int size, int channels, int height, int width,
                    float[] images, int[] labels, int[] indices) {
    /** The images as a (size, C, H, W) tensor over the loader's array (no copy). */
    public Tensor tensor() {
        return new Tensor(images, 0, new int[]{size, channels, height, width},
                new int[]{channels * height * width, height * width, width, 1});
    }
}
