package org.medmamba.data;

import org.medmamba.data.image.Image;
import org.medmamba.io.AtomicFiles;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A CSV manifest with a header row naming the columns {@code path}, {@code label} and optionally
 * {@code split} (train, val/valid/validation, test, or empty), {@code frame} (which frame of a multi-frame
 * DICOM file, from 0; empty or absent = 0) and {@code group}; other columns are ignored.
 * Paths are relative to the CSV's folder unless absolute. Labels are class names, sorted; when they are
 * exactly the integers 0..N-1 they sort numerically, so "10" follows "9".
 */
public record CsvManifestDataset(Path csv, List<String> classes, List<Sample> samples) implements Dataset {
    public CsvManifestDataset {
        classes = List.copyOf(classes);
        samples = List.copyOf(samples);
    }

    public static CsvManifestDataset open(Path csv) throws IOException {
        BadFileException.requireRegularFile(csv);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(org.medmamba.io.Limits.current().readAllBytes(csv))).toString();
        } catch (CharacterCodingException e) {
            throw new BadFileException(csv, "not UTF-8 text");
        }
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text);
        } catch (Csv.SyntaxException e) {
            throw error(csv, e.line, e.getMessage());
        }
        if (rows.isEmpty()) throw new BadFileException(csv, "empty manifest (expected a header row path,label[,split])");
        Csv.Row header = rows.getFirst();
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).trim().toLowerCase(Locale.ROOT);
            if (col.putIfAbsent(name, i) != null && List.of("path", "label", "split", "group", "frame").contains(name))
                throw error(csv, header.line(), "column '" + name + "' appears twice");
        }
        for (String need : List.of("path", "label"))
            if (!col.containsKey(need))
                throw error(csv, header.line(), "missing column '" + need + "' (header is " + String.join(",", header.fields()) + ")");
        int cPath = col.get("path"), cLabel = col.get("label"), cSplit = col.getOrDefault("split", -1), cGroup = col.getOrDefault("group", -1),
                cFrame = col.getOrDefault("frame", -1);
        int width = header.fields().size();

        Path base = csv.toAbsolutePath().getParent();
        record Raw(Path file, int frame, String label, String split, String group) {}
        List<Raw> raws = new ArrayList<>();
        for (Csv.Row r : rows.subList(1, rows.size())) {
            List<String> f = r.fields();
            if (f.size() != width) throw error(csv, r.line(), f.size() + " fields, header has " + width);
            String p = f.get(cPath), label = f.get(cLabel).trim();
            if (p.isBlank()) throw error(csv, r.line(), "empty path");
            if (label.isEmpty()) throw error(csv, r.line(), "empty label");
            Path file;
            try {
                file = base.resolve(p).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw error(csv, r.line(), "invalid path '" + p + "'");
            }
            String split = cSplit < 0 ? "" : splitName(f.get(cSplit));
            if (split == null) throw error(csv, r.line(), "unknown split '" + f.get(cSplit) + "' (expected train, val, test or empty)");
            String group = cGroup < 0 || f.get(cGroup).isBlank() ? file.toString() : f.get(cGroup).trim();
            String fr = cFrame < 0 ? "" : f.get(cFrame).trim();
            if (!fr.isEmpty() && !fr.matches("0|[1-9][0-9]{0,8}"))
                throw error(csv, r.line(), "frame '" + f.get(cFrame) + "' is not a frame number (0, 1, ...)");
            raws.add(new Raw(file, fr.isEmpty() ? 0 : Integer.parseInt(fr), label, split, group));
        }
        if (raws.isEmpty()) throw new BadFileException(csv, "no rows after the header");
        List<String> classes = sortClasses(raws.stream().map(Raw::label).distinct().toList());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) index.put(classes.get(i), i);
        List<Sample> samples = raws.stream().map(r -> new Sample(r.file, r.frame, index.get(r.label), r.split, r.group)).toList();
        return new CsvManifestDataset(csv, classes, samples);
    }

    @Override
    public Image load(Sample s) throws IOException {
        return ImageFiles.read(s.file(), s.index());
    }

    /** train / val / test / "" for a CSV split value, null when unknown. */
    static String splitName(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> "train";
            case "val", "valid", "validation" -> "val";
            case "test" -> "test";
            case "" -> "";
            default -> null;
        };
    }

    /** Code-point order, or numeric order when the labels are exactly 0..N-1. */
    static List<String> sortClasses(List<String> labels) {
        boolean numeric = labels.stream().allMatch(l -> l.matches("0|[1-9][0-9]{0,8}"))
                && labels.stream().mapToInt(Integer::parseInt).max().orElse(-1) == labels.size() - 1;
        if (numeric) return labels.stream().sorted(Comparator.comparingInt(Integer::parseInt)).toList();
        TreeSet<String> s = new TreeSet<>(ImageFolderDataset::compareCodePoints);
        s.addAll(labels);
        return List.copyOf(s);
    }

    /**
     * Writes path,label,split[,frame][,group] rows atomically, paths relative to the manifest's folder
     * (absolute when they cannot be made relative), with forward slashes. The frame column is written
     * when some sample is not frame 0 (a multi-frame file), so that each row names a distinct image.
     */
    public static void write(Path out, List<String> classes, List<Sample> samples, boolean withGroup) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        boolean withFrame = samples.stream().anyMatch(s -> s.index() != 0);
        AtomicFiles.write(out, os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            w.write("path,label,split" + (withFrame ? ",frame" : "") + (withGroup ? ",group\n" : "\n"));
            for (Sample s : samples) {
                Path f = s.file().toAbsolutePath().normalize();
                String p;
                try {
                    p = dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                } catch (IllegalArgumentException e) {
                    p = f.toString();
                }
                w.write(Csv.quote(p) + ',' + Csv.quote(classes.get(s.label())) + ',' + s.split());
                if (withFrame) w.write("," + s.index());
                if (withGroup) w.write(',' + Csv.quote(s.group()));
                w.write('\n');
            }
            w.flush();
        });
    }

    /** "x.csv:17: problem". */
    private static IOException error(Path csv, int line, String problem) {
        return new IOException(csv + ":" + line + ": " + problem);
    }
}
