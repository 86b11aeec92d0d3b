package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Causal multi-head self-attention with grouped KV heads and RoPE, on packed tokens.
 *
 * <p>Letters: N packed tokens, B documents, T padded length, H hidden, h query heads, g KV heads,
 * D head width. Q, K and V come from one fused projection.
 */
public final class Attention {
    private final NDArray wqkv; // [H, (h + 2g) * D], the transposed q/k/v projections side by side
    private final NDArray wo;   // [h * D, H]
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;

    public Attention(NDArray wqkv, NDArray wo, MoeConfig config) {
        this.wqkv = wqkv;
        this.wo = wo;
        this.heads = config.numHeads();
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /** x [N, H] -> attention output [N, H] (after the output projection). */
    public NDArray forward(NDArray x, BatchLayout layout, RotaryEmbedding rope) {
        int b = layout.batch().size();
        int t = layout.batch().maxLength();
        NDArray qkv = x.matMul(wqkv);                                    // [N, (h+2g)*D]
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
        return out;
    }
}
