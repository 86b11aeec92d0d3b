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
 *   <li>{@link #ZERO_SHARED}: routing is kept, the always-on shared expert's contribution at layer l
 *       ({@code layers.{l}.moe.shared}, Qwen2-MoE's sigmoid-gated shared expert) is replaced by zeros; at
 *       one layer or at every MoE layer at once ({@link Ablation#ALL_LAYERS}). The expert index is unused.
 *       Only families with a shared expert have it.</li>
 * </ul>
 */
public enum AblationMode {
    REROUTE,
    ZERO,
    TOP_R,
    ZERO_SHARED;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the mode acts on one routed expert, so an ablation needs its index. */
    public boolean needsExpert() {
        return this == REROUTE || this == ZERO;
    }

    /** Parses reroute, zero, top-r or zero-shared (any case, '_' or '-'). */
    public static AblationMode parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "reroute" -> REROUTE;
            case "zero" -> ZERO;
            case "top-r", "topr" -> TOP_R;
            case "zero-shared" -> ZERO_SHARED;
            default -> throw new IllegalArgumentException("unknown ablation mode '" + s
                    + "' (expected reroute, zero, top-r or zero-shared)");
        };
    }
}
