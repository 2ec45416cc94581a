package org.medmamba.data.jpeg;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test-only: pulls encapsulated JPEG fragments and gdcm reference pixels out of the shared DICOM files. */
final class DicomFragments {
    private DicomFragments() {}

    static Path dicomDir() {
        return org.medmamba.testing.Shared.fixture("dicom");
    }

    /** The bitstream of a single-frame file: all fragments joined (a frame may span several). */
    static byte[] singleFrame(String name) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] f : frames(name)) out.write(f);
        return out.toByteArray();
    }

    /** The encapsulated fragments after the basic offset table: one per frame in the multi-frame files used here. */
    static List<byte[]> frames(String name) throws IOException {
        byte[] d = Files.readAllBytes(dicomDir().resolve(name));
        byte[] tag = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        int p = lastIndexOf(d, tag);
        if (p < 0) { // some writers use OW for encapsulated pixel data
            tag[5] = 'W';
            p = lastIndexOf(d, tag);
        }
        if (p < 0) throw new IOException("no encapsulated pixel data in " + name);
        p += tag.length;
        List<byte[]> items = new ArrayList<>();
        while (p + 8 <= d.length) {
            int group = u16le(d, p), elem = u16le(d, p + 2);
            long len = u32le(d, p + 4);
            p += 8;
            if (group == 0xFFFE && elem == 0xE0DD) break;
            if (group != 0xFFFE || elem != 0xE000 || p + len > d.length) throw new IOException("bad item in " + name);
            items.add(java.util.Arrays.copyOfRange(d, p, p + (int) len));
            p += (int) len;
        }
        return items.subList(1, items.size()); // drop the basic offset table
    }

    /**
     * Reference samples from the gdcm-decompressed file, unsigned: the value of the last (7FE0,0010)
     * element (explicit VR OB/OW with a 4-byte length). Usually the file's last bytes, but not always:
     * some files carry trailing elements after the pixel data.
     */
    static int[] reference(String baseName, int count, int bytesPerSample) throws IOException {
        byte[] d = Files.readAllBytes(dicomDir().resolve("gdcm-decoded-reference").resolve(baseName + ".raw.dcm"));
        int start = -1;
        for (int i = d.length - 12; i >= 0 && start < 0; i--)
            if (d[i] == (byte) 0xE0 && d[i + 1] == 0x7F && d[i + 2] == 0x10 && d[i + 3] == 0x00 && d[i + 4] == 'O'
                    && (d[i + 5] == 'W' || d[i + 5] == 'B') && u32le(d, i + 8) == (long) count * bytesPerSample)
                start = i + 12;
        if (start < 0) throw new IOException("no pixel data of " + count * bytesPerSample + " bytes in " + baseName);
        int[] out = new int[count];
        for (int i = 0; i < count; i++)
            out[i] = bytesPerSample == 1 ? d[start + i] & 0xFF : u16le(d, start + 2 * i);
        return out;
    }

    private static int lastIndexOf(byte[] d, byte[] pat) {
        outer:
        for (int i = d.length - pat.length; i >= 0; i--) {
            for (int j = 0; j < pat.length; j++) if (d[i + j] != pat[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static int u16le(byte[] d, int p) {
        return (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8;
    }

    private static long u32le(byte[] d, int p) {
        return u16le(d, p) | (long) u16le(d, p + 2) << 16;
    }
}
