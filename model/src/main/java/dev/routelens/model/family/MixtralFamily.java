package dev.routelens.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.model.Architecture;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.QkNorm;
import java.util.List;
import java.util.Set;

/**
 * Mixtral ({@code mixtral}) and SciDFM ({@code SciDFM}, Mixtral's layout under its own model_type): softmax
 * router over all experts, top-k, the k probabilities always renormalised; no biases, no q/k norms; every
 * layer MoE. Defaults are HF 5.x {@code MixtralConfig}'s; SciDFM's config class is remote code, so for it
 * the values that change the arithmetic must be written in the file.
 */
final class MixtralFamily {
    static final ModelFamily FAMILY = new ModelFamily("Mixtral / SciDFM", List.of("mixtral", "SciDFM"), TensorNames.MIXTRAL,
            MixtralFamily::read);

    private MixtralFamily() {
    }

    private static MoeConfig read(JsonNode root) {
        HfConfig c = new HfConfig(root);
        String type = ModelFamily.canonicalType(c.modelType());
        boolean mixtral = type.equals("mixtral");
        c.refuseForeign(Set.of());
        c.requireSilu();
        int hidden = c.requiredInt("hidden_size");
        int heads = c.requiredInt("num_attention_heads");
        int maxPositions = c.intOr("max_position_embeddings", mixtral ? 131072 : 4096);
        c.refuseSlidingWindow("sliding_window", c.intOrZero("sliding_window"), maxPositions);
        int experts = c.aliasedInt("num_local_experts", "num_experts");
        return new MoeConfig(
                type,
                c.requiredInt("vocab_size"),
                hidden,
                c.requiredInt("num_hidden_layers"),
                heads,
                mixtral ? c.intOr("num_key_value_heads", 8) : c.requiredInt("num_key_value_heads"),
                c.requiredInt("intermediate_size"),
                experts,
                c.intOr("num_experts_per_tok", 2),
                mixtral ? c.doubleOr("rms_norm_eps", 1e-5) : c.requiredDouble("rms_norm_eps"),
                c.ropeTheta(mixtral ? 1e6 : Double.NaN),
                maxPositions,
                c.boolOr("tie_word_embeddings", false),
                c.tokenId("bos_token_id", 1),
                c.tokenId("eos_token_id", 2),
                new Architecture(c.headDim(hidden, heads), true, 0, 0, List.of(), QkNorm.NONE, false, false, 0));
    }
}
