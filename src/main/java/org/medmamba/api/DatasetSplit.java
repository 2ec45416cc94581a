package org.medmamba.api;

import org.medmamba.data.CsvManifestDataset;
import org.medmamba.data.Dataset;
import org.medmamba.data.Datasets;
import org.medmamba.data.NpzDataset;
import org.medmamba.data.Sample;
import org.medmamba.data.Splitter;
import org.medmamba.io.OutputPaths;
import org.medmamba.io.SettingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A stratified train/val/test split of a dataset written as a CSV manifest
 * ({@code path,label,split[,frame][,group]}); the dataset itself is not touched. A multi-frame DICOM file
 * gives one row per frame with its frame number, all on one side of the split (grouped by series, else by
 * file); the group column is written when groups are not single files. What
 * {@code ./medmamba dataset split} does:
 * <pre>{@code
 * DatasetSplit.Result r = DatasetSplit.of(DataSource.of(root)).val(0.1).test(0.2).seed(0).write(Path.of("split.csv"));
 * }</pre>
 */
public final class DatasetSplit {
    /**
     * What was written: images per class and split, and whether the data's own split was ignored.
     *
     * @param warnings what the split cannot measure (classes without val or test images, a validation set
     *                 too small to select a model on), one sentence each
     */
    public record Result(Path manifest, int images, long groups, boolean grouped, List<String> classes,
                         Map<String, int[]> countsBySplit, boolean ignoredOriginalSplit, List<String> warnings) {}

    private final DataSource data;
    private double val = 0.1, test = 0.2;
    private long seed;
    private String groupBy;
    private boolean overwrite;

    private DatasetSplit(DataSource data) {
        this.data = Objects.requireNonNull(data, "data");
    }

    public static DatasetSplit of(DataSource data) {
        return new DatasetSplit(data);
    }

    /** Fraction of each class for validation (default 0.1). */
    public DatasetSplit val(double fraction) {
        this.val = fraction;
        return this;
    }

    /** Fraction of each class for test (default 0.2). */
    public DatasetSplit test(double fraction) {
        this.test = fraction;
        return this;
    }

    /** Shuffle seed; the same seed gives the same split (default 0). */
    public DatasetSplit seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Keeps images whose group matches on one side: the regex is searched in the path relative to
     * the dataset root; its first capture group (or the whole match) names the group.
     */
    public DatasetSplit groupBy(String regex) {
        this.groupBy = regex;
        return this;
    }

    /** Replace an existing manifest (default: refuse). */
    public DatasetSplit overwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    public Result write(Path out) throws MedMambaException {
        Pattern pattern = null;
        if (groupBy != null) {
            try {
                pattern = Pattern.compile(groupBy);
            } catch (PatternSyntaxException e) {
                throw new SettingException("groupBy", "is a bad regex (" + e.getDescription() + ")");
            }
        }
        OutputPaths.refuseSameFile("out", out, data.path());
        Dataset d = data.open();
        if (d instanceof NpzDataset)
            throw new MedMambaException(data.path(), "a MedMNIST .npz comes already split into train/val/test", null);
        if (Files.exists(out) && !overwrite) throw new SettingException("overwrite", "is off and " + out + " exists");
        Function<Sample, String> groupOf = Sample::group;
        if (pattern != null) {
            Path root = Datasets.root(d).toAbsolutePath().normalize();
            Pattern p = pattern;
            groupOf = s -> {
                String rel = root.relativize(s.file().toAbsolutePath().normalize()).toString().replace('\\', '/');
                Matcher m = p.matcher(rel);
                if (!m.find()) throw new SettingException("groupBy", "'" + groupBy + "' does not match " + rel);
                String g = m.groupCount() > 0 ? m.group(1) : m.group();
                if (g == null || g.isEmpty()) throw new SettingException("groupBy", "'" + groupBy + "' gives an empty group for " + rel);
                return g;
            };
        }
        boolean hadSplits = d.samples().stream().anyMatch(s -> !s.split().isEmpty());
        List<Sample> split = Splitter.split(d.samples(), d.classes().size(), val, test, seed, groupOf);
        // a series or a multi-frame file is a group the manifest must keep, or a later re-split would cut it
        boolean grouped = groupBy != null || split.stream().anyMatch(s -> !s.group().equals(s.file().toString()));
        try {
            CsvManifestDataset.write(out, d.classes(), split, grouped);
        } catch (IOException e) {
            throw MedMambaException.of(out, e);
        }
        long groups = split.stream().map(Sample::group).distinct().count();
        List<Sample> valPart = split.stream().filter(s -> s.split().equals("val")).toList();
        List<Sample> testPart = split.stream().filter(s -> s.split().equals("test")).toList();
        List<String> warnings = new java.util.ArrayList<>();
        if (valPart.isEmpty()) {
            warnings.add("no validation images: train will hold out 10 % of the training groups");
            warnings.addAll(Splitter.warnings(d.classes(), List.of(), test > 0 ? testPart : null));
        } else {
            warnings.addAll(Splitter.warnings(d.classes(), valPart, test > 0 ? testPart : null));
            if (Splitter.tooSmallToSelect(valPart, d.classes().size()))
                warnings.add("train will keep the last epoch's model rather than select one on it (select-by last)");
        }
        return new Result(out, split.size(), groups, grouped, d.classes(), Splitter.counts(split, d.classes().size()), hadSplits,
                List.copyOf(warnings));
    }
}
