package dev.routelens.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.samples.CorpusSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** On the real shared corpus: the held-out part follows CorpusSplit and never reaches the training rows. */
class CorpusDataTest {
    @Test
    void heldOutDocumentsNeverTrainedOn() throws Exception {
        Path corpus = Path.of("..", "..", "shared", "corpus").toAbsolutePath().normalize();
        if (!Files.isDirectory(corpus)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("shared corpus missing at " + corpus + " (CI=true)");
            }
            assumeTrue(false, "shared corpus not found at " + corpus + "; skipping");
        }
        TrainConfig config = new TrainConfig(dev.routelens.model.nano.NanoModel.config(4096), TinyRuns.nanoDir(), 256, 8, 10,
                1e-3, 0, 0.1, 7, 10, 0, 4, 0.02, TrainableMoe.AuxLoss.PER_LAYER_MEAN, 1.0, 0.1, 1L, corpus, null);
        TrainingData data;
        try (Tokenizer tok = Tokenizer.load(TinyRuns.nanoDir())) {
            data = TrainingData.load(config, tok);
        }
        Set<String> training = new HashSet<>();
        for (int[] d : data.trainingDocuments()) {
            training.add(Arrays.toString(Arrays.copyOf(d, d.length - 1))); // without the appended EOS
        }
        for (TrainingData.HeldOut h : data.heldOut()) {
            assertFalse(training.contains(Arrays.toString(h.ids())), "held-out " + h.id() + " is in the training data");
        }
        for (Map.Entry<String, int[]> e : data.countsByLabel().entrySet()) {
            int total = e.getValue()[0] + e.getValue()[1] + 0;
            int held = e.getValue()[1];
            // Duplicates dropped from training can make the training count smaller, never the held-out one.
            assertTrue(held >= CorpusSplit.heldOutCount(total), e.getKey() + ": " + held + " held out of " + total);
        }
        assertTrue(data.countsByLabel().containsKey("other"), "papers labelled other are part of the data");
        long rows = data.rowsPerEpoch();
        assertEquals(data.streamTokens() / 256, rows);
        int[][] a = data.rows(rows - 1, 2);   // crosses into epoch 1
        int[][] b = data.rows(rows - 1, 2);
        assertTrue(Arrays.deepEquals(a, b), "rows are a function of the row index");
    }
}
