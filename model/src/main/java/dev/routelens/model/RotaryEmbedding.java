package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in HF's rotate-half form: dimension d pairs with d + D/2, and
 * {@code inv_freq_i = theta^(-2i/D)}. Tables are computed once in double precision.
 */
public final class RotaryEmbedding {
    private final NDArray cos; // [P, D]
    private final NDArray sin; // [P, D]
    private final int headDim;

    public RotaryEmbedding(NDManager manager, int headDim, int maxPositions, double theta, DataType dtype) {
        this.headDim = headDim;
        float[][] tables = tables(headDim, maxPositions, theta);
        this.cos = manager.create(tables[0], new Shape(maxPositions, headDim)).toType(dtype, false);
        this.sin = manager.create(tables[1], new Shape(maxPositions, headDim)).toType(dtype, false);
    }

    /** Host tables {cos, sin}, each [P * D] row-major, for positions 0..P-1 (the trainer uses them too). */
    public static float[][] tables(int headDim, int maxPositions, double theta) {
        int half = headDim / 2;
        float[] c = new float[maxPositions * headDim];
        float[] s = new float[maxPositions * headDim];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                // HF computes inv_freq and the angle in float32; do the same so F32 results agree.
                float invFreq = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
                float angle = (float) p * invFreq;
                float cv = (float) Math.cos(angle);
                float sv = (float) Math.sin(angle);
                c[p * headDim + i] = cv;
                c[p * headDim + i + half] = cv;
                s[p * headDim + i] = sv;
                s[p * headDim + i + half] = sv;
            }
        }
        return new float[][] {c, s};
    }

    /** x [B, heads, T, D] -> rotated [B, heads, T, D]; positions 0..T-1. */
    public NDArray apply(NDArray x) {
        long t = x.getShape().get(2);
        NDArray cosT = cos.get("0:" + t);                           // [T, D]
        NDArray sinT = sin.get("0:" + t);                           // [T, D]
        NDArray x1 = x.get("..., 0:" + headDim / 2);                // [B, h, T, D/2]
        NDArray x2 = x.get("..., " + headDim / 2 + ":");            // [B, h, T, D/2]
        NDArray rotated = x2.neg().concat(x1, -1);                   // [B, h, T, D]
        x1.close();
        x2.close();
        NDArray out = x.mul(cosT).addi(rotated.muli(sinT));         // [B, h, T, D]
        rotated.close();
        cosT.close();
        sinT.close();
        return out;
    }
}
