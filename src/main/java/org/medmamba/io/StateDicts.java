package org.medmamba.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts stored tensors to the engine's state-dict values: float dtypes → Tensor, integer dtypes → LongTensor. */
public final class StateDicts {
    private StateDicts() {}

    public static Map<String, Object> toEngine(Map<String, StoredTensor> stored) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, StoredTensor> e : stored.entrySet()) {
            StoredTensor t = e.getValue();
            out.put(e.getKey(), t.dtype().isFloat() ? t.toFloat() : t.toLong());
        }
        return out;
    }

    /** Reads a PyTorch .pth state dict into engine tensors. */
    public static Map<String, Object> readTorch(Path pth) throws IOException {
        return toEngine(TorchCheckpoint.readStateDict(pth));
    }
}
