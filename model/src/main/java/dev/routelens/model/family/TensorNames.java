package dev.routelens.model.family;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.QkNorm;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checkpoint tensor names of a family in the HF hub layout, built from the structure, and the shape each
 * must have for a config. The embedding, attention, norms and head are named alike in every family here;
 * what differs is the MoE block's name and its experts' projection names. Letters: V vocabulary, H hidden,
 * nh query heads, nkv KV heads, D head width, E experts, F expert width, S shared-expert width, M dense width.
 *
 * @param moeBlock the MoE block under a layer: {@code block_sparse_moe} (Mixtral) or {@code mlp}
 * @param gateProj an expert's SwiGLU gate projection: {@code w1} or {@code gate_proj}
 * @param upProj an expert's up projection: {@code w3} or {@code up_proj}
 * @param downProj an expert's down projection: {@code w2} or {@code down_proj}
 */
public record TensorNames(String moeBlock, String gateProj, String upProj, String downProj) {

    /** Mixtral and SciDFM. */
    public static final TensorNames MIXTRAL = new TensorNames("block_sparse_moe", "w1", "w3", "w2");

    /** OLMoE, Qwen2-MoE and Qwen3-MoE (Llama-style projection names under {@code mlp}). */
    public static final TensorNames QWEN_STYLE = new TensorNames("mlp", "gate_proj", "up_proj", "down_proj");

    /** {@code model.embed_tokens.weight}, [V, H]. */
    public String embedTokens() {
        return "model.embed_tokens.weight";
    }

    /** {@code model.norm.weight}, [H]. */
    public String finalNorm() {
        return "model.norm.weight";
    }

    /** {@code lm_head.weight}, [V, H]; absent when embeddings are tied. */
    public String lmHead() {
        return "lm_head.weight";
    }

    /** {@code model.layers.{layer}}. */
    public String layer(int layer) {
        return "model.layers." + layer;
    }

    /** RMSNorm before attention, [H]. */
    public String inputLayernorm(int layer) {
        return layer(layer) + ".input_layernorm.weight";
    }

    /** RMSNorm before the MLP or MoE block, [H]. */
    public String postAttentionLayernorm(int layer) {
        return layer(layer) + ".post_attention_layernorm.weight";
    }

    /** Attention projection {@code q}, {@code k}, {@code v} or {@code o}; {@code part} is weight or bias. */
    public String attention(int layer, char proj, String part) {
        return layer(layer) + ".self_attn." + proj + "_proj." + part;
    }

    /** The bias of attention projection {@code q}, {@code k}, {@code v} or {@code o} (families with qkv or output bias). */
    public String attentionBias(int layer, char proj) {
        return attention(layer, proj, "bias");
    }

    /** Query projection, [nh*D, H]. */
    public String qProj(int layer) {
        return attention(layer, 'q', "weight");
    }

    /** Key projection, [nkv*D, H]. */
    public String kProj(int layer) {
        return attention(layer, 'k', "weight");
    }

    /** Value projection, [nkv*D, H]. */
    public String vProj(int layer) {
        return attention(layer, 'v', "weight");
    }

    /** Output projection, [H, nh*D]. */
    public String oProj(int layer) {
        return attention(layer, 'o', "weight");
    }

    /** Query RMSNorm weight: [nh*D] full width or [D] per head. */
    public String qNorm(int layer) {
        return layer(layer) + ".self_attn.q_norm.weight";
    }

    /** Key RMSNorm weight: [nkv*D] full width or [D] per head. */
    public String kNorm(int layer) {
        return layer(layer) + ".self_attn.k_norm.weight";
    }

    /** Router, [E, H]; its output is the raw pre-softmax gate logits. */
    public String router(int layer) {
        return layer(layer) + "." + moeBlock + ".gate.weight";
    }

    /** Routed expert {@code expert}'s projection {@code proj} (one of the three names). */
    public String expert(int layer, int expert, String proj) {
        return layer(layer) + "." + moeBlock + ".experts." + expert + "." + proj + ".weight";
    }

    /** The shared expert's projection {@code proj}: [S, H] or [H, S]. */
    public String sharedExpert(int layer, String proj) {
        return layer(layer) + "." + moeBlock + ".shared_expert." + proj + ".weight";
    }

    /** The shared expert's scalar gate, [1, H]. */
    public String sharedExpertGate(int layer) {
        return layer(layer) + "." + moeBlock + ".shared_expert_gate.weight";
    }

    /** A dense layer's MLP projection {@code proj}: [M, H] or [H, M]. */
    public String denseMlp(int layer, String proj) {
        return layer(layer) + ".mlp." + proj + ".weight";
    }

    /**
     * Every tensor a checkpoint for {@code c} must hold, with its shape, in load order (embedding, layers in
     * order, final norm, LM head unless tied).
     */
    public Map<String, long[]> expectedShapes(MoeConfig c) {
        long v = c.vocabSize();
        long h = c.hiddenSize();
        long d = c.headDim();
        long q = c.numHeads() * d;
        long kv = c.numKvHeads() * d;
        var a = c.arch();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(embedTokens(), new long[] {v, h});
        for (int i = 0; i < c.numLayers(); i++) {
            shapes.put(inputLayernorm(i), new long[] {h});
            shapes.put(qProj(i), new long[] {q, h});
            shapes.put(kProj(i), new long[] {kv, h});
            shapes.put(vProj(i), new long[] {kv, h});
            if (a.qkvBias()) {
                shapes.put(attentionBias(i, 'q'), new long[] {q});
                shapes.put(attentionBias(i, 'k'), new long[] {kv});
                shapes.put(attentionBias(i, 'v'), new long[] {kv});
            }
            shapes.put(oProj(i), new long[] {h, q});
            if (a.outputBias()) {
                shapes.put(attentionBias(i, 'o'), new long[] {h});
            }
            if (a.qkNorm() == QkNorm.FULL_WIDTH) {
                shapes.put(qNorm(i), new long[] {q});
                shapes.put(kNorm(i), new long[] {kv});
            } else if (a.qkNorm() == QkNorm.PER_HEAD) {
                shapes.put(qNorm(i), new long[] {d});
                shapes.put(kNorm(i), new long[] {d});
            }
            shapes.put(postAttentionLayernorm(i), new long[] {h});
            if (c.isMoeLayer(i)) {
                long f = c.intermediateSize();
                shapes.put(router(i), new long[] {c.numExperts(), h});
                for (int j = 0; j < c.numExperts(); j++) {
                    shapes.put(expert(i, j, gateProj), new long[] {f, h});
                    shapes.put(expert(i, j, downProj), new long[] {h, f});
                    shapes.put(expert(i, j, upProj), new long[] {f, h});
                }
                long s = a.sharedExpertSize();
                if (s > 0) {
                    shapes.put(sharedExpert(i, gateProj), new long[] {s, h});
                    shapes.put(sharedExpert(i, upProj), new long[] {s, h});
                    shapes.put(sharedExpert(i, downProj), new long[] {h, s});
                    shapes.put(sharedExpertGate(i), new long[] {1, h});
                }
            } else {
                long m = a.denseSize();
                shapes.put(denseMlp(i, gateProj), new long[] {m, h});
                shapes.put(denseMlp(i, upProj), new long[] {m, h});
                shapes.put(denseMlp(i, downProj), new long[] {h, m});
            }
        }
        shapes.put(finalNorm(), new long[] {h});
        if (!c.tieWordEmbeddings()) {
            shapes.put(lmHead(), new long[] {v, h});
        }
        return shapes;
    }
}
