package dev.routelens.model;

import java.util.List;

/**
 * What a model family adds to the Mixtral decoder, as numbers and switches: the forward pass reads these
 * and nothing else, so a family is data, not a fork of the code. {@link #mixtral(int)} is plain Mixtral.
 *
 * @param headDim D, per-head width (hidden / heads unless the config names {@code head_dim})
 * @param normTopkProb whether the k chosen probabilities are renormalised to sum to 1
 *     (always in Mixtral; {@code norm_topk_prob} elsewhere)
 * @param sharedExpertSize width of the always-on shared expert, scaled by sigmoid({@code shared_expert_gate}(x));
 *     0 when there is none
 * @param denseSize SwiGLU width of a dense layer's MLP; 0 when every layer is an MoE layer
 * @param denseLayers real indices of the layers with a dense MLP and no router, ascending
 * @param qkNorm RMSNorm on queries and keys, if any
 * @param qkvBias whether the q, k and v projections carry biases
 * @param outputBias whether the attention output projection carries a bias
 * @param clipQkv q, k and v are clamped to [-clip, clip] after their projections (and norms); 0 for none
 */
public record Architecture(
        int headDim,
        boolean normTopkProb,
        int sharedExpertSize,
        int denseSize,
        List<Integer> denseLayers,
        QkNorm qkNorm,
        boolean qkvBias,
        boolean outputBias,
        double clipQkv) {

    public Architecture {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be positive and even for RoPE, got " + headDim);
        }
        if (sharedExpertSize < 0) {
            throw new IllegalArgumentException("shared_expert_intermediate_size must not be negative, got "
                    + sharedExpertSize);
        }
        if (denseSize < 0) {
            throw new IllegalArgumentException("intermediate_size of dense layers must not be negative, got "
                    + denseSize);
        }
        denseLayers = List.copyOf(denseLayers);
        for (int i = 1; i < denseLayers.size(); i++) {
            if (denseLayers.get(i) <= denseLayers.get(i - 1)) {
                throw new IllegalArgumentException("dense layers must be ascending and distinct, got " + denseLayers);
            }
        }
        if (!denseLayers.isEmpty() && denseSize == 0) {
            throw new IllegalArgumentException("dense layers " + denseLayers + " but no intermediate_size for them");
        }
        if (qkNorm == null) {
            throw new IllegalArgumentException("qk norm must be given (NONE for none)");
        }
        if (!(clipQkv >= 0) || Double.isInfinite(clipQkv)) {
            throw new IllegalArgumentException("clip_qkv must be positive or absent, got " + clipQkv);
        }
    }

    /** Plain Mixtral: head width hidden / heads, renormalised top-k, no extras, every layer MoE. */
    public static Architecture mixtral(int headDim) {
        return new Architecture(headDim, true, 0, 0, List.of(), QkNorm.NONE, false, false, 0);
    }

    /** Whether layer {@code layer} has a dense MLP instead of a router and experts. */
    public boolean isDense(int layer) {
        return denseLayers.contains(layer);
    }
}
