package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** The second half of a decoder layer: an MoE block ({@link SparseMoe}) or a dense MLP ({@link DenseMlp}). */
interface FeedForward {

    /** x [N, H] (the post-attention norm's output) -> [N, H]. */
    NDArray forward(NDArray x, int layer, TokenBatch batch, ForwardHooks hooks, ExpertDispatch dispatch);

    /** The hook sites it owns, in the order the forward pass visits them. */
    List<String> hookNames();
}
