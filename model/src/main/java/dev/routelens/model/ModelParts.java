package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.routelens.model.checkpoint.MixtralNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Builds one part of a Mixtral-layout model at a time from a {@link WeightSource} into the caller's
 * manager: the embedding, decoder layer i, the final norm and the LM head. An in-memory model builds
 * every part once; a streamed one builds each layer when it runs and closes its manager after.
 * Tensor names come from {@link MixtralNames}.
 *
 * <p>Every matrix stays as HF stores it, [out, in], in torch-owned memory, and layers use its transposed
 * view ({@code x W^T}, as nn.Linear does), so no strided transposed copy is ever made. Blocks reach
 * torch through one reused direct staging buffer (DJL wraps a direct buffer without copying; a Java array
 * would get a fresh direct buffer per tensor that lingers until garbage collection), then one contiguous
 * copy into torch's memory in the compute dtype. Builds are serialised: one staging buffer per instance.
 *
 * <p>Letters: V vocabulary, H hidden, E experts, F expert width, q = heads x head width,
 * kv = KV heads x head width.
 */
final class ModelParts {
    private final MoeConfig c;
    private final WeightSource weights;
    private final DataType dt;
    private ByteBuffer staging; // native order, grown on demand

    ModelParts(MoeConfig config, WeightSource weights, DataType dt) {
        this.c = config;
        this.weights = weights;
        this.dt = dt;
    }

    /** The token embedding. // [V, H] */
    synchronized NDArray embedding(NDManager manager) throws IOException {
        return owned(manager, dt, c.hiddenSize(),
                weights.read(MixtralNames.embedTokens(), c.vocabSize(), c.hiddenSize()));
    }

    /** Decoder layer {@code i} with every weight owned by {@code manager}. */
    synchronized DecoderLayer layer(NDManager manager, int i) throws IOException {
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int f = c.intermediateSize();
        RmsNorm in = new RmsNorm(vector(manager, MixtralNames.inputLayernorm(i)), c.rmsNormEps());
        NDArray wqkv = owned(manager, dt, h,
                weights.read(MixtralNames.qProj(i), q, h),
                weights.read(MixtralNames.kProj(i), kv, h),
                weights.read(MixtralNames.vProj(i), kv, h)).transpose();                     // [H, q + 2kv]
        NDArray wo = owned(manager, dt, q, weights.read(MixtralNames.oProj(i), h, q)).transpose(); // [q, H]
        Attention attn = new Attention(wqkv, wo, c);
        RmsNorm post = new RmsNorm(vector(manager, MixtralNames.postAttentionLayernorm(i)), c.rmsNormEps());
        NDArray gate = owned(manager, DataType.FLOAT32, h,
                weights.read(MixtralNames.gate(i), c.numExperts(), h)).transpose();          // [H, E], float32
        NDArray[] w13 = new NDArray[c.numExperts()];
        NDArray[] w2 = new NDArray[c.numExperts()];
        for (int j = 0; j < c.numExperts(); j++) {
            w13[j] = owned(manager, dt, h,
                    weights.read(MixtralNames.expertW1(i, j), f, h),
                    weights.read(MixtralNames.expertW3(i, j), f, h)).transpose();            // [H, 2F]
            w2[j] = owned(manager, dt, f, weights.read(MixtralNames.expertW2(i, j), h, f)).transpose(); // [F, H]
        }
        return new DecoderLayer(i, in, attn, post, new SparseMoe(gate, w13, w2, i, c));
    }

    /** The final RMSNorm. */
    synchronized RmsNorm finalNorm(NDManager manager) throws IOException {
        return new RmsNorm(vector(manager, MixtralNames.finalNorm()), c.rmsNormEps());
    }

    /** The LM head, transposed; a view of {@code embedding} when tied. // [H, V] */
    synchronized NDArray head(NDManager manager, NDArray embedding) throws IOException {
        return c.tieWordEmbeddings()
                ? embedding.transpose()
                : owned(manager, dt, c.hiddenSize(),
                        weights.read(MixtralNames.lmHead(), c.vocabSize(), c.hiddenSize())).transpose();
    }

    private NDArray vector(NDManager manager, String name) throws IOException {
        return owned(manager, dt, c.hiddenSize(), weights.read(name, c.hiddenSize())).reshape(c.hiddenSize()); // [H]
    }

    /**
     * Row blocks [r_i, cols] stacked into one [sum r_i, cols] tensor in torch-owned memory, in {@code type}.
     */
    private NDArray owned(NDManager manager, DataType type, long cols, float[]... blocks) {
        long count = 0;
        for (float[] b : blocks) {
            count += b.length;
        }
        ByteBuffer bytes = stage(count * 4);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (float[] b : blocks) {
            floats.put(b);
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray wrapped = tmp.create(bytes, new Shape(count / cols, cols), DataType.FLOAT32); // [R, cols], no copy
            NDArray result = type == DataType.FLOAT32 ? wrapped.duplicate() : wrapped.toType(type, false);
            result.attach(manager);
            return result;
        }
    }

    private ByteBuffer stage(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(bytes + " bytes is too large for one weight block");
        }
        if (staging == null || staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer view = staging.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit((int) bytes);
        return view.slice().order(ByteOrder.nativeOrder());
    }
}
