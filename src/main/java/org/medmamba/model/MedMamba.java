package org.medmamba.model;

import org.medmamba.autograd.Reductions;
import org.medmamba.autograd.Var;
import org.medmamba.nn.Linear;
import org.medmamba.nn.Module;
import org.medmamba.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * MedMamba (the original's VSSM): patch embedding, four stages of SS-Conv-SSM blocks with patch
 * merging between them, global average pooling and a linear head. Parameter names reproduce the
 * original state dict exactly.
 */
public final class MedMamba extends Module {
    private final MedMambaConfig config;
    private final PatchEmbed2D patchEmbed;
    private final List<VSSLayer> layers = new ArrayList<>();
    private final Linear head;
    private final Random trainRnd;

    /**
     * @param seed seeds both the initial weights and the training-time randomness (drop path)
     */
    public MedMamba(MedMambaConfig config, long seed) {
        this(config, new Random(seed), new Random(seed ^ 0x5DEECE66DL));
    }

    public MedMamba(MedMambaConfig config, Random initRnd, Random trainRnd) {
        this.config = config;
        this.trainRnd = trainRnd;
        int[] depths = config.depths(), dims = config.dims();
        patchEmbed = child("patch_embed", new PatchEmbed2D(config.inChans(), dims[0], initRnd));
        float[] dpr = linspace(config.dropPathRate(), config.totalBlocks());
        VSSLayer.Blocks list = child("layers", new VSSLayer.Blocks());
        int start = 0;
        for (int i = 0; i < 4; i++) {
            float[] rates = java.util.Arrays.copyOfRange(dpr, start, start + depths[i]);
            start += depths[i];
            layers.add(list.add(i, new VSSLayer(dims[i], depths[i], config.dState(), rates, i < 3, initRnd, trainRnd)));
        }
        head = child("head", new Linear(dims[3], config.numClasses(), true, initRnd));
    }

    /** torch.linspace(0, max, n). */
    private static float[] linspace(float max, int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) r[i] = n == 1 ? 0f : (float) (max * i / (double) (n - 1));
        return r;
    }

    /**
     * Reseeds the training-time randomness (drop path). The trainer calls it before every step
     * with a seed derived from (run seed, epoch, step), so a resumed run draws the same masks.
     */
    public void reseedTraining(long seed) {
        trainRnd.setSeed(seed);
    }

    public MedMambaConfig config() {
        return config;
    }

    /** images (B, in_chans, H, W), H and W multiples of 32 → logits (B, num_classes). */
    public Var forward(Var images) {
        return forwardFrom(forwardTo(images, 3), 3);
    }

    /**
     * Patch embedding and stages 0..stage (each stage's patch merging included, as in the original's
     * {@code layers[i]}): the channels-last activation (B, H', W', C) that Grad-CAM looks at.
     * Split from {@link #forwardFrom} so a caller can make the activation a leaf and read its gradient.
     */
    public Var forwardTo(Var images, int stage) {
        checkStage(stage);
        int[] s = images.shape();
        if (s.length != 4 || s[1] != config.inChans())
            throw new IllegalArgumentException("expected input (B, " + config.inChans() + ", H, W), got " + Shape.str(s));
        if (s[2] % 32 != 0 || s[3] % 32 != 0)
            throw new IllegalArgumentException("image height and width must be multiples of 32, got " + s[2] + "x" + s[3]);
        Var x = patchEmbed.forward(images);
        for (int i = 0; i <= stage; i++) x = layers.get(i).forward(x);
        return x;
    }

    /** The rest of {@link #forward} after {@link #forwardTo}(…, stage): later stages, pooling, head → logits. */
    public Var forwardFrom(Var features, int stage) {
        checkStage(stage);
        Var x = features;
        for (int i = stage + 1; i < layers.size(); i++) x = layers.get(i).forward(x);
        return head.forward(Reductions.globalAvgPool(x));
    }

    /**
     * Starts recording the selective scans of every block of stages fromStage..3 (see
     * {@link ScanRecording}); close it to return to the fused inference path.
     */
    public ScanRecording recordScans(int fromStage) {
        checkStage(fromStage);
        return new ScanRecording(layers.stream().map(VSSLayer::scans).toList(), fromStage);
    }

    private void checkStage(int stage) {
        if (stage < 0 || stage >= layers.size()) throw new IllegalArgumentException("stage must be 0.." + (layers.size() - 1) + ", got " + stage);
    }
}
