package dev.routelens.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NearestNeighborsTest {

    @Test
    void matchesBruteForceIncludingDuplicates() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(4, 150, 12, 4.0, 21L);
        double[][] x = blobs.x();
        x[7] = x[3].clone(); // a duplicate pair
        x[400] = x[3].clone();
        int k = 15;
        NearestNeighbors knn = NearestNeighbors.exact(x, k);
        for (int i = 0; i < x.length; i++) {
            double[] distances = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                distances[j] = j == i ? Double.POSITIVE_INFINITY : Matrices.squaredDistance(x[i], x[j]);
            }
            int[] expected = EmbeddingQuality.smallest(distances, k, i);
            int[] got = java.util.Arrays.copyOfRange(knn.indices, i * k, i * k + k);
            assertArrayEquals(expected, got, "row " + i);
            for (int t = 0; t < k; t++) {
                assertEquals(distances[expected[t]], knn.squaredDistances[i * k + t], 0.0);
            }
        }
    }

    @Test
    void worksWhenKIsAllOtherPoints() {
        Random random = new Random(3);
        double[][] x = new double[9][3];
        for (double[] row : x) {
            for (int d = 0; d < 3; d++) {
                row[d] = random.nextDouble();
            }
        }
        NearestNeighbors knn = NearestNeighbors.exact(x, 8);
        for (int i = 0; i < 9; i++) {
            boolean[] seen = new boolean[9];
            for (int t = 0; t < 8; t++) {
                seen[knn.indices[i * 8 + t]] = true;
            }
            for (int j = 0; j < 9; j++) {
                assertEquals(j != i, seen[j]);
            }
        }
    }
}
