package dev.routelens.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.samples.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held-out evaluation of a briefly trained tiny model against its random init and a unigram model. */
class EvaluateTest {
    @Test
    void trainedBeatsRandomInitAndWindowsCoverEveryTarget(@TempDir Path dir) throws Exception {
        Path samples = TinyRuns.writeSamples(dir);
        Path out = dir.resolve("run");
        Trainer.run(TinyRuns.config(samples, 30, 30), out, false, 30, TinyTrainingTest.QUIET);
        List<Sample> train = new ArrayList<>();
        for (int i = 0; i < TinyRuns.TEXTS.length; i++) {
            train.add(new Sample("t" + i, "prose", InputKind.TEXT, TinyRuns.TEXTS[i], "test"));
        }
        List<Sample> held = List.of(
                new Sample("h0", "prose", InputKind.TEXT, "The cat sat on the mat and watched the boat on the lake.", "test"),
                new Sample("h1", "prose", InputKind.TEXT, "Light boils at the speed of the garden at dawn.", "test"),
                // Also in the training list: it must be dropped from training, not from the held-out part.
                new Sample("h2", "prose", InputKind.TEXT, TinyRuns.TEXTS[0], "test"));
        TrainingData data;
        try (Tokenizer tok = Tokenizer.load(TinyRuns.nanoDir())) {
            data = TrainingData.of(train, held, tok, 32, 1);
        }
        assertEquals(1, data.droppedDuplicates());
        assertEquals(TinyRuns.TEXTS.length - 1, data.trainingDocuments().size());
        int window = 8;
        List<int[]> windows = Evaluate.windows(data, window);
        long expectedTargets = 0;
        for (TrainingData.HeldOut h : data.heldOut()) {
            int n = h.ids().length;
            for (int s = 0; s < n; s += window) {
                int len = Math.min(window, n - s);
                expectedTargets += len >= 2 ? len - 1 : 0;
            }
        }
        Evaluate.Report r = Evaluate.run(out, data, 20240927L, window);
        assertEquals(expectedTargets, r.predictedTokens());
        assertEquals(windows.size(), r.windows());
        // Weights of std 0.02 give nearly flat logits: the random init scores about ln(V).
        assertEquals(Math.log(4096), r.randomNll(), 0.05);
        assertTrue(r.trainedNll() < r.randomNll() - 1.0, "trained " + r.trainedNll() + " vs random " + r.randomNll());
        assertTrue(r.unigramNll() < r.randomNll(), "unigram " + r.unigramNll());
        for (double[] layer : r.expertLoad()) {
            double sum = 0;
            for (double f : layer) {
                sum += f;
            }
            assertEquals(1.0, sum, 1e-9);
        }
        // One label here: its numbers are the overall ones.
        assertEquals(1, r.byLabel().size());
        assertEquals(r.trainedNll(), r.byLabel().get("prose")[0], 1e-12);
        assertEquals(r.unigramNll(), r.byLabel().get("prose")[2], 1e-12);
        assertEquals(r.predictedTokens(), (long) r.byLabel().get("prose")[3]);
        assertTrue(r.minLoad() >= 0 && r.maxLoad() <= 1 && r.minLoad() <= r.maxLoad());
    }
}
