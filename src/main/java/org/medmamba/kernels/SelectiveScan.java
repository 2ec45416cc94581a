package org.medmamba.kernels;

/**
 * The Mamba S6 selective scan with real A and per-step B, C shared by the channels of a group
 * (MedMamba: one group per scan direction). For each batch item b, channel d (in group g) and
 * state h in R^N starting at 0, for l = 0..L-1:
 * <pre>
 *   Δ      = softplus(delta[b,d,l] + deltaBias[d])     softplus(v) = v > 20 ? v : log1p(exp(v))
 *   h      = exp(Δ · A[d,:]) ⊙ h + Δ · u[b,d,l] · B[b,g,l,:]
 *   y[b,d,l] = ⟨h, C[b,g,l,:]⟩ + D[d] · u[b,d,l]
 * </pre>
 * Layouts (all contiguous, row-major):
 * u, delta, y and their gradients (batch, groups·channels, length);
 * a and dA (groups·channels, state) — A itself, i.e. already −exp(A_log);
 * b, c and their gradients (batch, groups, length, state);
 * dSkip (the D vector), deltaBias and their gradients (groups·channels).
 * Gradient outputs are overwritten, not accumulated.
 *
 * <p>Training calls the {@code saved} overloads: an implementation may keep some of the forward's
 * work in an opaque array of {@link #savedFloats} floats (the vector kernel keeps its states at
 * chunk starts) so that backward need not recompute it. The results are the same, bit for bit,
 * with or without it.
 */
public interface SelectiveScan {

    /** Problem size: batch, groups (directions), channels per group, sequence length, state size N. */
    record Dims(int batch, int groups, int channels, int length, int state) {
        public Dims {
            if (batch < 1 || groups < 1 || channels < 1 || length < 1 || state < 1)
                throw new IllegalArgumentException("bad scan dims " + batch + "," + groups + "," + channels + "," + length + "," + state);
        }
        public int totalChannels() { return groups * channels; }
    }

    void forward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                 float[] dSkip, float[] deltaBias, float[] y);

    void backward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                  float[] dSkip, float[] deltaBias, float[] dy,
                  float[] du, float[] dDelta, float[] dA, float[] dB, float[] dC,
                  float[] dDSkip, float[] dDeltaBias);

    /** Floats of forward state this implementation can hand to backward; 0 (the default): none. */
    default long savedFloats(Dims dims) {
        return 0;
    }

    /** {@link #forward}, also filling {@code saved} ({@link #savedFloats} long, or null: nothing saved). */
    default void forward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                         float[] dSkip, float[] deltaBias, float[] y, float[] saved) {
        forward(dims, u, delta, a, b, c, dSkip, deltaBias, y);
    }

    /** {@link #backward} given what the forward of the same inputs saved (null: recompute it). */
    default void backward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                          float[] dSkip, float[] deltaBias, float[] dy,
                          float[] du, float[] dDelta, float[] dA, float[] dB, float[] dC,
                          float[] dDSkip, float[] dDeltaBias, float[] saved) {
        backward(dims, u, delta, a, b, c, dSkip, deltaBias, dy, du, dDelta, dA, dB, dC, dDSkip, dDeltaBias);
    }
}
