package dev.routelens.embed;

import java.util.List;

/**
 * Euclidean distances between class centroids.
 *
 * @param labels    class names, in the order of the matrix rows and columns
 * @param distances {@code [C, C]}, symmetric, zero diagonal
 */
public record CentroidDistances(List<String> labels, double[][] distances) {

    public CentroidDistances {
        labels = List.copyOf(labels);
        if (distances.length != labels.size()) {
            throw new IllegalArgumentException("centroid distances: " + distances.length + " rows for "
                    + labels.size() + " labels");
        }
    }

    /** Distance between the centroids of classes {@code a} and {@code b}. */
    public double between(String a, String b) {
        int i = labels.indexOf(a);
        int j = labels.indexOf(b);
        if (i < 0 || j < 0) {
            throw new IllegalArgumentException("centroid distances: unknown class '" + (i < 0 ? a : b) + "'");
        }
        return distances[i][j];
    }
}
