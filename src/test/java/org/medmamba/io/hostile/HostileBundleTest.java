package org.medmamba.io.hostile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.api.TorchImport;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.io.SafetensorsFile;
import org.medmamba.io.SafetensorsWriter;
import org.medmamba.io.StateDicts;
import org.medmamba.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Hostile safetensors and bundles: the format's rules and the Limits hold before anything is built. */
class HostileBundleTest {
    @TempDir
    static Path tmp;
    static Path good;

    @BeforeAll
    static void bundle() throws Exception {
        good = tmp.resolve("good.mmb");
        TorchImport.read(HostilePthTest.REF, 64, 96, null, null, null).save(good);
    }

    private static Path st(String name, String header, int dataBytes) throws Exception {
        return HostileFiles.safetensors(tmp.resolve(name), header, new byte[dataBytes]);
    }

    private static String t(String name, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[" + (end - begin) / 4 + "],\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void overlappingOffsets() throws Exception {
        Path p = st("overlap.safetensors", "{" + t("a", 0, 8) + "," + t("b", 4, 12) + "}", 12);
        assertEquals(p + ": tensor 'b': data_offsets [4, 12] overlap the previous tensor or are out of order (expected it to begin at 8)",
                Bounded.refused(() -> SafetensorsFile.open(p).close()));
    }

    @Test
    void gapBetweenTensors() throws Exception {
        Path p = st("gap.safetensors", "{" + t("a", 0, 4) + "," + t("b", 8, 12) + "}", 12);
        assertEquals(p + ": tensor 'b': data_offsets [8, 12] leave a gap after the previous tensor (expected it to begin at 4)",
                Bounded.refused(() -> SafetensorsFile.open(p).close()));
    }

    @Test
    void outOfOrderOffsets() throws Exception {
        Path p = st("order.safetensors", "{" + t("a", 4, 8) + "," + t("b", 0, 4) + "}", 8);
        assertEquals(p + ": tensor 'a': data_offsets [4, 8] leave a gap after the previous tensor (expected it to begin at 0)",
                Bounded.refused(() -> SafetensorsFile.open(p).close()));
    }

    @Test
    void trailingBytesNoTensorCovers() throws Exception {
        Path p = st("tail.safetensors", "{" + t("a", 0, 4) + "}", 12);
        assertEquals(p + ": the tensors cover 4 of the 12 data bytes (the rest is unaccounted for)",
                Bounded.refused(() -> SafetensorsFile.open(p).close()));
    }

    @Test
    void duplicatedNames() throws Exception {
        Path p = st("dup.safetensors", "{" + t("a", 0, 4) + "," + t("a", 4, 8) + "}", 8);
        assertEquals(p + ": corrupt safetensors header (name 'a' appears twice)", Bounded.refused(() -> SafetensorsFile.open(p).close()));
    }

    @Test
    void offsetsBeyondTheFileAndAbsurdHeaderLengths() throws Exception {
        Path p = st("beyond.safetensors", "{" + t("a", 0, 1 << 30) + "}", 4);
        assertEquals(p + ": tensor 'a': data_offsets [0, 1073741824] outside the data section (4 bytes; file truncated?)",
                Bounded.refused(() -> SafetensorsFile.open(p).close()));
        byte[] lie = java.nio.file.Files.readAllBytes(p);
        java.nio.ByteBuffer.wrap(lie).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        Path q = java.nio.file.Files.write(tmp.resolve("header.safetensors"), lie);
        assertTrue(Bounded.refused(() -> SafetensorsFile.open(q).close()).startsWith(q + ": not a safetensors file or truncated (header length "));
    }

    /** The good bundle's metadata and weights, with one change, written as a new bundle. */
    private static Path variant(String name, String key, String value, String tensor, float weight) throws Exception {
        Map<String, String> meta;
        Map<String, Object> state;
        try (SafetensorsFile f = SafetensorsFile.open(good)) {
            meta = new LinkedHashMap<>(f.metadata());
            state = new LinkedHashMap<>(StateDicts.toEngine(f.tensors()));
        }
        if (key != null) meta.put(key, value);
        if (tensor != null) {
            Tensor w = ((Tensor) state.get(tensor)).copy();
            w.storage()[0] = weight;
            state.put(tensor, w);
        }
        Path p = tmp.resolve(name);
        SafetensorsWriter.write(p, state, meta);
        return p;
    }

    @Test
    void nonFiniteWeights() throws Exception {
        Path nan = variant("nan.mmb", null, null, "head.weight", Float.NaN), inf = variant("inf.mmb", null, null, "head.bias", Float.NEGATIVE_INFINITY);
        assertEquals(nan + ": tensor 'head.weight' holds NaN at element 0 (weights must be finite)", Bounded.refused(() -> ModelBundle.load(nan)));
        assertEquals(inf + ": tensor 'head.bias' holds -Infinity at element 0 (weights must be finite)", Bounded.refused(() -> ModelBundle.load(inf)));
    }

    @Test
    void badMeanAndStd() throws Exception {
        Path mean = variant("mean.mmb", "mean", "[0.5,\"NaN\",0.5]", null, 0), std = variant("std.mmb", "std", "[0.5,0.0,0.5]", null, 0);
        assertEquals(mean + ": metadata mean[1] is NaN; it must be finite", Bounded.refused(() -> ModelBundle.load(mean)));
        assertEquals(std + ": metadata std[1] is 0.0; it must be finite and > 0", Bounded.refused(() -> ModelBundle.load(std)));
    }

    @Test
    void hugeDeclaredArchitecture() throws Exception {
        Path wide = variant("wide.mmb", "config", "{\"depths\":[2,2,2,2],\"dims\":[2048,4096,8192,16384],\"d_state\":16,"
                + "\"num_classes\":5,\"in_chans\":3,\"drop_path_rate\":0.0}", null, 0);
        assertEquals(wide + ": declares a stage of 16384 channels, more than the limit of 8192 (medmamba.limits.channels)",
                Bounded.refused(() -> ModelBundle.load(wide)));
        Path big = variant("big.mmb", "config", "{\"depths\":[2,2,2,2],\"dims\":[1024,2048,4096,8192],\"d_state\":16,"
                + "\"num_classes\":5,\"in_chans\":3,\"drop_path_rate\":0.0}", null, 0);
        assertTrue(Bounded.refused(() -> ModelBundle.load(big)).startsWith(big + ": declares "), "refused before building");
    }

    @Test
    void hugeDeclaredImageSize() throws Exception {
        Path p = variant("size.mmb", "image_size", "[32768,32768]", null, 0);
        assertEquals(p + ": declares an input of 32768x32768 pixels; each side must be 1..8192 (medmamba.limits.inputSide)",
                Bounded.refused(() -> ModelBundle.load(p)));
    }

    @Test
    void theGoodBundleStillLoads() throws Exception {
        assertEquals(5, ModelBundle.load(good).labels().size());
    }
}
