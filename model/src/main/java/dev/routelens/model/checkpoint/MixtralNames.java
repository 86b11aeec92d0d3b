package dev.routelens.model.checkpoint;

import dev.routelens.model.MoeConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tensor names of the HF Mixtral layout (also SciDFM's), built from the structure rather than typed by
 * hand, and the shape each must have for a given {@link MoeConfig}. Letters: V vocabulary, H hidden,
 * nh query heads, nkv KV heads, hd head width, E experts, F expert width.
 */
public final class MixtralNames {

    private MixtralNames() {
    }

    /** {@code model.embed_tokens.weight}, [V, H]. */
    public static String embedTokens() {
        return "model.embed_tokens.weight";
    }

    /** {@code model.norm.weight}, the final RMSNorm, [H]. */
    public static String finalNorm() {
        return "model.norm.weight";
    }

    /** {@code lm_head.weight}, [V, H]; absent when embeddings are tied. */
    public static String lmHead() {
        return "lm_head.weight";
    }

    /** {@code model.layers.{layer}} prefix. */
    public static String layer(int layer) {
        return "model.layers." + layer;
    }

    /** RMSNorm before attention, [H]. */
    public static String inputLayernorm(int layer) {
        return layer(layer) + ".input_layernorm.weight";
    }

    /** Query projection, [nh*hd, H]. */
    public static String qProj(int layer) {
        return layer(layer) + ".self_attn.q_proj.weight";
    }

    /** Key projection, [nkv*hd, H]. */
    public static String kProj(int layer) {
        return layer(layer) + ".self_attn.k_proj.weight";
    }

    /** Value projection, [nkv*hd, H]. */
    public static String vProj(int layer) {
        return layer(layer) + ".self_attn.v_proj.weight";
    }

    /** Output projection, [H, nh*hd]. */
    public static String oProj(int layer) {
        return layer(layer) + ".self_attn.o_proj.weight";
    }

    /** RMSNorm before the MoE block, [H]. */
    public static String postAttentionLayernorm(int layer) {
        return layer(layer) + ".post_attention_layernorm.weight";
    }

    /** Router, [E, H]; its output is the pre-softmax gate logits. */
    public static String gate(int layer) {
        return layer(layer) + ".block_sparse_moe.gate.weight";
    }

    /** Expert gate projection (SwiGLU w1), [F, H]. */
    public static String expertW1(int layer, int expert) {
        return expert(layer, expert) + ".w1.weight";
    }

    /** Expert down projection (w2), [H, F]. */
    public static String expertW2(int layer, int expert) {
        return expert(layer, expert) + ".w2.weight";
    }

    /** Expert up projection (SwiGLU w3), [F, H]. */
    public static String expertW3(int layer, int expert) {
        return expert(layer, expert) + ".w3.weight";
    }

    private static String expert(int layer, int expert) {
        return layer(layer) + ".block_sparse_moe.experts." + expert;
    }

    /**
     * Every tensor a Mixtral checkpoint for {@code config} must hold, with its shape, in a fixed order
     * (embedding, layers in order, final norm, LM head unless tied).
     */
    public static Map<String, long[]> expectedShapes(MoeConfig config) {
        long v = config.vocabSize();
        long h = config.hiddenSize();
        long q = (long) config.numHeads() * config.headDim();
        long kv = (long) config.numKvHeads() * config.headDim();
        long f = config.intermediateSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(embedTokens(), new long[] {v, h});
        for (int i = 0; i < config.numLayers(); i++) {
            shapes.put(inputLayernorm(i), new long[] {h});
            shapes.put(qProj(i), new long[] {q, h});
            shapes.put(kProj(i), new long[] {kv, h});
            shapes.put(vProj(i), new long[] {kv, h});
            shapes.put(oProj(i), new long[] {h, q});
            shapes.put(postAttentionLayernorm(i), new long[] {h});
            shapes.put(gate(i), new long[] {config.numExperts(), h});
            for (int j = 0; j < config.numExperts(); j++) {
                shapes.put(expertW1(i, j), new long[] {f, h});
                shapes.put(expertW2(i, j), new long[] {h, f});
                shapes.put(expertW3(i, j), new long[] {f, h});
            }
        }
        shapes.put(finalNorm(), new long[] {h});
        if (!config.tieWordEmbeddings()) {
            shapes.put(lmHead(), new long[] {v, h});
        }
        return shapes;
    }
}
