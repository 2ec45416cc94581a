// The Java side of bench/learning-parity/lockstep.py: trains MedMamba for Java from the PyTorch
// side's initial weights on the same batches with the same AdamW settings and writes the loss of
// every step to DIR/java.json. Run with the CLI jar on the class path (see run-lockstep.sh):
//   java --add-modules jdk.incubator.vector -cp medmamba-cli.jar LockStep.java DIR
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.io.StateDicts;
import org.medmamba.io.StoredTensor;
import org.medmamba.io.TorchCheckpoint;
import org.medmamba.model.ConfigInference;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;
import org.medmamba.train.AdamW;
import org.medmamba.train.WeightDecayRule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class LockStep {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Map<String, StoredTensor> init = TorchCheckpoint.readStateDict(dir.resolve("init.pth"));
        Map<String, int[]> shapes = new LinkedHashMap<>();
        init.forEach((k, v) -> shapes.put(k, v.shape()));
        MedMamba model = new MedMamba(ConfigInference.infer(shapes).withDropPath(0f), 0);
        model.loadStateDict(StateDicts.toEngine(init));
        model.train(true);
        Map<String, StoredTensor> b = TorchCheckpoint.readStateDict(dir.resolve("batches.pth"));
        Tensor x = b.get("x").toFloat();
        float[] y = b.get("y").toFloat().data();
        int batch = (int) b.get("batch").toFloat().data()[0];
        int[] s = x.shape();
        int per = s[1] * s[2] * s[3];
        AdamW opt = new AdamW(model.parameters(), WeightDecayRule.exempted(model.namedParameters()), 3e-4f, 0.9f, 0.999f, 1e-8f, 0.05f);
        List<String> losses = new ArrayList<>();
        float[] xd = x.data();
        for (int i = 0; i < s[0]; i += batch) {
            int n = Math.min(batch, s[0] - i);
            float[] xb = new float[n * per];
            System.arraycopy(xd, i * per, xb, 0, n * per);
            long[] yb = new long[n];
            for (int k = 0; k < n; k++) yb[k] = (long) y[i + k];
            Var loss = Losses.crossEntropy(model.forward(Var.constant(Tensor.of(xb, n, s[1], s[2], s[3]))), LongTensor.of(yb), null, 0f);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            losses.add(String.format(Locale.ROOT, "%.8f", loss.value().data()[0]));
        }
        Files.writeString(dir.resolve("java.json"), "{\"losses\": [" + String.join(", ", losses) + "]}\n");
    }
}
