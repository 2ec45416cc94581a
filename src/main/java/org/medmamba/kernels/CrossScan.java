package org.medmamba.kernels;

/**
 * SS2D's four-direction selective scan for inference, on channels-last activations, with the
 * Δ projection and the cross-merge folded in. Over an H×W grid (L = H·W) direction k visits grid
 * positions p_k(l): k=0 row-major, k=1 column-major, k=2 and k=3 their reverses. For batch item
 * b, channel d and direction k, with e = k·D + d, a state h in R^N starting at 0, for l = 0..L−1
 * and p = p_k(l), row = xdbl[b, p, k·(R+2N) .. (k+1)·(R+2N)) = [dt (R), B (N), C (N)]:
 * <pre>
 *   Δ  = softplus(Σ_r wdt[e, r]·dt[r] + deltaBias[e])
 *   h  = exp(Δ · A[e, :]) ⊙ h + Δ · u[b, p, d] · B
 *   y[b, p, d] += ⟨h, C⟩ + dSkip[e] · u[b, p, d]        (summed over k = 0, 1, 2, 3 in that order)
 * </pre>
 * This is {@link SelectiveScan#forward} applied to the cross-scanned sequences, followed by the
 * cross-merge, without materialising the (B, 4, D, L) copies of u, Δ and y.
 * Layouts: u and y (B, H, W, D); xdbl (B, H, W, 4·(R+2N)); wdt (4·D, R); deltaBias and dSkip
 * (4·D); a (4·D, N), A itself (negative). y is overwritten.
 */
public interface CrossScan {

    /** Batch, grid height and width, channels D, Δ rank R, state size N. */
    record Dims(int batch, int height, int width, int channels, int rank, int state) {
        public Dims {
            if (batch < 1 || height < 1 || width < 1 || channels < 1 || rank < 1 || state < 1)
                throw new IllegalArgumentException("cross scan: every size must be ≥ 1, got batch " + batch + ", height " + height
                        + ", width " + width + ", channels " + channels + ", rank " + rank + ", state " + state);
        }
        public int length() { return height * width; }
        /** Floats per grid position in xdbl: four directions of [dt, B, C]. */
        public int rowWidth() { return 4 * (rank + 2 * state); }
    }

    void forward(Dims dims, float[] u, float[] xdbl, float[] wdt, float[] deltaBias, float[] a, float[] dSkip, float[] y);

    /** Grid position (row-major index) of step l of direction k. */
    static int gridIndex(int k, int l, int h, int w) {
        int s = k >= 2 ? h * w - 1 - l : l;
        return (k & 1) == 0 ? s : (s % h) * w + s / h;
    }
}
