package org.medmamba.data.jpeg;

import java.io.IOException;

/** A JPEG bitstream that cannot be decoded; the message is one line saying why. */
public class JpegException extends IOException {
    public JpegException(String message) {
        super(message);
    }
}
