package dev.routelens.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BarnesHutTsneTest {

    /** Exact repulsion sums by brute force: forces [N * dims] and Z. */
    private static double exactRepulsion(double[] y, int dims, double[] force) {
        int n = y.length / dims;
        double z = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double d2 = 0.0;
                for (int d = 0; d < dims; d++) {
                    double diff = y[i * dims + d] - y[j * dims + d];
                    d2 += diff * diff;
                }
                double q = 1.0 / (1.0 + d2);
                z += q;
                for (int d = 0; d < dims; d++) {
                    force[i * dims + d] += q * q * (y[i * dims + d] - y[j * dims + d]);
                }
            }
        }
        return z;
    }

    private static double[] randomLayout(int n, int dims, long seed) {
        Random random = new Random(seed);
        double[] y = new double[n * dims];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextGaussian() * 5 + (i % 7 == 0 ? 20 : 0);
        }
        // Two exact duplicates exercise the multi-point leaves.
        System.arraycopy(y, 0, y, dims, dims);
        System.arraycopy(y, 0, y, 2 * dims, dims);
        return y;
    }

    @Test
    void treeSumsEqualBruteForceAtThetaZeroAndStayCloseAtHalf() {
        for (int dims : new int[] {2, 3}) {
            int n = 400;
            double[] y = randomLayout(n, dims, dims);
            double[] expected = new double[n * dims];
            double z = exactRepulsion(y, dims, expected);
            SpacePartitionTree tree = new SpacePartitionTree(dims, n, 8);
            tree.rebuild(y);
            // {theta, Z tolerance per point, force tolerance per point, Z tolerance grouped, force tolerance grouped}.
            // bhtsne's half-width criterion is loose: measured here at theta 0.5, Z is 2-4 % low per point
            // (1-2 % for the group walk) and the forces are 11 % off per point (3-5 % for the group walk).
            double[][] cases = {{0.0, 1e-9, 1e-9, 1e-9, 1e-9}, {0.25, 0.01, 0.03, 0.005, 0.015}, {0.5, 0.05, 0.15, 0.025, 0.08}};
            for (double[] c : cases) {
                double theta = c[0];
                double[] perPoint = new double[n * dims];
                double zPerPoint = 0.0;
                for (int i = 0; i < n; i++) {
                    zPerPoint += tree.repulsion(i, theta * theta, perPoint, i * dims);
                }
                double[] grouped = new double[n * dims];
                double[] qGrouped = new double[n];
                for (int g = 0; g < tree.groupCount(); g++) {
                    tree.groupRepulsion(g, theta * theta, grouped, qGrouped);
                }
                double zGrouped = java.util.Arrays.stream(qGrouped).sum();
                String where = "dims " + dims + " theta " + theta;
                assertEquals(z, zPerPoint, c[1] * z, "Z per point, " + where);
                assertEquals(z, zGrouped, c[3] * z, "Z grouped, " + where);
                assertTrue(relativeError(expected, perPoint) < c[2], "per-point force error " + relativeError(expected, perPoint) + ", " + where);
                assertTrue(relativeError(expected, grouped) < c[4], "grouped force error " + relativeError(expected, grouped) + ", " + where);
            }
        }
    }

    private static double relativeError(double[] expected, double[] got) {
        double num = 0.0;
        double den = 0.0;
        for (int i = 0; i < expected.length; i++) {
            num += (expected[i] - got[i]) * (expected[i] - got[i]);
            den += expected[i] * expected[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void affinitiesAreSymmetricNormalisedAndHitThePerplexity() {
        SyntheticData.Labelled blobs = SyntheticData.blobs(3, 60, 10, 3.0, 6L);
        double perplexity = 10.0;
        SparseAffinities p = BarnesHutTsne.affinities(blobs.x(), perplexity);
        double total = 0.0;
        for (int i = 0; i < p.n(); i++) {
            for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
                int j = p.columns()[e];
                assertTrue(j != i);
                total += p.values()[e];
                assertEquals(p.values()[e], lookup(p, j, i), 1e-15, "P symmetric at " + i + "," + j);
            }
        }
        assertEquals(1.0, total, 1e-12);

        // One conditional row: entropy of exp(-beta d) over the neighbours is log(perplexity).
        double[] d = {0.0, 0.5, 1.0, 1.5, 2.0, 4.0, 8.0, 9.0, 12.0, 20.0, 30.0, 40.0};
        double[] row = new double[d.length];
        BarnesHutTsne.gaussianRow(d, 0, d.length, Math.log(4.0), row);
        double entropy = 0.0;
        double sum = 0.0;
        for (double v : row) {
            sum += v;
            entropy -= v > 0 ? v * Math.log(v) : 0.0;
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(Math.log(4.0), entropy, 1e-4);
    }

    private static double lookup(SparseAffinities p, int i, int j) {
        for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
            if (p.columns()[e] == j) {
                return p.values()[e];
            }
        }
        return 0.0;
    }
}
