package dev.routelens.model.family;

import java.util.Map;

/**
 * MoE families that RouteLens recognises but does not implement, each with what it would need. Loading one
 * is refused by name instead of being read as a Mixtral look-alike with wrong arithmetic.
 */
final class RefusedFamilies {
    private RefusedFamilies() {
    }

    private static final String DEEPSEEK = "DeepSeek-V2/V3 need multi-head latent attention (compressed KV with"
            + " decoupled RoPE), group-limited top-k routing, V3's sigmoid scores with a selection-only bias and"
            + " routed_scaling_factor, shared experts, and dense first layers (first_k_dense_replace)";

    private static final Map<String, String> REASONS = Map.of(
            "deepseek_v2", DEEPSEEK,
            "deepseek_v3", DEEPSEEK,
            "granitemoe", "GraniteMoE needs embedding, residual, attention and logit multipliers and its"
                    + " fused expert layout",
            "granitemoeshared", "GraniteMoE-shared needs Granite's multipliers and a shared expert",
            "gpt_oss", "gpt-oss needs router biases, attention sinks, alternating sliding-window layers,"
                    + " YaRN RoPE and its clamped SwiGLU",
            "phimoe", "Phi-3.5-MoE needs the per-slot sparsemixer router (jittered top-2 with masked"
                    + " re-selection) and LayerNorm with biases",
            "jetmoe", "JetMoE needs mixture-of-attention-heads experts",
            "dbrx", "DBRX needs its fused expert layout and clipped, LayerNorm-based blocks");

    /** Why {@code modelType} (lower case) is refused, or null when it is not a known family. */
    static String reason(String modelType) {
        return REASONS.get(modelType);
    }
}
