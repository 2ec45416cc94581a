package org.medmamba.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medmamba.testing.Shared;
import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.io.SafetensorsFile;
import org.medmamba.io.StateDicts;
import org.medmamba.nn.Module;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;
import org.medmamba.train.AdamW;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The original PyTorch MedMamba's outputs, gradients, BatchNorm updates and AdamW step on two
 * configurations, reproduced from its .pth weights. "repo:" is the in-repo mini case, whose
 * safetensors keeps some gradients and AdamW results only at sampled indices (see
 * src/test/resources/fixtures/reference/README.md); "shared:" cases are the untouched files of the
 * shared corpus (extended run).
 */
class ReferenceParityTest {

    record Case(MedMamba model, SafetensorsFile ref, Tensor input, LongTensor labels) {}

    static Case load(String where) throws Exception {
        String name = where.substring(where.indexOf(':') + 1);
        Path ref0 = where.startsWith("repo:") ? Shared.fixture("reference") : Shared.require("reference/" + name + ".safetensors").getParent();
        Path st = ref0.resolve(name + ".safetensors"), pth = ref0.resolve(name + ".pth");
        assertTrue(Files.exists(st) && Files.exists(pth), "reference data missing under " + ref0.toAbsolutePath());
        SafetensorsFile ref = SafetensorsFile.open(st);
        Map<String, String> meta = ref.metadata();
        ObjectMapper json = new ObjectMapper();
        MedMambaConfig cfg = new MedMambaConfig(json.readValue(meta.get("depths"), int[].class), json.readValue(meta.get("dims"), int[].class),
                16, Integer.parseInt(meta.get("num_classes")), Integer.parseInt(meta.get("in_chans")), 0f);
        MedMamba model = new MedMamba(cfg, 7);
        model.loadStateDict(StateDicts.readTorch(pth));
        return new Case(model, ref, ref.get("input").toFloat(), ref.get("labels").toLong());
    }

    /**
     * The same train step's gradients with every weight nudged by one ulp: up (mode 0), down (1),
     * randomly either way (2); mode -1 is the step unchanged. Why: the reference was computed in
     * float32 on one machine, and where a ReLU's input lies within float32 rounding of 0 another
     * machine's rounding (ours, or PyTorch's own float32 on it: bench/check_pytorch_reference.py
     * shows 11 % on layers.2.blocks.0 of mini_c5_rgb_64x96 on an AVX2 machine, while its float64
     * gradients agree to 1e-5) can switch that unit and move every gradient upstream of it. A
     * gradient that a nudge moves beyond its tolerance is decided by such a kink; it passes when
     * our gradient or one of the nudged ones matches the reference, i.e. when one side of the kink
     * reproduces it. A wrong backward is wrong on both sides and still fails.
     */
    static Map<String, Tensor> gradients(String name, int mode) throws Exception {
        Case c = load(name);
        java.util.Random rnd = new java.util.Random(mode);
        if (mode >= 0)
            for (Var p : c.model.namedParameters().values()) {
                float[] w = p.value().data().clone();
                for (int i = 0; i < w.length; i++)
                    w[i] = mode == 0 || (mode == 2 && rnd.nextBoolean()) ? Math.nextUp(w[i]) : Math.nextDown(w[i]);
                p.setValue(Tensor.of(w, p.value().shape()));
            }
        c.model.train(true);
        Losses.crossEntropy(c.model.forward(Var.constant(c.input)), c.labels, null, 0f).backward();
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Var> e : c.model.namedParameters().entrySet()) out.put(e.getKey(), e.getValue().grad());
        return out;
    }

    static double worst(Tensor expected, Tensor actual) {
        float[] e = expected.data(), a = actual.data();
        double worst = 0;
        for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(e[i] - a[i]));
        return worst;
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        float[] e = expected.data(), a = actual.data();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= worst)) { worst = d; at = i; }
        }
        if (!(worst <= tol)) fail(what + ": max abs diff " + worst + " at " + at + " (expected " + e[at] + ", got " + a[at] + ") > " + tol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"repo:mini_c5_rgb_64x96", "shared:mini_c5_rgb_64x96", "shared:small_c4_gray_96"})
    void evalLogitsMatch(String name) throws Exception {
        Case c = load(name);
        c.model.train(false);
        try (var g = GradMode.noGrad()) {
            Var logits = c.model.forward(Var.constant(c.input));
            assertClose("logits_eval", c.ref.get("logits_eval").toFloat(), logits.value(), 1e-4);
            assertClose("probs_eval", c.ref.get("probs_eval").toFloat(), Losses.softmax(logits).value(), 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"repo:mini_c5_rgb_64x96", "shared:mini_c5_rgb_64x96", "shared:small_c4_gray_96"})
    void trainStepMatches(String name) throws Exception {
        Case c = load(name);
        MedMamba model = c.model;
        SafetensorsFile ref = c.ref;
        model.train(true);
        Var logits = model.forward(Var.constant(c.input));
        assertClose("logits_train", ref.get("logits_train").toFloat(), logits.value(), 1e-4);
        Var loss = Losses.crossEntropy(logits, c.labels, null, 0f);
        assertClose("loss_train", ref.get("loss_train").toFloat(), loss.value().reshape(1), 1e-4);

        // BatchNorm running statistics after the one train-mode forward
        Map<String, Object> state = model.stateDict();
        int bnChecked = 0;
        for (String key : ref.names()) {
            if (!key.startsWith("bn_after_train.")) continue;
            String k = key.substring("bn_after_train.".length());
            Object mine = state.get(k);
            assertNotNull(mine, "model has no buffer " + k);
            if (mine instanceof LongTensor lt) {
                assertEquals(ref.get(key).toLong().get(0), lt.get(0), k);
            } else {
                assertClose(k, ref.get(key).toFloat(), (Tensor) mine, 1e-5);
                bnChecked++;
            }
        }
        assertTrue(bnChecked > 0, "no BatchNorm stats checked");

        loss.backward();
        Map<String, Var> params = model.namedParameters();
        Set<String> names = Set.copyOf(ref.names());
        double globalMax = 0;
        for (String k : params.keySet()) globalMax = Math.max(globalMax, refGradMaxAbs(ref, names, k));
        // the step must be deterministic, or "moves under a nudge" below could be a race
        Map<String, Tensor> again = gradients(name, -1);
        for (Map.Entry<String, Var> e : params.entrySet())
            assertArrayEquals(e.getValue().grad().data(), again.get(e.getKey()).data(), 0f, "a second run's gradient of " + e.getKey());
        List<Map<String, Tensor>> nudged = List.of(gradients(name, 0), gradients(name, 1), gradients(name, 2));
        Set<String> kinked = new java.util.TreeSet<>();
        int full = 0, sampled = 0;
        for (Map.Entry<String, Var> e : params.entrySet()) {
            String k = e.getKey();
            assertNotNull(e.getValue().grad(), "no gradient for " + k);
            double tol = 1e-3 * refGradMaxAbs(ref, names, k) + 1e-6 * globalMax;   // the same bound as for full tensors
            List<Tensor> candidates = new java.util.ArrayList<>(List.of(e.getValue().grad()));
            for (Map<String, Tensor> n : nudged)
                if (worst(e.getValue().grad(), n.get(k)) > tol) {
                    kinked.add(k);
                    candidates.add(n.get(k));
                }
            boolean isFull = names.contains("grad." + k);
            Tensor want = isFull ? ref.get("grad." + k).toFloat() : ref.get("gradsample." + k).toFloat();
            long[] idx = isFull ? null : sampleIndex(ref, names, k);
            double best = Double.MAX_VALUE;
            for (Tensor g : candidates) best = Math.min(best, worst(want, isFull ? g : gather(g, idx)));
            if (!(best <= tol)) {
                // report our own gradient's difference, and say whether the kink was considered
                assertClose((isFull ? "grad." : "gradsample.") + k + (candidates.size() > 1 ? " (nor any of " + (candidates.size() - 1)
                        + " nudged runs' gradients)" : ""), want, isFull ? e.getValue().grad() : gather(e.getValue().grad(), idx), tol);
            }
            if (isFull) full++;
            else sampled++;
        }
        if (!kinked.isEmpty())
            System.out.println("ReferenceParityTest " + name + ": " + kinked.size() + " of " + params.size()
                    + " gradients move beyond the tolerance under a one-ulp nudge of the weights (a ReLU input within float32"
                    + " rounding of 0); each matched the reference on one side of the kink, e.g. " + kinked.stream().limit(3).toList());
        assertEquals(params.size(), full + sampled);

        // one AdamW step from the reference gradients. AdamW is elementwise, so a sampled parameter
        // is stepped as the vector of its sampled elements with the sampled reference gradients.
        Case fresh = load(name);     // parameters as loaded (the step above must start from them)
        Map<String, Var> p0 = fresh.model.namedParameters();
        Map<String, Var> stepped = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Var> e : p0.entrySet()) {
            String k = e.getKey();
            if (names.contains("grad." + k)) {
                e.getValue().accumulate(ref.get("grad." + k).toFloat());
                stepped.put("adamw." + k, e.getValue());
            } else {
                Tensor g = ref.get("gradsample." + k).toFloat();
                Var v = Var.param(gather(e.getValue().value(), sampleIndex(ref, names, k)));
                v.accumulate(g);
                stepped.put("adamwsample." + k, v);
            }
        }
        new AdamW(List.copyOf(stepped.values()), Set.of(), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.05f).step();
        for (Map.Entry<String, Var> e : stepped.entrySet())
            assertClose(e.getKey(), ref.get(e.getKey()).toFloat(), e.getValue().value(), 1e-6);
        ref.close();
    }

    /** The largest |reference gradient| of parameter k: from the full tensor, or recorded by the trim. */
    static double refGradMaxAbs(SafetensorsFile ref, Set<String> names, String k) throws Exception {
        return names.contains("grad." + k) ? ref.get("grad." + k).toFloat().maxAbs() : ref.get("gradmaxabs." + k).toFloat().data()[0];
    }

    static long[] sampleIndex(SafetensorsFile ref, Set<String> names, String k) throws Exception {
        assertTrue(names.contains("sample_idx." + k), "reference has neither grad." + k + " nor a sample of it");
        LongTensor t = ref.get("sample_idx." + k).toLong();
        long[] idx = new long[t.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = t.get(i);
        return idx;
    }

    /** The flattened elements of t at idx, as a 1-D tensor. */
    static Tensor gather(Tensor t, long[] idx) {
        float[] d = t.data(), out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = d[(int) idx[i]];
        return Tensor.of(out, idx.length);
    }
}
