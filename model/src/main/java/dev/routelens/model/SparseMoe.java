package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A sparse MoE block: gate logits {@code h W_g^T} (raw, float32), softmax in float32, top-k, the k weights
 * renormalised to sum to 1 when the family does so ({@code norm_topk_prob}; always in Mixtral), and the
 * weighted sum of the chosen experts' SwiGLU outputs; plus, in Qwen2-MoE, a shared expert on every token
 * scaled by sigmoid({@code shared_expert_gate}(x)).
 *
 * <p>Letters: N tokens, H hidden, F expert width, E experts, k chosen per token, n_j the tokens routed to
 * expert j. Hook sites, in forward order, each named under {@code layers.{i}.moe.} (the builders below own
 * the names; the layer's {@code moe.in} is {@link DecoderLayer#moeIn}):
 * <ul>
 *   <li>{@link #gate} {@code moe.gate} [N, E] float32: the raw gate logits {@code h W_g^T}, pre-softmax;
 *   <li>{@link #probs} {@code moe.probs} [N, E] float32: their softmax;
 *   <li>{@link #topk} {@code moe.topk} [N, k] int64: the chosen experts, by descending probability;
 *   <li>{@link #topkWeights} {@code moe.topk_weights} [N, k]: the weights applied to the chosen experts,
 *       their probabilities renormalised to sum to 1 where the family does (always in Mixtral);
 *   <li>{@link #expertOut} {@code moe.experts.{j}.out} [n_j, H]: expert j's output for the tokens routed to
 *       it, before weighting; {@link HookSite#rows()} names each row's packed token. An expert that no
 *       token of the batch chose is not visited;
 *   <li>{@link #shared} {@code moe.shared} [N, H]: the shared expert's contribution
 *       {@code sigmoid(gate(x)) * shared(x)} (Qwen2-MoE only);
 *   <li>{@link #out} {@code moe.out} [N, H]: the weighted sum of the chosen experts, plus the shared
 *       expert's contribution.
 * </ul>
 */
public final class SparseMoe implements FeedForward {
    /** Every MoE layer's gate-logit site, as a glob. */
    public static final String GATE_EVERY_LAYER = site("*", "gate");
    /** Every MoE layer's top-k site, as a glob. */
    public static final String TOPK_EVERY_LAYER = site("*", "topk");
    /** Every MoE layer's top-k weight site, as a glob. */
    public static final String TOPK_WEIGHTS_EVERY_LAYER = site("*", "topk_weights");
    /** Every MoE layer's shared-expert site, as a glob. */
    public static final String SHARED_EVERY_LAYER = site("*", "shared");
    /** Every MoE layer's output site, as a glob. */
    public static final String OUT_EVERY_LAYER = site("*", "out");


    private final NDArray gate;        // [H, E] float32
    private final SwiGlu[] experts;    // E routed experts
    private final SwiGlu shared;       // the shared expert, or null
    private final NDArray sharedGate;  // [H, 1], or null
    private final int numExperts;      // E
    private final int topK;            // k
    private final boolean renormalise;
    private final List<String> names;  // gate, probs, topk, topk_weights, experts.{j}.out..., [shared], out
    private final String gateName;
    private final String probsName;
    private final String topkName;
    private final String topkWeightsName;
    private final String[] expertNames; // [E]
    private final String sharedName;
    private final String outName;

    SparseMoe(NDArray gate, SwiGlu[] experts, SwiGlu shared, NDArray sharedGate, int layer, MoeConfig c) {
        this.gate = gate;
        this.experts = experts;
        this.shared = shared;
        this.sharedGate = sharedGate;
        this.numExperts = c.numExperts();
        this.topK = c.topK();
        this.renormalise = c.arch().normTopkProb();
        this.names = hookNames(layer, c);
        this.gateName = gate(layer);
        this.probsName = probs(layer);
        this.topkName = topk(layer);
        this.topkWeightsName = topkWeights(layer);
        this.expertNames = new String[numExperts];
        for (int j = 0; j < numExperts; j++) {
            expertNames[j] = expertOut(layer, j);
        }
        this.sharedName = shared(layer);
        this.outName = out(layer);
    }

    /** {@code layers.{layer}.moe.{rest}}; {@code layer} may be {@code *} for a glob. */
    static String site(Object layer, String rest) {
        return DecoderLayer.site(layer, "moe." + rest);
    }

    /** {@code layers.{layer}.moe.gate}: raw gate logits, pre-softmax, float32. // [N, E] */
    public static String gate(int layer) {
        return site(layer, "gate");
    }

    /** {@code layers.{layer}.moe.probs}: softmax of the gate logits, float32. // [N, E] */
    public static String probs(int layer) {
        return site(layer, "probs");
    }

    /** {@code layers.{layer}.moe.topk}: int64 ids of the chosen experts, by descending probability. // [N, k] */
    public static String topk(int layer) {
        return site(layer, "topk");
    }

    /** {@code layers.{layer}.moe.topk_weights}: the weights applied to the chosen experts. // [N, k] */
    public static String topkWeights(int layer) {
        return site(layer, "topk_weights");
    }

    /** {@code layers.{layer}.moe.experts.{expert}.out}: the expert's unweighted output on its tokens. // [n_j, H] */
    public static String expertOut(int layer, int expert) {
        return site(layer, "experts." + expert + ".out");
    }

    /** {@code layers.{layer}.moe.shared}: the shared expert's scaled contribution (Qwen2-MoE). // [N, H] */
    public static String shared(int layer) {
        return site(layer, "shared");
    }

    /** {@code layers.{layer}.moe.out}: the MoE block's output. // [N, H] */
    public static String out(int layer) {
        return site(layer, "out");
    }

    /** Every site of the MoE block at {@code layer}, as a glob ({@code layers.{layer}.moe.*}). */
    public static String everySiteOf(int layer) {
        return site(layer, "*");
    }

    /** Matches {@link #topk} of every layer at or after {@code fromLayer}, and nothing else. */
    public static Predicate<String> topkFrom(int fromLayer) {
        return name -> {
            int layer = DecoderLayer.layerOf(name);
            return layer >= fromLayer && name.equals(topk(layer));
        };
    }

    /** The sites an MoE block at {@code layer} owns, in forward order. */
    static List<String> hookNames(int layer, MoeConfig c) {
        List<String> names = new ArrayList<>(List.of(gate(layer), probs(layer), topk(layer), topkWeights(layer)));
        for (int j = 0; j < c.numExperts(); j++) {
            names.add(expertOut(layer, j));
        }
        if (c.arch().sharedExpertSize() > 0) {
            names.add(shared(layer));
        }
        names.add(out(layer));
        return List.copyOf(names);
    }

    @Override
    public List<String> hookNames() {
        return names;
    }

    /**
     * Refuses NaN or infinite router logits as the model computed them (before any hook): the one place every
     * study passes through, so an overflowing model (an absurd config, F16 out of range) fails here, naming
     * the layer, instead of writing NaN results with success. One reduction and one scalar read per layer.
     */
    private void requireFinite(NDArray logits) {
        try (NDArray abs = logits.abs(); NDArray max = abs.max()) {
            float m = max.getFloat();
            if (!Float.isFinite(m)) {
                throw new ArithmeticException(gateName + ": the router's logits are not finite (" + m
                        + "): the forward pass overflowed before this layer; check the config's values and the"
                        + " precision");
            }
        }
    }

    /** x [N, H] (the post-attention norm's output) -> MoE output [N, H]. */
    @Override
    public NDArray forward(NDArray x, int layer, TokenBatch batch, ForwardHooks hooks, ExpertDispatch dispatch) {
        NDArray x32 = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false); // [N, H]
        NDArray raw = x32.matMul(gate);                                  // [N, E]
        if (x32 != x) {
            x32.close();
        }
        requireFinite(raw);
        NDArray logits = ForwardHooks.visit(hooks, gateName, layer, batch, null, raw); // [N, E]
        NDArray probs = ForwardHooks.visit(hooks, probsName, layer, batch, null, logits.softmax(-1)); // [N, E]
        logits.close();
        NDList top = probs.topK(topK, -1, true, true);
        probs.close();
        NDArray topProbs = top.get(0);                                    // [N, k]
        NDArray topIdx = ForwardHooks.visit(hooks, topkName, layer, batch, null, top.get(1)); // [N, k] int64
        NDArray applied = topProbs;                                       // [N, k]
        if (renormalise) {
            NDArray sum = topProbs.sum(new int[] {-1}, true);             // [N, 1]
            applied = topProbs.div(sum);
            sum.close();
            topProbs.close();
        }
        NDArray weights = ForwardHooks.visit(hooks, topkWeightsName, layer, batch, null, applied); // [N, k]
        NDArray weightsTyped = weights.getDataType() == x.getDataType() ? weights : weights.toType(x.getDataType(), false);
        if (weightsTyped != weights) {
            weights.close();
        }
        NDArray out = dispatch == ExpertDispatch.SPARSE
                ? sparse(x, topIdx, weightsTyped, layer, batch, hooks)
                : dense(x, topIdx, weightsTyped, layer, batch, hooks);   // [N, H]
        topIdx.close();
        weightsTyped.close();
        if (shared != null) {
            NDArray logit = x.matMul(sharedGate);                         // [N, 1]
            NDArray scale = Activation.sigmoid(logit);                    // [N, 1]
            logit.close();
            NDArray contribution = ForwardHooks.visit(hooks, sharedName, layer, batch, null,
                    shared.forward(x).muli(scale));                       // [N, H]
            scale.close();
            out.addi(contribution);
            contribution.close();
        }
        return ForwardHooks.visit(hooks, outName, layer, batch, null, out);
    }

    /**
     * Host-bucketed dispatch: one device-to-host copy of the top-k ids, a counting sort by expert,
     * one gather, each expert on a contiguous slice, one inverse gather, then the weighted sum over k.
     */
    private NDArray sparse(NDArray x, NDArray topIdx, NDArray weights, int layer, TokenBatch batch, ForwardHooks hooks) {
        long n = x.getShape().get(0);
        long h = x.getShape().get(1);
        ExpertBuckets buckets = ExpertBuckets.of(topIdx.toLongArray(), numExperts, topK); // ids [N*k] on the host
        int[] start = buckets.start();                           // [E + 1]
        NDManager m = x.getManager();
        NDArray rowIndex = m.create(buckets.sortedRows());       // [N*k]
        NDArray gathered = x.get(new NDIndex("{}", rowIndex));   // [N*k, H]
        rowIndex.close();
        List<NDArray> parts = new ArrayList<>(numExperts);
        for (int e = 0; e < numExperts; e++) {
            if (buckets.count(e) == 0) {
                continue;
            }
            NDArray slice = gathered.get(new NDIndex(start[e] + ":" + start[e + 1])); // [n_e, H]
            NDArray y = experts[e].forward(slice);                                               // [n_e, H]
            slice.close();
            if (hooks.wants(expertNames[e])) {
                y = ForwardHooks.visit(hooks, expertNames[e], layer, batch, buckets.rows(e), y);
            }
            parts.add(y);
        }
        gathered.close();
        NDArray sorted = parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(new NDList(parts), 0); // [N*k, H]
        if (parts.size() > 1) {
            parts.forEach(NDArray::close);
        }
        NDArray inverseIndex = m.create(buckets.inverse());      // [N*k]
        NDArray bySlot = sorted.get(new NDIndex("{}", inverseIndex)).reshape(n, topK, h); // [N, k, H]
        inverseIndex.close();
        sorted.close();
        NDArray w = weights.reshape(n, topK, 1);                 // [N, k, 1]
        NDArray weighted = bySlot.muli(w);                       // [N, k, H]
        w.close();
        NDArray out = weighted.sum(new int[] {1});               // [N, H]
        weighted.close();
        return out;
    }

    /** Reference path: every expert on every token, combined with a dense [N, E] weight matrix. */
    private NDArray dense(NDArray x, NDArray topIdx, NDArray weights, int layer, TokenBatch batch, ForwardHooks hooks) {
        long n = x.getShape().get(0);
        NDManager m = x.getManager();
        NDArray full = m.zeros(new Shape(n, numExperts), weights.getDataType(), x.getDevice()); // [N, E]
        NDArray scattered = full.scatter(topIdx, weights, 1);   // [N, E]
        full.close();
        ExpertBuckets buckets = hooks == ForwardHooks.NONE ? null
                : ExpertBuckets.of(topIdx.toLongArray(), numExperts, topK); // ids [N*k] on the host
        NDArray out = null;                                      // [N, H]
        for (int e = 0; e < numExperts; e++) {
            NDArray y = experts[e].forward(x);                           // [N, H]
            if (buckets != null && hooks.wants(expertNames[e])) {
                y = visitRoutedRows(y, e, buckets, layer, batch, hooks);
            }
            NDArray we = scattered.get(new NDIndex(":, " + e + ":" + (e + 1))); // [N, 1]
            NDArray contribution = y.muli(we);                   // [N, H]
            we.close();
            if (out == null) {
                out = contribution;
            } else {
                out.addi(contribution);
                contribution.close();
            }
        }
        scattered.close();
        return out;
    }

    /** Shows a dense expert's routed rows to its hook and writes any replacement back. */
    private NDArray visitRoutedRows(NDArray y, int e, ExpertBuckets buckets, int layer, TokenBatch batch,
                                    ForwardHooks hooks) {
        if (buckets.count(e) == 0) {
            return y;
        }
        long[] r = buckets.rows(e);
        NDArray index = y.getManager().create(r);                // [n_e]
        NDArray routed = y.get(new NDIndex("{}", index));        // [n_e, H]
        NDArray replaced = ForwardHooks.visit(hooks, expertNames[e], layer, batch, r, routed);
        if (replaced != routed) {
            y.set(new NDIndex("{}", index), replaced);
        }
        index.close();
        return y;
    }
}
