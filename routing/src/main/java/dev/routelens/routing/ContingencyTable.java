package dev.routelens.routing;

/**
 * Entropies and mutual information of a table of counts {@code n[a][b]} (rows a, columns b), in nats.
 *
 * <p>With N = sum n, row totals n_a and column totals n_b:
 * {@code I(A;B) = sum_{a,b} (n_ab / N) ln(n_ab N / (n_a n_b))}, H(A) = -sum_a (n_a/N) ln(n_a/N), likewise H(B).
 * The ratio is formed from integer products, so a table whose rows are proportional (independence) gives
 * exactly 0. An empty table gives NaN.
 */
final class ContingencyTable {
    private ContingencyTable() {
    }

    /** The result: I(A;B), H(A), H(B), all in nats. */
    record Information(double mutualInformation, double rowEntropy, double columnEntropy) {
        /** I / sqrt(H(A) H(B)), in [0, 1]; NaN when either entropy is 0 (one side constant) or the table is empty. */
        double normalised() {
            double scale = Math.sqrt(rowEntropy * columnEntropy);
            return scale > 0 ? mutualInformation / scale : Double.NaN;
        }
    }

    /** Information of {@code counts} // [A][B], all rows of equal length, counts non-negative. */
    static Information of(long[][] counts) {
        int columns = counts.length == 0 ? 0 : counts[0].length;
        long[] rowTotals = new long[counts.length]; // [A]
        long[] columnTotals = new long[columns]; // [B]
        long total = 0;
        for (int a = 0; a < counts.length; a++) {
            for (int b = 0; b < columns; b++) {
                rowTotals[a] += counts[a][b];
                columnTotals[b] += counts[a][b];
            }
            total += rowTotals[a];
        }
        if (total == 0) {
            return new Information(Double.NaN, Double.NaN, Double.NaN);
        }
        double information = 0;
        for (int a = 0; a < counts.length; a++) {
            for (int b = 0; b < columns; b++) {
                long n = counts[a][b];
                if (n > 0) {
                    // exact products while they stay below 2^53, so independent rows give ln(1) = 0 exactly
                    information += n / (double) total
                            * Math.log((double) n * total / ((double) rowTotals[a] * columnTotals[b]));
                }
            }
        }
        // rounding can leave a tiny negative where the true value is 0; I >= 0 always
        return new Information(Math.max(0, information), entropy(rowTotals, total), entropy(columnTotals, total));
    }

    private static double entropy(long[] totals, long total) {
        double h = 0;
        for (long n : totals) {
            if (n > 0) {
                double p = n / (double) total;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
