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
        if (!Files.isRegularFile(path)) throw new BadFileException(path, "no such file");
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
                root = RestrictedUnpickler.load(path + "!" + prefix + "data.pkl", readEntry(zip, path, prefix + "data.pkl"));
            } catch (RestrictedUnpickler.PickleException e) {
                throw new BadFileException(path, e.getMessage().replaceFirst("^pickle \\S+: ", "refused: "), e);
            }
            Map<?, ?> dict = unwrap(path, root);
            Map<String, MemorySegment> storages = new HashMap<>();
            Map<String, StoredTensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (!(e.getKey() instanceof String name)) throw new BadFileException(path, "state dict key is not a string");
                if (!(e.getValue() instanceof RestrictedUnpickler.TensorRef t))
                    throw new BadFileException(path, "state dict entry '" + name + "' is not a tensor");
                RestrictedUnpickler.StorageRef s = t.storage();
                MemorySegment seg = storages.get(s.key());
                if (seg == null) {
                    byte[] bytes = readEntry(zip, path, prefix + "data/" + s.key());
                    if (bytes.length < s.numel() * s.dtype().bytes)
                        throw new BadFileException(path, "storage " + s.key() + " of '" + name + "' has " + bytes.length
                                + " bytes, needs " + s.numel() * s.dtype().bytes + " (truncated?)");
                    seg = MemorySegment.ofArray(bytes);
                    storages.put(s.key(), seg);
                }
                checkBounds(path, name, t);
                out.put(name, new StoredTensor(name, s.dtype(), t.size(), t.stride(), t.offset(), seg));
            }
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

    private static byte[] readEntry(ZipFile zip, Path path, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new BadFileException(path, "missing entry " + name);
        if (e.getSize() > Integer.MAX_VALUE - 8) throw new BadFileException(path, "entry " + name + " is larger than 2 GiB");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readAllBytes();
            if (e.getSize() >= 0 && b.length != e.getSize()) throw new BadFileException(path, "entry " + name + " is truncated");
            // ZipFile checks no CRC for stored entries (torch.save stores everything): check it here
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(b);
            if (e.getCrc() != -1 && crc.getValue() != e.getCrc())
                throw new BadFileException(path, "entry " + name + " is corrupt (CRC mismatch)");
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

    private static void checkBounds(Path path, String name, RestrictedUnpickler.TensorRef t) throws BadFileException {
        long max = t.offset();
        for (int i = 0; i < t.size().length; i++) {
            if (t.size()[i] == 0) return;
            if (t.stride()[i] < 0) throw new BadFileException(path, "tensor '" + name + "' has a negative stride");
            max += (long) (t.size()[i] - 1) * t.stride()[i];
        }
        if (t.offset() < 0 || max >= t.storage().numel())
            throw new BadFileException(path, "tensor '" + name + "' " + Shape.str(t.size()) + " at offset " + t.offset()
                    + " reaches past its storage of " + t.storage().numel() + " elements");
    }
}
