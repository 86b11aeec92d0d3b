package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Token specialisation (three keys) and expert saliency against hand-computed values and their baselines. */
class TokenStudiesTest {
    private static final double TOLERANCE = 1e-12;

    /** Top-1 of one layer: token t to {@code experts[t]}; logits 10 for it, 0 elsewhere. // [T][E] */
    private static float[][] top1Logits(int numExperts, int... experts) {
        float[][] logits = new float[experts.length][numExperts];
        for (int t = 0; t < experts.length; t++) {
            logits[t][experts[t]] = 10;
        }
        return logits;
    }

    @Test
    void specialisationByHandWithTheMinimumCount() {
        TokenKeyCounts counts = new TokenKeyCounts(TokenSpecialisation.Key.INPUT, 1, 4, 1);
        for (int e : new int[] {0, 0, 0, 1}) {
            counts.add(7, new int[][] {{e}}); // key 7: N = 4, N(7,0) = 3, N(7,1) = 1
        }
        counts.add(9, new int[][] {{2}}); // key 9: N = 2, N(9,2) = 2
        counts.add(9, new int[][] {{2}});
        counts.add(11, new int[][] {{3}}); // key 11: seen once
        TokenSpecialisation s = counts.report(new int[] {0}, 2);
        // expert 0: 3 * (3/4) / 3; expert 1: 1 * (1/4) / 1; expert 2: 2 * 1 / 2; expert 3: only key 11, below the minimum
        assertArrayEquals(new double[] {0.75, 0.25, 1.0, Double.NaN}, s.perExpert()[0], TOLERANCE);
        assertEquals((9 / 4.0 + 1 / 4.0 + 4 / 2.0) / 6, s.overall()[0], TOLERANCE);
        assertEquals(2, s.keys()[0]);
        assertEquals(6, s.tokens()[0]);
        assertEquals(0.25, s.randomBaseline(), TOLERANCE);

        TokenSpecialisation all = counts.report(new int[] {0}, 1);
        assertEquals(1.0, all.perExpert()[0][3], TOLERANCE);
        assertEquals((9 / 4.0 + 1 / 4.0 + 4 / 2.0 + 1) / 7, all.overall()[0], TOLERANCE);
    }

    /** ids 5 6 5 6 5 routed to 0 0 1 1 0 (one layer, E = 2, top-1); the model predicts 9 everywhere. */
    private static DocumentRouting fiveTokens() {
        return new DocumentRouting("d", "a", InputKind.TEXT, new int[] {5, 6, 5, 6, 5},
                new float[][][] {top1Logits(2, 0, 0, 1, 1, 0)});
    }

    private static ExpertOutputs fiveTokenOutputs() {
        int[][][] experts = {{{0}, {0}, {1}, {1}, {0}}};
        float[][][] weights = {{{1}, {1}, {1}, {1}, {1}}};
        float[][][] norms = {{{1}, {2}, {3}, {4}, {5}}};
        return new ExpertOutputs(new int[] {9, 9, 9, 9, 9}, experts, weights, norms);
    }

    @Test
    void threeKeysOfOneDocumentByHand() {
        RoutingMetrics metrics = new RoutingMetrics(1, 2, 1, 1);
        metrics.add(fiveTokens(), fiveTokenOutputs());
        RoutingReport report = metrics.report();
        // input: key 5 at t0 t2 t4 -> experts 0 1 0; key 6 at t1 t3 -> 0 1: (4/3 + 1/3 + 1/2 + 1/2) / 5
        assertEquals(8 / 15.0, report.tokenSpecialisation(TokenSpecialisation.Key.INPUT).orElseThrow().overall()[0], TOLERANCE);
        // true next (the last token has none): key 6 <- t0 (0), t2 (1); key 5 <- t1 (0), t3 (1): every s = 1/2
        TokenSpecialisation next = report.tokenSpecialisation(TokenSpecialisation.Key.TRUE_NEXT).orElseThrow();
        assertEquals(0.5, next.overall()[0], TOLERANCE);
        assertEquals(4, next.tokens()[0]);
        // predicted: key 9 everywhere, 3 to expert 0 and 2 to expert 1: (9/5 + 4/5) / 5
        assertEquals(13 / 25.0, report.tokenSpecialisation(TokenSpecialisation.Key.PREDICTED_NEXT).orElseThrow()
                .overall()[0], TOLERANCE);
        // saliency: expert 0 = (1 + 2 + 5) / 3, expert 1 = (3 + 4) / 2, weight 1 everywhere
        ExpertSaliency saliency = report.expertSaliency();
        assertArrayEquals(new double[] {8 / 3.0, 3.5}, saliency.score("a", 0), TOLERANCE);
        assertArrayEquals(new double[] {8 / 3.0, 3.5}, saliency.score(RoutingReport.ALL_CLASSES, 0), TOLERANCE);
        assertNull(report.outputStudiesMissing());
    }

    @Test
    void withoutModelOutputsThePredictedKeyAndSaliencyAreNamedAsMissing() {
        RoutingMetrics metrics = new RoutingMetrics(1, 2, 1, 1);
        metrics.add(fiveTokens());
        RoutingReport report = metrics.report();
        assertTrue(report.tokenSpecialisation(TokenSpecialisation.Key.PREDICTED_NEXT).isEmpty());
        assertTrue(report.tokenSpecialisation(TokenSpecialisation.Key.INPUT).isPresent());
        assertNull(report.expertSaliency());
        assertNotNull(report.outputStudiesMissing());
        assertTrue(report.outputStudiesMissing().contains("not measured"), report.outputStudiesMissing());
    }

    @Test
    void outputsOfAnotherLengthAreRefusedNamingTheDocument() {
        RoutingMetrics metrics = new RoutingMetrics(1, 2, 1, 1);
        ExpertOutputs four = new ExpertOutputs(new int[4], new int[][][] {new int[4][1]}, new float[][][] {new float[4][1]},
                new float[][][] {new float[4][1]});
        var e = assertThrows(IllegalArgumentException.class, () -> metrics.add(fiveTokens(), four));
        assertTrue(e.getMessage().contains("document 'd'"), e.getMessage());
    }

    @Test
    void randomRoutingGivesKOverEAndRoutingByTheKeyGivesOne() {
        int experts = 8;
        int topK = 2;
        int tokens = 20_000;
        Random random = new Random(3);
        int[] ids = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            ids[t] = t % 4;
        }
        RoutingMetrics randomRouter = new RoutingMetrics(new int[] {0}, experts, topK, 5);
        randomRouter.add(new DocumentRouting("r", "a", InputKind.TEXT, ids,
                RoutingFixtures.gaussianLogits(random, 1, tokens, experts)));
        for (TokenSpecialisation s : randomRouter.report().tokenSpecialisation()) {
            assertEquals(topK / (double) experts, s.overall()[0], 0.01, s.key().id());
        }
        float[][] byKey = new float[tokens][experts]; // key x always to experts x and x + 4
        for (int t = 0; t < tokens; t++) {
            byKey[t][ids[t]] = 5;
            byKey[t][ids[t] + 4] = 4;
        }
        RoutingMetrics keyed = new RoutingMetrics(new int[] {0}, experts, topK, 5);
        keyed.add(new DocumentRouting("k", "a", InputKind.TEXT, ids, new float[][][] {byKey}));
        assertEquals(1.0, keyed.report().tokenSpecialisation(TokenSpecialisation.Key.INPUT).orElseThrow().overall()[0],
                TOLERANCE);
    }

    @Test
    void saliencyByHandWithTwoSlotsAndItsRanking() {
        SaliencyCounts counts = new SaliencyCounts(1, 4);
        int[][][] experts = {{{0, 1}, {1, 2}, {0, 2}}};
        float[][][] weights = {{{0.75f, 0.25f}, {0.5f, 0.5f}, {1f, 0f}}};
        float[][][] norms = {{{2, 4}, {2, 6}, {1, 5}}};
        counts.add(new ExpertOutputs(new int[3], experts, weights, norms));
        // expert 0: (0.75*2 + 1*1) / 2; expert 1: (0.25*4 + 0.5*2) / 2; expert 2: (0.5*6 + 0*5) / 2; expert 3: none
        assertArrayEquals(new double[] {1.25, 1.0, 1.5, Double.NaN}, counts.scores()[0], TOLERANCE);
        assertArrayEquals(new long[] {2, 2, 2, 0}, counts.tokens[0]);
        ExpertSaliency s = new ExpertSaliency(List.of("x"), new int[] {3}, new double[][][] {counts.scores()},
                new long[][][] {counts.tokenCopy()});
        assertEquals(List.of(2, 0, 1, 3), s.ranking("x").stream().map(ExpertSaliency.Ranked::expert).toList());
        assertEquals(3, s.ranking("x").get(0).layer());
        assertEquals(s.ranking("x"), s.ranking("x", 3), "one layer: the same order");
        assertTrue(s.ranking("x", 4).isEmpty());
    }
}
