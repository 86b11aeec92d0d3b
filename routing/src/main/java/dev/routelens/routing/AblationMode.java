package dev.routelens.routing;

import java.util.Locale;

/**
 * How an expert is knocked out.
 * <ul>
 *   <li>{@link #REROUTE}: expert e's gate logit at layer l is masked before top-k wherever e would
 *       have been chosen, so those tokens go to the next best expert; other tokens are untouched.</li>
 *   <li>{@link #ZERO}: routing is kept, expert e's output is dropped (its slot contributes zero).</li>
 *   <li>{@link #TOP_R}: at layer l, each token's r highest-probability experts are masked
 *       (DeepSeekMoE's specialisation test); the expert index is unused.</li>
 * </ul>
 */
public enum AblationMode {
    REROUTE,
    ZERO,
    TOP_R;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses reroute, zero or top-r (any case, '_' or '-'). */
    public static AblationMode parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "reroute" -> REROUTE;
            case "zero" -> ZERO;
            case "top-r", "topr" -> TOP_R;
            default -> throw new IllegalArgumentException("unknown ablation mode '" + s + "' (expected reroute, zero or top-r)");
        };
    }
}
