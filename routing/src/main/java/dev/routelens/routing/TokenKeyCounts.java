package dev.routelens.routing;

import java.util.HashMap;
import java.util.Map;

/**
 * Counters for {@link TokenSpecialisation}: per key, its tokens N(x) and its top-k slot counts N(x, e) at every
 * MoE layer. Memory is M*E ints per distinct key. Not thread-safe.
 */
final class TokenKeyCounts implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final TokenSpecialisation.Key key;
    private final int layers;   // M
    private final int experts;  // E
    private final int topK;     // k
    /** key -> [0] N(x), then N(x, e) at [1 + m*E + e]. */
    private final Map<Integer, int[]> counts = new HashMap<>(); // x -> [1 + M*E]

    TokenKeyCounts(TokenSpecialisation.Key key, int layers, int experts, int topK) {
        this.key = key;
        this.layers = layers;
        this.experts = experts;
        this.topK = topK;
    }

    /** One token keyed {@code x}: its chosen experts at every MoE layer. // chosen [M][k] */
    void add(int x, int[][] chosen) {
        int[] c = counts.computeIfAbsent(x, id -> new int[1 + layers * experts]);
        c[0] = Math.incrementExact(c[0]);
        for (int m = 0; m < layers; m++) {
            for (int e : chosen[m]) {
                int i = 1 + m * experts + e;
                c[i] = Math.incrementExact(c[i]);
            }
        }
    }

    /** Whether any token was counted. */
    boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The summary over keys with at least {@code minCount} tokens. */
    TokenSpecialisation report(int[] moeLayers, int minCount) {
        long[] keys = new long[layers];
        long[] tokens = new long[layers];
        double[] overall = new double[layers];
        double[][] perExpert = new double[layers][experts];
        for (int m = 0; m < layers; m++) {
            double[] weighted = new double[experts]; // sum_x N(x,e)^2 / N(x) // [E]
            long[] slots = new long[experts]; // sum_x N(x,e) // [E]
            for (int[] c : counts.values()) {
                if (c[0] < minCount) {
                    continue;
                }
                keys[m]++;
                tokens[m] += c[0];
                for (int e = 0; e < experts; e++) {
                    long n = c[1 + m * experts + e];
                    weighted[e] += (double) n * n / c[0];
                    slots[e] += n;
                }
            }
            double weightedAll = 0;
            long slotsAll = 0;
            for (int e = 0; e < experts; e++) {
                perExpert[m][e] = slots[e] == 0 ? Double.NaN : weighted[e] / slots[e];
                weightedAll += weighted[e];
                slotsAll += slots[e];
            }
            overall[m] = slotsAll == 0 ? Double.NaN : weightedAll / slotsAll;
        }
        return new TokenSpecialisation(key, minCount, moeLayers.clone(), topK / (double) experts, keys, tokens,
                overall, perExpert);
    }
}
