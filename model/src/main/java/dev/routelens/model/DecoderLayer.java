package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoder layer: {@code h = x + attn(norm1(x))}, then {@code y = h + ffn(norm2(h))}, where the feed-forward
 * part is an MoE block ({@code moe}, {@link SparseMoe}) or, in a family's dense layers, an MLP ({@code mlp},
 * {@link DenseMlp}). All tensors are packed [N, H]: N real tokens of the batch, H hidden, no padding.
 *
 * <p>Hook sites, in forward order, each named under {@code layers.{i}.} (the builders below own the names):
 * <ul>
 *   <li>{@link #residPre} {@code resid.pre} [N, H]: the residual stream entering layer i;
 *   <li>{@link #attnOut} {@code attn.out} [N, H]: attention output after o_proj;
 *   <li>{@link #residMid} {@code resid.mid} [N, H]: the residual after attention;
 *   <li>{@link #moeIn} {@code moe.in} [N, H] (or, in a dense layer, {@link #mlpIn} {@code mlp.in}): the
 *       post-attention RMSNorm output, the router's input;
 *   <li>the feed-forward part's own sites ({@link SparseMoe}, {@link DenseMlp});
 *   <li>{@link #residPost} {@code resid.post} [N, H]: the residual leaving layer i.
 * </ul>
 */
public final class DecoderLayer {
    private static final String PREFIX = "layers.";

    /** Every layer's {@code resid.mid} site, as a glob. */
    public static final String RESID_MID_EVERY_LAYER = site("*", "resid.mid");

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
        this.residPre = residPre(index);
        this.attnOut = attnOut(index);
        this.residMid = residMid(index);
        this.ffnIn = ffn instanceof SparseMoe ? moeIn(index) : mlpIn(index);
        this.residPost = residPost(index);
    }

    /** {@code layers.{layer}.{rest}}; {@code layer} may be {@code *} for a glob. */
    static String site(Object layer, String rest) {
        return PREFIX + layer + "." + rest;
    }

    /** The layer a site name lies in ({@code layers.{i}....}), or -1 for {@code embed}, {@code logits}, .... */
    public static int layerOf(String name) {
        int dot = name.indexOf('.', PREFIX.length());
        if (!name.startsWith(PREFIX) || dot < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(PREFIX.length(), dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code layers.{layer}.resid.pre}: the residual stream entering the layer. // [N, H] */
    public static String residPre(int layer) {
        return site(layer, "resid.pre");
    }

    /** {@code layers.{layer}.attn.out}: attention output after o_proj. // [N, H] */
    public static String attnOut(int layer) {
        return site(layer, "attn.out");
    }

    /** {@code layers.{layer}.resid.mid}: the residual after attention. // [N, H] */
    public static String residMid(int layer) {
        return site(layer, "resid.mid");
    }

    /** {@code layers.{layer}.moe.in}: an MoE layer's post-attention RMSNorm output, the router's input. // [N, H] */
    public static String moeIn(int layer) {
        return SparseMoe.site(layer, "in");
    }

    /** {@code layers.{layer}.mlp.in}: a dense layer's post-attention RMSNorm output (no router). // [N, H] */
    public static String mlpIn(int layer) {
        return DenseMlp.site(layer, "in");
    }

    /** {@code layers.{layer}.resid.post}: the residual leaving the layer. // [N, H] */
    public static String residPost(int layer) {
        return site(layer, "resid.post");
    }

    /** Every hook site of layer {@code index} of a {@code c} model, in forward order. */
    static List<String> hookNames(int index, MoeConfig c) {
        List<String> names = new ArrayList<>(List.of(residPre(index), attnOut(index), residMid(index)));
        if (c.isMoeLayer(index)) {
            names.add(moeIn(index));
            names.addAll(SparseMoe.hookNames(index, c));
        } else {
            names.add(mlpIn(index));
            names.addAll(DenseMlp.hookNames(index));
        }
        names.add(residPost(index));
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
