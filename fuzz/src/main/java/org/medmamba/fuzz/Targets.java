package org.medmamba.fuzz;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.Csv;
import org.medmamba.data.ImageFiles;
import org.medmamba.data.NpzDataset;
import org.medmamba.data.Sample;
import org.medmamba.data.dicom.DicomImages;
import org.medmamba.data.dicom.PixelDecoder;
import org.medmamba.data.jpeg.JpegDecoder;
import org.medmamba.data.jpeg.JpegException;
import org.medmamba.data.jpeg.JpegLsDecoder;
import org.medmamba.io.RestrictedUnpickler;
import org.medmamba.io.TorchCheckpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One fuzz target per parser, each as a user reaches it. Only the documented exception types may
 * leave a parser: {@link IOException} (its one-line subclasses) and, for CSV text,
 * {@link Csv.SyntaxException}. Anything else (a RuntimeException, OutOfMemoryError,
 * StackOverflowError) escapes to Jazzer as a finding.
 */
public final class Targets {
    private Targets() {}

    static final Path NAME = Path.of("fuzz-input");

    /** PNG (our decoder) and every other image format through ImageIO, with the pixel limit. */
    public static final class Image {
        public static void fuzzerTestOneInput(byte[] data) {
            try {
                ImageFiles.read(NAME, data);
            } catch (IOException expected) {
                // a one-line BadFileException
            }
        }
    }

    /** Baseline, extended, progressive and lossless JPEG (our decoder, used for DICOM). */
    public static final class Jpeg {
        public static void fuzzerTestOneInput(byte[] data) {
            try {
                JpegDecoder.decode(data);
            } catch (JpegException expected) {
            }
        }
    }

    public static final class JpegLs {
        public static void fuzzerTestOneInput(byte[] data) {
            try {
                JpegLsDecoder.decode(data);
            } catch (JpegException expected) {
            }
        }
    }

    /** A DICOM file: header, pixel module, first and last frame. */
    public static final class Dicom {
        public static void fuzzerTestOneInput(byte[] data) {
            try {
                PixelDecoder d = DicomImages.open(NAME, data);
                DicomImages.frame(d, 0);
                if (d.module().frames() > 1) DicomImages.frame(d, d.module().frames() - 1);
            } catch (IOException expected) {
            }
        }
    }

    /** The restricted unpickler alone (the data.pkl of a .pth). */
    public static final class Pickle {
        public static void fuzzerTestOneInput(byte[] data) {
            try {
                RestrictedUnpickler.load("fuzz", data);
            } catch (IOException expected) {
            }
        }
    }

    /** A whole .pth: zip, pickle, storages, tensor bounds. */
    public static final class Pth {
        public static void fuzzerTestOneInput(byte[] data) {
            withFile(data, ".pth", p -> TorchCheckpoint.readStateDict(p).values().forEach(t -> {
                if (t.dtype().isFloat()) t.toFloat();
                else t.toLong();
            }));
        }
    }

    /** A model bundle: safetensors header, offsets, tensors, metadata. */
    public static final class Safetensors {
        public static void fuzzerTestOneInput(byte[] data) {
            withFile(data, ".mmb", ModelBundle::load);
        }
    }

    /** A MedMNIST .npz: zip, .npy headers, labels, and the first images. */
    public static final class Npz {
        public static void fuzzerTestOneInput(byte[] data) {
            withFile(data, ".npz", p -> {
                NpzDataset d = NpzDataset.open(p);
                List<Sample> s = d.samples();
                for (int i = 0; i < Math.min(3, s.size()); i++) d.load(s.get(i));
            });
        }
    }

    /** CSV manifest text. */
    public static final class CsvText {
        public static void fuzzerTestOneInput(byte[] data) {
            try {
                Csv.parse(new String(data, StandardCharsets.UTF_8));
            } catch (Csv.SyntaxException expected) {
            }
        }
    }

    interface FileBody {
        void run(Path p) throws IOException;
    }

    private static Path scratch;

    /** Parsers that read from a path get the input as one reused temporary file. */
    private static void withFile(byte[] data, String suffix, FileBody body) {
        try {
            if (scratch == null) {
                scratch = Files.createTempFile("medmamba-fuzz-", suffix);
                scratch.toFile().deleteOnExit();
            }
            Files.write(scratch, data);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the scratch file", e);
        }
        try {
            body.run(scratch);
        } catch (IOException expected) {
        }
    }
}
