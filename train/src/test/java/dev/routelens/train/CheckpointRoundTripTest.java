package dev.routelens.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.TokenBatch;
import dev.routelens.model.checkpoint.Checkpoint;
import dev.routelens.model.checkpoint.CheckpointWeights;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint the trainer writes loads with {@link ModelLoader}, and the inference forward gives
 * the trainer's own loss on the same (BF16-rounded) weights.
 */
class CheckpointRoundTripTest {
    @Test
    void savedCheckpointMatchesTrainerForward(@TempDir Path dir) throws Exception {
        Path samples = TinyRuns.writeSamples(dir);
        Path out = dir.resolve("run");
        TrainConfig config = TinyRuns.config(samples, 8, 8);
        Trainer.run(config, out, false, 8, TinyTrainingTest.QUIET);
        int[][] rows = new int[3][];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new int[24];
            rows[r][0] = 1;
            for (int p = 1; p < 24; p++) {
                rows[r][p] = 3 + rng.nextInt(4000);
            }
        }
        double trainer;
        try (Checkpoint ckpt = Checkpoint.open(out);
             TrainableMoe model = TrainableMoe.create(ckpt.config(), new CheckpointWeights(ckpt, false), DataType.FLOAT32)) {
            trainer = Trainer.crossEntropy(model, rows);
        }
        double inference;
        try (MoeTransformer model = ModelLoader.load(out, Device.cpu(), Precision.F32)) {
            ForwardResult r = model.forward(new TokenBatch(Arrays.asList(rows)));
            inference = r.meanNll();
        }
        assertTrue(trainer > 1 && trainer < 20, "implausible loss " + trainer);
        assertEquals(inference, trainer, 1e-4, "trainer and inference forward disagree on the saved weights");
    }
}
