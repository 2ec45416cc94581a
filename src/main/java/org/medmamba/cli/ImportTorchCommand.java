package org.medmamba.cli;

import org.medmamba.io.ModelBundle;
import org.medmamba.io.StoredTensor;
import org.medmamba.io.StateDicts;
import org.medmamba.io.TorchCheckpoint;
import org.medmamba.model.ConfigInference;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code medmamba import-torch}: a PyTorch MedMamba checkpoint (.pth) → model bundle (.mmb). */
@Command(name = "import-torch", mixinStandardHelpOptions = true,
        description = "Convert an original PyTorch MedMamba checkpoint (.pth state dict) into a model bundle (.mmb). "
                + "The architecture (depths, dims, d_state, classes, input channels) is read from the tensors.")
public final class ImportTorchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CHECKPOINT.pth")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "MODEL.mmb", description = "Bundle to write.")
    Path out;

    @Option(names = "--image-size", description = "Input size S or HxW (default ${DEFAULT-VALUE}).")
    String imageSize = "224";

    @Option(names = "--labels", split = ",", description = "Class labels, comma-separated (default 0..N-1).")
    List<String> labels;

    @Option(names = "--mean", split = ",", description = "Per-channel mean (default 0.5 each, the original training script's).")
    float[] mean;

    @Option(names = "--std", split = ",", description = "Per-channel std (default 0.5 each).")
    float[] std;

    @Override
    public Integer call() throws Exception {
        int[] hw = ImageSizes.parse(imageSize);
        Map<String, StoredTensor> stored = TorchCheckpoint.readStateDict(checkpoint);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        stored.forEach((k, v) -> shapes.put(k, v.shape()));
        MedMambaConfig cfg;
        try {
            cfg = ConfigInference.infer(shapes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint + ": " + e.getMessage());
        }
        Map<String, Object> state = StateDicts.toEngine(stored);
        MedMamba model = new MedMamba(cfg, 0);
        try {
            model.loadStateDict(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint + ": " + e.getMessage());
        }
        int c = cfg.inChans();
        if (labels == null) {
            labels = new ArrayList<>();
            for (int i = 0; i < cfg.numClasses(); i++) labels.add(Integer.toString(i));
        }
        if (labels.size() != cfg.numClasses())
            throw new IllegalArgumentException("--labels has " + labels.size() + " names but the checkpoint has " + cfg.numClasses() + " classes");
        if (mean == null) mean = filled(c, 0.5f);
        if (std == null) std = filled(c, 0.5f);
        if (mean.length != c || std.length != c)
            throw new IllegalArgumentException("--mean and --std need " + c + " values (the model has " + c + " input channels)");
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("source", "import-torch " + checkpoint.toAbsolutePath());
        prov.put("date", Instant.now().toString());
        ModelBundle bundle = new ModelBundle(cfg, labels, hw[0], hw[1], mean, std, prov, model.stateDict());
        bundle.save(out);
        System.out.printf("wrote %s: depths %s, dims %s, d_state %d, %d classes, %d input channels, %,d parameters, input %dx%d%n",
                out, Arrays.toString(cfg.depths()), Arrays.toString(cfg.dims()), cfg.dState(), cfg.numClasses(), c,
                model.parameterCount(), hw[0], hw[1]);
        return 0;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
