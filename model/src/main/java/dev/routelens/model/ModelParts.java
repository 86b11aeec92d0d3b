package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.routelens.model.family.TensorNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Builds one part of a model at a time from a {@link WeightSource} into the caller's manager: the embedding,
 * decoder layer i, the final norm and the LM head. An in-memory model builds every part once; a streamed one
 * builds each layer when it runs and closes its manager after. Tensor names come from the config's family
 * ({@link TensorNames}), and which parts a layer has from its {@link Architecture}.
 *
 * <p>Every matrix stays as HF stores it, [out, in], in torch-owned memory, and layers use its transposed
 * view ({@code x W^T}, as nn.Linear does), so no strided transposed copy is ever made. Blocks reach
 * torch through one reused direct staging buffer (DJL wraps a direct buffer without copying; a Java array
 * would get a fresh direct buffer per tensor that lingers until garbage collection), then one contiguous
 * copy into torch's memory in the compute dtype. Builds are serialised: one staging buffer per instance,
 * and a streamed model keeps one instance for all its runs.
 *
 * <p>Letters: V vocabulary, H hidden, E experts, F expert width, S shared-expert width, M dense width,
 * D head width, q = heads x D, kv = KV heads x D.
 */
final class ModelParts {
    private final MoeConfig c;
    private final TensorNames names;
    private final WeightSource weights;
    private final DataType dt;
    private ByteBuffer staging; // native order, grown on demand

    ModelParts(MoeConfig config, WeightSource weights, DataType dt) {
        this.c = config;
        this.names = config.family().tensorNames();
        this.weights = weights;
        this.dt = dt;
    }

    /** The token embedding. // [V, H] */
    synchronized NDArray embedding(NDManager manager) throws IOException {
        return owned(manager, dt, matrix(names.embedTokens(), c.vocabSize(), c.hiddenSize()))
                .reshape(c.vocabSize(), c.hiddenSize());
    }

    /** Decoder layer {@code i} with every weight owned by {@code manager}. */
    synchronized DecoderLayer layer(NDManager manager, int i) throws IOException {
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        Architecture a = c.arch();
        RmsNorm in = norm(manager, names.inputLayernorm(i), h);
        NDArray wqkv = owned(manager, dt, matrix(names.qProj(i), q, h), matrix(names.kProj(i), kv, h),
                matrix(names.vProj(i), kv, h)).reshape(q + 2L * kv, h).transpose();           // [H, q + 2kv]
        NDArray bqkv = a.qkvBias()
                ? owned(manager, dt, vector(names.attentionBias(i, 'q'), q),
                        vector(names.attentionBias(i, 'k'), kv), vector(names.attentionBias(i, 'v'), kv))
                : null;                                                                         // [q + 2kv]
        NDArray wo = owned(manager, dt, matrix(names.oProj(i), h, q)).reshape(h, q).transpose(); // [q, H]
        NDArray bo = a.outputBias() ? owned(manager, dt, vector(names.attentionBias(i, 'o'), h)) : null; // [H]
        RmsNorm qNorm = null;
        RmsNorm kNorm = null;
        if (a.qkNorm() != QkNorm.NONE) {
            boolean perHead = a.qkNorm() == QkNorm.PER_HEAD;
            qNorm = norm(manager, names.qNorm(i), perHead ? c.headDim() : q);
            kNorm = norm(manager, names.kNorm(i), perHead ? c.headDim() : kv);
        }
        Attention attn = new Attention(wqkv, bqkv, wo, bo, qNorm, kNorm, c);
        RmsNorm post = norm(manager, names.postAttentionLayernorm(i), h);
        FeedForward ffn;
        if (c.isMoeLayer(i)) {
            NDArray gate = owned(manager, DataType.FLOAT32, matrix(names.router(i), c.numExperts(), h))
                    .reshape(c.numExperts(), h).transpose();                                    // [H, E]
            SwiGlu[] experts = new SwiGlu[c.numExperts()];
            for (int j = 0; j < experts.length; j++) {
                final int e = j;
                experts[j] = swiGlu(manager, c.intermediateSize(), proj -> names.expert(i, e, proj));
            }
            SwiGlu shared = null;
            NDArray sharedGate = null;
            if (a.sharedExpertSize() > 0) {
                shared = swiGlu(manager, a.sharedExpertSize(), proj -> names.sharedExpert(i, proj));
                sharedGate = owned(manager, dt, matrix(names.sharedExpertGate(i), 1, h)).reshape(h, 1); // [H, 1]
            }
            ffn = new SparseMoe(gate, experts, shared, sharedGate, i, c);
        } else {
            ffn = new DenseMlp(swiGlu(manager, a.denseSize(), proj -> names.denseMlp(i, proj)), i);
        }
        return new DecoderLayer(i, in, attn, post, ffn);
    }

    /** The final RMSNorm. */
    synchronized RmsNorm finalNorm(NDManager manager) throws IOException {
        return norm(manager, names.finalNorm(), c.hiddenSize());
    }

    /** The LM head, transposed; a view of {@code embedding} when tied. // [H, V] */
    synchronized NDArray head(NDManager manager, NDArray embedding) throws IOException {
        return c.tieWordEmbeddings()
                ? embedding.transpose()
                : owned(manager, dt, matrix(names.lmHead(), c.vocabSize(), c.hiddenSize()))
                        .reshape(c.vocabSize(), c.hiddenSize()).transpose();
    }

    /** One checkpoint tensor and the shape it must have. */
    private record Tensor(String name, long... shape) {
        long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static Tensor matrix(String name, long rows, long cols) {
        return new Tensor(name, rows, cols);
    }

    private static Tensor vector(String name, long length) {
        return new Tensor(name, length);
    }

    /** A SwiGLU of width {@code width} whose gate, up and down projections {@code name} names. */
    private SwiGlu swiGlu(NDManager manager, int width, java.util.function.Function<String, String> name)
            throws IOException {
        int h = c.hiddenSize();
        NDArray gateUp = owned(manager, dt, matrix(name.apply(names.gateProj()), width, h),
                matrix(name.apply(names.upProj()), width, h)).reshape(2L * width, h).transpose(); // [H, 2W]
        NDArray down = owned(manager, dt, matrix(name.apply(names.downProj()), h, width))
                .reshape(h, width).transpose();                                                   // [W, H]
        return new SwiGlu(gateUp, down, width);
    }

    private RmsNorm norm(NDManager manager, String name, int width) throws IOException {
        return new RmsNorm(owned(manager, dt, vector(name, width)), c.rmsNormEps());              // [width]
    }

    /**
     * The tensors' values one after another, flat, in torch-owned memory in {@code type} (callers reshape):
     * each is read straight into the staging buffer, checked against its shape by the source.
     */
    private NDArray owned(NDManager manager, DataType type, Tensor... tensors) throws IOException {
        long total = 0;
        for (Tensor t : tensors) {
            total += t.size();
        }
        ByteBuffer bytes = stage(total * 4);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (Tensor t : tensors) {
            weights.readInto(t.name(), floats, t.shape());
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray wrapped = tmp.create(bytes, new Shape(total), DataType.FLOAT32);              // [total], no copy
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
