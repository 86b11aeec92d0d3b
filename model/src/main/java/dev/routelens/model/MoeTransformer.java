package dev.routelens.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;

/**
 * A Mixtral-layout MoE decoder (SciDFM's architecture) on DJL's PyTorch engine, inference only.
 *
 * <p>Letters: B documents, T padded length, N packed real tokens, H hidden, V vocabulary, L layers.
 * The residual stream is packed [N, H]. Hook sites (see {@link ForwardHooks}): {@code embed},
 * {@code layers.{i}.resid.pre|attn.out|resid.mid|moe.in|moe.gate|moe.probs|moe.topk|moe.topk_weights|
 * moe.experts.{j}.out|moe.out|resid.post}, {@code final.norm}, {@code logits}.
 */
public final class MoeTransformer implements AutoCloseable {
    private final MoeConfig config;
    private final Device device;
    private final Precision precision;
    private final NDManager manager;
    private final NDArray embed;       // [V, H]
    private final DecoderLayer[] layers;
    private final RmsNorm finalNorm;
    private final NDArray head;        // [H, V]
    private final RotaryEmbedding rope;
    private final String origin;
    private volatile ExpertDispatch dispatch = ExpertDispatch.fromSystemProperty();

    private MoeTransformer(MoeConfig config, Device device, Precision precision, NDManager manager, NDArray embed,
                           DecoderLayer[] layers, RmsNorm finalNorm, NDArray head, RotaryEmbedding rope, String origin) {
        this.config = config;
        this.device = device;
        this.precision = precision;
        this.manager = manager;
        this.embed = embed;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.head = head;
        this.rope = rope;
        this.origin = origin;
    }

    /** Builds the model from any weight source (a checkpoint or seeded random weights). */
    public static MoeTransformer create(MoeConfig c, WeightSource weights, Device device, Precision precision)
            throws IOException {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            DataType dt = precision.dataType();
            int h = c.hiddenSize();
            int v = c.vocabSize();
            int q = c.numHeads() * c.headDim();
            int kv = c.numKvHeads() * c.headDim();
            int f = c.intermediateSize();
            NDArray embed = upload(manager, weights.read("model.embed_tokens.weight", v, h), new Shape(v, h), dt);
            DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
            for (int i = 0; i < layers.length; i++) {
                String p = "model.layers." + i + ".";
                RmsNorm in = new RmsNorm(upload(manager, weights.read(p + "input_layernorm.weight", h), new Shape(h), dt),
                        c.rmsNormEps());
                Attention attn = Attention.fromHf(manager,
                        weights.read(p + "self_attn.q_proj.weight", q, h),
                        weights.read(p + "self_attn.k_proj.weight", kv, h),
                        weights.read(p + "self_attn.v_proj.weight", kv, h),
                        weights.read(p + "self_attn.o_proj.weight", h, q), c, dt);
                RmsNorm post = new RmsNorm(upload(manager,
                        weights.read(p + "post_attention_layernorm.weight", h), new Shape(h), dt), c.rmsNormEps());
                NDArray gate = transposed(manager,
                        weights.read(p + "block_sparse_moe.gate.weight", c.numExperts(), h),
                        new Shape(c.numExperts(), h), DataType.FLOAT32); // [H, E]
                NDArray[] w13 = new NDArray[c.numExperts()];
                NDArray[] w2 = new NDArray[c.numExperts()];
                for (int j = 0; j < c.numExperts(); j++) {
                    String e = p + "block_sparse_moe.experts." + j + ".";
                    NDArray[] pair = SparseMoe.fuseExpert(manager,
                            weights.read(e + "w1.weight", f, h),
                            weights.read(e + "w3.weight", f, h),
                            weights.read(e + "w2.weight", h, f), c, dt);
                    w13[j] = pair[0];
                    w2[j] = pair[1];
                }
                layers[i] = new DecoderLayer(i, in, attn, post, new SparseMoe(gate, w13, w2, i, c));
            }
            RmsNorm finalNorm = new RmsNorm(upload(manager, weights.read("model.norm.weight", h), new Shape(h), dt),
                    c.rmsNormEps());
            NDArray head = c.tieWordEmbeddings()
                    ? embed.transpose()
                    : transposed(manager, weights.read("lm_head.weight", v, h), new Shape(v, h), dt); // [H, V]
            RotaryEmbedding rope = new RotaryEmbedding(manager, c.headDim(), c.maxPositions(), c.ropeTheta(), dt);
            return new MoeTransformer(c, device, precision, manager, embed, layers, finalNorm, head, rope,
                    weights.describe());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static NDArray upload(NDManager manager, float[] data, Shape shape, DataType dt) {
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
    private static NDArray transposed(NDManager manager, float[] data, Shape shape, DataType dt) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray t = tmp.create(data, shape).transpose().toType(dt, false).duplicate();
            t.attach(manager);
            return t;
        }
    }

    public MoeConfig config() {
        return config;
    }

    public Device device() {
        return device;
    }

    public Precision precision() {
        return precision;
    }

    /** Where the weights came from. */
    public String origin() {
        return origin;
    }

    public ExpertDispatch dispatch() {
        return dispatch;
    }

    /** Switches between sparse (default) and dense reference expert dispatch. */
    public void setDispatch(ExpertDispatch dispatch) {
        this.dispatch = dispatch;
    }

    /** A plain forward pass computing per-document NLL. */
    public ForwardResult forward(TokenBatch batch) {
        return forward(batch, ForwardHooks.NONE, true);
    }

    /**
     * Runs the whole model. When {@code nll} is false and no hook wants {@code final.norm} or
     * {@code logits}, the final norm and LM head are skipped.
     */
    public ForwardResult forward(TokenBatch batch, ForwardHooks hooks, boolean nll) {
        checkIds(batch);
        try (NDManager fm = manager.newSubManager()) {
            NDArray ids = fm.create(batch.packedIds());                                  // [N]
            NDArray x = embed.get(fm, new NDIndex("{}", ids));                           // [N, H]
            x = ForwardHooks.visit(hooks, "embed", -1, batch, null, x);
            return run(fm, 0, x, batch, hooks, nll);
        }
    }

    /**
     * Runs layers {@code from..L-1} on a residual stream captured at {@code layers.{from}.resid.pre}
     * (host copy, packed [N, H]). Ablation sweeps use it to re-run only the layers an intervention reaches.
     */
    public ForwardResult forwardFrom(int from, float[] residual, TokenBatch batch, ForwardHooks hooks, boolean nll) {
        checkIds(batch);
        if (from < 0 || from > layers.length) {
            throw new IllegalArgumentException("layer " + from + " out of range 0.." + layers.length);
        }
        long n = batch.tokenCount();
        if (residual.length != n * config.hiddenSize()) {
            throw new IllegalArgumentException("residual has " + residual.length + " values, expected "
                    + n + " x " + config.hiddenSize());
        }
        try (NDManager fm = manager.newSubManager()) {
            NDArray x = fm.create(residual, new Shape(n, config.hiddenSize()));         // [N, H]
            if (precision.dataType() != DataType.FLOAT32) {
                x = x.toType(precision.dataType(), false);
            }
            return run(fm, from, x, batch, hooks, nll);
        }
    }

    private ForwardResult run(NDManager fm, int from, NDArray x, TokenBatch batch, ForwardHooks hooks, boolean nll) {
        BatchLayout layout = new BatchLayout(batch, fm);
        for (int i = from; i < layers.length; i++) {
            x = layers[i].forward(x, layout, rope, hooks, dispatch);                       // [N, H]
        }
        double[] sums = new double[batch.size()];
        int[] counts = new int[batch.size()];
        if (!nll && !hooks.wants("final.norm") && !hooks.wants("logits")) {
            return new ForwardResult(sums, counts);
        }
        NDArray normed = ForwardHooks.visit(hooks, "final.norm", -1, batch, null, finalNorm.forward(x)); // [N, H]
        x.close();
        NDArray logits = ForwardHooks.visit(hooks, "logits", -1, batch, null, normed.matMul(head));      // [N, V]
        normed.close();
        if (nll) {
            nextTokenNll(logits, batch, sums, counts);
        }
        logits.close();
        return new ForwardResult(sums, counts);
    }

    /** Sums -log p(next token) per document; logits [N, V]. */
    private void nextTokenNll(NDArray logits, TokenBatch batch, double[] sums, int[] counts) {
        long v = config.vocabSize();
        int predicted = batch.tokenCount() - batch.size();
        if (predicted == 0) {
            return;
        }
        long[] flat = new long[predicted];
        int[] owner = new int[predicted];
        int o = 0;
        int row = 0;
        for (int b = 0; b < batch.size(); b++) {
            int[] d = batch.docs().get(b);
            for (int p = 0; p + 1 < d.length; p++) {
                flat[o] = (row + p) * v + d[p + 1];
                owner[o++] = b;
            }
            row += d.length;
            counts[b] = d.length - 1;
        }
        NDArray logits32 = logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
        NDArray logp = logits32.logSoftmax(-1);                       // [N, V]
        if (logits32 != logits) {
            logits32.close();
        }
        NDArray index = logp.getManager().create(flat);               // [M]
        NDArray picked = logp.take(index);                            // [M]
        float[] values = picked.toFloatArray();
        index.close();
        picked.close();
        logp.close();
        for (int i = 0; i < predicted; i++) {
            sums[owner[i]] -= values[i];
        }
    }

    private void checkIds(TokenBatch batch) {
        int v = config.vocabSize();
        for (int b = 0; b < batch.size(); b++) {
            int[] d = batch.docs().get(b);
            if (d.length > config.maxPositions()) {
                throw new IllegalArgumentException("document " + b + " has " + d.length
                        + " tokens, more than max_position_embeddings " + config.maxPositions());
            }
            for (int id : d) {
                if (id < 0 || id >= v) {
                    throw new IllegalArgumentException("document " + b + ": token id " + id + " outside [0, " + v + ")");
                }
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
