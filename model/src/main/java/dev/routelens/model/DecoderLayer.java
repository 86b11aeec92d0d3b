package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoder layer: {@code h = x + attn(norm1(x))}, then {@code y = h + ffn(norm2(h))}, where the feed-forward
 * part is an MoE block ({@code moe}) or, in a family's dense layers, an MLP ({@code mlp}). All tensors are
 * packed [N, H]. Hook sites, in order: {@code resid.pre}, {@code attn.out}, {@code resid.mid},
 * {@code moe.in} (or {@code mlp.in}), the feed-forward part's own sites, {@code resid.post}.
 */
public final class DecoderLayer {
    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final FeedForward ffn;
    private final String residPre;
    private final String attnOut;
    private final String residMid;
    private final String ffnIn;
    private final String residPost;

    DecoderLayer(int index, RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, FeedForward ffn) {
        this.index = index;
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.ffn = ffn;
        String p = "layers." + index + ".";
        this.residPre = p + "resid.pre";
        this.attnOut = p + "attn.out";
        this.residMid = p + "resid.mid";
        this.ffnIn = p + ffn.name() + ".in";
        this.residPost = p + "resid.post";
    }

    /** Every hook site of layer {@code index} of a {@code c} model, in forward order. */
    static List<String> hookNames(int index, MoeConfig c) {
        String p = "layers." + index + ".";
        List<String> names = new ArrayList<>(List.of(p + "resid.pre", p + "attn.out", p + "resid.mid"));
        if (c.isMoeLayer(index)) {
            names.add(p + "moe.in");
            names.addAll(SparseMoe.hookNames(index, c));
        } else {
            names.add(p + "mlp.in");
            names.addAll(DenseMlp.hookNames(index));
        }
        names.add(p + "resid.post");
        return names;
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

    /**
     * The feed-forward half, from the {@code resid.mid} site on: mid [N, H] -> mid + ffn(norm2(mid)) [N, H].
     * Closes mid.
     */
    public NDArray forwardMoe(NDArray mid, BatchLayout layout, ForwardHooks hooks, ExpertDispatch dispatch) {
        var batch = layout.batch();
        mid = ForwardHooks.visit(hooks, residMid, index, batch, null, mid);                // [N, H]
        NDArray ffnInput = ForwardHooks.visit(hooks, ffnIn, index, batch, null, postAttentionNorm.forward(mid)); // [N, H]
        NDArray ffnOut = ffn.forward(ffnInput, index, batch, hooks, dispatch);             // [N, H]
        ffnInput.close();
        NDArray out = ForwardHooks.visit(hooks, residPost, index, batch, null, mid.add(ffnOut)); // [N, H]
        ffnOut.close();
        mid.close();
        return out;
    }
}
