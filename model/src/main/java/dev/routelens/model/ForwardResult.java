package dev.routelens.model;

/**
 * What one forward pass returns on the host: per-document next-token NLL in nats (sum and count),
 * or zero counts when the LM head was skipped.
 *
 * @param nllSum summed next-token NLL per document [B]
 * @param nllCount predicted tokens per document [B] (length - 1)
 */
public record ForwardResult(double[] nllSum, int[] nllCount) {

    /** Mean NLL per predicted token over the whole batch; NaN when nothing was predicted. */
    public double meanNll() {
        double s = 0;
        long c = 0;
        for (int b = 0; b < nllSum.length; b++) {
            s += nllSum[b];
            c += nllCount[b];
        }
        return c == 0 ? Double.NaN : s / c;
    }

    /** Mean NLL of document b; NaN when it has a single token. */
    public double meanNll(int b) {
        return nllCount[b] == 0 ? Double.NaN : nllSum[b] / nllCount[b];
    }
}
