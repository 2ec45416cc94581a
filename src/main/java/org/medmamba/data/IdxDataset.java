package org.medmamba.data;

import org.medmamba.data.image.Image;
import org.medmamba.io.BadFileException;
import org.medmamba.io.Limits;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The MNIST family's IDX files as they ship (LeCun's format; Debian's {@code dataset-fashion-mnist}
 * in /usr/share/datasets/fashion-mnist): a folder holding {@code train-images-idx3-ubyte} and
 * {@code train-labels-idx1-ubyte} (split "train") and/or {@code t10k-…} (split "test"), each plain
 * or gzip-compressed ({@code .gz}). Images are (N, H, W) uint8, labels (N) uint8; classes are
 * "0".."K-1". The arrays stay in memory as read; {@link #load} converts one image.
 */
public final class IdxDataset implements Dataset {
    /** File prefix → split. */
    private static final String[][] SPLITS = {{"train", "train"}, {"t10k", "test"}};
    private static final int IMAGES_MAGIC = 0x00000803, LABELS_MAGIC = 0x00000801;

    private final Path folder;
    private final List<String> classes;
    private final List<Sample> samples;
    private final List<byte[]> pixels = new ArrayList<>();   // per split, N·H·W
    private final List<byte[]> labels = new ArrayList<>();   // per split, N
    private final List<String> splitNames = new ArrayList<>();
    private final List<Path> imageFiles = new ArrayList<>();
    private final int height, width;

    /** Whether folder holds IDX image files (what {@link Datasets#open} asks before trying image folders). */
    public static boolean holdsIdx(Path folder) {
        for (String[] s : SPLITS) if (find(folder, s[0] + "-images-idx3-ubyte") != null) return true;
        return false;
    }

    private static Path find(Path folder, String base) {
        for (String name : new String[]{base, base + ".gz"}) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    public static IdxDataset open(Path folder) throws IOException {
        return new IdxDataset(folder);
    }

    private IdxDataset(Path folder) throws IOException {
        this.folder = folder;
        List<Sample> all = new ArrayList<>();
        int maxLabel = -1, h = -1, w = -1;
        for (String[] s : SPLITS) {
            Path img = find(folder, s[0] + "-images-idx3-ubyte"), lab = find(folder, s[0] + "-labels-idx1-ubyte");
            if (img == null && lab == null) continue;
            if (img == null || lab == null)
                throw new BadFileException(folder, "has " + (img == null ? lab.getFileName() + " but no " + s[0] + "-images-idx3-ubyte[.gz]"
                        : img.getFileName() + " but no " + s[0] + "-labels-idx1-ubyte[.gz]"));
            int[] dims = new int[3];
            byte[] px = read(img, IMAGES_MAGIC, dims);
            int[] ldims = new int[1];
            byte[] labels = read(lab, LABELS_MAGIC, ldims);
            if (ldims[0] != dims[0]) throw new BadFileException(lab, ldims[0] + " labels for the " + dims[0] + " images of " + img.getFileName());
            if (h >= 0 && (dims[1] != h || dims[2] != w))
                throw new BadFileException(img, "images are " + dims[2] + "x" + dims[1] + ", the other split's " + w + "x" + h);
            h = dims[1];
            w = dims[2];
            pixels.add(px);
            this.labels.add(labels);
            splitNames.add(s[1]);
            imageFiles.add(img);
            for (int i = 0; i < dims[0]; i++) {
                int l = labels[i] & 0xff;
                maxLabel = Math.max(maxLabel, l);
                all.add(new Sample(img, i, l, s[1], img + "#" + i));
            }
        }
        if (pixels.isEmpty())
            throw new BadFileException(folder, "no IDX files (expected train-images-idx3-ubyte[.gz] / t10k-images-idx3-ubyte[.gz] with their labels)");
        List<String> cls = new ArrayList<>();
        for (int k = 0; k <= maxLabel; k++) cls.add(Integer.toString(k));
        this.classes = List.copyOf(cls);
        this.samples = List.copyOf(all);
        this.height = h;
        this.width = w;
    }

    /**
     * The payload of one IDX file: magic (ubyte, rank), big-endian dims, then the bytes. The size the
     * dims declare is checked against the limits before the array is allocated, and the file must
     * hold exactly that many bytes.
     */
    private static byte[] read(Path file, int magic, int[] dims) throws IOException {
        Limits limits = Limits.current();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw)) {
            int m = in.readInt();
            if (m != magic)
                throw new BadFileException(file, String.format("not an IDX %s file (magic 0x%08x, expected 0x%08x)",
                        magic == IMAGES_MAGIC ? "image" : "label", m, magic));
            long n = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) throw new BadFileException(file, "dimension " + i + " is " + dims[i]);
                n *= dims[i];
            }
            if (dims.length == 3) limits.checkImage(file, dims[2], dims[1], 1);
            limits.checkZipEntry(file, "pixel array", n);
            byte[] out = new byte[Math.toIntExact(n)];
            in.readFully(out);
            if (in.read() != -1) throw new BadFileException(file, "holds more bytes than its dimensions declare");
            return out;
        } catch (EOFException e) {
            throw new BadFileException(file, "truncated (fewer bytes than its dimensions declare)");
        } catch (ZipException e) {
            throw new BadFileException(file, "corrupt gzip stream (" + e.getMessage() + ")");
        }
    }

    public Path folder() {
        return folder;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The uint8 pixels of one split, N·H·W row-major; null when the folder has no such split. */
    public byte[] pixels(String split) {
        int i = splitNames.indexOf(split);
        return i < 0 ? null : pixels.get(i);
    }

    /** The uint8 labels of one split, in file order; null when the folder has no such split. */
    public byte[] labels(String split) {
        int i = splitNames.indexOf(split);
        return i < 0 ? null : labels.get(i);
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<Sample> samples() {
        return samples;
    }

    @Override
    public Image load(Sample s) throws IOException {
        int k = imageFiles.indexOf(s.file());
        int n = height * width;
        if (k < 0 || s.index() < 0 || (long) (s.index() + 1) * n > pixels.get(k).length)
            throw new BadFileException(s.file(), "no image " + s.index());
        byte[] d = pixels.get(k);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (d[s.index() * n + i] & 0xff) / 255f;
        return new Image(1, height, width, out);
    }
}
