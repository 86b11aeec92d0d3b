package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.checkpoint.CheckpointExporter;
import dev.routelens.model.checkpoint.SafeDType;
import dev.routelens.study.HookedMoe;
import dev.routelens.study.RouteLens;
import dev.routelens.study.SaturationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** saturation: a model against itself is 1.0, another differs, layouts must match, --over and --resume, facade = CLI. */
class SaturationCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path checkpoint(Path dir, String configJson, long seed) throws Exception {
        MoeConfig config = MoeConfig.fromJson(JSON.readTree(configJson));
        CheckpointExporter.write(dir, config, RandomWeights.of(seed), SafeDType.F32);
        CheckpointExporter.copyTokenizer(TinyModels.nano(), dir);
        return dir;
    }

    private static List<String> rows(Path csv) throws Exception {
        return Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size());
    }

    @Test
    void againstItselfAnotherModelAndAnotherLayout(@TempDir Path dir) throws Exception {
        Path a = checkpoint(dir.resolve("a"), TinyModels.TINY, 3);
        Path b = checkpoint(dir.resolve("b"), TinyModels.TINY, 4);
        Path wide = checkpoint(dir.resolve("wide"), TinyModels.TINY.replace("\"num_local_experts\": 4", "\"num_local_experts\": 8"), 3);
        Path docs = TinyModels.docs(dir.resolve("docs.csv"), 3, "physics", "biology");

        CliRun self = CliRun.of("saturation", "--model", a.toString(), "--reference", a.toString(), "--samples",
                docs.toString(), "--device", "cpu", "--out", dir.resolve("self").toString());
        assertEquals(0, self.exit(), self.err());
        for (String row : rows(dir.resolve("self/saturation.csv"))) {
            String[] f = row.split(",");
            assertEquals("1.000000", f[1], row);
            assertEquals("1.000000", f[2], row);
            assertEquals("0.250000", f[3], "chance top-1 is 1/E: " + row);
            assertEquals("0.500000", f[4], "chance top-k is k/E: " + row);
        }
        assertTrue(Files.isRegularFile(dir.resolve("self/saturation_by_layer.png")));

        Path other = dir.resolve("other");
        CliRun run = CliRun.of("saturation", "--model", a.toString(), "--reference", b.toString(), "--samples",
                docs.toString(), "--device", "cpu", "--out", other.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode summary = JSON.readTree(other.resolve("summary.json").toFile());
        assertTrue(summary.get("mean_top_k").asDouble() < 1, summary.toString());
        assertEquals(0.5, summary.get("chance_top_k").asDouble(), 0);
        assertEquals("one at a time", summary.get("models_loaded").asText());

        try (HookedMoe ma = RouteLens.load(a.toString(), "cpu", null); HookedMoe mb = RouteLens.load(b.toString(), "cpu", null)) {
            SaturationResult r = ma.saturation(mb, RouteLens.samples(docs.toString()));
            List<String> cli = rows(other.resolve("saturation.csv"));
            for (int m = 0; m < cli.size(); m++) {
                String[] f = cli.get(m).split(",");
                assertEquals(Double.parseDouble(f[1]), r.table().top1()[m], 1e-6, "facade = CLI, top-1");
                assertEquals(Double.parseDouble(f[2]), r.table().topK()[m], 1e-6, "facade = CLI, top-k");
            }
        }

        String refusal = TinyModels.refusal(CliRun.of("saturation", "--model", a.toString(), "--reference",
                wide.toString(), "--samples", docs.toString(), "--device", "cpu", "--out", dir.resolve("no").toString()));
        assertTrue(refusal.contains("differ in num_experts 4 vs 8"), refusal);
        assertTrue(TinyModels.refusal(CliRun.of("saturation", "--model", a.toString(), "--out", dir.resolve("no").toString()))
                .contains("exactly one of --reference DIR and --over RUN"));
    }

    @Test
    void overATrainingRunAndResume(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        checkpoint(run.resolve("step-00010"), TinyModels.TINY, 4);
        checkpoint(run.resolve("step-00020"), TinyModels.TINY, 5);
        checkpoint(run.resolve("step-00030"), TinyModels.TINY, 3);
        Path docs = TinyModels.docs(dir.resolve("docs.csv"), 2, "physics", "biology");
        Path out = dir.resolve("over");
        CliRun first = CliRun.of("saturation", "--over", run.toString(), "--samples", docs.toString(), "--device", "cpu",
                "--out", out.toString(), "--keep-checkpoint");
        assertEquals(0, first.exit(), first.err());
        List<String> rows = rows(out.resolve("saturation_over_steps.csv"));
        assertEquals(3 * 2, rows.size(), "3 steps x 2 MoE layers");
        for (String row : rows) {
            String[] f = row.split(",");
            if (f[0].equals("30")) {
                assertEquals("1.000000", f[3], "the last checkpoint against itself: " + row);
            } else {
                assertTrue(Double.parseDouble(f[3]) < 1, row);
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("saturation_vs_step.png")));
        assertTrue(Files.isRegularFile(out.resolve("saturation_layer_by_step.png")));
        byte[] csv = Files.readAllBytes(out.resolve("saturation_over_steps.csv"));

        CliRun resumed = CliRun.of("saturation", "--over", run.toString(), "--samples", docs.toString(), "--device", "cpu",
                "--resume", out.toString());
        assertEquals(0, resumed.exit(), resumed.err());
        assertArrayEquals(csv, Files.readAllBytes(out.resolve("saturation_over_steps.csv")), "kept steps read back");
        org.junit.jupiter.api.Assertions.assertFalse(resumed.err().contains("saturation step 10"),
                "a finished step is not routed again: " + resumed.err());
        org.junit.jupiter.api.Assertions.assertFalse(resumed.err().contains("saturation: reference"),
                "nor is the reference: " + resumed.err());
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(out.resolve(".checkpoint")),
                "the resume, without --keep-checkpoint, removes the checkpoint once it succeeds");
        CliRun finished = CliRun.of("saturation", "--over", run.toString(), "--samples", docs.toString(), "--device", "cpu",
                "--resume", out.toString());
        assertTrue(finished.out().contains("nothing to resume"), finished.out());
        assertTrue(Files.isRegularFile(out.resolve("run.json")), "every command writes run.json");
        String refusal = TinyModels.refusal(CliRun.of("saturation", "--over", run.toString(), "--samples", docs.toString(),
                "--per-class", "1", "--device", "cpu", "--resume", out.toString()));
        assertTrue(refusal.contains("--per-class"), refusal);
        assertTrue(TinyModels.refusal(CliRun.of("saturation", "--over", dir.resolve("docs.csv").getParent().toString(),
                "--out", dir.resolve("x").toString())).contains("no step-NNNNN/ checkpoint folders"));
    }
}
