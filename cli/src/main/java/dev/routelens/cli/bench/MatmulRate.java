package dev.routelens.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.bench.Repeats;

/**
 * The machine's matmul rate in the model's dtype on its device: the yardstick that forward and streamed
 * compute rates are given as a fraction of.
 */
final class MatmulRate {
    private MatmulRate() {
    }

    /** The {@code matmul} section: FLOP/s of a square matmul, 1024 on a CPU and 8192 on a GPU. */
    static double square(MoeTransformer model) {
        int n = model.device().isGpu() ? 8192 : 1024;
        return of(model, n, n, n);
    }

    /** FLOP/s of an [m, k] x [k, n] matmul: the median of 5 timed runs after one warm-up. */
    static double of(MoeTransformer model, int m, int k, int n) {
        try (NDManager mm = NDManager.newBaseManager(model.device())) {
            DataType dt = model.precision().dataType();
            NDArray a = mm.randomNormal(new Shape(m, k)).toType(dt, false); // [m, k]
            NDArray b = mm.randomNormal(new Shape(k, n)).toType(dt, false); // [k, n]
            Runnable product = () -> {
                try (NDArray p = a.matMul(b)) { // [m, n]
                    p.get("0,0").toType(DataType.FLOAT32, false).getFloat(); // waits for the device
                }
            };
            double s = Repeats.interleaved(5, java.util.List.of(product), done -> { }).get(0).median();
            return 2.0 * m * k * n / s;
        }
    }
}
