package dev.routelens.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.routelens.model.ExpertBuckets;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.family.ModelFamily;
import dev.routelens.model.RotaryEmbedding;
import dev.routelens.model.WeightSource;
import dev.routelens.model.checkpoint.MixtralNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differentiable twin of {@link dev.routelens.model.MoeTransformer}: the same function (HF Mixtral
 * semantics) written without in-place operations and without closing anything autograd needs, over
 * rows of equal length. Every constant is a tensor made by the step's manager (no Java-scalar
 * arithmetic on tensors that carry gradients, see DJL-NOTES).
 *
 * <p>Letters: B rows, T row length, N = B*T tokens, H hidden, h heads, g KV heads, D head width,
 * E experts, k chosen per token, F expert width, V vocabulary, L layers.
 *
 * <p>Parameters keep HF's names and shapes, except that a layer's experts are stacked:
 * {@code model.layers.{i}.block_sparse_moe.experts.w1} is [E, F, H] (likewise w3 [E, F, H] and
 * w2 [E, H, F]). {@link #weights()} splits them back into the checkpoint's per-expert tensors.
 */
public final class TrainableMoe implements AutoCloseable {
    /** How the experts run: sparse (sorted dispatch, only chosen experts) or dense (all experts, top-k weights). */
    public enum Dispatch { SPARSE, DENSE }

    /**
     * How the load-balancing loss combines layers. Both use Switch/Mixtral's {@code E * sum_e f_e * P_e}
     * with f_e the fraction of tokens that chose expert e in any of the k slots (sums to k, so a balanced
     * router scores k) and P_e the mean router probability.
     */
    public enum AuxLoss {
        /** Computed per layer, then averaged over layers. Balances every layer. */
        PER_LAYER_MEAN,
        /**
         * HF {@code load_balancing_loss_func} on the concatenated gate logits of all layers: f and P are
         * pooled over layers, so layers that each collapse onto different experts still look balanced.
         */
        CONCATENATED
    }

    private final MoeConfig config;
    private final DataType dtype;
    private final NDManager manager;
    private final Map<String, NDArray> params;   // name -> parameter, insertion order fixed
    private final float[] cosTable;               // [P, D]
    private final float[] sinTable;               // [P, D]
    private Dispatch dispatch = Dispatch.SPARSE;
    private AuxLoss auxLoss = AuxLoss.PER_LAYER_MEAN;

    private TrainableMoe(MoeConfig config, DataType dtype, NDManager manager, Map<String, NDArray> params) {
        this.config = config;
        this.dtype = dtype;
        this.manager = manager;
        this.params = params;
        float[][] tables = RotaryEmbedding.tables(config.headDim(), config.maxPositions(), config.ropeTheta());
        cosTable = tables[0]; // [P * D], as the inference model's
        sinTable = tables[1]; // [P * D]
    }

    /**
     * Refuses, in one line naming it, a config of another family: this trainer implements Mixtral/SciDFM
     * layers only (every layer MoE, renormalised top-k, no shared expert, q/k norms, biases or clipping).
     */
    public static void requireTrainable(MoeConfig c) {
        if (!c.family().equals(ModelFamily.of("mixtral"))) {
            throw new IllegalArgumentException("train: model_type " + c.modelType()
                    + " is not supported for training (Mixtral/SciDFM only)");
        }
    }

    /** Builds the parameters from any weight source (checkpoint or seeded init), as {@code dtype} on the CPU. */
    public static TrainableMoe create(MoeConfig c, WeightSource weights, DataType dtype) throws IOException {
        requireTrainable(c);
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try {
            Map<String, NDArray> p = new LinkedHashMap<>();
            int h = c.hiddenSize();
            int q = c.numHeads() * c.headDim();
            int kv = c.numKvHeads() * c.headDim();
            int f = c.intermediateSize();
            int e = c.numExperts();
            put(p, manager, dtype, MixtralNames.embedTokens(), weights.read(MixtralNames.embedTokens(), c.vocabSize(), h),
                    c.vocabSize(), h);
            for (int i = 0; i < c.numLayers(); i++) {
                for (String[] nameShape : new String[][] {
                        {MixtralNames.inputLayernorm(i)}, {MixtralNames.qProj(i)}, {MixtralNames.kProj(i)},
                        {MixtralNames.vProj(i)}, {MixtralNames.oProj(i)}, {MixtralNames.postAttentionLayernorm(i)},
                        {MixtralNames.gate(i)}}) {
                    String name = nameShape[0];
                    long[] shape = MixtralNames.expectedShapes(c).get(name);
                    put(p, manager, dtype, name, weights.read(name, shape), shape);
                }
                float[] w1 = new float[e * f * h];
                float[] w3 = new float[e * f * h];
                float[] w2 = new float[e * h * f];
                for (int j = 0; j < e; j++) {
                    System.arraycopy(weights.read(MixtralNames.expertW1(i, j), f, h), 0, w1, j * f * h, f * h);
                    System.arraycopy(weights.read(MixtralNames.expertW3(i, j), f, h), 0, w3, j * f * h, f * h);
                    System.arraycopy(weights.read(MixtralNames.expertW2(i, j), h, f), 0, w2, j * h * f, h * f);
                }
                put(p, manager, dtype, stackedW1(i), w1, e, f, h);
                put(p, manager, dtype, stackedW3(i), w3, e, f, h);
                put(p, manager, dtype, stackedW2(i), w2, e, h, f);
            }
            put(p, manager, dtype, MixtralNames.finalNorm(), weights.read(MixtralNames.finalNorm(), h), h);
            if (!c.tieWordEmbeddings()) {
                put(p, manager, dtype, MixtralNames.lmHead(), weights.read(MixtralNames.lmHead(), c.vocabSize(), h),
                        c.vocabSize(), h);
            }
            for (NDArray a : p.values()) {
                a.setRequiresGradient(true);
            }
            return new TrainableMoe(c, dtype, manager, p);
        } catch (IOException | RuntimeException ex) {
            manager.close();
            throw ex;
        }
    }

    private static void put(Map<String, NDArray> p, NDManager m, DataType dtype, String name, float[] data, long... shape) {
        // duplicate(): a torch-owned copy. create(float[]) wraps a Java buffer, and a same-dtype
        // toType aliases it, so closing the wrapper would leave the parameter dangling.
        NDArray a = m.create(data, new Shape(shape));
        NDArray cast = a.toType(dtype, false);
        NDArray typed = cast.duplicate();
        if (cast != a) {
            cast.close();
        }
        a.close();
        typed.setName(name);
        p.put(name, typed);
    }

    /** Stacked SwiGLU gate projections of layer i, [E, F, H]. */
    public static String stackedW1(int layer) {
        return MixtralNames.layer(layer) + ".block_sparse_moe.experts.w1";
    }

    /** Stacked SwiGLU up projections of layer i, [E, F, H]. */
    public static String stackedW3(int layer) {
        return MixtralNames.layer(layer) + ".block_sparse_moe.experts.w3";
    }

    /** Stacked down projections of layer i, [E, H, F]. */
    public static String stackedW2(int layer) {
        return MixtralNames.layer(layer) + ".block_sparse_moe.experts.w2";
    }

    /** Whether a parameter is exempt from weight decay (norm weights; this model has no biases). */
    public static boolean isNorm(String name) {
        return name.endsWith("norm.weight");
    }

    public MoeConfig config() {
        return config;
    }

    public DataType dataType() {
        return dtype;
    }

    public Dispatch dispatch() {
        return dispatch;
    }

    public void setDispatch(Dispatch dispatch) {
        this.dispatch = dispatch;
    }

    public AuxLoss auxLoss() {
        return auxLoss;
    }

    public void setAuxLoss(AuxLoss auxLoss) {
        this.auxLoss = auxLoss;
    }

    /** The parameters by name, in a fixed order. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** A host copy of parameter {@code name} as float32. */
    public float[] parameterValues(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray f = a.stopGradient();
            f.attach(tmp);
            NDArray cast = f.toType(DataType.FLOAT32, true);
            cast.attach(tmp);
            return cast.toFloatArray();
        }
    }

    /** Overwrites parameter {@code name} with host values (same element count). */
    public void setParameterValues(String name, float[] values) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        if (values.length != a.size()) {
            throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + a.size());
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray src = tmp.create(values, a.getShape()).toType(dtype, true);
            a.set(new NDIndex("..."), src);
        }
    }

    /**
     * The current weights under the checkpoint's names and shapes (experts split again), as float32. Read it
     * right away: it caches the last stacked expert tensor, so reads after an optimizer step may be stale.
     */
    public WeightSource weights() {
        return new WeightSource() {
            // The last stacked tensor read: an export asks for its E experts one after another.
            private String cachedName;
            private float[] cachedValues;

            @Override
            public float[] read(String name, long... shape) {
                long[] expected = MixtralNames.expectedShapes(config).get(name);
                if (expected == null || !java.util.Arrays.equals(expected, shape)) {
                    throw new IllegalArgumentException("tensor " + name + ": unknown name or shape "
                            + java.util.Arrays.toString(shape));
                }
                if (params.containsKey(name)) {
                    return parameterValues(name);
                }
                // model.layers.{i}.block_sparse_moe.experts.{j}.w{1,2,3}.weight
                String[] parts = name.split("\\.");
                int layer = Integer.parseInt(parts[2]);
                int expert = Integer.parseInt(parts[5]);
                String which = parts[6];
                String stacked = switch (which) {
                    case "w1" -> stackedW1(layer);
                    case "w2" -> stackedW2(layer);
                    case "w3" -> stackedW3(layer);
                    default -> throw new IllegalArgumentException("tensor " + name + " is not an expert weight");
                };
                if (!stacked.equals(cachedName)) {
                    cachedValues = parameterValues(stacked);
                    cachedName = stacked;
                }
                float[] all = cachedValues;
                int per = (int) (shape[0] * shape[1]);
                return java.util.Arrays.copyOfRange(all, expert * per, (expert + 1) * per);
            }

            @Override
            public String describe() {
                return "trainable weights";
            }
        };
    }

    /**
     * What one training forward returns. {@code loss} and {@code aux} are scalar tensors owned by the
     * step's manager and attached to the autograd graph.
     *
     * @param crossEntropy mean next-token NLL over the B*(T-1) predicted positions // []
     * @param aux load-balancing loss, combined over layers as {@link #auxLoss()} says // []
     * @param expertSlots slots routed to each expert, per layer [L][E] (each layer sums to N*k)
     */
    public record Output(NDArray crossEntropy, NDArray aux, long[][] expertSlots) {
    }

    /**
     * Runs the model on {@code rows} (B rows of equal length T) inside the caller's gradient
     * collector, creating every intermediate in {@code m}. The caller tempAttaches the parameters
     * to {@code m} (or accepts that results of parameter-first operations land in the parameters' manager).
     */
    public Output forward(NDManager m, int[][] rows) {
        int b = rows.length;
        int t = rows[0].length;
        if (t > config.maxPositions()) {
            throw new IllegalArgumentException("row length " + t + " exceeds max_position_embeddings " + config.maxPositions());
        }
        int n = b * t;
        long[] ids = new long[n];
        for (int r = 0; r < b; r++) {
            if (rows[r].length != t) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " tokens, expected " + t);
            }
            for (int p = 0; p < t; p++) {
                int id = rows[r][p];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("row " + r + ": token id " + id + " outside [0, " + config.vocabSize() + ")");
                }
                ids[r * t + p] = id;
            }
        }
        Constants k = new Constants(m, t);
        NDArray idTensor = m.create(ids);                                              // [N]
        NDArray x = params.get(MixtralNames.embedTokens()).get(m, new NDIndex("{}", idTensor)); // [N, H]
        int layers = config.numLayers();
        long[][] slots = new long[layers][];
        NDArray probSum = null;                                                        // [E], concatenated mode
        NDArray perLayerSum = null;                                                    // [], per-layer mode
        long e = config.numExperts();
        for (int i = 0; i < layers; i++) {
            NDArray normed = rmsNorm(x, params.get(MixtralNames.inputLayernorm(i)), k); // [N, H]
            NDArray attn = attention(m, normed, i, b, t, k);                           // [N, H]
            NDArray mid = x.add(attn);                                                 // [N, H]
            NDArray moeIn = rmsNorm(mid, params.get(MixtralNames.postAttentionLayernorm(i)), k); // [N, H]
            MoeOut moe = moe(m, moeIn, i);
            slots[i] = moe.slots;
            if (auxLoss == AuxLoss.CONCATENATED) {
                probSum = probSum == null ? moe.meanProbs : probSum.add(moe.meanProbs);
            } else {
                float[] f = new float[(int) e];
                for (int j = 0; j < e; j++) {
                    f[j] = moe.slots[j] / (float) n;
                }
                NDArray layerAux = m.create(f).toType(dtype, false).mul(moe.meanProbs).sum(); // []
                perLayerSum = perLayerSum == null ? layerAux : perLayerSum.add(layerAux);
            }
            x = mid.add(moe.out);                                                      // [N, H]
        }
        NDArray finalNormed = rmsNorm(x, params.get(MixtralNames.finalNorm()), k);     // [N, H]
        NDArray head = config.tieWordEmbeddings() ? params.get(MixtralNames.embedTokens()) : params.get(MixtralNames.lmHead());
        NDArray logits = finalNormed.matMul(head.transpose());                         // [N, V]
        NDArray logp = logits.logSoftmax(-1);                                          // [N, V]
        long v = config.vocabSize();
        long[] flat = new long[b * (t - 1)];
        int o = 0;
        for (int r = 0; r < b; r++) {
            for (int p = 0; p + 1 < t; p++) {
                flat[o++] = (long) (r * t + p) * v + rows[r][p + 1];
            }
        }
        NDArray picked = logp.take(m.create(flat));                                    // [B*(T-1)]
        NDArray ce = picked.mean().neg();                                              // []
        NDArray scale = m.full(new Shape(), (float) e / layers, dtype);                 // [], E / L
        NDArray aux;                                                                   // []
        if (auxLoss == AuxLoss.CONCATENATED) {
            // HF load_balancing_loss_func: f_e over all L*N rows (sums to k), P_e pooled over layers.
            float[] f = new float[(int) e];
            for (long[] layer : slots) {
                for (int j = 0; j < e; j++) {
                    f[j] += layer[j];
                }
            }
            for (int j = 0; j < e; j++) {
                f[j] /= (float) ((long) layers * n);
            }
            aux = m.create(f).toType(dtype, false).mul(probSum).sum().mul(scale);
        } else {
            aux = perLayerSum.mul(scale);                                              // mean_l E * sum_e f P
        }
        return new Output(ce, aux, slots);
    }

    /** Scalar and table constants of one forward, made by the step's manager in the model's dtype. */
    private final class Constants {
        final NDArray eps;     // []
        final NDArray scale;   // [], 1/sqrt(D)
        final NDArray mask;    // [T, T], 0 or -inf
        final NDArray cos;     // [T, D]
        final NDArray sin;     // [T, D]

        Constants(NDManager m, int t) {
            int d = config.headDim();
            eps = m.full(new Shape(), (float) config.rmsNormEps(), dtype);
            scale = m.full(new Shape(), (float) (1.0 / Math.sqrt(d)), dtype);
            float[] maskValues = new float[t * t];
            for (int q = 0; q < t; q++) {
                for (int kk = q + 1; kk < t; kk++) {
                    maskValues[q * t + kk] = Float.NEGATIVE_INFINITY;
                }
            }
            mask = m.create(maskValues, new Shape(t, t)).toType(dtype, false);
            cos = m.create(java.util.Arrays.copyOf(cosTable, t * d), new Shape(t, d)).toType(dtype, false);
            sin = m.create(java.util.Arrays.copyOf(sinTable, t * d), new Shape(t, d)).toType(dtype, false);
        }
    }

    /** w * x / sqrt(mean(x^2) + eps); x [N, H] -> [N, H]. */
    private static NDArray rmsNorm(NDArray x, NDArray weight, Constants k) {
        NDArray meanSquare = x.mul(x).mean(new int[] {-1}, true);                     // [N, 1]
        NDArray root = meanSquare.add(k.eps).sqrt();                                  // [N, 1]
        return x.div(root).mul(weight);                                               // [N, H]
    }

    /** Causal self-attention with RoPE; x [N, H] -> [N, H]. */
    private NDArray attention(NDManager m, NDArray x, int i, int b, int t, Constants k) {
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int d = config.headDim();
        int groups = heads / kvHeads;
        NDArray q = x.matMul(params.get(MixtralNames.qProj(i)).transpose())
                .reshape(b, t, heads, d).transpose(0, 2, 1, 3);                        // [B, h, T, D]
        NDArray kk = x.matMul(params.get(MixtralNames.kProj(i)).transpose())
                .reshape(b, t, kvHeads, d).transpose(0, 2, 1, 3);                      // [B, g, T, D]
        NDArray v = x.matMul(params.get(MixtralNames.vProj(i)).transpose())
                .reshape(b, t, kvHeads, d).transpose(0, 2, 1, 3);                      // [B, g, T, D]
        NDArray qr = rope(q, k);                                                       // [B, h, T, D]
        NDArray kr = rope(kk, k);                                                      // [B, g, T, D]
        NDArray q5 = qr.reshape(b, kvHeads, groups, t, d);                             // [B, g, r, T, D]
        NDArray k5 = kr.reshape(b, kvHeads, 1, t, d);                                  // [B, g, 1, T, D]
        NDArray v5 = v.reshape(b, kvHeads, 1, t, d);                                   // [B, g, 1, T, D]
        NDArray scores = q5.matMul(k5.transpose(0, 1, 2, 4, 3)).mul(k.scale).add(k.mask); // [B, g, r, T, T]
        NDArray probs = scores.softmax(-1);                                            // [B, g, r, T, T]
        NDArray ctx = probs.matMul(v5).reshape(b, heads, t, d).transpose(0, 2, 1, 3)
                .reshape(b * t, heads * d);                                            // [N, h*D]
        return ctx.matMul(params.get(MixtralNames.oProj(i)).transpose());              // [N, H]
    }

    /** Rotate-half RoPE; x [B, h, T, D] -> [B, h, T, D], positions 0..T-1 per row. */
    private NDArray rope(NDArray x, Constants k) {
        int half = config.headDim() / 2;
        NDArray x1 = x.get("..., 0:" + half);                                          // [B, h, T, D/2]
        NDArray x2 = x.get("..., " + half + ":");                                      // [B, h, T, D/2]
        NDArray rotated = x2.neg().concat(x1, -1);                                     // [B, h, T, D]
        return x.mul(k.cos).add(rotated.mul(k.sin));                                   // [B, h, T, D]
    }

    private record MoeOut(NDArray out, NDArray meanProbs, long[] slots) {
    }

    /** Router (softmax in the model dtype, top-k renormalised) and SwiGLU experts; x [N, H] -> [N, H]. */
    private MoeOut moe(NDManager m, NDArray x, int i) {
        int e = config.numExperts();
        int topK = config.topK();
        long n = x.getShape().get(0);
        long h = x.getShape().get(1);
        NDArray logits = x.matMul(params.get(MixtralNames.gate(i)).transpose());       // [N, E]
        NDArray probs = logits.softmax(-1);                                            // [N, E]
        NDList top = probs.topK(topK, -1, true, true);
        NDArray topProbs = top.get(0);                                                 // [N, k]
        NDArray topIdx = top.get(1);                                                   // [N, k] int64
        NDArray weights = topProbs.div(topProbs.sum(new int[] {-1}, true));            // [N, k]
        ExpertBuckets buckets = ExpertBuckets.of(topIdx.toLongArray(), e, topK);      // ids [N*k] on the host
        long[] slots = new long[e];
        for (int j = 0; j < e; j++) {
            slots[j] = buckets.count(j);
        }
        NDArray w1 = params.get(stackedW1(i));                                         // [E, F, H]
        NDArray w3 = params.get(stackedW3(i));                                         // [E, F, H]
        NDArray w2 = params.get(stackedW2(i));                                         // [E, H, F]
        NDArray out = dispatch == Dispatch.SPARSE
                ? sparse(m, x, buckets, weights, w1, w3, w2, n, h)
                : dense(m, x, topIdx, weights, w1, w3, w2);
        return new MoeOut(out, probs.mean(new int[] {0}), slots);
    }

    /** w2(silu(w1 x) * w3 x) for one expert's rows; x [n, H], w1/w3 [F, H], w2 [H, F] -> [n, H]. */
    private static NDArray swiglu(NDArray x, NDArray w1, NDArray w3, NDArray w2) {
        NDArray a = x.matMul(w1.transpose());                                          // [n, F]
        NDArray up = x.matMul(w3.transpose());                                         // [n, F]
        NDArray act = a.mul(Activation.sigmoid(a));                                    // [n, F]
        return act.mul(up).matMul(w2.transpose());                                     // [n, H]
    }

    /** Sort the (token, slot) pairs by expert, run each expert on its contiguous rows, undo the sort. */
    private NDArray sparse(NDManager m, NDArray x, ExpertBuckets buckets, NDArray weights,
                           NDArray w1, NDArray w3, NDArray w2, long n, long h) {
        int e = config.numExperts();
        int topK = config.topK();
        int[] start = buckets.start();                                                 // [E + 1]
        NDArray gathered = x.get(m, new NDIndex("{}", m.create(buckets.sortedRows()))); // [N*k, H]
        List<NDArray> parts = new ArrayList<>(e);
        for (int j = 0; j < e; j++) {
            if (buckets.count(j) == 0) {
                continue;
            }
            NDArray rowsOfJ = gathered.get(new NDIndex(start[j] + ":" + start[j + 1]));  // [n_j, H]
            parts.add(swiglu(rowsOfJ, w1.get(j), w3.get(j), w2.get(j)));                // [n_j, H]
        }
        NDArray sorted = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0); // [N*k, H]
        NDArray bySlot = sorted.get(m, new NDIndex("{}", m.create(buckets.inverse()))).reshape(n, topK, h); // [N, k, H]
        return bySlot.mul(weights.reshape(n, topK, 1)).sum(new int[] {1});            // [N, H]
    }

    /** Every expert on every token, combined with the dense top-k weight matrix [N, E]. */
    private NDArray dense(NDManager m, NDArray x, NDArray topIdx, NDArray weights, NDArray w1, NDArray w3, NDArray w2) {
        long n = x.getShape().get(0);
        int e = config.numExperts();
        NDArray full = m.zeros(new Shape(n, e), dtype).scatter(topIdx, weights, 1);     // [N, E]
        NDArray xe = x.expandDims(0);                                                  // [1, N, H]
        NDArray a = xe.matMul(w1.transpose(0, 2, 1));                                  // [E, N, F]
        NDArray up = xe.matMul(w3.transpose(0, 2, 1));                                 // [E, N, F]
        NDArray y = a.mul(Activation.sigmoid(a)).mul(up).matMul(w2.transpose(0, 2, 1)); // [E, N, H]
        NDArray w = full.transpose().expandDims(-1);                                   // [E, N, 1]
        return y.mul(w).sum(new int[] {0});                                            // [N, H]
    }

    @Override
    public void close() {
        manager.close();
    }
}
