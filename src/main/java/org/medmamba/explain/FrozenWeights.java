package org.medmamba.explain;

import org.medmamba.autograd.Var;
import org.medmamba.model.MedMamba;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's weights taken out of the gradient computation for the length of a try block: a
 * map needs ∂/∂input (or ∂/∂activation) only, and the backward pass then skips the weights'
 * gradients. Restores exactly the weights it turned off.
 */
final class FrozenWeights implements AutoCloseable {
    private final List<Var> frozen = new ArrayList<>();

    private FrozenWeights(MedMamba m) {
        for (Var v : m.parameters())
            if (v.requiresGrad()) {
                v.setRequiresGrad(false);
                frozen.add(v);
            }
    }

    static FrozenWeights of(MedMamba m) {
        return new FrozenWeights(m);
    }

    @Override
    public void close() {
        for (Var v : frozen) v.setRequiresGrad(true);
    }
}
