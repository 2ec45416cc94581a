/**
 * Datasets: sources of labelled samples (image folders, CSV manifests, MedMNIST {@code .npz},
 * DICOM folders labelled by a tag), decoding files to {@link org.medmamba.data.image.Image}s, the
 * decode-everything check before training and the stratified, group-aware splitter. Read first:
 * {@link org.medmamba.data.Datasets} (opens a path by what it is) and
 * {@link org.medmamba.data.DatasetScan}.
 * <p>May import {@code data.dicom}, {@code data.jpeg}, {@code data.image}, {@code io}, {@code tensor}.
 */
package org.medmamba.data;
