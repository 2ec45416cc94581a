package org.medmamba.data.jpeg;

/** Progressive DCT (SOF2): not implemented yet. */
final class ProgressiveScanDecoder {
    private ProgressiveScanDecoder() {}

    static void decode(JpegBitReader r, JpegFrame f, JpegScan scan, int restartInterval, int[][] quant) throws JpegException {
        throw new JpegException("unsupported JPEG process: SOF2 (progressive)");
    }

    static void finish(JpegFrame f, int[][] quant) {}
}
