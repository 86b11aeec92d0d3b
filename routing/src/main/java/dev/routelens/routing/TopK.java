package dev.routelens.routing;

/**
 * The per-token routing rule used by the metrics: softmax of the gate logits in double (max
 * subtracted), then the k largest probabilities.
 *
 * <p>Ties go to the lower expert index first. {@code torch.topk} leaves its tie order unspecified,
 * so on exactly tied logits the choice here may differ from what the model's forward pass picked;
 * with real-valued logits exact ties are rare.
 */
public final class TopK {

    private TopK() {}

    /** Writes the softmax of {@code logits} into {@code probabilities}; both [E]. */
    public static void softmax(float[] logits, double[] probabilities) {
        if (probabilities.length != logits.length) {
            throw new IllegalArgumentException("softmax: " + logits.length + " logits but "
                    + probabilities.length + " output slots");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double total = 0;
        for (int e = 0; e < logits.length; e++) {
            double value = Math.exp(logits[e] - max);
            probabilities[e] = value;
            total += value;
        }
        for (int e = 0; e < logits.length; e++) {
            probabilities[e] /= total;
        }
    }

    /** The softmax of {@code logits} [E], in double with the max subtracted. */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double logit : logits) {
            max = Math.max(max, logit);
        }
        double[] probabilities = new double[logits.length]; // [E]
        double total = 0;
        for (int e = 0; e < logits.length; e++) {
            probabilities[e] = Math.exp(logits[e] - max);
            total += probabilities[e];
        }
        for (int e = 0; e < logits.length; e++) {
            probabilities[e] /= total;
        }
        return probabilities;
    }

    /** Indices of the {@code k} largest {@code values} [E], largest first, ties to the lower index. */
    public static int[] indices(double[] values, int k) {
        int[] chosen = new int[k]; // [k]
        indices(values, k, chosen);
        return chosen;
    }

    /** As {@link #indices(double[], int)}, writing into {@code chosen} [k] without allocating. */
    public static void indices(double[] values, int k, int[] chosen) {
        if (k < 1 || k > values.length) {
            throw new IllegalArgumentException("top-k: k=" + k + " must be between 1 and " + values.length);
        }
        if (chosen.length < k) {
            throw new IllegalArgumentException("top-k: output holds " + chosen.length + " slots, need " + k);
        }
        for (int slot = 0; slot < k; slot++) {
            int best = -1;
            for (int e = 0; e < values.length; e++) {
                if (contains(chosen, slot, e)) {
                    continue;
                }
                if (best < 0 || values[e] > values[best]) {
                    best = e;
                }
            }
            chosen[slot] = best;
        }
    }

    /** Entropy in nats of a probability vector [E], with 0 log 0 = 0. */
    public static double entropy(double[] probabilities) {
        double entropy = 0;
        for (double p : probabilities) {
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return entropy;
    }

    /** Whether the first {@code count} entries of {@code chosen} include {@code expert}. */
    static boolean contains(int[] chosen, int count, int expert) {
        for (int i = 0; i < count; i++) {
            if (chosen[i] == expert) {
                return true;
            }
        }
        return false;
    }

    /** Whether two top-k sets [k] share an expert. */
    static boolean intersects(int[] first, int[] second) {
        for (int expert : first) {
            if (contains(second, second.length, expert)) {
                return true;
            }
        }
        return false;
    }
}
