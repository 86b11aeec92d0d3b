package dev.routelens.model;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * How a caller steers a layer-major run ({@link MoeTransformer#forwardAll}) and hears about it: the
 * memory budget of the resident residual stream, loading ahead, the state to resume from, progress,
 * and a checkpoint moment after each layer. Every method has a harmless default.
 */
public interface StreamControl {

    /** Defaults everywhere: one group, no loading ahead, no resume, no reports. */
    StreamControl NONE = new StreamControl() {
    };

    /** Bytes the residual stream of one group may take on its device; larger sets run in groups. */
    default long memoryBudget() {
        return Long.MAX_VALUE;
    }

    /** Whether to build layer i+1 on a background thread while layer i runs (two layers resident). */
    default boolean prefetch() {
        return false;
    }

    /** The state to continue from (a checkpoint of an identical earlier run), or null to start afresh. */
    default StreamState resume() throws IOException {
        return null;
    }

    /** Group {@code group} of {@code groups} starts; {@code batches} are its batch indices. */
    default void groupStarted(int group, int groups, int[] batches) {
    }

    /**
     * What {@link #batchDone}'s token counts add up to over one pass of {@code tokens} tokens: each token
     * once for the embedding, each layer and the head. Progress bars count to it.
     */
    static long tokenParts(MoeConfig config, long tokens) {
        return tokens * (config.numLayers() + 2L);
    }

    /** Layer {@code layer} (-1 for the embedding, L for the LM head) finished batch {@code batch}. */
    default void batchDone(int layer, int batch, int tokens) {
    }

    /**
     * Layer {@code timing.layer()} has finished every batch of its group. {@code state} makes the
     * checkpoint (it copies the residual stream to the host, so call it only to save).
     */
    default void layerDone(LayerTiming timing, Supplier<StreamState> state) throws IOException {
    }
}
