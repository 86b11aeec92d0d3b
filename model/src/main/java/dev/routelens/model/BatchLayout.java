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
        // Built from a [T, T] causal part and a [B, 1, T] key-padding part (small host arrays), then
        // broadcast once on the device, instead of filling B x T x T floats on the host every pass.
        float[] causal = new float[t * t];
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                causal[q * t + k] = Float.NEGATIVE_INFINITY;
            }
        }
        float[] keys = new float[b * t];
        for (int d = 0; d < b; d++) {
            for (int k = batch.length(d); k < t; k++) {
                keys[d * t + k] = Float.NEGATIVE_INFINITY;
            }
        }
        NDArray causalMask = manager.create(causal, new Shape(t, t));                // [T, T]
        NDArray keyMask = manager.create(keys, new Shape(b, 1, t));                  // [B, 1, T]
        this.mask = keyMask.add(causalMask).reshape(b, 1, 1, t, t);                  // [B, 1, 1, T, T]
        causalMask.close();
        keyMask.close();
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
