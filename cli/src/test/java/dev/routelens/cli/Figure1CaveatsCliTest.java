package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** figure1 on 4 documents a class: kNN's k=10 and the clamped perplexity are warned about and recorded. */
class Figure1CaveatsCliTest {

    @Test
    void aSmallSetIsWarnedAboutAndItsEffectiveSizesRecorded(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("f1");
        CliRun run = CliRun.of("figure1", "--out", out.toString(), "--per-class", "4", "--iterations", "250");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("kNN (k=10)") && run.out().contains("warning: kNN (k=10) is at least the size of class"),
                run.out());
        assertTrue(run.out().contains("warning: t-SNE perplexity 30 was clamped to 7.667"), run.out());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode metrics = mapper.readTree(out.resolve("metrics.json").toFile());
        assertEquals(10, metrics.get("knn_k_effective").asInt());
        assertEquals(metrics.get("quality").get("knn_k").asInt(), metrics.get("knn_k_effective").asInt());
        assertEquals(23 / 3.0, metrics.get("perplexity_effective").asDouble(), 1e-12, "(24 - 1) / 3");
        assertEquals(2, metrics.get("warnings").size());
        JsonNode record = mapper.readTree(out.resolve("run.json").toFile());
        assertEquals(30.0, record.get("perplexity_requested").asDouble());
        assertEquals(23 / 3.0, record.get("perplexity_effective").asDouble(), 1e-12);
        assertEquals(10, record.get("knn_k_effective").asInt());
    }
}
