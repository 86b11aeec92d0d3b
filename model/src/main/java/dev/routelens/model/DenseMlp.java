package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A dense layer's MLP, in the layers a Qwen config keeps dense ({@code mlp_only_layers},
 * {@code decoder_sparse_step}): one SwiGLU on every token, no router. Hook site {@code layers.{i}.mlp.out}
 * [N, H]; the layer's {@code mlp.in} is its input.
 */
final class DenseMlp implements FeedForward {
    private final SwiGlu mlp;
    private final String out;

    DenseMlp(SwiGlu mlp, int layer) {
        this.mlp = mlp;
        this.out = hookNames(layer).get(0);
    }

    /** The sites a dense MLP at {@code layer} owns. */
    static List<String> hookNames(int layer) {
        return List.of("layers." + layer + ".mlp.out");
    }

    @Override
    public NDArray forward(NDArray x, int layer, TokenBatch batch, ForwardHooks hooks, ExpertDispatch dispatch) {
        return ForwardHooks.visit(hooks, out, layer, batch, null, mlp.forward(x)); // [N, H]
    }

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public List<String> hookNames() {
        return List.of(out);
    }
}
