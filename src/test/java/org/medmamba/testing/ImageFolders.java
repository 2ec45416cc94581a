package org.medmamba.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small image-folder datasets for tests. */
public final class ImageFolders {
    private ImageFolders() {}

    /** dir/data/{benign,malignant}/P{i%7}_{i}.png: a blank 6×4 gray images in benign, then b in malignant; P0..P6 name patients. */
    public static Path benignMalignant(Path dir, int a, int b) throws IOException {
        Path root = dir.resolve("data");
        for (int i = 0; i < a + b; i++) {
            Path p = root.resolve(i < a ? "benign" : "malignant").resolve("P" + (i % 7) + "_" + i + ".png");
            Files.createDirectories(p.getParent());
            ImageIO.write(new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY), "png", p.toFile());
        }
        return root;
    }
}
