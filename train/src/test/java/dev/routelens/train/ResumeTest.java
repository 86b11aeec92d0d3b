package dev.routelens.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.routelens.model.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ten steps straight and five steps + resume + five steps end with identical weights and logs. */
class ResumeTest {
    @Test
    void resumedRunContinuesIdentically(@TempDir Path dir) throws Exception {
        Path samples = TinyRuns.writeSamples(dir);
        TrainConfig config = TinyRuns.config(samples, 10, 5);
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        Trainer.run(config, straight, false, 10, TinyTrainingTest.QUIET);
        Trainer.run(config, split, false, 5, TinyTrainingTest.QUIET);
        assertThrows(IOException.class, () -> Trainer.run(config, split, false, 10, TinyTrainingTest.QUIET),
                "a second fresh run into the same directory must be refused");
        Trainer.run(config, split, true, 10, TinyTrainingTest.QUIET);
        try (SafetensorsFile a = SafetensorsFile.open(straight.resolve("train_state-10.safetensors"));
             SafetensorsFile b = SafetensorsFile.open(split.resolve("train_state-10.safetensors"))) {
            assertEquals(a.entries().keySet(), b.entries().keySet());
            for (String name : a.entries().keySet()) {
                assertArrayEquals(a.readFloats(name), b.readFloats(name), 0f, name);
            }
        }
        List<List<String>> la = TrainLog.read(straight.resolve(Trainer.LOG_FILE));
        List<List<String>> lb = TrainLog.read(split.resolve(Trainer.LOG_FILE));
        assertEquals(10, lb.size());
        for (int i = 0; i < la.size(); i++) {
            assertEquals(la.get(i).get(2), lb.get(i).get(2), "loss at step " + (i + 1));
            assertEquals(la.get(i).get(6), lb.get(i).get(6), "tokens seen at step " + (i + 1));
        }
    }

    @Test
    void resumeWithAnotherConfigIsRefusedAndKeepsTheRun(@TempDir Path dir) throws Exception {
        Path samples = TinyRuns.writeSamples(dir);
        TrainConfig config = TinyRuns.config(samples, 4, 2);
        Path run = dir.resolve("run");
        Trainer.run(config, run, false, 2, TinyTrainingTest.QUIET);
        byte[] log = java.nio.file.Files.readAllBytes(run.resolve(Trainer.LOG_FILE));
        byte[] written = java.nio.file.Files.readAllBytes(run.resolve(Trainer.CONFIG_FILE));
        TrainConfig other = new TrainConfig(config.model(), config.tokenizerDir(), config.seqLength(), config.batchRows(),
                config.steps(), 5e-3, config.warmupSteps(), config.minLrRatio(), config.seed(), config.checkpointEvery(),
                config.evalEvery(), config.evalRows(), config.auxLossCoef(), config.auxLossMode(), config.gradClip(),
                config.weightDecay(), config.initSeed(), config.corpusDir(), config.samplesDir());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.run(other, run, true, 4, TinyTrainingTest.QUIET));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("peak_lr 0.005 (that run: 0.01)"), e.getMessage());
        assertArrayEquals(log, java.nio.file.Files.readAllBytes(run.resolve(Trainer.LOG_FILE)), "the log is untouched");
        assertArrayEquals(written, java.nio.file.Files.readAllBytes(run.resolve(Trainer.CONFIG_FILE)), "the config too");
        Trainer.run(config, run, true, 4, TinyTrainingTest.QUIET); // the same config still resumes
    }
}
