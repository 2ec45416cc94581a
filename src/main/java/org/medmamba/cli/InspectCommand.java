package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.api.Inspection;
import org.medmamba.api.MedMambaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba inspect}: {@link Inspection} of each file as a table, or JSON (one object, or an array for several files). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Size, frames, channels, modality, photometric interpretation, transfer syntax, spacing, orientation, window,",
                "rescale and stored-value min/max/mean of DICOM files and images (PNG, JPEG, BMP, GIF, TIFF).",
                "Exit code 1 when some file cannot be read (the others are still shown)."})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--json", description = "Print one JSON object (an array of objects for several files; a file that failed has \"error\").")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ObjectMapper m = new ObjectMapper();
        ArrayNode arr = m.createArrayNode();
        int failures = 0;
        for (Path f : files) {
            try {
                Inspection i = Inspection.of(f);
                if (json) arr.add(toJson(m, i));
                else print(i, files.size() > 1 && f != files.getFirst());
            } catch (MedMambaException e) {
                failures++;
                System.err.println("medmamba: " + e.getMessage());
                if (json) arr.addObject().put("file", f.toString()).put("error", e.getMessage());
            }
        }
        if (json) System.out.println(m.writeValueAsString(files.size() == 1 && failures == 0 ? arr.get(0) : arr));
        return failures > 0 ? 1 : 0;
    }

    static ObjectNode toJson(ObjectMapper m, Inspection i) {
        ObjectNode o = m.createObjectNode();
        o.put("file", i.file().toString()).put("format", i.format());
        o.put("rows", i.rows()).put("cols", i.cols()).put("frames", i.frames()).put("channels", i.channels()).put("modality", i.modality())
                .put("photometric", i.photometric()).put("transfer_syntax", i.transferSyntaxUid()).put("bits_stored", i.bitsStored())
                .put("pixel_representation", i.pixelRepresentation()).put("min", i.min()).put("max", i.max()).put("mean", i.mean());
        numbers(o, "pixel_spacing", i.pixelSpacing());
        if (Double.isNaN(i.sliceThickness())) o.putNull("slice_thickness");
        else o.put("slice_thickness", i.sliceThickness());
        numbers(o, "orientation", i.orientation());
        numbers(o, "position", i.position());
        if (i.window() == null) o.putNull("window");
        else o.putObject("window").put("center", i.window()[0]).put("width", i.window()[1]);
        if (i.rescale() == null) o.putNull("rescale");
        else o.putObject("rescale").put("slope", i.rescale()[0]).put("intercept", i.rescale()[1]);
        return o;
    }

    private static void numbers(ObjectNode o, String key, double[] v) {
        if (v == null) {
            o.putNull(key);
            return;
        }
        ArrayNode a = o.putArray(key);
        for (double x : v) a.add(x);
    }

    private static void print(Inspection i, boolean gap) {
        if (gap) System.out.println();
        System.out.printf(Locale.ROOT, "file                  %s%n", i.file());
        System.out.printf(Locale.ROOT, "format                %s%n", i.format());
        System.out.printf(Locale.ROOT, "rows                  %d%n", i.rows());
        System.out.printf(Locale.ROOT, "cols                  %d%n", i.cols());
        System.out.printf(Locale.ROOT, "frames                %d%n", i.frames());
        System.out.printf(Locale.ROOT, "channels              %d%n", i.channels());
        if (i.dicom()) {
            System.out.printf(Locale.ROOT, "modality              %s%n", i.modality());
            System.out.printf(Locale.ROOT, "photometric           %s%n", i.photometric());
            System.out.printf(Locale.ROOT, "transfer syntax       %s%n", i.transferSyntax());
        }
        System.out.printf(Locale.ROOT, "bits stored           %d%n", i.bitsStored());
        if (i.dicom()) System.out.printf(Locale.ROOT, "pixel representation  %d (%s)%n", i.pixelRepresentation(), i.signed() ? "signed" : "unsigned");
        System.out.printf(Locale.ROOT, "min                   %d%n", i.min());
        System.out.printf(Locale.ROOT, "max                   %d%n", i.max());
        System.out.printf(Locale.ROOT, "mean                  %.3f%n", i.mean());
        if (!i.dicom()) return;
        System.out.printf(Locale.ROOT, "pixel spacing (mm)    %s%n", i.pixelSpacing() == null ? "-" : join(i.pixelSpacing(), " x "));
        System.out.printf(Locale.ROOT, "slice thickness (mm)  %s%n", Double.isNaN(i.sliceThickness()) ? "-" : fmt(i.sliceThickness()));
        System.out.printf(Locale.ROOT, "orientation           %s%n", i.orientation() == null ? "-" : join(i.orientation(), ", "));
        System.out.printf(Locale.ROOT, "position (mm)         %s%n", i.position() == null ? "-" : join(i.position(), ", "));
        System.out.printf(Locale.ROOT, "window                %s%n", i.window() == null ? "-"
                : "center " + fmt(i.window()[0]) + ", width " + fmt(i.window()[1]));
        System.out.printf(Locale.ROOT, "rescale               %s%n", i.rescale() == null ? "-"
                : "slope " + fmt(i.rescale()[0]) + ", intercept " + fmt(i.rescale()[1]));
    }

    private static String join(double[] v, String sep) {
        return String.join(sep, Arrays.stream(v).mapToObj(InspectCommand::fmt).toList());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
