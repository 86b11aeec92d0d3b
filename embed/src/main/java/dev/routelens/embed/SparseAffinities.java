package dev.routelens.embed;

/**
 * Symmetric t-SNE input affinities {@code P} in compressed sparse rows: the entries of row i are
 * {@code values[rowStart[i], rowStart[i + 1])} at columns {@code columns[...]}, sorted by column; all
 * entries sum to 1 and the diagonal is empty.
 *
 * @param rowStart {@code [N + 1]}
 * @param columns  {@code [nnz]}
 * @param values   {@code [nnz]}
 */
record SparseAffinities(int[] rowStart, int[] columns, double[] values) {

    int n() {
        return rowStart.length - 1;
    }

    int nonZeros() {
        return values.length;
    }
}
