package org.medmamba.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFoldersTest {
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFolderWhole(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("rep");
        AtomicFolders.replace(dir, n -> true, t -> {
            Files.writeString(t.resolve("metrics.json"), "old metrics");
            Files.writeString(t.resolve("report.html"), "old report");
        });
        IOException e = assertThrows(IOException.class, () -> AtomicFolders.replace(dir, n -> true, t -> {
            Files.writeString(t.resolve("metrics.json"), "new metrics");
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("old metrics", Files.readString(dir.resolve("metrics.json")));
        assertEquals("old report", Files.readString(dir.resolve("report.html")));
        assertEquals(List.of("metrics.json", "report.html"), names(dir));
        assertEquals(List.of(".rep.lock", "rep"), names(tmp), "no temporary folder is left");
    }

    @Test
    void aKilledReplacementIsRepairedAtTheNextOne(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("rep"), old = Files.createDirectories(tmp.resolve(".rep.77.old"));
        Files.writeString(old.resolve("metrics.json"), "old");
        Files.createDirectories(tmp.resolve(".rep.78.tmp"));
        // killed between "old aside" and "new in": the old report comes back when the next write fails
        assertThrows(IOException.class, () -> AtomicFolders.replace(dir, n -> true, t -> { throw new IOException("boom"); }));
        assertEquals("old", Files.readString(dir.resolve("metrics.json")));
        assertEquals(List.of(".rep.lock", "rep"), names(tmp));
    }

    @Test
    void aSecondWriterOfTheSameFolderIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("rep");
        FolderInUseException e = assertThrows(FolderInUseException.class, () -> AtomicFolders.replace(dir, n -> true,
                t -> AtomicFolders.replace(dir, n -> true, u -> {})));
        assertEquals(dir + ": is in use by another write of this folder (process " + ProcessHandle.current().pid()
                + "); wait for it to end or choose another folder", e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void staleTempFilesOfNamedTargetsAreRemoved(@TempDir Path tmp) throws Exception {
        for (String n : List.of(".best.mmb.123.tmp", ".metrics.jsonl.5.tmp", ".other.1.tmp", ".best.mmb.x.tmp", "best.mmb"))
            Files.write(tmp.resolve(n), new byte[0]);
        assertEquals(2, AtomicFiles.removeStale(tmp, List.of("best.mmb", "metrics.jsonl")));
        assertEquals(List.of(".best.mmb.x.tmp", ".other.1.tmp", "best.mmb"), names(tmp));
    }

    @Test
    void outputPathsCompareRealPaths(@TempDir Path tmp) throws Exception {
        Path a = Files.writeString(tmp.resolve("a.pth"), "x");
        Path dirLink = Files.createSymbolicLink(tmp.resolve("link"), tmp);
        SettingException e = assertThrows(SettingException.class, () -> OutputPaths.refuseSameFile("out", dirLink.resolve("a.pth"), a));
        assertEquals("out is " + dirLink.resolve("a.pth") + ", the same file as the input " + a, e.getMessage());
        OutputPaths.refuseSameFile("out", tmp.resolve("b.mmb"), a);
        OutputPaths.refuseInside("out", tmp.resolve("runs"), a); // a file has no inside
        assertThrows(SettingException.class, () -> OutputPaths.refuseInside("out", tmp.resolve("new/x"), tmp));
        assertThrows(SettingException.class, () -> OutputPaths.refuseOverlap("out", tmp, a));
    }
}
