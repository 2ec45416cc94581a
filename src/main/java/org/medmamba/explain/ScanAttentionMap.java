package org.medmamba.explain;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.model.MedMamba;
import org.medmamba.model.ScanRecording;
import org.medmamba.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ssm} map: the scan's hidden attention ({@link ScanAttention}) of every block of
 * stages fromStage..3, rolled out across blocks and stages in the manner of attention rollout
 * (Abnar &amp; Zuidema, 2020), at input resolution. Per block the attention between grid cells is
 * the sum over the four directions of the channel-mean |α|, rows normalised to sum 1 (Â: a
 * distribution over the cells each cell reads), and the block counts as R = ½·I + ½·Â: the
 * residual and the convolution half of the SS-Conv-SSM block carry each cell to itself. The
 * rollout starts from a distribution over the last stage's grid ({@link Seed}: by default
 * Grad-CAM's relevance of the class there, where the head reads the evidence) and runs
 * backwards, v ← v·R, block by block; across a patch merging each cell's share goes equally to
 * the 2 × 2 cells it was made from. The distribution over stage fromStage's grid (the input
 * size / 2^(2 + fromStage)) is upsampled bilinearly and divided by its maximum. The four
 * per-direction maps are the same rollout with one direction's attention alone.
 */
public final class ScanAttentionMap {
    private ScanAttentionMap() {}

    /** The combined map ({@code ssm}) and one per direction ({@code ssm.row}, …, in {@link ScanAttention#DIRECTIONS} order). */
    public record Result(Explanation combined, List<Explanation> directions) {
        /** The combined map first, then the directions. */
        public List<Explanation> all() {
            List<Explanation> l = new ArrayList<>(1 + directions.size());
            l.add(combined);
            l.addAll(directions);
            return l;
        }
    }

    /** Where the rollout starts, on the last stage's grid. */
    public enum Seed {
        /**
         * Grad-CAM's relevance of the explained class there, ReLU(Σ_k mean(∂y_c/∂A_k)·A_k)
         * normalised to sum 1 (uniform if it is all zero): the map follows the class evidence
         * back through the scans, and depends on the class and on every later weight.
         */
        CLASS,
        /** Every cell equally (the head pools them equally): the scans' own attention, the same for every class. */
        UNIFORM
    }

    /** The {@code ssm} maps: {@link Seed#CLASS}. */
    public static Result explain(Predictor p, Image prepared, int classIndex, int fromStage) {
        return explain(p, prepared, classIndex, fromStage, Seed.CLASS);
    }

    /**
     * The maps for classIndex from the blocks of stages fromStage..3: one forward pass, the
     * stages from fromStage on the recorded scan path (plus, for {@link Seed#CLASS}, the head's
     * backward pass to the last stage, as Grad-CAM); the attention costs O(4·D·L²·N) per block (L the
     * block's grid cells, D its channels, N the state size) and 5·L² floats.
     */
    public static Result explain(Predictor p, Image prepared, int classIndex, int fromStage, Seed seed) {
        if (fromStage < 0 || fromStage > 3) throw new IllegalArgumentException("stage must be 0..3, got " + fromStage);
        MedMamba m = p.model();
        int n = p.bundle().labels().size();
        if (classIndex < 0 || classIndex >= n) throw new IllegalArgumentException("class index must be 0.." + (n - 1) + ", got " + classIndex);
        int c = prepared.channels(), h = prepared.height(), w = prepared.width();
        Var x = Var.constant(Tensor.of(Explanations.normalised(p, prepared), 1, c, h, w));
        List<ScanRecording.Entry> entries;
        Tensor act;
        try (var g = GradMode.noGrad(); ScanRecording r = m.recordScans(fromStage)) {
            act = m.forwardTo(x, 3).value();
            entries = List.copyOf(r.entries());
        }
        int sh = act.dim(1), sw = act.dim(2), cells = sh * sw, k = act.dim(3);
        double[] start = new double[cells];
        java.util.Arrays.fill(start, 1.0 / cells);
        float prob;
        Var a = Var.param(act);
        try (var g = seed == Seed.CLASS ? GradMode.enableGrad() : GradMode.noGrad()) {
            Var logits = m.forwardFrom(seed == Seed.CLASS ? a : Var.constant(act), 3);
            prob = Losses.softmax(logits).value().data()[classIndex];
            if (seed == Seed.CLASS) {
                Tensor one = Tensor.zeros(logits.shape());
                one.storage()[classIndex] = 1f;
                logits.backward(one);
            }
        } finally {
            for (Var v : m.parameters()) v.zeroGrad();   // leave no gradients on the weights
        }
        if (seed == Seed.CLASS) {
            float[] av = act.data();
            double[] weight = Explanations.camWeights(av, a.grad().data(), cells, k, false), cam = new double[cells];
            double total = 0;
            for (int i = 0; i < cells; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) s += weight[j] * av[i * k + j];
                cam[i] = Math.max(0, s);
                total += cam[i];
            }
            if (total > 0) for (int i = 0; i < cells; i++) start[i] = cam[i] / total;
        }
        double[][] v = rollout(entries, start, sw);
        ScanRecording.Entry first = entries.getFirst();
        int gh = first.scan().height(), gw = first.scan().width();
        String label = p.bundle().labels().get(classIndex);
        List<Explanation> dirs = new ArrayList<>(4);
        for (int d = 0; d < 4; d++)
            dirs.add(new Explanation("ssm." + ScanAttention.DIRECTIONS.get(d), classIndex, label, prob, h, w, toInput(v[d + 1], gh, gw, h, w)));
        return new Result(new Explanation("ssm", classIndex, label, prob, h, w, toInput(v[0], gh, gw, h, w)), dirs);
    }

    /**
     * The rollout over the captured blocks (forward order, batch item 0): five distributions over
     * the first block's grid, [0] from the directions summed, [1 + k] from direction k alone.
     */
    static double[][] rollout(List<ScanRecording.Entry> entries, double[] start, int startWidth) {
        int gw = startWidth;
        double[][] v = new double[5][];
        for (int j = 0; j < 5; j++) v[j] = start.clone();
        for (int i = entries.size() - 1; i >= 0; i--) {
            ScanRecording.Entry e = entries.get(i);
            int eh = e.scan().height(), ew = e.scan().width(), el = eh * ew;
            if (v[0].length != el) {   // back through a patch merging: cell (y, x) came from (2y..2y+1, 2x..2x+1)
                for (int j = 0; j < 5; j++) v[j] = split(v[j], gw, eh, ew);
                gw = ew;
            }
            float[][] att = ScanAttention.directionMaps(e.scan(), 0);
            float[] sum = new float[el * el];
            for (float[] a : att) for (int q = 0; q < sum.length; q++) sum[q] += a[q];
            v[0] = step(v[0], sum, el);
            for (int k = 0; k < 4; k++) v[k + 1] = step(v[k + 1], att[k], el);
        }
        return v;
    }

    /** v·(½I + ½Â), Â the row-normalised attention; a row with no attention keeps its share. */
    static double[] step(double[] v, float[] att, int len) {
        double[] out = new double[len];
        for (int p = 0; p < len; p++) {
            double rowSum = 0;
            for (int q = 0; q < len; q++) rowSum += att[p * len + q];
            if (!(rowSum > 0)) {
                out[p] += v[p];
                continue;
            }
            out[p] += 0.5 * v[p];
            double f = 0.5 * v[p] / rowSum;
            for (int q = 0; q < len; q++) out[q] += f * att[p * len + q];
        }
        return out;
    }

    /** A distribution over a grid of width cw handed to the finer h × w grid it was merged from, each parent's share split equally among its children. */
    static double[] split(double[] coarse, int cw, int h, int w) {
        int[] children = new int[coarse.length];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) children[(y / 2) * cw + x / 2]++;
        double[] fine = new double[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int parent = (y / 2) * cw + x / 2;
                fine[y * w + x] = coarse[parent] / children[parent];
            }
        return fine;
    }

    private static float[] toInput(double[] v, int gh, int gw, int h, int w) {
        float[] cells = new float[v.length];
        for (int i = 0; i < v.length; i++) cells[i] = (float) v[i];
        float[] map = new Image(1, gh, gw, cells).resize(h, w).data().clone();
        float max = 0;
        for (float f : map) max = Math.max(max, f);
        for (int i = 0; i < map.length; i++) map[i] = max > 0 ? Math.max(0f, map[i] / max) : 0f;
        return map;
    }
}
