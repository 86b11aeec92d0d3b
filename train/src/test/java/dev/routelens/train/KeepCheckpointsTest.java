package dev.routelens.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keep_checkpoints: validated, keeps step-NNNNN/ folders, and a run with it still resumes bit-identically. */
class KeepCheckpointsTest {

    private static TrainConfig keeping(TrainConfig c) {
        return new TrainConfig(c.model(), c.tokenizerDir(), c.seqLength(), c.batchRows(), c.steps(), c.peakLr(),
                c.warmupSteps(), c.minLrRatio(), c.seed(), c.checkpointEvery(), c.evalEvery(), c.evalRows(),
                c.auxLossCoef(), c.auxLossMode(), c.gradClip(), c.weightDecay(), c.initSeed(), c.corpusDir(),
                c.samplesDir(), true);
    }

    @Test
    void onlyTrueOrFalseIsAccepted(@TempDir Path dir) throws Exception {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("samples_dir", TinyRuns.writeSamples(dir).toString());
        o.put("tokenizer_dir", TinyRuns.nanoDir().toString());
        assertFalse(TrainConfig.fromJson(o, dir).keepCheckpoints(), "off by default");
        o.put("keep_checkpoints", true);
        TrainConfig on = TrainConfig.fromJson(o, dir);
        assertTrue(on.keepCheckpoints());
        assertTrue(TrainConfig.fromJson(on.toJson(), dir).keepCheckpoints(), "round-trips through its JSON");
        o.put("keep_checkpoints", "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(o, dir));
        assertEquals("keep_checkpoints must be true or false, got \"yes\"", e.getMessage());
        o.put("keep_checkpoints", 1);
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(o, dir));
        assertFalse(TinyRuns.config(dir, 4, 2).toJson().has("keep_checkpoints"),
                "left out when false, so runs from before the key still resume");
    }

    @Test
    void keepsEachStepAndStillResumes(@TempDir Path dir) throws Exception {
        Path samples = TinyRuns.writeSamples(dir);
        TrainConfig config = keeping(TinyRuns.config(samples, 6, 2));
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        Trainer.run(config, straight, false, 6, TinyTrainingTest.QUIET);
        Trainer.run(config, split, false, 3, TinyTrainingTest.QUIET); // stops at 3: a checkpoint there too
        Trainer.run(config, split, true, 6, TinyTrainingTest.QUIET);
        for (String step : new String[] {"step-00002", "step-00004", "step-00006"}) {
            for (String file : new String[] {"config.json", "model.safetensors", "tokenizer.model"}) {
                assertTrue(Files.isRegularFile(straight.resolve(step).resolve(file)), step + "/" + file);
            }
            assertArrayEquals(Files.readAllBytes(straight.resolve(step).resolve("model.safetensors")),
                    Files.readAllBytes(split.resolve(step).resolve("model.safetensors")), step + " after a resume");
        }
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(straight.resolve("step-00006").resolve("model.safetensors")),
                "the top-level checkpoint is the last step's");
        assertTrue(Files.isDirectory(split.resolve("step-00003")), "the interrupted run's own stop is kept too");
    }
}
