package dev.routelens.model;

import java.util.Locale;

/**
 * How the MoE block runs its experts. {@link #SPARSE} runs each expert only on the tokens routed
 * to it (top-k FLOPs); {@link #DENSE} runs every expert on every token and is the reference path.
 * The default comes from the system property {@code routelens.dispatch}.
 */
public enum ExpertDispatch {
    SPARSE,
    DENSE;

    /** {@code -Droutelens.dispatch=dense|sparse}; sparse when unset. */
    public static ExpertDispatch fromSystemProperty() {
        String v = System.getProperty("routelens.dispatch", "sparse");
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "sparse" -> SPARSE;
            case "dense" -> DENSE;
            default -> throw new IllegalArgumentException("routelens.dispatch must be sparse or dense, got '" + v + "'");
        };
    }
}
