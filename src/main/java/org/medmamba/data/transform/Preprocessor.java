package org.medmamba.data.transform;

import org.medmamba.data.image.Resampler;
import org.medmamba.data.image.Image;

import java.util.SplittableRandom;

/**
 * Applies a {@link Preprocessing} to one image at a time, writing straight into a batch buffer.
 * Keeps its scratch buffers between images, so use one instance per thread.
 */
public final class Preprocessor {
    private final Preprocessing p;
    private final Resampler resampler = new Resampler();
    private float[] a, b;

    public Preprocessor(Preprocessing p) {
        this.p = p;
        a = new float[p.floatsPerImage()];
        b = new float[p.floatsPerImage()];
    }

    public Preprocessing preprocessing() {
        return p;
    }

    /**
     * The generator seed of one sample in one epoch: a SplitMix64-style mix, so (seed, epoch, index)
     * alone fixes the augmentation whichever thread handles the sample and in whatever order.
     */
    public static long sampleSeed(long seed, int epoch, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + index * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The augmentation this sample gets (null without augmentation). */
    public Draw draw(Image src, long sampleSeed) {
        if (p.augmentation() == null) return null;
        return Draw.of(new SplittableRandom(sampleSeed), p.augmentation(), src.height(), src.width(), p.height(), p.width());
    }

    /** Preprocesses src into dst[off … off + C·H·W); sampleSeed is ignored without augmentation. */
    public void apply(Image src, long sampleSeed, float[] dst, int off) {
        apply(src, draw(src, sampleSeed), dst, off);
    }

    /** Preprocesses with given random choices (null: evaluation — resize the whole image). */
    public void apply(Image src, Draw d, float[] dst, int off) {
        Image img = src.toChannels(p.channels());
        int c = p.channels(), h = p.height(), w = p.width(), plane = h * w;
        if (d == null) {
            resampler.resize(img.data(), c, img.height(), img.width(), 0, 0, img.height(), img.width(), h, w, a, 0);
            normalize(a, dst, off);
            return;
        }
        CropBox box = d.crop();
        resampler.resize(img.data(), c, img.height(), img.width(), box.top(), box.left(), box.height(), box.width(), h, w, a, 0);
        float[] cur = a;
        if (d.moves()) {
            Warp.apply(a, b, c, h, w, d.flip(), d.degrees(), d.tx(), d.ty());
            cur = b;
        }
        if (d.brightnessFirst()) {
            if (d.brightness() != 1) ColorJitter.brightness(cur, 0, c * plane, d.brightness());
            if (d.contrast() != 1) ColorJitter.contrast(cur, 0, c, plane, d.contrast());
        } else {
            if (d.contrast() != 1) ColorJitter.contrast(cur, 0, c, plane, d.contrast());
            if (d.brightness() != 1) ColorJitter.brightness(cur, 0, c * plane, d.brightness());
        }
        normalize(cur, dst, off);
    }

    private void normalize(float[] src, float[] dst, int off) {
        int plane = p.height() * p.width();
        for (int c = 0; c < p.channels(); c++) {
            float m = p.mean()[c], s0 = p.std()[c];
            int s = c * plane, o = off + c * plane;
            for (int i = 0; i < plane; i++) dst[o + i] = (src[s + i] - m) / s0; // division: bit-exact (x − mean) / std
        }
    }
}
