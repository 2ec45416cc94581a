package org.medmamba.model;

import org.medmamba.autograd.Var;
import org.medmamba.nn.Module;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One stage: depth × SS-Conv-SSM blocks, then patch merging unless it is the last stage. */
public final class VSSLayer extends Module {
    private final List<SSConvSSM> blocks = new ArrayList<>();
    private final PatchMerging2D downsample;

    public VSSLayer(int dim, int depth, int dState, float[] dropPath, boolean downsample, Random initRnd, Random trainRnd) {
        Blocks holder = child("blocks", new Blocks());
        for (int j = 0; j < depth; j++) blocks.add(holder.add(j, new SSConvSSM(dim, dState, dropPath[j], initRnd, trainRnd)));
        this.downsample = downsample ? child("downsample", new PatchMerging2D(dim, initRnd)) : null;
    }

    /** The blocks' SS2D modules, in order. */
    java.util.List<SS2D> scans() {
        return blocks.stream().map(SSConvSSM::scan).toList();
    }

    public Var forward(Var x) {
        for (SSConvSSM b : blocks) x = b.forward(x);
        return downsample == null ? x : downsample.forward(x);
    }

    /** nn.ModuleList: children named 0, 1, ... */
    static final class Blocks extends Module {
        <M extends Module> M add(int i, M m) {
            return child(Integer.toString(i), m);
        }
    }
}
