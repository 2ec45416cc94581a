package org.medmamba.data;

import org.medmamba.data.image.Image;
import org.medmamba.data.dicom.DicomImages;
import org.medmamba.io.BadFileException;
import org.medmamba.io.Limits;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decodes image files (PNG, JPEG, BMP, GIF, TIFF through ImageIO; DICOM through
 * {@link DicomImages}) to {@link Image}s in [0, 1].
 */
public final class ImageFiles {
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");

    private ImageFiles() {}

    public static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
    }

    /** An image by extension, or a DICOM file by extension or by its "DICM" marker (DICOMDIR excluded). */
    public static boolean isImageOrDicom(Path p) {
        return isImage(p) || DicomImages.isDicom(p);
    }

    /** Files as given, directories expanded recursively to their image and DICOM files in sorted order. */
    public static List<Path> expand(List<Path> args) throws IOException {
        return list(args).files();
    }

    /** A file a folder search passed over, and why. */
    public record Skipped(Path file, String reason) {}

    /** The files to read, in order, and the ones the folder search skipped. */
    public record Listing(List<Path> files, List<Skipped> skipped) {}

    /**
     * Files stay as given; folders are searched recursively (sorted) for images and DICOM files.
     * In folders, other files and DICOM objects without pixel data (reports, presentation states)
     * are skipped and listed, so that a study folder does not give one error per non-image object.
     */
    public static Listing list(List<Path> args) throws IOException {
        List<Path> out = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path a : args) {
            if (!Files.isDirectory(a)) {
                out.add(a);
                continue;
            }
            List<Path> found;
            try (Stream<Path> s = Files.walk(a)) {
                found = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : found) {
                if (!isImageOrDicom(f)) {
                    skipped.add(new Skipped(f, "not an image or DICOM file"));
                } else if (!isImage(f) && !hasPixels(f)) {
                    skipped.add(new Skipped(f, "DICOM object without pixel data"));
                } else {
                    out.add(f);
                }
            }
        }
        return new Listing(out, skipped);
    }

    /** A DICOM header that parses and has no pixel data; a header that does not parse counts as pixels (its error is shown). */
    private static boolean hasPixels(Path dicom) {
        try {
            return org.medmamba.data.dicom.DicomReader.readHeader(dicom).hasPixelData();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The image; for DICOM, its first frame. */
    public static Image read(Path path) throws IOException {
        BadFileException.requireRegularFile(path);
        if (!isImage(path) && DicomImages.isDicom(path)) return DicomImages.readFirst(path);
        return read(path, Limits.current().readAllBytes(path));
    }

    /** Frame k of a multi-frame DICOM file; k = 0 for every other image. */
    public static Image read(Path path, int frame) throws IOException {
        if (frame == 0) return read(path);
        BadFileException.requireRegularFile(path);
        if (isImage(path) || !DicomImages.isDicom(path)) throw new BadFileException(path, "has one frame, not a frame " + frame);
        var dec = DicomImages.open(path);
        int n = dec.module().frames();
        if (frame < 0 || frame >= n) throw new BadFileException(path, "has " + n + " frame(s), no frame " + frame);
        return DicomImages.frame(dec, frame);
    }

    /**
     * A PNG, JPEG, BMP, GIF or TIFF image already in memory (an upload, say); {@code name} only
     * names it in errors. Throws only {@link BadFileException}.
     */
    public static Image read(Path name, byte[] bytes) throws IOException {
        Path path = name;
        if (PngDecoder.isPng(bytes)) { // the loader's hot path: decode directly
            try {
                Image png = PngDecoder.decode(bytes);
                if (png != null) return png;
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new BadFileException(path, e.getMessage());
            }
        }
        BufferedImage img = readImageIO(path, bytes);
        try {
            return fromBuffered(img);
        } catch (RuntimeException e) {
            // fuzzing: a TIFF whose 16-bit colour model disagrees with its samples throws from getRGB
            throw new BadFileException(path, "cannot convert the decoded image (" + oneLine(e) + ")");
        }
    }

    /** ImageIO with the pixel limit: the reader's header gives the size before any pixel is allocated. */
    private static BufferedImage readImageIO(Path path, byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            ImageReader r = in == null ? null : pickReader(ImageIO.getImageReaders(in));
            if (r == null) throw new BadFileException(path, "not a readable image (unknown or corrupt format)");
            try {
                r.setInput(in, true, true);
                int w = r.getWidth(0), h = r.getHeight(0);
                ImageTypeSpecifier type = r.getRawImageType(0);
                Limits.current().checkImage(path, w, h, type != null && type.getNumBands() == 1 ? 1 : 3);
                BufferedImage img = r.read(0);
                if (img == null) throw new BadFileException(path, "not a readable image (the decoder returned nothing)");
                return img;
            } catch (BadFileException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new BadFileException(path, "cannot decode image (" + oneLine(e) + ")");
            } finally {
                r.dispose();
            }
        }
    }

    /**
     * The JDK's or TwelveMonkeys' reader before jai-imageio's (on the class path for JPEG 2000):
     * fuzzing found jai-imageio's BMP reader allocating a header-declared buffer in getWidth,
     * before any size can be checked.
     */
    private static ImageReader pickReader(Iterator<ImageReader> readers) {
        ImageReader fallback = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (!r.getClass().getName().startsWith("com.github.jaiimageio.")) {
                if (fallback != null) fallback.dispose();
                return r;
            }
            if (fallback == null) fallback = r;
            else r.dispose();
        }
        return fallback;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    /** The frames of one file, decoded one at a time (a multi-frame DICOM file can be larger than the heap as floats). */
    public interface Frames {
        int count();

        Image get(int k) throws IOException;
    }

    /** A DICOM file's frames (its header and compressed data parsed once); one frame for other images. */
    public static Frames frames(Path path) throws IOException {
        if (Files.isRegularFile(path) && !isImage(path) && DicomImages.isDicom(path)) {
            var dec = DicomImages.open(path);
            return new Frames() {
                public int count() {
                    return dec.module().frames();
                }

                public Image get(int k) throws IOException {
                    return DicomImages.frame(dec, k);
                }
            };
        }
        Image img = read(path);
        return new Frames() {
            public int count() {
                return 1;
            }

            public Image get(int k) {
                return img;
            }
        };
    }

    /**
     * The frames of a file already in memory (an upload): DICOM when it has the Part-10 "DICM"
     * marker, else PNG, JPEG, BMP, GIF or TIFF. {@code name} only names it in errors.
     */
    public static Frames frames(Path name, byte[] bytes) throws IOException {
        if (bytes.length >= 132 && bytes[128] == 'D' && bytes[129] == 'I' && bytes[130] == 'C' && bytes[131] == 'M') {
            var dec = DicomImages.open(name, bytes);
            return new Frames() {
                public int count() {
                    return dec.module().frames();
                }

                public Image get(int k) throws IOException {
                    return DicomImages.frame(dec, k);
                }
            };
        }
        Image img = read(name, bytes);
        return new Frames() {
            public int count() {
                return 1;
            }

            public Image get(int k) {
                return img;
            }
        };
    }

    /** Every frame of a multi-frame DICOM file; a one-element list for other images. */
    public static List<Image> readFrames(Path path) throws IOException {
        Frames f = frames(path);
        List<Image> out = new ArrayList<>();
        for (int k = 0; k < f.count(); k++) out.add(f.get(k));
        return out;
    }

    /** Gray (1 band, any bit depth) stays one channel scaled by its maximum; everything else becomes sRGB. */
    public static Image fromBuffered(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight(), n = w * h;
        Raster r = img.getRaster();
        boolean gray = r.getNumBands() == 1 && img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && img.getColorModel().getPixelSize() <= 16 && img.getType() != BufferedImage.TYPE_BYTE_INDEXED;
        if (gray) {
            int bits = r.getSampleModel().getSampleSize(0);
            float scale = 1f / ((1 << bits) - 1);
            float[] d = new float[n];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) d[y * w + x] = row[x] * scale;
            }
            return new Image(1, h, w, d);
        }
        float[] d = new float[3 * n];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x], i = y * w + x;
                d[i] = ((p >> 16) & 0xff) / 255f;
                d[n + i] = ((p >> 8) & 0xff) / 255f;
                d[2 * n + i] = (p & 0xff) / 255f;
            }
        }
        return new Image(3, h, w, d);
    }
}
