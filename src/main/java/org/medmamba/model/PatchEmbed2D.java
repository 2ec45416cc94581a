package org.medmamba.model;

import org.medmamba.autograd.ShapeOps;
import org.medmamba.autograd.Var;
import org.medmamba.nn.Conv2d;
import org.medmamba.nn.LayerNorm;
import org.medmamba.nn.Module;

import java.util.Random;

/** 4×4 stride-4 patch embedding: (B, Cin, H, W) → channels-last (B, H/4, W/4, dim), then LayerNorm. */
public final class PatchEmbed2D extends Module {
    private final Conv2d proj;
    private final LayerNorm norm;

    public PatchEmbed2D(int inChans, int dim, Random rnd) {
        proj = child("proj", new Conv2d(inChans, dim, 4, 4, 0, 1, true, rnd));
        norm = child("norm", new LayerNorm(dim));
    }

    public Var forward(Var x) {
        return norm.forward(ShapeOps.permute(proj.forward(x), 0, 2, 3, 1));
    }
}
