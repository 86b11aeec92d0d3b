package dev.routelens.model;

import ai.djl.ndarray.NDArray;

/**
 * One Mixtral decoder layer: {@code h = x + attn(norm1(x))}, then {@code y = h + moe(norm2(h))}.
 * All tensors are packed [N, H].
 */
public final class DecoderLayer {
    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final SparseMoe moe;
    private final String residPre;
    private final String attnOut;
    private final String residMid;
    private final String moeIn;
    private final String residPost;

    public DecoderLayer(int index, RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, SparseMoe moe) {
        this.index = index;
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.moe = moe;
        String p = "layers." + index + ".";
        this.residPre = p + "resid.pre";
        this.attnOut = p + "attn.out";
        this.residMid = p + "resid.mid";
        this.moeIn = p + "moe.in";
        this.residPost = p + "resid.post";
    }

    /** x [N, H] -> [N, H]. Closes x once it is no longer needed. */
    public NDArray forward(NDArray x, BatchLayout layout, RotaryEmbedding rope, ForwardHooks hooks, ExpertDispatch dispatch) {
        return forwardMoe(forwardAttention(x, layout, rope, hooks), layout, hooks, dispatch);
    }

    /** The attention half: x [N, H] -> x + attn(norm1(x)) [N, H], not yet shown to {@code resid.mid} hooks. Closes x. */
    public NDArray forwardAttention(NDArray x, BatchLayout layout, RotaryEmbedding rope, ForwardHooks hooks) {
        var batch = layout.batch();
        x = ForwardHooks.visit(hooks, residPre, index, batch, null, x);
        NDArray normed = inputNorm.forward(x);                                            // [N, H]
        NDArray attn = ForwardHooks.visit(hooks, attnOut, index, batch, null,
                attention.forward(normed, layout, rope));                                  // [N, H]
        normed.close();
        NDArray mid = x.add(attn);                                                         // [N, H]
        attn.close();
        x.close();
        return mid;
    }

    /** The MoE half, from the {@code resid.mid} site on: mid [N, H] -> mid + moe(norm2(mid)) [N, H]. Closes mid. */
    public NDArray forwardMoe(NDArray mid, BatchLayout layout, ForwardHooks hooks, ExpertDispatch dispatch) {
        var batch = layout.batch();
        mid = ForwardHooks.visit(hooks, residMid, index, batch, null, mid);                // [N, H]
        NDArray moeInput = ForwardHooks.visit(hooks, moeIn, index, batch, null, postAttentionNorm.forward(mid)); // [N, H]
        NDArray moeOut = moe.forward(moeInput, index, batch, hooks, dispatch);             // [N, H]
        moeInput.close();
        NDArray out = ForwardHooks.visit(hooks, residPost, index, batch, null, mid.add(moeOut)); // [N, H]
        moeOut.close();
        mid.close();
        return out;
    }
}
