package org.medmamba.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Every resource limit on untrusted input, in one place, checked <em>before</em> anything is
 * allocated: a small hostile file must not make MedMamba build a huge array or network. Read once
 * from system properties ({@link #current()}); docs/security.md explains each.
 *
 * <table>
 * <caption>Limits (system properties, e.g. {@code -Dmedmamba.limits.imageBytes=4294967296})</caption>
 * <tr><th>Key</th><th>Meaning</th><th>Default</th></tr>
 * <tr><td>{@code medmamba.limits.imageBytes}</td><td>largest decoded image (float32 samples, all channels and,
 *     for multi-frame DICOM, one frame)</td><td>2³⁰ (1 GiB)</td></tr>
 * <tr><td>{@code medmamba.limits.imageSide}</td><td>largest width or height of an image</td><td>65,536</td></tr>
 * <tr><td>{@code medmamba.limits.fileBytes}</td><td>largest file read whole into memory (images, DICOM,
 *     CSV, the pickle of a .pth)</td><td>2³⁰</td></tr>
 * <tr><td>{@code medmamba.limits.zipEntryBytes}</td><td>largest inflated zip entry (.pth storages,
 *     .npz arrays); an entry is also never read beyond its declared size</td><td>2³⁰</td></tr>
 * <tr><td>{@code medmamba.limits.parameters}</td><td>most parameters a bundle or checkpoint may declare</td><td>2²⁸</td></tr>
 * <tr><td>{@code medmamba.limits.channels}</td><td>widest stage (dims) a model may declare</td><td>8,192</td></tr>
 * <tr><td>{@code medmamba.limits.blocks}</td><td>most blocks over all stages</td><td>256</td></tr>
 * <tr><td>{@code medmamba.limits.inputSide}</td><td>largest input height or width a bundle may declare</td><td>8,192</td></tr>
 * <tr><td>{@code medmamba.limits.pickleDepth}</td><td>deepest nesting of pickled containers</td><td>100</td></tr>
 * <tr><td>{@code medmamba.limits.pickleMemo}</td><td>most memo entries of a pickle</td><td>2²⁰</td></tr>
 * <tr><td>{@code medmamba.limits.dicomDepth}</td><td>deepest nesting of DICOM sequences</td><td>32</td></tr>
 * <tr><td>{@code medmamba.limits.storedBytes}</td><td>most tensor bytes read from one checkpoint (all its
 *     storages together; each is read only as far as its tensors reach)</td><td>2³¹ (2 GiB)</td></tr>
 * <tr><td>{@code medmamba.limits.decodeSeconds}</td><td>longest a third-party codec (JPEG 2000) may take for one
 *     frame before the file is refused</td><td>30</td></tr>
 * </table>
 */
public record Limits(long imageBytes, int imageSide, long fileBytes, long zipEntryBytes, long parameters,
                     int channels, int blocks, int inputSide, int pickleDepth, int pickleMemo, int dicomDepth,
                     long storedBytes, int decodeSeconds) {
    public static final String PREFIX = "medmamba.limits.";
    /** Java arrays hold at most about 2³¹ elements: nothing read whole may be larger. */
    static final long ARRAY_MAX = Integer.MAX_VALUE - 16;

    public Limits {
        positive("imageBytes", imageBytes);
        positive("imageSide", imageSide);
        positive("fileBytes", fileBytes);
        positive("zipEntryBytes", zipEntryBytes);
        positive("parameters", parameters);
        positive("channels", channels);
        positive("blocks", blocks);
        positive("inputSide", inputSide);
        positive("pickleDepth", pickleDepth);
        positive("pickleMemo", pickleMemo);
        positive("dicomDepth", dicomDepth);
        positive("storedBytes", storedBytes);
        positive("decodeSeconds", decodeSeconds);
        if (fileBytes > ARRAY_MAX || zipEntryBytes > ARRAY_MAX)
            throw new IllegalArgumentException(PREFIX + "fileBytes and zipEntryBytes can be at most " + ARRAY_MAX + " (a Java array)");
    }

    public static Limits defaults() {
        return from(new Properties());
    }

    private static final class Holder {
        static final Limits CURRENT = from(System.getProperties());
    }

    /** The limits of this JVM, read from the system properties on first use. */
    public static Limits current() {
        return Holder.CURRENT;
    }

    /** Parses {@code medmamba.limits.*} from props; unset keys take their defaults. */
    public static Limits from(Properties p) {
        return new Limits(get(p, "imageBytes", 1L << 30), (int) get(p, "imageSide", 65_536), get(p, "fileBytes", 1L << 30),
                get(p, "zipEntryBytes", 1L << 30), get(p, "parameters", 1L << 28), (int) get(p, "channels", 8192),
                (int) get(p, "blocks", 256), (int) get(p, "inputSide", 8192), (int) get(p, "pickleDepth", 100),
                (int) get(p, "pickleMemo", 1 << 20), (int) get(p, "dicomDepth", 32), get(p, "storedBytes", 1L << 31),
                (int) get(p, "decodeSeconds", 30));
    }

    // ------------------------------------------------------------------ checks

    /** An image of width × height × channels decodes to float32 within the limits; else names the file and the sizes. */
    public void checkImage(Path file, long width, long height, long channels) throws BadFileException {
        String problem = imageProblem(width, height, channels);
        if (problem != null) throw new BadFileException(file, problem);
    }

    /** Why an image of width × height × channels may not be decoded, or null when it may (for decoders that know no file). */
    public String imageProblem(long width, long height, long channels) {
        if (width <= 0 || height <= 0 || channels <= 0)
            return "image declares " + width + "x" + height + " pixels with " + channels + " channels";
        if (width > imageSide || height > imageSide)
            return "image of " + width + "x" + height + " pixels is larger than the limit of " + imageSide + " per side (" + PREFIX + "imageSide)";
        long bytes = Math.multiplyHigh(width * height, channels * 4) != 0 ? Long.MAX_VALUE : width * height * channels * 4;
        if (bytes > imageBytes || width * height * channels > ARRAY_MAX)
            return "image of " + width + "x" + height + "x" + channels + " would decode to " + size(bytes)
                    + ", more than the limit of " + size(imageBytes) + " (" + PREFIX + "imageBytes)";
        return null;
    }

    /** The file is at most {@link #fileBytes} long (checked before reading it whole). */
    public long checkFileSize(Path file) throws IOException {
        long n = Files.size(file);
        if (n > fileBytes)
            throw new BadFileException(file, "file of " + size(n) + " is larger than the limit of " + size(fileBytes)
                    + " for a file read whole (" + PREFIX + "fileBytes)");
        return n;
    }

    /** {@link Files#readAllBytes} after {@link #checkFileSize}. */
    public byte[] readAllBytes(Path file) throws IOException {
        checkFileSize(file);
        return Files.readAllBytes(file);
    }

    /** A zip entry that declares {@code declared} bytes (-1: unknown) may be inflated. */
    public void checkZipEntry(Path file, String entry, long declared) throws BadFileException {
        if (declared < 0) throw new BadFileException(file, "entry " + entry + " declares no size");
        if (declared > zipEntryBytes)
            throw new BadFileException(file, "entry " + entry + " of " + size(declared) + " is larger than the limit of "
                    + size(zipEntryBytes) + " (" + PREFIX + "zipEntryBytes)");
    }

    /**
     * A declared network fits the limits and is backed by real data: {@code storedValues} (the
     * values the file really holds) must cover every declared parameter.
     */
    public void checkNetwork(Path file, int widestStage, int totalBlocks, long parameters, long storedValues) throws BadFileException {
        if (widestStage > channels)
            throw new BadFileException(file, "declares a stage of " + widestStage + " channels, more than the limit of " + channels
                    + " (" + PREFIX + "channels)");
        if (totalBlocks > blocks)
            throw new BadFileException(file, "declares " + totalBlocks + " blocks, more than the limit of " + blocks + " (" + PREFIX + "blocks)");
        if (parameters > this.parameters)
            throw new BadFileException(file, String.format(Locale.ROOT, "declares %,d parameters, more than the limit of %,d (%sparameters)",
                    parameters, this.parameters, PREFIX));
        if (parameters > storedValues)
            throw new BadFileException(file, String.format(Locale.ROOT, "declares a network of %,d parameters but holds only %,d values",
                    parameters, storedValues));
    }

    /** The input size a bundle declares. */
    public void checkInputSize(Path file, int height, int width, int channels) throws BadFileException {
        if (height < 1 || width < 1 || height > inputSide || width > inputSide)
            throw new BadFileException(file, "declares an input of " + height + "x" + width + " pixels; each side must be 1.." + inputSide
                    + " (" + PREFIX + "inputSide)");
        checkImage(file, width, height, channels);
    }

    /** "1.5 GiB", "700 kB": sizes for messages. */
    public static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) return "more than 8 EiB";
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        if (bytes >= 1L << 10) return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
        return bytes + " bytes";
    }

    private static void positive(String key, long v) {
        if (v < 1) throw new IllegalArgumentException(PREFIX + key + " must be a positive integer, got " + v);
    }

    private static long get(Properties p, String key, long dflt) {
        String v = p.getProperty(PREFIX + key);
        if (v == null || v.isBlank()) return dflt;
        try {
            long n = Long.parseLong(v.trim().replace("_", ""));
            if (n > Integer.MAX_VALUE && !key.endsWith("Bytes") && !key.equals("parameters"))
                throw new IllegalArgumentException(PREFIX + key + " must be at most " + Integer.MAX_VALUE + ", got '" + v + "'");
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a positive integer, got '" + v + "'");
        }
    }
}
