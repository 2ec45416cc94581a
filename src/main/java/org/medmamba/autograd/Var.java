package org.medmamba.autograd;

import org.medmamba.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tensor in the autograd graph: its value, its gradient, and (for results of recorded
 * operations) the node that knows how to send a gradient back to the inputs. Leaves created with
 * {@link #param} accumulate gradients across {@link #backward()} calls until {@link #zeroGrad()}.
 */
public final class Var {
    private Tensor value;
    private Tensor grad;
    private boolean ownsGrad;          // grad may alias another Var's grad until we write into it
    private boolean requiresGrad;      // changes only on leaves (setRequiresGrad)
    private Node node;                 // null for leaves and for results of unrecorded ops

    /** The backward rule of one recorded operation: receives d(loss)/d(output). */
    @FunctionalInterface
    public interface Backward {
        void apply(Tensor gradOutput);
    }

    record Node(Var[] inputs, Backward backward) {}

    /** Observer of every op result (measurement tools only; null in normal runs). */
    @FunctionalInterface
    public interface OpListener {
        void onResult(Tensor value);
    }

    private static volatile OpListener listener;

    /** Installs a listener called after every op; returns the previous one. */
    public static OpListener setOpListener(OpListener l) {
        OpListener prev = listener;
        listener = l;
        return prev;
    }

    private Var(Tensor value, boolean requiresGrad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
    }

    /** A trainable leaf. */
    public static Var param(Tensor value) {
        return new Var(value, true);
    }

    /** A constant: never receives a gradient. */
    public static Var constant(Tensor value) {
        return new Var(value, false);
    }

    /**
     * The result of an operation on inputs. Records the backward rule only when grad mode is on and
     * some input requires a gradient; otherwise the closure is dropped and nothing is kept alive.
     */
    public static Var result(Tensor value, Backward backward, Var... inputs) {
        OpListener l = listener;
        if (l != null) l.onResult(value);
        if (GradMode.enabled()) {
            for (Var in : inputs) {
                if (in != null && in.requiresGrad) {
                    Var v = new Var(value, true);
                    v.node = new Node(inputs, backward);
                    return v;
                }
            }
        }
        return new Var(value, false);
    }

    /** True when recording is on and any of the vars needs a gradient: ops use it to skip saving state. */
    public static boolean recording(Var... inputs) {
        if (!GradMode.enabled()) return false;
        for (Var in : inputs) if (in != null && in.requiresGrad) return true;
        return false;
    }

    public Tensor value() { return value; }
    public Tensor grad() { return grad; }
    public boolean requiresGrad() { return requiresGrad; }
    public boolean isLeaf() { return node == null; }
    public int[] shape() { return value.shape(); }
    public int dim(int axis) { return value.dim(axis); }
    public int rank() { return value.rank(); }

    /**
     * Replaces a leaf's value (optimizer steps, checkpoint loading). Parameters are replaced, not
     * written in place: inference caches detect a changed parameter by its tensor's identity
     * (after an in-place edit, call {@code Module.clearInferenceCaches()}).
     */
    public void setValue(Tensor v) {
        if (!value.sameShape(v)) throw new IllegalArgumentException("shape mismatch on setValue");
        this.value = v;
    }

    /**
     * Turns a leaf's gradient off or back on. Explanations want ∂/∂input only: with the weights
     * off, the ops that check {@link #requiresGrad()} skip the weights' gradients (matmul and
     * convolution weight gradients are a large part of a backward pass) and nothing accumulates
     * into them. Results recorded before the change keep their graph.
     */
    public void setRequiresGrad(boolean on) {
        if (node != null) throw new IllegalStateException("requiresGrad can change on leaves only");
        requiresGrad = on;
    }

    public void zeroGrad() {
        grad = null;
        ownsGrad = false;
    }

    /** Adds g into this Var's gradient (g must have this Var's shape). */
    public void accumulate(Tensor g) {
        if (!requiresGrad) return;
        if (!g.sameShape(value))
            throw new IllegalStateException("gradient shape " + java.util.Arrays.toString(g.shape()) + " != value shape " + java.util.Arrays.toString(value.shape()));
        if (grad == null) {
            grad = g;
            ownsGrad = false;
            return;
        }
        if (!ownsGrad || !grad.isDense()) {
            grad = grad.copy();
            ownsGrad = true;
        }
        float[] a = grad.storage();
        if (g.isDense()) {
            float[] b = g.storage();
            for (int i = 0; i < a.length; i++) a[i] += b[i];
        } else {
            float[] b = g.data();
            for (int i = 0; i < a.length; i++) a[i] += b[i];
        }
    }

    /** Backpropagates from a scalar (seed 1). */
    public void backward() {
        if (value.size() != 1) throw new IllegalStateException("backward() without a seed needs a scalar, got shape " + java.util.Arrays.toString(value.shape()));
        backward(Tensor.full(1f, value.shape()));
    }

    /**
     * Reverse-mode sweep: visits the recorded graph in reverse topological order, calls each
     * node's rule once with its summed output gradient, then releases every intermediate (nodes
     * and non-leaf gradients), so memory held by the step is freed.
     */
    public void backward(Tensor seed) {
        if (!requiresGrad) throw new IllegalStateException("backward() on a value that does not require grad");
        List<Var> order = topoOrder(this);
        accumulate(seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Var v = order.get(i);
            Node n = v.node;
            if (n == null) continue;
            Tensor g = v.grad;
            v.node = null;             // release the closure and what it saved
            v.grad = null;             // non-leaf gradients are not retained
            if (g != null) n.backward.apply(g);
        }
        for (Var v : order) {
            if (v.isLeaf() && v.grad != null && !v.ownsGrad) {   // leaves must own what they accumulate into later
                v.grad = v.grad.copy();
                v.ownsGrad = true;
            }
        }
    }

    /** Iterative DFS post-order (deep graphs must not overflow the stack). */
    private static List<Var> topoOrder(Var root) {
        List<Var> order = new ArrayList<>();
        Map<Var, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        visited.put(root, true);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Var v = (Var) top[0];
            int next = (Integer) top[1];
            Var[] ins = v.node == null ? new Var[0] : v.node.inputs;
            if (next < ins.length) {
                top[1] = next + 1;
                Var c = ins[next];
                if (c != null && c.requiresGrad && visited.put(c, true) == null) stack.push(new Object[]{c, 0});
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    @Override
    public String toString() {
        return "Var(" + value + (requiresGrad ? ", requiresGrad" : "") + ")";
    }
}
