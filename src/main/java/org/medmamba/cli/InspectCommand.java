package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.api.Inspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba inspect}: {@link Inspection} of a DICOM file as a table or one JSON object. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Size, frames, modality, photometric interpretation, transfer syntax and stored-value min/max/mean of a DICOM file.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.dcm")
    Path file;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Inspection i = Inspection.of(file);
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode();
            o.put("rows", i.rows()).put("cols", i.cols()).put("frames", i.frames()).put("modality", i.modality())
                    .put("photometric", i.photometric()).put("transfer_syntax", i.transferSyntaxUid()).put("bits_stored", i.bitsStored())
                    .put("pixel_representation", i.pixelRepresentation()).put("min", i.min()).put("max", i.max()).put("mean", i.mean());
            System.out.println(m.writeValueAsString(o));
            return 0;
        }
        System.out.printf(Locale.ROOT, """
                file                  %s
                rows                  %d
                cols                  %d
                frames                %d
                modality              %s
                photometric           %s
                transfer syntax       %s
                bits stored           %d
                pixel representation  %d (%s)
                min                   %d
                max                   %d
                mean                  %.3f
                """, file, i.rows(), i.cols(), i.frames(), i.modality(), i.photometric(), i.transferSyntax(), i.bitsStored(),
                i.pixelRepresentation(), i.signed() ? "signed" : "unsigned", i.min(), i.max(), i.mean());
        return 0;
    }
}
