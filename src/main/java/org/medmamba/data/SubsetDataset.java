package org.medmamba.data;

import org.medmamba.data.image.Image;
import java.io.IOException;
import java.util.List;

/** Some samples of another dataset (the ones that decoded, or one split), with the same classes. */
public record SubsetDataset(Dataset base, List<Sample> samples) implements Dataset {
    public SubsetDataset {
        samples = List.copyOf(samples);
    }

    @Override
    public List<String> classes() {
        return base.classes();
    }

    @Override
    public Image load(Sample s) throws IOException {
        return base.load(s);
    }
}
