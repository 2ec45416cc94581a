package org.medmamba.data;

import org.medmamba.data.image.Image;
import org.medmamba.io.BadFileException;
import org.medmamba.io.Limits;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A MedMNIST .npz (np.savez, stored or deflated): {train,val,test}_images of shape (N,H,W) gray or
 * (N,H,W,3) RGB uint8, and {split}_labels of shape (N,1) or (N,). Classes are "0".."K-1" with K the
 * largest label + 1. The uint8 arrays stay in memory as read; {@link #load} converts one row.
 */
public final class NpzDataset implements Dataset {
    static final List<String> SPLITS = List.of("train", "val", "test");

    private final Path file;
    private final List<String> classes;
    private final List<Sample> samples;
    private final Map<String, NpyArray> images; // split → (N,H,W[,C]) uint8

    private NpzDataset(Path file, List<String> classes, List<Sample> samples, Map<String, NpyArray> images) {
        this.file = file;
        this.classes = classes;
        this.samples = samples;
        this.images = images;
    }

    public static NpzDataset open(Path file) throws IOException {
        BadFileException.requireRegularFile(file);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (String s : SPLITS)
                for (String kind : List.of("_images", "_labels")) {
                    ZipEntry e = zip.getEntry(s + kind + ".npy");
                    if (e == null) continue;
                    Limits.current().checkZipEntry(file, e.getName(), e.getSize());   // NpyReader then reads exactly that many bytes
                    try (InputStream in = zip.getInputStream(e)) {
                        arrays.put(s + kind, NpyReader.read(in, file + ":" + s + kind, e.getSize()));
                    } catch (ZipException ze) {
                        throw new BadFileException(file, "corrupt entry " + e.getName() + " (" + ze.getMessage() + ")");
                    }
                }
        } catch (ZipException e) {
            throw new BadFileException(file, "not a readable .npz archive (" + e.getMessage() + ")");
        }
        Map<String, NpyArray> images = new LinkedHashMap<>();
        Map<String, int[]> labels = new LinkedHashMap<>();
        int maxLabel = -1;
        for (String s : SPLITS) {
            NpyArray img = arrays.get(s + "_images"), lab = arrays.get(s + "_labels");
            if (img == null && lab == null) continue;
            if (img == null || lab == null)
                throw new BadFileException(file, "has " + s + (img == null ? "_labels but no " + s + "_images" : "_images but no " + s + "_labels"));
            long[] is = img.shape(), ls = lab.shape();
            if (!img.dtype().endsWith("u1")) throw new IOException(img.name() + ": images must be uint8, not '" + img.dtype() + "'");
            if (is.length == 4 && is[3] != 1 && is[3] != 3)
                throw new IOException(img.name() + ": shape " + img.shapeString() + " is neither (N,H,W) gray nor (N,H,W,3) RGB (3-D volumes are not supported)");
            if (is.length != 3 && is.length != 4)
                throw new IOException(img.name() + ": shape " + img.shapeString() + " is neither (N,H,W) gray nor (N,H,W,3) RGB");
            if (ls.length == 2 && ls[1] > 1)
                throw new BadFileException(file, "multi-label dataset (labels of shape " + lab.shapeString() + ") is not supported yet");
            if (!(ls.length == 1 || ls.length == 2 && ls[1] == 1))
                throw new IOException(lab.name() + ": labels of shape " + lab.shapeString() + " (expected (N,1) or (N,))");
            if (ls[0] != is[0])
                throw new IOException(file + ": " + is[0] + " " + s + " images but " + ls[0] + " labels");
            if (is[0] == 0) throw new BadFileException(file, s + "_images holds no images (shape " + img.shapeString() + ")");
            if (is[1] == 0 || is[2] == 0)
                throw new BadFileException(file, s + "_images are " + is[2] + "x" + is[1] + "-pixel images (shape " + img.shapeString() + ")");
            Limits.current().checkImage(file, is[2], is[1], is.length == 4 ? is[3] : 1);
            int[] l = new int[(int) ls[0]];
            for (int i = 0; i < l.length; i++) {
                long v = lab.longAt(i);
                if (v < 0 || v > 100_000) throw new IOException(lab.name() + ": label " + v + " at row " + i + " is not a class index");
                l[i] = (int) v;
                maxLabel = Math.max(maxLabel, l[i]);
            }
            images.put(s, img);
            labels.put(s, l);
        }
        if (images.isEmpty()) throw new BadFileException(file, "no train/val/test _images and _labels arrays (not a MedMNIST .npz)");
        List<String> classes = new ArrayList<>();
        for (int k = 0; k <= maxLabel; k++) classes.add(Integer.toString(k));
        List<Sample> samples = new ArrayList<>();
        for (var e : labels.entrySet()) {
            int[] l = e.getValue();
            for (int i = 0; i < l.length; i++) samples.add(new Sample(file, i, l[i], e.getKey(), file + "#" + e.getKey() + "/" + i));
        }
        return new NpzDataset(file, List.copyOf(classes), List.copyOf(samples), images);
    }

    public Path file() {
        return file;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<Sample> samples() {
        return samples;
    }

    /** Row {@code s.index()} of the sample's split, HWC uint8 → planar floats / 255. */
    @Override
    public Image load(Sample s) throws IOException {
        NpyArray a = images.get(s.split());
        if (a == null || s.index() < 0 || s.index() >= a.shape()[0])
            throw new BadFileException(file, "no " + s.split() + " image " + s.index());
        int h = (int) a.shape()[1], w = (int) a.shape()[2], c = a.shape().length == 4 ? (int) a.shape()[3] : 1, n = h * w;
        byte[] d = a.data();
        int base = s.index() * n * c;
        float[] out = new float[c * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++) out[k * n + i] = (d[base + i * c + k] & 0xff) / 255f;
        return new Image(c, h, w, out);
    }
}
