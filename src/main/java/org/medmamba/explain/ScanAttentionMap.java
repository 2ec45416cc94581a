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
 * the sum over the four directions of the channel-mean |α| (rows normalised to sum 1, so a
 * block's mixing is a distribution over the cells it reads), and the block is taken as
 * R = ½·I + ½·Â: the residual and the convolution half of the SS-Conv-SSM block carry each cell
 * to itself. The head pools every last-stage cell equally, so the rollout starts from the uniform
 * distribution over the last grid and runs backwards, v ← v·R, block by block; across a patch
 * merging each cell's share goes equally to the 2 × 2 cells it was made from. The final
 * distribution over the earliest grid is upsampled bilinearly and divided by its maximum. The
 * map is that of the model, not of a class: the same for every class explained. The four
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

    public static Result explain(Predictor p, Image prepared, int classIndex, int fromStage) {
        MedMamba m = p.model();
        int n = p.bundle().labels().size();
        if (classIndex < 0 || classIndex >= n) throw new IllegalArgumentException("class index must be 0.." + (n - 1) + ", got " + classIndex);
        int c = prepared.channels(), h = prepared.height(), w = prepared.width();
        float[] x = Explanations.normalised(p, prepared);
        List<ScanRecording.Entry> entries;
        float prob;
        try (var g = GradMode.noGrad(); ScanRecording r = m.recordScans(fromStage)) {
            prob = Losses.softmax(m.forward(Var.constant(Tensor.of(x, 1, c, h, w)))).value().data()[classIndex];
            entries = List.copyOf(r.entries());
        }
        double[][] v = rollout(entries);
        ScanRecording.Entry first = entries.getFirst();
        String label = p.bundle().labels().get(classIndex);
        List<Explanation> dirs = new ArrayList<>(4);
        for (int k = 0; k < 4; k++)
            dirs.add(new Explanation("ssm." + ScanAttention.DIRECTIONS.get(k), classIndex, label, prob, h, w,
                    toInput(v[k + 1], first.scan().height(), first.scan().width(), h, w)));
        return new Result(new Explanation("ssm", classIndex, label, prob, h, w,
                toInput(v[0], first.scan().height(), first.scan().width(), h, w)), dirs);
    }

    /**
     * The rollout over the captured blocks (forward order, batch item 0): five distributions over
     * the first block's grid, [0] from the directions summed, [1 + k] from direction k alone.
     */
    static double[][] rollout(List<ScanRecording.Entry> entries) {
        ScanRecording.Entry last = entries.getLast();
        int len = last.scan().length(), gw = last.scan().width(), stage = last.stage();
        double[][] v = new double[5][len];
        for (double[] vi : v) java.util.Arrays.fill(vi, 1.0 / len);
        for (int i = entries.size() - 1; i >= 0; i--) {
            ScanRecording.Entry e = entries.get(i);
            int eh = e.scan().height(), ew = e.scan().width(), el = eh * ew;
            if (e.stage() != stage) {   // back through a patch merging: cell (y, x) came from (2y..2y+1, 2x..2x+1)
                for (int j = 0; j < 5; j++) v[j] = split(v[j], gw, eh, ew);
                stage = e.stage();
                gw = ew;
                len = el;
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
            if (rowSum <= 0) {
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
