package dev.routelens.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.model.Architecture;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.QkNorm;
import java.util.List;
import java.util.Set;

/**
 * Qwen3-MoE ({@code qwen3_moe}): an explicit {@code head_dim} that may differ from hidden / heads; RMSNorm of
 * width head_dim on every query and key head; biases on all four attention projections when
 * {@code attention_bias}; routed experts of {@code moe_intermediate_size}, no shared expert;
 * {@code norm_topk_prob}; dense MLP layers of {@code intermediate_size} where {@link SparseLayers} says so.
 * Defaults are HF 5.x {@code Qwen3MoeConfig}'s.
 */
final class Qwen3MoeFamily {
    static final ModelFamily FAMILY = new ModelFamily("Qwen3-MoE", List.of("qwen3_moe"), TensorNames.QWEN_STYLE,
            Qwen3MoeFamily::read);

    private Qwen3MoeFamily() {
    }

    private static MoeConfig read(JsonNode root) {
        HfConfig c = new HfConfig(root);
        c.refuseForeign(Set.of("attention_bias", "mlp_only_layers", "decoder_sparse_step", "use_sliding_window"));
        c.requireSilu();
        int hidden = c.requiredInt("hidden_size");
        int heads = c.requiredInt("num_attention_heads");
        int layers = c.requiredInt("num_hidden_layers");
        int maxPositions = c.intOr("max_position_embeddings", 32768);
        c.refuseQwenSlidingWindow(maxPositions);
        int experts = c.aliasedInt("num_experts", "num_local_experts");
        boolean bias = c.boolOr("attention_bias", false);
        return new MoeConfig(
                "qwen3_moe",
                c.requiredInt("vocab_size"),
                hidden,
                layers,
                heads,
                c.intOr("num_key_value_heads", 4),
                c.intOr("moe_intermediate_size", 768),
                experts,
                c.intOr("num_experts_per_tok", 8),
                c.doubleOr("rms_norm_eps", 1e-6),
                c.ropeTheta(10000.0),
                maxPositions,
                c.boolOr("tie_word_embeddings", false),
                c.tokenId("bos_token_id", -1),
                c.tokenId("eos_token_id", -1),
                new Architecture(c.headDim(hidden, heads), c.boolOr("norm_topk_prob", false), 0,
                        c.intOr("intermediate_size", 6144), SparseLayers.dense(c, layers, experts), QkNorm.PER_HEAD,
                        bias, bias, 0));
    }
}
