package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume DIR} continues only the run in DIR: another mode, seed or sample set, or another command, is
 * refused by name before any work, and the finished results stay byte for byte. A finished run's checkpoint is
 * removed, unless --keep-checkpoint; run.json keeps its inputs, so a resume of it is still checked.
 */
class ResumeInputsTest {
    private static final String[] SMALL = {"--labels", "molecules", "--per-class", "1"};

    private static String[] args(String[] head, String... tail) {
        String[] all = new String[head.length + SMALL.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(SMALL, 0, all, head.length, SMALL.length);
        System.arraycopy(tail, 0, all, head.length + SMALL.length, tail.length);
        return all;
    }

    @Test
    void ablateResumeWithAnotherModeIsRefusedAndKeepsTheSweep(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("sweep");
        CliRun first = CliRun.of(args(new String[] {"ablate", "--sweep", "--mode", "top-r", "--out", run.toString()}));
        assertEquals(0, first.exit(), first.err());
        byte[] csv = Files.readAllBytes(run.resolve("ablation.csv"));

        CliRun other = CliRun.of(args(new String[] {"ablate", "--sweep", "--mode", "zero", "--resume", run.toString()}));
        assertNotEquals(0, other.exit());
        assertTrue(other.err().contains("--mode zero (that run: top-r)"), other.err());
        assertEquals(1, other.err().strip().lines().filter(l -> l.startsWith("routelens:")).count(), other.err());
        assertArrayEquals(csv, Files.readAllBytes(run.resolve("ablation.csv")), "the finished sweep is kept");

        CliRun more = CliRun.of("ablate", "--labels", "molecules", "--per-class", "2", "--sweep", "--mode", "top-r",
                "--resume", run.toString());
        assertNotEquals(0, more.exit());
        assertTrue(more.err().contains("--per-class 2 (that run: 1)") && more.err().contains("documents"), more.err());

        CliRun same = CliRun.of(args(new String[] {"ablate", "--sweep", "--mode", "top-r", "--resume", run.toString()}));
        assertEquals(0, same.exit(), same.err());
        assertArrayEquals(csv, Files.readAllBytes(run.resolve("ablation.csv")), "a resume of a finished sweep gives it again");
    }

    @Test
    void figure1ResumeWithAnotherSeedOrCommandIsRefused(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("fig");
        String[] f1 = {"figure1", "--per-class", "2", "--iterations", "50", "--seed", "1"};
        String[] start = new String[f1.length + 2];
        System.arraycopy(f1, 0, start, 0, f1.length);
        start[f1.length] = "--out";
        start[f1.length + 1] = run.toString();
        CliRun first = CliRun.of(start);
        assertEquals(0, first.exit(), first.err());
        byte[] tsne = Files.readAllBytes(run.resolve("tsne.csv"));

        CliRun reseeded = CliRun.of("figure1", "--per-class", "2", "--iterations", "50", "--seed", "2", "--resume",
                run.toString());
        assertNotEquals(0, reseeded.exit());
        assertTrue(reseeded.err().contains("--seed 2 (that run: 1)"), reseeded.err());
        assertArrayEquals(tsne, Files.readAllBytes(run.resolve("tsne.csv")));

        CliRun stats = CliRun.of("stats", "--per-class", "2", "--resume", run.toString());
        assertNotEquals(0, stats.exit());
        assertTrue(stats.err().contains("holds a figure1 run, not a stats run"), stats.err());
    }

    @Test
    void aFinishedRunRemovesItsCheckpointAndItsResumeFindsNothingToDo(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("stats");
        CliRun first = CliRun.of(args(new String[] {"stats", "--out", run.toString()}));
        assertEquals(0, first.exit(), first.err());
        assertFalse(Files.exists(run.resolve(".checkpoint")), "a successful run removes its checkpoint");
        JsonNode record = new ObjectMapper().readTree(run.resolve("run.json").toFile());
        assertEquals("stats", record.get("command").asText());
        assertEquals("42", record.get("inputs").get("--seed").asText(), "run.json keeps the inputs");
        FileTime written = Files.getLastModifiedTime(run.resolve("routing_metrics.csv"));

        CliRun again = CliRun.of(args(new String[] {"stats", "--resume", run.toString()}));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("nothing to resume"), again.out());
        assertEquals(written, Files.getLastModifiedTime(run.resolve("routing_metrics.csv")), "nothing rewritten");

        CliRun reseeded = CliRun.of(args(new String[] {"stats", "--seed", "7", "--resume", run.toString()}));
        assertNotEquals(0, reseeded.exit());
        assertTrue(reseeded.err().contains("--seed 7 (that run: 42)"), reseeded.err());

        Path kept = dir.resolve("kept");
        CliRun keep = CliRun.of(args(new String[] {"stats", "--keep-checkpoint", "--out", kept.toString()}));
        assertEquals(0, keep.exit(), keep.err());
        assertTrue(Files.exists(kept.resolve(".checkpoint").resolve("inputs.json")), "--keep-checkpoint keeps it");
        byte[] csv = Files.readAllBytes(kept.resolve("routing_metrics.csv"));
        CliRun resumed = CliRun.of(args(new String[] {"stats", "--resume", kept.toString()}));
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().startsWith("stats:"), "a kept checkpoint is resumed: " + resumed.out());
        assertArrayEquals(csv, Files.readAllBytes(kept.resolve("routing_metrics.csv")));
        assertFalse(Files.exists(kept.resolve(".checkpoint")), "and removed once that run succeeds");
    }

    @Test
    void aCheckpointWithoutARecordIsNotResumedBlindly(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("old");
        Files.createDirectories(run.resolve(".checkpoint"));
        Files.writeString(run.resolve(".checkpoint").resolve("stats.jsonl"), "{}\n");
        CliRun r = CliRun.of(args(new String[] {"stats", "--resume", run.toString()}));
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("has no inputs.json"), r.err());
        assertTrue(Files.exists(run.resolve(".checkpoint").resolve("stats.jsonl")), "nothing removed");
    }
}
