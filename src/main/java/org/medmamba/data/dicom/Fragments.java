package org.medmamba.data.dicom;

import org.medmamba.io.BadFileException;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Assembles the compressed bytes of one frame from encapsulated pixel data fragments. */
final class Fragments {
    private Fragments() {}

    static byte[] frame(Path name, PixelData pd, int k, int frames) throws BadFileException {
        List<PixelData.Fragment> f = pd.fragments();
        if (f.isEmpty()) throw new BadFileException(name, "encapsulated pixel data has no fragments");
        List<PixelData.Fragment> mine;
        if (frames == 1) mine = f;
        else if (validOffsets(pd.offsets(), frames)) {
            long lo = pd.offsets()[k], hi = k + 1 < frames ? pd.offsets()[k + 1] : Long.MAX_VALUE;
            mine = f.stream().filter(x -> x.itemPosition() >= lo && x.itemPosition() < hi).toList();
        } else if (f.size() == frames) mine = List.of(f.get(k));
        else mine = byStartMarkers(name, pd, frames).get(k);
        if (mine.isEmpty()) throw new BadFileException(name, "no fragment holds frame " + k);
        if (mine.size() == 1) {
            PixelData.Fragment x = mine.get(0);
            return java.util.Arrays.copyOfRange(pd.buf(), x.offset(), x.offset() + x.length());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PixelData.Fragment x : mine) out.write(pd.buf(), x.offset(), x.length());
        return out.toByteArray();
    }

    private static boolean validOffsets(long[] o, int frames) {
        if (o.length != frames || o[0] != 0) return false;
        for (int i = 1; i < o.length; i++) if (o[i] <= o[i - 1]) return false;
        return true;
    }

    /** Without an offset table: a frame starts at each fragment that begins a JPEG, J2K or JP2 stream. */
    private static List<List<PixelData.Fragment>> byStartMarkers(Path name, PixelData pd, int frames) throws BadFileException {
        List<List<PixelData.Fragment>> out = new ArrayList<>();
        for (PixelData.Fragment x : pd.fragments()) {
            if (out.isEmpty() || startsStream(pd.buf(), x)) out.add(new ArrayList<>());
            out.get(out.size() - 1).add(x);
        }
        if (out.size() != frames)
            throw new BadFileException(name, "cannot split " + pd.fragments().size() + " pixel data fragments into " + frames + " frames");
        return out;
    }

    private static boolean startsStream(byte[] b, PixelData.Fragment x) {
        if (x.length() < 4) return false;
        int p = x.offset();
        int b0 = b[p] & 0xff, b1 = b[p + 1] & 0xff;
        if (b0 == 0xFF && (b1 == 0xD8 || b1 == 0x4F)) return true; // JPEG SOI, J2K SOC
        return x.length() >= 8 && b0 == 0 && b1 == 0 && b[p + 2] == 0 && b[p + 3] == 0x0C && b[p + 4] == 'j' && b[p + 5] == 'P';
    }
}
