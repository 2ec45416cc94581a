package org.medmamba.autograd;

import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;
import org.medmamba.tensor.TensorOps;

import java.util.Arrays;

/** Elementwise add, sub, mul with NumPy broadcasting, and scalar variants. */
public final class Arith {
    private Arith() {}

    private enum Op { ADD, SUB, MUL }

    public static Var add(Var a, Var b) { return binary(a, b, Op.ADD); }
    public static Var sub(Var a, Var b) { return binary(a, b, Op.SUB); }
    public static Var mul(Var a, Var b) { return binary(a, b, Op.MUL); }

    public static Var mulScalar(Var a, float s) {
        Tensor out = TensorOps.scale(a.value(), s);
        return Var.result(out, g -> a.accumulate(TensorOps.scale(g, s)), a);
    }

    public static Var addScalar(Var a, float s) {
        float[] x = a.value().data(), o = new float[x.length];
        for (int i = 0; i < o.length; i++) o[i] = x[i] + s;
        return Var.result(Tensor.of(o, a.shape()), a::accumulate, a);
    }

    private static Var binary(Var a, Var b, Op op) {
        Tensor av = a.value(), bv = b.value();
        int[] as = av.shape(), bs = bv.shape();
        int[] os = Arrays.equals(as, bs) ? as : Shape.broadcast(as, bs);
        float[] x = dense(av, os), y = dense(bv, os);
        float[] o = new float[x.length];
        switch (op) {
            case ADD -> { for (int i = 0; i < o.length; i++) o[i] = x[i] + y[i]; }
            case SUB -> { for (int i = 0; i < o.length; i++) o[i] = x[i] - y[i]; }
            case MUL -> { for (int i = 0; i < o.length; i++) o[i] = x[i] * y[i]; }
        }
        Tensor out = Tensor.of(o, os);
        boolean rec = Var.recording(a, b);
        return Var.result(out, !rec ? null : g -> {
            float[] gd = g.data();
            if (a.requiresGrad()) {
                Tensor ga = switch (op) {
                    case ADD, SUB -> g;
                    case MUL -> Tensor.of(mulArr(gd, y), os);
                };
                a.accumulate(TensorOps.sumTo(ga, as));
            }
            if (b.requiresGrad()) {
                Tensor gb = switch (op) {
                    case ADD -> g;
                    case SUB -> TensorOps.scale(g, -1f);
                    case MUL -> Tensor.of(mulArr(gd, x), os);
                };
                b.accumulate(TensorOps.sumTo(gb, bs));
            }
        }, a, b);
    }

    /** Dense data of t broadcast to shape (no copy when t already has that shape and is dense). */
    private static float[] dense(Tensor t, int[] shape) {
        if (Arrays.equals(t.shape(), shape)) return t.data();
        return TensorOps.expand(t, shape).copy().storage();
    }

    private static float[] mulArr(float[] a, float[] b) {
        float[] o = new float[a.length];
        for (int i = 0; i < o.length; i++) o[i] = a[i] * b[i];
        return o;
    }
}
