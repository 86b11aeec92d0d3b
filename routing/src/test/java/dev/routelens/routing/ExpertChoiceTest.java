package dev.routelens.routing;

import dev.routelens.core.InputKind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.routing.ExpertChoice.Variant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpertChoiceTest {

    private static final double TOLERANCE = 1e-12;
    private static final double E = Math.E;

    /** 2 layers, 3 tokens, 4 experts. */
    private static DocumentRouting tiny() {
        float[][] layer0 = {{1, 0, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, -1}}; // [T][E], sums 2, 1, 1, -1
        float[][] layer1 = {{3, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 0, 0}}; // [T][E], sums 3, 3, 0, 0
        return RoutingFixtures.document("tiny", "x", new int[] {5, 6, 7}, layer0, layer1);
    }

    @Test
    void paperVariantIsSoftmaxOfSummedLogits() {
        double z0 = E * E + 2 * E + 1 / E; // exp(2) + exp(1) + exp(1) + exp(-1)
        double e3 = E * E * E;
        double z1 = 2 * e3 + 2; // exp(3) + exp(3) + exp(0) + exp(0)
        double[] expected = {
            E * E / z0, E / z0, E / z0, (1 / E) / z0,
            e3 / z1, e3 / z1, 1 / z1, 1 / z1};
        assertArrayEquals(expected, ExpertChoice.vector(tiny()), TOLERANCE);
        assertArrayEquals(expected, ExpertChoice.vector(tiny(), Variant.LOGIT_SUM_SOFTMAX, 2), TOLERANCE);
    }

    @Test
    void meanProbVariantAveragesPerTokenSoftmax() {
        // Layer 0 per-token softmaxes: [e,1,1,1]/(e+3), [e,e,1,1]/(2e+2), [1,1,e,1/e]/(2+e+1/e).
        double a = E + 3;
        double b = 2 * E + 2;
        double c = 2 + E + 1 / E;
        // Layer 1: [e^3,1,1,1]/(e^3+3), [1,e^3,1,1]/(e^3+3), [1,1,1,1]/4.
        double e3 = E * E * E;
        double d = e3 + 3;
        double[] expected = {
            (E / a + E / b + 1 / c) / 3, (1 / a + E / b + 1 / c) / 3,
            (1 / a + 1 / b + E / c) / 3, (1 / a + 1 / b + (1 / E) / c) / 3,
            (e3 / d + 1 / d + 0.25) / 3, (1 / d + e3 / d + 0.25) / 3,
            (1 / d + 1 / d + 0.25) / 3, (1 / d + 1 / d + 0.25) / 3};
        assertArrayEquals(expected, ExpertChoice.vector(tiny(), Variant.MEAN_PROB, 2), TOLERANCE);
    }

    @Test
    void topKFrequencyCountsSlotsWithLowerIndexWinningTies() {
        // k=2. Layer 0: {0,1}, {0,1}, {2,0} -> counts 3,2,1,0 of 6. Layer 1: {0,1}, {1,0}, {0,1} -> 3,3,0,0.
        double[] top2 = {3 / 6.0, 2 / 6.0, 1 / 6.0, 0, 0.5, 0.5, 0, 0};
        assertArrayEquals(top2, ExpertChoice.vector(tiny(), Variant.TOPK_FREQUENCY, 2), TOLERANCE);
        // k=1. Layer 0: 0, 0, 2. Layer 1: 0, 1, 0.
        double[] top1 = {2 / 3.0, 0, 1 / 3.0, 0, 2 / 3.0, 1 / 3.0, 0, 0};
        assertArrayEquals(top1, ExpertChoice.vector(tiny(), Variant.TOPK_FREQUENCY, 1), TOLERANCE);
    }

    @Test
    void softmaxOfLargeSumsIsStable() {
        float[][] layer = {{1000, 999, 0, 0}, {1000, 999, 0, 0}, {1000, 999, 0, 0}}; // sums 3000, 2997, 0, 0
        double[] vector = ExpertChoice.vector(RoutingFixtures.document("big", "x", new int[] {1, 2, 3}, layer));
        double z = 1 + Math.exp(-3);
        assertArrayEquals(new double[] {1 / z, Math.exp(-3) / z, 0, 0}, vector, TOLERANCE);
    }

    @Test
    void everyLayerOfEveryVariantSumsToOne() {
        DocumentRouting document = randomDocument(new Random(11), 29);
        for (Variant variant : Variant.values()) {
            double[][] matrix = ExpertChoice.toMatrix(ExpertChoice.vector(document, variant, 2), 8); // [L][E]
            assertEquals(3, matrix.length);
            for (double[] layer : matrix) {
                assertEquals(1.0, Arrays.stream(layer).sum(), 1e-12, variant.name());
            }
        }
    }

    @Test
    void chunkedLogitSumsGiveTheWholeDocumentVector() {
        DocumentRouting document = randomDocument(new Random(7), 37);
        int[] chunkSizes = {10, 0, 20, 7};
        double[][] sums = new double[3][8]; // [L][E]
        int start = 0;
        for (int size : chunkSizes) {
            ExpertChoice.addLogitSums(sums, slice(document.gateLogits(), start, start + size));
            start += size;
        }
        assertEquals(37, start);
        assertArrayEquals(ExpertChoice.logitSums(document)[2], sums[2], 1e-9);
        assertArrayEquals(ExpertChoice.vector(document), ExpertChoice.fromLogitSums(sums), 1e-12);
    }

    @Test
    void chunkedAccumulatorMatchesWholeDocumentForEveryVariant() {
        DocumentRouting document = randomDocument(new Random(3), 41);
        for (Variant variant : Variant.values()) {
            ExpertChoice.Accumulator accumulator = new ExpertChoice.Accumulator(3, 8, variant, 2);
            accumulator.add(slice(document.gateLogits(), 0, 13));
            accumulator.add(slice(document.gateLogits(), 13, 13));
            accumulator.add(slice(document.gateLogits(), 13, 41));
            assertEquals(41, accumulator.tokens());
            assertArrayEquals(ExpertChoice.vector(document, variant, 2), accumulator.vector(), 1e-12, variant.name());
        }
    }

    @Test
    void columnNamesAreLayerMajor() {
        assertEquals(List.of("L0E0", "L0E1", "L0E2", "L1E0", "L1E1", "L1E2"), ExpertChoice.columnNames(2, 3));
        List<String> scidfm = ExpertChoice.columnNames(26, 8);
        assertEquals(208, scidfm.size());
        assertEquals("L0E7", scidfm.get(7));
        assertEquals("L1E0", scidfm.get(8));
        assertEquals("L25E7", scidfm.get(207));
        assertThrows(IllegalArgumentException.class, () -> ExpertChoice.columnNames(0, 8));
    }

    @Test
    void toMatrixSplitsByLayer() {
        double[][] matrix = ExpertChoice.toMatrix(new double[] {1, 2, 3, 4, 5, 6}, 3);
        assertArrayEquals(new double[] {1, 2, 3}, matrix[0]);
        assertArrayEquals(new double[] {4, 5, 6}, matrix[1]);
        assertThrows(IllegalArgumentException.class, () -> ExpertChoice.toMatrix(new double[5], 3));
    }

    @Test
    void badInputsAreRejectedWithAReason() {
        IllegalArgumentException topK = assertThrows(IllegalArgumentException.class,
                () -> ExpertChoice.vector(tiny(), Variant.TOPK_FREQUENCY, 5));
        assertTrue(topK.getMessage().contains("'tiny'") && topK.getMessage().contains("top-k 5"), topK.getMessage());
        IllegalArgumentException sums = assertThrows(IllegalArgumentException.class,
                () -> ExpertChoice.fromLogitSums(new double[][] {{0, 1}, {Double.NaN, 0}}));
        assertTrue(sums.getMessage().contains("layer 1 expert 0"), sums.getMessage());
        ExpertChoice.Accumulator empty = new ExpertChoice.Accumulator(3, 8, Variant.MEAN_PROB, 2);
        assertThrows(IllegalStateException.class, empty::vector);
        assertThrows(IllegalArgumentException.class, () -> empty.add(new float[2][0][8]));
    }

    private static DocumentRouting randomDocument(Random random, int tokens) {
        return new DocumentRouting("random", "x", dev.routelens.core.InputKind.PROTEIN,
                RoutingFixtures.sequentialIds(tokens), RoutingFixtures.gaussianLogits(random, 3, tokens, 8));
    }

    /** Tokens [from, to) of every layer; [L][to-from][E]. */
    private static float[][][] slice(float[][][] logits, int from, int to) {
        float[][][] chunk = new float[logits.length][][];
        for (int layer = 0; layer < logits.length; layer++) {
            chunk[layer] = Arrays.copyOfRange(logits[layer], from, to);
        }
        return chunk;
    }
}
