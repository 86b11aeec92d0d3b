package dev.routelens.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.SparseMoe;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProbeTest {
    static final MoeConfig CONFIG = new MoeConfig("mixtral", 50, 32, 3, 4, 2, 40, 8, 2, 1e-6, 10000, 64, false, 1, 2);
    static MoeTransformer model;
    static List<int[]> docs;

    @BeforeAll
    static void load() throws Exception {
        model = MoeTransformer.create(CONFIG, new RandomWeights(1, 0.3), Device.cpu(), Precision.F32);
        Random r = new Random(2);
        docs = new ArrayList<>();
        for (int len : new int[] {12, 3, 20, 7}) {
            int[] d = new int[len];
            for (int i = 0; i < len; i++) {
                d[i] = r.nextInt(CONFIG.vocabSize());
            }
            docs.add(d);
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void cachePerDocumentHasNoPaddingAndMatchesSingleRuns() {
        Probe probe = new Probe(model);
        ActivationCache cache = probe.runWithCache(docs, NameFilter.of(SparseMoe.GATE_EVERY_LAYER));
        for (int b = 0; b < docs.size(); b++) {
            ActivationCache alone = probe.runWithCache(List.of(docs.get(b)), NameFilter.of(SparseMoe.GATE_EVERY_LAYER));
            for (int l = 0; l < CONFIG.numLayers(); l++) {
                CapturedTensor t = cache.get(b, SparseMoe.gate(l));
                assertArrayEquals(new long[] {docs.get(b).length, CONFIG.numExperts()}, t.shape());
                float[] a = alone.get(0, SparseMoe.gate(l)).floats();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], t.floats()[i], 1e-5);
                }
            }
            assertEquals(alone.result().meanNll(0), cache.result().meanNll(b), 1e-5);
        }
    }

    @Test
    void capturingChangesNoOutputBitForBit() {
        Probe probe = new Probe(model);
        ActivationCache logitsOnly = probe.runWithCache(docs, NameFilter.of(MoeTransformer.LOGITS));
        ActivationCache everything = probe.runWithCache(docs, NameFilter.all());
        for (int b = 0; b < docs.size(); b++) {
            assertArrayEquals(logitsOnly.get(b, MoeTransformer.LOGITS).floats(), everything.get(b, MoeTransformer.LOGITS).floats());
            assertEquals(logitsOnly.result().nllSum()[b], everything.result().nllSum()[b]);
        }
        assertTrue(everything.names(0).containsAll(List.of("embed", "layers.0.attn.out", "layers.2.resid.post",
                SparseMoe.topk(1), "final.norm")));
    }

    @Test
    void expertOutputsCarryTheirTokenPositions() {
        Probe probe = new Probe(model);
        ActivationCache cache = probe.runWithCache(docs, NameFilter.of(SparseMoe.everySiteOf(1)));
        for (int b = 0; b < docs.size(); b++) {
            int[][] topk = cache.get(b, SparseMoe.topk(1)).intMatrix();
            for (int j = 0; j < CONFIG.numExperts(); j++) {
                List<Integer> expected = new ArrayList<>();
                for (int t = 0; t < topk.length; t++) {
                    if (topk[t][0] == j || topk[t][1] == j) {
                        expected.add(t);
                    }
                }
                String name = SparseMoe.expertOut(1, j);
                int[] got = cache.has(b, name) ? cache.get(b, name).positions() : new int[0];
                assertEquals(expected, Arrays.stream(got).boxed().toList(), "doc " + b + " expert " + j);
            }
        }
    }

    @Test
    void scopedHooksInterveneAndVanishOnClose() {
        Probe probe = new Probe(model);
        double base = probe.runWithHooks(docs, Map.of()).meanNll();
        try (HookScope scope = probe.hooks(Map.of(SparseMoe.OUT_EVERY_LAYER, (t, site) -> t.zerosLike()))) {
            assertEquals(1, probe.activeHookCount());
            double zeroed = probe.runWithHooks(docs, Map.of()).meanNll();
            assertNotEquals(base, zeroed);
        }
        assertEquals(0, probe.activeHookCount());
        assertEquals(base, probe.runWithHooks(docs, Map.of()).meanNll());
    }

    @Test
    void aHookThatMatchesNoSiteOfTheModelIsRefused() {
        Probe probe = new Probe(model);
        for (String key : List.of("layers.3.moe.gate", SparseMoe.SHARED_EVERY_LAYER, "layers.1.mlp.out", "layers.1.moe.experts.8.out")) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> probe.runWithHooks(docs, Map.of(key, (t, site) -> t.zerosLike())));
            assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains("mixtral"), e.getMessage());
        }
        var scoped = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> probe.hooks(Map.of("layers.7.attn.out", (t, site) -> null)));
        assertTrue(scoped.getMessage().contains("layers.7.attn.out"), scoped.getMessage());
        assertEquals(0, probe.activeHookCount());
        assertTrue(model.hookNames().contains(SparseMoe.expertOut(2, 7)) && model.hookNames().contains(SparseMoe.gate(2)),
                "the helpers name sites of the model's own catalogue");
    }

    @Test
    void topkFromMatchesOnlyTopkSitesAtOrAfterTheLayer() {
        var from12 = SparseMoe.topkFrom(12);
        assertTrue(from12.test("layers.12.moe.topk") && from12.test("layers.25.moe.topk"));
        assertTrue(!from12.test("layers.11.moe.topk") && !from12.test("layers.2.moe.topk"));
        assertTrue(!from12.test("layers.13.moe.topk_weights") && !from12.test("layers.13.moe.gate") && !from12.test(MoeTransformer.LOGITS));
    }

    @Test
    void batchPlanBucketsByLength() {
        List<int[]> mixed = new ArrayList<>();
        for (int len : new int[] {100, 3, 98, 4, 101, 5}) {
            mixed.add(new int[len]);
        }
        BatchPlan plan = BatchPlan.of(mixed, 210, 8);
        assertEquals(3, plan.batches().size());
        assertTrue(plan.paddingFraction() < 0.1, "padding " + plan.paddingFraction());
        assertTrue(NameFilter.of(SparseMoe.GATE_EVERY_LAYER).test("layers.12.moe.gate"));
        assertTrue(!NameFilter.of(SparseMoe.GATE_EVERY_LAYER).test("layers.12.moe.gate2"));
    }
}
