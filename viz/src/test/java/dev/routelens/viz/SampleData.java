package dev.routelens.viz;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Seeded synthetic inputs for the viz tests and the gallery. */
final class SampleData {

    private SampleData() {
    }

    /** Six Figure 1 classes as Gaussian clusters in {@code dims} dimensions, {@code perClass} points each. */
    static Object[] clusters(int dims, int perClass, long seed) {
        Random random = new Random(seed);
        int classes = ClassStyle.FIGURE1_CLASSES.size();
        double[][] coords = new double[classes * perClass][dims];
        String[] labels = new String[classes * perClass];
        for (int c = 0; c < classes; c++) {
            double[] centre = new double[dims];
            for (int d = 0; d < dims; d++) {
                centre[d] = 25 * random.nextGaussian();
            }
            for (int p = 0; p < perClass; p++) {
                int i = c * perClass + p;
                labels[i] = ClassStyle.FIGURE1_CLASSES.get(c);
                for (int d = 0; d < dims; d++) {
                    coords[i][d] = centre[d] + 5 * random.nextGaussian();
                }
            }
        }
        return new Object[] {coords, labels};
    }

    /** A {@code [rows, cols]} matrix of routing-like shares (rows sum to 2, as for top-2 routing). */
    static double[][] shares(int rows, int cols, long seed) {
        Random random = new Random(seed);
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            double total = 0;
            for (int c = 0; c < cols; c++) {
                row[c] = Math.exp(0.8 * random.nextGaussian());
                total += row[c];
            }
            for (int c = 0; c < cols; c++) {
                row[c] *= 2.0 / total;
            }
        }
        return m;
    }

    /** Signed deltas. */
    static double[][] deltas(int rows, int cols, long seed) {
        Random random = new Random(seed);
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int c = 0; c < cols; c++) {
                row[c] = 0.05 * random.nextGaussian() + (random.nextInt(20) == 0 ? 0.4 : 0.0);
            }
        }
        return m;
    }

    /** Per-class expert shares of one layer (each sums to 1). */
    static Map<String, double[]> classShares(int experts, long seed) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String cls : ClassStyle.FIGURE1_CLASSES) {
            out.put(cls, scale(shares(1, experts, seed + cls.hashCode())[0], 0.5));
        }
        return out;
    }

    private static double[] scale(double[] v, double f) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= f;
        }
        return out;
    }
}
