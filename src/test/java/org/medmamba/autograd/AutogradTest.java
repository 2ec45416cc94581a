package org.medmamba.autograd;

import org.junit.jupiter.api.Test;
import org.medmamba.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Tape behaviour: accumulation, no-grad mode, release of intermediates, and that the gradient check can fail. */
class AutogradTest {

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Var x = Var.param(Tensor.of(new float[]{1, 2, 3}, 3));
        Reductions.sumAll(Arith.mul(x, x)).backward();
        Reductions.sumAll(Arith.mul(x, x)).backward();
        assertArrayEquals(new float[]{4, 8, 12}, x.grad().data(), 0f);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void sharedInputGetsSummedGradientsWithoutAliasing() {
        Var a = Var.param(Tensor.of(new float[]{1, 2}, 2));
        Var b = Var.param(Tensor.of(new float[]{3, 4}, 2));
        Var s = Arith.add(a, b);                       // both receive the same gradient tensor
        Reductions.sumAll(Arith.add(s, a)).backward(); // a gets a second contribution
        assertArrayEquals(new float[]{2, 2}, a.grad().data(), 0f);
        assertArrayEquals(new float[]{1, 1}, b.grad().data(), 0f);
    }

    @Test
    void noGradRecordsNothing() {
        Var w = Var.param(Tensor.randn(new Random(1), 1f, 4, 4));
        Var y;
        try (var g = GradMode.noGrad()) {
            y = Activations.silu(LinearOps.linear(Var.constant(Tensor.randn(new Random(2), 1f, 2, 4)), w, null));
        }
        assertFalse(y.requiresGrad(), "no-grad results must not require grad");
        assertTrue(y.isLeaf(), "no-grad results must hold no tape node (and so no saved intermediates)");
        assertThrows(IllegalStateException.class, () -> Reductions.sumAll(y).backward());
        assertTrue(GradMode.enabled(), "scope restores grad mode");
    }

    @Test
    void backwardReleasesTheTape() {
        Var w = Var.param(Tensor.randn(new Random(1), 1f, 3));
        Var h = Activations.exp(w);
        Var loss = Reductions.sumAll(h);
        assertFalse(h.isLeaf());
        loss.backward();
        assertTrue(h.isLeaf(), "intermediate nodes are dropped after backward");
        assertNull(h.grad(), "intermediate gradients are not retained");
        assertNotNull(w.grad());
    }

    @Test
    void gradCheckCatchesAWrongGradient() {
        // y = 2x but the rule claims dy/dx = 3
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check("wrong", v -> {
            Var x = v[0];
            return Var.result(org.medmamba.tensor.TensorOps.scale(x.value(), 2f),
                    g -> x.accumulate(org.medmamba.tensor.TensorOps.scale(g, 3f)), x);
        }, Tensor.randn(new Random(3), 1f, 5)));
        assertTrue(e.getMessage().contains("analytic"));
    }
}
