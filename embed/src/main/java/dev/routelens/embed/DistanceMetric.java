package dev.routelens.embed;

/** Point-to-point distances used by the quality measures. */
public enum DistanceMetric {
    /** {@code |a - b|}. */
    EUCLIDEAN,
    /** {@code 1 - a.b / (|a| |b|)}; a zero vector is at distance 1 from everything (as in scikit-learn). */
    COSINE;

    /** Distance between {@code a} and {@code b}, given their Euclidean norms (used by COSINE only). */
    double between(double[] a, double normA, double[] b, double normB) {
        if (this == EUCLIDEAN) {
            return Math.sqrt(Matrices.squaredDistance(a, b));
        }
        if (normA == 0.0 || normB == 0.0) {
            return 1.0;
        }
        double dot = 0.0;
        for (int t = 0; t < a.length; t++) {
            dot += a[t] * b[t];
        }
        return Math.max(0.0, 1.0 - dot / (normA * normB));
    }
}
