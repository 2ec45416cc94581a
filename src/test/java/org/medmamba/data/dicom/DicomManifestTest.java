package org.medmamba.data.dicom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medmamba.data.image.Image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Every file of the shared DICOM manifest decodes to the listed header facts and stored-value statistics. */
class DicomManifestTest {
    static final Path DICOM = org.medmamba.testing.Shared.fixture("dicom");

    record Row(String file, String modality, int rows, int cols, int frames, int spp, String photometric, int bitsAlloc,
               int bitsStored, int pixelRep, String tsUid, String tsName, long bytes, double min, double max, double mean) {
        @Override
        public String toString() {
            return file + " [" + tsName + "]";
        }
    }

    /** The in-repo manifest (ground truth for the copied files). */
    static List<Row> rows() throws IOException {
        return rows(DICOM);
    }

    static List<Row> rows(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("MANIFEST.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> {
            String[] c = l.split("\t");
            java.util.function.Function<String, String> f = k -> c[header.indexOf(k)];
            return new Row(f.apply("file"), f.apply("modality"), Integer.parseInt(f.apply("rows")), Integer.parseInt(f.apply("cols")),
                    Integer.parseInt(f.apply("frames")), Integer.parseInt(f.apply("spp")), f.apply("photometric"),
                    Integer.parseInt(f.apply("bits_alloc")), Integer.parseInt(f.apply("bits_stored")), Integer.parseInt(f.apply("pixel_rep")),
                    f.apply("ts_uid"), f.apply("ts_name"), Long.parseLong(f.apply("bytes")), Double.parseDouble(f.apply("decoded_min")),
                    Double.parseDouble(f.apply("decoded_max")), Double.parseDouble(f.apply("decoded_mean")));
        }).toList();
    }

    static Stream<Row> manifest() throws IOException {
        return rows().stream();
    }

    /** The shared corpus's manifest (extended run); one placeholder case that skips when it is absent. */
    static Stream<Row> sharedManifest() throws IOException {
        Path dir = org.medmamba.testing.Shared.dir().resolve("dicom");
        return Files.exists(dir.resolve("MANIFEST.tsv")) ? rows(dir).stream() : Stream.of((Row) null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifest")
    void decodesToTheManifestNumbers(Row row) throws IOException {
        check(DICOM, row);
    }

    @ParameterizedTest(name = "shared: {0}")
    @MethodSource("sharedManifest")
    void decodesToTheSharedManifestNumbers(Row row) throws IOException {
        Path dir = org.medmamba.testing.Shared.require("dicom/MANIFEST.tsv").getParent();
        check(dir, row);
    }

    static void check(Path dir, Row row) throws IOException {
        Path p = dir.resolve(row.file);
        assertEquals(row.bytes, Files.size(p));
        DicomFile header = DicomReader.readHeader(p);
        assertEquals(row.tsUid, header.transferSyntax().uid());
        assertTrue(header.hasPixelData());
        assertNull(header.pixelData(), "a header read stops before the pixel data");
        assertEquals(row.modality, header.dataset().string(DicomDictionary.MODALITY));

        boolean unsupported = false; // every syntax in the manifest has a codec (JPEG-LS included)
        if (unsupported) {
            IOException e = assertThrows(IOException.class, () -> DicomImages.open(p));
            assertTrue(e.getMessage().contains(row.tsUid), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            return;
        }
        PixelDecoder dec = DicomImages.open(p);
        PixelModule pm = dec.module();
        assertEquals(List.of(row.rows, row.cols, row.frames, row.spp, row.photometric, row.bitsAlloc, row.bitsStored, row.pixelRep),
                List.of(pm.rows(), pm.cols(), pm.frames(), pm.samplesPerPixel(), pm.photometric(), pm.bitsAllocated(), pm.bitsStored(),
                        pm.pixelRepresentation()));
        PixelStats s = PixelStats.of(dec);
        Image first = DicomImages.frame(dec, 0);
        assertEquals(row.spp == 1 && !row.photometric.equals("PALETTE COLOR") ? 1 : 3, first.channels());
        assertEquals(row.rows, first.height());
        assertEquals(row.cols, first.width());
        for (float v : first.data()) assertTrue(v >= 0 && v <= 1, "image values in [0, 1]");
        if (row.photometric.startsWith("YBR") && row.tsUid.equals("1.2.840.10008.1.2.4.50")) return; // reference values are YBR
        boolean lossy = row.tsUid.equals("1.2.840.10008.1.2.4.50") || row.tsUid.equals("1.2.840.10008.1.2.4.51");
        if (lossy) {
            assertEquals(row.min, s.min(), 3);
            assertEquals(row.max, s.max(), 3);
            assertEquals(row.mean, s.mean(), 0.5);
        } else {
            assertEquals(row.min, s.min(), 0, "min");
            assertEquals(row.max, s.max(), 0, "max");
            assertEquals(row.mean, s.mean(), Math.max(1e-3 * Math.abs(row.mean), 1e-3), "mean");
        }
    }
}
