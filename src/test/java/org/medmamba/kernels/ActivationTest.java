package org.medmamba.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vector-API activations against the double-precision reference, at odd and round sizes. */
class ActivationTest {
    static Stream<Arguments> cases() {
        return Stream.of(Activation.Kind.values()).flatMap(k ->
                Stream.of(1, 7, 33, 35, 97, 256, 40000).map(n -> Arguments.of(k, n)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void vectorMatchesReference(Activation.Kind kind, int n) {
        Random rnd = new Random(n * 31L + kind.ordinal());
        float[] x = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 6);
            if (i % 11 == 0) x[i] = 18 + 6 * rnd.nextFloat();   // around softplus' threshold
            if (kind == Activation.Kind.EXP) x[i] = Math.min(x[i], 30f);
            g[i] = (float) rnd.nextGaussian();
        }
        Activation ref = new ReferenceActivation(), vec = new VectorActivation();
        float[] yr = new float[n], yv = new float[n], gr = new float[n], gv = new float[n];
        ref.forward(kind, x, yr, n);
        vec.forward(kind, x, yv, n);
        ref.backward(kind, x, yr, g, gr, n);
        vec.backward(kind, x, yv, g, gv, n);
        for (int i = 0; i < n; i++) {
            float tolY = 2e-6f * Math.max(1f, Math.abs(yr[i])), tolG = 2e-6f * Math.max(1f, Math.abs(gr[i]));
            int fi = i;
            assertTrue(Math.abs(yr[i] - yv[i]) <= tolY, () -> kind + " forward at x=" + x[fi] + ": " + yv[fi] + " vs " + yr[fi]);
            assertTrue(Math.abs(gr[i] - gv[i]) <= tolG, () -> kind + " backward at x=" + x[fi] + ": " + gv[fi] + " vs " + gr[fi]);
        }
    }
}
