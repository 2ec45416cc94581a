package org.medmamba.data;

import org.medmamba.data.image.Image;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code root/<class>/<file>} as torchvision's ImageFolder reads it: classes are the folder names in
 * code-point order, files sit anywhere below their class folder, visited directory by directory in
 * code-point order of the directory path and then of the file name (Python's sorted(os.walk(...))).
 * If root holds train/, val/ (or valid/, validation/) or test/, each is a split with class folders inside;
 * the classes are then the sorted union. Hidden files and folders (a leading dot) are skipped; an empty
 * class folder stays a class with no samples.
 */
public record ImageFolderDataset(Path root, List<String> classes, List<Sample> samples) implements Dataset {
    static final Map<String, String> SPLIT_FOLDERS = Map.of("train", "train", "val", "val", "valid", "val",
            "validation", "val", "test", "test");

    public ImageFolderDataset {
        classes = List.copyOf(classes);
        samples = List.copyOf(samples);
    }

    public static ImageFolderDataset open(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new BadFileException(root, "not a folder");
        List<Path> dirs = subfolders(root);
        boolean split = dirs.stream().anyMatch(d -> SPLIT_FOLDERS.containsKey(d.getFileName().toString()));
        // split name → its class-folder root, in train, val, test order
        Map<String, Path> roots = new TreeMap<>(Comparator.comparingInt(List.of("train", "val", "test", "")::indexOf));
        if (split) {
            for (Path d : dirs) {
                String name = d.getFileName().toString(), s = SPLIT_FOLDERS.get(name);
                if (s == null)
                    throw new BadFileException(root, "has split folders (train/val/test) and also '" + name
                            + "'; move it or point at one folder");
                Path prev = roots.put(s, d);
                if (prev != null) throw new BadFileException(root, "both '" + prev.getFileName() + "' and '" + name + "' are the val split");
            }
        } else {
            roots.put("", root);
        }
        TreeSet<String> names = new TreeSet<>(ImageFolderDataset::compareCodePoints);
        for (Path r : roots.values()) for (Path d : subfolders(r)) names.add(d.getFileName().toString());
        List<String> classes = new ArrayList<>(names);
        if (classes.isEmpty()) throw new BadFileException(root, "no class folders (expected ROOT/<class>/<image files>)");
        List<Sample> samples = new ArrayList<>();
        for (var e : roots.entrySet()) {
            for (int label = 0; label < classes.size(); label++) {
                Path dir = e.getValue().resolve(classes.get(label));
                if (!Files.isDirectory(dir)) continue; // a split may lack a class
                for (Path f : imagesUnder(dir)) samples.add(new Sample(f, 0, label, e.getKey(), f.toString()));
            }
        }
        return new ImageFolderDataset(root, classes, samples);
    }

    @Override
    public Image load(Sample s) throws IOException {
        return ImageFiles.read(s.file());
    }

    /** Image extensions ImageFiles decodes, plus DICOM. */
    static boolean isImageFile(Path p) {
        return ImageFiles.isImage(p) || p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm");
    }

    static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static List<Path> subfolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !hidden(p) && Files.isDirectory(p))
                    .sorted((a, b) -> compareCodePoints(a.getFileName().toString(), b.getFileName().toString())).toList();
        }
    }

    private static List<Path> imagesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) { // symlinks followed, as torchvision does
            return s.filter(p -> Files.isRegularFile(p) && isImageFile(p) && !underHidden(dir, p))
                    .sorted((a, b) -> {
                        int c = compareCodePoints(a.getParent().toString(), b.getParent().toString());
                        return c != 0 ? c : compareCodePoints(a.getFileName().toString(), b.getFileName().toString());
                    }).toList();
        } catch (java.io.UncheckedIOException e) { // a symlink loop or an unreadable folder met while walking
            throw new BadFileException(dir, "cannot list (" + e.getCause() + ")");
        }
    }

    private static boolean underHidden(Path base, Path p) {
        for (Path part : base.relativize(p)) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /** Python's str ordering (by code point), which differs from String.compareTo only above U+FFFF. */
    static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
