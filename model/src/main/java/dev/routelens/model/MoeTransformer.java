package dev.routelens.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;

/**
 * A Mixtral-style MoE decoder on DJL's PyTorch engine, inference only: SciDFM's architecture and the other
 * families of {@link dev.routelens.model.family.ModelFamily}, whose differences are data in {@link Architecture}.
 *
 * <p>Two residencies share one forward pass: in memory (every weight built once), or streamed (only
 * the RoPE tables resident; {@link #forwardAll} runs a document set layer by layer, building each
 * layer's weights when it runs, see {@link LayerMajorPass}).
 *
 * <p>Letters: B documents, T padded length, N packed real tokens, H hidden, V vocabulary, L layers.
 * The residual stream is packed [N, H]. Hook sites (see {@link ForwardHooks}, and {@link #hookNames()} for
 * a model's full list), each owned and named by the component that computes it: {@link #EMBED}; each
 * layer's ({@link DecoderLayer}: {@code layers.{i}.resid.pre|attn.out|resid.mid}, then in an MoE layer
 * {@code moe.in} and the {@link SparseMoe}'s {@code moe.gate|probs|topk|topk_weights|experts.{j}.out|shared|out},
 * in a dense layer {@code mlp.in} and the {@link DenseMlp}'s {@code mlp.out}, then {@code resid.post});
 * {@link #FINAL_NORM}, {@link #LOGITS}.
 */
public final class MoeTransformer implements AutoCloseable {
    /** The token embeddings. // [N, H] */
    public static final String EMBED = "embed";
    /** The final RMSNorm's output. // [N, H] */
    public static final String FINAL_NORM = "final.norm";
    /** The LM head's logits. // [N, V] */
    public static final String LOGITS = "logits";

    private final MoeConfig config;
    private final Device device;
    private final Precision precision;
    private final NDManager manager;
    private final NDArray embed;         // [V, H]; null when streamed
    private final DecoderLayer[] layers; // null when streamed
    private final RmsNorm finalNorm;     // null when streamed
    private final NDArray head;          // [H, V]; null when streamed
    private final RotaryEmbedding rope;
    private final String origin;
    private final ModelParts streamParts;    // non-null when streamed: builds each part as a run needs it
    private final AutoCloseable sourceOwner; // closed with the model (an open checkpoint), or null
    private volatile ExpertDispatch dispatch = ExpertDispatch.fromSystemProperty();

    private MoeTransformer(MoeConfig config, Device device, Precision precision, NDManager manager, NDArray embed,
                           DecoderLayer[] layers, RmsNorm finalNorm, NDArray head, RotaryEmbedding rope, String origin,
                           ModelParts streamParts, AutoCloseable sourceOwner) {
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
        this.streamParts = streamParts;
        this.sourceOwner = sourceOwner;
    }

    /** Builds the whole model in memory from any weight source (a checkpoint or seeded random weights). */
    public static MoeTransformer create(MoeConfig c, WeightSource weights, Device device, Precision precision)
            throws IOException {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            DataType dt = precision.dataType();
            ModelParts parts = new ModelParts(c, weights, dt);
            NDArray embed = parts.embedding(manager);                                      // [V, H]
            DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = parts.layer(manager, i);
            }
            RmsNorm finalNorm = parts.finalNorm(manager);
            NDArray head = parts.head(manager, embed);                                     // [H, V]
            RotaryEmbedding rope = new RotaryEmbedding(manager, c.headDim(), c.maxPositions(), c.ropeTheta(), dt);
            return new MoeTransformer(c, device, precision, manager, embed, layers, finalNorm, head, rope,
                    weights.describe(), null, null);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A layer-streamed model: only the RoPE tables are resident. Runs build the embedding, each decoder
     * layer in turn and the LM head from {@code weights} while they are used and free them after.
     * {@code owner} (nullable, e.g. the open checkpoint behind {@code weights}) is closed with the model.
     */
    public static MoeTransformer streamed(MoeConfig c, WeightSource weights, AutoCloseable owner, Device device,
                                          Precision precision) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            RotaryEmbedding rope = new RotaryEmbedding(manager, c.headDim(), c.maxPositions(), c.ropeTheta(),
                    precision.dataType());
            return new MoeTransformer(c, device, precision, manager, null, null, null, null, rope,
                    weights.describe(), new ModelParts(c, weights, precision.dataType()), owner);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Every hook site of this model, in forward order, derived from its structure. */
    public List<String> hookNames() {
        return hookNames(config);
    }

    /**
     * Every hook site of a {@code c} model, in forward order: {@code embed}, each layer's sites (an MoE
     * layer's {@code moe.*}, a dense layer's {@code mlp.*}), {@code final.norm}, {@code logits}.
     */
    public static List<String> hookNames(MoeConfig c) {
        List<String> names = new java.util.ArrayList<>();
        names.add(EMBED);
        for (int i = 0; i < c.numLayers(); i++) {
            names.addAll(DecoderLayer.hookNames(i, c));
        }
        names.add(FINAL_NORM);
        names.add(LOGITS);
        return List.copyOf(names);
    }

    /** Whether weights are built layer by layer as runs need them. */
    public boolean isStreamed() {
        return streamParts != null;
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
        if (isStreamed()) {
            return forwardAll(List.of(batch), List.of(hooks), nll, StreamControl.NONE)[0];
        }
        checkIds(batch);
        try (NDManager fm = manager.newSubManager()) {
            NDArray ids = fm.create(batch.packedIds());                                  // [N]
            NDArray x = embed.get(fm, new NDIndex("{}", ids));                           // [N, H]
            x = ForwardHooks.visit(hooks, EMBED, -1, batch, null, x);
            return run(fm, 0, x, batch, hooks, nll);
        }
    }

    /**
     * Runs the rest of the model from {@code at} on the residual stream captured there (host copy,
     * packed [N, H]). Ablation sweeps use it to re-run only what an intervention reaches: one at layer
     * l's MoE resumes at {@code layers.{l}.resid.mid} and skips that layer's attention too.
     */
    public ForwardResult forwardFrom(ResumePoint at, float[] residual, TokenBatch batch, ForwardHooks hooks, boolean nll) {
        checkIds(batch);
        int last = at.afterAttention() ? config.numLayers() - 1 : config.numLayers();
        if (at.layer() > last) {
            throw new IllegalArgumentException("cannot resume at " + at.hookName() + ": the model has "
                    + config.numLayers() + " layers");
        }
        checkResidual("residual", at, residual, batch);
        long n = batch.tokenCount();
        if (isStreamed()) {
            return pass().run(List.of(batch), List.of(hooks), nll, StreamControl.NONE, at, List.of(residual))[0];
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

    /**
     * Runs a fixed set of batches, {@code hooks.get(b)} seeing batch b. In memory they run one after
     * another; streamed, layer by layer (each layer built once for the whole set, or once per group
     * when the residual stream exceeds {@code control}'s budget), with {@code control}'s checkpoints.
     */
    public ForwardResult[] forwardAll(List<TokenBatch> batches, List<? extends ForwardHooks> hooks, boolean nll,
                                      StreamControl control) {
        if (hooks.size() != batches.size()) {
            throw new IllegalArgumentException(batches.size() + " batches but " + hooks.size() + " hook sets");
        }
        if (isStreamed()) {
            batches.forEach(this::checkIds);
            return pass().run(batches, hooks, nll, control, null, null);
        }
        ForwardResult[] results = new ForwardResult[batches.size()];
        for (int b = 0; b < batches.size(); b++) {
            results[b] = forward(batches.get(b), hooks.get(b), nll);
            control.batchDone(config.numLayers(), b, batches.get(b).tokenCount());
        }
        return results;
    }

    /**
     * {@link #forwardAll} from {@code at} on each batch's residual captured there (host copies, packed
     * [N_b * H]). Streamed, layers before {@code at} are never built: a sweep of layer l's ablations
     * streams layers l..L-1 once for all of them.
     */
    public ForwardResult[] forwardAllFrom(ResumePoint at, List<float[]> residuals, List<TokenBatch> batches,
                                          List<? extends ForwardHooks> hooks, boolean nll, StreamControl control) {
        if (hooks.size() != batches.size() || residuals.size() != batches.size()) {
            throw new IllegalArgumentException(batches.size() + " batches but " + hooks.size() + " hook sets and "
                    + residuals.size() + " residuals");
        }
        if (!isStreamed()) {
            ForwardResult[] results = new ForwardResult[batches.size()];
            for (int b = 0; b < batches.size(); b++) {
                results[b] = forwardFrom(at, residuals.get(b), batches.get(b), hooks.get(b), nll);
                control.batchDone(config.numLayers(), b, batches.get(b).tokenCount());
            }
            return results;
        }
        for (int b = 0; b < batches.size(); b++) {
            checkIds(batches.get(b));
            checkResidual("residual " + b, at, residuals.get(b), batches.get(b));
        }
        return pass().run(batches, hooks, nll, control, at, residuals);
    }

    private LayerMajorPass pass() {
        return new LayerMajorPass(config, precision, manager, streamParts, rope, dispatch, this);
    }

    private ForwardResult run(NDManager fm, int from, NDArray x, TokenBatch batch, ForwardHooks hooks, boolean nll) {
        return run(fm, new BatchLayout(batch, fm), from, x, batch, hooks, nll);
    }

    private ForwardResult run(NDManager fm, BatchLayout layout, int from, NDArray x, TokenBatch batch,
                              ForwardHooks hooks, boolean nll) {
        for (int i = from; i < layers.length; i++) {
            x = layers[i].forward(x, layout, rope, hooks, dispatch);                       // [N, H]
        }
        return finish(x, batch, hooks, nll, finalNorm, head);
    }

    /** Whether a run must build the final norm (and maybe the head) after the last layer. */
    static boolean needsHead(ForwardHooks hooks, boolean nll) {
        return nll || hooks.wants(FINAL_NORM) || hooks.wants(LOGITS);
    }

    /** The final norm and LM head on the last residual x [N, H] (closed here): per-document NLL. */
    ForwardResult finish(NDArray x, TokenBatch batch, ForwardHooks hooks, boolean nll, RmsNorm norm, NDArray lmHead) {
        double[] sums = new double[batch.size()];
        int[] counts = new int[batch.size()];
        if (!needsHead(hooks, nll)) {
            return new ForwardResult(sums, counts);
        }
        NDArray normed = ForwardHooks.visit(hooks, FINAL_NORM, -1, batch, null, norm.forward(x)); // [N, H]
        x.close();
        if (!nll && !hooks.wants(LOGITS)) {
            normed.close();
            return new ForwardResult(sums, counts);
        }
        int[] owner = new int[batch.tokenCount()];
        long[] next = nll ? nextTokens(batch, owner, counts) : null;
        if (!hooks.wants(LOGITS)) {
            // No hook needs the whole [N, V]: run the head in row chunks whose logits stay cache-sized.
            int rows = headChunkRows();
            for (int row = 0; row < batch.tokenCount(); row += rows) {
                int end = Math.min(batch.tokenCount(), row + rows);
                try (NDArray part = normed.get(new NDIndex(row + ":" + end));      // [n, H]
                     NDArray logits = part.matMul(lmHead)) {                      // [n, V]
                    addNll(logits, row, next, owner, sums);
                }
            }
            normed.close();
            return new ForwardResult(sums, counts);
        }
        NDArray logits = ForwardHooks.visit(hooks, LOGITS, -1, batch, null, normed.matMul(lmHead));    // [N, V]
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
            if (!Float.isFinite(values[i])) {
                throw new ArithmeticException("logits: the log-probability of token " + (rowOf[i] - batchStart(owner, rowOf[i]))
                        + "'s successor in document " + owner[rowOf[i]] + " is not finite (" + values[i] + ")");
            }
            sums[owner[rowOf[i]]] -= values[i];
        }
    }

    /** The first packed row of the document that owns packed row {@code row}. */
    private static int batchStart(int[] owner, int row) {
        int start = row;
        while (start > 0 && owner[start - 1] == owner[row]) {
            start--;
        }
        return start;
    }

    /** Refuses a resume residual ({@code what}, for the message) whose length is not the batch's N x H. */
    private void checkResidual(String what, ResumePoint at, float[] residual, TokenBatch batch) {
        long n = batch.tokenCount();
        if (residual.length != n * config.hiddenSize()) {
            throw new IllegalArgumentException(what + " for " + at.hookName() + " has " + residual.length
                    + " values, expected " + n + " x " + config.hiddenSize());
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

    /**
     * E.g. {@code MoeTransformer[mixtral, 3 layers (3 MoE), 8 experts, top-2, hidden 32, cpu(), F32, in memory]}.
     */
    @Override
    public String toString() {
        return "MoeTransformer[" + config.modelType() + ", " + config.numLayers() + " layers ("
                + config.moeLayers().length + " MoE), " + config.numExperts() + " experts, top-" + config.topK()
                + (config.arch().sharedExpertSize() > 0 ? ", a shared expert" : "") + ", hidden "
                + config.hiddenSize() + ", " + device + ", " + precision + ", " + (isStreamed() ? "streamed" : "in memory")
                + "]";
    }

    @Override
    public void close() {
        manager.close();
        if (sourceOwner != null) {
            try {
                sourceOwner.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + origin + ": " + e.getMessage(), e);
            }
        }
    }
}
