package org.medmamba.io;

import org.medmamba.tensor.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a state dict from a PyTorch checkpoint in the zip format {@code torch.save} writes since
 * 1.6: {@code <name>/data.pkl} (a pickle read by {@link RestrictedUnpickler}, which never executes
 * anything) and one raw little-endian file per storage, {@code <name>/data/<key>}.
 * Checkpoints that wrap the state dict ({"state_dict": ...} or {"model": ...}) are unwrapped.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    public static Map<String, StoredTensor> readStateDict(Path path) throws IOException {
        return readStateDict(path, Limits.current());
    }

    /**
     * Every tensor's view is checked against its storage's declared size before any storage is
     * read, and each storage is read only as far as its tensors reach: a small file cannot make
     * this allocate more than the tensors really need (and at most {@link Limits#storedBytes}).
     */
    public static Map<String, StoredTensor> readStateDict(Path path, Limits limits) throws IOException {
        BadFileException.requireRegularFile(path);
        try (ZipFile zip = openZip(path)) {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                    prefix = n.substring(0, n.length() - "data.pkl".length());
                    break;
                }
            }
            if (prefix == null) throw new BadFileException(path, "zip archive without a <name>/data.pkl entry: not a PyTorch checkpoint");
            Object root;
            try {
                root = RestrictedUnpickler.load(path + "!" + prefix + "data.pkl", readEntry(zip, path, prefix + "data.pkl", limits, -1), limits);
            } catch (RestrictedUnpickler.PickleException e) {
                throw new BadFileException(path, e.getMessage().replaceFirst("^pickle \\S+: ", "refused: "), e);
            }
            Map<?, ?> dict = unwrap(path, root);
            Map<String, RestrictedUnpickler.TensorRef> refs = new LinkedHashMap<>();
            Map<String, long[]> storageBytes = new LinkedHashMap<>();   // key → {bytes the tensors reach, bytes declared}
            long total = 0;
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (!(e.getKey() instanceof String name)) throw new BadFileException(path, "state dict key is not a string");
                if (!(e.getValue() instanceof RestrictedUnpickler.TensorRef t))
                    throw new BadFileException(path, "state dict entry '" + name + "' is not a tensor");
                long reach = checkView(path, name, t) * t.storage().dtype().bytes;
                long declared = t.storage().numel() * t.storage().dtype().bytes;   // no overflow: checkView bounds numel
                long[] sb = storageBytes.computeIfAbsent(t.storage().key(), k -> new long[2]);
                total += Math.max(0, reach - sb[0]);
                sb[0] = Math.max(sb[0], reach);
                sb[1] = Math.max(sb[1], declared);
                refs.put(name, t);
            }
            if (total > limits.storedBytes())
                throw new BadFileException(path, "tensors need " + Limits.size(total) + " of storage, more than the limit of "
                        + Limits.size(limits.storedBytes()) + " (" + Limits.PREFIX + "storedBytes)");
            Map<String, MemorySegment> storages = new HashMap<>();
            for (Map.Entry<String, long[]> e : storageBytes.entrySet()) {
                String entry = prefix + "data/" + e.getKey();
                ZipEntry ze = zip.getEntry(entry);
                if (ze == null) throw new BadFileException(path, "missing entry " + entry);
                long declared = e.getValue()[1];
                if (ze.getSize() >= 0 && ze.getSize() < declared)
                    throw new BadFileException(path, "storage " + e.getKey() + " has " + ze.getSize() + " bytes, needs " + declared + " (truncated?)");
                storages.put(e.getKey(), MemorySegment.ofArray(readEntry(zip, path, entry, limits, e.getValue()[0])));
            }
            Map<String, StoredTensor> out = new LinkedHashMap<>();
            refs.forEach((name, t) -> out.put(name, new StoredTensor(name, t.storage().dtype(), t.size(), t.stride(), t.offset(),
                    storages.get(t.storage().key()))));
            return out;
        }
    }

    private static ZipFile openZip(Path path) throws IOException {
        try {
            return new ZipFile(path.toFile());
        } catch (ZipException e) {
            byte[] head = new byte[2];
            try (InputStream in = Files.newInputStream(path)) {
                int n = in.readNBytes(head, 0, 2);
                if (n == 2 && (head[0] & 0xff) == 0x80)
                    throw new BadFileException(path, "legacy (pre-1.6, non-zip) torch.save format is not supported; re-save it with a current PyTorch");
            }
            throw new BadFileException(path, "not a PyTorch checkpoint or truncated (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads the first {@code want} bytes of an entry (-1: all of it). Its declared size is checked
     * against the limits first, and nothing is inflated beyond it: a deflated entry that claims
     * 100 bytes cannot expand to gigabytes here.
     */
    private static byte[] readEntry(ZipFile zip, Path path, String name, Limits limits, long want) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new BadFileException(path, "missing entry " + name);
        long declared = e.getSize();
        limits.checkZipEntry(path, name, declared);
        int n = (int) (want < 0 ? declared : Math.min(want, declared));
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes(n);
            if (b.length < n) throw new BadFileException(path, "entry " + name + " is truncated");
            if (n == declared) {
                if (in.read() != -1) throw new BadFileException(path, "entry " + name + " inflates to more than its declared " + Limits.size(declared));
                // ZipFile checks no CRC for stored entries (torch.save stores everything): check it here
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(b);
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc())
                    throw new BadFileException(path, "entry " + name + " is corrupt (CRC mismatch)");
            }
            return b;
        } catch (ZipException ze) {
            throw new BadFileException(path, "entry " + name + " is corrupt (" + ze.getMessage() + ")");
        } catch (java.io.EOFException eof) {
            throw new BadFileException(path, "entry " + name + " is truncated");
        }
    }

    private static Map<?, ?> unwrap(Path path, Object root) throws BadFileException {
        if (!(root instanceof Map<?, ?> m)) throw new BadFileException(path, "the checkpoint holds no state dict (top-level object is not a dict)");
        for (String k : new String[]{"state_dict", "model", "model_state_dict"}) {
            if (m.get(k) instanceof Map<?, ?> inner && !m.values().stream().allMatch(v -> v instanceof RestrictedUnpickler.TensorRef)) return inner;
        }
        return m;
    }

    /**
     * The view fits its storage: sizes multiply without overflow, it claims no more elements than
     * the storage holds (a stride-0 view could otherwise make a 1 kB file declare a huge network),
     * and its last element lies inside the storage. Returns the storage elements it reaches.
     */
    private static long checkView(Path path, String name, RestrictedUnpickler.TensorRef t) throws BadFileException {
        int[] size = t.size(), stride = t.stride();
        long storage = t.storage().numel();
        String what = "tensor '" + name + "' " + Shape.str(size);
        if (storage < 0 || storage > Long.MAX_VALUE / 8) throw new BadFileException(path, what + " has a storage of " + storage + " elements");
        long numel = 1;
        for (int d : size) {
            numel *= d;     // each d < 2^31 and numel is checked before the next multiply: no overflow
            if (numel > Limits.ARRAY_MAX)
                throw new BadFileException(path, what + " has more elements than one array can hold (" + Limits.ARRAY_MAX + ")");
        }
        if (numel > storage)
            throw new BadFileException(path, String.format(java.util.Locale.ROOT,
                    "%s claims %,d elements but its storage holds only %,d (a stride-0 or overlapping view)", what, numel, storage));
        if (numel == 0) return 0;
        if (t.offset() < 0) throw new BadFileException(path, what + " has a negative storage offset");
        long last = t.offset();
        if (last >= storage)
            throw new BadFileException(path, what + " at offset " + t.offset() + " reaches past its storage of " + storage + " elements");
        for (int i = 0; i < size.length; i++) {
            if (stride[i] < 0) throw new BadFileException(path, what + " has a negative stride");
            last += (long) (size[i] - 1) * stride[i];   // < 2^62 per axis, and the sum is checked as it grows
            if (last < 0 || last >= storage)
                throw new BadFileException(path, what + " at offset " + t.offset() + " reaches past its storage of " + storage + " elements");
        }
        return last + 1;
    }
}
