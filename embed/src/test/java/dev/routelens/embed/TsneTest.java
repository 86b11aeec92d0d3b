package dev.routelens.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import smile.manifold.TSNE;
import smile.math.MathEx;

class TsneTest {

    private static final TsneConfig SHORT = TsneConfig.defaults().withIterations(400).withPerplexity(10);

    @Test
    void sameSeedGivesIdenticalCoordinatesAndAnotherSeedDiffers() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(3, 20, 8, 4.0, 1L);
        for (TsneMethod method : new TsneMethod[] {TsneMethod.EXACT, TsneMethod.BARNES_HUT}) {
            TsneConfig config = SHORT.withMethod(method).withSeed(7);
            Embedding first = Tsne.fit(blobs.x(), config);
            Embedding second = Tsne.fit(blobs.x(), config);
            Embedding other = Tsne.fit(blobs.x(), config.withSeed(8));
            assertEquals(3, first.dims());
            for (int i = 0; i < blobs.x().length; i++) {
                assertArrayEquals(first.coords()[i], second.coords()[i], 0.0, method + " row " + i);
            }
            assertFalse(Arrays.deepEquals(first.coords(), other.coords()), method + " ignores the seed");
            assertTrue(Double.isFinite(first.stat("klDivergence")), method + " KL " + first.stats());
        }
    }

    @Test
    void squareInputIsTreatedAsPointsNotAsDistances() {
        // 40 points of 40 non-negative numbers (like routing frequencies): blobs around 3 and 9.
        java.util.Random random = new java.util.Random(5);
        int n = 40;
        double[][] x = new double[n][n];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            double centre = i < n / 2 ? 3.0 : 9.0;
            labels[i] = i < n / 2 ? "low" : "high";
            for (int d = 0; d < n; d++) {
                x[i][d] = centre + random.nextGaussian();
            }
        }
        TsneConfig config = TsneConfig.defaults().withDims(2).withIterations(500).withMethod(TsneMethod.EXACT);
        Embedding guarded = Tsne.fit(x, config);
        assertEquals(1.0, guarded.stat("squareInputGuarded"));
        double guardedAccuracy = EmbeddingQuality.knnAccuracy(guarded.coords(), labels, 5);
        double guardedSilhouette = EmbeddingQuality.silhouette(guarded.coords(), labels, DistanceMetric.EUCLIDEAN);
        assertEquals(1.0, guardedAccuracy, "guarded t-SNE must separate the blobs");
        assertTrue(guardedSilhouette > 0.5, "guarded silhouette " + guardedSilhouette);

        // Unguarded, Smile reads row i as distances from point i: blob membership is lost.
        double[][] unguarded;
        synchronized (TsneTest.class) {
            MathEx.setSeed(config.seed());
            unguarded = new TSNE(x, 2, config.effectivePerplexity(n), 200, 500).coordinates;
        }
        double unguardedAccuracy = EmbeddingQuality.knnAccuracy(unguarded, labels, 5);
        double unguardedSilhouette = EmbeddingQuality.silhouette(unguarded, labels, DistanceMetric.EUCLIDEAN);
        assertTrue(unguardedAccuracy < 0.8 && unguardedSilhouette < 0.15,
                "unguarded Smile unexpectedly separates: kNN " + unguardedAccuracy + ", silhouette " + unguardedSilhouette);

        // The guard changes no distance.
        double[][] widened = Tsne.guardSquare(x);
        assertEquals(n + 1, widened[0].length);
        assertEquals(Matrices.squaredDistance(x[3], x[30]), Matrices.squaredDistance(widened[3], widened[30]), 0.0);
        double[][] notSquare = new double[5][3];
        assertSame(notSquare, Tsne.guardSquare(notSquare));
    }

    @Test
    void refusesSizesThatWouldNotFitWithOneLine() {
        double[][] huge = new double[60_000][2]; // exact t-SNE would need ~ 3 x 60000^2 x 8 bytes = 80 GiB
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Tsne.fit(huge, TsneConfig.defaults().withMethod(TsneMethod.EXACT)));
        String message = e.getMessage();
        assertTrue(message.contains("n=60000"), message);
        // 3 * (60000^2 * 8 + 16 * 60000) + 60000 * 3 * 8 + 5 * 60000 * (3 * 8 + 16) = 86,416,320,000 bytes.
        assertTrue(message.contains("about 82,413 MiB"), message);
        assertTrue(message.contains("Barnes-Hut"), message);
        assertFalse(message.contains("\n"), message);

        IllegalStateException tight = assertThrows(IllegalStateException.class,
                () -> Tsne.requireHeap("exact t-SNE", 2000, 96L << 20, 64L << 20));
        assertEquals("exact t-SNE of n=2000 points needs about 96 MiB of heap but only 64 MiB is available; "
                + "use fewer points, the Barnes-Hut method or raise -Xmx", tight.getMessage());
        Tsne.requireHeap("exact t-SNE", 2000, 64L << 20, 64L << 20); // fits: no exception
    }

    @Test
    void barnesHutMatchesExactQualityOnThreeClusters() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(3, 100, 10, 1.5, 12L);
        TsneConfig config = TsneConfig.defaults().withDims(2).withIterations(1000);
        Embedding exact = Tsne.fit(blobs.x(), config.withMethod(TsneMethod.EXACT));
        Embedding barnesHut = Tsne.fit(blobs.x(), config.withMethod(TsneMethod.BARNES_HUT));
        double trustExact = EmbeddingQuality.trustworthiness(blobs.x(), exact.coords(), 5);
        double trustBh = EmbeddingQuality.trustworthiness(blobs.x(), barnesHut.coords(), 5);
        double knnExact = EmbeddingQuality.knnAccuracy(exact.coords(), blobs.labels(), 10);
        double knnBh = EmbeddingQuality.knnAccuracy(barnesHut.coords(), blobs.labels(), 10);
        String summary = String.format("trust %.4f vs %.4f, kNN %.4f vs %.4f, KL %.4f vs %.4f", trustExact, trustBh,
                knnExact, knnBh, exact.stat("klDivergence"), barnesHut.stat("klDivergence"));
        assertTrue(Math.abs(trustExact - trustBh) < 0.03, summary);
        assertTrue(Math.abs(knnExact - knnBh) < 0.03, summary);
        assertTrue(trustBh > 0.85 && knnBh > 0.9, summary);
        // The same exact objective (dense P) on both final layouts; Barnes-Hut reports its sparse estimate.
        double klBhExact = BarnesHutTsne.exactKlDivergence(blobs.x(), barnesHut.coords(), 30.0);
        assertTrue(Math.abs(exact.stat("klDivergence") - klBhExact) < 0.15, summary + ", BH exact KL " + klBhExact);
        assertEquals(klBhExact, barnesHut.stat("klDivergence"), 0.05 * klBhExact, "sparse KL estimate");
    }

    @Test
    void autoPicksBarnesHutAboveTheThreshold() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(2, 10, 3, 3.0, 2L);
        assertTrue(Tsne.fit(blobs.x(), SHORT.withIterations(10)).method().contains("exact"));
        assertTrue(Tsne.fit(blobs.x(), SHORT.withIterations(10).withMethod(TsneMethod.BARNES_HUT)).method()
                .contains("Barnes-Hut"));
    }

    @Test
    void rejectsBadInputWithOneLine() {
        TsneConfig config = SHORT.withIterations(10);
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> Tsne.fit(new double[3][2], config));
        assertTrue(few.getMessage().contains("at least 4 rows"), few.getMessage());
        double[][] nan = new double[6][2];
        nan[4][1] = Double.POSITIVE_INFINITY;
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class, () -> Tsne.fit(nan, config));
        assertTrue(inf.getMessage().contains("row 4, column 1 is Infinity"), inf.getMessage());
        double[][] ragged = {{0, 0}, {1, 1}, {2}, {3, 3}, {4, 4}};
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> Tsne.fit(ragged, config));
        assertTrue(r.getMessage().contains("row 2 has 1 values, expected 2"), r.getMessage());
    }

    @Test
    void tinyInputsWorkWithBothMethods() {
        double[][] x = {{0, 0}, {0, 1}, {5, 5}, {5, 6}, {10, 0}};
        for (TsneMethod method : new TsneMethod[] {TsneMethod.EXACT, TsneMethod.BARNES_HUT}) {
            Embedding e = Tsne.fit(x, SHORT.withMethod(method).withDims(2).withIterations(300));
            assertEquals(5, e.n());
            for (double[] row : e.coords()) {
                assertTrue(Double.isFinite(row[0]) && Double.isFinite(row[1]), method + " " + Arrays.toString(row));
            }
            assertEquals(4.0 / 3.0, e.stat("perplexity"), 1e-12);
        }
    }
}
