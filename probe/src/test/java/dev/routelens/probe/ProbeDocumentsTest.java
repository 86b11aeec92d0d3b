package dev.routelens.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.model.ContextWindows;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.SparseMoe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Documents longer than the context, per-document hooks, and readable descriptions. */
class ProbeDocumentsTest {
    static MoeTransformer model;
    static List<int[]> docs; // the second is longer than the 64-token context

    @BeforeAll
    static void load() throws Exception {
        model = MoeTransformer.create(ProbeTest.CONFIG, new RandomWeights(1, 0.3), Device.cpu(), Precision.F32);
        Random r = new Random(8);
        docs = new ArrayList<>();
        for (int len : new int[] {9, 150, 30}) {
            docs.add(r.ints(len, 0, ProbeTest.CONFIG.vocabSize()).toArray());
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aLongDocumentEqualsItsPiecesCapturedSeparatelyAndConcatenated() {
        Probe probe = new Probe(model);
        int[] longDoc = docs.get(1);
        ActivationCache whole = probe.runWithCache(docs, NameFilter.all());
        List<int[]> pieces = ContextWindows.cut(longDoc, ProbeTest.CONFIG.maxPositions());
        assertEquals(3, pieces.size());
        ActivationCache apart = probe.runWithCache(pieces, NameFilter.all());
        double nll = 0;
        int count = 0;
        for (int p = 0; p < pieces.size(); p++) {
            nll += apart.result().nllSum()[p];
            count += apart.result().nllCount()[p];
        }
        assertEquals(nll, whole.result().nllSum()[1], 1e-6 * nll);
        assertEquals(count, whole.result().nllCount()[1]);
        assertEquals(longDoc.length - pieces.size(), count, "each piece's first token predicts nothing");
        for (String name : model.hookNames()) {
            List<Float> floats = new ArrayList<>();
            List<Long> longs = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            int start = 0;
            for (int p = 0; p < pieces.size(); p++) {
                if (apart.has(p, name)) {
                    CapturedTensor t = apart.get(p, name);
                    if (t.floats() != null) {
                        for (float f : t.floats()) {
                            floats.add(f);
                        }
                    } else {
                        for (long l : t.longs()) {
                            longs.add(l);
                        }
                    }
                    if (t.positions() != null) {
                        for (int pos : t.positions()) {
                            positions.add(pos + start);
                        }
                    }
                }
                start += pieces.get(p).length;
            }
            if (floats.isEmpty() && longs.isEmpty()) {
                continue; // an expert no piece's batch chose
            }
            CapturedTensor got = whole.get(1, name);
            if (got.floats() != null) {
                assertEquals(floats.size(), got.floats().length, name);
                for (int i = 0; i < floats.size(); i++) {
                    assertEquals(floats.get(i), got.floats()[i], 1e-4f * Math.max(1, Math.abs(floats.get(i))), name + " " + i);
                }
            } else {
                assertEquals(longs, java.util.Arrays.stream(got.longs()).boxed().toList(), name);
            }
            if (got.positions() != null) {
                assertEquals(positions, java.util.Arrays.stream(got.positions()).boxed().toList(), name);
            }
        }
        assertEquals(longDoc.length, whole.get(1, SparseMoe.gate(0)).rows());
    }

    @Test
    void aPerDocumentHookSeesCallerIndicesAndChangesOnlyItsDocument() {
        Probe probe = new Probe(model);
        ForwardResult base = probe.runWithHooks(docs, Map.of());
        java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ForwardResult zeroed = probe.runWithHooks(docs, Map.of(SparseMoe.OUT_EVERY_LAYER,
                Hook.perDocument((t, doc, site) -> {
                    seen.add(doc);
                    return doc == 2 ? t.zerosLike() : null;
                })));
        assertEquals(java.util.Set.of(0, 1, 2), seen);
        assertEquals(base.nllSum()[0], zeroed.nllSum()[0], 1e-9 * base.nllSum()[0]);
        assertEquals(base.nllSum()[1], zeroed.nllSum()[1], 1e-9 * base.nllSum()[1]);
        assertNotEquals(base.nllSum()[2], zeroed.nllSum()[2]);
        ForwardResult expertRows = probe.runWithHooks(docs, Map.of(SparseMoe.expertOut(1, 0),
                Hook.perDocument((t, doc, site) -> {
                    assertTrue(t.getShape().get(0) > 0 && t.getShape().get(0) <= docs.get(doc).length);
                    return null;
                })));
        assertArrayEquals(base.nllSum(), expertRows.nllSum());
    }

    @Test
    void descriptionsAreReadable() {
        ActivationCache cache = new Probe(model).runWithCache(docs.subList(0, 1), NameFilter.of(SparseMoe.GATE_EVERY_LAYER));
        assertEquals("ActivationCache[1 document, 3 names: layers.0.moe.gate, layers.1.moe.gate, layers.2.moe.gate]",
                cache.toString());
        assertEquals("CapturedTensor[layers.1.moe.gate [9, 8] float32]", cache.get(0, SparseMoe.gate(1)).toString());
        assertEquals("MoeTransformer[mixtral, 3 layers (3 MoE), 8 experts, top-2, hidden 32, cpu(), F32, in memory]",
                model.toString());
    }
}
