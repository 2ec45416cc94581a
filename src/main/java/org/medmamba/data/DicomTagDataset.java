package org.medmamba.data;

import org.medmamba.data.dicom.DicomDictionary;
import org.medmamba.data.dicom.DicomDataset;
import org.medmamba.data.dicom.DicomImages;
import org.medmamba.data.dicom.DicomFile;
import org.medmamba.data.dicom.DicomReader;
import org.medmamba.data.dicom.PixelDecoder;
import org.medmamba.data.dicom.DicomElement;
import org.medmamba.data.Dataset;
import org.medmamba.data.image.Image;
import org.medmamba.data.Sample;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of DICOM files labelled by one tag (a keyword such as BodyPartExamined or Modality,
 * or "GGGG,EEEE" hex, private tags included). Classes are the sorted distinct values; every
 * frame is a sample, grouped by SeriesInstanceUID (else by file) so a series stays on one side
 * of a split. Only headers are read while scanning.
 */
public final class DicomTagDataset implements Dataset {
    private static final int LISTED = 5;
    private final List<String> classes;
    private final List<Sample> samples;
    private final Path folder;

    public DicomTagDataset(Path folder, String tagSpec) throws IOException {
        this.folder = folder;
        int tag = DicomDictionary.parseTag(tagSpec);
        if (tag == -1) throw new IllegalArgumentException("unknown DICOM tag '" + tagSpec + "': use a keyword such as BodyPartExamined or GGGG,EEEE hex");
        if (!Files.isDirectory(folder)) throw new BadFileException(folder, "not a folder");
        String tagName = tagSpec + (tagSpec.contains(",") ? "" : " " + DicomElement.tagString(tag));
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).filter(DicomImages::isDicom).sorted().toList();
        }
        record Entry(Path file, String value, int frames, String group) {}
        List<Entry> entries = new ArrayList<>();
        List<String> missing = new ArrayList<>(), unreadable = new ArrayList<>();
        for (Path f : files) {
            DicomFile h;
            try {
                h = DicomImages.guard(f, () -> DicomReader.readHeader(f));
            } catch (IOException e) {
                unreadable.add(e.getMessage());
                continue;
            }
            if (!h.hasPixelData()) continue; // not an image (a structured report, a DICOMDIR under another name)
            String v = value(h.dataset(), tag);
            if (v == null || v.isEmpty()) {
                missing.add(f.toString());
                continue;
            }
            String series = h.dataset().string(DicomDictionary.SERIES_INSTANCE_UID);
            entries.add(new Entry(f, v, Math.max(1, h.dataset().integer(DicomDictionary.NUMBER_OF_FRAMES, 1)),
                    series == null || series.isEmpty() ? f.toString() : series));
        }
        if (!missing.isEmpty())
            throw new BadFileException(folder, missing.size() + " DICOM file(s) have no " + tagName + ": " + listed(missing));
        if (!unreadable.isEmpty())
            throw new BadFileException(folder, unreadable.size() + " DICOM file(s) cannot be read: " + listed(unreadable));
        if (entries.isEmpty()) throw new BadFileException(folder, "no DICOM images found");
        classes = List.copyOf(new TreeSet<>(entries.stream().map(Entry::value).toList()));
        List<Sample> out = new ArrayList<>();
        for (Entry e : entries)
            for (int k = 0; k < e.frames; k++) out.add(new Sample(e.file, k, classes.indexOf(e.value), "", e.group));
        samples = List.copyOf(out);
    }

    private static String listed(List<String> items) {
        return String.join("; ", items.subList(0, Math.min(LISTED, items.size())))
                + (items.size() > LISTED ? "; and " + (items.size() - LISTED) + " more" : "");
    }

    /** A tag's value as a label: text trimmed (first of several values), binary integers in decimal. */
    static String value(DicomDataset d, int tag) {
        DicomElement e = d.get(tag);
        if (e == null || e.items() != null) return null;
        return switch (e.vr().toUpperCase(Locale.ROOT)) {
            case "US", "SS", "UL", "SL" -> e.length() < 2 ? null : Integer.toString(d.integer(tag, 0));
            default -> {
                String s = d.string(tag);
                yield s == null ? null : s.replace('\0', ' ').strip();
            }
        };
    }

    public Path folder() {
        return folder;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<Sample> samples() {
        return samples;
    }

    @Override
    public Image load(Sample sample) throws IOException {
        PixelDecoder dec = DicomImages.open(sample.file());
        return DicomImages.frame(dec, sample.index());
    }
}
