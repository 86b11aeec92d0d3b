package dev.routelens.embed;

/** Input checks and small dense helpers shared by this package. */
final class Matrices {

    private Matrices() {
    }

    /**
     * Checks that {@code x} is a non-empty rectangular matrix of finite numbers with at least
     * {@code minRows} rows; returns its width D. Errors name {@code what}, the row and the column.
     */
    static int requireFiniteMatrix(double[][] x, String what, int minRows) {
        if (x == null) {
            throw new IllegalArgumentException(what + ": matrix is null");
        }
        if (x.length < minRows) {
            throw new IllegalArgumentException(what + ": needs at least " + minRows + " rows, got " + x.length);
        }
        if (x.length == 0) {
            return 0;
        }
        if (x[0] == null || x[0].length == 0) {
            throw new IllegalArgumentException(what + ": row 0 is empty");
        }
        int width = x[0].length;
        for (int i = 0; i < x.length; i++) {
            double[] row = x[i];
            if (row == null || row.length != width) {
                throw new IllegalArgumentException(what + ": row " + i + " has "
                        + (row == null ? "no" : String.valueOf(row.length)) + " values, expected " + width);
            }
            for (int j = 0; j < width; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException(what + ": row " + i + ", column " + j + " is " + row[j]);
                }
            }
        }
        return width;
    }

    /** Checks that labels has one non-null entry per row. */
    static void requireLabels(String[] labels, int n, String what) {
        if (labels == null || labels.length != n) {
            throw new IllegalArgumentException(what + ": expected " + n + " labels, got "
                    + (labels == null ? "none" : String.valueOf(labels.length)));
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] == null) {
                throw new IllegalArgumentException(what + ": label " + i + " is null");
            }
        }
    }

    /** Squared Euclidean distance between two rows of equal width. */
    static double squaredDistance(double[] a, double[] b) {
        double sum = 0.0;
        for (int k = 0; k < a.length; k++) {
            double diff = a[k] - b[k];
            sum += diff * diff;
        }
        return sum;
    }

    /** Deep copy. */
    static double[][] copy(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].clone();
        }
        return out;
    }
}
