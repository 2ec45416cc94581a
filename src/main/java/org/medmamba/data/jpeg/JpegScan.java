package org.medmamba.data.jpeg;

/** An SOS header: the components it codes with their Huffman tables, and Ss/Se/Ah/Al. */
record JpegScan(JpegComponent[] components, HuffmanTable[] dcTables, HuffmanTable[] acTables,
                int ss, int se, int ah, int al) {
    boolean interleaved() {
        return components.length > 1;
    }
}
