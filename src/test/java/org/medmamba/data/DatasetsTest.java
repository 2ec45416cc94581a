package org.medmamba.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void opensByKindOfPath() throws IOException {
        Files.createDirectories(tmp.resolve("imgs/a"));
        assertInstanceOf(ImageFolderDataset.class, Datasets.open(tmp.resolve("imgs")));
        Path csv = tmp.resolve("m.CSV");
        Files.writeString(csv, "path,label\nx.png,a\n");
        assertInstanceOf(CsvManifestDataset.class, Datasets.open(csv));
        Dataset npz = Datasets.open(Path.of("src/test/resources/npz/rgb.npz"));
        assertInstanceOf(NpzDataset.class, npz);
        assertEquals("MedMNIST .npz", Datasets.kind(npz));
        assertNull(Datasets.root(npz));
        assertEquals(tmp.toAbsolutePath(), Datasets.root(Datasets.open(csv)));

        Path other = tmp.resolve("x.txt");
        Files.writeString(other, "?");
        assertEquals(other + ": not a dataset (expected a folder of class folders, a .csv manifest or a MedMNIST .npz)",
                assertThrows(IOException.class, () -> Datasets.open(other)).getMessage());
        assertEquals(tmp.resolve("nope") + ": no such file or folder",
                assertThrows(IOException.class, () -> Datasets.open(tmp.resolve("nope"))).getMessage());
        Files.createDirectories(tmp.resolve("empty"));
        assertEquals(tmp.resolve("empty") + ": no class folders (expected ROOT/<class>/<image files>)",
                assertThrows(IOException.class, () -> Datasets.open(tmp.resolve("empty"))).getMessage());
    }
}
