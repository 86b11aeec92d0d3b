package dev.routelens.embed;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Low-dimensional coordinates of N points.
 *
 * @param coords coordinates, {@code [N, dims]}, row i belongs to input row i
 * @param method how they were made, e.g. {@code "t-SNE (exact, Smile)"}, {@code "PCA"}
 * @param stats  named numbers about the run in insertion order, e.g. {@code klDivergence} (nats; exact for
 *               the exact method, a sparse estimate for Barnes-Hut), {@code perplexity}, {@code seconds},
 *               {@code explainedVarianceRatio1}
 */
public record Embedding(double[][] coords, String method, Map<String, Double> stats) {

    public Embedding {
        if (coords == null || coords.length == 0) {
            throw new IllegalArgumentException("embedding: coords must hold at least one row");
        }
        int dims = coords[0].length;
        for (int i = 0; i < coords.length; i++) {
            if (coords[i] == null || coords[i].length != dims) {
                throw new IllegalArgumentException("embedding: row " + i + " is not " + dims + " wide");
            }
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("embedding: method must be named");
        }
        stats = Collections.unmodifiableMap(new LinkedHashMap<>(stats == null ? Map.of() : stats));
    }

    /** Number of points N. */
    public int n() {
        return coords.length;
    }

    /** Output dimensions. */
    public int dims() {
        return coords[0].length;
    }

    /** The stat named {@code name}, or NaN when absent. */
    public double stat(String name) {
        return stats.getOrDefault(name, Double.NaN);
    }
}
