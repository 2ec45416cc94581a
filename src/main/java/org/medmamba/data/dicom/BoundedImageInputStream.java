package org.medmamba.data.dicom;

import javax.imageio.stream.ImageInputStreamImpl;
import java.io.IOException;

/**
 * An in-memory ImageInputStream that stops a codec which reads without end. Fuzzing-style
 * corruption of a JPEG 2000 codestream made jj2000 read packet headers at the end of its data for
 * minutes; a sound decode reads each byte a few times, so reads (bytes and calls, EOF included)
 * beyond {@code budget} end the decode (see {@link Exhausted}). In memory, it also
 * avoids ImageIO's file cache (one seek system call per read).
 */
final class BoundedImageInputStream extends ImageInputStreamImpl {
    private final byte[] data;
    private final long budget;
    private long spent;

    BoundedImageInputStream(byte[] data, long budget) {
        this.data = data;
        this.budget = budget;
    }

    private void spend(long n) {
        spent += n;
        if (spent > budget) throw new Exhausted("the decoder read past " + budget + " bytes of a " + data.length + "-byte codestream (corrupt, it does not end)");
    }

    /**
     * An Error, not an IOException: jj2000 catches IOExceptions (an EOF ends a packet) and would go
     * on reading; this must leave the codec. Jpeg2000 turns it into the file's one-line error.
     */
    static final class Exhausted extends Error {
        private static final long serialVersionUID = 1L;

        Exhausted(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        spend(1);
        bitOffset = 0;
        return streamPos < data.length ? data[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        spend(Math.max(1, len));
        bitOffset = 0;
        if (streamPos >= data.length) return len == 0 ? 0 : -1;
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return data.length;
    }
}
