package org.medmamba.cli;

import org.medmamba.api.TorchImport;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code medmamba import-torch}: a PyTorch MedMamba checkpoint (.pth) → model bundle (.mmb); {@link TorchImport}. */
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
        ModelBundle b = TorchImport.convert(checkpoint, out, hw[0], hw[1], labels, mean, std);
        MedMambaConfig cfg = b.config();
        long params = new MedMamba(cfg, 0).parameterCount();
        System.out.printf("wrote %s: depths %s, dims %s, d_state %d, %d classes, %d input channels, %,d parameters, input %dx%d%n",
                out, Arrays.toString(cfg.depths()), Arrays.toString(cfg.dims()), cfg.dState(), cfg.numClasses(), cfg.inChans(),
                params, hw[0], hw[1]);
        return 0;
    }
}
