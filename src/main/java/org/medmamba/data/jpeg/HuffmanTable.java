package org.medmamba.data.jpeg;

/** One DHT table, canonical codes per ITU T.81 Annex C, with a 9-bit lookahead for short codes. */
final class HuffmanTable {
    static final int LOOKUP_BITS = 9;

    /** (length << 8 | symbol) for codes of up to LOOKUP_BITS bits, 0 where the code is longer. */
    final int[] lookup = new int[1 << LOOKUP_BITS];
    final int[] maxCode = new int[18];
    final int[] minCode = new int[17];
    final int[] valPtr = new int[17];
    final byte[] values;

    /** counts[l-1] = number of codes of length l (1..16). */
    HuffmanTable(int[] counts, byte[] values) throws JpegException {
        this.values = values;
        int code = 0, k = 0;
        for (int len = 1; len <= 16; len++) {
            int n = counts[len - 1];
            valPtr[len] = k;
            minCode[len] = code;
            code += n;
            k += n;
            // the codes of each length must fit in `len` bits (a full code space is tolerated)
            if (code > (1 << len))
                throw new JpegException("corrupt JPEG data: bad Huffman table");
            maxCode[len] = n > 0 ? code - 1 : -1;
            code <<= 1;
        }
        maxCode[17] = Integer.MAX_VALUE;
        if (k != values.length) throw new JpegException("corrupt JPEG data: bad Huffman table");
        // fill the lookahead table
        code = 0;
        k = 0;
        for (int len = 1; len <= LOOKUP_BITS; len++) {
            for (int i = 0; i < counts[len - 1]; i++, k++, code++) {
                int shift = LOOKUP_BITS - len;
                int base = code << shift;
                int entry = (len << 8) | (values[k] & 0xFF);
                for (int j = 0; j < (1 << shift); j++) lookup[base + j] = entry;
            }
            code <<= 1;
        }
    }
}
