package org.medmamba.data.dicom;

import java.nio.file.Path;

/**
 * A parsed DICOM Part-10 file.
 *
 * @param pixelData null when the file has none or only the header was read
 * @param hasPixelData whether a Pixel Data element was seen (also in header-only reads)
 */
public record DicomFile(Path path, TransferSyntax transferSyntax, DicomDataset meta, DicomDataset dataset,
                        PixelData pixelData, boolean hasPixelData) {}
