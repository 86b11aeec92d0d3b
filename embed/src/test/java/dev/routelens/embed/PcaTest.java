package dev.routelens.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaTest {

    @Test
    void eigenDecompositionSatisfiesAvEqualsLambdaV() {
        Random random = new Random(1);
        for (int m : new int[] {1, 2, 7, 40}) {
            double[][] a = new double[m][m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = a[j][i] = random.nextGaussian();
                }
            }
            SymmetricEigen eigen = SymmetricEigen.of(a);
            for (int c = 0; c < m; c++) {
                if (c > 0) {
                    assertTrue(eigen.values[c] <= eigen.values[c - 1]);
                }
                double norm = 0.0;
                for (int i = 0; i < m; i++) {
                    double av = 0.0;
                    for (int j = 0; j < m; j++) {
                        av += a[i][j] * eigen.vectors[j][c];
                    }
                    assertEquals(eigen.values[c] * eigen.vectors[i][c], av, 1e-10);
                    norm += eigen.vectors[i][c] * eigen.vectors[i][c];
                }
                assertEquals(1.0, norm, 1e-10);
            }
        }
    }

    @Test
    void firstComponentFollowsTheDominantDirection() {
        // Points spread along u = (1, 2, 2, 0, 0) / 3 with sd 10, plus isotropic noise of sd 0.1.
        double[] u = {1 / 3.0, 2 / 3.0, 2 / 3.0, 0, 0};
        Random random = new Random(4);
        double[][] x = new double[200][5];
        double[] t = new double[200];
        for (int i = 0; i < 200; i++) {
            t[i] = 10 * random.nextGaussian();
            for (int d = 0; d < 5; d++) {
                x[i][d] = 7.0 + t[i] * u[d] + 0.1 * random.nextGaussian();
            }
        }
        Embedding pca = Pca.fit(x, 2);
        assertEquals("PCA", pca.method());
        assertTrue(pca.stat("explainedVarianceRatio1") > 0.99, pca.stats().toString());
        // The score is the position along u up to centring; the sign fix makes the 2/3 loadings positive.
        double meanT = java.util.Arrays.stream(t).average().orElseThrow();
        double maxError = 0.0;
        for (int i = 0; i < 200; i++) {
            maxError = Math.max(maxError, Math.abs(pca.coords()[i][0] - (t[i] - meanT)));
        }
        assertTrue(maxError < 0.5, "max score error " + maxError);
        // Explained variance equals the sample variance of the scores.
        double var = 0.0;
        for (double[] row : pca.coords()) {
            var += row[0] * row[0];
        }
        assertEquals(var / 199, pca.stat("explainedVariance1"), 1e-8);
    }

    @Test
    void covarianceAndGramRoutesAgree() {
        Random random = new Random(9);
        double[][] wide = new double[12][30]; // [N, D] with D > N
        for (double[] row : wide) {
            for (int d = 0; d < row.length; d++) {
                row[d] = random.nextGaussian() * (d < 3 ? 5 : 1);
            }
        }
        Embedding viaCovariance = Pca.fit(wide, 3, false);
        Embedding viaGram = Pca.fit(wide, 3, true);
        for (int i = 0; i < wide.length; i++) {
            assertArrayEquals(viaCovariance.coords()[i], viaGram.coords()[i], 1e-8);
        }
        assertEquals(viaCovariance.stat("explainedVarianceRatio2"), viaGram.stat("explainedVarianceRatio2"), 1e-10);
    }

    @Test
    void isDeterministicAndValidatesDims() {
        double[][] x = SyntheticData.blobs(3, 10, 4, 3.0, 2L).x();
        assertArrayEquals(Pca.fit(x, 2).coords()[5], Pca.fit(x, 2).coords()[5]);
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, 5));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, 0));
    }

    @Test
    void signFixMakesTheLargestLoadingPositive() {
        double[] v = {0.1, -0.9, 0.3};
        Pca.fixSign(v);
        assertArrayEquals(new double[] {-0.1, 0.9, -0.3}, v);
    }
}
