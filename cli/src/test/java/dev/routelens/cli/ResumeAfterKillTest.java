package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 a figure1 child part-way; --resume finishes with output identical to an uninterrupted run. */
class ResumeAfterKillTest {
    static final String[] ARGS = {"--per-class", "6", "--batch-docs", "1", "--iterations", "250", "--seed", "3"};

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        Path killed = dir.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of("figure1", "--out", killed.toString()));
        cmd.addAll(List.of(ARGS));
        Process child = ChildCli.start(dir.resolve("child.log"), cmd);
        Path checkpoint = killed.resolve(".checkpoint").resolve("routing.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(checkpoint) && Files.readAllLines(checkpoint).size() >= 8) {
                break;
            }
            Thread.sleep(5);
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(dir.resolve("child.log")));
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        int linesAtKill = Files.readAllLines(checkpoint).size();
        assertTrue(linesAtKill < 1 + 36, "killed part-way, not after the last batch");
        assertTrue(!Files.exists(killed.resolve("expert_choice.csv")), "no final output yet");

        String[] resume = new String[3 + ARGS.length];
        resume[0] = "figure1";
        resume[1] = "--resume";
        resume[2] = killed.toString();
        System.arraycopy(ARGS, 0, resume, 3, ARGS.length);
        CliRun resumed = CliRun.of(resume);
        assertEquals(0, resumed.exit(), resumed.err());
        int restored = new ObjectMapper().readTree(killed.resolve("run.json").toFile()).get("resumed_batches").asInt();
        assertTrue(restored >= 7, "batches taken from the checkpoint: " + restored);

        Path straight = dir.resolve("straight");
        String[] plain = new String[3 + ARGS.length];
        plain[0] = "figure1";
        plain[1] = "--out";
        plain[2] = straight.toString();
        System.arraycopy(ARGS, 0, plain, 3, ARGS.length);
        CliRun uninterrupted = CliRun.of(plain);
        assertEquals(0, uninterrupted.exit(), uninterrupted.err());
        for (String f : List.of("expert_choice.csv", "tsne.csv", "metrics.json")) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(killed.resolve(f)), f);
        }
    }
}
