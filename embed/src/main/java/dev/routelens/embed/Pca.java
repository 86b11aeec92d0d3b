package dev.routelens.embed;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Principal component analysis of the rows of {@code x} ({@code [N, D]}): the coordinates are the centred
 * rows projected on the top {@code dims} eigenvectors of the sample covariance. Deterministic; each
 * component's sign is fixed so that its largest-magnitude loading (first such, on ties) is positive.
 *
 * <p>Decomposes the D x D covariance when D <= N, otherwise the N x N Gram matrix of the centred rows
 * (same components, less work); both in O(min(N, D)^3) after O(N D min(N, D)).
 */
public final class Pca {

    private Pca() {
    }

    /** The first {@code dims} principal-component scores of {@code x}, {@code 1 <= dims <= min(N, D)}. */
    public static Embedding fit(double[][] x, int dims) {
        int width = Matrices.requireFiniteMatrix(x, "PCA input", 2);
        return fit(x, dims, width > x.length);
    }

    /** As {@link #fit(double[][], int)}, choosing the covariance ({@code false}) or Gram route. */
    static Embedding fit(double[][] x, int dims, boolean viaGram) {
        int width = Matrices.requireFiniteMatrix(x, "PCA input", 2);
        int n = x.length;
        if (dims < 1 || dims > Math.min(n, width)) {
            throw new IllegalArgumentException("PCA: dims must be in [1, " + Math.min(n, width) + "], got " + dims);
        }
        double[] mean = new double[width]; // [D]
        for (double[] row : x) {
            for (int d = 0; d < width; d++) {
                mean[d] += row[d];
            }
        }
        for (int d = 0; d < width; d++) {
            mean[d] /= n;
        }
        double[][] centred = new double[n][width]; // [N, D]
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < width; d++) {
                centred[i][d] = x[i][d] - mean[d];
            }
        }
        double[][] components = new double[dims][width]; // [dims, D] unit loadings
        double[] variances = new double[dims];
        double totalVariance = 0.0;
        if (!viaGram) {
            double[][] covariance = new double[width][width]; // [D, D]
            java.util.stream.IntStream.range(0, width).parallel().forEach(a -> {
                for (int b = a; b < width; b++) {
                    double s = 0.0;
                    for (int i = 0; i < n; i++) {
                        s += centred[i][a] * centred[i][b];
                    }
                    covariance[a][b] = s / (n - 1);
                }
            });
            for (int a = 0; a < width; a++) {
                totalVariance += covariance[a][a];
                for (int b = 0; b < a; b++) {
                    covariance[a][b] = covariance[b][a];
                }
            }
            SymmetricEigen eigen = SymmetricEigen.of(covariance);
            for (int c = 0; c < dims; c++) {
                variances[c] = Math.max(0.0, eigen.values[c]);
                for (int d = 0; d < width; d++) {
                    components[c][d] = eigen.vectors[d][c];
                }
            }
        } else {
            double[][] gram = new double[n][n]; // [N, N]
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
                for (int j = i; j < n; j++) {
                    double s = 0.0;
                    for (int d = 0; d < width; d++) {
                        s += centred[i][d] * centred[j][d];
                    }
                    gram[i][j] = s;
                }
            });
            for (int i = 0; i < n; i++) {
                totalVariance += gram[i][i] / (n - 1);
                for (int j = 0; j < i; j++) {
                    gram[i][j] = gram[j][i];
                }
            }
            SymmetricEigen eigen = SymmetricEigen.of(gram);
            for (int c = 0; c < dims; c++) {
                double lambda = Math.max(0.0, eigen.values[c]);
                variances[c] = lambda / (n - 1);
                // Loading = X^T u / |X^T u|.
                double norm = 0.0;
                for (int d = 0; d < width; d++) {
                    double s = 0.0;
                    for (int i = 0; i < n; i++) {
                        s += centred[i][d] * eigen.vectors[i][c];
                    }
                    components[c][d] = s;
                    norm += s * s;
                }
                norm = Math.sqrt(norm);
                for (int d = 0; d < width; d++) {
                    components[c][d] = norm > 0.0 ? components[c][d] / norm : (d == c ? 1.0 : 0.0);
                }
            }
        }
        for (double[] component : components) {
            fixSign(component);
        }
        double[][] coords = new double[n][dims]; // [N, dims]
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dims; c++) {
                double s = 0.0;
                for (int d = 0; d < width; d++) {
                    s += centred[i][d] * components[c][d];
                }
                coords[i][c] = s;
            }
        }
        Map<String, Double> stats = new LinkedHashMap<>();
        for (int c = 0; c < dims; c++) {
            stats.put("explainedVariance" + (c + 1), variances[c]);
            stats.put("explainedVarianceRatio" + (c + 1), totalVariance > 0.0 ? variances[c] / totalVariance : 0.0);
        }
        stats.put("totalVariance", totalVariance);
        return new Embedding(coords, "PCA", stats);
    }

    /** Flips {@code v} so that its largest-magnitude entry (the first on ties) is positive. */
    static void fixSign(double[] v) {
        int largest = 0;
        for (int d = 1; d < v.length; d++) {
            if (Math.abs(v[d]) > Math.abs(v[largest])) {
                largest = d;
            }
        }
        if (v[largest] < 0) {
            for (int d = 0; d < v.length; d++) {
                v[d] = -v[d];
            }
        }
    }
}
