package org.medmamba.train;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.data.loader.Batch;
import org.medmamba.data.loader.DataLoader;
import org.medmamba.data.loader.Epoch;
import org.medmamba.model.MedMamba;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Softmax probabilities of a model over one pass of a loader (no grad; the caller sets eval mode),
 * in the loader's order.
 *
 * @param indices position of each row's sample in the loader's sample list
 */
public record LoaderPredictions(float[][] probs, int[] truth, int[] indices) {
    /** progress receives the number of images done after each batch. */
    public static LoaderPredictions of(MedMamba model, DataLoader loader, IntConsumer progress) {
        int n = loader.samples().size(), k = model.config().numClasses();
        float[][] probs = new float[n][];
        int[] truth = new int[n], indices = new int[n];
        int i = 0;
        try (var g = GradMode.noGrad(); Epoch ep = loader.epoch(0)) {
            while (ep.hasNext()) {
                Batch b = ep.next();
                float[] p = Losses.softmax(model.forward(Var.constant(b.tensor()))).value().data();
                for (int j = 0; j < b.size(); j++, i++) {
                    probs[i] = Arrays.copyOfRange(p, j * k, (j + 1) * k);
                    truth[i] = b.labels()[j];
                    indices[i] = b.indices()[j];
                }
                progress.accept(i);
            }
        }
        return new LoaderPredictions(Arrays.copyOf(probs, i), Arrays.copyOf(truth, i), Arrays.copyOf(indices, i));
    }
}
