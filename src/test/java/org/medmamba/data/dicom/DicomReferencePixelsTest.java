package org.medmamba.data.dicom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Compressed files decode pixel for pixel to gdcm's uncompressed copies of them (gdcm-decoded-reference/). */
class DicomReferencePixelsTest {
    static final Path DICOM = DicomManifestTest.DICOM;

    /** In-repo pairs always; the shared corpus's pairs too when it is there (extended run). */
    static Stream<String[]> pairs() throws IOException {
        Path shared = org.medmamba.testing.Shared.dir().resolve("dicom");
        Stream<String[]> repo = pairs(DICOM);
        return Files.exists(shared.resolve("MANIFEST.tsv")) ? Stream.concat(repo, pairs(shared)) : repo;
    }

    static Stream<String[]> pairs(Path dir) throws IOException {
        return DicomManifestTest.rows(dir).stream()
                .filter(r -> Files.exists(reference(dir, r.file())))
                .filter(r -> !r.photometric().startsWith("YBR")) // gdcm converts YBR to RGB; we keep stored values
                .map(r -> new String[]{r.file(), r.tsUid(), dir.toString()});
    }

    static Path reference(Path dir, String file) {
        String base = Path.of(file).getFileName().toString().replace(".dcm", "");
        return dir.resolve("gdcm-decoded-reference").resolve(base + ".raw.dcm");
    }

    @ParameterizedTest(name = "{0} ({2})")
    @MethodSource("pairs")
    void matchesTheUncompressedReference(String file, String ts, String dir) throws IOException {
        PixelDecoder dec = DicomImages.open(Path.of(dir).resolve(file)), ref = DicomImages.open(reference(Path.of(dir), file));
        assertEquals(dec.module().frames(), ref.module().frames());
        boolean lossy = ts.endsWith(".4.50") || ts.endsWith(".4.51");
        // lossy JPEG 2000: jai-imageio and OpenJPEG round the irreversible wavelet differently by at most 1
        int tolerance = lossy ? 3 : ts.endsWith(".4.91") ? 1 : 0;
        // this file's codestream is unsigned while its header says signed; gdcm's copy keeps the header,
        // so compare the BitsStored-bit patterns
        int mask = file.contains("pixelrep_mismatch") ? (1 << dec.module().bitsStored()) - 1 : -1;
        for (int k = 0; k < dec.module().frames(); k++) {
            int[] a = dec.frame(k), b = ref.frame(k);
            assertEquals(b.length, a.length);
            int worst = 0;
            for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] & mask) - (b[i] & mask)));
            assertTrue(worst <= tolerance, "frame " + k + " differs by up to " + worst);
        }
    }
}
