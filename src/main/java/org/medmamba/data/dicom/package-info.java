/**
 * Our own DICOM Part-10 reader and pixel decoding (native, RLE, JPEG via {@code data.jpeg},
 * JPEG 2000), photometric conversion, rescale and windowing; and a small writer for the objects we
 * create ({@link org.medmamba.data.dicom.DicomWriter}, UIDs from {@link org.medmamba.data.dicom.DicomUids}). Read first:
 * {@link org.medmamba.data.dicom.DicomImages} (file → images) and
 * {@link org.medmamba.data.dicom.DicomReader}; details in docs/dicom.md.
 * <p>May import {@code data.jpeg}, {@code data.image}, {@code io}; not {@code data} (datasets
 * use DICOM, not the other way round).
 */
package org.medmamba.data.dicom;
