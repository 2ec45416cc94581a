package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.io.OutputPaths;
import org.medmamba.io.Software;
import org.medmamba.quant.QuantScheme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Post-training weight quantisation of a bundle: what {@code ./medmamba quantize} does. The
 * result is again a bundle (safetensors with int8/uint8 tensors, scale tensors and the scheme in
 * its metadata) that every command reads.
 *
 * <pre>{@code
 * Quantize.Result r = Quantize.run(Path.of("model.mmb"), QuantScheme.of(4, 64, null), Path.of("model-q4.mmb"));
 * }</pre>
 */
public final class Quantize {
    private Quantize() {}

    /**
     * @param bytesByKind stored bytes of quantised weights, scales and float tensors, as read back
     * @param sourceBytes file size of the float bundle, fileBytes of the written one
     */
    public record Result(Path out, QuantScheme scheme, long sourceBytes, long fileBytes, Map<String, Long> bytesByKind) {}

    public static Result run(Path model, QuantScheme scheme, Path out) throws MedMambaException {
        ModelBundle b = Bundles.load(model);
        if (!b.scheme().isFloat32())
            throw new MedMambaException(model, "is already quantised (" + b.scheme().describe() + "); quantise the float32 bundle", null);
        try {
            OutputPaths.refuseSameFile("out", out, model);
        } catch (RuntimeException e) {
            throw MedMambaException.of(out, e);
        }
        Map<String, String> prov = new LinkedHashMap<>(b.provenance());
        prov.put("quantized_from", model.getFileName().toString());
        prov.put("quantization", scheme.describe());
        prov.put("quantized_by", Software.describe());
        try {
            b.withScheme(scheme, prov).save(out);
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(out, e);
        }
        ModelBundle back = Bundles.load(out);
        try {
            return new Result(out, scheme, Files.size(model), Files.size(out), back.storedBytes());
        } catch (IOException e) {
            throw MedMambaException.of(out, e);
        }
    }
}
