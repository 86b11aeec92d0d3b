package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.core.InputKind;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import dev.routelens.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted part-way and resumed from its checkpoint ends exactly as an uninterrupted one. */
class ResumeTest {
    static final MoeConfig CONFIG = new MoeConfig("mixtral", 40, 16, 2, 2, 2, 16, 4, 2, 1e-6, 10000, 16, false, 1, 2);
    static MoeTransformer model;
    static List<LabeledTokens> docs;

    /** Thrown by a progress callback to simulate a crash. */
    static final class Crash extends RuntimeException {
    }

    @BeforeAll
    static void load() throws Exception {
        model = MoeTransformer.create(CONFIG, new RandomWeights(2, 0.3), Device.cpu(), Precision.F32);
        Random r = new Random(6);
        docs = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            int[] ids = new int[3 + r.nextInt(25)];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = r.nextInt(CONFIG.vocabSize());
            }
            docs.add(new LabeledTokens("d" + i, i % 2 == 0 ? "a" : "b", InputKind.TEXT, ids));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Probe probe() {
        return new Probe(model).batchLimits(4096, 1);
    }

    @Test
    void metricsRunResumesFromItsSnapshot(@TempDir Path dir) throws Exception {
        RoutingMetrics straight = new RoutingMetrics(2, 4, 2);
        RoutingPass.Result expected = new RoutingPass(probe()).run(docs, straight, null, n -> { });
        Path checkpoint = dir.resolve("stats.jsonl");
        RoutingMetrics first = new RoutingMetrics(2, 4, 2);
        assertThrows(Crash.class, () -> new RoutingPass(probe()).run(docs, first, checkpoint, n -> {
            if (n > RoutingPass.SNAPSHOT_EVERY + 2) {
                throw new Crash();
            }
        }));
        RoutingMetrics resumedMetrics = new RoutingMetrics(2, 4, 2);
        RoutingPass.Result resumed = new RoutingPass(probe()).run(docs, resumedMetrics, checkpoint, n -> { });
        assertTrue(resumed.resumedBatches() >= RoutingPass.SNAPSHOT_EVERY, "batches from the snapshot: " + resumed.resumedBatches());
        for (int d = 0; d < docs.size(); d++) {
            assertArrayEquals(expected.expertChoice(d), resumed.expertChoice(d));
        }
        straight.report().writeMetricsCsv(dir.resolve("a.csv"));
        resumedMetrics.report().writeMetricsCsv(dir.resolve("b.csv"));
        assertEquals(Files.readString(dir.resolve("a.csv")), Files.readString(dir.resolve("b.csv")));
        // the whole report, so every counter (transitions, slot counts per class) is in the snapshot
        assertEquals(straight.report(), resumedMetrics.report());
        assertTrue(straight.report().transitions(RoutingReport.ALL_CLASSES, 0).counts()[0].length > 0);
    }

    @Test
    void sweepResumesFromItsSnapshot(@TempDir Path dir) throws Exception {
        AblationSweep expected = new AblationStudy(probe()).sweep(docs, AblationMode.ZERO, 0, true, n -> { });
        Path checkpoint = dir.resolve("sweep.state");
        int perBatch = CONFIG.numLayers() * CONFIG.numExperts();
        assertThrows(Crash.class, () -> new AblationStudy(probe()).sweep(docs, AblationMode.ZERO, 0, true, n -> {
            if (n > 3 * perBatch + 2) {
                throw new Crash();
            }
        }, checkpoint));
        long[] firstProgress = {-1};
        AblationSweep resumed = new AblationStudy(probe()).sweep(docs, AblationMode.ZERO, 0, true, n -> {
            if (firstProgress[0] < 0) {
                firstProgress[0] = n;
            }
        }, checkpoint);
        assertEquals(perBatch, firstProgress[0], "the first finished batch was skipped, not recomputed");
        for (String label : List.of("a", "b", RoutingReport.ALL_CLASSES)) {
            double[][] x = expected.deltas(label);
            double[][] y = resumed.deltas(label);
            for (int l = 0; l < x.length; l++) {
                assertArrayEquals(x[l], y[l], label);
            }
        }
        Path other = dir.resolve("other.state");
        Files.copy(checkpoint, other);
        List<LabeledTokens> fewer = docs.subList(0, 5);
        assertThrows(IllegalArgumentException.class,
                () -> new AblationStudy(probe()).sweep(fewer, AblationMode.ZERO, 0, true, n -> { }, other));
    }
    @Test
    void sweepResumesWithinABatchFromItsLastLayerGroup(@TempDir Path dir) throws Exception {
        Probe oneBatch = new Probe(model).batchLimits(4096, 64); // few batches, each running every ablation
        AblationSweep expected = new AblationStudy(oneBatch).sweep(docs, AblationMode.REROUTE, 0, true, n -> { });
        Path checkpoint = dir.resolve("sweep.state");
        int perLayer = CONFIG.numExperts();
        assertThrows(Crash.class, () -> new AblationStudy(oneBatch).sweep(docs, AblationMode.REROUTE, 0, true, n -> {
            if (n > perLayer) { // layer 0's group is saved; layer 1's first run is done but not yet saved
                throw new Crash();
            }
        }, checkpoint));
        List<Long> progress = new ArrayList<>();
        AblationSweep resumed = new AblationStudy(oneBatch).sweep(docs, AblationMode.REROUTE, 0, true, progress::add,
                checkpoint);
        assertEquals(perLayer + 1, progress.get(0), "layer 0's ablations were taken from the snapshot, not rerun");
        long runs = new AblationStudy(oneBatch).sweepRuns(docs, AblationMode.REROUTE);
        assertEquals(runs, progress.get(progress.size() - 1));
        assertEquals(runs - perLayer, progress.size(), "each remaining run reported once");
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        AblationSweep.writeResultsCsv(a, expected.results());
        AblationSweep.writeResultsCsv(b, resumed.results());
        assertEquals(Files.readString(a), Files.readString(b));
        AblationSweep.writeShiftCsv(a, expected.results());
        AblationSweep.writeShiftCsv(b, resumed.results());
        assertEquals(Files.readString(a), Files.readString(b));
        for (int i = 0; i < expected.results().size(); i++) {
            assertEquals(expected.results().get(i).classes(), resumed.results().get(i).classes(), "bit for bit");
        }
    }

    @Test
    void aSweepSnapshotThatDoesNotFitIsAnErrorNamingItsFile(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("sweep.state");
        new AblationStudy(probe()).sweep(docs, AblationMode.ZERO, 0, true, n -> { }, checkpoint);
        Snapshots.Snapshot saved;
        try (var in = new java.io.ObjectInputStream(Files.newInputStream(checkpoint))) {
            saved = (Snapshots.Snapshot) in.readObject();
        }
        boolean[] perBatch = new boolean[docs.size()]; // the old format: one flag per batch
        java.util.Arrays.fill(perBatch, true);
        Snapshots.save(checkpoint, new Snapshots.Snapshot(saved.fingerprint(), perBatch, saved.state()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AblationStudy(probe()).sweep(docs, AblationMode.ZERO, 0, true, n -> { }, checkpoint));
        assertTrue(e.getMessage().startsWith(checkpoint + ": checkpoint does not fit this sweep of ")
                && e.getMessage().contains(" batches x 8 ablations (9 done flags)"), e.getMessage());
    }
}
