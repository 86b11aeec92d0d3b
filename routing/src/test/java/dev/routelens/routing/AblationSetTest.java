package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.nano.NanoModel;
import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.Hook;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several knock-outs at one layer on SciDFM-nano (8 experts, top-2): they compose, in any order. */
class AblationSetTest {
    static final int LAYER = 3;
    static final Predicate<String> CAPTURED = NameFilter.of(SparseMoe.GATE_EVERY_LAYER, SparseMoe.TOPK_EVERY_LAYER, MoeTransformer.LOGITS);
    static MoeTransformer model;
    static MoeConfig config;
    static Probe probe;
    static List<int[]> docs;
    static ActivationCache base;

    @BeforeAll
    static void load() throws Exception {
        model = ModelLoader.load(NanoModel.locate().orElseThrow(), Device.cpu(), Precision.F32);
        config = model.config();
        probe = new Probe(model);
        Random random = new Random(11);
        docs = new ArrayList<>();
        for (int length : new int[] {48, 31, 40}) {
            docs.add(random.ints(length, 3, config.vocabSize()).toArray());
        }
        base = probe.runWithCache(docs, CAPTURED, Map.of(), true);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ActivationCache run(Map<String, Hook> hooks) {
        return probe.runWithCache(docs, CAPTURED, hooks, true);
    }

    private static Ablation reroute(int expert) {
        return new Ablation(LAYER, expert, AblationMode.REROUTE, 0);
    }

    /** Every capture (gate logits, top-k and logits of every layer) and the NLL equal, bit for bit. */
    private static void assertSameRun(ActivationCache expected, ActivationCache actual, String what) {
        for (int d = 0; d < docs.size(); d++) {
            assertEquals(expected.names(d), actual.names(d), what);
            for (String name : expected.names(d)) {
                assertArrayEquals(expected.get(d, name).floats(), actual.get(d, name).floats(), what + " " + name);
                assertArrayEquals(expected.get(d, name).longs(), actual.get(d, name).longs(), what + " " + name);
            }
            assertEquals(expected.result().nllSum()[d], actual.result().nllSum()[d], what + " NLL");
        }
    }

    /** Whether any token's top-k at LAYER holds {@code expert}. */
    private static boolean chosen(ActivationCache cache, int expert) {
        for (int d = 0; d < docs.size(); d++) {
            for (long e : cache.get(d, SparseMoe.topk(LAYER)).longs()) {
                if (e == expert) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The pair (a, b) that most often has a in a token's top-k and b as its next best (rank k+1) at LAYER: knocking
     * out a alone hands those tokens to b, so a composition that masks only a's slot still routes them to b.
     */
    private static int[] handOverPair() {
        int k = config.topK();
        int experts = config.numExperts();
        int[][] count = new int[experts][experts]; // [E, E] a in top-k, b next best
        for (int d = 0; d < docs.size(); d++) {
            for (float[] row : base.get(d, SparseMoe.gate(LAYER)).matrix()) { // [E]
                Integer[] order = rankDescending(row);
                for (int i = 0; i < k; i++) {
                    count[order[i]][order[k]]++;
                }
            }
        }
        int[] best = {0, 1};
        for (int a = 0; a < experts; a++) {
            for (int b = 0; b < experts; b++) {
                if (count[a][b] > count[best[0]][best[1]]) {
                    best = new int[] {a, b};
                }
            }
        }
        assertTrue(count[best[0]][best[1]] > 0, "some token hands over from one expert to another");
        return best;
    }

    private static Integer[] rankDescending(float[] row) {
        Integer[] order = new Integer[row.length];
        for (int e = 0; e < row.length; e++) {
            order[e] = e;
        }
        Arrays.sort(order, (x, y) -> Float.compare(row[y], row[x]));
        return order;
    }

    /** Two hooks at one site applied one after the other: how probe chained repeated --ablate before sets. */
    private static Map<String, Hook> chained(Map<String, Hook> first, Map<String, Hook> second) {
        Map<String, Hook> out = new HashMap<>(first);
        second.forEach((name, hook) -> out.merge(name, hook, (f, s) -> (t, site) -> {
            var a = f.apply(t, site);
            var b = s.apply(a == null ? t : a, site);
            return b == null ? a : b;
        }));
        return out;
    }

    @Test
    void reroutesAtOneLayerComposeInEitherOrderAndNeitherExpertIsChosen() {
        int[] pair = handOverPair();
        int a = pair[0];
        int b = pair[1];
        ActivationCache ab = run(new AblationSet(List.of(reroute(a), reroute(b))).hooks(config.topK()));
        ActivationCache ba = run(new AblationSet(List.of(reroute(b), reroute(a))).hooks(config.topK()));
        assertSameRun(ab, ba, "order " + a + "," + b + " vs " + b + "," + a);
        assertFalse(chosen(ab, a), "expert " + a + " still chosen at layer " + LAYER);
        assertFalse(chosen(ab, b), "expert " + b + " still chosen at layer " + LAYER);
        assertTrue(chosen(base, a) && chosen(base, b), "both were chosen before the knock-out");
        // The old chain (b's hook, then a's) masks b where it was chosen, then a, which hands tokens to b.
        ActivationCache chain = run(chained(reroute(b).hooks(config.topK()), reroute(a).hooks(config.topK())));
        assertTrue(chosen(chain, b), "hooks chained in listing order would still route to " + b);
    }

    @Test
    void rerouteSetMasksExactlyWhatRepeatedRoundsMask() {
        int[] pair = handOverPair();
        int third = 0;
        while (third == pair[0] || third == pair[1]) {
            third++;
        }
        int[] set = {pair[0], pair[1], third};
        List<Ablation> members = Arrays.stream(set).mapToObj(AblationSetTest::reroute).toList();
        ActivationCache after = run(new AblationSet(members).hooks(config.topK()));
        for (int d = 0; d < docs.size(); d++) {
            float[][] before = base.get(d, SparseMoe.gate(LAYER)).matrix(); // [T, E]
            float[][] masked = after.get(d, SparseMoe.gate(LAYER)).matrix(); // [T, E]
            for (int t = 0; t < before.length; t++) {
                assertArrayEquals(maskedByRounds(before[t], set, config.topK()), masked[t], "doc " + d + " token " + t);
            }
        }
    }

    /** The definition, one row at a time in plain Java: mask the members in the top-k until none is left there. */
    private static float[] maskedByRounds(float[] logits, int[] set, int k) {
        float[] row = logits.clone(); // [E]
        for (int round = 0; round <= set.length; round++) {
            float[] sorted = row.clone();
            Arrays.sort(sorted);
            float kth = sorted[sorted.length - k];
            boolean changed = false;
            for (int e : set) {
                if (row[e] != Ablation.MASKED_LOGIT && row[e] >= kth) {
                    row[e] = Ablation.MASKED_LOGIT;
                    changed = true;
                }
            }
            if (!changed) {
                return row;
            }
        }
        throw new AssertionError("no fixpoint after " + set.length + " rounds");
    }

    @Test
    void aRerouteSetLeavingFewerThanKIsRefusedAndOneLeavingKKeepsOnlyThose() {
        List<Ablation> seven = new ArrayList<>();
        for (int e = 0; e < 7; e++) {
            seven.add(reroute(e));
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new AblationSet(seven).check(config));
        assertEquals("layer 3: rerouting 7 of 8 experts leaves 1, fewer than k=2", refused.getMessage());

        List<Ablation> six = seven.subList(1, 7); // experts 1..6: only 0 and 7 remain
        AblationSet set = new AblationSet(six);
        set.check(config);
        ActivationCache after = run(set.hooks(config.topK()));
        for (int d = 0; d < docs.size(); d++) {
            long[] topk = after.get(d, SparseMoe.topk(LAYER)).longs(); // [T*k]
            for (int t = 0; t < topk.length; t += 2) {
                assertEquals(List.of(0L, 7L), Arrays.stream(topk, t, t + 2).sorted().boxed().toList(), "token " + t / 2);
            }
        }
    }

    @Test
    void aSingleMemberSetEqualsTheAblationItself() {
        int often = (int) base.get(0, SparseMoe.topk(LAYER)).longs()[0];
        for (Ablation a : List.of(reroute(often), new Ablation(LAYER, often, AblationMode.ZERO, 0),
                new Ablation(LAYER, 0, AblationMode.TOP_R, 2))) {
            Map<String, Hook> fromSet = AblationSet.of(a).hooks(config.topK());
            assertEquals(a.hooks(config.topK()).keySet(), fromSet.keySet(), a.label());
            ActivationCache single = run(a.hooks(config.topK()));
            assertSameRun(single, run(fromSet), a.label());
            assertNotEquals(base.result().nllSum()[0], single.result().nllSum()[0], a.label() + " changes something");
        }
    }

    @Test
    void zeroingTwoExpertsEqualsApplyingBothAndMoreThanEither() {
        long[] firstDoc = base.get(0, SparseMoe.topk(LAYER)).longs(); // [T*k]
        Ablation one = new Ablation(LAYER, (int) firstDoc[0], AblationMode.ZERO, 0);
        Ablation five = new Ablation(LAYER, (int) firstDoc[1], AblationMode.ZERO, 0); // the first token's other choice
        Map<String, Hook> both = new LinkedHashMap<>(one.hooks(config.topK()));
        both.putAll(five.hooks(config.topK()));
        ActivationCache set = run(AblationSet.of(five, one, five).hooks(config.topK()));
        assertSameRun(run(both), set, "zero 1 and 5");
        assertEquals(2, AblationSet.of(five, one, five).hooks(config.topK()).size(), "one hook per expert output");
        for (Ablation alone : List.of(one, five)) {
            assertNotEquals(run(alone.hooks(config.topK())).result().nllSum()[0], set.result().nllSum()[0], alone.label());
        }
    }

    @Test
    void membersAreDistinctAndOrderFreeAndOrderDependentMixesAreRefused() {
        AblationSet set = AblationSet.of(reroute(4), reroute(3), reroute(4), new Ablation(2, 0, AblationMode.TOP_R, 1));
        assertEquals(List.of("L2:top-1", "L3E3:reroute", "L3E4:reroute"), set.labels());
        assertEquals(set.labels(), AblationSet.of(new Ablation(2, 0, AblationMode.TOP_R, 1), reroute(3), reroute(4)).labels());
        assertEquals(List.of("all:zero-shared"),
                AblationSet.of(Ablation.zeroShared(3), Ablation.zeroShared(Ablation.ALL_LAYERS)).labels(),
                "zero-shared everywhere takes in one layer's");

        IllegalArgumentException twoTopR = assertThrows(IllegalArgumentException.class, () -> AblationSet.of(
                new Ablation(3, 0, AblationMode.TOP_R, 1), new Ablation(3, 0, AblationMode.TOP_R, 2)));
        assertEquals("layer 3: two top-r ablations (r=1 and r=2); give one", twoTopR.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> AblationSet.of(
                reroute(4), new Ablation(3, 0, AblationMode.TOP_R, 1)));
        assertTrue(mixed.getMessage().startsWith("layer 3: top-r and reroute at one layer"), mixed.getMessage());
        AblationSet.of(new Ablation(3, 0, AblationMode.TOP_R, 1), new Ablation(3, 5, AblationMode.ZERO, 0), new Ablation(4, 2, AblationMode.REROUTE, 0)); // order-free mixes are kept
    }
}
