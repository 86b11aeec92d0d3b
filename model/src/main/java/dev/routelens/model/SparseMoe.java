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
 * Mixtral's sparse MoE block: gate logits {@code h W_g^T} (raw, float32), softmax in float32,
 * top-k, the k weights renormalised to sum to 1, and the weighted sum of the chosen experts'
 * {@code w2(silu(w1 x) * w3 x)}.
 *
 * <p>Letters: N tokens, H hidden, F expert width, E experts, k chosen per token.
 * Hook sites, in order: {@code moe.gate} [N, E], {@code moe.probs} [N, E], {@code moe.topk} [N, k]
 * int64, {@code moe.topk_weights} [N, k], {@code moe.experts.{j}.out} [n_j, H], {@code moe.out} [N, H].
 */
public final class SparseMoe {
    private final NDArray gate;       // [H, E] float32
    private final NDArray[] w13;      // E x [H, 2F]: w1 and w3 transposed, side by side
    private final NDArray[] w2;       // E x [F, H]
    private final int experts;
    private final int topK;
    private final int ffn;
    private final String[] names;     // hook names, built once

    public SparseMoe(NDArray gate, NDArray[] w13, NDArray[] w2, int layer, MoeConfig c) {
        this.gate = gate;
        this.w13 = w13;
        this.w2 = w2;
        this.experts = c.numExperts();
        this.topK = c.topK();
        this.ffn = c.intermediateSize();
        String p = "layers." + layer + ".moe.";
        this.names = new String[5 + experts];
        names[0] = p + "gate";
        names[1] = p + "probs";
        names[2] = p + "topk";
        names[3] = p + "topk_weights";
        names[4] = p + "out";
        for (int j = 0; j < experts; j++) {
            names[5 + j] = p + "experts." + j + ".out";
        }
    }

    /** x [N, H] (the post-attention norm's output) -> MoE output [N, H]. */
    public NDArray forward(NDArray x, int layer, TokenBatch batch, ForwardHooks hooks, ExpertDispatch dispatch) {
        NDArray x32 = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false); // [N, H]
        NDArray logits = ForwardHooks.visit(hooks, names[0], layer, batch, null, x32.matMul(gate)); // [N, E]
        if (x32 != x) {
            x32.close();
        }
        NDArray probs = ForwardHooks.visit(hooks, names[1], layer, batch, null, logits.softmax(-1)); // [N, E]
        logits.close();
        NDList top = probs.topK(topK, -1, true, true);
        probs.close();
        NDArray topProbs = top.get(0);                                    // [N, k]
        NDArray topIdx = ForwardHooks.visit(hooks, names[2], layer, batch, null, top.get(1)); // [N, k] int64
        NDArray sum = topProbs.sum(new int[] {-1}, true);                 // [N, 1]
        NDArray weights = ForwardHooks.visit(hooks, names[3], layer, batch, null, topProbs.div(sum)); // [N, k]
        sum.close();
        topProbs.close();
        NDArray weightsTyped = weights.getDataType() == x.getDataType() ? weights : weights.toType(x.getDataType(), false);
        if (weightsTyped != weights) {
            weights.close();
        }
        NDArray out = dispatch == ExpertDispatch.SPARSE
                ? sparse(x, topIdx, weightsTyped, layer, batch, hooks)
                : dense(x, topIdx, weightsTyped, layer, batch, hooks);
        topIdx.close();
        weightsTyped.close();
        return ForwardHooks.visit(hooks, names[4], layer, batch, null, out);
    }

    /** One SwiGLU expert: x [n, H] -> [n, H]. */
    private NDArray expert(int j, NDArray x) {
        NDArray h13 = x.matMul(w13[j]);                          // [n, 2F]
        NDArray a = h13.get(new NDIndex(":, 0:" + ffn));         // [n, F]
        NDArray b = h13.get(new NDIndex(":, " + ffn + ":"));     // [n, F]
        h13.close();
        NDArray act = Activation.sigmoid(a).muli(a);             // [n, F], silu(a) = a * sigmoid(a)
        a.close();
        NDArray gated = act.muli(b);                             // [n, F]
        b.close();
        NDArray y = gated.matMul(w2[j]);                         // [n, H]
        gated.close();
        return y;
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
        int[] start = new int[experts + 1];
        for (long e : ids) {
            start[(int) e + 1]++;
        }
        for (int e = 0; e < experts; e++) {
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
        List<NDArray> parts = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            int count = start[e + 1] - start[e];
            if (count == 0) {
                continue;
            }
            NDArray slice = gathered.get(new NDIndex(start[e] + ":" + start[e + 1])); // [n_e, H]
            NDArray y = expert(e, slice);                                               // [n_e, H]
            slice.close();
            if (hooks.wants(names[5 + e])) {
                long[] rows = java.util.Arrays.copyOfRange(sortedRows, start[e], start[e + 1]);
                y = ForwardHooks.visit(hooks, names[5 + e], layer, batch, rows, y);
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
        NDArray full = m.zeros(new Shape(n, experts), weights.getDataType(), x.getDevice()); // [N, E]
        NDArray scattered = full.scatter(topIdx, weights, 1);   // [N, E]
        full.close();
        long[] ids = hooks == ForwardHooks.NONE ? null : topIdx.toLongArray();
        NDArray out = null;                                      // [N, H]
        for (int e = 0; e < experts; e++) {
            NDArray y = expert(e, x);                            // [N, H]
            if (ids != null && hooks.wants(names[5 + e])) {
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
        NDArray replaced = ForwardHooks.visit(hooks, names[5 + e], layer, batch, r, routed);
        if (replaced != routed) {
            y.set(new NDIndex("{}", index), replaced);
        }
        index.close();
        return y;
    }
}
