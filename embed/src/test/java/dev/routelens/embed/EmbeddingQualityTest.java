package dev.routelens.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingQualityTest {

    private static double[][] line(double... xs) {
        double[][] out = new double[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            out[i] = new double[] {xs[i], 0.0};
        }
        return out;
    }

    @Test
    void silhouetteOfFourPointsMatchesHandComputation() {
        // A = {0, 1}, B = {4, 6} on a line.
        // s(0) = (5 - 1) / 5 = 0.8; s(1) = (4 - 1) / 4 = 0.75;
        // s(4) = (3.5 - 2) / 3.5 = 3/7; s(6) = (5.5 - 2) / 5.5 = 7/11.
        double expected = (0.8 + 0.75 + 3.0 / 7.0 + 7.0 / 11.0) / 4.0;
        double got = EmbeddingQuality.silhouette(line(0, 1, 4, 6), new String[] {"A", "A", "B", "B"},
                DistanceMetric.EUCLIDEAN);
        assertEquals(expected, got, 1e-12);
    }

    @Test
    void cosineSilhouetteIgnoresLengthAndMatchesHandComputation() {
        // Within-class cosine distance 0, between classes 1 (orthogonal): every s = 1.
        double[][] x = {{1, 0}, {2, 0}, {0, 1}, {0, 3}};
        String[] labels = {"A", "A", "B", "B"};
        assertEquals(1.0, EmbeddingQuality.silhouette(x, labels, DistanceMetric.COSINE), 1e-12);
        assertTrue(EmbeddingQuality.silhouette(x, labels, DistanceMetric.EUCLIDEAN) < 0.9);
    }

    @Test
    void silhouetteOfWellSeparatedBlobsIsNearOne() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(2, 50, 5, 100.0, 3L);
        double s = EmbeddingQuality.silhouette(blobs.x(), blobs.labels(), DistanceMetric.EUCLIDEAN);
        assertTrue(s > 0.95, "silhouette " + s);
        SyntheticData.Labelled mixed = SyntheticData.blobs(2, 50, 5, 0.0, 3L);
        double none = EmbeddingQuality.silhouette(mixed.x(), mixed.labels(), DistanceMetric.EUCLIDEAN);
        assertTrue(Math.abs(none) < 0.1, "silhouette of identical blobs " + none);
    }

    @Test
    void silhouetteNeedsTwoClasses() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddingQuality.silhouette(line(0, 1, 2),
                new String[] {"A", "A", "A"}, DistanceMetric.EUCLIDEAN));
    }

    @Test
    void knnAccuracyIsOneOnSeparableClasses() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(3, 40, 4, 50.0, 5L);
        assertEquals(1.0, EmbeddingQuality.knnAccuracy(blobs.x(), blobs.labels(), 10));
    }

    @Test
    void knnTiesGoToTheLabelWithTheSmallestTotalDistance() {
        // k = 2 on a line; labels A B A B A at 0, 1, -1.5, 10, 11.2.
        // 0: voters 1 (B, d 1) and -1.5 (A, d 1.5): tie, B is closer in total -> B, wrong.
        // 1: voters 0 (A) and -1.5 (A) -> A, wrong.
        // -1.5: voters 0 (A, 1.5) and 1 (B, 2.5): tie -> A, right.
        // 10: voters 11.2 (A, 1.2) and 1 (B, 9): tie -> A, wrong.
        // 11.2: voters 10 (B) and 1 (B) -> B, wrong.  Accuracy 1/5.
        double acc = EmbeddingQuality.knnAccuracy(line(0, 1, -1.5, 10, 11.2),
                new String[] {"A", "B", "A", "B", "A"}, 2);
        assertEquals(0.2, acc, 1e-12);
    }

    @Test
    void trustworthinessOfIdentityIsOneAndOfScrambledIsLower() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(3, 30, 6, 5.0, 11L);
        double[][] x = blobs.x();
        assertEquals(1.0, EmbeddingQuality.trustworthiness(x, x, 5), 1e-12);
        double[][] scrambled = Matrices.copy(x);
        List<double[]> rows = Arrays.asList(scrambled);
        java.util.Collections.shuffle(rows, new Random(2));
        double t = EmbeddingQuality.trustworthiness(x, scrambled, 5);
        assertTrue(t < 0.7, "scrambled trustworthiness " + t);
    }

    @Test
    void trustworthinessMatchesHandComputation() {
        // High: 0 1 2 3 4 5 on a line; low: the same but points 0 and 5 swap places. k = 2, N = 6.
        // Low neighbours, then their high-dimensional ranks r (ties: lower index first), penalty sum(r - k):
        // p0 (at 5) -> {p4, p3}; from 0 they rank 4 and 3 -> 2 + 1 = 3.
        // p5 (at 0) -> {p1, p2}; from 5 they rank 4 and 3 -> 3.
        // p1 (at 1) -> {p2, p5}; from 1: p0 r1, p2 r2, p3 r3, p4 r4, p5 r5 -> 0 + 3 = 3.
        // p4 (at 4) -> {p0, p3}; from 4: p3 r1, p5 r2, p2 r3, p1 r4, p0 r5 -> 3.
        // p2 -> {p1, p3} and p3 -> {p2, p4}: both ranks <= 2 -> 0.
        // Sum 12; T = 1 - 2 / (6 * 2 * (12 - 6 - 1)) * 12 = 1 - 24 / 60 = 0.6.
        double[][] high = line(0, 1, 2, 3, 4, 5);
        double[][] low = line(5, 1, 2, 3, 4, 0);
        assertEquals(0.6, EmbeddingQuality.trustworthiness(high, low, 2), 1e-12);
    }

    @Test
    void trustworthinessAgreesWithAFullRankMatrixImplementation() {
        Random random = new Random(8);
        int n = 60;
        double[][] high = new double[n][7];
        double[][] low = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 7; d++) {
                high[i][d] = random.nextGaussian();
            }
            low[i][0] = high[i][0] + 0.5 * random.nextGaussian();
            low[i][1] = high[i][1] + 0.5 * random.nextGaussian();
        }
        for (int k : new int[] {1, 5, 12}) {
            assertEquals(referenceTrustworthiness(high, low, k), EmbeddingQuality.trustworthiness(high, low, k), 1e-12);
        }
    }

    /** scikit-learn's algorithm: full argsort of each row, inverted to a rank matrix. */
    private static double referenceTrustworthiness(double[][] high, double[][] low, int k) {
        int n = high.length;
        int[][] rank = new int[n][n];
        for (int i = 0; i < n; i++) {
            final int row = i;
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(dist(high, row, a), dist(high, row, b)));
            for (int r = 0; r < n; r++) {
                rank[i][order[r]] = r + 1;
            }
        }
        double t = 0.0;
        for (int i = 0; i < n; i++) {
            final int row = i;
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(dist(low, row, a), dist(low, row, b)));
            for (int r = 1; r <= k; r++) { // order[0] is the point itself
                int excess = rank[i][order[r]] - 1 - k; // rank among others = full rank - 1
                if (excess > 0) {
                    t += excess;
                }
            }
        }
        return 1.0 - t * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0));
    }

    private static double dist(double[][] x, int i, int j) {
        return i == j ? -1.0 : Math.sqrt(Matrices.squaredDistance(x[i], x[j]));
    }

    @Test
    void trustworthinessRejectsLargeK() {
        double[][] x = line(0, 1, 2, 3, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> EmbeddingQuality.trustworthiness(x, x, 3));
    }

    @Test
    void centroidDistancesFollowSortedLabels() {
        double[][] x = {{2, 4}, {4, 4}, {0, -1}, {0, 1}};
        CentroidDistances c = EmbeddingQuality.centroidDistances(x, new String[] {"z", "z", "a", "a"});
        assertEquals(List.of("a", "z"), c.labels());
        // Centroids (0, 0) and (3, 4).
        assertArrayEquals(new double[] {0.0, 5.0}, c.distances()[0], 1e-12);
        assertEquals(5.0, c.between("z", "a"), 1e-12);
    }

    @Test
    void reportBundlesTheMeasures() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(3, 20, 6, 30.0, 4L);
        double[][] low = Pca.fit(blobs.x(), 2).coords();
        QualityReport report = QualityReport.of(blobs.x(), low, blobs.labels());
        assertEquals(List.of("c0", "c1", "c2"), report.labelOrder());
        assertEquals(1.0, report.knnAccuracyHigh());
        assertEquals(EmbeddingQuality.trustworthiness(blobs.x(), low, 5), report.trustworthiness());
        assertEquals(3, report.centroidDistancesLow().length);
        assertTrue(report.silhouetteHighEuclidean() > 0.8);
        assertTrue(report.silhouetteHighCosine() > 0.5);
    }

    @Test
    void badInputNamesRowAndColumn() {
        double[][] x = {{0, 0}, {1, Double.NaN}, {2, 2}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingQuality.knnAccuracy(x, new String[] {"a", "b", "a"}, 1));
        assertTrue(e.getMessage().contains("row 1, column 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddingQuality.knnAccuracy(line(0, 1, 2), new String[] {"a", "b"}, 1));
    }
}
