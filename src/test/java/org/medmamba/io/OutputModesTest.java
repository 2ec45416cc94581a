package org.medmamba.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.api.TorchImport;
import org.medmamba.testing.Shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Written files get the usual mode (0666 less the umask: 0644 under the default umask), not createTempFile's 0600. */
class OutputModesTest {
    @TempDir
    Path tmp;

    @Test
    void atomicWritesAndBundlesHaveTheModeOfAPlainNewFile() throws IOException {
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("plain")));
        Path f = tmp.resolve("metrics.json");
        AtomicFiles.write(f, out -> out.write('x'));
        assertEquals(PosixFilePermissions.toString(usual), PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Path mmb = tmp.resolve("m.mmb");
        TorchImport.convert(Shared.fixture("reference/mini_c5_rgb_64x96.pth"), mmb, 64, 96, null, null, null);
        assertEquals(usual, Files.getPosixFilePermissions(mmb));
        assertTrue(usual.contains(PosixFilePermission.OWNER_READ) && usual.contains(PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void theBuildRecordsVersionCommitAndDate() {
        assertTrue(Software.describe().startsWith("medmamba " + Software.version() + " (commit "), Software.describe());
        assertTrue(Software.buildDate().equals("unknown") || Software.buildDate().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                Software.buildDate());
    }
}
