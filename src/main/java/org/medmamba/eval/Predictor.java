package org.medmamba.eval;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.data.image.Image;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.Tensor;

import java.util.List;

/** Eval-mode, no-grad batched prediction with a bundle's preprocessing (channels, size, normalisation). */
public final class Predictor {
    private final ModelBundle bundle;
    private final MedMamba model;

    public Predictor(ModelBundle bundle) {
        this.bundle = bundle;
        this.model = bundle.toModel();
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /** The network in eval mode (explanations run it with gradients on); callers serialise its use. */
    public MedMamba model() {
        return model;
    }

    /** Converts, resizes and normalises one decoded image for this model. */
    public Image prepare(Image img) {
        return img.toChannels(bundle.config().inChans()).resize(bundle.imageHeight(), bundle.imageWidth());
    }

    /** Softmax probabilities (one row per image, class-index order) for prepared images. */
    public float[][] predict(List<Image> prepared) {
        int c = bundle.config().inChans(), h = bundle.imageHeight(), w = bundle.imageWidth(), per = c * h * w;
        float[] batch = new float[prepared.size() * per];
        for (int i = 0; i < prepared.size(); i++) prepared.get(i).normalizeInto(bundle.mean(), bundle.std(), batch, i * per);
        try (var g = GradMode.noGrad()) {
            Tensor probs = Losses.softmax(model.forward(Var.constant(Tensor.of(batch, prepared.size(), c, h, w)))).value();
            int k = bundle.config().numClasses();
            float[] p = probs.data();
            float[][] out = new float[prepared.size()][k];
            for (int i = 0; i < out.length; i++) System.arraycopy(p, i * k, out[i], 0, k);
            return out;
        }
    }

    public static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
