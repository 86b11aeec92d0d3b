package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Device-side index and mask tensors for one {@link TokenBatch}, made once per forward pass and
 * owned by that pass's manager. Packed rows [N] map to padded rows [B*T] and back.
 */
public final class BatchLayout {
    private final TokenBatch batch;
    private final NDManager manager;
    private final NDArray paddedRows; // [N] int64, or null when no padding is needed
    private final NDArray mask;       // [B, 1, 1, T, T] float32, 0 or -inf

    public BatchLayout(TokenBatch batch, NDManager manager) {
        this.batch = batch;
        this.manager = manager;
        this.paddedRows = batch.isRagged() ? manager.create(batch.paddedRows()) : null;
        int b = batch.size();
        int t = batch.maxLength();
        float[] m = new float[b * t * t];
        for (int d = 0; d < b; d++) {
            int len = batch.length(d);
            for (int q = 0; q < t; q++) {
                for (int k = 0; k < t; k++) {
                    boolean visible = k <= q && k < len;
                    m[(d * t + q) * t + k] = visible ? 0f : Float.NEGATIVE_INFINITY;
                }
            }
        }
        this.mask = manager.create(m, new Shape(b, 1, 1, t, t));
    }

    public TokenBatch batch() {
        return batch;
    }

    /** Additive causal and key-padding mask. // [B, 1, 1, T, T] */
    public NDArray attentionMask() {
        return mask;
    }

    /** packed [N, C] -> padded [B*T, C] with zero rows at pad positions; same array when not ragged. */
    public NDArray pad(NDArray packed) {
        if (paddedRows == null) {
            return packed;
        }
        long c = packed.getShape().get(1);
        NDArray out = manager.zeros(new Shape((long) batch.size() * batch.maxLength(), c), packed.getDataType(),
                packed.getDevice()); // [B*T, C]
        out.set(new NDIndex("{}", paddedRows), packed);
        return out;
    }

    /** padded [B*T, C] -> packed [N, C]; same array when not ragged. */
    public NDArray unpad(NDArray padded) {
        if (paddedRows == null) {
            return padded;
        }
        return padded.get(new NDIndex("{}", paddedRows)); // [N, C]
    }
}
