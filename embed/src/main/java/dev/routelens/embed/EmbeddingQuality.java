package dev.routelens.embed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * How well points (high-dimensional features or an embedding of them) keep their class structure and
 * neighbourhoods. All measures are exact, O(N^2) in time, O(N) extra memory per thread, parallel over
 * points with results summed in point order (so they do not depend on the thread count).
 *
 * <p>Hand-written on purpose (issue 17): Smile 3.1.1's {@code smile.validation.metric} has clustering
 * indices (Rand, mutual information) but no silhouette, trustworthiness or leave-one-out kNN accuracy.
 * These follow scikit-learn's definitions (the tests check trustworthiness against its algorithm) with
 * stated tie rules (distances: lower index first; votes: smaller distance sum, then nearest voter).
 */
public final class EmbeddingQuality {

    /** Neighbours voting in {@link #knnAccuracy}. */
    public static final int DEFAULT_KNN_K = 10;
    /** Neighbourhood size of {@link #trustworthiness}. */
    public static final int DEFAULT_TRUSTWORTHINESS_K = 5;

    private EmbeddingQuality() {
    }

    /** Distinct labels in natural (sorted) order: the row/column order of centroid matrices. */
    public static List<String> labelOrder(String[] labels) {
        return List.copyOf(new TreeSet<>(List.of(labels)));
    }

    /**
     * Mean silhouette coefficient (Rousseeuw 1987, as scikit-learn's {@code silhouette_score}): per point
     * {@code s = (b - a) / max(a, b)}, with a the mean distance to the other members of its class and b
     * the smallest mean distance to another class; points alone in their class score 0. Needs at least two
     * classes and fewer classes than points.
     */
    public static double silhouette(double[][] x, String[] labels, DistanceMetric metric) {
        Matrices.requireFiniteMatrix(x, "silhouette input", 2);
        int n = x.length;
        Matrices.requireLabels(labels, n, "silhouette input");
        int[] classOf = classIndices(labels);
        int classes = labelOrder(labels).size();
        if (classes < 2 || classes >= n) {
            throw new IllegalArgumentException("silhouette: needs 2 to " + (n - 1) + " classes, got " + classes);
        }
        int[] classSize = new int[classes];
        for (int c : classOf) {
            classSize[c]++;
        }
        double[] norms = norms(x);
        double[] perPoint = new double[n]; // [N]
        IntStream.range(0, n).parallel().forEach(i -> {
            int own = classOf[i];
            if (classSize[own] == 1) {
                perPoint[i] = 0.0;
                return;
            }
            double[] sums = new double[classes];
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sums[classOf[j]] += metric.between(x[i], norms[i], x[j], norms[j]);
                }
            }
            double a = sums[own] / (classSize[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                if (c != own) {
                    b = Math.min(b, sums[c] / classSize[c]);
                }
            }
            double scale = Math.max(a, b);
            perPoint[i] = scale > 0.0 ? (b - a) / scale : 0.0;
        });
        double total = 0.0;
        for (double s : perPoint) {
            total += s;
        }
        return total / n;
    }

    /**
     * Leave-one-out k-nearest-neighbour classification accuracy (Euclidean). Each point's k nearest other
     * points (distance ties: lower index first) vote with their labels; the majority wins. A tie between
     * labels goes to the tied label whose voters have the smallest total distance; if that ties too, to the
     * tied label of the nearest voter.
     */
    public static double knnAccuracy(double[][] x, String[] labels, int k) {
        Matrices.requireFiniteMatrix(x, "kNN input", 2);
        int n = x.length;
        Matrices.requireLabels(labels, n, "kNN input");
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("kNN accuracy: k must be in [1, " + (n - 1) + "], got " + k);
        }
        int[] classOf = classIndices(labels);
        int classes = labelOrder(labels).size();
        boolean[] correct = new boolean[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] distances = new double[n];
            for (int j = 0; j < n; j++) {
                distances[j] = j == i ? Double.POSITIVE_INFINITY : Matrices.squaredDistance(x[i], x[j]);
            }
            int[] nearest = smallest(distances, k, i); // nearest first
            int[] votes = new int[classes];
            double[] distanceSum = new double[classes];
            for (int j : nearest) {
                votes[classOf[j]]++;
                distanceSum[classOf[j]] += Math.sqrt(distances[j]);
            }
            int winner = -1;
            for (int j : nearest) { // visiting voters nearest first settles the last tie
                int c = classOf[j];
                if (winner < 0 || votes[c] > votes[winner]
                        || (votes[c] == votes[winner] && distanceSum[c] < distanceSum[winner])) {
                    winner = c;
                }
            }
            correct[i] = winner == classOf[i];
        });
        int hits = 0;
        for (boolean hit : correct) {
            hits += hit ? 1 : 0;
        }
        return hits / (double) n;
    }

    /**
     * Trustworthiness of an embedding (Venna and Kaski 2001; as scikit-learn's
     * {@code sklearn.manifold.trustworthiness}, Euclidean):
     * {@code 1 - 2 / (N k (2N - 3k - 1)) * sum_i sum_{j in U_i} (r(i, j) - k)}, where U_i are the k nearest
     * neighbours of i in {@code low} that are not among its k nearest in {@code high}, and r(i, j) is the rank
     * of j among i's neighbours in {@code high} (1 = nearest; distance ties: lower index first). 1 means no
     * point gained an intruder; needs {@code k < N / 2}.
     *
     * @param high original points {@code [N, D]}
     * @param low  embedded points {@code [N, d]}, row i for the same point
     */
    public static double trustworthiness(double[][] high, double[][] low, int k) {
        Matrices.requireFiniteMatrix(high, "trustworthiness high-dimensional input", 2);
        Matrices.requireFiniteMatrix(low, "trustworthiness embedding", 2);
        int n = high.length;
        if (low.length != n) {
            throw new IllegalArgumentException("trustworthiness: " + n + " high-dimensional rows but "
                    + low.length + " embedded rows");
        }
        if (k < 1 || 2 * k >= n) {
            throw new IllegalArgumentException("trustworthiness: k must be in [1, N/2) = [1, " + ((n + 1) / 2)
                    + "), got " + k);
        }
        double[] penalty = new double[n]; // [N]
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] lowDistances = new double[n];
            double[] highDistances = new double[n];
            for (int j = 0; j < n; j++) {
                lowDistances[j] = j == i ? Double.POSITIVE_INFINITY : Matrices.squaredDistance(low[i], low[j]);
                highDistances[j] = j == i ? Double.POSITIVE_INFINITY : Matrices.squaredDistance(high[i], high[j]);
            }
            double sum = 0.0;
            for (int j : smallest(lowDistances, k, i)) {
                // Rank of j among i's high-dimensional neighbours: 1 + points strictly before it.
                double dj = highDistances[j];
                int before = 0;
                for (int m = 0; m < n; m++) {
                    double dm = highDistances[m];
                    if (m != i && (dm < dj || (dm == dj && m < j))) {
                        before++;
                    }
                }
                int rank = before + 1;
                if (rank > k) {
                    sum += rank - k;
                }
            }
            penalty[i] = sum;
        });
        double total = 0.0;
        for (double p : penalty) {
            total += p;
        }
        return 1.0 - total * 2.0 / ((double) n * k * (2.0 * n - 3.0 * k - 1.0));
    }

    /** Euclidean distances between class means, classes in {@link #labelOrder} order. */
    public static CentroidDistances centroidDistances(double[][] x, String[] labels) {
        int width = Matrices.requireFiniteMatrix(x, "centroid input", 1);
        Matrices.requireLabels(labels, x.length, "centroid input");
        List<String> order = labelOrder(labels);
        int[] classOf = classIndices(labels);
        int classes = order.size();
        double[][] centroids = new double[classes][width]; // [C, D]
        int[] size = new int[classes];
        for (int i = 0; i < x.length; i++) {
            size[classOf[i]]++;
            for (int d = 0; d < width; d++) {
                centroids[classOf[i]][d] += x[i][d];
            }
        }
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < width; d++) {
                centroids[c][d] /= size[c];
            }
        }
        double[][] distances = new double[classes][classes]; // [C, C]
        for (int a = 0; a < classes; a++) {
            for (int b = a + 1; b < classes; b++) {
                double d = Math.sqrt(Matrices.squaredDistance(centroids[a], centroids[b]));
                distances[a][b] = d;
                distances[b][a] = d;
            }
        }
        return new CentroidDistances(order, distances);
    }

    /** Index of each label in {@link #labelOrder}. */
    static int[] classIndices(String[] labels) {
        List<String> order = labelOrder(labels);
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < order.size(); c++) {
            index.put(order.get(c), c);
        }
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = index.get(labels[i]);
        }
        return out;
    }

    private static double[] norms(double[][] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0.0;
            for (double v : x[i]) {
                s += v * v;
            }
            out[i] = Math.sqrt(s);
        }
        return out;
    }

    /**
     * Indices of the {@code k} smallest values (ties: lower index first), smallest first, never
     * {@code exclude}.
     */
    static int[] smallest(double[] values, int k, int exclude) {
        // Bounded selection: keep a sorted window of the best k seen.
        int[] best = new int[k];
        int size = 0;
        for (int j = 0; j < values.length; j++) {
            if (j == exclude) {
                continue;
            }
            double v = values[j];
            if (size == k && !(v < values[best[k - 1]])) {
                continue; // equal value at a higher index ranks after
            }
            int pos = size < k ? size++ : k - 1;
            while (pos > 0 && values[best[pos - 1]] > v) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = j;
        }
        if (size < k) {
            throw new IllegalStateException("fewer than " + k + " candidates");
        }
        return best;
    }
}
