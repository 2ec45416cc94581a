package org.medmamba.cli;

import org.medmamba.io.SettingException;
import org.medmamba.data.transform.Augmentation;
import org.medmamba.api.DataSource;
import org.medmamba.api.Training;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.train.Checkpoint;
import org.medmamba.train.EpochRecord;
import org.medmamba.train.LrSchedule;
import org.medmamba.train.Trainer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** --resume reads the run's settings from last.ckpt, names a contradicting flag, and --epochs N extends a finished run. */
class ResumeExtendTest {
    @TempDir
    static Path shared;
    static Path data, run;

    @TempDir
    Path tmp;

    /** 6 train and 2 val images per class: a validation set too small to select on. */
    @BeforeAll
    static void trainOneEpoch() throws Exception {
        data = shared.resolve("data");
        for (String split : new String[]{"train", "val"})
            for (String cls : new String[]{"a", "b"}) {
                Path d = Files.createDirectories(data.resolve(split).resolve(cls));
                for (int i = 0; i < (split.equals("train") ? 6 : 2); i++) {
                    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 32; y++)
                        for (int x = 0; x < 32; x++) img.getRaster().setSample(x, y, 0, (cls.equals("a") ? x : y) * 8 + i);
                    ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
                }
            }
        run = shared.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", data.toString(), "--depths", "1,1,1,1", "--dims", "8,16,32,64", "--d-state", "4",
                "--image-size", "32", "--epochs", "1", "--batch-size", "4", "--lr", "1e-3", "--seed", "3", "--threads", "1",
                "--workers", "1", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        // the fallback for a validation set too small to select on
        assertTrue(r.err().contains("warning: the validation set is too small to select a model on: 4 images, 2 in its smallest class"
                + " (want >= 20, and >= 2 per class)\nselecting by the last epoch instead: best.mmb will be the model after the final epoch\n"), r.err());
        assertTrue(r.out().startsWith("done: 1 epochs in "), r.out());
        assertTrue(r.out().contains("; best.mmb is the last epoch's model (epoch 1)\n"), r.out());
        assertEquals("last", Checkpoint.load(run.resolve(Trainer.LAST), null, null).config().selectBy());
    }

    static Path copyRun(Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : List.of(Trainer.LAST, Trainer.BEST, Trainer.METRICS)) Files.copy(run.resolve(f), to.resolve(f));
        return to;
    }

    @Test
    void resumeWithoutFlagsReadsTheConfigurationBack() throws Exception {
        Path dir = copyRun(tmp.resolve("run"));
        byte[] before = Files.readAllBytes(dir.resolve(Trainer.LAST));
        // without the checkpoint's settings this would refuse 32-px images for the default 224 input
        CliTest.Run r = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resuming " + dir + " after epoch 1 of 1\n"), r.err());
        assertTrue(r.err().contains("training MedMamba-custom (1 in-channel, 32x32) on 12 images, validating on 4; run dir " + dir), r.err());
        assertTrue(r.out().startsWith("done: 1 epochs in "), r.out());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(Trainer.LAST)), "a finished run is left as it was");
    }

    @Test
    void aContradictingFlagIsNamed() throws Exception {
        Path dir = copyRun(tmp.resolve("run"));
        Path ckpt = dir.resolve(Trainer.LAST);
        CliTest.Run size = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--resume", "--image-size", "64");
        assertEquals(1, size.code());
        assertEquals("medmamba: --image-size 64 contradicts the run's 32x32 (" + ckpt + ")", size.err().strip());
        CliTest.Run seed = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--resume", "--seed", "4");
        assertEquals("medmamba: --seed 4 contradicts the run's 3 (" + ckpt + ")", seed.err().strip());
        CliTest.Run dims = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--resume",
                "--depths", "1,1,2,1", "--dims", "8,16,32,64");
        assertEquals("medmamba: --depths 1,1,2,1 contradicts the run's 1,1,1,1 (" + ckpt + ")", dims.err().strip());
        CliTest.Run aug = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--resume", "--no-augment");
        assertEquals("medmamba: --no-augment contradicts the run's training with augmentation (" + ckpt + ")", aug.err().strip());
        // the same values as the run's are no contradiction
        CliTest.Run same = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--resume", "--image-size", "32",
                "--seed", "3", "--threads", "1");
        assertEquals(0, same.code(), same.err());
    }

    /** Training.Builder.augmentation: the run keeps the given augmentation, and resuming with another is named. */
    @Test
    void aCustomAugmentationIsKeptAndAContradictionNamed() throws Exception {
        Augmentation custom = new Augmentation(0.7, 1.0, 1, 1, 0.5, 15, 0.1, 0.2, 0.1);
        Path dir = tmp.resolve("custom");
        Training.builder(DataSource.of(data)).network(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}).dState(4).imageSize(32)
                .epochs(1).batchSize(4).threads(1).workers(1).augmentation(custom).runDir(dir).run();
        Path ckpt = dir.resolve(Trainer.LAST);
        assertEquals(custom, Checkpoint.load(ckpt, null, null).config().augmentation());
        SettingException e = assertThrows(SettingException.class, () -> Training.builder(DataSource.of(data)).augment(true)
                .runDir(dir).resume(true).run());
        assertEquals("augment contradicts the run's training with augmentation " + custom + " (" + ckpt + ")", e.getMessage());
        // the same augmentation again is no contradiction
        assertEquals(1, Training.builder(DataSource.of(data)).augmentation(custom).runDir(dir).resume(true).run().train().epochsDone());
    }

    @Test
    void epochsExtendsAFinishedRun() throws Exception {
        Path dir = copyRun(tmp.resolve("run"));
        CliTest.Run r = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--resume", "--epochs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("extending " + dir + " from 1 to 2 epochs after epoch 1: the learning rate follows the 2-epoch"
                + " cosine schedule from here\n"), r.err());
        assertTrue(r.out().startsWith("done: 2 epochs in "), r.out());
        assertTrue(r.out().contains("best.mmb is the last epoch's model (epoch 2)"), r.out());
        List<EpochRecord> metrics = EpochRecord.readJsonl(dir.resolve(Trainer.METRICS));
        assertEquals(2, metrics.size());
        assertEquals(List.of(1, 2), metrics.stream().map(EpochRecord::epoch).toList());
        assertEquals(Files.readAllLines(run.resolve(Trainer.METRICS)).getFirst(), Files.readAllLines(dir.resolve(Trainer.METRICS)).getFirst());
        Checkpoint c = Checkpoint.load(dir.resolve(Trainer.LAST), null, null);
        assertEquals(2, c.epochsDone());
        assertEquals(2, c.history().size());
        assertEquals(2, c.config().epochs());
        assertEquals(2, c.bestEpoch());
        assertEquals(6, c.optimizerSteps());
        // 12 images / batch 4 = 3 steps an epoch, 1 warm-up epoch: the last step is 2/3 down the 3-step cosine, lr/4
        assertEquals((double) (float) new LrSchedule(1e-3, 0, 3, 6).at(5), metrics.get(1).lr());
        assertEquals(2.5e-4, metrics.get(1).lr(), 1e-10);
        // a total below the epochs done is refused
        CliTest.Run fewer = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--resume", "--epochs", "1");
        assertEquals(1, fewer.code());
        assertEquals("medmamba: --epochs 1 is fewer than the 2 epochs the run has done (" + dir.resolve(Trainer.LAST) + ")", fewer.err().strip());
        // without --resume another epoch count is still another run
        CliTest.Run noResume = CliTest.run("train", "--data", data.toString(), "--out", dir.toString(), "--depths", "1,1,1,1",
                "--dims", "8,16,32,64", "--d-state", "4", "--image-size", "32", "--epochs", "3", "--batch-size", "4", "--lr", "1e-3",
                "--seed", "3", "--threads", "1", "--select-by", "last");
        assertEquals(1, noResume.code());
        assertTrue(noResume.err().contains("belongs to another configuration (epochs: 3 vs 2)"), noResume.err());
    }

    @Test
    void trainWarnsAboutAClassWithoutValidationImages() throws Exception {
        Path d = tmp.resolve("data");
        TrainCommandTest.images(d.resolve("train/a"), 4, 32);
        TrainCommandTest.images(d.resolve("train/b"), 4, 32);
        TrainCommandTest.images(d.resolve("val/a"), 2, 32);
        CliTest.Run r = TrainCommandTest.train(d, tmp.resolve("run"), "--image-size", "32", "--threads", "1", "--workers", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: class 'b' has no validation images (nothing there measures it)\n"
                + "warning: the validation set is too small to select a model on: 2 images, 0 in its smallest class"
                + " (want >= 20, and >= 2 per class)\nselecting by the last epoch instead"), r.err());
    }
}
