package org.medmamba.data;

import org.medmamba.data.image.Image;
import java.io.IOException;
import java.util.List;

/** Labelled images from one source (image folders, a CSV manifest, a MedMNIST .npz, DICOM). */
public interface Dataset {
    /** Class names; a sample's label indexes this list. */
    List<String> classes();

    /** Every sample, in a fixed order (the order indices of augmentation seeds refer to). */
    List<Sample> samples();

    /**
     * Decodes one sample to an image in [0, 1] with its native channel count; never modifies the file.
     * Thread-safe: loader workers call it concurrently.
     */
    Image load(Sample sample) throws IOException;
}
