package dev.routelens.routing;

/**
 * Router saturation (OLMoE, arXiv 2409.02060, section "Router saturation"): how far a model's routing agrees
 * with a reference model's on the same tokens, per MoE layer. Counts are added token by token:
 * <ul>
 *   <li>top-1 saturation: the fraction of tokens whose first choice is the reference's first choice;
 *   <li>top-k saturation: the mean over tokens of |TopK_A ∩ TopK_B| / k (the order within the k is ignored).
 * </ul>
 * Both are symmetric in the two models, and 1 for a model against itself.
 */
public final class RouterSaturation {
    private final int[] layers;        // [M] real index of each MoE layer
    private final int k;
    private final int experts;
    private final long[] tokens;       // [M] tokens compared
    private final long[] top1Matches;  // [M] tokens whose first choices agree
    private final long[] overlap;      // [M] sum over tokens of |TopK_A ∩ TopK_B|

    /**
     * @param layers real index of each MoE layer, ascending // [M]
     * @param k experts chosen per token
     * @param experts E, routed experts per layer
     */
    public RouterSaturation(int[] layers, int k, int experts) {
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("saturation: no MoE layers");
        }
        MoeLayers.check(layers, layers.length, "saturation: ");
        if (k < 1 || k > experts) {
            throw new IllegalArgumentException("saturation: k must be in [1, E=" + experts + "], got " + k);
        }
        this.layers = layers.clone();
        this.k = k;
        this.experts = experts;
        this.tokens = new long[layers.length];
        this.top1Matches = new long[layers.length];
        this.overlap = new long[layers.length];
    }

    /**
     * Adds one document's (or piece's) tokens at MoE layer slot {@code slot}: row t of each holds token t's chosen
     * experts, first choice first.
     *
     * @param a the model's choices // [T][k]
     * @param b the reference's choices for the same tokens // [T][k]
     */
    public void add(int slot, int[][] a, int[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("saturation: layer " + layers[slot] + " has " + a.length
                    + " tokens of the model but " + b.length + " of the reference");
        }
        for (int t = 0; t < a.length; t++) {
            check(a[t], t, slot);
            check(b[t], t, slot);
            if (a[t][0] == b[t][0]) {
                top1Matches[slot]++;
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    if (a[t][i] == b[t][j]) {
                        overlap[slot]++;
                        break;
                    }
                }
            }
        }
        tokens[slot] += a.length;
    }

    private void check(int[] row, int t, int slot) {
        if (row.length != k) {
            throw new IllegalArgumentException("saturation: layer " + layers[slot] + " token " + t + " has "
                    + row.length + " choices, expected k=" + k);
        }
        for (int e : row) {
            if (e < 0 || e >= experts) {
                throw new IllegalArgumentException("saturation: layer " + layers[slot] + " token " + t + " chose expert "
                        + e + ", outside [0, " + experts + ")");
            }
        }
    }

    /** The measures so far, per MoE layer. */
    public SaturationTable table() {
        double[] top1 = new double[layers.length]; // [M]
        double[] topK = new double[layers.length]; // [M]
        for (int m = 0; m < layers.length; m++) {
            if (tokens[m] == 0) {
                throw new IllegalStateException("saturation: no tokens compared at layer " + layers[m]);
            }
            top1[m] = top1Matches[m] / (double) tokens[m];
            topK[m] = overlap[m] / ((double) tokens[m] * k);
        }
        return new SaturationTable(layers.clone(), top1, topK, tokens[0], k, experts);
    }
}
