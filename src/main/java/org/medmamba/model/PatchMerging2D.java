package org.medmamba.model;

import org.medmamba.autograd.ShapeOps;
import org.medmamba.autograd.Var;
import org.medmamba.nn.LayerNorm;
import org.medmamba.nn.Linear;
import org.medmamba.nn.Module;

import java.util.Random;

/**
 * Downsampling between stages: the four 2×2 sub-grids (even/even, odd/even, even/odd, odd/odd in
 * (row, col)) concatenated on channels, LayerNorm(4C), Linear(4C → 2C, no bias).
 */
public final class PatchMerging2D extends Module {
    private final LayerNorm norm;
    private final Linear reduction;

    public PatchMerging2D(int dim, Random rnd) {
        reduction = child("reduction", new Linear(4 * dim, 2 * dim, false, rnd));
        norm = child("norm", new LayerNorm(4 * dim));
    }

    /** x (B, H, W, C) → (B, H/2, W/2, 2C). */
    public Var forward(Var x) {
        int h = x.dim(1), w = x.dim(2);
        Var x0 = ShapeOps.slice(ShapeOps.slice(x, 1, 0, h, 2), 2, 0, w, 2);
        Var x1 = ShapeOps.slice(ShapeOps.slice(x, 1, 1, h, 2), 2, 0, w, 2);
        Var x2 = ShapeOps.slice(ShapeOps.slice(x, 1, 0, h, 2), 2, 1, w, 2);
        Var x3 = ShapeOps.slice(ShapeOps.slice(x, 1, 1, h, 2), 2, 1, w, 2);
        return reduction.forward(norm.forward(ShapeOps.concat(-1, x0, x1, x2, x3)));
    }
}
