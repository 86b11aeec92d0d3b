package dev.routelens.routing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Token specialisation (OLMoE, arXiv 2409.02060, "Token specialization"): how exclusively the tokens that share a key
 * go to the same experts. OLMoE defines, for a key x and an expert e, {@code s(x, e) = N(x, e) / N(x)}: of the N(x)
 * tokens keyed x, the fraction N(x, e) whose top-k set holds e. RouteLens summarises it per expert as the mean of
 * s over the expert's own slots, {@code sum_x N(x, e) s(x, e) / sum_x N(x, e)}, and per layer as the same mean over
 * every slot; only keys seen at least {@code minCount} times count. Routing that ignores the key gives k/E
 * ({@link #randomBaseline}); routing fixed by the key (every token of a key to the same k experts) gives 1.
 *
 * <p>Three keys, as OLMoE reads them: the {@linkplain Key#INPUT input token}, the {@linkplain Key#TRUE_NEXT true
 * next token} (the last token of each document or context window has none and is left out), and the
 * {@linkplain Key#PREDICTED_NEXT model's predicted next token} (argmax of the output logits at the token).
 *
 * @param key what the tokens were keyed by
 * @param minCount the fewest tokens a key needs to count
 * @param layers real indices of the MoE layers // [M]
 * @param randomBaseline k / E
 * @param keys keys that reached {@code minCount}, per layer (the same at every layer) // [M]
 * @param tokens tokens of those keys // [M]
 * @param overall mean s over every slot of those keys; NaN when no key counts // [M]
 * @param perExpert mean s over expert e's slots; NaN for an expert no counted key chose // [M][E]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record TokenSpecialisation(Key key, int minCount, int[] layers, double randomBaseline, long[] keys,
                                  long[] tokens, double[] overall, double[][] perExpert) {

    /** What a token is keyed by. */
    public enum Key {
        INPUT("input"), TRUE_NEXT("true_next"), PREDICTED_NEXT("predicted_next");

        private final String id;

        Key(String id) {
            this.id = id;
        }

        /** The key's name in CSV and JSON. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return id;
        }
    }

    public TokenSpecialisation {
        if (key == null || minCount < 1) {
            throw new IllegalArgumentException("token specialisation needs a key and minCount >= 1, got " + key
                    + " and " + minCount);
        }
        int m = layers.length;
        if (keys.length != m || tokens.length != m || overall.length != m || perExpert.length != m) {
            throw new IllegalArgumentException("token specialisation (" + key.id() + "): arrays do not have "
                    + m + " layers");
        }
    }

    /** The per-layer index of real MoE layer {@code layer}. */
    public int slot(int layer) {
        for (int m = 0; m < layers.length; m++) {
            if (layers[m] == layer) {
                return m;
            }
        }
        throw new IllegalArgumentException("token specialisation (" + key.id() + ") has no MoE layer " + layer);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenSpecialisation that && key == that.key && minCount == that.minCount
                && java.util.Arrays.equals(layers, that.layers)
                && Double.compare(randomBaseline, that.randomBaseline) == 0
                && java.util.Arrays.equals(keys, that.keys) && java.util.Arrays.equals(tokens, that.tokens)
                && java.util.Arrays.equals(overall, that.overall) && java.util.Arrays.deepEquals(perExpert, that.perExpert);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + java.util.Arrays.hashCode(overall);
    }

    @Override
    public String toString() {
        return "TokenSpecialisation[key=" + key.id() + ", minCount=" + minCount + ", overall="
                + java.util.Arrays.toString(overall) + "]";
    }
}
