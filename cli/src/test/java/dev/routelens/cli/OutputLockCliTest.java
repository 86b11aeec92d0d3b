package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.OutputLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs on one output folder: while another process holds it, figure1, stats, ablate, train, evaluate, probe and
 * bench are refused naming that process, before they write anything, and the first run's results stay as they were.
 */
class OutputLockCliTest {

    @Test
    void aSecondRunOnAHeldFolderIsRefusedNamingThePidAndTheFirstRunsFilesStay(@TempDir Path dir) throws Exception {
        String tiny = TinyModels.tinyConfig(dir).toString();
        String docs = TinyModels.docs(dir.resolve("docs.csv"), 3, "mathematics", "physics").toString();
        Path out = dir.resolve("out");
        CliRun first = CliRun.of("figure1", "--random-init", tiny, "--samples", docs, "--out", out.toString(), "--seed", "1",
                "--iterations", "250");
        assertEquals(0, first.exit(), first.err());
        Map<String, byte[]> results = snapshot(out);
        assertTrue(results.containsKey("expert_choice.csv") && results.containsKey("tsne.csv"), results.keySet().toString());
        Path trainConfig = Files.writeString(dir.resolve("train.json"), "{\"steps\": 1, \"warmup_steps\": 0, \"samples_dir\": \".\"}");
        Path evalConfig = Files.writeString(dir.resolve("eval.json"), "{\"steps\": 1, \"warmup_steps\": 0, \"corpus_dir\": \".\"}");
        String weightless = TinyModels.weightless(dir.resolve("weightless")).toString();

        Path log = dir.resolve("holder.log");
        Process holder = ChildCli.start(log, HoldFolder.class, List.of(out.toString()));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("holding") && holder.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(log).contains("holding " + holder.pid()), Files.readString(log));
            String expected = out + ": another RouteLens run is writing here (pid " + holder.pid() + ")";
            List<List<String>> seconds = List.of(
                    List.of("figure1", "--random-init", tiny, "--samples", docs, "--out", out.toString(), "--seed", "2"),
                    List.of("figure1", "--random-init", tiny, "--samples", docs, "--resume", out.toString(), "--seed", "1"),
                    List.of("stats", "--random-init", tiny, "--samples", docs, "--out", out.toString()),
                    List.of("ablate", "--random-init", tiny, "--samples", docs, "--layer", "0", "--expert", "0", "--out",
                            out.toString()),
                    List.of("ablate", "--random-init", tiny, "--samples", docs, "--sweep", "--resume", out.toString()),
                    List.of("train", "--config", trainConfig.toString(), "--out", out.toString()),
                    List.of("evaluate", "--model", weightless, "--config", evalConfig.toString(), "--out",
                            out.resolve("e.json").toString()),
                    List.of("probe", "--random-init", tiny, "--text", "hi", "--out", out.resolve("p.json").toString()),
                    List.of("bench", "--random-init", tiny, "--batch", "1", "--tokens", "4", "--out", out.resolve("b.json").toString()));
            for (List<String> args : seconds) {
                String line = TinyModels.refusal(CliRun.of(args.toArray(String[]::new)));
                assertTrue(line.contains(expected), args.get(0) + ": " + line);
            }
            Map<String, byte[]> after = snapshot(out);
            assertEquals(results.keySet(), after.keySet(), "no file added or removed");
            for (String f : results.keySet()) {
                assertArrayEquals(results.get(f), after.get(f), f);
            }
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(30, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
        CliRun next = CliRun.of("probe", "--random-init", tiny, "--text", "hi", "--out", out.resolve("p.json").toString());
        assertEquals(0, next.exit(), "the hold ends with its process: " + next.err());
    }

    /** Every file under {@code dir} but the lock file (which names the last holder), by relative path. */
    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().equals(OutputLock.FILE_NAME)) {
                    files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }
}
