package dev.routelens.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.model.Architecture;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.QkNorm;
import java.util.List;
import java.util.Set;

/**
 * Qwen1.5-MoE and Qwen2-MoE ({@code qwen2_moe}): biases on q, k and v ({@code qkv_bias}); routed experts of
 * {@code moe_intermediate_size}; a shared expert of {@code shared_expert_intermediate_size} on every token,
 * scaled by sigmoid({@code shared_expert_gate}(x)) and added; {@code norm_topk_prob}; dense MLP layers of
 * {@code intermediate_size} where {@link SparseLayers} says so. Defaults are HF 5.x {@code Qwen2MoeConfig}'s.
 */
final class Qwen2MoeFamily {
    static final ModelFamily FAMILY = new ModelFamily("Qwen1.5-MoE / Qwen2-MoE", List.of("qwen2_moe"), TensorNames.QWEN_STYLE,
            Qwen2MoeFamily::read);

    private Qwen2MoeFamily() {
    }

    private static MoeConfig read(JsonNode root) {
        HfConfig c = new HfConfig(root);
        c.refuseForeign(Set.of("qkv_bias", "shared_expert_intermediate_size", "mlp_only_layers",
                "decoder_sparse_step", "use_sliding_window"));
        c.requireSilu();
        int hidden = c.requiredInt("hidden_size");
        int heads = c.requiredInt("num_attention_heads");
        int layers = c.requiredInt("num_hidden_layers");
        int maxPositions = c.intOr("max_position_embeddings", 32768);
        c.refuseQwenSlidingWindow(maxPositions);
        int experts = c.aliasedInt("num_experts", "num_local_experts");
        return new MoeConfig(
                "qwen2_moe",
                c.requiredInt("vocab_size"),
                hidden,
                layers,
                heads,
                c.intOr("num_key_value_heads", 16),
                c.intOr("moe_intermediate_size", 1408),
                experts,
                c.intOr("num_experts_per_tok", 4),
                c.doubleOr("rms_norm_eps", 1e-6),
                c.ropeTheta(10000.0),
                maxPositions,
                c.boolOr("tie_word_embeddings", false),
                c.tokenId("bos_token_id", -1),
                c.tokenId("eos_token_id", -1),
                new Architecture(c.headDim(hidden, heads), c.boolOr("norm_topk_prob", false),
                        c.intOr("shared_expert_intermediate_size", 5632), c.intOr("intermediate_size", 5632),
                        SparseLayers.dense(c, layers, experts), QkNorm.NONE, c.boolOr("qkv_bias", true), false, 0));
    }
}
