package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.routing.Snapshots;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 an ablation sweep child about 30% in, inside its only batch; --resume finishes from the last layer
 * group it saved, with ablation.csv and routing_shift.csv identical to an uninterrupted sweep's.
 */
class AblateSweepKillTest {
    /** SciDFM-nano's 26 layers x 8 experts over 2 molecules: one batch, 208 ablated runs. */
    static final List<String> ARGS = List.of("--sweep", "--mode", "reroute", "--labels", "molecules", "--per-class", "2",
            "--seed", "5");
    static final int RUNS = 26 * 8;

    private static List<String> ablate(String folderOption, Path folder) {
        List<String> args = new ArrayList<>(List.of("ablate", folderOption, folder.toString()));
        args.addAll(ARGS);
        return args;
    }

    /** (batch, ablation) runs the snapshot in {@code state} has done, or -1 while it does not exist. */
    private static int runsDone(Path state) throws IOException {
        if (!Files.exists(state)) {
            return -1;
        }
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(state))) {
            int done = 0;
            for (boolean d : ((Snapshots.Snapshot) in.readObject()).batchesDone()) {
                done += d ? 1 : 0;
            }
            return done;
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    @Test
    void resumedSweepEqualsUninterruptedSweep(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        Path killed = dir.resolve("killed");
        Path state = killed.resolve(".checkpoint").resolve("sweep-reroute.state");
        Process child = ChildCli.start(dir.resolve("child.log"), ablate("--out", killed));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive() && runsDone(state) < RUNS * 3 / 10) {
            Thread.sleep(10);
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(dir.resolve("child.log")));
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        int doneAtKill = runsDone(state);
        assertTrue(doneAtKill >= RUNS * 3 / 10 && doneAtKill < RUNS, "killed part-way through the one batch: " + doneAtKill);
        assertFalse(Files.exists(killed.resolve("ablation.csv")), "no final output yet");

        // Every snapshot the resumed run writes holds at least what the killed one had: it went on, not over.
        List<Integer> seen = new ArrayList<>();
        AtomicBoolean resuming = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            try {
                while (resuming.get()) {
                    seen.add(runsDone(state));
                    Thread.sleep(5);
                }
            } catch (IOException | InterruptedException e) {
                seen.add(-2);
            }
        });
        watcher.start();
        CliRun resumed;
        try {
            // --keep-checkpoint: the watcher reads the state file until the run has returned
            List<String> args = ablate("--resume", killed);
            args.add("--keep-checkpoint");
            resumed = CliRun.of(args.toArray(String[]::new));
        } finally {
            resuming.set(false);
            watcher.join();
        }
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(seen.stream().allMatch(n -> n >= doneAtKill), "a snapshot below the killed one's " + doneAtKill + ": " + seen);
        assertTrue(seen.stream().anyMatch(n -> n > doneAtKill), "the resumed run saved its own progress: " + seen);

        Path straight = dir.resolve("straight");
        CliRun uninterrupted = CliRun.of(ablate("--out", straight).toArray(String[]::new));
        assertEquals(0, uninterrupted.exit(), uninterrupted.err());
        for (String f : List.of("ablation.csv", "routing_shift.csv")) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(killed.resolve(f)), f);
        }
        assertTrue(Files.exists(state), "--keep-checkpoint kept the sweep's state");
        assertFalse(Files.exists(straight.resolve(".checkpoint")), "a finished run removes its checkpoint");
        System.out.printf("AblateSweepKillTest: killed at %d of %d runs; %.1f s in all%n", doneAtKill, RUNS,
                (System.nanoTime() - started) / 1e9);
    }
}
