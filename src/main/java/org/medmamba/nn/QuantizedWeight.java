package org.medmamba.nn;

import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.tensor.Tensor;

/**
 * A layer's integer weights together with the float weight tensor they were made from: they are
 * valid only while the layer still holds that tensor (an optimizer step or a later loadStateDict
 * replaces it, and the integers would then describe old weights).
 */
final class QuantizedWeight {
    private QuantizedMatrix matrix;
    private Tensor madeFrom;

    void set(QuantizedMatrix q, Tensor from) {
        matrix = q;
        madeFrom = from;
    }

    /** The integer weights, or null when none were set or {@code current} is no longer the tensor they came from. */
    QuantizedMatrix forWeight(Tensor current) {
        return madeFrom == current ? matrix : null;
    }
}
