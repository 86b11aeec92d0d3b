package dev.routelens.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.model.Architecture;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.QkNorm;
import java.util.List;
import java.util.Set;

/**
 * OLMoE ({@code olmoe}): many fine-grained experts (64, top-8 in OLMoE-1B-7B) of width
 * {@code intermediate_size}; softmax router whose top-k probabilities are renormalised only when
 * {@code norm_topk_prob} (false in OLMoE); RMSNorm over the whole q and k projections; q, k and v clamped to
 * {@code clip_qkv} after those norms; biases on all four attention projections when {@code attention_bias}.
 * Defaults are HF 5.x {@code OlmoeConfig}'s.
 */
final class OlmoeFamily {
    static final ModelFamily FAMILY = new ModelFamily("OLMoE", List.of("olmoe"), TensorNames.QWEN_STYLE,
            OlmoeFamily::read);

    private OlmoeFamily() {
    }

    private static MoeConfig read(JsonNode root) {
        HfConfig c = new HfConfig(root);
        c.refuseForeign(Set.of("clip_qkv", "attention_bias"));
        c.requireSilu();
        int hidden = c.requiredInt("hidden_size");
        int heads = c.requiredInt("num_attention_heads");
        int maxPositions = c.intOr("max_position_embeddings", 4096);
        c.refuseSlidingWindow("sliding_window", c.intOrZero("sliding_window"), maxPositions);
        boolean bias = c.boolOr("attention_bias", false);
        return new MoeConfig(
                "olmoe",
                c.requiredInt("vocab_size"),
                hidden,
                c.requiredInt("num_hidden_layers"),
                heads,
                c.intOr("num_key_value_heads", heads),
                c.requiredInt("intermediate_size"),
                c.aliasedInt("num_experts", "num_local_experts"),
                c.intOr("num_experts_per_tok", 8),
                c.doubleOr("rms_norm_eps", 1e-5),
                c.ropeTheta(10000.0),
                maxPositions,
                c.boolOr("tie_word_embeddings", false),
                c.tokenId("bos_token_id", -1),
                c.tokenId("eos_token_id", -1),
                new Architecture(c.headDim(hidden, heads), c.boolOr("norm_topk_prob", false), 0, 0, List.of(),
                        QkNorm.FULL_WIDTH, bias, bias, c.doubleOr("clip_qkv", 0)));
    }
}
