package dev.routelens.embed;

import java.util.Locale;

/** Which t-SNE optimiser {@link Tsne#fit} runs. */
public enum TsneMethod {
    /** Exact below {@link Tsne#AUTO_BARNES_HUT_ABOVE} points, Barnes-Hut above. */
    AUTO,
    /** Smile's exact O(N^2) t-SNE. */
    EXACT,
    /** Our Barnes-Hut t-SNE, O(N log N) per iteration. */
    BARNES_HUT;

    /** Parses {@code auto}, {@code exact}, {@code barnes-hut} or {@code barnes_hut} (any case). */
    public static TsneMethod parse(String value) {
        if (value != null) {
            String wanted = value.strip().replace('-', '_').toUpperCase(Locale.ROOT);
            for (TsneMethod method : values()) {
                if (method.name().equals(wanted)) {
                    return method;
                }
            }
        }
        throw new IllegalArgumentException("unknown t-SNE method '" + value + "' (expected auto, exact or barnes-hut)");
    }
}
