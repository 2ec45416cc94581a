package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.data.dicom.DicomDictionary;
import org.medmamba.data.dicom.DicomImages;
import org.medmamba.data.dicom.PixelDecoder;
import org.medmamba.data.dicom.PixelModule;
import org.medmamba.data.dicom.PixelStats;
import org.medmamba.data.dicom.TransferSyntax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba inspect}: the image facts of a DICOM file and statistics of its stored pixel values. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Size, frames, modality, photometric interpretation, transfer syntax and stored-value min/max/mean of a DICOM file.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.dcm")
    Path file;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PixelDecoder dec = DicomImages.open(file);
        PixelModule pm = dec.module();
        PixelStats s = PixelStats.of(dec);
        TransferSyntax ts = dec.file().transferSyntax();
        String modality = dec.file().dataset().string(DicomDictionary.MODALITY);
        if (modality == null) modality = "";
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode();
            o.put("rows", pm.rows()).put("cols", pm.cols()).put("frames", pm.frames()).put("modality", modality)
                    .put("photometric", pm.photometric()).put("transfer_syntax", ts.uid()).put("bits_stored", pm.bitsStored())
                    .put("pixel_representation", pm.pixelRepresentation()).put("min", s.min()).put("max", s.max()).put("mean", s.mean());
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
                """, file, pm.rows(), pm.cols(), pm.frames(), modality, pm.photometric(), ts.describe(), pm.bitsStored(),
                pm.pixelRepresentation(), pm.signed() ? "signed" : "unsigned", s.min(), s.max(), s.mean());
        return 0;
    }
}
