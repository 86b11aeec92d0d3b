package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.core.InputKind;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.StreamControl;
import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.Hook;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every routing study on a family whose layers are not all MoE layers: a Qwen2-MoE config with a dense
 * layer 0 ({@code mlp_only_layers}), 16 experts, top-3 without renormalisation, and a shared expert. E_T,
 * metrics and ablations cover layers 1..3 and name them by real index; streamed runs equal in-memory ones;
 * a dense layer and a missing shared expert are refused by name; zeroing the shared expert moves the NLL and
 * leaves the routing up to its layer alone.
 */
class FamilyRoutingTest {
    static final String QWEN2_MOE = """
            {"model_type": "qwen2_moe", "vocab_size": 40, "hidden_size": 16, "num_hidden_layers": 4,
             "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 24,
             "moe_intermediate_size": 8, "shared_expert_intermediate_size": 12, "num_experts": 16,
             "num_experts_per_tok": 3, "norm_topk_prob": false, "mlp_only_layers": [0], "decoder_sparse_step": 1,
             "max_position_embeddings": 16, "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "qkv_bias": true,
             "tie_word_embeddings": false}
            """;
    static final MoeConfig CONFIG;
    static final int[] MOE_LAYERS = {1, 2, 3};
    static final RandomWeights WEIGHTS = new RandomWeights(11, 0.3);
    static MoeTransformer memory;
    static MoeTransformer streamed;
    static List<LabeledTokens> docs;

    static {
        try {
            CONFIG = MoeConfig.fromJson(new ObjectMapper().readTree(QWEN2_MOE));
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @BeforeAll
    static void load() throws Exception {
        assertArrayEquals(MOE_LAYERS, CONFIG.moeLayers(), "the config this test is about");
        assertTrue(CONFIG.arch().sharedExpertSize() > 0);
        memory = MoeTransformer.create(CONFIG, WEIGHTS, Device.cpu(), Precision.F32);
        streamed = MoeTransformer.streamed(CONFIG, WEIGHTS, null, Device.cpu(), Precision.F32);
        Random r = new Random(5);
        docs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] ids = new int[3 + r.nextInt(24)]; // some longer than the 16-token context: chunked
            for (int t = 0; t < ids.length; t++) {
                ids[t] = r.nextInt(CONFIG.vocabSize());
            }
            docs.add(new LabeledTokens("d" + i, i % 2 == 0 ? "a" : "b", InputKind.TEXT, ids));
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
    void expertChoiceAndMetricsCoverTheMoeLayersNamedByRealIndex(@TempDir Path dir) throws Exception {
        RoutingMetrics metrics = RoutingMetrics.forConfig(CONFIG);
        RoutingPass.Result result = new RoutingPass(probe(memory, StreamControl.NONE)).run(docs, metrics, null, n -> { });
        assertArrayEquals(MOE_LAYERS, result.layers());
        assertEquals(3, result.logitSums()[0].length, "one sum per MoE layer");
        ExpertChoiceTable.Builder builder = ExpertChoiceTable.builder(CONFIG);
        for (int d = 0; d < docs.size(); d++) {
            builder.add(docs.get(d).id(), docs.get(d).label(), docs.get(d).kind(), result.expertChoice(d));
        }
        ExpertChoiceTable table = builder.build();
        assertEquals(3 * 16, table.width());
        assertEquals(CONFIG.expertChoiceWidth(), table.width());
        assertArrayEquals(MOE_LAYERS, table.layers());
        List<String> columns = table.columnNames();
        assertEquals("L1E0", columns.get(0));
        assertEquals("L1E15", columns.get(15));
        assertEquals("L2E0", columns.get(16));
        assertEquals("L3E15", columns.get(47));
        assertTrue(columns.stream().noneMatch(c -> c.startsWith("L0E")), "dense layer 0 has no columns");
        Path csv = dir.resolve("expert_choice.csv");
        table.writeCsv(csv);
        String header = Files.readAllLines(csv).get(0);
        assertTrue(header.startsWith("id,label,kind,L1E0,L1E1,") && header.endsWith(",L3E14,L3E15"), header);
        assertEquals(3 + 48, header.split(",").length);
        ExpertChoiceTable back = ExpertChoiceTable.readCsv(csv);
        assertEquals(table, back);
        assertArrayEquals(MOE_LAYERS, back.layers());
        Path unordered = Files.writeString(dir.resolve("unordered.csv"), "id,label,kind,L2E0,L2E1,L1E0,L1E1\nx,a,text,1,0,1,0\n");
        var refused = assertThrows(java.io.IOException.class, () -> ExpertChoiceTable.readCsv(unordered));
        assertTrue(refused.getMessage().contains("unordered.csv") && refused.getMessage().contains("ascending"),
                refused.getMessage());
        for (int d = 0; d < docs.size(); d++) {
            double[] v = table.vectors()[d];
            for (int l = 0; l < 3; l++) {
                assertEquals(1.0, Arrays.stream(v, 16 * l, 16 * (l + 1)).sum(), 1e-12, "each MoE layer is a distribution");
            }
        }

        RoutingReport report = metrics.report();
        assertEquals(3, report.numLayers());
        assertArrayEquals(MOE_LAYERS, report.layers());
        assertEquals(3 * 3, report.rows().size(), "classes a, b and the pooled row, three MoE layers each");
        assertThrows(IllegalArgumentException.class, () -> report.row("a", 0), "dense layer 0 has no row");
        assertEquals(1.0, Arrays.stream(report.row(RoutingReport.ALL_CLASSES, 3).expertShare()).sum(), 1e-12);
        report.writeMetricsCsv(dir.resolve("metrics.csv"));
        Set<String> layers = new TreeSet<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.csv")).subList(1, 10)) {
            layers.add(line.split(",")[1]);
        }
        assertEquals(Set.of("1", "2", "3"), layers, "metrics rows name the real layers");
        report.writeJson(dir.resolve("report.json"));
        assertArrayEquals(MOE_LAYERS, RoutingReport.readJson(dir.resolve("report.json")).layers());
    }

    @Test
    void theStreamedPassEqualsTheInMemoryOneAndResumes(@TempDir Path dir) throws Exception {
        RoutingMetrics wantMetrics = RoutingMetrics.forConfig(CONFIG);
        RoutingPass.Result want = new RoutingPass(probe(memory, StreamControl.NONE)).run(docs, wantMetrics, null, n -> { });
        long budget = 40L * CONFIG.hiddenSize() * 4; // forces several groups
        RoutingMetrics gotMetrics = RoutingMetrics.forConfig(CONFIG);
        RoutingPass.Result got = new RoutingPass(probe(streamed, new StreamedStudiesTest.Budget(budget)))
                .run(docs, gotMetrics, null, n -> { });
        assertTrue(got.groups() >= 2, "groups: " + got.groups());
        assertArrayEquals(MOE_LAYERS, got.layers());
        for (int d = 0; d < docs.size(); d++) {
            assertArrayEquals(want.expertChoice(d), got.expertChoice(d), 1e-7, "E_T of " + docs.get(d).id());
        }
        wantMetrics.report().writeMetricsCsv(dir.resolve("want.csv"));
        gotMetrics.report().writeMetricsCsv(dir.resolve("got.csv"));
        assertEquals(Files.readString(dir.resolve("want.csv")), Files.readString(dir.resolve("got.csv")));

        // Killed after layer 2 of the first group (dense layer 0 and MoE layer 1 done): resumes there.
        Path checkpoint = dir.resolve("routing.jsonl");
        assertThrows(StreamedStudiesTest.Crash.class, () -> new RoutingPass(probe(streamed,
                new StreamedStudiesTest.Budget(budget, 2, new ArrayList<>()))).run(docs, null, checkpoint, n -> { }));
        RoutingPass.Result resumed = new RoutingPass(probe(streamed, new StreamedStudiesTest.Budget(budget)))
                .run(docs, null, checkpoint, n -> { });
        assertEquals(2, resumed.resumedLayers());
        for (int d = 0; d < docs.size(); d++) {
            assertArrayEquals(got.expertChoice(d), resumed.expertChoice(d), "bit-identical E_T of " + docs.get(d).id());
        }
    }

    @Test
    void aDenseLayerAndAMissingSharedExpertAreRefusedByName() {
        for (AblationMode mode : AblationMode.values()) {
            Ablation a = new Ablation(0, 1, mode, mode == AblationMode.TOP_R ? 1 : 0);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new AblationStudy(probe(memory, StreamControl.NONE)).run(docs, a), mode.id());
            assertTrue(e.getMessage().contains("layer 0 is a dense layer") && e.getMessage().contains("qwen2_moe")
                    && e.getMessage().contains("1, 2, 3"), e.getMessage());
        }
        var past = assertThrows(IllegalArgumentException.class, () -> Ablation.zeroShared(4).check(CONFIG));
        assertTrue(past.getMessage().contains("layer 4") && past.getMessage().contains("4 layers"), past.getMessage());

        MoeConfig mixtral = new MoeConfig("mixtral", 40, 16, 3, 4, 2, 16, 4, 2, 1e-6, 10000, 16, false, 1, 2);
        for (Ablation a : List.of(Ablation.zeroShared(1), Ablation.zeroShared(Ablation.ALL_LAYERS))) {
            var e = assertThrows(IllegalArgumentException.class, () -> a.check(mixtral));
            assertTrue(e.getMessage().contains("zero-shared") && e.getMessage().contains("mixtral")
                    && e.getMessage().contains("no shared expert"), e.getMessage());
        }
        var allReroute = assertThrows(IllegalArgumentException.class,
                () -> new Ablation(Ablation.ALL_LAYERS, 1, AblationMode.REROUTE, 0));
        assertTrue(allReroute.getMessage().contains("only zero-shared"), allReroute.getMessage());

        // The probe itself refuses a hook on a site the model lacks, naming the dense layer.
        var hook = assertThrows(IllegalArgumentException.class, () -> new Probe(memory).runWithHooks(
                List.of(docs.get(0).ids()), Map.of(SparseMoe.gate(0), (t, s) -> t.zerosLike())));
        assertTrue(hook.getMessage().contains("layers.0.moe.gate") && hook.getMessage().contains("dense"),
                hook.getMessage());
    }

    @Test
    void zeroingTheSharedExpertMovesTheNllAndNotTheRoutingUpToItsLayer() {
        Probe probe = new Probe(memory);
        AblationStudy study = new AblationStudy(probe(memory, StreamControl.NONE));
        List<int[]> ids = study.chunked(docs).stream().map(LabeledTokens::ids).toList().subList(0, 3);
        var filter = NameFilter.of(SparseMoe.TOPK_EVERY_LAYER, SparseMoe.GATE_EVERY_LAYER, SparseMoe.SHARED_EVERY_LAYER);
        ActivationCache base = probe.runWithCache(ids, filter);
        ActivationCache zeroed = probe.runWithCache(ids, filter, Ablation.zeroShared(2).hooks(CONFIG.topK()), true);
        for (int b = 0; b < ids.size(); b++) {
            for (int l : new int[] {1, 2}) {
                assertArrayEquals(base.get(b, SparseMoe.topk(l)).longs(), zeroed.get(b, SparseMoe.topk(l)).longs(),
                        "routing at layer " + l + " is untouched");
                assertArrayEquals(base.get(b, SparseMoe.gate(l)).floats(), zeroed.get(b, SparseMoe.gate(l)).floats());
            }
            assertTrue(Arrays.stream(toDouble(zeroed.get(b, SparseMoe.shared(2)).floats())).allMatch(v -> v == 0),
                    "the captured shared contribution is the zeros used");
            assertTrue(Arrays.stream(toDouble(base.get(b, SparseMoe.shared(2)).floats())).anyMatch(v -> v != 0));
            assertFalse(Arrays.equals(base.get(b, SparseMoe.gate(3)).floats(), zeroed.get(b, SparseMoe.gate(3)).floats()),
                    "layer 3's router sees the change");
            assertNotEquals(base.result().nllSum()[b], zeroed.result().nllSum()[b]);
        }

        AblationResult at2 = study.run(docs, Ablation.zeroShared(2));
        assertArrayEquals(MOE_LAYERS, at2.layers());
        for (AblationResult.ClassNll c : at2.classes()) {
            assertNotEquals(0.0, c.delta(), c.label());
            assertTrue(Double.isNaN(at2.shiftAt(c.label(), 1)), "nothing is compared before the ablated layer");
            assertEquals(0.0, at2.shiftAt(c.label(), 2), "the router of the ablated layer runs before the shared expert");
        }
        assertEquals(at2.classes().get(0).nllBase(), study.run(docs, Ablation.zeroShared(1)).classes().get(0).nllBase());

        // At every layer at once: the same as zeroing the three sites by hand.
        Map<String, Hook> byHand = new HashMap<>();
        for (int l : MOE_LAYERS) {
            byHand.put(SparseMoe.shared(l), (t, s) -> t.zerosLike());
        }
        AblationResult all = study.run(docs, Ablation.zeroShared(Ablation.ALL_LAYERS));
        double handNll = probe.runWithHooks(study.chunked(docs).stream().map(LabeledTokens::ids).toList(), byHand)
                .meanNll();
        assertEquals(RoutingReport.ALL_CLASSES, all.classes().get(2).label());
        assertEquals(handNll, all.classes().get(2).nllAblated(), 1e-6, "all layers = every moe.shared zeroed");
        assertNotEquals(at2.classes().get(2).delta(), all.classes().get(2).delta());
        assertEquals(0.0, all.shiftAt(RoutingReport.ALL_CLASSES, 1), "all layers: compared from the first MoE layer");
        assertEquals("all:zero-shared", all.ablation().label());
    }

    @Test
    void sweepsCoverTheMoeLayersAndNameThemInTheirCsvs(@TempDir Path dir) throws Exception {
        AblationStudy study = new AblationStudy(probe(memory, StreamControl.NONE));
        List<LabeledTokens> few = docs.subList(0, 3);
        AblationSweep cached = study.sweep(few, AblationMode.REROUTE, 0, true, n -> { });
        AblationSweep naive = study.sweep(few, AblationMode.REROUTE, 0, false, n -> { });
        assertArrayEquals(MOE_LAYERS, cached.layers());
        assertEquals(3 * 16, cached.results().size());
        assertEquals(48L * batches(few), study.sweepRuns(few, AblationMode.REROUTE), "48 ablated runs per batch");
        double[][] c = cached.deltas("a");
        double[][] n = naive.deltas("a");
        assertEquals(3, c.length);
        for (int l = 0; l < 3; l++) {
            assertArrayEquals(n[l], c[l], 1e-6, "MoE layer " + MOE_LAYERS[l]);
        }
        AblationSweep shared = study.sweep(docs, AblationMode.ZERO_SHARED, 0, true, x -> { });
        assertEquals(3, shared.results().size());
        assertEquals(1, shared.experts());
        assertEquals(study.run(docs, Ablation.zeroShared(3)).classes().get(0).delta(), shared.deltas("a")[2][0], 1e-6);

        Path csv = dir.resolve("ablation.csv");
        AblationSweep.writeResultsCsv(csv, shared.results());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("a,1,shared,zero-shared", String.join(",", Arrays.copyOf(rows.get(1).split(","), 4)));
        Path shift = dir.resolve("routing_shift.csv");
        AblationSweep.writeShiftCsv(shift, cached.results());
        Set<String> atLayers = new TreeSet<>();
        for (String row : Files.readAllLines(shift).subList(1, Files.readAllLines(shift).size())) {
            atLayers.add(row.split(",")[4]);
        }
        assertEquals(Set.of("1", "2", "3"), atLayers, "routing shift names the real MoE layers");
        AblationSweep.writeShiftCsv(shift, List.of(study.run(docs, Ablation.zeroShared(Ablation.ALL_LAYERS))));
        assertTrue(Files.readAllLines(shift).get(1).startsWith("a,all,shared,zero-shared,1,"),
                Files.readAllLines(shift).get(1));

    }

    @Test
    void streamedAblationsAndSweepsMatchTheInMemoryOnes(@TempDir Path dir) throws Exception {
        AblationStudy study = new AblationStudy(probe(memory, StreamControl.NONE));
        List<LabeledTokens> few = docs.subList(0, 4);
        for (AblationMode mode : AblationMode.values()) {
            Ablation a = new Ablation(2, 5, mode, mode == AblationMode.TOP_R ? 1 : 0);
            StreamedStudiesTest.assertSameResult(study.run(few, a), new AblationStudy(probe(streamed,
                    new StreamedStudiesTest.Budget(40L * CONFIG.hiddenSize() * 4))).run(few, a), mode.id());
        }
        AblationSweep streamedTopR = new AblationStudy(probe(streamed, StreamControl.NONE))
                .sweep(few, AblationMode.TOP_R, 1, true, x -> { }, dir.resolve("sweep.state"));
        AblationSweep memoryTopR = study.sweep(few, AblationMode.TOP_R, 1, true, x -> { });
        assertArrayEquals(MOE_LAYERS, streamedTopR.layers());
        for (int i = 0; i < memoryTopR.results().size(); i++) {
            StreamedStudiesTest.assertSameResult(memoryTopR.results().get(i), streamedTopR.results().get(i), "top-r " + i);
        }
    }

    private static long batches(List<LabeledTokens> some) {
        return probe(memory, StreamControl.NONE).plan(new AblationStudy(probe(memory, StreamControl.NONE))
                .chunked(some).stream().map(LabeledTokens::ids).toList()).batches().size();
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
