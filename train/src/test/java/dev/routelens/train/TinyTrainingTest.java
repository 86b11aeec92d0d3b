package dev.routelens.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny model learns a small fixed text: the loss falls clearly within 30 steps. */
class TinyTrainingTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void lossFallsOnFixedText(@TempDir Path dir) throws Exception {
        Path samples = TinyRuns.writeSamples(dir);
        Path out = dir.resolve("run");
        Trainer.Result r = Trainer.run(TinyRuns.config(samples, 30, 100), out, false, 30, QUIET);
        assertEquals(30, r.steps());
        List<List<String>> log = TrainLog.read(out.resolve(Trainer.LOG_FILE));
        assertEquals(30, log.size());
        double first = 0;
        double last = 0;
        for (int i = 0; i < 3; i++) {
            first += Double.parseDouble(log.get(i).get(2)) / 3;
            last += Double.parseDouble(log.get(log.size() - 1 - i).get(2)) / 3;
        }
        // Random init starts near ln(4096) = 8.32; a model that learns the repeated text ends far lower.
        assertTrue(first > 7.5, "initial loss " + first);
        assertTrue(last < first - 2.0, "loss fell only from " + first + " to " + last);
        // Every logged layer's expert fractions sum to one.
        List<String> row = log.get(log.size() - 1);
        double layer0 = 0;
        for (int j = 0; j < TinyRuns.TINY.numExperts(); j++) {
            layer0 += Double.parseDouble(row.get(8 + j));
        }
        assertEquals(1.0, layer0, 1e-3);
        assertTrue(Files.size(out.resolve(Trainer.CURVE_FILE)) > 1000, "training curve PNG missing");
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.model")));
    }
}
