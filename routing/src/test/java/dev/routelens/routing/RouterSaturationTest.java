package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Top-1 and top-k router saturation against hand-computed values, chance, self and an independent count. */
class RouterSaturationTest {

    @Test
    void handComputedExample() {
        RouterSaturation s = new RouterSaturation(new int[] {0, 3}, 2, 4);
        // layer 0: first choices agree at token 0 only (1/3); overlaps 1, 2, 2 of k=2 (5/6)
        s.add(0, new int[][] {{0, 1}, {2, 3}, {1, 0}}, new int[][] {{0, 2}, {3, 2}, {0, 1}});
        // layer 3: first choices agree at tokens 0 and 2 (2/3); overlaps 2, 0, 1 (3/6)
        s.add(1, new int[][] {{1, 2}, {0, 1}, {3, 0}}, new int[][] {{1, 2}, {2, 3}, {3, 1}});
        SaturationTable t = s.table();
        assertArrayEquals(new int[] {0, 3}, t.layers());
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3}, t.top1(), 1e-15);
        assertArrayEquals(new double[] {5.0 / 6, 0.5}, t.topK(), 1e-15);
        assertEquals(3, t.tokens());
        assertEquals(0.25, t.chanceTop1(), 0);
        assertEquals(0.5, t.chanceTopK(), 0);
        assertEquals(0.5, t.meanTop1(), 1e-15);
        assertEquals((5.0 / 6 + 0.5) / 2, t.meanTopK(), 1e-15);
    }

    @Test
    void identicalRoutingIsOneAndBadInputIsRefused() {
        RouterSaturation s = new RouterSaturation(new int[] {0}, 2, 8);
        int[][] a = {{7, 0}, {3, 4}, {4, 3}};
        s.add(0, a, a);
        assertEquals(1.0, s.table().top1()[0], 0);
        assertEquals(1.0, s.table().topK()[0], 0);
        assertThrows(IllegalArgumentException.class, () -> s.add(0, a, new int[][] {{7, 0}}));
        assertThrows(IllegalArgumentException.class, () -> s.add(0, new int[][] {{8, 0}}, new int[][] {{7, 0}}));
        assertThrows(IllegalArgumentException.class, () -> new RouterSaturation(new int[] {0}, 3, 2));
        assertThrows(IllegalStateException.class, () -> new RouterSaturation(new int[] {0}, 2, 8).table());
    }

    @Test
    void independentUniformRoutersScoreChance() {
        Random r = new Random(11);
        int experts = 8;
        int k = 2;
        int tokens = 200_000;
        int[][] a = new int[tokens][];
        int[][] b = new int[tokens][];
        for (int t = 0; t < tokens; t++) {
            a[t] = randomSet(r, experts, k);
            b[t] = randomSet(r, experts, k);
        }
        RouterSaturation s = new RouterSaturation(new int[] {0}, k, experts);
        s.add(0, a, b);
        SaturationTable t = s.table();
        assertEquals(t.chanceTop1(), t.top1()[0], 0.005);  // 1/E = 0.125; binomial sd ~0.0007
        assertEquals(t.chanceTopK(), t.topK()[0], 0.005);  // k/E = 0.25
    }

    private static int[] randomSet(Random r, int experts, int k) {
        List<Integer> all = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            all.add(e);
        }
        java.util.Collections.shuffle(all, r);
        return all.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
    }

    static final MoeConfig CONFIG = new MoeConfig("mixtral", 40, 16, 3, 2, 2, 16, 4, 2, 1e-6, 10000, 16, false, 1, 2);

    @Test
    void passesMatchAnIndependentCountAndAModelAgainstItselfIsOne(@TempDir Path dir) throws Exception {
        Random r = new Random(5);
        List<int[]> docs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int[] ids = new int[2 + r.nextInt(40)]; // up to 41 tokens: longer ones cut into pieces of 16
            for (int t = 0; t < ids.length; t++) {
                ids[t] = r.nextInt(CONFIG.vocabSize());
            }
            docs.add(ids);
        }
        try (MoeTransformer a = MoeTransformer.create(CONFIG, new RandomWeights(2, 0.3), Device.cpu(), Precision.F32);
             MoeTransformer b = MoeTransformer.create(CONFIG, new RandomWeights(3, 0.3), Device.cpu(), Precision.F32)) {
            Probe pa = new Probe(a).batchLimits(4096, 3);
            Probe pb = new Probe(b).batchLimits(4096, 2);
            TopKCapture reference = SaturationPass.capture(pb, docs, n -> { });
            Path file = dir.resolve("ref.topk");
            reference.write(file);
            reference = TopKCapture.read(file, CONFIG.moeLayers(), 2, docs.size());
            SaturationTable measured = SaturationPass.compare(pa, docs, reference, n -> { });

            ActivationCache ca = pa.runWithCache(docs, NameFilter.of(SparseMoe.TOPK_EVERY_LAYER));
            ActivationCache cb = pb.runWithCache(docs, NameFilter.of(SparseMoe.TOPK_EVERY_LAYER));
            long tokens = 0;
            for (int[] d : docs) {
                tokens += d.length;
            }
            assertEquals(tokens, measured.tokens());
            for (int layer = 0; layer < CONFIG.numLayers(); layer++) {
                double top1 = 0;
                double overlap = 0;
                for (int d = 0; d < docs.size(); d++) {
                    int[][] x = ca.get(d, SparseMoe.topk(layer)).intMatrix();
                    int[][] y = cb.get(d, SparseMoe.topk(layer)).intMatrix();
                    for (int t = 0; t < x.length; t++) {
                        top1 += x[t][0] == y[t][0] ? 1 : 0;
                        Set<Integer> common = new HashSet<>(List.of(x[t][0], x[t][1]));
                        common.retainAll(Set.of(y[t][0], y[t][1]));
                        overlap += common.size();
                    }
                }
                assertEquals(top1 / tokens, measured.top1()[layer], 1e-12);
                assertEquals(overlap / (2.0 * tokens), measured.topK()[layer], 1e-12);
            }
            assertTrue(measured.meanTopK() < 1, "two different random inits route differently");

            SaturationTable self = SaturationPass.compare(pa, docs, SaturationPass.capture(pa, docs, n -> { }), n -> { });
            for (int m = 0; m < CONFIG.numLayers(); m++) {
                assertEquals(1.0, self.top1()[m], 0);
                assertEquals(1.0, self.topK()[m], 0);
            }
            assertThrows(java.io.IOException.class, () -> TopKCapture.read(file, CONFIG.moeLayers(), 2, docs.size() + 1));
        }
    }
}
