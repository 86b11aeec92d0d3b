package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --soak 2}: a figure1 and an ablation sweep, each SIGKILLed at a random moment in a child JVM and
 * resumed, give results byte-identical to uninterrupted runs; the soak's own folder goes when all matched.
 */
class SoakBenchTest {
    @Test
    void killedAndResumedRunsEqualUninterruptedOnes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("soak.json");
        CliRun run = CliRun.of("bench", "--soak", "2", "--soak-seed", "7", "--out", out.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        JsonNode soak = new ObjectMapper().readTree(out.toFile()).get("soak");
        assertEquals(0, soak.get("mismatched").asInt(), soak.toString());
        assertEquals(2, soak.get("runs").size());
        for (JsonNode r : soak.get("runs")) {
            assertEquals(0, r.get("resume_exit").asInt(), r.toString());
            assertTrue(r.get("differing").isEmpty(), r.toString());
        }
        assertEquals("figure1", soak.get("runs").get(0).get("job").asText());
        assertEquals("ablate-sweep", soak.get("runs").get(1).get("job").asText());
        assertFalse(Files.exists(dir.resolve("soak.json.soak")), "the runs are removed when every one matched");
    }

    @Test
    void soakTakesNoModelOrSampleOptions(@TempDir Path dir) {
        String line = TinyModels.refusal(CliRun.of("bench", "--soak", "2", "--per-class", "3", "--out",
                dir.resolve("s.json").toString()));
        assertTrue(line.contains("--soak runs figure1 and ablate on the embedded SciDFM-nano"), line);
        line = TinyModels.refusal(CliRun.of("bench", "--soak", "0", "--out", dir.resolve("s.json").toString()));
        assertTrue(line.contains("--soak must be >= 1, got 0"), line);
    }
}
