package dev.routelens.train;

import java.util.List;

/**
 * A unigram language model over token ids with add-one (Laplace) smoothing:
 * {@code p(t) = (count(t) + 1) / (total + V)}. The baseline a trained model must beat.
 */
public final class UnigramModel {
    private final double[] logProb; // [V]

    private UnigramModel(double[] logProb) {
        this.logProb = logProb;
    }

    /**
     * Counts the tokens of {@code docs} except each document's first (never a target: nothing precedes it;
     * the BOS when the tokenizer adds one) and, when
     * {@code dropTrailingEos}, its last (the EOS the training stream appends).
     */
    public static UnigramModel fit(List<int[]> docs, int vocabSize, boolean dropTrailingEos) {
        long[] counts = new long[vocabSize];
        long total = 0;
        for (int[] d : docs) {
            int end = dropTrailingEos ? d.length - 1 : d.length;
            for (int p = 1; p < end; p++) {
                counts[d[p]]++;
                total++;
            }
        }
        double[] lp = new double[vocabSize];
        double denominator = Math.log(total + (double) vocabSize);
        for (int t = 0; t < vocabSize; t++) {
            lp[t] = Math.log(counts[t] + 1.0) - denominator;
        }
        return new UnigramModel(lp);
    }

    /** log p(token). */
    public double logProb(int token) {
        return logProb[token];
    }

    /** Mean -log p over every token after each window's first. */
    public double meanNll(List<int[]> windows) {
        double sum = 0;
        long n = 0;
        for (int[] w : windows) {
            for (int p = 1; p < w.length; p++) {
                sum -= logProb[w[p]];
                n++;
            }
        }
        return sum / n;
    }
}
