package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Causal multi-head self-attention with grouped KV heads and RoPE, on packed tokens, with the extras some
 * families add: q/k/v biases (Qwen2-MoE; all four projections under {@code attention_bias}), RMSNorm on q
 * and k over the whole projection (OLMoE) or per head (Qwen3-MoE), and q/k/v clamped to {@code clip_qkv}
 * after those norms (OLMoE). The head width D need not be H / h (Qwen3-MoE).
 *
 * <p>Letters: N packed tokens, B documents, T padded length, H hidden, h query heads, g KV heads,
 * D head width. Q, K and V come from one fused projection.
 */
public final class Attention {
    private final NDArray wqkv;  // [H, (h + 2g) * D], the transposed q/k/v projections side by side
    private final NDArray bqkv;  // [(h + 2g) * D], or null without q/k/v biases
    private final NDArray wo;    // [h * D, H]
    private final NDArray bo;    // [H], or null
    private final RmsNorm qNorm; // weight [h * D] full width or [D] per head; null without q/k norms
    private final RmsNorm kNorm; // weight [g * D] or [D]
    private final QkNorm qkNorm;
    private final float clip;    // 0 for none
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;

    public Attention(NDArray wqkv, NDArray wo, MoeConfig config) {
        this(wqkv, null, wo, null, null, null, config);
    }

    public Attention(NDArray wqkv, NDArray bqkv, NDArray wo, NDArray bo, RmsNorm qNorm, RmsNorm kNorm,
                     MoeConfig config) {
        this.wqkv = wqkv;
        this.bqkv = bqkv;
        this.wo = wo;
        this.bo = bo;
        this.qkNorm = config.arch().qkNorm();
        if ((qkNorm == QkNorm.NONE) != (qNorm == null || kNorm == null)) {
            throw new IllegalArgumentException("q/k norm " + qkNorm + " needs exactly both norm weights");
        }
        this.qNorm = qNorm;
        this.kNorm = kNorm;
        this.clip = (float) config.arch().clipQkv();
        this.heads = config.numHeads();
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /** x [N, H] -> attention output [N, H] (after the output projection). */
    public NDArray forward(NDArray x, BatchLayout layout, RotaryEmbedding rope) {
        int b = layout.batch().size();
        int t = layout.batch().maxLength();
        NDArray qkv = project(x);                                        // [N, (h+2g)*D]
        NDArray padded = layout.pad(qkv);                                // [B*T, (h+2g)*D]
        if (padded != qkv) {
            qkv.close();
        }
        NDArray grid = padded.reshape(b, t, heads + 2 * kvHeads, headDim); // [B, T, h+2g, D]
        NDArray q0 = grid.get(new NDIndex(":, :, 0:" + heads)).transpose(0, 2, 1, 3);               // [B, h, T, D]
        NDArray k0 = grid.get(new NDIndex(":, :, " + heads + ":" + (heads + kvHeads))).transpose(0, 2, 1, 3); // [B, g, T, D]
        NDArray v = grid.get(new NDIndex(":, :, " + (heads + kvHeads) + ":")).transpose(0, 2, 1, 3); // [B, g, T, D]
        padded.close();
        grid.close();
        NDArray q = rope.apply(q0);                                      // [B, h, T, D]
        q0.close();
        NDArray k = rope.apply(k0);                                      // [B, g, T, D]
        k0.close();
        int groups = heads / kvHeads;
        // Query head i uses KV head i / groups (HF repeat_kv): view q as [B, g, groups, T, D].
        NDArray q5 = q.reshape(b, kvHeads, groups, t, headDim).muli(scale); // [B, g, r, T, D]
        NDArray k5 = k.reshape(b, kvHeads, 1, t, headDim);                  // [B, g, 1, T, D]
        NDArray v5 = v.reshape(b, kvHeads, 1, t, headDim);                  // [B, g, 1, T, D]
        NDArray kT = k5.transpose(0, 1, 2, 4, 3);                           // [B, g, 1, D, T]
        NDArray scores = q5.matMul(kT);                                     // [B, g, r, T, T]
        q.close();
        k.close();
        q5.close();
        kT.close();
        k5.close();
        NDArray scores32 = scores.getDataType() == DataType.FLOAT32 ? scores : scores.toType(DataType.FLOAT32, false);
        if (scores32 != scores) {
            scores.close();
        }
        scores32.addi(layout.attentionMask());                               // + [B, 1, 1, T, T]
        NDArray probs32 = scores32.softmax(-1);                              // [B, g, r, T, T]
        scores32.close();
        NDArray probs = probs32.getDataType() == v.getDataType() ? probs32 : probs32.toType(v.getDataType(), false);
        if (probs != probs32) {
            probs32.close();
        }
        NDArray ctx = probs.matMul(v5);                                     // [B, g, r, T, D]
        probs.close();
        v5.close();
        v.close();
        NDArray merged = ctx.reshape(b, heads, t, headDim).transpose(0, 2, 1, 3)
                .reshape(b * t, heads * headDim);                           // [B*T, h*D]
        ctx.close();
        NDArray packed = layout.unpad(merged);                              // [N, h*D]
        if (packed != merged) {
            merged.close();
        }
        NDArray out = packed.matMul(wo);                                    // [N, H]
        packed.close();
        return bo == null ? out : out.addi(bo);
    }

    /** The fused q/k/v projection with the family's biases, norms and clipping: x [N, H] -> [N, (h+2g)*D]. */
    private NDArray project(NDArray x) {
        NDArray qkv = x.matMul(wqkv);                                    // [N, (h+2g)*D]
        if (bqkv != null) {
            qkv.addi(bqkv);
        }
        if (qkNorm != QkNorm.NONE) {
            long n = qkv.getShape().get(0);
            // Full width: norm q [N, h*D] and k [N, g*D] as rows; per head: norm each [D] of [N, h or g, D].
            NDArray grid = qkNorm == QkNorm.PER_HEAD ? qkv.reshape(n, heads + 2 * kvHeads, headDim) : qkv;
            int unit = qkNorm == QkNorm.PER_HEAD ? 1 : headDim;          // columns of dim 1 per head
            NDArray q = grid.get(new NDIndex(":, 0:" + heads * unit));
            NDArray k = grid.get(new NDIndex(":, " + heads * unit + ":" + (heads + kvHeads) * unit));
            NDArray v = grid.get(new NDIndex(":, " + (heads + kvHeads) * unit + ":"));
            NDArray qn = qNorm.forward(q);                               // like q
            NDArray kn = kNorm.forward(k);                               // like k
            q.close();
            k.close();
            NDArray joined = NDArrays.concat(new NDList(qn, kn, v), 1);  // like grid
            qn.close();
            kn.close();
            v.close();
            if (grid != qkv) {
                grid.close();
            }
            qkv.close();
            qkv = joined.reshape(n, (long) (heads + 2 * kvHeads) * headDim);
            if (qkv != joined) {
                joined.close();
            }
        }
        if (clip > 0) {
            NDArray clipped = qkv.clip(-clip, clip);
            qkv.close();
            qkv = clipped;
        }
        return qkv;
    }
}
