package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.routelens.model.checkpoint.MixtralNames;
import java.io.IOException;

/**
 * Builds one part of a Mixtral-layout model at a time from a {@link WeightSource} into the caller's
 * manager: the embedding, decoder layer i, the final norm and the LM head. An in-memory model builds
 * every part once; a streamed one builds each layer when it runs and closes its manager after.
 * Tensor names come from {@link MixtralNames}.
 *
 * <p>Letters: V vocabulary, H hidden, E experts, F expert width, q = heads x head width,
 * kv = KV heads x head width.
 */
final class ModelParts {
    private ModelParts() {
    }

    /** The token embedding. // [V, H] */
    static NDArray embedding(NDManager manager, MoeConfig c, WeightSource weights, DataType dt) throws IOException {
        return upload(manager, weights.read(MixtralNames.embedTokens(), c.vocabSize(), c.hiddenSize()),
                new Shape(c.vocabSize(), c.hiddenSize()), dt);
    }

    /** Decoder layer {@code i} with every weight owned by {@code manager}. */
    static DecoderLayer layer(NDManager manager, int i, MoeConfig c, WeightSource weights, DataType dt)
            throws IOException {
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int f = c.intermediateSize();
        RmsNorm in = new RmsNorm(upload(manager, weights.read(MixtralNames.inputLayernorm(i), h), new Shape(h), dt),
                c.rmsNormEps());
        Attention attn = Attention.fromHf(manager,
                weights.read(MixtralNames.qProj(i), q, h),
                weights.read(MixtralNames.kProj(i), kv, h),
                weights.read(MixtralNames.vProj(i), kv, h),
                weights.read(MixtralNames.oProj(i), h, q), c, dt);
        RmsNorm post = new RmsNorm(upload(manager, weights.read(MixtralNames.postAttentionLayernorm(i), h),
                new Shape(h), dt), c.rmsNormEps());
        NDArray gate = transposed(manager, weights.read(MixtralNames.gate(i), c.numExperts(), h),
                new Shape(c.numExperts(), h), DataType.FLOAT32); // [H, E], always float32
        NDArray[] w13 = new NDArray[c.numExperts()];
        NDArray[] w2 = new NDArray[c.numExperts()];
        for (int j = 0; j < c.numExperts(); j++) {
            NDArray[] pair = SparseMoe.fuseExpert(manager,
                    weights.read(MixtralNames.expertW1(i, j), f, h),
                    weights.read(MixtralNames.expertW3(i, j), f, h),
                    weights.read(MixtralNames.expertW2(i, j), h, f), c, dt);
            w13[j] = pair[0]; // [H, 2F]
            w2[j] = pair[1];  // [F, H]
        }
        return new DecoderLayer(i, in, attn, post, new SparseMoe(gate, w13, w2, i, c));
    }

    /** The final RMSNorm. */
    static RmsNorm finalNorm(NDManager manager, MoeConfig c, WeightSource weights, DataType dt) throws IOException {
        return new RmsNorm(upload(manager, weights.read(MixtralNames.finalNorm(), c.hiddenSize()),
                new Shape(c.hiddenSize()), dt), c.rmsNormEps());
    }

    /** The LM head, transposed; a view of {@code embedding} when tied. // [H, V] */
    static NDArray head(NDManager manager, MoeConfig c, WeightSource weights, DataType dt, NDArray embedding)
            throws IOException {
        return c.tieWordEmbeddings()
                ? embedding.transpose()
                : transposed(manager, weights.read(MixtralNames.lmHead(), c.vocabSize(), c.hiddenSize()),
                        new Shape(c.vocabSize(), c.hiddenSize()), dt);
    }

    static NDArray upload(NDManager manager, float[] data, Shape shape, DataType dt) {
        NDArray a = manager.create(data, shape);
        if (dt == DataType.FLOAT32) {
            return a;
        }
        NDArray cast = a.toType(dt, false);
        a.close();
        return cast;
    }

    /**
     * A transposed copy in torch-owned memory. (DJL's create(float[]) wraps a Java buffer, and a
     * same-dtype toType is no copy: the weight would die with the temporary manager.)
     */
    static NDArray transposed(NDManager manager, float[] data, Shape shape, DataType dt) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray t = tmp.create(data, shape).transpose().toType(dt, false).duplicate();
            t.attach(manager);
            return t;
        }
    }
}
