package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** RMSNorm, {@code w * x / sqrt(mean(x^2) + eps)}, computed in float32 as HF does. */
public final class RmsNorm {
    private final NDArray weight; // [H]
    private final float eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    /** x [N, H] -> [N, H] in x's dtype. */
    public NDArray forward(NDArray x) {
        DataType dtype = x.getDataType();
        NDArray x32 = dtype == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false); // [N, H]
        NDArray meanSquare = x32.square().mean(new int[] {-1}, true);                  // [N, 1]
        NDArray inv = meanSquare.addi(eps).sqrt();                                      // [N, 1]
        meanSquare.close();
        NDArray normed = x32.div(inv);                                                  // [N, H]
        inv.close();
        if (x32 != x) {
            x32.close();
        }
        if (dtype != DataType.FLOAT32) {
            NDArray cast = normed.toType(dtype, false);
            normed.close();
            normed = cast;
        }
        return normed.muli(weight);
    }
}
