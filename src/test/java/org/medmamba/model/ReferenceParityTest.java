package org.medmamba.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
 * configurations (../shared/reference), reproduced from its .pth weights.
 */
class ReferenceParityTest {
    static final Path REF = Path.of(System.getProperty("medmamba.shared", "../shared"), "reference");

    record Case(MedMamba model, SafetensorsFile ref, Tensor input, LongTensor labels) {}

    static Case load(String name) throws Exception {
        Path st = REF.resolve(name + ".safetensors"), pth = REF.resolve(name + ".pth");
        assertTrue(Files.exists(st) && Files.exists(pth), "reference data missing under " + REF.toAbsolutePath());
        SafetensorsFile ref = SafetensorsFile.open(st);
        Map<String, String> meta = ref.metadata();
        ObjectMapper json = new ObjectMapper();
        MedMambaConfig cfg = new MedMambaConfig(json.readValue(meta.get("depths"), int[].class), json.readValue(meta.get("dims"), int[].class),
                16, Integer.parseInt(meta.get("num_classes")), Integer.parseInt(meta.get("in_chans")), 0f);
        MedMamba model = new MedMamba(cfg, 7);
        model.loadStateDict(StateDicts.readTorch(pth));
        return new Case(model, ref, ref.get("input").toFloat(), ref.get("labels").toLong());
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
    @ValueSource(strings = {"mini_c5_rgb_64x96", "small_c4_gray_96"})
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
    @ValueSource(strings = {"mini_c5_rgb_64x96", "small_c4_gray_96"})
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
        double globalMax = 0;
        for (String k : params.keySet()) globalMax = Math.max(globalMax, ref.get("grad." + k).toFloat().maxAbs());
        for (Map.Entry<String, Var> e : params.entrySet()) {
            Tensor expected = ref.get("grad." + e.getKey()).toFloat();
            assertNotNull(e.getValue().grad(), "no gradient for " + e.getKey());
            assertClose("grad." + e.getKey(), expected, e.getValue().grad(), 1e-3 * expected.maxAbs() + 1e-6 * globalMax);
        }

        // one AdamW step from the reference gradients
        for (Map.Entry<String, Var> e : params.entrySet()) {
            e.getValue().zeroGrad();
            e.getValue().accumulate(ref.get("grad." + e.getKey()).toFloat());
        }
        Case fresh = load(name);     // parameters as loaded (the step above must start from them)
        Map<String, Var> p0 = fresh.model.namedParameters();
        for (Map.Entry<String, Var> e : p0.entrySet()) e.getValue().accumulate(ref.get("grad." + e.getKey()).toFloat());
        new AdamW(List.copyOf(p0.values()), Set.of(), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.05f).step();
        for (Map.Entry<String, Var> e : p0.entrySet())
            assertClose("adamw." + e.getKey(), ref.get("adamw." + e.getKey()).toFloat(), e.getValue().value(), 1e-6);
        ref.close();
    }
}
