package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A dense layer's MLP, in the layers a Qwen config keeps dense ({@code mlp_only_layers},
 * {@code decoder_sparse_step}): one SwiGLU on every token, no router. Hook site {@link #out}
 * {@code layers.{i}.mlp.out} [N, H], the MLP's output; the layer's {@link DecoderLayer#mlpIn} is its input.
 */
public final class DenseMlp implements FeedForward {
    private final SwiGlu mlp;
    private final String out;

    DenseMlp(SwiGlu mlp, int layer) {
        this.mlp = mlp;
        this.out = out(layer);
    }

    /** {@code layers.{layer}.mlp.{rest}}. */
    static String site(int layer, String rest) {
        return DecoderLayer.site(layer, "mlp." + rest);
    }

    /** {@code layers.{layer}.mlp.out}: a dense layer's MLP output. // [N, H] */
    public static String out(int layer) {
        return site(layer, "out");
    }

    /** The sites a dense MLP at {@code layer} owns. */
    static List<String> hookNames(int layer) {
        return List.of(out(layer));
    }

    @Override
    public NDArray forward(NDArray x, int layer, TokenBatch batch, ForwardHooks hooks, ExpertDispatch dispatch) {
        return ForwardHooks.visit(hooks, out, layer, batch, null, mlp.forward(x)); // [N, H]
    }

    @Override
    public List<String> hookNames() {
        return List.of(out);
    }
}
