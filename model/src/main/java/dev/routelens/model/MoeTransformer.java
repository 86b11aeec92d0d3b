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
     * (host copy, packed [N, H]).
     */
    public ForwardResult forwardFrom(int from, float[] residual, TokenBatch batch, ForwardHooks hooks, boolean nll) {
        return forwardFrom(ResumePoint.residPre(from), residual, batch, hooks, nll);
    }

    /**
     * Runs the rest of the model from {@code at} on the residual stream captured there (host copy,
     * packed [N, H]). Ablation sweeps use it to re-run only what an intervention reaches: one at layer
     * l's MoE resumes at {@code layers.{l}.resid.mid} and skips that layer's attention too.
     */
    public ForwardResult forwardFrom(ResumePoint at, float[] residual, TokenBatch batch, ForwardHooks hooks, boolean nll) {
        checkIds(batch);
        int last = at.afterAttention() ? layers.length - 1 : layers.length;
        if (at.layer() > last) {
            throw new IllegalArgumentException("cannot resume at " + at.hookName() + ": the model has "
                    + layers.length + " layers");
        }
        long n = batch.tokenCount();
        if (residual.length != n * config.hiddenSize()) {
            throw new IllegalArgumentException("residual for " + at.hookName() + " has " + residual.length
                    + " values, expected " + n + " x " + config.hiddenSize());
        }
        try (NDManager fm = manager.newSubManager()) {
            NDArray x = fm.create(residual, new Shape(n, config.hiddenSize()));         // [N, H]
            if (precision.dataType() != DataType.FLOAT32) {
                x = x.toType(precision.dataType(), false);
            }
            if (!at.afterAttention()) {
                return run(fm, at.layer(), x, batch, hooks, nll);
            }
            BatchLayout layout = new BatchLayout(batch, fm);
            x = layers[at.layer()].forwardMoe(x, layout, hooks, dispatch);                 // [N, H]
            return run(fm, layout, at.layer() + 1, x, batch, hooks, nll);
        }
    }

    private ForwardResult run(NDManager fm, int from, NDArray x, TokenBatch batch, ForwardHooks hooks, boolean nll) {
        return run(fm, new BatchLayout(batch, fm), from, x, batch, hooks, nll);
    }

    private ForwardResult run(NDManager fm, BatchLayout layout, int from, NDArray x, TokenBatch batch,
                              ForwardHooks hooks, boolean nll) {
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
        if (!nll && !hooks.wants("logits")) {
            normed.close();
            return new ForwardResult(sums, counts);
        }
        int[] owner = new int[batch.tokenCount()];
        long[] next = nll ? nextTokens(batch, owner, counts) : null;
        if (!hooks.wants("logits")) {
            // No hook needs the whole [N, V]: run the head in row chunks whose logits stay cache-sized.
            int rows = headChunkRows();
            for (int row = 0; row < batch.tokenCount(); row += rows) {
                int end = Math.min(batch.tokenCount(), row + rows);
                try (NDArray part = normed.get(new NDIndex(row + ":" + end));      // [n, H]
                     NDArray logits = part.matMul(head)) {                        // [n, V]
                    addNll(logits, row, next, owner, sums);
                }
            }
            normed.close();
            return new ForwardResult(sums, counts);
        }
        NDArray logits = ForwardHooks.visit(hooks, "logits", -1, batch, null, normed.matMul(head));      // [N, V]
        normed.close();
        if (nll) {
            addNll(logits, 0, next, owner, sums);
        }
        logits.close();
        return new ForwardResult(sums, counts);
    }

    /** LM-head rows per chunk: about 2M logits (8 MB in float32), and at least 64 rows. */
    private int headChunkRows() {
        return Math.max(64, (1 << 21) / config.vocabSize());
    }

    /**
     * The next token's id for each packed row [N], or -1 on a document's last token; fills each row's
     * document into {@code owner} and each document's predicted-token count into {@code counts}.
     */
    private static long[] nextTokens(TokenBatch batch, int[] owner, int[] counts) {
        long[] next = new long[batch.tokenCount()];
        int row = 0;
        for (int b = 0; b < batch.size(); b++) {
            int[] d = batch.docs().get(b);
            for (int p = 0; p < d.length; p++) {
                next[row + p] = p + 1 < d.length ? d[p + 1] : -1;
                owner[row + p] = b;
            }
            row += d.length;
            counts[b] = d.length - 1;
        }
        return next;
    }

    /** Adds -log p(next token) of packed rows from..from+n-1 to their documents' sums; logits [n, V]. */
    private void addNll(NDArray logits, int from, long[] next, int[] owner, double[] sums) {
        long v = config.vocabSize();
        int n = (int) logits.getShape().get(0);
        int predicted = 0;
        long[] flat = new long[n];
        int[] rowOf = new int[n];
        for (int i = 0; i < n; i++) {
            if (next[from + i] >= 0) {
                flat[predicted] = i * v + next[from + i];
                rowOf[predicted++] = from + i;
            }
        }
        if (predicted == 0) {
            return;
        }
        NDArray logits32 = logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
        NDArray logp = logits32.logSoftmax(-1);                       // [n, V]
        if (logits32 != logits) {
            logits32.close();
        }
        NDArray index = logp.getManager().create(java.util.Arrays.copyOf(flat, predicted)); // [M]
        NDArray picked = logp.take(index);                            // [M]
        float[] values = picked.toFloatArray();
        index.close();
        picked.close();
        logp.close();
        for (int i = 0; i < predicted; i++) {
            sums[owner[rowOf[i]]] -= values[i];
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
