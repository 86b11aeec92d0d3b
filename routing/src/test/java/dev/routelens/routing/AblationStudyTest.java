package dev.routelens.routing;

import dev.routelens.core.InputKind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import dev.routelens.probe.ActivationCache;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblationStudyTest {
    static final MoeConfig CONFIG = new MoeConfig("mixtral", 40, 32, 3, 4, 4, 24, 16, 2, 1e-6, 10000, 64, false, 1, 2);
    static MoeTransformer model;
    static List<LabeledTokens> docs;

    @BeforeAll
    static void load() throws Exception {
        model = MoeTransformer.create(CONFIG, new RandomWeights(4, 0.3), Device.cpu(), Precision.F32);
        Random r = new Random(8);
        docs = new ArrayList<>();
        int[] lengths = {4, 3};
        for (int i = 0; i < lengths.length; i++) {
            int[] ids = new int[lengths[i]];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = r.nextInt(CONFIG.vocabSize());
            }
            docs.add(new LabeledTokens("d" + i, i == 0 ? "a" : "b", dev.routelens.core.InputKind.TEXT, ids));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<int[]> ids() {
        return docs.stream().map(LabeledTokens::ids).toList();
    }

    @Test
    void ablatingAnUnusedExpertChangesNothingBitForBit() {
        Probe probe = new Probe(model);
        ActivationCache base = probe.runWithCache(ids(), NameFilter.of(SparseMoe.TOPK_EVERY_LAYER, MoeTransformer.LOGITS));
        int layer = 1;
        boolean[] used = new boolean[CONFIG.numExperts()];
        for (int b = 0; b < docs.size(); b++) {
            for (long e : base.get(b, SparseMoe.topk(layer)).longs()) {
                used[(int) e] = true;
            }
        }
        int unused = -1;
        for (int e = 0; e < used.length && unused < 0; e++) {
            unused = used[e] ? -1 : e;
        }
        assertTrue(unused >= 0, "7 tokens x top-2 cannot use all 16 experts");
        for (AblationMode mode : List.of(AblationMode.REROUTE, AblationMode.ZERO)) {
            Ablation a = new Ablation(layer, unused, mode, 0);
            ActivationCache after = probe.runWithCache(ids(), NameFilter.of(SparseMoe.TOPK_EVERY_LAYER, MoeTransformer.LOGITS),
                    a.hooks(CONFIG.topK()), true);
            for (int b = 0; b < docs.size(); b++) {
                assertArrayEquals(base.get(b, MoeTransformer.LOGITS).floats(), after.get(b, MoeTransformer.LOGITS).floats(), mode + " logits");
                assertEquals(base.result().nllSum()[b], after.result().nllSum()[b], mode + " NLL");
            }
        }
    }

    @Test
    void zeroingEveryExpertOfALayerEqualsSkippingItsMoe() {
        Probe probe = new Probe(model);
        Map<String, dev.routelens.probe.Hook> allZero = new HashMap<>();
        for (int e = 0; e < CONFIG.numExperts(); e++) {
            allZero.putAll(new Ablation(2, e, AblationMode.ZERO, 0).hooks(CONFIG.topK()));
        }
        ForwardResult zeroed = probe.runWithHooks(ids(), allZero);
        ForwardResult skipped = probe.runWithHooks(ids(), Map.of(SparseMoe.out(2), (t, s) -> t.zerosLike()));
        assertArrayEquals(skipped.nllSum(), zeroed.nllSum());
        assertNotEquals(probe.runWithHooks(ids(), Map.of()).meanNll(), zeroed.meanNll());
    }

    @Test
    void rerouteAndTopRRemoveTheChosenExperts() {
        Probe probe = new Probe(model);
        ActivationCache base = probe.runWithCache(ids(), NameFilter.of(SparseMoe.topk(1)));
        int expert = (int) base.get(0, SparseMoe.topk(1)).longs()[0];
        ActivationCache rerouted = probe.runWithCache(ids(), NameFilter.of(SparseMoe.topk(1)),
                new Ablation(1, expert, AblationMode.REROUTE, 0).hooks(2), true);
        ActivationCache topR = probe.runWithCache(ids(), NameFilter.of(SparseMoe.topk(1)),
                new Ablation(1, 0, AblationMode.TOP_R, 1).hooks(2), true);
        for (int b = 0; b < docs.size(); b++) {
            long[] before = base.get(b, SparseMoe.topk(1)).longs();
            long[] after = rerouted.get(b, SparseMoe.topk(1)).longs();
            long[] afterTopR = topR.get(b, SparseMoe.topk(1)).longs();
            for (int t = 0; t < before.length / 2; t++) {
                assertFalse(after[2 * t] == expert || after[2 * t + 1] == expert, "rerouted expert still chosen");
                long top1 = before[2 * t];
                assertFalse(afterTopR[2 * t] == top1 || afterTopR[2 * t + 1] == top1, "top-1 still chosen");
                assertEquals(before[2 * t + 1], afterTopR[2 * t], "the old second choice becomes the first");
            }
        }
    }

    @Test
    void sweepWithResidualCachingEqualsNaiveReRuns(@TempDir Path dir) throws Exception {
        AblationStudy study = new AblationStudy(new Probe(model));
        AblationSweep cachedZero = study.sweep(docs, AblationMode.ZERO, 0, true, n -> { });
        AblationSweep naiveZero = study.sweep(docs, AblationMode.ZERO, 0, false, n -> { });
        for (int l = 0; l < CONFIG.numLayers(); l++) {
            assertArrayEquals(naiveZero.deltas("a")[l], cachedZero.deltas("a")[l], 1e-6, "zero mode, layer " + l);
        }
        AblationSweep cached = study.sweep(docs, AblationMode.REROUTE, 0, true, n -> { });
        AblationSweep naive = study.sweep(docs, AblationMode.REROUTE, 0, false, n -> { });
        assertEquals(CONFIG.numLayers() * CONFIG.numExperts(), cached.results().size());
        boolean anyChange = false;
        for (String label : List.of("a", "b", RoutingReport.ALL_CLASSES)) {
            double[][] c = cached.deltas(label);
            double[][] n = naive.deltas(label);
            for (int l = 0; l < c.length; l++) {
                for (int e = 0; e < c[l].length; e++) {
                    assertEquals(n[l][e], c[l][e], 1e-6, label + " L" + l + "E" + e);
                    anyChange |= Math.abs(c[l][e]) > 1e-6;
                }
            }
        }
        assertTrue(anyChange, "some ablation must move the NLL");
        for (int i = 0; i < cached.results().size(); i++) {
            assertArrayEquals(naive.results().get(i).routingShift().get("a"), cached.results().get(i).routingShift().get("a"));
        }
        AblationResult single = study.run(docs, new Ablation(1, 3, AblationMode.REROUTE, 0));
        assertEquals(cached.deltas("a")[1][3], single.classes().get(0).delta(), 1e-6);
        Path csv = dir.resolve("ablation.csv");
        cached.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("class,layer,expert,mode,nll_base,nll_ablated,delta,tokens", lines.get(0));
        assertEquals(1 + cached.results().size() * 3, lines.size());
    }

    @Test
    void ablationsOnAKeptBaselineEqualSingleRuns() {
        AblationStudy study = new AblationStudy(new Probe(model));
        AblationBaseline base = study.baseline(docs);
        for (Ablation a : List.of(new Ablation(1, 3, AblationMode.REROUTE, 0), new Ablation(2, 0, AblationMode.ZERO, 0),
                new Ablation(0, 0, AblationMode.TOP_R, 1))) {
            AblationResult single = study.run(docs, a);
            for (boolean caching : new boolean[] {true, false}) {
                AblationResult kept = study.run(base, a, caching);
                for (int c = 0; c < single.classes().size(); c++) {
                    AblationResult.ClassNll want = single.classes().get(c);
                    AblationResult.ClassNll got = kept.classes().get(c);
                    assertEquals(want.label(), got.label());
                    assertEquals(want.nllBase(), got.nllBase(), 1e-6, a + " caching " + caching);
                    assertEquals(want.nllAblated(), got.nllAblated(), 1e-6, a + " caching " + caching);
                    assertEquals(want.tokens(), got.tokens());
                    assertArrayEquals(single.routingShift().get(want.label()), kept.routingShift().get(want.label()),
                            a + " caching " + caching);
                }
            }
        }
    }

    @Test
    void documentsLongerThanTheContextAreChunkedNotRefused() {
        AblationStudy study = new AblationStudy(new Probe(model));
        int[] longIds = new int[CONFIG.maxPositions() * 2 + 5];
        for (int i = 0; i < longIds.length; i++) {
            longIds[i] = (i * 7) % CONFIG.vocabSize();
        }
        List<LabeledTokens> one = List.of(new LabeledTokens("long", "a", dev.routelens.core.InputKind.PROTEIN, longIds));
        assertEquals(3, study.chunked(one).size());
        AblationResult r = study.run(one, new Ablation(0, 0, AblationMode.ZERO, 0));
        assertEquals(longIds.length - 3, r.classes().get(0).tokens(), "each chunk predicts its own next tokens");
    }
}
