package org.medmamba.data.dicom;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every DICOM file under a folder, listed in the manifest or not, decodes or fails with a one-line
 * error: the in-repo fixtures on every run, the shared corpus in the extended run.
 */
class DicomSweepTest {
    record Sweep(int files, int decoded, String failures) {}

    static Sweep sweep(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).filter(DicomImages::isDicom).sorted().toList();
        }
        int ok = 0;
        StringBuilder failures = new StringBuilder();
        for (Path f : files) {
            try {
                DicomFile h = DicomReader.readHeader(f);
                PixelDecoder d = DicomImages.open(f);
                assertEquals(h.transferSyntax(), d.file().transferSyntax());
                DicomImages.frame(d, d.module().frames() - 1);
                ok++;
            } catch (IOException e) {
                assertEquals(1, e.getMessage().lines().count());
                assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
                failures.append(e.getMessage()).append('\n');
            }
        }
        assertTrue(files.stream().noneMatch(f -> f.getFileName().toString().startsWith("DICOMDIR")), "DICOMDIR files are skipped");
        System.out.printf("sweep of %s: %d files, %d decoded%n%s", root, files.size(), ok, failures);
        return new Sweep(files.size(), ok, failures.toString());
    }

    @Test
    void everyFixtureDicomFileDecodesOrFailsCleanly() throws IOException {
        Sweep s = sweep(org.medmamba.testing.Shared.fixture("dicom"));
        assertTrue(s.files() >= 25, "found " + s.files());
        assertEquals(63, s.decoded(), s.failures());
        assertTrue(s.failures().lines().allMatch(l -> l.endsWith(": no pixel data")),
                "the 50 others are the dicomdirtests records without an image\n" + s.failures());
    }

    @Test
    void everySharedDicomFileDecodesOrFailsCleanly() throws IOException {
        Sweep s = sweep(org.medmamba.testing.Shared.require("dicom"));
        assertTrue(s.files() > 100, "found " + s.files());
        assertTrue(s.decoded() >= 80, s.decoded() + " decoded");
    }
}
