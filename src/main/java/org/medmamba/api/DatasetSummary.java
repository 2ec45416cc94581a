package org.medmamba.api;

import org.medmamba.data.Dataset;
import org.medmamba.data.DatasetScan;
import org.medmamba.data.Datasets;
import org.medmamba.data.Splitter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dataset holds: its kind, classes, images per class and split and, when decoded, image
 * sizes, channels and the files that do not decode. What {@code ./medmamba dataset inspect} prints.
 *
 * @param source        "image folders", "CSV manifest", "MedMNIST npz" or "DICOM folder"
 * @param countsBySplit split name ("" for none) → images per class, in the order the data lists them
 * @param scan          null when the images were not decoded
 */
public record DatasetSummary(Path path, String source, int images, List<String> classes,
                             Map<String, int[]> countsBySplit, DatasetScan.Result scan) {
    public DatasetSummary {
        classes = List.copyOf(classes);
        countsBySplit = Collections.unmodifiableMap(new LinkedHashMap<>(countsBySplit));
    }

    /**
     * Lists (and with {@code decode}, decodes every image of) a dataset.
     *
     * @param threads decoding threads
     */
    public static DatasetSummary of(DataSource data, boolean decode, int threads, Progress progress) throws MedMambaException {
        if (threads < 1) throw new org.medmamba.io.SettingException("threads", "must be >= 1");
        Dataset d = data.open();
        DatasetScan.Result scan = null;
        if (decode) {
            try {
                scan = DatasetScan.scan(d, threads, progress::update);
            } catch (RuntimeException e) {
                throw MedMambaException.of(data.path(), e);
            } finally {
                progress.done();
            }
        }
        return new DatasetSummary(data.path(), Datasets.kind(d), d.samples().size(), d.classes(),
                Splitter.counts(d.samples(), d.classes().size()), scan);
    }

    /** Images per class over all splits. */
    public int[] totals() {
        int[] t = new int[classes.size()];
        for (int[] c : countsBySplit.values()) for (int i = 0; i < t.length; i++) t[i] += c[i];
        return t;
    }

    /** Classes that have no image at all. */
    public List<String> emptyClasses() {
        List<String> empty = new ArrayList<>();
        int[] t = totals();
        for (int c = 0; c < t.length; c++) if (t[c] == 0) empty.add(classes.get(c));
        return empty;
    }
}
