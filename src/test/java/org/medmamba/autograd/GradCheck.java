package org.medmamba.autograd;

import org.medmamba.tensor.Tensor;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient check. The op's output y is contracted with fixed random weights R
 * into a scalar L = Σ R·y, accumulated in double; the analytic gradient of L (from backward)
 * is compared with central differences (L(x+h) − L(x−h)) / 2h per checked element.
 */
final class GradCheck {
    private GradCheck() {}

    static void check(String name, Function<Var[], Var> f, Tensor... inputs) {
        check(name, f, 1e-2, 2e-2, inputs);
    }

    /**
     * @param h   finite-difference step
     * @param tol relative tolerance: |analytic − numeric| ≤ tol · (|numeric| + max|numeric| of that input + 1e-3)
     */
    static void check(String name, Function<Var[], Var> f, double h, double tol, Tensor... inputs) {
        Var[] params = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) params[i] = Var.param(inputs[i].copy());
        Var y = f.apply(params);
        Random rnd = new Random(1234);
        Tensor r = Tensor.randn(rnd, 1f, y.shape());
        Var loss = Reductions.sumAll(Arith.mul(y, Var.constant(r)));
        loss.backward();
        float[] rw = r.data();
        int checked = 0;
        for (int i = 0; i < inputs.length; i++) {
            float[] x = params[i].value().data();
            Tensor grad = params[i].grad();
            if (grad == null) fail(name + ": input " + i + " got no gradient");
            float[] an = grad.data();
            int n = x.length;
            // check every element of small inputs, a seeded sample of large ones
            int[] idx = sample(n, 64, new Random(99 + i));
            double[] num = new double[idx.length];
            double scale = 0;
            for (int t = 0; t < idx.length; t++) {
                int j = idx[t];
                float orig = x[j];
                x[j] = (float) (orig + h);
                double lp = eval(f, params, rw);
                x[j] = (float) (orig - h);
                double lm = eval(f, params, rw);
                x[j] = orig;
                double actualH = ((double) (float) (orig + h) - (double) (float) (orig - h)) / 2;
                num[t] = (lp - lm) / (2 * actualH);
                scale = Math.max(scale, Math.abs(num[t]));
            }
            for (int t = 0; t < idx.length; t++) {
                int j = idx[t];
                double err = Math.abs(an[j] - num[t]);
                double bound = tol * (Math.abs(num[t]) + scale + 1e-3);
                if (!(err <= bound))
                    fail(name + ": input " + i + " element " + j + " analytic " + an[j] + " numeric " + num[t]
                            + " (err " + err + " > " + bound + ")");
                checked++;
            }
        }
        assertTrue(checked > 0, name + ": nothing checked");
    }

    private static double eval(Function<Var[], Var> f, Var[] params, float[] rw) {
        try (var g = GradMode.noGrad()) {
            float[] y = f.apply(params).value().data();
            double s = 0;
            for (int k = 0; k < y.length; k++) s += (double) y[k] * rw[k];
            return s;
        }
    }

    private static int[] sample(int n, int max, Random rnd) {
        if (n <= max) {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) a[i] = i;
            return a;
        }
        int[] a = new int[max];
        for (int i = 0; i < max; i++) a[i] = rnd.nextInt(n);
        return a;
    }
}
