package org.medmamba.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.io.BadFileException;
import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.nn.Linear;
import org.medmamba.nn.Module;
import org.medmamba.nn.BatchNorm2d;
import org.medmamba.nn.Conv2d;
import org.medmamba.tensor.Tensor;

/** Quantise → dequantise error per scheme, bundle round trips, the integer path, and broken quantised bundles. */
class QuantizationTest {
    @TempDir
    Path dir;

    static float[] gauss(Random r, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (r.nextGaussian() * 0.05 * (1 + (i % 7 == 0 ? 10 : 0)));   // with outliers
        return w;
    }

    @Test
    void int8ErrorIsAtMostHalfAStepPerRow() {
        Random r = new Random(1);
        int rows = 13, cols = 37;
        float[] w = gauss(r, rows * cols);
        QuantizedMatrix q = Quantizer.quantize(w, rows, cols, 8, 0);
        QuantScheme int8 = new QuantScheme(8, 0, "int8");
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            float max = 0;
            for (int c = 0; c < cols; c++) max = Math.max(max, Math.abs(w[i * cols + c]));
            assertEquals(max / 127f, q.scales()[i], 0f);
            for (int c = 0; c < cols; c++) {
                double err = Math.abs(q.get(i, c) - w[i * cols + c]), bound = Quantizer.errorBound(w[i * cols + c], q.scales()[i], int8);
                assertTrue(err <= bound, "row " + i + " col " + c + ": error " + err + " > " + bound);
                worst = Math.max(worst, err / bound);
            }
            assertEquals(max, Math.abs(q.get(i, argmax(w, i, cols))), max * 1e-6, "the largest weight is exact");
        }
        assertTrue(worst > 0.5, "the bound is tight (worst error / bound = " + worst + ")");
    }

    static int argmax(float[] w, int row, int cols) {
        int best = 0;
        for (int c = 1; c < cols; c++) if (Math.abs(w[row * cols + c]) > Math.abs(w[row * cols + best])) best = c;
        return best;
    }

    @Test
    void int4ErrorIsBoundedAndTheClipSearchNeverLosesToMaxScaling() {
        Random r = new Random(2);
        QuantScheme int4 = new QuantScheme(4, 64, "int4");
        int clipped = 0;
        for (int group : new int[]{32, 64, 128})
            for (int cols : new int[]{5, 33, 200}) {
                int rows = 7;
                float[] w = gauss(r, rows * cols);
                QuantizedMatrix q = Quantizer.quantize(w, rows, cols, 4, group);
                int g = Quantizer.effectiveGroup(cols, group);
                assertEquals(g, q.group());
                for (int i = 0; i < rows; i++)
                    for (int k = 0; k * g < cols; k++) {
                        int c0 = k * g, c1 = Math.min(cols, c0 + g);
                        float s = q.scales()[i * q.groups() + k], max = 0;
                        for (int c = c0; c < c1; c++) max = Math.max(max, Math.abs(w[i * cols + c]));
                        float plain = Float.float16ToFloat(Float.floatToFloat16(max / 7f));
                        if (s < plain) clipped++;
                        double err = 0, errPlain = 0;
                        for (int c = c0; c < c1; c++) {
                            float v = w[i * cols + c];
                            double e = Math.abs(q.get(i, c) - v);
                            assertTrue(e <= Quantizer.errorBound(v, s, int4), "g" + group + " cols " + cols + " (" + i + "," + c + "): " + q.get(i, c) + " vs " + v);
                            err += e * e;
                            double p = v - plain * Math.max(-8, Math.min(7, Math.round(v / plain)));
                            errPlain += p * p;
                        }
                        assertTrue(err <= errPlain * (1 + 1e-9) + 1e-20, "group error " + err + " > max-scaling's " + errPlain);
                    }
            }
        assertTrue(clipped > 0, "the outliers make some groups clip");
    }

    @Test
    void narrowMatricesAreNotPaddedToTheGroup() {
        assertEquals(6, Quantizer.effectiveGroup(6, 64));
        assertEquals(8, Quantizer.effectiveGroup(7, 64));
        assertEquals(64, Quantizer.effectiveGroup(65, 64));
    }

    /** Every BatchNorm of m gets random γ (either sign), β and running statistics. */
    static void randomiseBatchNorms(Module m, Random r) {
        if (m instanceof BatchNorm2d bn) {
            float[] g = bn.weight.value().data(), b = bn.bias.value().data(), mu = bn.runningMean.data(), v = bn.runningVar.data();
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) ((r.nextBoolean() ? 1 : -1) * (0.5 + r.nextDouble()));
                b[i] = (float) (0.2 * r.nextGaussian());
                mu[i] = (float) (0.1 * r.nextGaussian());
                v[i] = (float) (0.5 + r.nextDouble());
            }
        }
        for (Module c : m.children().values()) if (c != null) randomiseBatchNorms(c, r);   // placeholders are null
    }

    static MedMamba small() {
        return new MedMamba(new MedMambaConfig(new int[]{1, 1, 2, 1}, new int[]{32, 64, 128, 256}, 8, 3, 1, 0f), 5);
    }

    static ModelBundle bundle(MedMamba m) {
        return new ModelBundle(m.config(), List.of("a", "b", "c"), 64, 64, new float[]{0.5f}, new float[]{0.25f}, Map.of("source", "test"), m.stateDict());
    }

    static float[] logits(MedMamba m, Tensor x) {
        try (var g = GradMode.noGrad()) {
            return m.forward(Var.constant(x)).value().data();
        }
    }

    @Test
    void everySchemeRoundTripsAndTheIntegerPathEqualsTheDequantisedWeights() throws IOException {
        MedMamba m = small();
        Random r = new Random(3);
        randomiseBatchNorms(m, r);   // so the BatchNorms folded after the integer convs change something
        m.train(false);
        float[] img = new float[2 * 64 * 64];
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextGaussian();
        Tensor x = Tensor.of(img, 2, 1, 64, 64);
        float[] ref = logits(m, x);
        long floatBytes = 0;
        Path f32 = dir.resolve("f32.mmb");
        bundle(m).save(f32);
        floatBytes = Files.size(f32);
        for (QuantScheme s : List.of(QuantScheme.of(16, 0, null), QuantScheme.of(16, 0, "bfloat16"), QuantScheme.of(8, 0, null),
                QuantScheme.of(4, 32, null), QuantScheme.of(4, 128, null))) {
            Path p = dir.resolve(s.format() + s.groupSize() + ".mmb");
            bundle(m).withScheme(s, Map.of()).save(p);
            ModelBundle back = ModelBundle.load(p);
            assertEquals(s, back.scheme());
            assertTrue(Files.size(p) < floatBytes * (s.bits() == 16 ? 0.56 : s.bits() == 8 ? 0.32 : 0.2), s + ": " + Files.size(p) + " of " + floatBytes);
            MedMamba qm = back.toModel();
            if (s.bits() < 16) {
                Linear inProj = (Linear) qm.children().get("layers").children().get("0").children().get("blocks").children().get("0")
                        .children().get("self_attention").children().get("in_proj");
                assertNotNull(inProj.quantized(), s + ": in_proj runs on the integer weights");
            }
            if (s.bits() < 16) {
                Module branch = qm.children().get("layers").children().get("1").children().get("blocks").children().get("0")
                        .children().get("conv33conv33conv11");
                for (String conv : List.of("1", "4", "7"))
                    assertNotNull(((Conv2d) branch.children().get(conv)).quantized(), s + ": conv branch " + conv + " runs on the integer weights");
            }
            float[] got = logits(qm, x);
            // the integer path against the same model running on the dequantised float weights
            MedMamba plain = small();
            plain.loadStateDict(back.stateDict());
            plain.train(false);
            float[] deq = logits(plain, x);
            double diff = 0, drift = 0;
            for (int i = 0; i < got.length; i++) {
                diff = Math.max(diff, Math.abs(got[i] - deq[i]));
                drift = Math.max(drift, Math.abs(got[i] - ref[i]));
            }
            assertTrue(diff < 1e-4, s + ": integer kernels vs dequantised floats differ by " + diff);
            double allowed = s.bits() == 16 ? (s.format().equals("bfloat16") ? 0.05 : 0.01) : s.bits() == 8 ? 0.05 : 0.5;
            assertTrue(drift < allowed, s + ": logits moved by " + drift);
            assertTrue(drift > 0, s + ": quantisation changed nothing?");
        }
    }

    /** Integer weights belong to the float weight they were made from: replacing that weight retires them. */
    @Test
    void replacedWeightsRetireTheirIntegerCopies() throws IOException {
        Path p = dir.resolve("q8-retire.mmb");
        bundle(small()).withScheme(QuantScheme.of(8, 0, null), Map.of()).save(p);
        MedMamba qm = ModelBundle.load(p).toModel();
        Module block = qm.children().get("layers").children().get("1").children().get("blocks").children().get("0");
        Linear inProj = (Linear) block.children().get("self_attention").children().get("in_proj");
        Conv2d conv = (Conv2d) block.children().get("conv33conv33conv11").children().get("1");
        assertNotNull(inProj.quantized());
        assertNotNull(conv.quantized());
        qm.loadStateDict(small().stateDict());   // other weights
        assertEquals(null, inProj.quantized(), "in_proj would multiply by the old weights");
        assertEquals(null, conv.quantized(), "the conv would run on the old weights");
    }

    /** Rewrites one tensor's bytes in a safetensors file (found through its header). */
    static void corrupt(Path file, String tensor, byte[] with) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(header).get(tensor);
        long start = node.get("data_offsets").get(0).asLong();
        System.arraycopy(with, 0, all, (int) (8 + n + start), with.length);
        Files.write(file, all);
    }

    static void rewriteHeader(Path file, String from, String to) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains(from), from);
        String h2 = header.replace(from, to);
        byte[] hb = h2.getBytes(StandardCharsets.UTF_8);
        assertEquals(n, hb.length, "same length keeps the offsets");
        System.arraycopy(hb, 0, all, 8, hb.length);
        Files.write(file, all);
    }

    @Test
    void aCorruptScaleTensorIsNamed() throws IOException {
        Path p = dir.resolve("q4.mmb");
        bundle(small()).withScheme(QuantScheme.of(4, 64, null), Map.of()).save(p);
        String name = "layers.0.blocks.0.self_attention.in_proj.weight.scale";
        corrupt(p, name, new byte[]{0x00, 0x7e});   // float16 NaN
        BadFileException e = assertThrows(BadFileException.class, () -> ModelBundle.load(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains(name) && e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Path q = dir.resolve("q8.mmb");
        bundle(small()).withScheme(QuantScheme.of(8, 0, null), Map.of()).save(q);
        corrupt(q, "head.weight.scale", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(-1f).array());
        e = assertThrows(BadFileException.class, () -> ModelBundle.load(q));
        assertTrue(e.getMessage().contains("head.weight.scale") && e.getMessage().contains("-1.0"), e.getMessage());
    }

    @Test
    void anUnknownSchemeIsNamed() throws IOException {
        Path p = dir.resolve("q8u.mmb");
        bundle(small()).withScheme(QuantScheme.of(8, 0, null), Map.of()).save(p);
        rewriteHeader(p, "\\\"format\\\":\\\"int8\\\"", "\\\"format\\\":\\\"int7\\\"");
        BadFileException e = assertThrows(BadFileException.class, () -> ModelBundle.load(p));
        assertEquals(p + ": unknown quantization scheme 'int7' (known: float16, bfloat16, int8, int4)", e.getMessage());
    }

    @Test
    void aQuantisedTensorInAFloatBundleIsRefused() throws IOException {
        Path p = dir.resolve("q8n.mmb");
        bundle(small()).withScheme(QuantScheme.of(8, 0, null), Map.of()).save(p);
        rewriteHeader(p, "\"quantization\"", "\"quantizatioX\"");
        BadFileException e = assertThrows(BadFileException.class, () -> ModelBundle.load(p));
        assertTrue(e.getMessage().contains("but the bundle declares no quantization"), e.getMessage());
    }
}
