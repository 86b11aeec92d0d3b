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
 * copy into torch's memory in the compute dtype. Builds are serialised: one staging buffer per instance,
 * and a streamed model keeps one instance for all its runs.
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
        return owned(manager, dt, c.hiddenSize(), block(MixtralNames.embedTokens(), c.vocabSize()));
    }

    /** Decoder layer {@code i} with every weight owned by {@code manager}. */
    synchronized DecoderLayer layer(NDManager manager, int i) throws IOException {
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int f = c.intermediateSize();
        RmsNorm in = new RmsNorm(vector(manager, MixtralNames.inputLayernorm(i)), c.rmsNormEps());
        NDArray wqkv = owned(manager, dt, h, block(MixtralNames.qProj(i), q), block(MixtralNames.kProj(i), kv),
                block(MixtralNames.vProj(i), kv)).transpose();                                   // [H, q + 2kv]
        NDArray wo = owned(manager, dt, q, block(MixtralNames.oProj(i), h)).transpose();       // [q, H]
        Attention attn = new Attention(wqkv, wo, c);
        RmsNorm post = new RmsNorm(vector(manager, MixtralNames.postAttentionLayernorm(i)), c.rmsNormEps());
        NDArray gate = owned(manager, DataType.FLOAT32, h, block(MixtralNames.gate(i), c.numExperts())).transpose(); // [H, E]
        NDArray[] w13 = new NDArray[c.numExperts()];
        NDArray[] w2 = new NDArray[c.numExperts()];
        for (int j = 0; j < c.numExperts(); j++) {
            w13[j] = owned(manager, dt, h, block(MixtralNames.expertW1(i, j), f),
                    block(MixtralNames.expertW3(i, j), f)).transpose();                          // [H, 2F]
            w2[j] = owned(manager, dt, f, block(MixtralNames.expertW2(i, j), h)).transpose();  // [F, H]
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
                : owned(manager, dt, c.hiddenSize(), block(MixtralNames.lmHead(), c.vocabSize())).transpose();
    }

    /** A tensor [rows, cols] of a block stack; cols is the stack's. */
    private record Block(String name, long rows) {
    }

    private static Block block(String name, long rows) {
        return new Block(name, rows);
    }

    private NDArray vector(NDManager manager, String name) throws IOException {
        return owned(manager, dt, c.hiddenSize(), block(name, 0)).reshape(c.hiddenSize());     // [H]
    }

    /**
     * Row blocks [r_i, cols] stacked into one [sum r_i, cols] tensor in torch-owned memory, in {@code type};
     * a block of 0 rows is a vector [cols]. Each block is read straight into the staging buffer.
     */
    private NDArray owned(NDManager manager, DataType type, long cols, Block... blocks) throws IOException {
        long rows = 0;
        for (Block b : blocks) {
            rows += Math.max(1, b.rows());
        }
        ByteBuffer bytes = stage(rows * cols * 4);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (Block b : blocks) {
            if (b.rows() == 0) {
                weights.readInto(b.name(), floats, cols);
            } else {
                weights.readInto(b.name(), floats, b.rows(), cols);
            }
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray wrapped = tmp.create(bytes, new Shape(rows, cols), DataType.FLOAT32);    // [R, cols], no copy
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
