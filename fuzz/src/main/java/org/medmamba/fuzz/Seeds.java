package org.medmamba.fuzz;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the seed corpus of every target: small valid files of each kind, generated here or
 * copied and cut from the repository's fixtures. {@code Seeds OUT FIXTURES}.
 */
public final class Seeds {
    private Seeds() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]), fixtures = Path.of(args[1]);
        images(dir(out, "Image"));
        List<Path> dicom = dicomFiles(fixtures.resolve("dicom"));
        int n = 0;
        for (Path f : dicom) if (Files.size(f) <= 200_000) Files.copy(f, dir(out, "Dicom").resolve("d" + n++ + ".dcm"));
        jpegStreams(dicom, dir(out, "Jpeg"), dir(out, "JpegLs"));
        for (String fmt : List.of("jpg")) ImageIO.write(picture(13, 7, BufferedImage.TYPE_3BYTE_BGR), fmt, dir(out, "Jpeg").resolve("io." + fmt).toFile());
        ImageIO.write(picture(9, 17, BufferedImage.TYPE_BYTE_GRAY), "jpg", dir(out, "Jpeg").resolve("gray.jpg").toFile());
        byte[] pth = tinyPth();
        Files.write(dir(out, "Pth").resolve("tiny.pth"), pth);
        Files.write(dir(out, "Pickle").resolve("tiny.pkl"), tinyPickle());
        tinyBundle(dir(out, "Safetensors").resolve("tiny.mmb"));
        Files.write(dir(out, "Npz").resolve("tiny.npz"), tinyNpz());
        Files.writeString(dir(out, "CsvText").resolve("manifest.csv"),
                "path,label,split,group\na/x.png,benign,train,P1\n\"b,c.png\",malignant,val,P2\nd.png,\"be\"\"nign\",test,\n");
    }

    private static Path dir(Path out, String target) throws IOException {
        return Files.createDirectories(out.resolve(target));
    }

    private static List<Path> dicomFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".dcm") || !p.getFileName().toString().contains(".")).sorted().toList();
        }
    }

    private static BufferedImage picture(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(w * 31L + h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, r.nextInt());
        return img;
    }

    private static void images(Path d) throws IOException {
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_3BYTE_BGR,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_INDEXED};
        for (int t : types) ImageIO.write(picture(7, 5, t), "png", d.resolve("t" + t + ".png").toFile());
        ImageIO.write(picture(6, 4, BufferedImage.TYPE_3BYTE_BGR), "bmp", d.resolve("a.bmp").toFile());
        ImageIO.write(picture(6, 4, BufferedImage.TYPE_BYTE_INDEXED), "gif", d.resolve("a.gif").toFile());
        ImageIO.write(picture(6, 4, BufferedImage.TYPE_BYTE_GRAY), "tiff", d.resolve("a.tif").toFile());
        ImageIO.write(picture(6, 4, BufferedImage.TYPE_3BYTE_BGR), "jpg", d.resolve("a.jpg").toFile());
    }

    /** The JPEG and JPEG-LS codestreams inside the fixtures' encapsulated pixel data (SOI … EOI). */
    private static void jpegStreams(List<Path> dicom, Path jpeg, Path jpegLs) throws IOException {
        int n = 0;
        for (Path f : dicom) {
            byte[] b = Files.readAllBytes(f);
            int inFile = 0;   // a multi-frame file gives a few of its frames, not all
            for (int i = 0; i + 3 < b.length && inFile < 4; i++) {
                if ((b[i] & 0xff) != 0xFF || (b[i + 1] & 0xff) != 0xD8 || (b[i + 2] & 0xff) != 0xFF) continue;
                int end = -1;
                for (int j = i + 2; j + 1 < b.length; j++) if ((b[j] & 0xff) == 0xFF && (b[j + 1] & 0xff) == 0xD9) { end = j + 2; break; }
                if (end < 0 || end - i > 150_000) continue;
                boolean ls = false;
                for (int j = i + 2; j + 1 < Math.min(end, i + 2000); j++) if ((b[j] & 0xff) == 0xFF && (b[j + 1] & 0xff) == 0xF7) { ls = true; break; }
                Files.write((ls ? jpegLs : jpeg).resolve("s" + n++ + ".jpg"), java.util.Arrays.copyOfRange(b, i, end));
                inFile++;
                i = end - 1;
            }
        }
    }

    /** An OrderedDict with one 2×2 float tensor, pickled as torch.save writes it (protocol 2). */
    static byte[] tinyPickle() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[]{(byte) 0x80, 2});
        o.writeBytes("ccollections\nOrderedDict\nq\u0000)Rq\u0001(".getBytes(StandardCharsets.ISO_8859_1));
        str(o, "w");
        o.writeBytes("ctorch._utils\n_rebuild_tensor_v2\nq\u0002((".getBytes(StandardCharsets.ISO_8859_1));
        str(o, "storage");
        o.writeBytes("ctorch\nFloatStorage\nq\u0003".getBytes(StandardCharsets.ISO_8859_1));
        str(o, "0");
        str(o, "cpu");
        o.writeBytes(new byte[]{'K', 4, 't', 'Q', 'K', 0, 'K', 2, 'K', 2, (byte) 0x86, 'K', 2, 'K', 1, (byte) 0x86, (byte) 0x89});
        o.writeBytes("ccollections\nOrderedDict\n)RtRu.".getBytes(StandardCharsets.ISO_8859_1));
        return o.toByteArray();
    }

    private static void str(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.write('X');
        o.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        o.writeBytes(b);
    }

    static byte[] tinyPth() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.setMethod(ZipOutputStream.STORED);
            stored(z, "archive/data.pkl", tinyPickle());
            ByteBuffer f = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(-2).putFloat(0.5f).putFloat(3);
            stored(z, "archive/data/0", f.array());
            stored(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    private static void tinyBundle(Path out) throws IOException {
        MedMambaConfig cfg = new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{2, 4, 8, 16}, 1, 2, 1, 0f);
        MedMamba m = new MedMamba(cfg, 0);
        new ModelBundle(cfg, List.of("a", "b"), 32, 32, new float[]{0.5f}, new float[]{0.25f}, Map.of("source", "fuzz seed"),
                m.stateDict()).save(out);
    }

    /** train/val/test splits of 2 gray 3×4 uint8 images with (N,1) uint8 labels, deflated as numpy writes them. */
    static byte[] tinyNpz() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String s : List.of("train", "val", "test")) {
                z.putNextEntry(new ZipEntry(s + "_images.npy"));
                z.write(npy("|u1", "(2, 3, 4)", new byte[24]));
                z.closeEntry();
                z.putNextEntry(new ZipEntry(s + "_labels.npy"));
                z.write(npy("|u1", "(2, 1)", new byte[]{0, 1}));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] npy(String dtype, String shape, byte[] data) {
        StringBuilder h = new StringBuilder("{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shape + ", }");
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        o.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) h.length()).array());
        o.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(data);
        return o.toByteArray();
    }
}
