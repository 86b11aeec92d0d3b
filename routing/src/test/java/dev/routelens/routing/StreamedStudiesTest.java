package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.core.InputKind;
import dev.routelens.model.LayerTiming;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.StreamControl;
import dev.routelens.model.StreamState;
import dev.routelens.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figure 1's E_T, stats, a single ablation and a sweep give the same numbers on a layer-streamed model
 * as on the in-memory one (grouped KV heads, several batches, small budgets forcing several groups), and
 * a streamed pass killed mid-run resumes from its last completed layer with identical results.
 */
class StreamedStudiesTest {
    static final MoeConfig CONFIG = new MoeConfig("mixtral", 40, 16, 3, 4, 2, 16, 4, 2, 1e-6, 10000, 16, false, 1, 2);
    static final RandomWeights WEIGHTS = new RandomWeights(3, 0.3);
    static MoeTransformer memory;
    static MoeTransformer streamed;
    static List<LabeledTokens> docs;

    /** Thrown by a stream control to simulate a crash. */
    static final class Crash extends RuntimeException {
    }

    /** A budget, and a crash after {@code crashAfter} decoder layers (counted over all groups). */
    record Budget(long bytes, int crashAfter, List<LayerTiming> seen) implements StreamControl {
        Budget(long bytes) {
            this(bytes, Integer.MAX_VALUE, new ArrayList<>());
        }

        @Override
        public long memoryBudget() {
            return bytes;
        }

        @Override
        public void layerDone(LayerTiming timing, Supplier<StreamState> state) {
            seen.add(timing);
            long layers = seen.stream().filter(t -> t.layer() >= 0 && t.layer() < CONFIG.numLayers()).count();
            if (layers >= crashAfter) {
                throw new Crash();
            }
        }
    }

    @BeforeAll
    static void load() throws Exception {
        memory = MoeTransformer.create(CONFIG, WEIGHTS, Device.cpu(), Precision.F32);
        streamed = MoeTransformer.streamed(CONFIG, WEIGHTS, null, Device.cpu(), Precision.F32);
        Random r = new Random(6);
        docs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            int[] ids = new int[3 + r.nextInt(30)]; // some longer than the 16-token context: chunked
            for (int t = 0; t < ids.length; t++) {
                ids[t] = r.nextInt(CONFIG.vocabSize());
            }
            docs.add(new LabeledTokens("d" + i, i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c", InputKind.TEXT, ids));
        }
    }

    @AfterAll
    static void close() {
        memory.close();
        streamed.close();
    }

    static Probe probe(MoeTransformer model, StreamControl control) {
        return new Probe(model).batchLimits(40, 3).streaming(control);
    }

    @Test
    void expertChoiceAndStatsMatchTheInMemoryModel(@TempDir Path dir) throws Exception {
        RoutingMetrics wantMetrics = RoutingMetrics.forConfig(CONFIG);
        RoutingPass.Result want = new RoutingPass(probe(memory, StreamControl.NONE)).run(docs, wantMetrics, null, n -> { });
        for (long budget : new long[] {Long.MAX_VALUE, 60L * CONFIG.hiddenSize() * 4}) {
            RoutingMetrics gotMetrics = RoutingMetrics.forConfig(CONFIG);
            Budget control = new Budget(budget);
            RoutingPass pass = new RoutingPass(probe(streamed, control));
            long[] last = {0};
            RoutingPass.Result got = pass.run(docs, gotMetrics, null, n -> last[0] = n);
            assertEquals(pass.progressUnits(docs), last[0], "progress reaches its total");
            assertTrue(got.groups() >= (budget == Long.MAX_VALUE ? 1 : 2), "groups: " + got.groups());
            assertEquals(got.groups() * (CONFIG.numLayers() + 1), got.layerTimings().size(),
                    "embedding and every layer timed per group (no head: no NLL asked)");
            for (int d = 0; d < docs.size(); d++) {
                double[] a = want.expertChoice(d);
                double[] b = got.expertChoice(d);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-7, "E_T of " + docs.get(d).id() + " column " + i);
                }
                assertEquals(want.tokens()[d], got.tokens()[d]);
                assertArrayEquals(want.chunks(), got.chunks());
            }
            wantMetrics.report().writeMetricsCsv(dir.resolve("want.csv"));
            gotMetrics.report().writeMetricsCsv(dir.resolve("got.csv"));
            assertEquals(Files.readString(dir.resolve("want.csv")), Files.readString(dir.resolve("got.csv")),
                    "routing metrics identical");
        }
    }

    @Test
    void aKilledStreamedPassResumesFromItsLastLayer(@TempDir Path dir) throws Exception {
        long budget = 60L * CONFIG.hiddenSize() * 4;
        RoutingPass.Result want = new RoutingPass(probe(streamed, new Budget(budget))).run(docs, null, null, n -> { });
        Path checkpoint = dir.resolve("routing.jsonl");
        assertThrows(Crash.class, () -> new RoutingPass(probe(streamed,
                new Budget(budget, CONFIG.numLayers() + 1, new ArrayList<>()))).run(docs, null, checkpoint, n -> { }));
        assertTrue(Files.exists(dir.resolve("routing.jsonl.stream")), "a layer checkpoint was left");
        Budget resumedControl = new Budget(budget);
        RoutingPass.Result resumed = new RoutingPass(probe(streamed, resumedControl)).run(docs, null, checkpoint, n -> { });
        assertEquals(CONFIG.numLayers() + 1, resumed.resumedLayers(), "first group whole, one layer of the second");
        assertTrue(resumedControl.seen().stream().noneMatch(t -> t.group() == 0), "group 0 is not run again");
        for (int d = 0; d < docs.size(); d++) {
            assertArrayEquals(want.expertChoice(d), resumed.expertChoice(d), "bit-identical E_T of " + docs.get(d).id());
        }
        // Another budget makes other groups: the checkpoint belongs to another run and is refused.
        var e = assertThrows(java.io.IOException.class, () -> new RoutingPass(probe(streamed, new Budget(Long.MAX_VALUE)))
                .run(docs, null, checkpoint, n -> { }));
        assertTrue(e.getMessage().contains("different"), e.getMessage());
    }

    @Test
    void aSingleAblationMatchesTheInMemoryModel() {
        // zero-shared needs a shared expert, which Mixtral lacks: FamilyRoutingTest runs it streamed on Qwen2-MoE.
        for (AblationMode mode : List.of(AblationMode.REROUTE, AblationMode.ZERO, AblationMode.TOP_R)) {
            Ablation a = new Ablation(1, 2, mode, mode == AblationMode.TOP_R ? 1 : 0);
            AblationResult want = new AblationStudy(probe(memory, StreamControl.NONE)).run(docs, a);
            AblationResult got = new AblationStudy(probe(streamed, new Budget(50L * CONFIG.hiddenSize() * 4))).run(docs, a);
            assertSameResult(want, got, mode.id());
        }
    }

    @Test
    void aSweepMatchesTheInMemorySweepAndResumes(@TempDir Path dir) throws Exception {
        AblationSweep want = new AblationStudy(probe(memory, StreamControl.NONE))
                .sweep(docs, AblationMode.REROUTE, 0, true, n -> { });
        AblationSweep got = new AblationStudy(probe(streamed, new Budget(Long.MAX_VALUE)))
                .sweep(docs, AblationMode.REROUTE, 0, true, n -> { });
        assertEquals(want.results().size(), got.results().size());
        for (int i = 0; i < want.results().size(); i++) {
            assertSameResult(want.results().get(i), got.results().get(i), "sweep " + i);
        }
        Path checkpoint = dir.resolve("sweep.state");
        assertThrows(Crash.class, () -> new AblationStudy(probe(streamed, StreamControl.NONE))
                .sweep(docs, AblationMode.REROUTE, 0, true, n -> {
                    if (n >= 2L * CONFIG.numExperts()) {
                        throw new Crash();
                    }
                }, checkpoint));
        AblationSweep resumed = new AblationStudy(probe(streamed, StreamControl.NONE))
                .sweep(docs, AblationMode.REROUTE, 0, true, n -> { }, checkpoint);
        for (int i = 0; i < want.results().size(); i++) {
            assertSameResult(got.results().get(i), resumed.results().get(i), "resumed sweep " + i);
        }
        assertTrue(!Files.exists(dir.resolve("sweep.state.resid")), "the finished sweep's resid.mid cache is gone");
    }

    static void assertSameResult(AblationResult want, AblationResult got, String label) {
        assertEquals(want.ablation(), got.ablation());
        assertEquals(want.classes().size(), got.classes().size());
        for (int c = 0; c < want.classes().size(); c++) {
            var a = want.classes().get(c);
            var b = got.classes().get(c);
            assertEquals(a.label(), b.label());
            assertEquals(a.nllBase(), b.nllBase(), 1e-6, label + " base NLL " + a.label());
            assertEquals(a.nllAblated(), b.nllAblated(), 1e-6, label + " ablated NLL " + a.label());
            assertEquals(a.tokens(), b.tokens());
            assertArrayEquals(want.routingShift().get(a.label()), got.routingShift().get(a.label()), 0,
                    label + " routing shift " + a.label());
        }
    }
}
