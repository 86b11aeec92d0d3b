package dev.routelens.model.checkpoint;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.family.TensorNames;
import java.util.Map;

/**
 * Tensor names of the HF Mixtral layout (also SciDFM's), kept under their Mixtral names for the exporter,
 * the trainer and the float64 reference; they are {@link TensorNames#MIXTRAL}'s. Letters: V vocabulary,
 * H hidden, nh query heads, nkv KV heads, hd head width, E experts, F expert width.
 */
public final class MixtralNames {
    private static final TensorNames N = TensorNames.MIXTRAL;

    private MixtralNames() {
    }

    /** {@code model.embed_tokens.weight}, [V, H]. */
    public static String embedTokens() {
        return N.embedTokens();
    }

    /** {@code model.norm.weight}, the final RMSNorm, [H]. */
    public static String finalNorm() {
        return N.finalNorm();
    }

    /** {@code lm_head.weight}, [V, H]; absent when embeddings are tied. */
    public static String lmHead() {
        return N.lmHead();
    }

    /** {@code model.layers.{layer}} prefix. */
    public static String layer(int layer) {
        return N.layer(layer);
    }

    /** RMSNorm before attention, [H]. */
    public static String inputLayernorm(int layer) {
        return N.inputLayernorm(layer);
    }

    /** Query projection, [nh*hd, H]. */
    public static String qProj(int layer) {
        return N.qProj(layer);
    }

    /** Key projection, [nkv*hd, H]. */
    public static String kProj(int layer) {
        return N.kProj(layer);
    }

    /** Value projection, [nkv*hd, H]. */
    public static String vProj(int layer) {
        return N.vProj(layer);
    }

    /** Output projection, [H, nh*hd]. */
    public static String oProj(int layer) {
        return N.oProj(layer);
    }

    /** RMSNorm before the MoE block, [H]. */
    public static String postAttentionLayernorm(int layer) {
        return N.postAttentionLayernorm(layer);
    }

    /** Router, [E, H]; its output is the pre-softmax gate logits. */
    public static String gate(int layer) {
        return N.router(layer);
    }

    /** Expert gate projection (SwiGLU w1), [F, H]. */
    public static String expertW1(int layer, int expert) {
        return N.expert(layer, expert, N.gateProj());
    }

    /** Expert down projection (w2), [H, F]. */
    public static String expertW2(int layer, int expert) {
        return N.expert(layer, expert, N.downProj());
    }

    /** Expert up projection (SwiGLU w3), [F, H]. */
    public static String expertW3(int layer, int expert) {
        return N.expert(layer, expert, N.upProj());
    }

    /**
     * Every tensor a Mixtral checkpoint for {@code config} must hold, with its shape, in a fixed order
     * (embedding, layers in order, final norm, LM head unless tied).
     */
    public static Map<String, long[]> expectedShapes(MoeConfig config) {
        return N.expectedShapes(config);
    }
}
