package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * figure1, stats, ablate and probe with --stream give what the in-memory model gives on SciDFM-nano,
 * and a streamed figure1 killed with SIGKILL mid-run resumes from its last completed layer with
 * byte-identical outputs.
 */
class StreamedCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    /** Same rows and text columns; numeric columns within {@code tolerance}. */
    static void assertCsvClose(Path want, Path got, double tolerance) throws IOException {
        List<CSVRecord> a = csv(want);
        List<CSVRecord> b = csv(got);
        assertEquals(a.size(), b.size(), got + ": rows");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).size(), b.get(i).size());
            for (int j = 0; j < a.get(i).size(); j++) {
                String x = a.get(i).get(j);
                String y = b.get(i).get(j);
                Double dx = number(x);
                if (dx == null || dx.isNaN()) {
                    assertEquals(x, y, got + " row " + i + " column " + j);
                } else {
                    assertEquals(dx, Double.parseDouble(y), tolerance, got + " row " + i + " column " + j);
                }
            }
        }
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static CliRun run(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    @Test
    void figure1StatsAndAblateMatchTheInMemoryModel(@TempDir Path dir) throws Exception {
        String[] sample = {"--per-class", "2", "--seed", "5"};
        for (boolean streamed : new boolean[] {false, true}) {
            String tag = streamed ? "s" : "m";
            List<String> extra = streamed ? List.of("--stream", "--memory-budget", "64k") : List.of();
            List<String> f1 = new ArrayList<>(List.of("figure1", "--out", dir.resolve("f1" + tag).toString(),
                    "--iterations", "250", "--batch-docs", "4"));
            f1.addAll(List.of(sample));
            f1.addAll(extra);
            CliRun r = run(f1.toArray(String[]::new));
            if (streamed) {
                assertTrue(r.err().contains("groups"), "a 64 kB budget splits the set into groups: " + r.err());
            }
            List<String> stats = new ArrayList<>(List.of("stats", "--out", dir.resolve("st" + tag).toString()));
            stats.addAll(List.of(sample));
            stats.addAll(extra);
            run(stats.toArray(String[]::new));
            List<String> ablate = new ArrayList<>(List.of("ablate", "--out", dir.resolve("ab" + tag).toString(),
                    "--layer", "3", "--expert", "5"));
            ablate.addAll(List.of(sample));
            ablate.addAll(extra);
            run(ablate.toArray(String[]::new));
        }
        assertCsvClose(dir.resolve("f1m/expert_choice.csv"), dir.resolve("f1s/expert_choice.csv"), 1e-7);
        assertCsvClose(dir.resolve("stm/routing_metrics.csv"), dir.resolve("sts/routing_metrics.csv"), 1e-7);
        assertCsvClose(dir.resolve("abm/ablation.csv"), dir.resolve("abs/ablation.csv"), 1e-6);
        assertCsvClose(dir.resolve("abm/routing_shift.csv"), dir.resolve("abs/routing_shift.csv"), 0);

        JsonNode stream = JSON.readTree(dir.resolve("f1s/run.json").toFile()).get("stream");
        assertTrue(stream.get("groups").asInt() > 1, "groups in run.json");
        int layers = 0;
        for (JsonNode part : stream.get("parts")) {
            assertTrue(part.get("compute_seconds").asDouble() >= 0);
            layers += part.get("layer").isInt() ? 1 : 0;
        }
        assertEquals(26 * stream.get("groups").asInt(), layers, "every layer's wall time in run.json, per group");
        assertTrue(JSON.readTree(dir.resolve("f1m/run.json").toFile()).get("stream") == null);
    }

    @Test
    void probeStreamedEqualsInMemory(@TempDir Path dir) throws Exception {
        String text = "Proteins fold into shapes that decide what they do.";
        run("probe", "--text", text, "--out", dir.resolve("m.json").toString());
        CliRun s = run("probe", "--stream", "--text", text, "--out", dir.resolve("s.json").toString());
        JsonNode m = JSON.readTree(dir.resolve("m.json").toFile());
        JsonNode st = JSON.readTree(dir.resolve("s.json").toFile());
        for (String field : List.of("token_ids", "topk_experts")) {
            assertEquals(m.get(field), st.get(field), field);
        }
        assertEquals(m.get("nll").asDouble(), st.get("nll").asDouble(), 1e-6);
        JsonNode g0 = m.get("gate_logits");
        JsonNode g1 = st.get("gate_logits");
        for (int l = 0; l < g0.size(); l++) {
            for (int t = 0; t < g0.get(l).size(); t++) {
                for (int e = 0; e < g0.get(l).get(t).size(); e++) {
                    double a = g0.get(l).get(t).get(e).asDouble();
                    assertEquals(a, g1.get(l).get(t).get(e).asDouble(), 1e-6 * Math.max(1, Math.abs(a)));
                }
            }
        }
        assertEquals(28, st.get("stream").get("parts").size(), "embedding, 26 layers and the head timed");
        assertTrue(s.out().contains("26 layers"), s.out());
    }

    /** Layers completed, read from a stream checkpoint's header (magic, version, fingerprint, group, layers). */
    static int[] checkpointPosition(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.readLong();
            in.readInt();
            in.readUTF();
            return new int[] {in.readInt(), in.readInt()};
        }
    }

    @Test
    void aStreamedFigure1KilledMidRunResumesByteIdentical(@TempDir Path dir) throws Exception {
        String[] args = {"--per-class", "4", "--batch-docs", "1", "--iterations", "250", "--seed", "3", "--stream"};
        Path killed = dir.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of("figure1", "--out", killed.toString()));
        cmd.addAll(List.of(args));
        Process child = ChildCli.start(dir.resolve("child.log"), cmd);
        Path state = killed.resolve(".checkpoint").resolve("routing.jsonl.stream");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && child.isAlive() && !Files.exists(state)) {
            Thread.sleep(2);
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(dir.resolve("child.log")));
        child.destroyForcibly(); // SIGKILL, while a later layer is running
        child.waitFor();
        int[] at = checkpointPosition(state);
        assertTrue(at[1] >= 1 && at[1] < 26, "killed mid-run, after layer " + at[1]);
        assertTrue(!Files.exists(killed.resolve("expert_choice.csv")), "no final output yet");

        List<String> resume = new ArrayList<>(List.of("figure1", "--resume", killed.toString()));
        resume.addAll(List.of(args));
        run(resume.toArray(String[]::new));
        JsonNode record = JSON.readTree(killed.resolve("run.json").toFile());
        assertTrue(record.get("stream").get("resumed_layers").asInt() >= at[1],
                "layers taken from the checkpoint: " + record.get("stream").get("resumed_layers"));

        List<String> plain = new ArrayList<>(List.of("figure1", "--out", dir.resolve("straight").toString()));
        plain.addAll(List.of(args));
        run(plain.toArray(String[]::new));
        for (String f : List.of("expert_choice.csv", "tsne.csv", "metrics.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("straight").resolve(f)), Files.readAllBytes(killed.resolve(f)), f);
        }
    }
}
