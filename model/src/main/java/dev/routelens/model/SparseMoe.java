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

/**
 * A sparse MoE block: gate logits {@code h W_g^T} (raw, float32), softmax in float32, top-k, the k weights
 * renormalised to sum to 1 when the family does so ({@code norm_topk_prob}; always in Mixtral), and the
 * weighted sum of the chosen experts' SwiGLU outputs; plus, in Qwen2-MoE, a shared expert on every token
 * scaled by sigmoid({@code shared_expert_gate}(x)).
 *
 * <p>Letters: N tokens, H hidden, F expert width, E experts, k chosen per token.
 * Hook sites, in order: {@code moe.gate} [N, E] raw logits, {@code moe.probs} [N, E], {@code moe.topk} [N, k]
 * int64, {@code moe.topk_weights} [N, k] the weights applied, {@code moe.experts.{j}.out} [n_j, H] before
 * weighting, {@code moe.shared} [N, H] the shared expert's scaled contribution (when there is one),
 * {@code moe.out} [N, H].
 */
public final class SparseMoe implements FeedForward {
    private final NDArray gate;        // [H, E] float32
    private final SwiGlu[] experts;    // E routed experts
    private final SwiGlu shared;       // the shared expert, or null
    private final NDArray sharedGate;  // [H, 1], or null
    private final int numExperts;      // E
    private final int topK;            // k
    private final boolean renormalise;
    private final List<String> names;  // gate, probs, topk, topk_weights, experts.{j}.out..., [shared], out

    SparseMoe(NDArray gate, SwiGlu[] experts, SwiGlu shared, NDArray sharedGate, int layer, MoeConfig c) {
        this.gate = gate;
        this.experts = experts;
        this.shared = shared;
        this.sharedGate = sharedGate;
        this.numExperts = c.numExperts();
        this.topK = c.topK();
        this.renormalise = c.arch().normTopkProb();
        this.names = hookNames(layer, c);
    }

    /** The sites an MoE block at {@code layer} owns, in forward order. */
    static List<String> hookNames(int layer, MoeConfig c) {
        String p = "layers." + layer + ".moe.";
        List<String> names = new ArrayList<>(List.of(p + "gate", p + "probs", p + "topk", p + "topk_weights"));
        for (int j = 0; j < c.numExperts(); j++) {
            names.add(p + "experts." + j + ".out");
        }
        if (c.arch().sharedExpertSize() > 0) {
            names.add(p + "shared");
        }
        names.add(p + "out");
        return List.copyOf(names);
    }

    @Override
    public String name() {
        return "moe";
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
                throw new ArithmeticException(names.get(0) + ": the router's logits are not finite (" + m
                        + "): the forward pass overflowed before this layer; check the config's values and the"
                        + " precision");
            }
        }
    }

    private String expertName(int j) {
        return names.get(4 + j);
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
        NDArray logits = ForwardHooks.visit(hooks, names.get(0), layer, batch, null, raw); // [N, E]
        NDArray probs = ForwardHooks.visit(hooks, names.get(1), layer, batch, null, logits.softmax(-1)); // [N, E]
        logits.close();
        NDList top = probs.topK(topK, -1, true, true);
        probs.close();
        NDArray topProbs = top.get(0);                                    // [N, k]
        NDArray topIdx = ForwardHooks.visit(hooks, names.get(2), layer, batch, null, top.get(1)); // [N, k] int64
        NDArray applied = topProbs;                                       // [N, k]
        if (renormalise) {
            NDArray sum = topProbs.sum(new int[] {-1}, true);             // [N, 1]
            applied = topProbs.div(sum);
            sum.close();
            topProbs.close();
        }
        NDArray weights = ForwardHooks.visit(hooks, names.get(3), layer, batch, null, applied); // [N, k]
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
            NDArray contribution = ForwardHooks.visit(hooks, names.get(names.size() - 2), layer, batch, null,
                    shared.forward(x).muli(scale));                       // [N, H]
            scale.close();
            out.addi(contribution);
            contribution.close();
        }
        return ForwardHooks.visit(hooks, names.get(names.size() - 1), layer, batch, null, out);
    }

    /**
     * Host-bucketed dispatch: one device-to-host copy of the top-k ids, a counting sort by expert,
     * one gather, each expert on a contiguous slice, one inverse gather, then the weighted sum over k.
     */
    private NDArray sparse(NDArray x, NDArray topIdx, NDArray weights, int layer, TokenBatch batch, ForwardHooks hooks) {
        long n = x.getShape().get(0);
        long h = x.getShape().get(1);
        long[] ids = topIdx.toLongArray();                       // [N*k] on the host
        int slots = ids.length;
        int[] start = new int[numExperts + 1];
        for (long e : ids) {
            start[(int) e + 1]++;
        }
        for (int e = 0; e < numExperts; e++) {
            start[e + 1] += start[e];
        }
        int[] fill = start.clone();
        long[] sortedRows = new long[slots];                     // token row of each sorted slot
        long[] inverse = new long[slots];                        // sorted position of each slot
        for (int s = 0; s < slots; s++) {
            int pos = fill[(int) ids[s]]++;
            sortedRows[pos] = s / topK;
            inverse[s] = pos;
        }
        NDManager m = x.getManager();
        NDArray rowIndex = m.create(sortedRows);                 // [N*k]
        NDArray gathered = x.get(new NDIndex("{}", rowIndex));   // [N*k, H]
        rowIndex.close();
        List<NDArray> parts = new ArrayList<>(numExperts);
        for (int e = 0; e < numExperts; e++) {
            int count = start[e + 1] - start[e];
            if (count == 0) {
                continue;
            }
            NDArray slice = gathered.get(new NDIndex(start[e] + ":" + start[e + 1])); // [n_e, H]
            NDArray y = experts[e].forward(slice);                                               // [n_e, H]
            slice.close();
            if (hooks.wants(expertName(e))) {
                long[] rows = java.util.Arrays.copyOfRange(sortedRows, start[e], start[e + 1]);
                y = ForwardHooks.visit(hooks, expertName(e), layer, batch, rows, y);
            }
            parts.add(y);
        }
        gathered.close();
        NDArray sorted = parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(new NDList(parts), 0); // [N*k, H]
        if (parts.size() > 1) {
            parts.forEach(NDArray::close);
        }
        NDArray inverseIndex = m.create(inverse);                // [N*k]
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
        long[] ids = hooks == ForwardHooks.NONE ? null : topIdx.toLongArray();
        NDArray out = null;                                      // [N, H]
        for (int e = 0; e < numExperts; e++) {
            NDArray y = experts[e].forward(x);                           // [N, H]
            if (ids != null && hooks.wants(expertName(e))) {
                y = visitRoutedRows(y, e, ids, layer, batch, hooks);
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
    private NDArray visitRoutedRows(NDArray y, int e, long[] ids, int layer, TokenBatch batch, ForwardHooks hooks) {
        List<Long> rows = new ArrayList<>();
        for (int s = 0; s < ids.length; s++) {
            if (ids[s] == e) {
                rows.add((long) (s / topK));
            }
        }
        if (rows.isEmpty()) {
            return y;
        }
        long[] r = rows.stream().mapToLong(Long::longValue).toArray();
        NDArray index = y.getManager().create(r);                // [n_e]
        NDArray routed = y.get(new NDIndex("{}", index));        // [n_e, H]
        NDArray replaced = ForwardHooks.visit(hooks, expertName(e), layer, batch, r, routed);
        if (replaced != routed) {
            y.set(new NDIndex("{}", index), replaced);
        }
        index.close();
        return y;
    }
}
