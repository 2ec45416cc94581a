package org.medmamba.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** The restricted unpickler refuses anything a state dict does not need; damaged files fail cleanly. */
class TorchCheckpointTest {
    static final Path REF = org.medmamba.testing.Shared.fixture("reference");

    @TempDir
    Path tmp;

    private Path zipWith(String pickleHex, byte[] pickle) throws IOException {
        Path p = tmp.resolve("evil.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("archive/version"));
            z.write("3\n".getBytes(StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        return p;
    }

    private static byte[] pickle(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o : parts) {
            if (o instanceof Integer i) out.write(i);
            else out.writeBytes(((String) o).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] binunicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write('X');
        o.write(b.length);
        o.write(0);
        o.write(0);
        o.write(0);
        o.writeBytes(b);
        return o.toByteArray();
    }

    @Test
    void readsTheReferenceCheckpointCompletely() throws IOException {
        Map<String, StoredTensor> sd = TorchCheckpoint.readStateDict(REF.resolve("mini_c5_rgb_64x96.pth"));
        assertEquals(DType.F32, sd.get("patch_embed.proj.weight").dtype());
        assertArrayEquals(new int[]{32, 3, 4, 4}, sd.get("patch_embed.proj.weight").shape());
        StoredTensor nbt = sd.get("layers.0.blocks.0.conv33conv33conv11.0.num_batches_tracked");
        assertEquals(DType.I64, nbt.dtype());
        assertEquals(0, nbt.shape().length);
    }

    @Test
    void refusesAForbiddenGlobalByName() throws IOException {
        ByteArrayOutputStream pk = new ByteArrayOutputStream();
        pk.writeBytes(pickle(0x80, 2, "cos\nsystem\n"));
        pk.writeBytes(binunicode("echo pwned > /tmp/medmamba-pwned"));
        pk.writeBytes(pickle(0x85, "R", "."));
        Path p = zipWith("", pk.toByteArray());
        BadFileException e = assertThrows(BadFileException.class, () -> TorchCheckpoint.readStateDict(p));
        assertTrue(e.getMessage().contains("forbidden global os.system"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        assertFalse(Files.exists(Path.of("/tmp/medmamba-pwned")));
    }

    @Test
    void refusesForbiddenGlobalsViaStackGlobal() throws IOException {
        ByteArrayOutputStream pk = new ByteArrayOutputStream();
        pk.writeBytes(pickle(0x80, 4));
        pk.writeBytes(pickle(0x8c, 8, "builtins", 0x8c, 4, "eval", 0x93));
        pk.writeBytes(pickle("."));
        Path p = zipWith("", pk.toByteArray());
        BadFileException e = assertThrows(BadFileException.class, () -> TorchCheckpoint.readStateDict(p));
        assertTrue(e.getMessage().contains("forbidden global builtins.eval"), e.getMessage());
    }

    @Test
    void refusesUnknownOpcodesByName() throws IOException {
        // INST ('i') builds an arbitrary class instance in protocol 0
        Path p = zipWith("", pickle(0x80, 2, "(icollections\nOrderedDict\n."));
        BadFileException e = assertThrows(BadFileException.class, () -> TorchCheckpoint.readStateDict(p));
        assertTrue(e.getMessage().contains("opcode 0x69 ('i') is not allowed"), e.getMessage());
    }

    @Test
    void refusesReduceOnAllowedStorageClass() throws IOException {
        Path p = zipWith("", pickle(0x80, 2, "ctorch\nFloatStorage\n", ")", "R", "."));
        BadFileException e = assertThrows(BadFileException.class, () -> TorchCheckpoint.readStateDict(p));
        assertTrue(e.getMessage().contains("calling torch.FloatStorage is not allowed"), e.getMessage());
    }

    @Test
    void truncatedCheckpointGivesOneLineError() throws IOException {
        byte[] all = Files.readAllBytes(REF.resolve("mini_c5_rgb_64x96.pth"));
        for (int len : new int[]{0, 10, all.length / 3, all.length - 100}) {
            Path p = tmp.resolve("trunc" + len + ".pth");
            Files.write(p, java.util.Arrays.copyOf(all, len));
            BadFileException e = assertThrows(BadFileException.class, () -> TorchCheckpoint.readStateDict(p), "length " + len);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void corruptedEntryIsDetected() throws IOException {
        byte[] all = Files.readAllBytes(REF.resolve("mini_c5_rgb_64x96.pth"));
        // flip bytes in the middle of the data.pkl entry (stored uncompressed near the start): CRC or parse fails
        for (int at : new int[]{120, 400, 2000}) {
            byte[] c = all.clone();
            c[at] ^= 0x5a;
            Path p = tmp.resolve("corrupt" + at + ".pth");
            Files.write(p, c);
            IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.readStateDict(p));
            assertTrue(e instanceof BadFileException, e.toString());
        }
    }

    @Test
    void notAZipAtAll() throws IOException {
        Path p = tmp.resolve("x.pth");
        try (OutputStream o = Files.newOutputStream(p)) {
            o.write("hello, this is not a checkpoint".getBytes(StandardCharsets.US_ASCII));
        }
        BadFileException e = assertThrows(BadFileException.class, () -> TorchCheckpoint.readStateDict(p));
        assertTrue(e.getMessage().contains("not a PyTorch checkpoint"), e.getMessage());
    }

    @Test
    void viewsWithOffsetsStridesAndOtherDtypesMatchWhatTorchSaved() throws Exception {
        Path dir = Path.of("src/test/resources/pth");
        Map<String, StoredTensor> sd = TorchCheckpoint.readStateDict(dir.resolve("strided.pth"));
        com.fasterxml.jackson.databind.JsonNode expected = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("strided_expected.json").toFile());
        assertEquals(expected.size(), sd.size());
        for (var it = expected.fields(); it.hasNext(); ) {
            var e = it.next();
            StoredTensor t = sd.get(e.getKey());
            assertNotNull(t, e.getKey());
            int[] shape = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(e.getValue().get("shape"), int[].class);
            assertArrayEquals(shape, t.shape(), e.getKey());
            float[] got = t.toFloat().data();
            var vals = e.getValue().get("values");
            for (int i = 0; i < got.length; i++) assertEquals(vals.get(i).floatValue(), got[i], 0f, e.getKey() + "[" + i + "]");
        }
        assertEquals(-4L, sd.get("long").toLong().get(1));
        assertEquals(9L, sd.get("scalar").toLong().get(0));
    }
}
