package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;

/**
 * A SwiGLU MLP, {@code down(silu(gate x) * up x)}: one routed expert, a shared expert, or a dense layer's
 * MLP. The gate and up projections are fused side by side. Letters: n rows, H hidden, F width.
 */
final class SwiGlu {
    private final NDArray gateUp; // [H, 2F]: gate (w1) and up (w3) transposed, side by side
    private final NDArray down;   // [F, H]
    private final int width;      // F

    SwiGlu(NDArray gateUp, NDArray down, int width) {
        this.gateUp = gateUp;
        this.down = down;
        this.width = width;
    }

    /** x [n, H] -> [n, H]. */
    NDArray forward(NDArray x) {
        NDArray h13 = x.matMul(gateUp);                          // [n, 2F]
        NDArray a = h13.get(new NDIndex(":, 0:" + width));       // [n, F]
        NDArray b = h13.get(new NDIndex(":, " + width + ":"));   // [n, F]
        h13.close();
        NDArray act = Activation.sigmoid(a).muli(a);             // [n, F], silu(a) = a * sigmoid(a)
        a.close();
        NDArray gated = act.muli(b);                             // [n, F]
        b.close();
        NDArray y = gated.matMul(down);                          // [n, H]
        gated.close();
        return y;
    }
}
