package org.medmamba.io.hostile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.api.TorchImport;
import org.medmamba.io.Limits;
import org.medmamba.io.StoredTensor;
import org.medmamba.io.TorchCheckpoint;
import org.medmamba.io.hostile.HostileFiles.Pickle;
import org.medmamba.io.hostile.HostileFiles.Ref;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/** Hostile .pth files: refused before anything large is built, with one line naming file and problem. */
class HostilePthTest {
    static final Path REF = org.medmamba.testing.Shared.fixture("reference").resolve("mini_c5_rgb_64x96.pth");

    @TempDir
    Path tmp;

    private Path withPickle(byte[] pickle) throws Exception {
        return HostileFiles.pth(tmp.resolve("evil.pth"), pickle, Map.of(), false);
    }

    @Test
    void listContainingItselfAsADictKey() throws Exception {
        // {l: None} where l = [l]: hashing l recursed until the stack overflowed
        Path p = withPickle(new Pickle().op('}', ']', 'q', 0, 'h', 0, 'a', 'N', 's', '.').bytes());
        assertEquals(p + ": refused: recursive structure (a list that contains itself) is not allowed (at byte 8)",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void listAsADictKeyIsUnhashable() throws Exception {
        Path p = withPickle(new Pickle().op('}', ']', 'N', 's', '.').bytes());
        assertEquals(p + ": refused: unhashable dict key (a list) (at byte 5)", Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void indirectCycleThroughTwoLists() throws Exception {
        // r = [a, b] with a = [b], b = [a]
        Path p = withPickle(new Pickle().op(']', '(', ']', 'q', 0, ']', 'q', 1, 'h', 0, 'a', 'h', 0, 'h', 1, 'a', 'e', '.').bytes());
        assertEquals(p + ": refused: recursive structure (a list that contains itself) is not allowed (at byte 19)",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void nestingDeeperThanTheLimit() throws Exception {
        Pickle k = new Pickle();
        for (int i = 0; i < 100_000; i++) k.op(']');
        for (int i = 1; i < 100_000; i++) k.op('a');
        Path p = withPickle(k.op('.').bytes());
        assertEquals(p + ": refused: containers nested deeper than 100 (medmamba.limits.pickleDepth) (at byte 200001)",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void deepTupleKeyIsRefusedBeforeHashing() throws Exception {
        Pickle k = new Pickle().op('}', 'N');
        for (int i = 0; i < 50_000; i++) k.op(0x85);   // ((((None,),),),...)
        Path p = withPickle(k.op('N', 's', '.').bytes());
        assertEquals(p + ": refused: dict key nested deeper than 100 (medmamba.limits.pickleDepth) (at byte 50005)",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void memoLargerThanTheLimit() throws Exception {
        Pickle k = new Pickle().op('N');
        for (int i = 0; i < 20; i++) k.op(0x94);
        Path p = withPickle(k.op('.').bytes());
        Properties props = new Properties();
        props.setProperty("medmamba.limits.pickleMemo", "10");
        Limits small = Limits.from(props);
        assertEquals(p + ": refused: memo of more than 10 entries (medmamba.limits.pickleMemo) (at byte 13)",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p, small)));
    }

    private static List<Ref> one(long numel, int[] size, int[] stride) {
        return List.of(new Ref("w", "0", numel, 0, size, stride));
    }

    @Test
    void zipBombStorageIsNotInflatedBeyondItsDeclaredSize() throws Exception {
        // 64 MiB of zeros deflate to ~64 kB; the central directory says 4 bytes
        Path p = HostileFiles.pth(tmp.resolve("bomb.pth"), HostileFiles.stateDict(one(1, new int[]{1}, new int[]{1})),
                Map.of("0", new byte[64 << 20]), true);
        HostileFiles.declareSize(p, "archive/data/0", 4);
        assertEquals(p + ": entry archive/data/0 inflates to more than its declared 4 bytes",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void declaredSizeBeyondTheLimitIsRefusedBeforeReading() throws Exception {
        Path p = HostileFiles.pth(tmp.resolve("lie.pth"), HostileFiles.stateDict(one(1, new int[]{1}, new int[]{1})),
                Map.of("0", new byte[4]), true);
        HostileFiles.declareSize(p, "archive/data/0", 3L << 29);   // 1.5 GiB
        assertEquals(p + ": entry archive/data/0 of 1.5 GiB is larger than the limit of 1.0 GiB (medmamba.limits.zipEntryBytes)",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void aLargeStorageIsReadOnlyAsFarAsItsTensorReaches() throws Exception {
        Path p = HostileFiles.pth(tmp.resolve("big.pth"), HostileFiles.stateDict(one(16 << 20, new int[]{1}, new int[]{1})),
                Map.of("0", new byte[64 << 20]), true);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        Map<String, StoredTensor> sd = TorchCheckpoint.readStateDict(p);
        assertTrue(mx.getCurrentThreadAllocatedBytes() - before < 8 << 20, "a 4-byte tensor must not inflate its 64 MiB storage");
        assertEquals(4, sd.get("w").storage().byteSize());
    }

    @Test
    void numelOverflowIsRefusedByName() throws Exception {
        int m = Integer.MAX_VALUE;
        Path p = HostileFiles.pth(tmp.resolve("numel.pth"), HostileFiles.stateDict(one(1, new int[]{m, m, m, 4}, new int[]{0, 0, 0, 0})),
                Map.of("0", new byte[4]), false);
        assertEquals(p + ": tensor 'w' (2147483647, 2147483647, 2147483647, 4) has more elements than one array can hold (2147483631)",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void strideZeroViewClaimingMoreThanItsStorage() throws Exception {
        Path p = HostileFiles.pth(tmp.resolve("stride0.pth"), HostileFiles.stateDict(one(1, new int[]{2048, 2048}, new int[]{0, 0})),
                Map.of("0", new byte[4]), false);
        assertEquals(p + ": tensor 'w' (2048, 2048) claims 4,194,304 elements but its storage holds only 1 (a stride-0 or overlapping view)",
                Bounded.refused(() -> TorchCheckpoint.readStateDict(p)));
    }

    @Test
    void importTorchChecksTheInferredNetworkBeforeBuildingIt() throws Exception {
        // the reference checkpoint's names and shapes, every tensor a view of one shared storage:
        // each view fits, but the file holds far fewer values than the network it declares
        Map<String, StoredTensor> real = TorchCheckpoint.readStateDict(REF);
        long widest = real.values().stream().mapToLong(StoredTensor::size).max().orElseThrow();
        List<Ref> refs = new ArrayList<>();
        for (StoredTensor t : real.values())
            refs.add(new Ref(t.name(), "0", widest, 0, t.shape(), org.medmamba.tensor.Shape.contiguousStrides(t.shape())));
        Path p = HostileFiles.pth(tmp.resolve("shared.pth"), HostileFiles.stateDict(refs),
                Map.of("0", HostileFiles.floats((int) widest, 0.1f)), false);
        String m = Bounded.refused(() -> TorchImport.read(p, 64, 96, null, null, null));
        assertTrue(m.matches(java.util.regex.Pattern.quote(p.toString()) + ": declares a network of [\\d,]+ parameters but holds only "
                + String.format(java.util.Locale.ROOT, "%,d", widest) + " values"), m);
    }

    @Test
    void theReferenceCheckpointStillImports() throws Exception {
        assertEquals(5, TorchImport.read(REF, 64, 96, null, null, null).labels().size());
    }

    @Test
    void missingKeysMessageIsCapped() {
        var model = new org.medmamba.model.MedMamba(new org.medmamba.model.MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 2, 1, 0f), 0);
        Map<String, Object> junk = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) junk.put("some.rather.long.unexpected.key.name.number." + i, org.medmamba.tensor.Tensor.of(new float[1], 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(junk));
        assertTrue(e.getMessage().length() <= 300, e.getMessage().length() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("; unexpected keys [some.rather.long.unexpected.key.name.number.0, "
                + "some.rather.long.unexpected.key.name.number.1 … and 4,998 more keys]"), e.getMessage());
    }
}
