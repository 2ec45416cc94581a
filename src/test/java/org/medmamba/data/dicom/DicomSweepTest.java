package org.medmamba.data.dicom;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Every DICOM file in the shared folder, listed in the manifest or not, decodes or fails with a one-line error. */
class DicomSweepTest {
    @Test
    void everySharedDicomFileDecodesOrFailsCleanly() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(org.medmamba.testing.Shared.require("dicom"))) {
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
                failures.append(e.getMessage()).append('\n');
            }
        }
        System.out.printf("sweep: %d files, %d decoded%n%s", files.size(), ok, failures);
        assertTrue(files.size() > 100, "found " + files.size());
        assertTrue(files.stream().noneMatch(f -> f.getFileName().toString().startsWith("DICOMDIR")), "DICOMDIR files are skipped");
        assertTrue(ok >= 80, ok + " decoded");
    }
}
