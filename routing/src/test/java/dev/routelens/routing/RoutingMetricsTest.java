package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each metric on worked examples: 4 experts, k=2, logits with obvious top-2 sets. */
class RoutingMetricsTest {

    private static final double TOLERANCE = 1e-12;
    private static final double NAN = Double.NaN;

    /** Class "a": token id 7 five times. Layer 0 top-2: {0,1} {0,2} {3,0} {3,0} {1,2}. Layer 1 all tied. */
    private static final float[][] A_LAYER0 = {
        {4, 3, 0, 0}, {4, 0, 3, 0}, {3, 0, 0, 4}, {3, 0, 0, 4}, {0, 4, 3, 0}};

    /**
     * Class "b": ids 7,7,7,7,7,9,9,9,9,9. Layer 0 top-1: 2,2,2,2,2 then 1,1,1,2,3;
     * top-2: {2,3} x5, {1,2} x3, {2,3}, {3,1}.
     */
    private static final float[][] B_LAYER0 = {
        {0, 0, 5, 1}, {0, 0, 5, 1}, {0, 0, 5, 1}, {0, 0, 5, 1}, {0, 0, 5, 1},
        {0, 5, 1, 0}, {0, 5, 1, 0}, {0, 5, 1, 0}, {0, 0, 5, 1}, {0, 1, 0, 5}};

    private static DocumentRouting documentA() {
        return RoutingFixtures.document("doc-a", "a", RoutingFixtures.repeatedId(7, 5),
                copy(A_LAYER0), RoutingFixtures.equalLogits(5, 4));
    }

    private static DocumentRouting documentB() {
        return RoutingFixtures.document("doc-b", "b", new int[] {7, 7, 7, 7, 7, 9, 9, 9, 9, 9},
                copy(B_LAYER0), RoutingFixtures.equalLogits(10, 4));
    }

    /** A fresh copy, so tests that overwrite a document's logits leave the constants alone. */
    private static float[][] copy(float[][] rows) {
        float[][] copy = new float[rows.length][]; // [T][E]
        for (int t = 0; t < rows.length; t++) {
            copy[t] = rows[t].clone();
        }
        return copy;
    }

    private static RoutingReport report() {
        RoutingMetrics metrics = new RoutingMetrics(2, 4, 2);
        metrics.add(documentA());
        metrics.add(documentB());
        return metrics.report();
    }

    @Test
    void rowsComeForEachClassThenAllClasses() {
        RoutingReport report = report();
        assertEquals(List.of("a", "b", RoutingReport.ALL_CLASSES), report.classLabels());
        assertEquals(6, report.rows().size());
        LayerClassMetrics all = report.row(RoutingReport.ALL_CLASSES, 0);
        assertEquals(2, all.documents());
        assertEquals(15, all.tokens());
        assertEquals(4 + 9, all.tokenPairs(), "pairs never cross documents");
    }

    @Test
    void expertShareIsTheFractionOfTopKSlots() {
        // Class a layer 0 slots: expert 0 in 4 tokens, experts 1, 2, 3 in 2 each; 10 slots.
        assertArrayEquals(new double[] {0.4, 0.2, 0.2, 0.2}, report().row("a", 0).expertShare(), TOLERANCE);
        // Tied logits: every token picks {0, 1}.
        assertArrayEquals(new double[] {0.5, 0.5, 0, 0}, report().row("a", 1).expertShare(), TOLERANCE);
        // b layer 0: {2,3}x5, {1,2}x3, {2,3}, {3,1} -> 0,4,9,7 of 20 slots.
        assertArrayEquals(new double[] {0, 0.2, 0.45, 0.35}, report().row("b", 0).expertShare(), TOLERANCE);
        // Pooled layer 0: a gives 4,2,2,2; b gives 0,4,9,7; 30 slots.
        assertArrayEquals(new double[] {4 / 30.0, 6 / 30.0, 11 / 30.0, 9 / 30.0},
                report().row(RoutingReport.ALL_CLASSES, 0).expertShare(), TOLERANCE);
    }

    @Test
    void consecutiveRepetitionCountsPairsWithinDocuments() {
        // a: top-1 0,0,3,3,1 -> equal pairs 2 of 4; top-2 sets intersect in 3 of 4.
        LayerClassMetrics a = report().row("a", 0);
        assertEquals(0.5, a.repetitionTop1(), TOLERANCE);
        assertEquals(0.75, a.repetitionEither(), TOLERANCE);
        // b: top-1 2,2,2,2,2,1,1,1,2,3 -> 6 of 9; sets {2,3}x5,{1,2}x3,{2,3},{3,1} -> all 9 intersect.
        LayerClassMetrics b = report().row("b", 0);
        assertEquals(6 / 9.0, b.repetitionTop1(), TOLERANCE);
        assertEquals(1.0, b.repetitionEither(), TOLERANCE);
        LayerClassMetrics all = report().row(RoutingReport.ALL_CLASSES, 0);
        assertEquals(8 / 13.0, all.repetitionTop1(), TOLERANCE);
        assertEquals(12 / 13.0, all.repetitionEither(), TOLERANCE);
        assertEquals(1.0, report().row("a", 1).repetitionTop1(), TOLERANCE);
    }

    @Test
    void singleTokenDocumentsGiveNoPairs() {
        RoutingMetrics metrics = new RoutingMetrics(1, 4, 2);
        float[][] expertZero = {{5, 1, 0, 0}};
        metrics.add(RoutingFixtures.document("one", "s", new int[] {1}, expertZero));
        metrics.add(RoutingFixtures.document("two", "s", new int[] {1}, expertZero));
        LayerClassMetrics row = metrics.report().row("s", 0);
        assertEquals(0, row.tokenPairs());
        assertTrue(Double.isNaN(row.repetitionTop1()), "no pair across the two documents");
        assertTrue(Double.isNaN(row.repetitionEither()));
    }

    @Test
    void vocabularySpecialisationUsesTopOneAndPoolsOccurrences() {
        RoutingReport report = report();
        // a: id 7 top-1 counts {0:2, 3:2, 1:1} -> 2/5.
        assertEquals(0.4, report.row("a", 0).vocabularySpecialisation(), TOLERANCE);
        assertEquals(1, report.row("a", 0).vocabularyIds());
        // b: id 7 always expert 2 -> 1; id 9 {1:3, 2:1, 3:1} -> 3/5; mean 0.8.
        assertEquals(0.8, report.row("b", 0).vocabularySpecialisation(), TOLERANCE);
        assertEquals(2, report.row("b", 0).vocabularyIds());
        // pooled: id 7 over 10 occurrences {0:2, 1:1, 2:5, 3:2} -> 0.5; id 9 -> 0.6; mean 0.55.
        assertEquals(0.55, report.row(RoutingReport.ALL_CLASSES, 0).vocabularySpecialisation(), TOLERANCE);
        // tied layer: always expert 0.
        assertEquals(1.0, report.row(RoutingReport.ALL_CLASSES, 1).vocabularySpecialisation(), TOLERANCE);
    }

    @Test
    void vocabularySpecialisationSkipsRareIds() {
        RoutingMetrics metrics = new RoutingMetrics(2, 4, 2, 6);
        metrics.add(documentA());
        metrics.add(documentB());
        RoutingReport report = metrics.report();
        assertTrue(Double.isNaN(report.row("a", 0).vocabularySpecialisation()), "id 7 seen 5 < 6 times in a");
        assertEquals(0, report.row("a", 0).vocabularyIds());
        // pooled: only id 7 (10 occurrences) qualifies.
        assertEquals(0.5, report.row(RoutingReport.ALL_CLASSES, 0).vocabularySpecialisation(), TOLERANCE);
        assertEquals(1, report.row(RoutingReport.ALL_CLASSES, 0).vocabularyIds());
    }

    @Test
    void coActivationIsConditionalWithinTheSameToken() {
        // a: pairs {0,1} {0,2} {0,3} {0,3} {1,2}; chosen counts 4, 2, 2, 2.
        double[][] expected = {
            {1, 1 / 4.0, 1 / 4.0, 2 / 4.0},
            {1 / 2.0, 1, 1 / 2.0, 0},
            {1 / 2.0, 1 / 2.0, 1, 0},
            {1, 0, 0, 1}};
        double[][] actual = report().row("a", 0).coActivation();
        for (int from = 0; from < 4; from++) {
            assertArrayEquals(expected[from], actual[from], TOLERANCE, "from expert " + from);
        }
        // Tied layer: experts 2 and 3 never chosen -> their rows are undefined except the diagonal.
        double[][] tied = report().row("a", 1).coActivation();
        assertArrayEquals(new double[] {1, 1, 0, 0}, tied[0], TOLERANCE);
        assertArrayEquals(new double[] {NAN, NAN, 1, NAN}, tied[2], 0);
    }

    @Test
    void loadBalanceAndEntropyMatchADirectComputation() {
        LayerClassMetrics a = report().row("a", 0);
        double[] f = {0.4, 0.2, 0.2, 0.2};
        double[] meanP = new double[4];
        double entropy = 0;
        for (float[] row : A_LAYER0) {
            double z = 0;
            for (float logit : row) {
                z += Math.exp(logit);
            }
            for (int e = 0; e < 4; e++) {
                double p = Math.exp(row[e]) / z;
                meanP[e] += p / A_LAYER0.length;
                entropy -= p * Math.log(p) / A_LAYER0.length;
            }
        }
        double loadBalance = 4 * (f[0] * meanP[0] + f[1] * meanP[1] + f[2] * meanP[2] + f[3] * meanP[3]);
        assertArrayEquals(meanP, a.meanProbability(), TOLERANCE);
        assertEquals(loadBalance, a.loadBalance(), TOLERANCE);
        assertEquals(entropy, a.entropy(), TOLERANCE);
        // Tied layer: P = 1/4 each, f = (1/2, 1/2, 0, 0) -> 4 * (1/8 + 1/8) = 1; entropy ln 4.
        LayerClassMetrics tied = report().row("a", 1);
        assertEquals(1.0, tied.loadBalance(), TOLERANCE);
        assertEquals(Math.log(4), tied.entropy(), TOLERANCE);
    }

    @Test
    void addKeepsNoReferenceToTheLogits() {
        RoutingMetrics metrics = new RoutingMetrics(2, 4, 2);
        DocumentRouting document = documentA();
        metrics.add(document);
        RoutingReport before = metrics.report();
        for (float[][] layer : document.gateLogits()) {
            for (float[] row : layer) {
                java.util.Arrays.fill(row, 9f);
            }
        }
        document.tokenIds()[0] = 123;
        assertEquals(before, metrics.report());
    }

    @Test
    void documentsOfTheWrongShapeAreRejectedByName() {
        RoutingMetrics metrics = new RoutingMetrics(3, 4, 2);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> metrics.add(documentA()));
        assertTrue(error.getMessage().contains("doc-a") && error.getMessage().contains("2 layers"), error.getMessage());
        RoutingMetrics eightExperts = new RoutingMetrics(2, 8, 2);
        error = assertThrows(IllegalArgumentException.class, () -> eightExperts.add(documentB()));
        assertTrue(error.getMessage().contains("doc-b") && error.getMessage().contains("4 experts"), error.getMessage());
        RoutingMetrics good = new RoutingMetrics(1, 4, 2);
        error = assertThrows(IllegalArgumentException.class, () -> good.add(RoutingFixtures.document(
                "pooled-name", RoutingReport.ALL_CLASSES, new int[] {1}, new float[][] {{0, 0, 0, 0}})));
        assertTrue(error.getMessage().contains("pooled-name"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RoutingMetrics(2, 4, 5));
    }
}
