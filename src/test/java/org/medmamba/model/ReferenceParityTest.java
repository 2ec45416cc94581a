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
     * Parameters whose float32 gradient is not a property of the network but of rounding: the
     * reference was computed in float32 on one machine, and where a ReLU's input lies within
     * float32 rounding of 0 another machine's rounding (ours, or PyTorch's own float32 on it:
     * bench/check_pytorch_reference.py shows the same 11 % on layers.2.blocks.0 of
     * mini_c5_rgb_64x96 on an AVX2 machine, while its float64 gradients agree to 1e-5) can switch
     * that unit and move every gradient upstream. Found by nudging every weight by one ulp (up,
     * down, and randomly either way) and recomputing: a gradient that moves by more than its
     * comparison tolerance is decided by a kink and is not compared. A wrong backward is not
     * hidden by this: it is wrong for the nudged weights too, so it stays in the compared set.
     */
    static Set<String> kinkSensitive(String name, Map<String, Var> params, SafetensorsFile ref, Set<String> names, double globalMax)
            throws Exception {
        Set<String> out = new java.util.TreeSet<>();
        for (int mode = 0; mode < 3; mode++) {
            Case c = load(name);
            java.util.Random rnd = new java.util.Random(mode);
            for (Var p : c.model.namedParameters().values()) {
                float[] w = p.value().data().clone();
                for (int i = 0; i < w.length; i++)
                    w[i] = mode == 0 || (mode == 2 && rnd.nextBoolean()) ? Math.nextUp(w[i]) : Math.nextDown(w[i]);
                p.setValue(Tensor.of(w, p.value().shape()));
            }
            c.model.train(true);
            Losses.crossEntropy(c.model.forward(Var.constant(c.input)), c.labels, null, 0f).backward();
            for (Map.Entry<String, Var> e : c.model.namedParameters().entrySet()) {
                String k = e.getKey();
                double tol = 1e-3 * refGradMaxAbs(ref, names, k) + 1e-6 * globalMax;
                float[] a = params.get(k).grad().data(), b = e.getValue().grad().data();
                for (int i = 0; i < a.length; i++)
                    if (Math.abs(a[i] - b[i]) > tol) {
                        out.add(k);
                        break;
                    }
            }
        }
        return out;
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
        Set<String> kinked = kinkSensitive(name, params, ref, names, globalMax);
        // A flip at one ReLU changes every gradient upstream of it, so only a few blocks' worth may be set aside.
        assertTrue(kinked.size() <= params.size() / 2, "float32 gradients unstable under a one-ulp nudge: " + kinked);
        if (!kinked.isEmpty())
            System.out.println("ReferenceParityTest " + name + ": " + kinked.size() + " of " + params.size()
                    + " gradients not compared: a one-ulp nudge of the weights moves them beyond the tolerance here"
                    + " (a ReLU input within float32 rounding of 0), e.g. " + kinked.stream().limit(3).toList());
        int full = 0, sampled = 0, skipped = 0;
        for (Map.Entry<String, Var> e : params.entrySet()) {
            String k = e.getKey();
            assertNotNull(e.getValue().grad(), "no gradient for " + k);
            double tol = 1e-3 * refGradMaxAbs(ref, names, k) + 1e-6 * globalMax;   // the same bound as for full tensors
            if (kinked.contains(k)) {
                skipped++;
            } else if (names.contains("grad." + k)) {
                assertClose("grad." + k, ref.get("grad." + k).toFloat(), e.getValue().grad(), tol);
                full++;
            } else {
                long[] idx = sampleIndex(ref, names, k);
                assertClose("gradsample." + k, ref.get("gradsample." + k).toFloat(), gather(e.getValue().grad(), idx), tol);
                sampled++;
            }
        }
        assertEquals(params.size(), full + sampled + skipped);

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
