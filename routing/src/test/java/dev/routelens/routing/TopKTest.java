package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void largestFirstAndTiesToTheLowerIndex() {
        assertArrayEquals(new int[] {3, 2, 1, 0}, TopK.indices(new double[] {0.1, 0.2, 0.3, 0.4}, 4));
        assertArrayEquals(new int[] {1, 2}, TopK.indices(new double[] {0.1, 0.4, 0.4, 0.1}, 2));
        assertArrayEquals(new int[] {0, 1, 2}, TopK.indices(new double[] {0.25, 0.25, 0.25, 0.25}, 3));
        assertArrayEquals(new int[] {2, 0}, TopK.indices(new double[] {0.2, 0.2, 0.5, 0.1}, 2));
    }

    @Test
    void kOutsideOneToEIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TopK.indices(new double[4], 0));
        assertThrows(IllegalArgumentException.class, () -> TopK.indices(new double[4], 5));
    }

    @Test
    void softmaxMatchesDirectFormulaAndSurvivesLargeLogits() {
        double[] probabilities = new double[3];
        TopK.softmax(new float[] {0, 1, 2}, probabilities);
        double z = 1 + Math.E + Math.E * Math.E;
        assertArrayEquals(new double[] {1 / z, Math.E / z, Math.E * Math.E / z}, probabilities, 1e-15);
        TopK.softmax(new float[] {1e30f, 1e30f, -1e30f}, probabilities);
        assertArrayEquals(new double[] {0.5, 0.5, 0}, probabilities, 0);
    }

    @Test
    void entropyInNats() {
        assertEquals(Math.log(8), TopK.entropy(new double[] {.125, .125, .125, .125, .125, .125, .125, .125}), 1e-15);
        assertEquals(0, TopK.entropy(new double[] {0, 1, 0}), 0);
        assertEquals(-0.25 * Math.log(0.25) - 0.75 * Math.log(0.75), TopK.entropy(new double[] {0.25, 0.75}), 1e-15);
    }

    @Test
    void intersectionOfTopKSets() {
        assertTrue(TopK.intersects(new int[] {0, 3}, new int[] {3, 1}));
        assertFalse(TopK.intersects(new int[] {0, 3}, new int[] {1, 2}));
    }
}
