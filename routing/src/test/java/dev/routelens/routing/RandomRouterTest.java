package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A router with no preference (Gaussian logits) must reach the random baselines. */
class RandomRouterTest {

    private static final int LAYERS = 2;
    private static final int EXPERTS = 8;
    private static final int TOP_K = 2;
    private static final int DOCUMENTS = 40;
    private static final int TOKENS = 1000;

    @Test
    void baselinesMatchBruteForceEnumeration() {
        assertEquals(0.125, RoutingMetrics.randomBaselineTop1(8), 0);
        assertEquals(1 - 15.0 / 28.0, RoutingMetrics.randomBaselineEither(8, 2), 1e-15);
        assertEquals(0.4643, RoutingMetrics.randomBaselineEither(8, 2), 5e-5);
        for (int experts = 1; experts <= 7; experts++) {
            for (int k = 1; k <= experts; k++) {
                assertEquals(enumerateIntersecting(experts, k), RoutingMetrics.randomBaselineEither(experts, k), 1e-12,
                        "E=" + experts + " k=" + k);
            }
        }
    }

    @Test
    void uniformRouterReachesRandomBaselines() {
        Random random = new Random(20240927L);
        RoutingMetrics metrics = new RoutingMetrics(LAYERS, EXPERTS, TOP_K);
        for (int d = 0; d < DOCUMENTS; d++) {
            int[] ids = new int[TOKENS]; // [T]
            for (int t = 0; t < TOKENS; t++) {
                ids[t] = random.nextInt(50);
            }
            metrics.add(new DocumentRouting("random-" + d, d % 2 == 0 ? "even" : "odd", InputKind.TEXT, ids,
                    RoutingFixtures.gaussianLogits(random, LAYERS, TOKENS, EXPERTS)));
        }
        RoutingReport report = metrics.report();
        long tokens = (long) DOCUMENTS * TOKENS;
        long pairs = (long) DOCUMENTS * (TOKENS - 1);
        for (int layer = 0; layer < LAYERS; layer++) {
            LayerClassMetrics row = report.row(RoutingReport.ALL_CLASSES, layer);
            assertEquals(pairs, row.tokenPairs());
            assertWithin(report.randomBaselineTop1(), row.repetitionTop1(), pairs, 3, "top-1 repetition");
            assertWithin(report.randomBaselineEither(), row.repetitionEither(), pairs, 3, "either repetition");
            for (int e = 0; e < EXPERTS; e++) {
                // Each token includes expert e with probability k/E; share = that / k.
                double standardError = Math.sqrt((TOP_K / (double) EXPERTS) * (1 - TOP_K / (double) EXPERTS) / tokens) / TOP_K;
                assertEquals(1.0 / EXPERTS, row.expertShare()[e], 4 * standardError, "share of expert " + e);
                assertEquals(1.0 / EXPERTS, row.meanProbability()[e], 0.005, "mean probability of expert " + e);
                for (int to = 0; to < EXPERTS; to++) {
                    if (to != e) {
                        double chosen = row.expertShare()[e] * tokens * TOP_K;
                        double p = 1.0 / (EXPERTS - 1);
                        assertEquals(p, row.coActivation()[e][to], 4 * Math.sqrt(p * (1 - p) / chosen),
                                "co-activation " + e + "->" + to);
                    }
                }
            }
            assertEquals(1.0, row.loadBalance(), 0.01);
            assertTrue(row.entropy() > 0 && row.entropy() < Math.log(EXPERTS), "entropy " + row.entropy());
            // 50 ids over 40k tokens: each seen ~800 times, most-used expert a little above 1/E.
            assertEquals(50, row.vocabularyIds());
            assertTrue(row.vocabularySpecialisation() > 1.0 / EXPERTS
                    && row.vocabularySpecialisation() < 1.0 / EXPERTS + 0.05, "specialisation " + row.vocabularySpecialisation());
        }
    }

    private static void assertWithin(double expected, double actual, long trials, double errors, String what) {
        double standardError = Math.sqrt(expected * (1 - expected) / trials);
        assertEquals(expected, actual, errors * standardError,
                what + ": " + actual + " vs baseline " + expected + " (SE " + standardError + ")");
    }

    /** Fraction of ordered pairs of k-subsets of E experts that share an expert. */
    private static double enumerateIntersecting(int experts, int k) {
        long total = 0;
        long intersecting = 0;
        for (int first = 0; first < 1 << experts; first++) {
            if (Integer.bitCount(first) != k) {
                continue;
            }
            for (int second = 0; second < 1 << experts; second++) {
                if (Integer.bitCount(second) == k) {
                    total++;
                    if ((first & second) != 0) {
                        intersecting++;
                    }
                }
            }
        }
        return intersecting / (double) total;
    }
}
