package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 19's studies against hand-computed values: domain-expert information, specialisation, transitions. */
class RoutingStudiesTest {
    private static final double TOLERANCE = 1e-12;

    /**
     * A document whose token t at MoE layer slot m chooses {@code choices[m][t]} (top-1 first, then the rest
     * of its top-k): logits 10, 9, .. for the chosen experts in order, 0 elsewhere. // choices [M][T][k]
     */
    static DocumentRouting routed(String id, String label, int experts, int[][][] choices) {
        int tokens = choices[0].length;
        float[][][] logits = new float[choices.length][tokens][experts]; // [M][T][E]
        for (int m = 0; m < choices.length; m++) {
            for (int t = 0; t < tokens; t++) {
                for (int i = 0; i < choices[m][t].length; i++) {
                    logits[m][t][choices[m][t][i]] = 10 - i;
                }
            }
        }
        return RoutingFixtures.document(id, label, RoutingFixtures.sequentialIds(tokens), logits);
    }

    /** One layer, top-1: each token's single choice. */
    static DocumentRouting top1(String id, String label, int experts, int... firstChoices) {
        int[][][] choices = new int[1][firstChoices.length][];
        for (int t = 0; t < firstChoices.length; t++) {
            choices[0][t] = new int[] {firstChoices[t]};
        }
        return routed(id, label, experts, choices);
    }

    @Test
    void classesWithTheSameExpertDistributionShareNoInformation() {
        RoutingMetrics metrics = new RoutingMetrics(1, 3, 1);
        metrics.add(top1("a", "a", 3, 0, 0, 1, 2)); // 2:1:1
        metrics.add(top1("b", "b", 3, 0, 1, 0, 2, 0, 1, 0, 2)); // 4:2:2, twice the size
        ClassExpertInformation info = metrics.report().mutualInformation(0);
        assertEquals(0.0, info.mutualInformationNats(), "exactly 0, not merely close");
        assertEquals(0.0, info.normalised());
    }

    @Test
    void twoClassesTwoExpertsByHand() {
        // top-2 of 2 experts would give every expert every token; top-1 slots: a = (3, 1), b = (1, 3)
        RoutingMetrics metrics = new RoutingMetrics(1, 2, 1);
        metrics.add(top1("a", "a", 2, 0, 0, 0, 1));
        metrics.add(top1("b", "b", 2, 1, 1, 0, 1));
        // p(c) = p(e) = 1/2; I = 2 (3/8) ln(3/2) + 2 (1/8) ln(1/2)
        double expected = 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5);
        ClassExpertInformation info = metrics.report().mutualInformation(0);
        assertEquals(expected, info.mutualInformationNats(), TOLERANCE);
        assertEquals(Math.log(2), info.classEntropyNats(), TOLERANCE);
        assertEquals(Math.log(2), info.expertEntropyNats(), TOLERANCE);
        assertEquals(expected / Math.log(2), info.normalised(), TOLERANCE);
    }

    @Test
    void topKSlotsEachCount() {
        // top-2 of 3 experts: class a always {0, 1}, class b always {1, 2}; slots a = (2, 2, 0), b = (0, 2, 2)
        RoutingMetrics metrics = new RoutingMetrics(1, 3, 2);
        metrics.add(routed("a", "a", 3, new int[][][] {{{0, 1}, {1, 0}}}));
        metrics.add(routed("b", "b", 3, new int[][][] {{{2, 1}, {1, 2}}}));
        // N = 8; p(c) = 1/2; p(e) = (1/4, 1/2, 1/4); I = 2 (2/8) ln((2/8) / (1/8)) + 2 (2/8) ln((2/8) / (2/8))
        ClassExpertInformation info = metrics.report().mutualInformation(0);
        assertEquals(0.5 * Math.log(2), info.mutualInformationNats(), TOLERANCE);
        double expertEntropy = -2 * 0.25 * Math.log(0.25) - 0.5 * Math.log(0.5);
        assertEquals(expertEntropy, info.expertEntropyNats(), TOLERANCE);
    }

    @Test
    void routingThatNamesTheClassCarriesItsWholeEntropy() {
        RoutingMetrics metrics = new RoutingMetrics(1, 4, 1);
        metrics.add(top1("a", "a", 4, 0, 1, 0));
        metrics.add(top1("b", "b", 4, 2, 3));
        ClassExpertInformation info = metrics.report().mutualInformation(0);
        assertEquals(info.classEntropyNats(), info.mutualInformationNats(), TOLERANCE);
        assertTrue(info.normalised() < 1, "H(expert) > H(class) here");
    }

    @Test
    void oneClassHasNoNormalisedInformation() {
        RoutingMetrics metrics = new RoutingMetrics(2, 2, 1);
        metrics.add(RoutingFixtures.document("a", "a", new int[] {1, 2},
                new float[][] {{1, 0}, {0, 1}}, new float[][] {{1, 0}, {0, 1}}));
        RoutingReport report = metrics.report();
        assertEquals(List.of(0, 1), report.mutualInformation().stream().map(ClassExpertInformation::layer).toList());
        assertEquals(0.0, report.mutualInformation(1).mutualInformationNats());
        assertTrue(Double.isNaN(report.mutualInformation(1).normalised()), "H(class) = 0");
    }

    @Test
    void domainSpecialisationByHandWithUnequalClasses() {
        // one layer, top-1 of 2 experts; class a: 2 tokens (expert 0, 0); class b: 6 tokens (0, 1, 1, 1, 1, 1)
        RoutingMetrics metrics = new RoutingMetrics(1, 2, 1);
        metrics.add(top1("a", "a", 2, 0, 0));
        metrics.add(top1("b", "b", 2, 0, 1, 1, 1, 1, 1));
        DomainSpecialisation d = metrics.report().domainSpecialisation();
        assertFalse(d.equalClassSizes());
        assertArrayEquals(new long[] {2, 6}, d.classTokens());
        // expert 0: N = 3, from a 2 and from b 1
        assertEquals(2 / 3.0, d.share(0, 0, "a"), TOLERANCE);
        assertEquals(1 / 3.0, d.share(0, 0, "b"), TOLERANCE);
        assertEquals(0.0, d.share(0, 1, "a"));
        assertEquals(1.0, d.share(0, 1, "b"));
        // size-normalised: a 2/2 = 1, b 1/6; share 1 / (7/6) = 6/7 and 1/7
        assertEquals(6 / 7.0, d.shareSizeNormalised(0, 0, "a"), TOLERANCE);
        assertEquals(1 / 7.0, d.shareSizeNormalised(0, 0, "b"), TOLERANCE);
        assertEquals(1.0, d.shareSizeNormalised(0, 1, "b"));
    }

    @Test
    void equalClassSizesMakeBothFormsEqualAndClassBlindRoutingGivesOneOverC() {
        RoutingMetrics metrics = new RoutingMetrics(1, 3, 2);
        metrics.add(routed("a", "a", 3, new int[][][] {{{0, 1}, {2, 0}}}));
        metrics.add(routed("b", "b", 3, new int[][][] {{{1, 0}, {0, 2}}}));
        DomainSpecialisation d = metrics.report().domainSpecialisation();
        assertTrue(d.equalClassSizes());
        for (int e = 0; e < 3; e++) {
            for (String c : List.of("a", "b")) {
                assertEquals(0.5, d.share(0, e, c), TOLERANCE);
                assertEquals(d.share(0, e, c), d.shareSizeNormalised(0, e, c), TOLERANCE);
            }
        }
        // class-blind routing over classes of unequal size: raw share follows size, normalised is 1/C
        RoutingMetrics unequal = new RoutingMetrics(1, 2, 1);
        unequal.add(top1("a", "a", 2, 0, 1));
        unequal.add(top1("b", "b", 2, 0, 1, 0, 1, 0, 1));
        DomainSpecialisation u = unequal.report().domainSpecialisation();
        assertEquals(0.25, u.share(0, 0, "a"), TOLERANCE);
        assertEquals(0.5, u.shareSizeNormalised(0, 0, "a"), TOLERANCE);
    }

    @Test
    void anExpertNeverChosenHasNoShare() {
        RoutingMetrics metrics = new RoutingMetrics(1, 3, 1);
        metrics.add(top1("a", "a", 3, 0, 1));
        assertTrue(Double.isNaN(metrics.report().domainSpecialisation().share(0, 2, "a")));
    }

    /** Two MoE layers, top-1: token t chooses {@code first[t]} at layer 0 and {@code second[t]} at layer 1. */
    static DocumentRouting twoLayers(String id, String label, int experts, int[] first, int[] second) {
        int[][][] choices = new int[2][first.length][];
        for (int t = 0; t < first.length; t++) {
            choices[0][t] = new int[] {first[t]};
            choices[1][t] = new int[] {second[t]};
        }
        return routed(id, label, experts, choices);
    }

    @Test
    void transitionsByHand() {
        // class a: (0 -> 0), (0 -> 1), (0 -> 1), (1 -> 1); class b: (1 -> 0), (1 -> 0)
        RoutingMetrics metrics = new RoutingMetrics(2, 2, 1);
        metrics.add(twoLayers("a", "a", 2, new int[] {0, 0, 0, 1}, new int[] {0, 1, 1, 1}));
        metrics.add(twoLayers("b", "b", 2, new int[] {1, 1}, new int[] {0, 0}));
        RoutingReport report = metrics.report();
        LayerTransitions a = report.transitions("a", 0);
        assertEquals(1, a.toLayer());
        assertArrayEquals(new long[][] {{1, 2}, {0, 1}}, a.counts());
        assertEquals(1 / 3.0, a.probability()[0][0], TOLERANCE);
        assertEquals(2 / 3.0, a.probability()[0][1], TOLERANCE);
        assertEquals(1.0, a.probability()[1][1]);
        // N = 4; rows (3, 1), columns (1, 3): I = (1/4) ln(4/3) + (2/4) ln(8/9) + 0 + (1/4) ln(4/3)
        assertEquals(0.5 * Math.log(4 / 3.0) + 0.5 * Math.log(8 / 9.0), a.mutualInformationNats(), TOLERANCE);
        LayerTransitions all = report.transitions(RoutingReport.ALL_CLASSES, 0);
        assertArrayEquals(new long[][] {{1, 2}, {2, 1}}, all.counts());
        assertEquals(2 / 3.0, all.probability()[1][0], TOLERANCE);
        LayerTransitions b = report.transitions("b", 0);
        assertTrue(Double.isNaN(b.probability()[0][0]), "expert 0 was never b's first choice at layer 0");
        assertEquals(0.0, b.mutualInformationNats(), "one transition carries no information");
    }

    @Test
    void independentLayersShareNoInformationAndAPermutationShareAll() {
        // every (i, j) pair once: independent first choices
        RoutingMetrics independent = new RoutingMetrics(2, 3, 1);
        independent.add(twoLayers("a", "a", 3, new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2}));
        assertEquals(0.0, independent.report().transitions("a", 0).mutualInformationNats(), "exactly 0");
        // j = (i + 1) mod 3: deterministic, so I = H(first at the earlier layer)
        RoutingMetrics permuted = new RoutingMetrics(2, 3, 1);
        permuted.add(twoLayers("a", "a", 3, new int[] {0, 1, 1, 2, 2, 2}, new int[] {1, 2, 2, 0, 0, 0}));
        LayerTransitions t = permuted.report().transitions("a", 0);
        double entropy = -(1 / 6.0) * Math.log(1 / 6.0) - (2 / 6.0) * Math.log(2 / 6.0) - 0.5 * Math.log(0.5);
        assertEquals(entropy, t.fromEntropyNats(), TOLERANCE);
        assertEquals(entropy, t.mutualInformationNats(), TOLERANCE);
        assertEquals(1.0, t.probability()[2][0]);
    }

    @Test
    void transitionsUseTheFirstChoiceAndNameRealLayers() {
        // top-2 at real layers 1 and 3 (a family with dense layers 0 and 2): the second choice never counts
        RoutingMetrics metrics = new RoutingMetrics(new int[] {1, 3}, 3, 2, 1);
        int[][][] choices = {{{0, 2}, {1, 2}}, {{2, 0}, {2, 1}}};
        float[][][] logits = routed("x", "a", 3, choices).gateLogits();
        metrics.add(new DocumentRouting("x", "a", dev.routelens.core.InputKind.TEXT, new int[] {0, 1}, logits,
                new int[] {1, 3}));
        LayerTransitions t = metrics.report().transitions("a", 1);
        assertEquals(3, t.toLayer());
        assertArrayEquals(new long[][] {{0, 0, 1}, {0, 0, 1}, {0, 0, 0}}, t.counts());
        assertEquals(1, metrics.report().transitions().size() / 2, "one pair per class, (all) included");
    }
}
