package org.medmamba.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * While open, every forward pass through the SS2D blocks of the chosen stages records a
 * {@link ScanCapture} per block, in forward order. Those blocks then take the recorded
 * (per-direction) scan path even without gradients, so a recording costs a slower forward;
 * closing it restores the fused path. Opened by {@link MedMamba#recordScans}; not thread-safe
 * (one recording per model at a time).
 */
public final class ScanRecording implements AutoCloseable {
    /** One captured scan: the stage (0..3) and block within it that produced it. */
    public record Entry(int stage, int block, ScanCapture scan) {}

    private final List<SS2D> hooked = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();

    ScanRecording(List<List<SS2D>> stages, int fromStage) {
        for (int s = fromStage; s < stages.size(); s++)
            for (int j = 0; j < stages.get(s).size(); j++) {
                SS2D m = stages.get(s).get(j);
                int stage = s, block = j;
                m.capture(c -> entries.add(new Entry(stage, block, c)));
                hooked.add(m);
            }
    }

    /** The captures so far, in forward order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    @Override
    public void close() {
        for (SS2D m : hooked) m.capture(null);
    }
}
