package org.medmamba.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.bench.InferenceBenchmark;
import org.medmamba.data.CsvManifestDataset;
import org.medmamba.io.SettingException;
import org.medmamba.testing.Shared;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The library calls behind info, inspect, dataset inspect|split and bench, without the CLI. */
class LibraryCallsTest {
    @TempDir
    Path tmp;

    private Path folder(int a, int b) throws IOException {
        return org.medmamba.testing.ImageFolders.benignMalignant(tmp, a, b);
    }

    @Test
    void modelInfoOfVariantAndBundle() throws Exception {
        ModelInfo tiny = ModelInfo.ofVariant("tiny", 6, 3, 224, 224);
        assertEquals(14_457_222, tiny.parameters(), "MedMamba-T with 6 classes, as the original counts it");
        assertEquals(List.of(), tiny.labels());
        assertTrue(tiny.weightBytes() > 4L * tiny.parameters(), "BatchNorm buffers are counted too");
        assertTrue(tiny.totalMacs() > tiny.convLinearMacs());

        Path mmb = tmp.resolve("mini.mmb");
        TorchImport.read(Shared.fixture("reference/mini_c5_rgb_64x96.pth"), 64, 96, null, null, null).save(mmb);
        ModelInfo mini = ModelInfo.of(mmb);
        assertEquals(List.of("0", "1", "2", "3", "4"), mini.labels());
        assertEquals(64, mini.imageHeight());
        assertEquals(96, mini.imageWidth());
        assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f}, mini.mean());
        ModelInfo.Memory m = mini.measureMemory();
        assertTrue(m.peakBytes() > 0 && m.keptBytes() >= 0, m.toString());

        MedMambaException e = assertThrows(MedMambaException.class, () -> ModelInfo.of(tmp.resolve("none.mmb")));
        assertEquals(tmp.resolve("none.mmb") + ": no such file", e.getMessage());
    }

    @Test
    void inspectionMatchesTheManifest() throws Exception {
        Inspection i = Inspection.of(Shared.fixture("dicom/pydicom/CT_small.dcm"));
        assertEquals(128, i.rows());
        assertEquals(128, i.cols());
        assertEquals(1, i.frames());
        assertEquals("CT", i.modality());
        assertEquals("MONOCHROME2", i.photometric());
        assertEquals("1.2.840.10008.1.2.1", i.transferSyntaxUid());
        assertTrue(i.signed());
        assertEquals(128, i.min());
        assertEquals(2191, i.max());
        assertEquals(904.926, i.mean(), 5e-4);
        Path junk = Files.writeString(tmp.resolve("junk.dcm"), "not dicom");
        MedMambaException e = assertThrows(MedMambaException.class, () -> Inspection.of(junk));
        assertTrue(e.getMessage().startsWith(junk + ": "), e.getMessage());
    }

    @Test
    void datasetSummaryCountsAndDecodes() throws Exception {
        Path root = folder(10, 5);
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("benign/zz.png"), "broken");
        List<long[]> updates = new ArrayList<>();
        DatasetSummary d = DatasetSummary.of(DataSource.of(root), true, 2, new Progress() {
            @Override
            public void update(long done, long total) {
                updates.add(new long[]{done, total});
            }
        });
        assertEquals("image folders", d.source());
        assertEquals(16, d.images());
        assertArrayEquals(new int[]{11, 0, 5}, d.totals());
        assertEquals(List.of("empty"), d.emptyClasses());
        assertEquals(1, d.scan().bad().size());
        assertEquals(root.resolve("benign/zz.png"), d.scan().bad().getFirst().sample().file());
        assertEquals(16, updates.getLast()[0]);
        assertNull(DatasetSummary.of(DataSource.of(root), false, 1, Progress.NONE).scan());
        assertThrows(SettingException.class, () -> DatasetSummary.of(DataSource.of(root), true, 0, Progress.NONE));
    }

    @Test
    void datasetSplitWritesAManifestAndRefusesToOverwrite() throws Exception {
        Path root = folder(20, 10), out = tmp.resolve("split.csv");
        DatasetSplit.Result r = DatasetSplit.of(DataSource.of(root)).val(0.2).test(0.2).seed(3).groupBy("/(P\\d+)_").write(out);
        assertEquals(30, r.images());
        assertEquals(7, r.groups());
        assertTrue(r.grouped());
        assertFalse(r.ignoredOriginalSplit());
        int total = 0;
        for (int[] c : r.countsBySplit().values()) total += c[0] + c[1];
        assertEquals(30, total);
        assertEquals(30, CsvManifestDataset.open(out).samples().size());
        String before = Files.readString(out);
        SettingException e = assertThrows(SettingException.class, () -> DatasetSplit.of(DataSource.of(root)).write(out));
        assertEquals("overwrite", e.setting());
        assertEquals(before, Files.readString(out), "a refused split leaves the manifest as it was");
        SettingException g = assertThrows(SettingException.class,
                () -> DatasetSplit.of(DataSource.of(root)).groupBy("Q(\\d+)").write(tmp.resolve("g.csv")));
        assertEquals("groupBy", g.setting());
        assertFalse(Files.exists(tmp.resolve("g.csv")));
    }

    @Test
    void inferenceBenchmarkReportsEachBatch() {
        var rs = InferenceBenchmark.run(new InferenceBenchmark.Settings("tiny", 32, 32, new int[]{1, 2}, 3, 1, 1, 0, 1), line -> {});
        assertEquals(2, rs.size());
        assertEquals(2, rs.get(1).batch());
        assertEquals(2 * 1000.0 / rs.get(1).msPerBatch(), rs.get(1).imagesPerS(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new InferenceBenchmark.Settings("tiny", 32, 32, new int[0], 3, 1, 1, 0, 1));
    }
}
