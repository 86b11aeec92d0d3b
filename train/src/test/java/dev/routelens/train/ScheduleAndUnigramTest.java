package dev.routelens.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed learning rates, unigram probabilities and config validation. */
class ScheduleAndUnigramTest {
    @Test
    void warmupThenCosineToTenPercent() {
        TrainConfig c = TinyRuns.config(Path.of("."), 110, 10);
        // peak 1e-2, warm-up 3, 110 steps, floor 1e-3.
        assertEquals(1e-2 / 3, c.learningRate(1), 1e-15);
        assertEquals(1e-2, c.learningRate(3), 1e-15);
        assertEquals(1e-3, c.learningRate(110), 1e-15);
        // Half-way through the decay (step 3 + 53.5): (peak + floor) / 2.
        double mid = c.learningRate(3 + 107 / 2);
        double expected = 1e-3 + 0.5 * 9e-3 * (1 + Math.cos(Math.PI * 53.0 / 107));
        assertEquals(expected, mid, 1e-15);
    }

    @Test
    void unigramAddOne() {
        // Docs: BOS=1 then tokens, trailing EOS=2 dropped. Counts over V=4: t3 x3, t0 x1; total 4.
        UnigramModel u = UnigramModel.fit(List.of(new int[] {1, 3, 3, 2}, new int[] {1, 0, 3, 2}), 4, true);
        assertEquals(Math.log(4.0 / 8), u.logProb(3), 1e-12);
        assertEquals(Math.log(2.0 / 8), u.logProb(0), 1e-12);
        assertEquals(Math.log(1.0 / 8), u.logProb(2), 1e-12);
        double nll = u.meanNll(List.of(new int[] {1, 3, 0}));
        assertEquals(-(Math.log(0.5) + Math.log(0.25)) / 2, nll, 1e-12);
    }

    @Test
    void configRejectsNonsenseAndRoundTrips() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromJson(json.readTree("{\"steps\": 0, \"samples_dir\": \"s\"}"), Path.of("/tmp")));
        assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromJson(json.readTree("{\"stepz\": 5, \"samples_dir\": \"s\"}"), Path.of("/tmp")));
        assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromJson(json.readTree("{\"corpus_dir\": null}"), Path.of("/tmp")));
        TrainConfig c = TrainConfig.fromJson(json.readTree(
                "{\"model\": \"nano\", \"steps\": 12, \"warmup_steps\": 2, \"samples_dir\": \"s\", \"tokenizer_dir\": \"tok\"}"), Path.of("/base"));
        assertEquals(Path.of("/base/s"), c.samplesDir());
        assertEquals(Path.of("/base/tok"), c.tokenizerDir());
        assertEquals(26, c.model().numLayers());
        TrainConfig back = TrainConfig.fromJson(c.toJson(), Path.of("/elsewhere"));
        assertEquals(c, back);
    }

    /** Values Jackson would coerce (asLong reads "7" as 7, 7.9 as 7, true as 1) or that parse as infinity are refused by key. */
    @Test
    void configRefusesCoercedSeedsAndInfiniteNumbers() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String bad : List.of("\"seed\": \"7\"", "\"seed\": 7.9", "\"seed\": true", "\"init_seed\": \"abc\"",
                "\"init_seed\": 1e30", "\"aux_loss_coef\": 1e999", "\"weight_decay\": 1e999", "\"grad_clip\": 1e999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(
                    json.readTree("{" + bad + ", \"samples_dir\": \"s\"}"), Path.of("/tmp")), bad);
            String key = bad.substring(1, bad.indexOf('"', 1));
            assertTrue(e.getMessage().startsWith(key + " must be "), e.getMessage());
        }
        java.nio.file.Path twice = java.nio.file.Files.createTempFile("train", ".json");
        try {
            java.nio.file.Files.writeString(twice, "{\"steps\": 5, \"samples_dir\": \"s\", \"steps\": 50}");
            java.io.IOException dup = assertThrows(java.io.IOException.class, () -> TrainConfig.read(twice));
            assertTrue(dup.getMessage().contains("Duplicate field 'steps'"), dup.getMessage());
        } finally {
            java.nio.file.Files.delete(twice);
        }
        TrainConfig c = TrainConfig.fromJson(json.readTree("{\"seed\": 7, \"init_seed\": -3, \"samples_dir\": \"s\"}"),
                Path.of("/tmp"));
        assertEquals(7, c.seed());
        assertEquals(-3, c.initSeed());
    }
}
